WEBHOOKS = {"mutatingwebhookconfigurations", "validatingwebhookconfigurations"}


def rule(event):
    resource = event.udm("resource")
    if not resource:
        return False
    if event.udm("verb") != "create":
        return False
    return resource in WEBHOOKS
