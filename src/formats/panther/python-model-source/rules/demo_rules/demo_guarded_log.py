import json


def parsed_log(event):
    if event.get("category") not in ("kube-audit", "kube-audit-admin"):
        return None
    text = event.deep_get("properties", "log", default="")
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def namespace(event):
    log = parsed_log(event)
    return log.get("objectRef", {}).get("namespace") if log else None


def rule(event):
    return namespace(event) == "kube-system"
