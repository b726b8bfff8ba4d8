"""The State Council holiday-notice parser (holiday_notice.py) against every notice since 2008.

Each tests/data/notices/YYYY.txt is compared day by day with chinesecalendar, the official data
the library already uses (tests/data/notices/README.md says where each text came from).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from chinese_calendar import constants
from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards.calendar import _CN_NAMES, HolidaySchedule, WorkCalendar, cn_data_years
from csstandards.errors import CalendarNoticeError, CSStandardsError, InputError
from csstandards.holiday_notice import parse_notice, schedule_to_toml

NOTICES = Path(__file__).parent / "data" / "notices"
YEARS = sorted(int(p.stem) for p in NOTICES.glob("*.txt"))

# Dates whose status comes from a *later* notice, not from the year's 部分节假日安排 notice:
#  2015: 国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知
#        (9月3日至5日调休放假, 9月6日 上班);
#  2019: 国务院办公厅关于调整2019年劳动节假期安排的通知 (5月1日至4日, 4月28日、5月5日 上班);
#  2020: 国务院办公厅关于延长2020年春节假期的通知 (延长至2月2日; 2月1日 no longer 上班).
LATER_NOTICES: dict[int, set[date]] = {
    2015: {date(2015, 9, 3), date(2015, 9, 4), date(2015, 9, 6)},
    2019: {date(2019, 4, 28), *(date(2019, 5, d) for d in range(1, 6))},
    2020: {date(2020, 1, 31), date(2020, 2, 1), date(2020, 2, 2)},
}
# Weekend days inside a notice's rest block that chinesecalendar does not list as holidays (it
# lists most such days, e.g. 2014-04-06, but not these); they are rest days either way.
CC_UNLISTED_WEEKEND_DAYS = {date(2011, 6, 5), date(2012, 6, 23), date(2015, 6, 21)}


def _notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def _off(d: date, holidays: object, workdays: object) -> bool:
    """A rest day for a Monday–Friday office: a holiday, or a weekend day that is not 调休上班."""
    return d in holidays or (d.weekday() >= 5 and d not in workdays)  # type: ignore[operator]


def test_every_notice_year_since_2008_is_present() -> None:
    lo, hi = cn_data_years()
    assert list(range(2008, hi + 1)) == YEARS
    assert lo <= 2008


@pytest.mark.parametrize("year", YEARS)
def test_notice_reproduces_the_official_schedule_day_by_day(year: int) -> None:
    n = parse_notice(_notice(year))
    assert n.year == year
    later = LATER_NOTICES.get(year, set())
    hol, work = n.holidays, n.workdays
    if year + 1 in YEARS:  # the next notice may set the last days of December (元旦 blocks)
        nxt = parse_notice(_notice(year + 1))
        hol = {**hol, **{d: v for d, v in nxt.holidays.items() if d.year == year}}
        work = {**work, **{d: v for d, v in nxt.workdays.items() if d.year == year}}
    d = date(year, 1, 1)
    while d.year == year:
        if d not in later:
            assert _off(d, hol, work) == _off(d, constants.holidays, constants.workdays), d
            assert (d in work) == (d in constants.workdays), d
            if d.weekday() < 5:
                assert (d in hol) == (d in constants.holidays), d
        d += timedelta(days=1)
    # every date the notice sets, also those in the December before, agrees with the data
    for day in hol:
        if day not in later:
            assert day in constants.holidays or day in CC_UNLISTED_WEEKEND_DAYS, day
    for day in work:
        if day not in later:
            assert day in constants.workdays, day


@pytest.mark.parametrize("year", YEARS)
def test_notice_names_match_the_official_names(year: int) -> None:
    n = parse_notice(_notice(year))
    later = LATER_NOTICES.get(year, set())
    for it in n.items:
        names = set(it.name.split("、"))
        for d in it.holidays:
            if d in constants.holidays and d not in later:
                assert _CN_NAMES[str(constants.holidays[d])] in names, (d, it.name)


def test_later_notices_are_the_only_disagreements() -> None:
    # the days excluded above really do differ: the exclusion hides nothing else
    for year, days in LATER_NOTICES.items():
        n = parse_notice(_notice(year))
        assert any(
            _off(d, n.holidays, n.workdays) != _off(d, constants.holidays, constants.workdays)
            or (d in n.workdays) != (d in constants.workdays)
            for d in days
        ), year
    for d in CC_UNLISTED_WEEKEND_DAYS:
        assert d.weekday() >= 5 and d not in constants.holidays
        assert d in parse_notice(_notice(d.year)).holidays


def test_from_notice_gives_the_schedule_the_calendar_uses() -> None:
    s = HolidaySchedule.from_notice(_notice(2026))
    assert s.years == (2026,) and not s.estimated
    assert s.holidays[date(2026, 2, 15)] == "春节"
    assert s.workdays[date(2026, 2, 14)] == "春节 调休上班"
    assert "2026" in s.source
    official = WorkCalendar.china_office_hours()
    from_notice = WorkCalendar.custom(
        {"mon-fri": ["09:00-12:00", "13:30-18:00"]}, schedules=[s], public_holidays="cn"
    )
    d = date(2026, 1, 1)
    while d.year == 2026:
        assert from_notice.day_info(d).open == official.day_info(d).open, d
        d += timedelta(days=1)


def test_older_forms_cross_year_and_explanatory_sentences() -> None:
    n = parse_notice(_notice(2008))
    yuandan = n.items[0]
    assert yuandan.holidays == (date(2007, 12, 30), date(2007, 12, 31), date(2008, 1, 1))
    assert yuandan.workdays == (date(2007, 12, 29),)
    assert n.items[3].name == "劳动节"  # “五一”国际劳动节
    spring = parse_notice(_notice(2009)).items[1]
    assert spring.workdays == (date(2009, 1, 24), date(2009, 2, 1))
    assert len(spring.holidays) == 7


def test_bu_xiu_and_weekend_forms() -> None:
    n = parse_notice(_notice(2014))
    assert n.items[2].holidays == (date(2014, 4, 5), date(2014, 4, 6), date(2014, 4, 7))  # 补休
    assert n.items[4].holidays == (date(2014, 6, 2),)  # 与周末连休: the weekend is not listed
    assert n.items[0].holidays == (date(2014, 1, 1),)  # 放假1天


def test_lunar_and_weekday_annotations_and_notes() -> None:
    n = parse_notice(_notice(2025))
    assert n.items[1].holidays[0] == date(2025, 1, 28)  # 1月28日（农历除夕、周二）
    assert len(n.items[1].holidays) == 8
    spring_2024 = parse_notice(_notice(2024)).items[1]
    assert spring_2024.notes and spring_2024.notes[0].startswith("鼓励")
    assert date(2024, 2, 9) not in spring_2024.holidays  # 除夕 is only encouraged


def test_year_argument_and_mismatch() -> None:
    body = "一、元旦：1月1日放假，与周末连休。\n"
    assert parse_notice(body, year=2028).items[0].holidays == (date(2028, 1, 1),)
    with pytest.raises(CalendarNoticeError, match="no year"):
        parse_notice(body)
    with pytest.raises(CalendarNoticeError, match="not for the year 2030"):
        parse_notice(_notice(2026), year=2030)


CHANGED_WORDINGS = [
    # (line replacing item 一 of the 2026 notice, what the error must say)
    ("一、元旦：1月1日（周四）至3日（周六）休息，共3天。1月4日（周日）上班。", "not a rest block"),
    ("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）补班。", "补班"),
    ("一、元旦：1月1日（周五）至3日（周六）放假调休，共3天。1月4日（周日）上班。", "not a 周五"),
    ("一、元旦：1月1日（周四）至3日（周六）放假调休，共4天。1月4日（周日）上班。", "says 4 days"),
    (
        "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月5日（周一）上班。",
        "not a Saturday",
    ),
    ("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月3日（周六）上班。", "both a rest"),
]


@pytest.mark.parametrize(("line", "problem"), CHANGED_WORDINGS)
def test_changed_wording_names_the_item(line: str, problem: str) -> None:
    text = _notice(2026).replace(_notice(2026).splitlines()[4], line)
    with pytest.raises(CalendarNoticeError) as info:
        parse_notice(text)
    msg = str(info.value)
    assert problem in msg
    assert f"«{line}»" in msg  # quotes the item as published
    assert info.value.item == line and info.value.year == 2026
    assert isinstance(info.value, InputError) and isinstance(info.value, CSStandardsError)


def test_notice_without_items_or_with_a_gap() -> None:
    with pytest.raises(CalendarNoticeError, match="no numbered items"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n经国务院批准……")
    text = _notice(2026).replace("二、春节", "三、春节", 1)
    with pytest.raises(CalendarNoticeError, match="numbered"):
        parse_notice(text)


def test_a_date_set_twice_is_an_error() -> None:
    text = _notice(2026).replace("6月19日（周五）至21日（周日）", "5月1日（周五）至3日（周日）")
    with pytest.raises(CalendarNoticeError, match="set by both"):
        parse_notice(text)


@pytest.mark.parametrize("year", [2008, 2019, 2023, 2026])
def test_toml_round_trip(year: int, tmp_path: Path) -> None:
    s = HolidaySchedule.from_notice(_notice(year))
    text = schedule_to_toml(s, comment=["from the notice"])
    assert text.startswith("# from the notice")
    back = HolidaySchedule.from_toml_text(text)
    assert back.holidays == s.holidays and back.workdays == s.workdays
    assert back.years == s.years and back.source == s.source
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    assert HolidaySchedule.from_toml(path).holidays == s.holidays


def test_shipped_2026_toml_matches_the_notice() -> None:
    from importlib import resources

    shipped = HolidaySchedule.from_toml_text(
        resources.files("csstandards").joinpath("data/calendars/cn_2026.toml").read_text("utf-8")
    )
    parsed = HolidaySchedule.from_notice(_notice(2026))
    assert shipped.holidays.keys() == parsed.holidays.keys()
    assert shipped.workdays.keys() == parsed.workdays.keys()


def test_notice_models_round_trip_through_json() -> None:
    from csstandards.holiday_notice import HolidayNotice

    n = parse_notice(_notice(2024))
    assert HolidayNotice.model_validate_json(n.model_dump_json()) == n


_WD_ZH = "一二三四五六日"


def _render(d: date, style: int, with_year: bool) -> str:
    y = f"{d.year}年" if with_year else ""
    wd = ("星期" if style == 0 else "周") + _WD_ZH[d.weekday()]
    return f"{y}{d.month}月{d.day}日（{wd}）"


@st.composite
def _notices(draw: st.DrawFn) -> tuple[int, list[tuple[list[date], list[date]]], str]:
    """A notice in the published format from random blocks; returns the expected dates too."""
    year = draw(st.integers(2030, 2090))
    starts = sorted(draw(st.sets(st.integers(1, 330), min_size=1, max_size=6)).union({1}))
    items: list[tuple[list[date], list[date]]] = []
    taken: set[date] = set()
    lines = [f"国务院办公厅关于{year}年部分节假日安排的通知", "经国务院批准，现将……通知如下。"]
    for s in starts:
        first = date(year, 1, 1) + timedelta(days=s - 1)
        length = draw(st.integers(1, 9))
        block = [first + timedelta(days=k) for k in range(length)]
        if any(d in taken or d.year != year for d in block) or any(
            d - timedelta(days=1) in taken for d in block[:1]
        ):
            continue
        taken.update(block)
        cands = [
            first + timedelta(days=k)
            for k in range(-12, length + 12)
            if (first + timedelta(days=k)).weekday() >= 5
        ]
        work = sorted(
            d
            for d in draw(st.sets(st.sampled_from(cands), max_size=2))
            if d not in taken and d.year == year
        )
        taken.update(work)
        style = draw(st.integers(0, 1))
        sep = draw(st.sampled_from(["至", "—"]))
        a = _render(block[0], style, with_year=False)
        if len(block) == 1:
            rest = f"{a}放假1天" if draw(st.booleans()) else f"{a}放假，共1天"
        else:
            b_date = block[-1]
            b = (
                f"{b_date.day}日（{('星期' if style == 0 else '周') + _WD_ZH[b_date.weekday()]}）"
                if b_date.month == block[0].month and draw(st.booleans())
                else _render(b_date, style, with_year=False)
            )
            rest = f"{a}{sep}{b}放假调休，共{len(block)}天"
        sentence = f"{rest}。"
        if work:
            sentence += "、".join(_render(d, style, with_year=False) for d in work) + "上班。"
        # no 元旦: the December dates of a 元旦 item belong to the year before
        name = draw(st.sampled_from(["春节", "清明节", "劳动节", "端午节", "中秋节、国庆节"]))
        lines.append(f"{'一二三四五六七八九十'[len(items)]}、{name}：{sentence}")
        items.append((block, work))
        if len(items) == 10:
            break
    lines.append("节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。")
    return year, items, "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(_notices())
def test_property_rendered_notices_parse_back(case: tuple[int, list, str]) -> None:
    year, items, text = case
    n = parse_notice(text)
    assert n.year == year and len(n.items) == len(items)
    for it, (block, work) in zip(n.items, items, strict=True):
        assert list(it.holidays) == block
        assert list(it.workdays) == work
