ALLOWED_ROLE_PATTERNS = ["Backup", "DeployBot"]


def rule(event):
    if event.get("action") != "decrypt":
        return False
    role = event.deep_get("identity", "role", default="")
    if role and any(pattern.lower() in role.lower() for pattern in ALLOWED_ROLE_PATTERNS):
        return False
    return True
