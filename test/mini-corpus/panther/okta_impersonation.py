def rule(event):
    if event.get("eventType") != "user.session.impersonation.initiate":
        return False
    return event.udm("actor_user") != "okta-system"


def title(event):
    return f"{event.udm('actor_user')} started an impersonation session"
