"""Timestamps as Chinese exports write them, parsed into timezone-aware datetimes.

Accepted forms (anything else goes to ``dateutil.parser``):

* ISO and its relatives: ``2026-11-22 10:30``, ``2026-11-22T10:30:05+08:00``, ``2026/11/22 10:30:05``;
* the Chinese form: ``2026年11月22日 10时30分`` (also ``10点30分``, ``10:30``, optional ``05秒``);
* epoch seconds as a number or digit string (``1795314600``); 13-digit values are read as
  epoch milliseconds;
* ``datetime`` objects (and pandas ``Timestamp``, a ``datetime`` subclass).

A naive time takes the zone the caller names (default ``Asia/Shanghai``, 北京时间); an aware
time keeps its own offset.  Epoch values are instants and are shown in the caller's zone.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import InputError

__all__ = ["DEFAULT_TZ", "parse_timestamp", "resolve_zone"]

DEFAULT_TZ = "Asia/Shanghai"

_CN = re.compile(
    r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"
    r"(?:\s*(\d{1,2})\s*[时点:：]\s*(?:(\d{1,2})\s*分?)?\s*(?:[:：]?\s*(\d{1,2})\s*秒?)?)?\s*$"
)
_ISOISH = re.compile(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?)?\s*$"
)
_EPOCH = re.compile(r"^\s*\d{9,13}(?:\.\d+)?\s*$")


@lru_cache(maxsize=64)
def resolve_zone(name: str) -> tzinfo:
    """The ``ZoneInfo`` for an IANA name (``Asia/Shanghai``); ``UTC`` also accepted."""
    if name.upper() in ("UTC", "Z"):
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"unknown time zone (时区) {name!r}: give an IANA name such as 'Asia/Shanghai'"
        ) from exc


def _from_epoch(value: float, zone: tzinfo) -> datetime:
    if not math.isfinite(value):
        raise InputError(f"epoch time {value!r} is not a finite number")
    if value > 1e11:  # 13 digits: milliseconds
        value = value / 1000.0
    try:
        return datetime.fromtimestamp(value, tz=timezone.utc).astimezone(zone)
    except (OverflowError, OSError, ValueError) as exc:
        raise InputError(f"epoch time {value!r} is out of range") from exc


def parse_timestamp(value: object, tz: str | tzinfo = DEFAULT_TZ) -> datetime | None:
    """Parse ``value`` into an aware ``datetime``; ``None``/empty/NaN give ``None``.

    Raises :class:`InputError` with the offending text when the value cannot be read.

    >>> parse_timestamp("2026年11月22日 10时30分").isoformat()
    '2026-11-22T10:30:00+08:00'
    >>> parse_timestamp("2026/11/22 10:30:05", tz="UTC").isoformat()
    '2026-11-22T10:30:05+00:00'
    """
    zone = resolve_zone(tz) if isinstance(tz, str) else tz
    if value is None:
        return None
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        if type(value).__name__ == "datetime64":
            value = value.astype("datetime64[us]")  # type: ignore[attr-defined]
        value = value.item()  # numpy scalars (epoch ints from a DataFrame, datetime64)
        if value is None:  # NaT
            return None
    if isinstance(value, datetime):
        if value != value:  # pandas NaT
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=zone)
        return _checked_offset(value, repr(value))
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone)
    if isinstance(value, bool):
        raise InputError(f"cannot read a time from a boolean {value!r}")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        return _from_epoch(float(value), zone)
    if not isinstance(value, str):
        raise InputError(f"cannot read a time from {type(value).__name__} {value!r}")
    text = value.strip()
    if not text or text.lower() in ("nan", "nat", "none", "null"):
        return None
    try:
        m = _ISOISH.match(text)
        if m:
            y, mo, d, h, mi, s, frac = m.groups()
            return datetime(
                int(y),
                int(mo),
                int(d),
                int(h or 0),
                int(mi or 0),
                int(s or 0),
                int((frac or "0").ljust(6, "0")),
                tzinfo=zone,
            )
        m = _CN.match(text)
        if m:
            y, mo, d, h, mi, s = m.groups()
            return datetime(
                int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=zone
            )
    except ValueError as exc:
        raise InputError(f"invalid date/time {text!r}: {exc}") from exc
    if _EPOCH.match(text):
        return _from_epoch(float(text), zone)
    return _dateutil_parse(text, zone)


def _dateutil_parse(text: str, zone: tzinfo) -> datetime:
    from dateutil import parser as du_parser

    cleaned = (
        text.replace("年", "-")
        .replace("月", "-")
        .replace("日", " ")
        .replace("号", " ")
        .replace("时", ":")
        .replace("点", ":")
        .replace("分", "")
        .replace("秒", "")
        .replace("：", ":")
        .strip()
    )
    try:
        dt = du_parser.parse(cleaned)
    except (ValueError, OverflowError) as exc:
        raise InputError(f"cannot read {text!r} as a date/time (无法解析时间)") from exc
    if dt.tzinfo is None:
        return dt.replace(tzinfo=zone)
    return _checked_offset(dt, repr(text))


def _checked_offset(dt: datetime, shown: str) -> datetime:
    """``dt`` if its UTC offset is usable; dateutil accepts ``+25:00``, datetime refuses it later."""
    try:
        off = dt.utcoffset()
        if off is not None:
            dt.astimezone(timezone.utc)  # also refuses an instant out of datetime's range
    except (ValueError, OverflowError) as exc:
        raise InputError(
            f"invalid UTC offset in {shown}: offsets must lie strictly between -24:00 and "
            f"+24:00 and the instant inside years 1–9999 ({exc})"
        ) from exc
    return dt


def hours_between(start: datetime | None, end: datetime | None) -> float | None:
    """Wall-clock hours from ``start`` to ``end`` (``None`` when either is missing)."""
    if start is None or end is None:
        return None
    return (end - start) / timedelta(hours=1)
