ADMIN_PORTS = [22, 3389]


def rule(event):
    for port in ADMIN_PORTS:
        if event.get("from_port", 0) <= port <= event.get("to_port", 0):
            return True
    return False
