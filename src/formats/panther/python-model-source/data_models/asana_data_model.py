import demo_event_types as event_type


def get_event_type(event):
    # This log records a failed sign-in as an entry without an actor.
    if not event.get("actor"):
        return event_type.FAILED_LOGIN
    return None
