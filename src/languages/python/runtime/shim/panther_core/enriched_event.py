"""The event object Panther hands to rule(): PantherEvent.

Written for ruleatlas from panther_core's documented behaviour: a case-insensitive, read-only
mapping over the log, with deep_get, deep_walk and udm (the log type's data model: a mapping's
JSON path, or a method of the data model's module; a name the model lacks is looked up under
p_udm). Nothing here is copied from panther_core.
"""

from collections.abc import Mapping, Sequence

from panther_core.immutable import ImmutableCaseInsensitiveDict, ImmutableList, unwrap, wrap
from panther_core import jsonpath


def _is_list(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def walk_get(obj, keys, default=None):
    """deep_get: follow keys through mappings only; a missing key, a non-mapping or None gives default."""
    value = obj
    for key in keys:
        if not isinstance(value, Mapping):
            return default
        value = value.get(key, default)
    return default if value is None else value


def _all_empty(node):
    return _is_list(node) and all(_all_empty(x) for x in node)


def walk_all(obj, keys, default=None, return_val="all"):
    """deep_walk: like deep_get, but a list met on the way is entered, element by element.

    Reached through mappings only, the value at the end of the keys is returned as it is, a list
    as a Python list (an empty list, or a list of empty lists, gives default). Through a list, the values found under
    its elements are gathered, lists among them flattened one level, and de-duplicated in the
    order first met (an element lacking the key gives default, gathered too unless None): one
    value is returned alone ("all"), several as a list; "first"/"last" pick one. Nothing found:
    default.
    """
    if not keys:
        if obj is None or _all_empty(obj):
            return default
        # A list is given as a Python list (of read-only elements), as the values gathered
        # through lists are: rules test `isinstance(found, list)` whichever way it was reached.
        return list(obj) if _is_list(obj) else obj
    if isinstance(obj, Mapping):
        nxt = obj.get(keys[0])
        return default if nxt is None else walk_all(nxt, keys[1:], default, return_val)
    if not _is_list(obj):
        return default
    found = []
    for item in obj:
        # An element without the key gives the default, which is gathered like a value found.
        value = walk_all(item, keys, default, return_val)
        if value is None:
            continue
        for one in value if _is_list(value) else (value,):
            if one not in found:
                found.append(one)
    if not found:
        return default
    if return_val == "first":
        return found[0]
    if return_val == "last":
        return found[-1]
    return found[0] if len(found) == 1 else found


class DataModel:
    """A log type's data model: UDM name → JSON path, or → a function of the model's module."""

    def __init__(self, paths=None, methods=None):
        self.paths = dict(paths or {})
        self.methods = dict(methods or {})


class PantherEvent(ImmutableCaseInsensitiveDict):
    __slots__ = ("_model",)

    def __init__(self, event, data_model=None):
        super().__init__(unwrap(event))
        object.__setattr__(self, "_model", data_model)

    def deep_get(self, *keys, default=None):
        return walk_get(self, keys, default)

    def deep_walk(self, *keys, default=None, return_val="all"):
        return walk_all(self, tuple(keys), default, return_val)

    def udm(self, *keys, default=None):
        if not keys:
            raise TypeError("udm() needs at least one name")
        model = self._model
        first, rest = keys[0], keys[1:]
        if model is not None and first in model.methods:
            value = wrap(model.methods[first](self))
        elif model is not None and first in model.paths:
            value = wrap(jsonpath.find(self._data, model.paths[first]))
        else:
            return walk_get(self, ("p_udm",) + tuple(keys), default)
        value = walk_get(value, rest, None) if rest else value
        return default if value is None else value

    def udm_path(self, key):
        model = self._model
        return None if model is None else model.paths.get(key)

    def to_dict(self):
        return unwrap(self)


__all__ = ["PantherEvent", "DataModel", "ImmutableCaseInsensitiveDict", "ImmutableList"]
