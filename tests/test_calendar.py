"""Worked examples and edge cases of csstandards.calendar."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar
import holidays
import pytest

from csstandards.calendar import (
    DayInfo,
    DayKind,
    HolidaySchedule,
    Shift,
    WorkCalendar,
    cn_data_years,
    cn_schedule,
    estimated_cn_schedule,
)
from csstandards.errors import (
    CalendarDataMissing,
    EstimatedCalendarWarning,
    InputError,
    LexiconError,
    NaiveDatetimeError,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
DATA = Path(__file__).resolve().parents[1] / "src" / "csstandards" / "data" / "calendars"


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


@pytest.fixture(scope="module")
def office() -> WorkCalendar:
    return WorkCalendar.china_office_hours()


# ---------------------------------------------------------------- CN data


def test_sunday_2026_01_04_is_a_makeup_working_day(office: WorkCalendar) -> None:
    d = date(2026, 1, 4)
    assert d.weekday() == 6  # a Sunday
    info = office.day_info(d)
    assert info.kind is DayKind.MAKEUP_WORKDAY and "调休" in info.name
    assert office.is_open(sh(2026, 1, 4, 10, 0))
    assert not office.is_open(sh(2026, 1, 4, 12, 30))  # lunch break
    assert not office.is_open(sh(2026, 1, 3, 10, 0))  # 元旦 holiday (a Saturday)
    assert office.next_open(sh(2026, 1, 1, 8, 0)) == sh(2026, 1, 4, 9, 0)


def _disagreements() -> list[date]:
    """Days 2004–2026 on which chinesecalendar and holidays differ about working or not."""
    out = []
    for year in range(2004, 2027):
        hd = holidays.China(years=year)
        extra_work = set(getattr(hd, "weekend_workdays", set()))
        d = date(year, 1, 1)
        while d.year == year:
            h_work = (d.weekday() < 5 and d not in hd) or d in extra_work
            if chinese_calendar.is_workday(d) != h_work:
                out.append(d)
            d += timedelta(days=1)
    return out


def test_the_one_day_chinesecalendar_and_holidays_disagree() -> None:
    diff = _disagreements()
    assert diff == [date(2005, 12, 31)]
    # chinesecalendar says rest (an ordinary Saturday); the 2006 notice (国办发明电〔2005〕35号)
    # says 12月31日(星期六)上班, as holidays has it.  We follow the notice.
    assert not chinese_calendar.is_workday(date(2005, 12, 31))
    assert cn_schedule(2005).workdays[date(2005, 12, 31)].startswith("元旦 调休上班")
    cal = WorkCalendar.china_office_hours()
    assert cal.day_info(date(2005, 12, 31)).kind is DayKind.MAKEUP_WORKDAY
    assert cal.is_open(sh(2005, 12, 31, 10, 0))


def test_our_cn_days_agree_with_chinesecalendar_elsewhere() -> None:
    cal = WorkCalendar.china_office_hours()
    for year in (2008, 2015, 2020, 2024, 2026):
        d = date(year, 1, 1)
        while d.year == year:
            if d != date(2005, 12, 31):
                assert cal.day_info(d).open == chinese_calendar.is_workday(d), d
            d += timedelta(days=1)


def test_golden_week_is_skipped(office: WorkCalendar) -> None:
    t = sh(2026, 9, 30, 17, 0)  # one office hour left before 国庆
    assert office.add(t, timedelta(hours=2)) == sh(2026, 10, 8, 10, 0)
    assert office.between(t, sh(2026, 10, 8, 10, 0)) == timedelta(hours=2)
    # 2026-10-10 is a Saturday make-up working day
    assert office.is_open(sh(2026, 10, 10, 9, 0))


def test_lunch_break_and_interval_end(office: WorkCalendar) -> None:
    assert office.add(sh(2026, 3, 10, 11, 30), timedelta(hours=1)) == sh(2026, 3, 10, 14, 0)
    # a due time may fall exactly at an interval's end
    assert office.add(sh(2026, 3, 10, 11, 0), timedelta(hours=1)) == sh(2026, 3, 10, 12, 0)
    assert not office.is_open(sh(2026, 3, 10, 12, 0))  # intervals are half open
    assert office.add(sh(2026, 3, 10, 11, 0), timedelta(0)) == sh(2026, 3, 10, 11, 0)


def test_horizon_is_explicit() -> None:
    lo, hi = cn_data_years()
    assert lo == 2004 and hi >= 2026
    cal = WorkCalendar.china_office_hours()
    with pytest.raises(CalendarDataMissing) as exc:
        cal.is_open(datetime(hi + 1, 3, 3, 10, tzinfo=SH))
    assert exc.value.year == hi + 1
    assert str(hi + 1) in str(exc.value) and "HolidaySchedule.from_toml" in str(exc.value)
    # a due time crossing into the missing year raises too
    with pytest.raises(CalendarDataMissing):
        cal.add(datetime(hi, 12, 31, 17, tzinfo=SH), timedelta(hours=5))


def test_estimated_fallback_is_marked() -> None:
    cal = WorkCalendar.china_office_hours(on_missing="estimate")
    with pytest.warns(EstimatedCalendarWarning, match="202[78]"):  # never silent (#18)
        info = cal.day_info(date(2027, 2, 8))  # 春节 初三 (2027-02-06 is 初一)
        assert info.kind is DayKind.HOLIDAY and info.estimated
        assert cal.day_info(date(2027, 3, 3)).estimated
        t = sh(2026, 12, 31, 17, 0)
        due = cal.add(t, timedelta(hours=5))
        assert due == sh(2027, 1, 4, 14, 30)  # 2027-01-01 estimated 元旦, then the weekend
        assert cal.is_estimated(t, due)
    assert not cal.is_estimated(sh(2026, 3, 3, 9), sh(2026, 3, 4, 9))
    sched = estimated_cn_schedule(2027)
    assert sched.estimated and not sched.workdays
    assert len([d for d, n in sched.holidays.items() if n == "春节"]) == 4  # 除夕 to 初三


def test_lunar_table_matches_an_independent_computation() -> None:
    from csstandards.calendar import _lunar_table

    table = _lunar_table()
    assert sorted(table) == list(range(2027, 2036))
    names = {
        "spring_festival": "Spring Festival",
        "dragon_boat": "Dragon Boat",
        "mid_autumn": "Mid-Autumn",
    }
    for year, row in table.items():
        hd = holidays.China(years=year)
        for key, en in names.items():
            assert row[key] == min(d for d, n in hd.items() if en in n), (year, key)
        qingming = min(d for d, n in hd.items() if "Tomb-Sweeping" in n)
        assert estimated_cn_schedule(year).holidays[qingming] == "清明节"


def test_user_loaded_schedule_file_reproduces_the_2026_notice() -> None:
    sched = HolidaySchedule.from_toml(DATA / "cn_2026.toml")
    official = cn_schedule(2026)
    assert set(sched.holidays) == set(official.holidays)
    assert set(sched.workdays) == set(official.workdays)
    assert not sched.estimated


def test_a_new_year_notice_loaded_from_toml_wins_over_the_horizon() -> None:
    text = """
year = 2027
source = "test notice"
[holidays]
2027-01-01 = "元旦"
2027-01-02 = "元旦"
2027-01-03 = "元旦"
[workdays]
2027-01-09 = "调休上班"
"""
    sched = HolidaySchedule.from_toml_text(text)
    cal = WorkCalendar.china_office_hours().with_schedule(sched)
    assert cal.day_info(date(2027, 1, 9)).kind is DayKind.MAKEUP_WORKDAY
    assert not cal.day_info(date(2027, 1, 4)).estimated
    assert cal.add(sh(2026, 12, 31, 17), timedelta(hours=2)) == sh(2027, 1, 4, 10, 0)
    assert not cal.is_estimated(sh(2026, 12, 31, 17), sh(2027, 1, 4, 10))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("year = 2027\n[workdays]\n2027-01-05 = 'x'\n", "Saturday or Sunday"),
        ("[holidays]\n2027-01-01 = 'x'\n", "year"),
        ("year = 2027\n[holidays]\n2031-01-01 = 'x'\n", "outside"),
        ("year = 2027\n[holidays\n", "invalid TOML"),
        ("year = 2027\n[holidays]\nnot-a-date = 'x'\n", "invalid holiday schedule"),
    ],
)
def test_bad_schedule_files(text: str, problem: str) -> None:
    with pytest.raises(LexiconError, match=problem):
        HolidaySchedule.from_toml_text(text, source_file="cn_2027.toml")


# ---------------------------------------------------------------- calendar construction


def test_closures_and_extra_open_days_override() -> None:
    cal = WorkCalendar.custom(
        {"mon-fri": "09:00-18:00"},
        public_holidays="cn",
        closures=[date(2026, 3, 10)],
        extra_open_days=[date(2026, 3, 14), date(2026, 10, 2)],
    )
    assert cal.day_info(date(2026, 3, 10)).kind is DayKind.CLOSURE
    assert cal.day_info(date(2026, 3, 14)).kind is DayKind.EXTRA_OPEN
    assert cal.day_info(date(2026, 10, 2)).kind is DayKind.EXTRA_OPEN  # beats 国庆
    assert cal.add(datetime(2026, 3, 9, 17, tzinfo=SH), timedelta(hours=2)) == datetime(
        2026, 3, 11, 10, tzinfo=SH
    )


def test_overnight_shift_belongs_to_its_start_day() -> None:
    cal = WorkCalendar.custom({"mon-fri": "22:00-06:00"})
    assert cal.is_open(sh(2026, 3, 7, 5, 0))  # Saturday 05:00: Friday's night shift
    assert not cal.is_open(sh(2026, 3, 7, 23, 0))
    assert cal.add(sh(2026, 3, 6, 23, 0), timedelta(hours=8)) == sh(2026, 3, 9, 23, 0)
    assert cal.between(sh(2026, 3, 6, 0, 0), sh(2026, 3, 7, 12, 0)) == timedelta(
        hours=6 + 8
    )  # Thursday's shift until 06:00, Friday's


def test_twenty_four_seven_is_plain_clock_time() -> None:
    cal = WorkCalendar.twenty_four_seven()
    t = sh(2026, 2, 17, 3, 4, 5)
    assert cal.add(t, timedelta(hours=49, microseconds=7)) == t + timedelta(
        hours=49, microseconds=7
    )
    assert cal.is_open(t)


def test_results_keep_the_callers_time_zone(office: WorkCalendar) -> None:
    t = datetime(2026, 3, 10, 1, 0, tzinfo=dt.timezone.utc)  # 09:00 in Shanghai
    due = office.add(t, timedelta(hours=1))
    assert due.tzinfo is dt.timezone.utc and due == sh(2026, 3, 10, 10, 0)


def test_intervals_listing(office: WorkCalendar) -> None:
    got = list(office.intervals(sh(2026, 3, 10, 10, 0), sh(2026, 3, 11, 10, 0)))
    assert got == [
        (sh(2026, 3, 10, 10), sh(2026, 3, 10, 12)),
        (sh(2026, 3, 10, 13, 30), sh(2026, 3, 10, 18)),
        (sh(2026, 3, 11, 9), sh(2026, 3, 11, 10)),
    ]


def test_negative_add_counts_backwards(office: WorkCalendar) -> None:
    t = sh(2026, 10, 8, 10, 0)
    assert office.add(t, -timedelta(hours=2)) == sh(2026, 9, 30, 17, 0)
    assert office.between(t, sh(2026, 9, 30, 17)) == -timedelta(hours=2)


# ---------------------------------------------------------------- DST


def test_dst_spring_forward_day_is_23_hours() -> None:
    cal = WorkCalendar.twenty_four_seven("Europe/Berlin")
    a = datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN)
    assert cal.between(a, datetime(2026, 3, 30, 0, 0, tzinfo=BERLIN)) == timedelta(hours=23)
    autumn = datetime(2026, 10, 25, 0, 0, tzinfo=BERLIN)
    assert cal.between(autumn, autumn + timedelta(days=1)) == timedelta(hours=25)


def test_dst_inside_a_shift_and_across_days() -> None:
    cal = WorkCalendar.custom({"daily": ["01:00-04:00", "09:00-18:00"]}, timezone="Europe/Berlin")
    day = datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN)
    # 01:00 CET → 04:00 CEST is two real hours
    assert cal.between(day, day.replace(hour=5)) == timedelta(hours=2)
    # Saturday 17:00 + 2 h: 1 h on Saturday, 1 h from Sunday 01:00 CET → 03:00 CEST
    due = cal.add(datetime(2026, 3, 28, 17, tzinfo=BERLIN), timedelta(hours=2))
    assert due == datetime(2026, 3, 29, 3, tzinfo=BERLIN)
    assert due.utcoffset() == timedelta(hours=2)
    # + 4 h: 1 h Saturday, the short night shift gives 2 h, 1 h from 09:00
    due2 = cal.add(datetime(2026, 3, 28, 17, tzinfo=BERLIN), timedelta(hours=4))
    assert due2 == datetime(2026, 3, 29, 10, 0, tzinfo=BERLIN)


# ---------------------------------------------------------------- errors and serialisation


def test_naive_datetimes_are_refused(office: WorkCalendar) -> None:
    naive = datetime(2026, 3, 10, 10, 0)
    for call in (
        lambda: office.is_open(naive),
        lambda: office.next_open(naive),
        lambda: office.add(naive, timedelta(hours=1)),
        lambda: office.between(naive, sh(2026, 3, 11)),
        lambda: office.between(sh(2026, 3, 11), naive),
    ):
        with pytest.raises(NaiveDatetimeError, match="timezone-aware"):
            call()


@pytest.mark.parametrize(
    ("hours", "match"),
    [
        ({"mon": "9-18"}, "expected a time"),
        ({"mon": "09:00"}, "must look like"),
        ({"funday": "09:00-18:00"}, "unknown weekday"),
        ({"mon": "09:00-25:00"}, "not a time of day"),
        ({"mon": "24:00-02:00"}, "cannot start at 24:00"),
    ],
)
def test_bad_hours(hours: dict[str, str], match: str) -> None:
    with pytest.raises(InputError, match=match):
        WorkCalendar.custom(hours)


def test_unknown_time_zone() -> None:
    with pytest.raises(InputError, match="unknown time zone"):
        WorkCalendar.custom({"daily": "00:00-24:00"}, timezone="Mars/Olympus")


def test_empty_calendar_is_an_error_not_a_hang() -> None:
    cal = WorkCalendar.custom({})
    with pytest.raises(InputError, match=r"no .*open time"):
        cal.add(sh(2026, 1, 1), timedelta(hours=1))
    with pytest.raises(InputError, match="no open time"):
        cal.next_open(sh(2026, 1, 1))


def test_json_round_trip(office: WorkCalendar) -> None:
    office.add(sh(2026, 3, 3, 9), timedelta(hours=1))  # warm the lazy cache
    cal = office.with_schedule(HolidaySchedule.from_toml(DATA / "cn_2026.toml")).model_copy(
        update={"closures": frozenset({date(2026, 3, 3)})}
    )
    again = WorkCalendar.model_validate_json(cal.model_dump_json())
    assert again == cal
    info = office.day_info(date(2026, 1, 4))
    assert DayInfo.model_validate_json(info.model_dump_json()) == info
    assert str(Shift.parse("22:00-06:00")) == "22:00-06:00"


def test_with_schedule_gets_a_fresh_cache(office: WorkCalendar) -> None:
    office.is_open(sh(2026, 1, 9, 10))
    closed = HolidaySchedule(years=(2026,), holidays={date(2026, 1, 9): "公司年会"})
    assert not office.with_schedule(closed).is_open(sh(2026, 1, 9, 10))
    assert office.is_open(sh(2026, 1, 9, 10))


def test_concurrent_use_of_a_fresh_calendar_gives_the_same_answers() -> None:
    from concurrent.futures import ThreadPoolExecutor

    jobs = [
        (datetime(y, m, 28, 17, tzinfo=SH), timedelta(hours=h))
        for y in (2019, 2021, 2023, 2025)
        for m in (1, 6, 12)
        for h in (1, 30, 400)
    ]
    expected = [WorkCalendar.china_office_hours().add(t, d) for t, d in jobs]
    shared = WorkCalendar.china_office_hours()  # lays out years lazily, from several threads
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda job: shared.add(*job), jobs))
    assert got == expected
    assert all(shared.between(t, g) == d for (t, d), g in zip(jobs, got, strict=True))


def test_negative_add_across_a_year_boundary() -> None:
    cal = WorkCalendar.china_office_hours()
    t = sh(2025, 1, 2, 10, 0)  # 2025-01-01 元旦 is closed
    back = cal.add(t, -timedelta(hours=3))
    assert back == sh(2024, 12, 31, 16, 0)
    assert cal.between(back, t) == timedelta(hours=3)
