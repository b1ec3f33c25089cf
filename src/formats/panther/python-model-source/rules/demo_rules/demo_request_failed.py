from demo_guarded_helpers import request_failed


def rule(event):
    return request_failed(event.get("responseStatus"))
