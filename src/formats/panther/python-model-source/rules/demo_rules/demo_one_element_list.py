def rule(event):
    if event.get("sourceIPs", ["0.0.0.0"]) == ["127.0.0.1"]:
        return False
    return event.get("user") == "anonymous"
