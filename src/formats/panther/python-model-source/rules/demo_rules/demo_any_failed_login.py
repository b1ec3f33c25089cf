import demo_event_types as event_type


def rule(event):
    return event.udm("event_type") == event_type.FAILED_LOGIN
