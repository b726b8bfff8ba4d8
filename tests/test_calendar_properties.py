"""Hypothesis properties of calendar arithmetic over random calendars and times.

The oracle (``_reference_open``/``_reference_between``) rebuilds open time from ``day_info``
day by day, independently of the calendar's cumulative timeline.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csstandards.calendar import Shift, WorkCalendar

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"]
US = timedelta(microseconds=1)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def shifts(draw: st.DrawFn) -> Shift:
    start = draw(st.integers(0, 95)) * 900
    length = draw(st.integers(1, 48)) * 900 + draw(st.sampled_from([0, 0, 37]))
    return Shift(start=start, end=start + length)


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    week = []
    for _ in range(7):
        week.append(tuple(sorted(draw(st.lists(shifts(), max_size=2)), key=lambda s: s.start)))
    weekly = sum(s.end - s.start for day in week for s in day)
    if weekly < 9 * 3600:  # keep due times within a few months: at least 9 open hours a week
        week[0] = (*week[0], Shift(start=9 * 3600, end=18 * 3600))
    days = st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31))
    return WorkCalendar(
        name="random",
        timezone=draw(st.sampled_from(ZONES)),
        week=tuple(week),
        public_holidays=draw(st.sampled_from(["none", "cn"])),
        closures=frozenset(draw(st.lists(days, max_size=5))),
        extra_open_days=frozenset(draw(st.lists(days, max_size=3))),
        on_missing="estimate",
    )


times = st.builds(
    lambda d, s, us, z: (
        datetime.combine(d, datetime.min.time(), tzinfo=ZoneInfo(z))
        + timedelta(seconds=s, microseconds=us)
    ),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31)),
    st.integers(0, 86_399),
    st.integers(0, 999_999),
    st.sampled_from(ZONES),
)
durations = st.builds(
    lambda s, us: timedelta(seconds=s, microseconds=us),
    st.integers(0, 3 * 86_400),
    st.integers(0, 999_999),
)

_CAL_CACHE: dict[str, WorkCalendar] = {}


def _reference_intervals(cal: WorkCalendar, a: datetime, b: datetime) -> list[tuple[int, int]]:
    """Open intervals as UTC µs from day_info, day by day (no timeline, no merging)."""
    zone = cal.zone
    d = a.astimezone(zone).date() - timedelta(days=1)
    last = b.astimezone(zone).date()
    out = []
    while d <= last:
        midnight = datetime(d.year, d.month, d.day, tzinfo=zone)
        for s in cal.day_info(d).shifts:
            lo = midnight + timedelta(seconds=s.start)
            hi = midnight + timedelta(seconds=s.end)
            out.append((_us(lo), _us(hi)))
        d += timedelta(days=1)
    return out


def _us(t: datetime) -> int:
    return (t - datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC"))) // US


def _reference_open(cal: WorkCalendar, t: datetime) -> bool:
    u = _us(t)
    return any(lo <= u < hi for lo, hi in _reference_intervals(cal, t, t))


def _reference_between(cal: WorkCalendar, a: datetime, b: datetime) -> timedelta:
    ua, ub = _us(a), _us(b)
    covered: list[tuple[int, int]] = []
    for lo, hi in sorted(_reference_intervals(cal, a, b)):
        lo, hi = max(lo, ua), min(hi, ub)
        if hi <= lo:
            continue
        if covered and lo <= covered[-1][1]:
            covered[-1] = (covered[-1][0], max(hi, covered[-1][1]))
        else:
            covered.append((lo, hi))
    return timedelta(microseconds=sum(hi - lo for lo, hi in covered))


@SETTINGS
@given(calendars(), times, durations)
def test_between_inverts_add(cal: WorkCalendar, t: datetime, d: timedelta) -> None:
    assert cal.between(t, cal.add(t, d)) == d


@SETTINGS
@given(calendars(), times, durations, durations)
def test_add_is_monotonic_and_additive(
    cal: WorkCalendar, t: datetime, a: timedelta, b: timedelta
) -> None:
    lo, hi = sorted((a, b))
    assert cal.add(t, lo) <= cal.add(t, hi)
    assert cal.add(cal.add(t, a), b) == cal.add(t, a + b)
    assert cal.add(t, a) >= t


@SETTINGS
@given(calendars(), times, durations)
def test_due_times_fall_in_open_time_or_at_an_interval_end(
    cal: WorkCalendar, t: datetime, d: timedelta
) -> None:
    d = d + US  # strictly positive
    r = cal.add(t, d)
    assert cal.is_open(r) or cal.is_open(r - US)
    assert _reference_open(cal, r) or _reference_open(cal, r - US)
    assert cal.is_open(r) == _reference_open(cal, r)


@SETTINGS
@given(calendars(), times, st.integers(0, 6 * 86_400))
def test_between_matches_a_day_by_day_oracle(cal: WorkCalendar, a: datetime, secs: int) -> None:
    b = a + timedelta(seconds=secs)
    assert cal.between(a, b) == _reference_between(cal, a, b)
    assert cal.is_open(a) == _reference_open(cal, a)
    n = cal.next_open(a)
    assert n >= a and cal.is_open(n)
    assert cal.between(a, n) == timedelta(0)


@SETTINGS
@given(calendars(), times, times, times)
def test_between_is_additive(cal: WorkCalendar, a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    assert cal.between(a, b) + cal.between(b, c) == cal.between(a, c)
    assert cal.between(c, a) == -cal.between(a, c)
