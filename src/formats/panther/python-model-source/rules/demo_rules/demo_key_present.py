def rule(event):
    if "details" not in event:
        return False
    return event.get("action") == "login"
