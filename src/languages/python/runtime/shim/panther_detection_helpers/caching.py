"""panther_detection_helpers.caching, kept in memory.

Panther keeps these values in a key-value table shared by every detection; here they live in one
dictionary that the runner empties before each test (`reset`), so tests do not see each other's
state, and that a test's Mocks replace like any other name of the rule module. Expiry times are
stored and honoured against the clock, as the table's TTL would be.
"""

import json
import time

_store = {}


def reset():
    _store.clear()


def _live(key):
    item = _store.get(key)
    if item is None:
        return None
    expires = item.get("expires")
    if expires is not None and expires < time.time():
        _store.pop(key, None)
        return None
    return item


def _put(key, kind, value, epoch_seconds=None):
    item = _store.setdefault(key, {})
    item["kind"] = kind
    item["value"] = value
    if epoch_seconds is not None:
        item["expires"] = epoch_seconds


def set_key_expiration(key, epoch_seconds):
    item = _store.get(key)
    if item is not None:
        item["expires"] = epoch_seconds


def ttl_expired(response):
    expires = (response or {}).get("expiresAt") if isinstance(response, dict) else None
    return expires is not None and expires < time.time()


def get_counter(key, force_ttl_check=False):
    item = _live(key)
    return int(item["value"]) if item and item["kind"] == "counter" else 0


def increment_counter(key, val=1, epoch_seconds=None):
    value = get_counter(key) + int(val)
    _put(key, "counter", value, epoch_seconds)
    return value


def reset_counter(key):
    _store.pop(key, None)


def get_string_set(key, force_ttl_check=False):
    item = _live(key)
    return set(item["value"]) if item and item["kind"] == "set" else set()


def put_string_set(key, val, epoch_seconds=None):
    values = set(val or ())
    if not values:
        _store.pop(key, None)
        return None
    _put(key, "set", values, epoch_seconds)
    return None


def add_to_string_set(key, val, epoch_seconds=None):
    values = get_string_set(key)
    values.update([val] if isinstance(val, str) else list(val))
    _put(key, "set", values, epoch_seconds)
    return values


def remove_from_string_set(key, val):
    values = get_string_set(key)
    values.difference_update([val] if isinstance(val, str) else list(val))
    _put(key, "set", values)
    return values


def reset_string_set(key):
    _store.pop(key, None)


def put_dictionary(key, val, epoch_seconds=None):
    if not isinstance(val, dict):
        raise TypeError("put_dictionary: val must be a dictionary")
    _put(key, "dict", json.dumps(val), epoch_seconds)


def get_dictionary(key, force_ttl_check=False):
    item = _live(key)
    return json.loads(item["value"]) if item and item["kind"] == "dict" else {}


def evaluate_threshold(key, threshold=10, expiry_seconds=3600):
    hits = increment_counter(key, 1, int(time.time()) + expiry_seconds)
    if hits >= threshold:
        reset_counter(key)
        return True
    return False


def check_account_age(key):
    """True when the account named by key was marked as created recently (put_string_set)."""
    if isinstance(key, str) and key:
        return bool(get_string_set(key))
    return False
