def rule(event):
    privileged = event.udm("privileged")
    if privileged is True:
        return event.get("action") != "logout"
    return False
