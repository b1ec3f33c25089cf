SERVICE_PREFIXES = ("system:", "svc-")


def is_service_actor(name):
    if not name:
        return False
    if name.startswith(SERVICE_PREFIXES):
        return True
    if "robot" in name and "human" not in name:
        return True
    return name.endswith("@automation.example")


def rule(event):
    actor = event.udm("actor")
    return is_service_actor(actor)
