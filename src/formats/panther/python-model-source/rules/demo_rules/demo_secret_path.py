def rule(event):
    name = str(event.deep_get("protoPayload", "resourceName", default=""))
    parts = name.split("/")
    if len(parts) < 5:
        return False
    if len(parts) > 5 and name.split("/")[5] == "status":
        return False
    return parts[4] == "secrets" and parts[3] != "kube-system"
