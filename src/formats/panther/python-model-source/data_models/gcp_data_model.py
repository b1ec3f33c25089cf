def get_verb(event):
    if event.deep_get("protoPayload", "serviceName", default="") != "k8s.io":
        return ""
    method = event.deep_get("protoPayload", "methodName", default="")
    return method.rsplit(".", maxsplit=1)[-1]


def get_resource(event):
    parts = str(event.deep_get("protoPayload", "resourceName", default="")).split("/")
    return parts[4] if len(parts) >= 5 else ""
