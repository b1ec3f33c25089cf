RISKY = ["admin", "owner"]


def rule(event):
    granted = False
    for role in RISKY:
        if event.get("role") == role:
            granted = True
            break
    if event.get("action") != "grant":
        return False
    return granted
