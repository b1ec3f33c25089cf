APPROVED_TYPES = {
    "ami-1": {"t3.micro", "t3.small"},
    "ami-2": ["m5.large"],
    "ami-3": [],
}


def rule(event):
    if event.get("image") not in APPROVED_TYPES:
        return False
    return event.get("instanceType") not in APPROVED_TYPES[event.get("image")]
