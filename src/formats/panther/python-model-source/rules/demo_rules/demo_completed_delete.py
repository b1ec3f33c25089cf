from demo_guarded_helpers import parsed_details


def rule(event):
    details = parsed_details(event)
    if details is None:
        return False
    return details.get("action") == "delete"
