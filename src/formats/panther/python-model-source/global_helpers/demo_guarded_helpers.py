import json


def parsed_details(event):
    """The details of a completed request, parsed; None for any other event."""
    if event.get("status") != "completed":
        return None
    details = event.get("details")
    if not details:
        return None
    return json.loads(details)


def request_failed(status):
    """An HTTP status code of 400 or more; a code of another type is not one."""
    if not status:
        return False
    code = status.get("code")
    if not isinstance(code, int):
        return False
    return code >= 400
