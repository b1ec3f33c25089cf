from demo_repo_helpers import is_fork


def rule(event):
    return event.get("action") == "requested" and is_fork(event) is True
