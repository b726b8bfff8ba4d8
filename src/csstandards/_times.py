"""Datetimes in JSON without loss: :meth:`datetime.isoformat` out, and every form of it back in.

pydantic writes a UTC offset as ``+HH:MM`` and refuses ``+05:30:07`` on input, so an offset
with seconds (local mean time of historical zones, e.g. Asia/Shanghai before 1901 is +08:05:43)
lost seconds on a round trip and could not be read back when written exactly.  Python 3.11's
:meth:`datetime.fromisoformat` reads seconds but drops an offset's microseconds, so those are
parsed here.  :data:`IsoDatetime` is the annotated type for model fields.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

__all__ = ["JSON_ISO", "IsoDatetime", "parse_iso", "to_iso"]

_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{6}))?)?$")


def parse_iso(value: Any) -> Any:
    """A datetime for what :meth:`datetime.isoformat` writes (offsets with seconds and
    microseconds included); anything else is returned unchanged for pydantic to parse or
    explain."""
    if not isinstance(value, str):
        return value
    if value.count(":") < 4:  # no seconds in the offset: the C parser reads it exactly
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    m = _OFFSET.search(value)
    sep = max(value.find("T"), value.find(" "))
    if m is not None and sep > 0 and m.start() > sep:
        sign = -1 if m.group(1) == "-" else 1
        h, mi, sec, us = (int(g) if g else 0 for g in m.group(2, 3, 4, 5))
        offset = sign * timedelta(hours=h, minutes=mi, seconds=sec, microseconds=us)
        if abs(offset) < timedelta(hours=24):
            try:
                naive = datetime.fromisoformat(value[: m.start()])
            except ValueError:
                return value
            if naive.tzinfo is None:
                return naive.replace(tzinfo=timezone(offset))
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return value


def to_iso(value: datetime) -> str:
    return value.isoformat()


JSON_ISO = PlainSerializer(to_iso, return_type=str, when_used="json")

IsoDatetime = Annotated[datetime, BeforeValidator(parse_iso), JSON_ISO]
"""A datetime field that round-trips through JSON exactly (offset seconds included)."""
