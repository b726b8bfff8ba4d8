"""Business calendars with mainland-China public holidays and make-up working days (调休).

A :class:`WorkCalendar` says when a service team is open (营业/工作时间): working intervals per
weekday (several per day, overnight shifts allowed), public holidays (法定节假日), make-up
working days that override weekends (调休上班), company closures and extra open days, all in one
IANA time zone (default ``Asia/Shanghai``).

Arithmetic never steps minute by minute.  On first use the calendar lays out, year by year, the
sorted list of its open intervals in UTC with the cumulative open time before each; ``add`` and
``between`` are then two binary searches::

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> cal = WorkCalendar.china_office_hours()
    >>> t = datetime(2026, 1, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # 元旦假期
    >>> cal.is_open(t)
    False
    >>> cal.next_open(t).isoformat()  # Sunday 2026-01-04 is a make-up working day (调休上班)
    '2026-01-04T09:00:00+08:00'
    >>> cal.add(t, timedelta(hours=4)).isoformat()
    '2026-01-04T14:30:00+08:00'

Business time is real elapsed time: on a DST change day in a zone that has DST, an interval
09:00–18:00 that contains the change is 8 or 10 hours long.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator

from ._intervals import merge_intervals
from ._toml import load_toml, loads_toml
from .errors import (
    CalendarDataMissing,
    EstimatedCalendarWarning,
    InputError,
    NaiveDatetimeError,
    TimeRangeError,
)
from .models import FrozenModel, LabelledEnum, _label

__all__ = [
    "CN_CORRECTIONS",
    "DayInfo",
    "DayKind",
    "HolidaySchedule",
    "Shift",
    "WorkCalendar",
    "cn_data_years",
    "cn_schedule",
    "estimated_cn_schedule",
]

_UTC = _dt.timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_ONE_US = timedelta(microseconds=1)
_US = 1_000_000
_DAY_S = 86_400
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MAX_EMPTY_YEARS = 8  # searching further than this for open time means the calendar is empty
_MAX_SPAN_YEARS = 200  # the most local years one call may lay out
_MIN_YEAR, _MAX_YEAR = 1, 9998  # local years a calendar lays out (the next 1 January must exist)
_KEEP_SNAPS = 4  # laid-out ranges kept per calendar (disjoint ranges are never joined)


def _to_us(t: datetime, what: str = "time") -> int:
    """Aware datetime → integer microseconds since the Unix epoch (exact)."""
    try:
        return (t - _EPOCH) // _ONE_US
    except TypeError:  # naive minus aware; anything else that is not a datetime
        if isinstance(t, datetime):
            raise NaiveDatetimeError(what, t) from None
        raise InputError(
            f"{what} must be a timezone-aware datetime, got {type(t).__name__}"
        ) from None


def _from_us(us: int, tz: _dt.tzinfo) -> datetime:
    secs, micro = divmod(us, _US)
    try:
        t = datetime.fromtimestamp(secs, tz)  # transitions fall on whole seconds: replace is safe
    except (OverflowError, ValueError, OSError) as exc:
        when = f"near year {round(1970 + secs / 31_556_952)}"
        raise TimeRangeError("a calendar time", when, str(exc)) from None
    return t.replace(microsecond=micro) if micro else t


def _td_us(d: timedelta) -> int:
    return d // _ONE_US


# --------------------------------------------------------------------------------------------
# Shifts and days
# --------------------------------------------------------------------------------------------

_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def _parse_hhmm(text: str, where: str) -> int:
    m = _HHMM.match(text)
    if not m:
        raise InputError(f"{where}: expected a time like '09:00' or '24:00', got {text!r}")
    h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    secs = h * 3600 + mi * 60 + s
    if mi > 59 or s > 59 or secs > _DAY_S:
        raise InputError(f"{where}: {text!r} is not a time of day (00:00–24:00)")
    return secs


class Shift(FrozenModel):
    """One working interval of a day, ``start``–``end`` in local wall-clock seconds after midnight.

    ``end`` may exceed 86 400 for an overnight shift (夜班): ``Shift.parse("22:00-06:00")`` runs
    from 22:00 to 06:00 on the next day.  A shift belongs to the day it *starts* on: if that day
    is closed, the whole shift is closed, even the part after midnight.
    """

    start: int = Field(ge=0, lt=_DAY_S, description="seconds after local midnight")
    end: int = Field(
        gt=0, le=2 * _DAY_S, description="seconds after local midnight of the start day"
    )

    @model_validator(mode="after")
    def _check(self) -> Shift:
        if not self.start < self.end <= self.start + _DAY_S:
            raise ValueError(
                f"shift end {self.end}s must be after start {self.start}s, within 24 h"
            )
        return self

    @classmethod
    def parse(cls, text: str) -> Shift:
        """``"09:00-12:00"``; ``"22:00-06:00"`` is overnight; ``"00:00-24:00"`` is the whole day."""
        parts = re.split(r"\s*[-–~至]\s*", text.strip())
        if len(parts) != 2:
            raise InputError(f"working interval must look like '09:00-18:00', got {text!r}")
        start = _parse_hhmm(parts[0], f"interval {text!r}")
        end = _parse_hhmm(parts[1], f"interval {text!r}")
        if start == _DAY_S:
            raise InputError(f"interval {text!r}: a shift cannot start at 24:00")
        if end <= start:
            end += _DAY_S  # overnight
        return cls(start=start, end=end)

    @property
    def overnight(self) -> bool:
        return self.end > _DAY_S

    @property
    def length(self) -> timedelta:
        """Nominal length (wall clock; a DST change inside the shift alters the real length)."""
        return timedelta(seconds=self.end - self.start)

    def __str__(self) -> str:
        def fmt(s: int) -> str:
            return f"{s // 3600:02d}:{s % 3600 // 60:02d}"

        end = self.end - _DAY_S if self.overnight else self.end
        return f"{fmt(self.start)}-{fmt(end)}"


class DayKind(LabelledEnum):
    """Why a date is open or closed."""

    WORKDAY = "workday"  # 工作日
    WEEKEND = "weekend"  # 休息日 (no working intervals that weekday)
    HOLIDAY = "holiday"  # 法定节假日
    MAKEUP_WORKDAY = "makeup_workday"  # 调休上班
    CLOSURE = "closure"  # 公司停业
    EXTRA_OPEN = "extra_open"  # 额外营业日


_label(
    DayKind,
    {
        "workday": ("工作日", "working day"),
        "weekend": ("休息日", "rest day"),
        "holiday": ("法定节假日", "public holiday"),
        "makeup_workday": ("调休上班", "make-up working day"),
        "closure": ("停业", "company closure"),
        "extra_open": ("额外营业", "extra open day"),
    },
)


class DayInfo(FrozenModel):
    """What a calendar makes of one local date."""

    date: date
    kind: DayKind
    shifts: tuple[Shift, ...]
    name: str = ""
    estimated: bool = False

    @property
    def open(self) -> bool:
        return bool(self.shifts)


# --------------------------------------------------------------------------------------------
# Holiday schedules
# --------------------------------------------------------------------------------------------


class HolidaySchedule(FrozenModel):
    """An official public-holiday schedule (节假日安排) for whole years.

    ``holidays`` are rest days (放假, weekend days inside a block included), ``workdays`` the
    make-up working days (调休上班).  ``years`` are the years the schedule fully covers; for a date
    in a covered year, a date absent from both maps is an ordinary day.
    """

    name: str = "CN"
    years: tuple[int, ...]
    holidays: dict[date, str] = Field(default_factory=dict)
    workdays: dict[date, str] = Field(default_factory=dict)
    source: str = ""
    estimated: bool = False

    @model_validator(mode="after")
    def _check(self) -> HolidaySchedule:
        both = self.holidays.keys() & self.workdays.keys()
        if both:
            raise ValueError(f"dates both holiday and make-up working day: {sorted(both)}")
        if not self.years:
            raise ValueError("a schedule must cover at least one year")
        return self

    def covers(self, year: int) -> bool:
        return year in self.years

    @classmethod
    def from_toml(cls, path: str | Path) -> HolidaySchedule:
        """Load a schedule file (format: ``data/calendars/cn_2026.toml``; see docs/sla.md)."""
        return cls.from_mapping(load_toml(path), source_file=str(path))

    @classmethod
    def from_notice(cls, text: str, year: int | None = None) -> HolidaySchedule:
        """Parse a State Council notice (国务院办公厅关于YYYY年部分节假日安排的通知) as published.

        See :func:`csstandards.holiday_notice.parse_notice`; raises
        :class:`~csstandards.errors.CalendarNoticeError` quoting an item it cannot read.
        """
        from .holiday_notice import parse_notice

        return parse_notice(text, year).schedule()

    @classmethod
    def from_toml_text(cls, text: str, *, source_file: str = "<string>") -> HolidaySchedule:
        return cls.from_mapping(loads_toml(text, source=source_file), source_file=source_file)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, source_file: str = "<mapping>"
    ) -> HolidaySchedule:
        """Build from a parsed TOML/JSON mapping: ``year`` (or ``years``), ``[holidays]``, ``[workdays]``."""
        from .errors import LexiconError

        years: Any = data.get("years", [data["year"]] if "year" in data else None)
        if not years:
            raise LexiconError(source_file, "year", "missing: which year does the notice cover?")
        hol = {str(k): v for k, v in dict(data.get("holidays", {})).items()}
        work = {str(k): v for k, v in dict(data.get("workdays", {})).items()}
        try:
            sched = cls.model_validate(
                {
                    "name": str(data.get("name", "CN")),
                    "years": tuple(int(y) for y in years),
                    "holidays": hol,  # ISO date keys, parsed by pydantic
                    "workdays": work,
                    "source": str(data.get("source", source_file)),
                }
            )
        except (ValidationError, ValueError, TypeError) as exc:
            raise LexiconError(source_file, "", f"invalid holiday schedule: {exc}") from exc
        for d in [*sched.holidays, *sched.workdays]:
            if d.year not in sched.years and not (
                d.month == 12 and d.year + 1 in sched.years  # a notice may move 31 Dec
            ):
                raise LexiconError(
                    source_file, d.isoformat(), f"date outside the years {list(sched.years)}"
                )
        for d in sched.workdays:
            if d.weekday() < 5:
                raise LexiconError(
                    source_file,
                    d.isoformat(),
                    "a make-up working day (调休上班) must be a Saturday or Sunday",
                )
        return sched


#: Days on which chinesecalendar departs from the State Council notice it transcribes.
#: 2005-12-31 (Saturday) was a working day by 国办发明电〔2005〕35号 (the 2006 notice:
#: "12月31日(星期六)上班"); chinesecalendar 1.11 files only the 2006 notice's 2006 dates and so
#: treats it as an ordinary Saturday.  The holidays package has it right.
CN_CORRECTIONS: dict[date, tuple[Literal["workday", "holiday"], str]] = {
    date(2005, 12, 31): ("workday", "元旦 调休上班 (国办发明电〔2005〕35号)"),
}


@lru_cache(maxsize=1)
def cn_data_years() -> tuple[int, int]:
    """First and last year for which the chinesecalendar package carries an official schedule."""
    from chinese_calendar import constants

    years = [d.year for d in constants.holidays]
    return min(years), max(years)


@lru_cache(maxsize=64)
def cn_schedule(year: int) -> HolidaySchedule:
    """The official mainland-China schedule of ``year`` from chinesecalendar (+ corrections).

    Raises :class:`CalendarDataMissing` outside :func:`cn_data_years`.
    """
    from chinese_calendar import constants

    lo, hi = cn_data_years()
    if not lo <= year <= hi:
        raise CalendarDataMissing(year, "CN")
    hol = {d: _CN_NAMES.get(n, n) for d, n in constants.holidays.items() if d.year == year}
    work = {
        d: f"{_CN_NAMES.get(n, n)} 调休上班"
        for d, n in constants.workdays.items()
        if d.year == year
    }
    for d, (kind, name) in CN_CORRECTIONS.items():
        if d.year == year:
            hol.pop(d, None)
            work.pop(d, None)
            (work if kind == "workday" else hol)[d] = name
    return HolidaySchedule(
        name="CN",
        years=(year,),
        holidays=hol,
        workdays=work,
        source=f"chinesecalendar {_cc_version()} (State Council notices)",
    )


_CN_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _cc_version() -> str:
    try:
        import chinese_calendar

        return str(getattr(chinese_calendar, "__version__", ""))
    except ImportError:  # pragma: no cover
        return ""


@lru_cache(maxsize=1)
def _lunar_table() -> dict[int, dict[str, date]]:
    text = (
        resources.files("csstandards")
        .joinpath("data/calendars/cn_lunar_festivals.toml")
        .read_text(encoding="utf-8")
    )
    data = loads_toml(text, source="data/calendars/cn_lunar_festivals.toml")
    return {int(y): dict(v) for y, v in data["years"].items()}


@lru_cache(maxsize=64)
def estimated_cn_schedule(year: int) -> HolidaySchedule:
    """A *guess* at a year without an official notice: the statutory days only, no 调休.

    Statutory days (全国年节及纪念日放假办法, as amended 2024): 元旦 1 day, 春节 4 days (除夕 to
    初三), 清明 1, 劳动节 2 (1–2 May), 端午 1, 中秋 1, 国庆 3 (1–3 Oct).  The real notice
    usually bridges weekends and adds make-up working days, which cannot be predicted.
    """
    lunar = _lunar_table().get(year)
    if lunar is None:
        raise CalendarDataMissing(year, "CN (no lunar-festival dates for an estimate either)")
    from chinese_calendar import get_solar_terms

    qingming = [d for d, n in get_solar_terms(date(year, 4, 1), date(year, 4, 10)) if n == "清明"]
    sf = lunar["spring_festival"]
    hol: dict[date, str] = {}

    def put(d: date, name: str) -> None:
        hol[d] = f"{hol[d]}、{name}" if d in hol else name

    put(date(year, 1, 1), "元旦")
    for i in range(-1, 3):
        put(sf + timedelta(days=i), "春节")
    for d in qingming:
        put(d, "清明节")
    put(date(year, 5, 1), "劳动节")
    put(date(year, 5, 2), "劳动节")
    put(lunar["dragon_boat"], "端午节")
    put(lunar["mid_autumn"], "中秋节")
    for i in range(1, 4):
        put(date(year, 10, i), "国庆节")
    # 除夕 may fall in the previous year (never for 2027–2035, but stay in the year).
    hol = {d: n for d, n in hol.items() if d.year == year}
    return HolidaySchedule(
        name="CN",
        years=(year,),
        holidays=hol,
        source="estimate: statutory days only, no 调休 (no official notice loaded)",
        estimated=True,
    )


def warn_estimated(year: int, what: str = "CN public holidays") -> None:
    """Issue :class:`~csstandards.errors.EstimatedCalendarWarning` for ``year`` (a result is
    about to be computed on an estimated year; the result itself says ``estimated=True``)."""
    warnings.warn(EstimatedCalendarWarning(year, what), stacklevel=3)


# --------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Snap:
    """One consistent lay-out of open intervals (UTC µs) for the local years ``lo``…``hi``."""

    lo: int
    hi: int
    lo_us: int  # first µs whose open state is fully known
    hi_us: int  # first µs after the laid-out years
    starts: list[int]
    ends: list[int]
    cum: list[int]  # open µs before starts[i], counted from the start of year lo
    cum_end: list[int]  # open µs up to ends[i]
    estimated_years: frozenset[int]

    def cum_at(self, us: int) -> int:
        i = bisect_right(self.starts, us) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.cum[i] + ((us if us < end else end) - self.starts[i])


class _Timeline:
    """Lazily built snapshots; not part of the model's value (equality ignores it).

    ``snap`` is the one used last (the fast path); ``snaps`` the few kept, newest first.  A
    snapshot only ever grows into years a call asked for, so what a call computes (or refuses)
    never depends on the years earlier calls touched.
    """

    __slots__ = ("lock", "snap", "snaps")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.snap: _Snap | None = None
        self.snaps: tuple[_Snap, ...] = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Timeline)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict[int, Any]) -> _Timeline:
        return _Timeline()

    def __copy__(self) -> _Timeline:
        return _Timeline()


HolidaySource = Literal["none", "cn"]
OnMissing = Literal["raise", "estimate"]


class WorkCalendar(FrozenModel):
    """When a team is open.  Build with :meth:`twenty_four_seven`, :meth:`china_office_hours` or
    :meth:`custom`; all methods take and return timezone-aware datetimes.

    Precedence for a local date: extra open day > company closure > public holiday (法定节假日) >
    make-up working day (调休上班, open with ``makeup_shifts``) > the weekday's shifts.
    """

    name: str = "custom"
    timezone: str = "Asia/Shanghai"
    week: tuple[tuple[Shift, ...], ...] = Field(description="shifts for Monday … Sunday")
    makeup_shifts: tuple[Shift, ...] | None = Field(
        default=None, description="hours on 调休 and extra open days; default: the Monday shifts"
    )
    public_holidays: HolidaySource = "none"
    schedules: tuple[HolidaySchedule, ...] = ()
    closures: frozenset[date] = frozenset()
    extra_open_days: frozenset[date] = frozenset()
    on_missing: OnMissing = "raise"

    _tl: _Timeline = PrivateAttr(default_factory=_Timeline)

    @field_validator("week")
    @classmethod
    def _seven(cls, v: tuple[tuple[Shift, ...], ...]) -> tuple[tuple[Shift, ...], ...]:
        if len(v) != 7:
            raise ValueError(f"week must have 7 entries (Monday … Sunday), got {len(v)}")
        return v

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {v!r} (IANA name such as 'Asia/Shanghai')"
            ) from exc
        return v

    # ---------------------------------------------------------------- constructors

    @classmethod
    def custom(
        cls,
        hours: Mapping[str, Iterable[str] | str],
        *,
        name: str = "custom",
        timezone: str = "Asia/Shanghai",
        public_holidays: HolidaySource = "none",
        makeup_hours: Iterable[str] | None = None,
        schedules: Iterable[HolidaySchedule] = (),
        closures: Iterable[date] = (),
        extra_open_days: Iterable[date] = (),
        on_missing: OnMissing = "raise",
    ) -> WorkCalendar:
        """Your own calendar.  ``hours`` maps weekdays to intervals::

            WorkCalendar.custom({"mon-fri": ["09:00-12:00", "13:30-18:00"], "sat": "10:00-16:00"},
                                public_holidays="cn")

        Keys: ``mon`` … ``sun``, ranges such as ``mon-fri``, or ``daily``.  Values: one interval
        or a list; ``22:00-06:00`` is an overnight shift; ``00:00-24:00`` the whole day.
        """
        week: list[list[Shift]] = [[] for _ in range(7)]
        for key, value in hours.items():
            days = _weekday_keys(key)
            items = [value] if isinstance(value, str) else list(value)
            shifts = [Shift.parse(str(s)) for s in items]
            for d in days:
                week[d].extend(shifts)
        try:
            return cls(
                name=name,
                timezone=timezone,
                week=tuple(tuple(sorted(w, key=lambda s: s.start)) for w in week),
                makeup_shifts=(
                    None if makeup_hours is None else tuple(Shift.parse(s) for s in makeup_hours)
                ),
                public_holidays=public_holidays,
                schedules=tuple(schedules),
                closures=frozenset(closures),
                extra_open_days=frozenset(extra_open_days),
                on_missing=on_missing,
            )
        except ValidationError as exc:
            raise InputError(f"invalid calendar {name!r}: {exc}") from exc

    @classmethod
    def twenty_four_seven(cls, timezone: str = "Asia/Shanghai") -> WorkCalendar:
        """Always open (全天候 7×24), no holidays: plain clock time."""
        return cls.custom({"daily": "00:00-24:00"}, name="24x7", timezone=timezone)

    @classmethod
    def china_office_hours(
        cls, *, on_missing: OnMissing = "raise", schedules: Iterable[HolidaySchedule] = ()
    ) -> WorkCalendar:
        """Mainland-China office hours: Mon–Fri 09:00–12:00 and 13:30–18:00 (Asia/Shanghai),
        closed on public holidays, open on make-up working days (调休上班)."""
        return cls.custom(
            {"mon-fri": ["09:00-12:00", "13:30-18:00"]},
            name="china_office_hours",
            public_holidays="cn",
            on_missing=on_missing,
            schedules=schedules,
        )

    def with_schedule(self, *schedules: HolidaySchedule) -> WorkCalendar:
        """A copy that also uses these official schedules (they win for the years they cover)."""
        return self._replace(schedules=(*self.schedules, *schedules))

    def _replace(self, **update: Any) -> WorkCalendar:
        copy = self.model_copy(update=update)
        copy._tl = _Timeline()
        return copy

    # ---------------------------------------------------------------- days

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.timezone)

    @property
    def has_overnight(self) -> bool:
        return any(s.overnight for day in self.week for s in day) or any(
            s.overnight for s in (self.makeup_shifts or ())
        )

    @property
    def standard_day(self) -> timedelta:
        """Open time of a regular working day (the longest weekday pattern): the unit of a
        target given in working days (工作日)."""
        return max(
            (sum((s.length for s in d), timedelta()) for d in self.week), default=timedelta()
        )

    def _schedule_for(self, year: int) -> HolidaySchedule | None:
        if self.public_holidays == "none" and not self.schedules:
            return None
        for s in reversed(self.schedules):
            if s.covers(year):
                if s.estimated:
                    warn_estimated(year)
                return s
        if self.public_holidays == "none":
            return None
        try:
            return cn_schedule(year)
        except CalendarDataMissing:
            if self.on_missing == "estimate":
                est = estimated_cn_schedule(year)  # CalendarDataMissing past the lunar table
                warn_estimated(year)
                return est
            raise

    def _next_year_for_dec31(self, d: date) -> HolidaySchedule | None:
        # A notice may make 31 Dec of the previous year a working day (the 2006 notice did).
        # Without next year's notice, 31 Dec keeps its own year's status.
        try:
            return self._schedule_for(d.year + 1)
        except CalendarDataMissing:
            return None

    def day_info(self, d: date) -> DayInfo:
        """Open or closed on local date ``d``, and why."""
        kind, shifts, name, est = self._classify(d, self._schedule_for(d.year))
        return DayInfo(date=d, kind=kind, shifts=shifts, name=name, estimated=est)

    def _classify(
        self, d: date, sched: HolidaySchedule | None
    ) -> tuple[DayKind, tuple[Shift, ...], str, bool]:
        makeup = self.makeup_shifts if self.makeup_shifts is not None else self.week[0]
        if d in self.extra_open_days:
            return DayKind.EXTRA_OPEN, makeup, "", False
        if d in self.closures:
            return DayKind.CLOSURE, (), "", False
        nxt = self._next_year_for_dec31(d) if d.month == 12 and d.day == 31 else None
        for s in (sched, nxt):
            if s is None:
                continue
            if d in s.holidays:
                return DayKind.HOLIDAY, (), s.holidays[d], s.estimated
            if d in s.workdays:
                return DayKind.MAKEUP_WORKDAY, makeup, s.workdays[d], s.estimated
        weekly = self.week[d.weekday()]
        est = bool(sched is not None and sched.estimated)
        return (DayKind.WORKDAY if weekly else DayKind.WEEKEND), weekly, "", est

    # ---------------------------------------------------------------- timeline

    def _build_year(self, year: int) -> tuple[list[tuple[int, int]], bool]:
        zone = self.zone
        sched = self._schedule_for(year)
        est = bool(sched is not None and sched.estimated)
        out: list[tuple[int, int]] = []
        d = date(year, 1, 1)
        one = timedelta(days=1)
        simple = sched is None and not self.closures and not self.extra_open_days
        while d.year == year:
            shifts = self.week[d.weekday()] if simple else self._classify(d, sched)[1]
            if shifts:
                midnight = datetime(d.year, d.month, d.day, tzinfo=zone)
                for sh in shifts:
                    a = _to_us(midnight + timedelta(seconds=sh.start))
                    b = _to_us(midnight + timedelta(seconds=sh.end))
                    if b > a:  # a shift inside a DST gap can vanish
                        out.append((a, b))
            d += one
        return out, est

    def _timeline(self) -> _Timeline:
        # direct dict access: pydantic's __getattr__ for private attributes is slow
        priv = self.__pydantic_private__
        assert priv is not None
        tl: _Timeline = priv["_tl"]
        return tl

    def _ensure(self, lo: int, hi: int) -> _Snap:
        """A snapshot covering the local years ``lo`` … ``hi``."""
        tl = self._timeline()
        snap = tl.snap
        if snap is not None and snap.lo <= lo and hi <= snap.hi:
            return snap
        with tl.lock:
            for snap in tl.snaps:
                if snap.lo <= lo and hi <= snap.hi:
                    tl.snap = snap
                    return snap
            if lo < _MIN_YEAR or hi > _MAX_YEAR:
                year = lo if lo < _MIN_YEAR else hi
                raise TimeRangeError(
                    f"calendar {self.name!r}: local year",
                    year,
                    f"calendars lay out years {_MIN_YEAR}…{_MAX_YEAR}",
                )
            if hi - lo > _MAX_SPAN_YEARS:
                raise InputError(f"calendar {self.name!r}: span of {hi - lo} years is too long")
            # grow a snapshot that this range overlaps or adjoins, never across a gap (the
            # years between were not asked for, and may have no holiday data)
            base = next(
                (
                    s
                    for s in tl.snaps
                    if s.lo - 1 <= hi
                    and lo <= s.hi + 1
                    and max(hi, s.hi) - min(lo, s.lo) <= _MAX_SPAN_YEARS
                ),
                None,
            )
            if base is not None:
                lo, hi = min(lo, base.lo), max(hi, base.hi)
            new = self._lay_out(lo, hi)
            kept = tuple(s for s in tl.snaps if s is not base)[: _KEEP_SNAPS - 1]
            tl.snaps = (new, *kept)
            tl.snap = new
            return new

    def _lay_out(self, lo: int, hi: int) -> _Snap:
        """Build the snapshot of the local years ``lo`` … ``hi`` (caller holds the lock)."""
        raw: list[tuple[int, int]] = []
        est_years: set[int] = set()
        for y in range(lo, hi + 1):
            iv, est = self._build_year(y)
            raw.extend(iv)
            if est:
                est_years.add(y)
        starts, ends = merge_intervals(raw)  # overlapping and touching ones merged
        cum: list[int] = []
        cum_end: list[int] = []
        total = 0
        for a, b in zip(starts, ends, strict=True):
            cum.append(total)
            total += b - a
            cum_end.append(total)
        zone = self.zone
        first = datetime(lo, 1, 1, tzinfo=zone)
        if self.has_overnight:  # the unbuilt year before could reach into 1 January
            first += timedelta(days=1)
        new = _Snap(
            lo=lo,
            hi=hi,
            lo_us=_to_us(first),
            hi_us=_to_us(datetime(hi + 1, 1, 1, tzinfo=zone)),
            starts=starts,
            ends=ends,
            cum=cum,
            cum_end=cum_end,
            estimated_years=frozenset(est_years),
        )
        return new

    def _snap_for(self, us: int, until: int | None = None) -> _Snap:
        """A snapshot covering ``us`` (and ``until`` if given)."""
        snap = self._timeline().snap
        hi_us = us if until is None else until
        if snap is not None and snap.lo_us <= us and hi_us < snap.hi_us:
            return snap
        zone = self.zone
        lo = _from_us(us, zone).year
        hi = _from_us(hi_us, zone).year
        if self.has_overnight:
            lo -= 1
        snap = self._ensure(lo, hi)
        while us < snap.lo_us:  # 1 January just after a boundary with overnight shifts
            lo -= 1
            snap = self._ensure(lo, hi)
        return snap

    def _grow(self, snap: _Snap, us: int, forward: bool) -> _Snap:
        """``snap`` with one more year after (or before) it, keeping ``us`` inside.  The range
        asked for is bounded by ``us``'s own years, not by what earlier calls laid out."""
        year = _from_us(us, self.zone).year
        if forward:
            return self._ensure(max(snap.lo, year - 2), snap.hi + 1)
        return self._ensure(snap.lo - 1, min(snap.hi, year + 1))

    # ---------------------------------------------------------------- arithmetic

    def is_open(self, t: datetime) -> bool:
        """Is ``t`` inside a working interval?  Intervals are half open: ``[start, end)``."""
        us = _to_us(t, "t")
        snap = self._snap_for(us)
        i = bisect_right(snap.starts, us) - 1
        return i >= 0 and us < snap.ends[i]

    def next_open(self, t: datetime) -> datetime:
        """``t`` itself when open, else the start of the next working interval."""
        us = _to_us(t, "t")
        snap = self._snap_for(us)
        for _ in range(_MAX_EMPTY_YEARS + 1):
            i = bisect_right(snap.starts, us) - 1
            if i >= 0 and us < snap.ends[i]:
                return t
            if i + 1 < len(snap.starts):
                return _from_us(snap.starts[i + 1], t.tzinfo)  # type: ignore[arg-type]
            snap = self._grow(snap, us, forward=True)
        raise InputError(f"calendar {self.name!r} has no open time after {t.isoformat()}")

    def add(self, t: datetime, duration: timedelta) -> datetime:
        """The moment when ``duration`` of open time has passed after ``t`` (the due time).

        ``add(t, 0) == t``.  For a positive duration the result lies in open time or exactly at
        the end of an interval.  The result carries ``t``'s time zone.  A negative duration
        counts backwards.
        """
        us = _to_us(t, "t")
        d = _td_us(duration)
        if d == 0:
            return t
        snap = self.__pydantic_private__["_tl"].snap  # type: ignore[index]
        if snap is None or not snap.lo_us <= us < snap.hi_us:
            snap = self._snap_for(us)
        if d > 0:
            empty = 0
            while empty <= _MAX_EMPTY_YEARS:
                # cumulative values are relative to the snapshot's first year: always
                # recompute them from the snapshot in hand (another thread may have grown it)
                base = snap.cum_at(us)
                target = base + d
                total = snap.cum_end[-1] if snap.cum_end else 0
                if target <= total:
                    j = bisect_left(snap.cum_end, target)
                    return _from_us(snap.starts[j] + (target - snap.cum[j]), t.tzinfo)  # type: ignore[arg-type]
                snap = self._grow(snap, us, forward=True)
                ahead = (snap.cum_end[-1] if snap.cum_end else 0) - snap.cum_at(us)
                empty = empty + 1 if ahead == total - base else 0
            raise InputError(
                f"calendar {self.name!r}: no {duration} of open time within "
                f"{_MAX_EMPTY_YEARS} years after {t.isoformat()}"
            )
        target = snap.cum_at(us) + d
        for _ in range(_MAX_EMPTY_YEARS + 1):
            if target >= 0 and snap.cum_end and target < snap.cum_end[-1]:
                j = max(bisect_right(snap.cum, target) - 1, 0)
                return _from_us(snap.starts[j] + (target - snap.cum[j]), t.tzinfo)  # type: ignore[arg-type]
            snap = self._grow(snap, us, forward=False)
            target = snap.cum_at(us) + d
        raise InputError(
            f"calendar {self.name!r}: no {-duration} of open time within "
            f"{_MAX_EMPTY_YEARS} years before {t.isoformat()}"
        )

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Open time from ``a`` to ``b`` (business time elapsed); negative when ``b < a``."""
        ua, ub = _to_us(a, "a"), _to_us(b, "b")
        if ub < ua:
            return -self.between(b, a)
        snap = self._snap_for(ua, ub)
        return timedelta(microseconds=snap.cum_at(ub) - snap.cum_at(ua))

    def intervals(self, a: datetime, b: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The open intervals overlapping ``[a, b)``, clipped, in ``a``'s time zone."""
        ua, ub = _to_us(a, "a"), _to_us(b, "b")
        snap = self._snap_for(ua, max(ua, ub))
        i = max(bisect_right(snap.starts, ua) - 1, 0)
        tz = a.tzinfo
        while i < len(snap.starts) and snap.starts[i] < ub:
            s, e = max(snap.starts[i], ua), min(snap.ends[i], ub)
            if e > s:
                yield _from_us(s, tz), _from_us(e, tz)  # type: ignore[arg-type]
            i += 1

    def is_estimated(self, a: datetime, b: datetime | None = None) -> bool:
        """Does the span from ``a`` to ``b`` touch a year whose holidays are only estimated?"""
        ua = _to_us(a, "a")
        ub = _to_us(b, "b") if b is not None else ua
        ua, ub = min(ua, ub), max(ua, ub)
        snap = self._snap_for(ua, ub)
        zone = self.zone
        lo, hi = _from_us(ua, zone).year, _from_us(ub, zone).year
        return any(lo <= y <= hi for y in snap.estimated_years)


def _weekday_keys(key: str) -> list[int]:
    k = key.strip().lower()
    if k in ("daily", "all", "everyday", "mon-sun"):
        return list(range(7))
    if "-" in k:
        a, _, b = k.partition("-")
        if a in _WEEKDAYS and b in _WEEKDAYS:
            ia, ib = _WEEKDAYS.index(a), _WEEKDAYS.index(b)
            if ia <= ib:
                return list(range(ia, ib + 1))
    if k in _WEEKDAYS:
        return [_WEEKDAYS.index(k)]
    raise InputError(
        f"unknown weekday key {key!r}: use mon … sun, a range such as 'mon-fri', or 'daily'"
    )


@lru_cache(maxsize=32)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
