from urllib.parse import unquote

TOKEN_PATHS = {"/var/run/secrets", "serviceaccount/token"}
RISKY_ARGS = {"cl", "clear-log"}
ADMIN_WORDS = {"owner", "admin"}


def rule(event):
    # Two e-mail domains built from the event, each with a default.
    actor_domain = event.deep_get("actor", "email", default="@").split("@")[-1]
    target_domain = event.deep_get("target", "email", default="@").split("@")[-1]
    if actor_domain == target_domain:
        return False
    # A piece of a split tested as a text, and a slice of it.
    role = event.get("role", "")
    parts = role.split("_")
    if len(parts) > 2 and parts[0] == "role":
        role_part = parts[2]
        if role_part.startswith("role-"):
            name = role_part[5:].lower()
            if any(word in name for word in ADMIN_WORDS):
                return True
    # A constant among the pieces of a command line.
    args = event.get("command", "").split(" ")
    if any(arg in args for arg in RISKY_ARGS):
        return True
    # A path looked for in a decoded request URI.
    uri = event.get("requestURI") or ""
    decoded = unquote(uri).lower()
    return any(path.lower() in decoded for path in TOKEN_PATHS)
