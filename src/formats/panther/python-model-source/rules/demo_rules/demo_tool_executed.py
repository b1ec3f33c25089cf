TOOLS = {"mimikatz.exe", "procdump.exe"}


def rule(event):
    if event.get("fdr_event_type") != "ProcessRollup2":
        return False
    name = event.deep_get("event", "ImageFileName", default="").lower().split("\\")[-1]
    if not name:
        return False
    domain = event.deep_get("event", "UserPrincipal", default="").split("@")[-1]
    if domain == "home.test":
        return False
    return name in TOOLS
