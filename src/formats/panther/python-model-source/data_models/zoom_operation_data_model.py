def get_actor(event):
    info = event.get("operator_info", {})
    if email := info.get("email"):
        return email
    if name := info.get("name"):
        return name
    return "<UNKNOWN ACTOR>"


def get_privileged(event):
    if event.get("category_type") != "User":
        return None
    return event.get("operator_info", {}).get("privileged")
