"""dateutil.parser.parse for the timestamp forms logs carry: ISO 8601 (with T or a space, a
fraction of any length, Z or an offset), RFC 2822 dates, and a few common log layouts.
A text it cannot read raises ParserError, a ValueError, as dateutil does.
"""

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


class ParserError(ValueError):
    pass


_iso = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2}|[+-]\d{2})?$",
    re.IGNORECASE,
)

_layouts = (
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y",
    "%d/%b/%Y:%H:%M:%S %z",
    "%b %d %Y %H:%M:%S",
    "%b %d, %Y %H:%M:%S",
    "%a %b %d %H:%M:%S %Y",
    "%Y-%m-%d %H:%M:%S %Z",
)


def _zone(text):
    if not text:
        return None
    if text.upper() in ("Z", "UTC"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    from datetime import timedelta

    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse(timestr, *args, **kwargs):
    if not isinstance(timestr, str):
        raise TypeError("Parser must be a string or character stream, not " + type(timestr).__name__)
    text = timestr.strip()
    m = _iso.match(text)
    if m:
        year, month, day, hour, minute, second, fraction, zone = m.groups()
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        try:
            return datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro, tzinfo=_zone(zone)
            )
        except ValueError as err:
            raise ParserError(str(err) + ": " + timestr) from None
    for layout in _layouts:
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    raise ParserError("Unknown string format: " + timestr)


def isoparse(timestr):
    return parse(timestr)
