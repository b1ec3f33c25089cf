def rule(event):
    verb = event.udm("verb")
    if verb != "create":
        return False
    return event.udm("resource") == "pods"
