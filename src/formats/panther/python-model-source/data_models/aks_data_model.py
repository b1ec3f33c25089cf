import json


def _audit_log(event):
    # Only kube-audit entries carry a Kubernetes audit record, as a JSON text.
    if event.get("category", "") not in ("kube-audit", "kube-audit-admin"):
        return None
    text = event.deep_get("properties", "log", default="")
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def get_verb(event):
    audit = _audit_log(event)
    return audit.get("verb") if audit else None


def get_resource(event):
    audit = _audit_log(event)
    if not audit:
        return None
    return audit.get("objectRef", {}).get("resource")
