def get_verb(event):
    if event.deep_get("protoPayload", "serviceName", default="") != "k8s.io":
        return ""
    method = event.deep_get("protoPayload", "methodName", default="")
    return method.rsplit(".", maxsplit=1)[-1]
