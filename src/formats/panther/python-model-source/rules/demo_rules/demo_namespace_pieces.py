SYSTEM_NAMESPACES = ["kube-system", "kube-public"]


def in_system_namespace(resource_name):
    if not resource_name:
        return False
    parts = resource_name.split("/")
    if len(parts) >= 4 and parts[2] == "namespaces":
        return parts[3] in SYSTEM_NAMESPACES
    return False


def rule(event):
    if event.deep_get("protoPayload", "methodName") != "io.k8s.core.v1.pods.create":
        return False
    return not in_system_namespace(event.deep_get("protoPayload", "resourceName", default=""))
