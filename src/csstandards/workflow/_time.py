"""Event times of the workflow logs, and the value semantics of the log models.

* Order is decided on **instants** (:func:`instant`), never on wall-clock readings: Python
  compares two datetimes that share a ``tzinfo`` by their local readings and ignores ``fold``,
  so across a daylight-saving fall-back 01:10 (second pass) looks earlier than 01:50 (first
  pass) although it is twenty minutes later.
* An event time is kept as its wall reading with a fixed UTC offset (what JSON can carry), so
  a log equals its own reload; the zone name of a ``ZoneInfo`` time is not kept.
* A wall time that its zone skips (the spring-forward gap) names no instant: it is refused when
  the event is built (:class:`~csstandards.errors.NonexistentTimeError`), so an event that was
  accepted can always be reloaded.
* :data:`EventTime` serialises to JSON with :meth:`datetime.isoformat`, which keeps offsets with
  seconds and microseconds (``+05:30:07``) that pydantic would truncate, and parses them back.
* :class:`LogModel` compares on fields only: a derived-state cache never takes part in equality.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator

from .._times import JSON_ISO
from .._times import parse_iso as _parse_iso
from ..errors import NonexistentTimeError, TimeRangeError
from ..models import FrozenModel, frozen_value

__all__ = [
    "DueTime",
    "EventTime",
    "LogModel",
    "ReceivedTime",
    "check_event_time",
    "earlier",
    "instant",
]

_UTC = timezone.utc


def instant(t: datetime) -> datetime:
    """``t`` as a UTC datetime: the point in time it names, whatever its zone or ``fold``."""
    try:
        return t.astimezone(_UTC)
    except (OverflowError, ValueError) as exc:
        raise TimeRangeError("time", t.isoformat(), str(exc)) from None


def earlier(a: datetime, b: datetime) -> bool:
    """Is instant ``a`` before instant ``b``?  Fixed offsets (what event times are kept as)
    compare exactly as they are; other zones are compared in UTC."""
    if type(a.tzinfo) is timezone and type(b.tzinfo) is timezone:
        return a < b  # same offset: wall order is instant order; different: Python uses UTC
    return instant(a) < instant(b)


def check_event_time(value: datetime, what: str) -> datetime:
    """``value`` if it is aware, representable as an instant and exists on its zone's clock."""
    if type(value.tzinfo) is timezone and 1 < value.year < 9999 and not value.fold:
        return value  # the common case, decided without arithmetic
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (带时区的时间)")
    if type(value.tzinfo) is timezone:  # a fixed offset: every reading exists
        try:
            value.astimezone(_UTC)
        except (OverflowError, ValueError) as exc:
            raise TimeRangeError(what, value.isoformat(), str(exc)) from None
        return value.replace(fold=0) if value.fold else value
    try:
        utc = value.astimezone(_UTC)
        back = utc.astimezone(value.tzinfo)
    except (OverflowError, ValueError) as exc:
        raise TimeRangeError(what, value.isoformat(), str(exc)) from None
    if back.replace(tzinfo=None, fold=0) != value.replace(tzinfo=None, fold=0):
        raise NonexistentTimeError(what, value.replace(tzinfo=None).isoformat(), back.isoformat())
    # the log keeps what JSON can carry: the wall reading and its UTC offset, not a zone name;
    # a reloaded log then equals the one applied (PEP 495: a time in a repeated hour never
    # equals a time in another tzinfo, so a ZoneInfo time would not equal its own reload)
    offset = value.utcoffset()
    assert offset is not None
    return value.replace(tzinfo=timezone(offset), fold=0)


def _checker(what: str) -> Any:
    def validate(value: datetime) -> datetime:
        return check_event_time(value, what)

    return validate


_JSON = JSON_ISO

EventTime = Annotated[
    datetime, BeforeValidator(_parse_iso), AfterValidator(_checker("'at'")), _JSON
]
"""An aware, existing event time that round-trips through JSON without losing its offset."""

DueTime = Annotated[datetime, BeforeValidator(_parse_iso), AfterValidator(_checker("'due'")), _JSON]
ReceivedTime = Annotated[
    datetime, BeforeValidator(_parse_iso), AfterValidator(_checker("'received_at'")), _JSON
]


_EVENTS = frozenset({"events"})
_L = TypeVar("_L", bound="LogModel")


class LogModel(FrozenModel):
    """Base of the event-log models: equality and hashing look at the fields only.

    pydantic's ``__eq__`` also compares private attributes; the log models keep their derived
    state in one, so a freshly loaded copy would differ from the object it was dumped from until
    ``.state`` is read.
    """

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *map(frozen_value, self.__dict__.values())))

    def _with_events(self: _L, events: object, cache: object) -> _L:
        """A copy holding ``events`` and the derived-state ``cache`` (``apply``'s hot path).

        What ``model_copy(update={"events": …})`` does for these models, without its generic
        copies of the extra and private dictionaries (a log model has no extra fields and one
        private attribute, set here): ``apply`` runs once per event, so this halves its cost.
        The events were validated by the caller (``advance`` accepted the event)."""
        cls = type(self)
        out = cls.__new__(cls)
        object.__setattr__(out, "__dict__", {**self.__dict__, "events": events})
        object.__setattr__(out, "__pydantic_extra__", None)
        object.__setattr__(out, "__pydantic_fields_set__", self.__pydantic_fields_set__ | _EVENTS)
        private = {k: a.get_default() for k, a in cls.__private_attributes__.items()}
        private["_cache"] = cache
        object.__setattr__(out, "__pydantic_private__", private)
        return out
