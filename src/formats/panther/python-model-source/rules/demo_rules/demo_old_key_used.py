import datetime

MAX_AGE = datetime.timedelta(days=90)


def too_old(text):
    then = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    return datetime.datetime.now() - then > MAX_AGE


def rule(event):
    if event.get("eventName") != "UseKey":
        return False
    return too_old(event.get("createdAt"))
