import json
from unittest.mock import MagicMock

ALLOWED_ACTIONS = ["read", "list"]


def rule(event):
    global ALLOWED_ACTIONS  # pylint: disable=global-statement
    if isinstance(ALLOWED_ACTIONS, MagicMock):
        ALLOWED_ACTIONS = json.loads(ALLOWED_ACTIONS())  # pylint: disable=not-callable
    return event.get("action") not in ALLOWED_ACTIONS
