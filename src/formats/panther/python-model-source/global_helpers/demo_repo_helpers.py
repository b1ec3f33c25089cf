def is_fork(event):
    head = event.get("head_repo")
    base = event.get("base_repo")
    if head and base:
        return head != base
    return False
