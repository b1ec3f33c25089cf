def sub_resource(event):
    try:
        return str(event.get("resourceName", "")).split("/")[3]
    except IndexError:
        return ""


def rule(event):
    if sub_resource(event):
        return False
    return event.get("action") == "create"
