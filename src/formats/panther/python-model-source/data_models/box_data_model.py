import demo_event_types as event_type


def get_event_type(event):
    if event.get("event_type") == "FAILED_LOGIN":
        return event_type.FAILED_LOGIN
    return None
