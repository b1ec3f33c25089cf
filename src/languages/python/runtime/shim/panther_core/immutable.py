"""Read-only views of an event's JSON, as rules see them through panther_core.

Written for ruleatlas from the documented behaviour of panther_core: a mapping whose keys are
found whatever their case (the exact key first), and a read-only sequence. Nested objects and
arrays are wrapped as they are read, so a rule can never change the event another rule sees.
"""

from collections.abc import Mapping, Sequence


def wrap(value):
    """The immutable view of a JSON value (scalars are already immutable)."""
    if isinstance(value, (ImmutableCaseInsensitiveDict, ImmutableList)):
        return value
    if isinstance(value, Mapping):
        return ImmutableCaseInsensitiveDict(value)
    if isinstance(value, (list, tuple)):
        return ImmutableList(value)
    return value


def unwrap(value):
    """A plain, mutable deep copy of a view (for json.dumps and for rules that edit a copy)."""
    if isinstance(value, ImmutableCaseInsensitiveDict):
        return {k: unwrap(v) for k, v in value._data.items()}
    if isinstance(value, ImmutableList):
        return [unwrap(v) for v in value._data]
    if isinstance(value, Mapping):
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [unwrap(v) for v in value]
    return value


class ImmutableList(Sequence):
    __slots__ = ("_data",)

    def __init__(self, data=()):
        object.__setattr__(self, "_data", tuple(data))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ImmutableList(self._data[index])
        return wrap(self._data[index])

    def __len__(self):
        return len(self._data)

    def __iter__(self):
        return (wrap(v) for v in self._data)

    def __eq__(self, other):
        if isinstance(other, ImmutableList):
            return self._data == other._data
        if isinstance(other, (list, tuple)):
            return list(self._data) == list(other)
        return NotImplemented

    def __hash__(self):
        raise TypeError("unhashable type: 'ImmutableList'")

    def __add__(self, other):
        return unwrap(self) + list(other)

    def __radd__(self, other):
        return list(other) + unwrap(self)

    def __setattr__(self, name, value):
        raise TypeError("ImmutableList is read-only")

    def __repr__(self):
        return repr(unwrap(self))

    def copy(self):
        return unwrap(self)

    def to_list(self):
        return unwrap(self)


class ImmutableCaseInsensitiveDict(Mapping):
    __slots__ = ("_data", "_folded")

    def __init__(self, data=None):
        data = dict(data or {})
        folded = {}
        for key in data:
            if isinstance(key, str):
                folded.setdefault(key.lower(), key)
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_folded", folded)

    def _key(self, key):
        if key in self._data:
            return key
        if isinstance(key, str):
            return self._folded.get(key.lower(), key)
        return key

    def __getitem__(self, key):
        return wrap(self._data[self._key(key)])

    def __contains__(self, key):
        return self._key(key) in self._data

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def __eq__(self, other):
        if isinstance(other, ImmutableCaseInsensitiveDict):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self):
        raise TypeError("unhashable type: 'ImmutableCaseInsensitiveDict'")

    def __setattr__(self, name, value):
        raise TypeError("ImmutableCaseInsensitiveDict is read-only")

    def __repr__(self):
        return repr(self._data)

    def copy(self):
        return unwrap(self)

    def to_dict(self):
        return unwrap(self)
