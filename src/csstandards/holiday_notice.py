"""Read the State Council's holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

Every year, usually in November or December, the General Office of the State Council publishes
the next year's schedule of public holidays and make-up working days (调休上班) as a short notice
of numbered items::

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。

:func:`parse_notice` turns the text as published into a :class:`HolidayNotice` (one
:class:`NoticeItem` per numbered item), and :meth:`HolidayNotice.schedule` into the
:class:`~csstandards.calendar.HolidaySchedule` the calendars use
(``HolidaySchedule.from_notice(text)`` does both).  :func:`schedule_to_toml` writes the schedule
in the TOML format of ``data/calendars/cn_2026.toml``.

The forms read are those of every notice since 2008:

* a rest block: ``A至B放假调休，共N天`` (also ``放假公休``, ``放假``, ``A—B``, ranges across
  months and years: ``2022年12月31日至2023年1月2日``), a single day ``A放假1天`` / ``A放假``,
  ``A放假，B（星期一）补休`` (the block runs from A to B), ``A放假，与周末连休`` (the weekend itself
  is not listed), ``不调休``;
* make-up working days: ``X（星期六）、Y（星期日）上班``;
* the older explanatory sentences (2008–2009) after ``其中``: ``为法定节假日``, ``照常公休``,
  ``公休日调至``;
* annotations in brackets after a date: the weekday (``星期六`` / ``周六``, checked against the
  date), the lunar date (``农历除夕``, ``农历正月初七``, ``即农历除夕至正月初六``), both
  (``农历腊月二十八、周日``);
* ``鼓励…`` sentences (an encouragement, e.g. to rest on 除夕) are kept as notes, not dates.

Anything else in an item raises :class:`~csstandards.errors.CalendarNoticeError` quoting the
item, so a change of wording is noticed instead of producing a wrong calendar.  The checks that
catch a misreading: a stated weekday must match its date, ``共N天`` must equal the block's length,
a make-up working day must fall on a weekend, and no date may be both a holiday and a working day.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, NoReturn

from pydantic import Field

from .errors import CalendarNoticeError
from .models import FrozenModel

if TYPE_CHECKING:  # pragma: no cover
    from .calendar import HolidaySchedule

__all__ = ["HolidayNotice", "NoticeItem", "parse_notice", "schedule_to_toml"]

_NUMERALS = "一二三四五六七八九十"
_ITEM = re.compile(rf"^([{_NUMERALS}]{{1,3}})、(.*)$")
_TITLE_YEAR = re.compile(r"关于(\d{4})年(?:部分)?节假日安排")
_PREAMBLE_YEAR = re.compile(r"现将(\d{4})年")
_END_OF_ITEMS = ("节假日期间", "鼓励单位", "国务院办公厅")
# a date: optional year, optional month, day; then an optional bracketed annotation
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^()]*)\))?")
_WEEKDAY = re.compile(r"(?:星期|周)([一二三四五六日天])")
_WEEKDAY_NUM = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_RANGE_SEP = re.compile(r"(?<=D)(?:—|–|-|~|至|到)+(?=D)")
_NAMES = {
    "五一国际劳动节": "劳动节",
    "国际劳动节": "劳动节",
    "五一": "劳动节",
    "十一": "国庆节",
}

# clause shapes, over the item text with every date replaced by ``D`` (``DS`` = D、D、…)
_DS = r"D(?:、D)*"
_LEAD = re.compile(r"^D(?:至D)?放假(?:调休|公休)?(?:(\d+)天)?$")
_COUNT = re.compile(r"^共(\d+)天$")
_MAKEUP_REST = re.compile(r"^D补休$")
_NO_CHANGE = re.compile(r"^(?:与周末连休|不调休)$")
_WORK = re.compile(rf"^{_DS}(?:照常)?上班$")
_EXPLAIN = (
    re.compile(rf"^{_DS}为\S*?法定节假日$"),
    re.compile(rf"^{_DS}为公休日?$"),
    re.compile(rf"^{_DS}照常公休$"),
    re.compile(rf"^将?{_DS}(?:两个|三个)?公休日?(?:及中秋节)?(?:分别)?调至{_DS}(?:公休)?$"),
)


class NoticeItem(FrozenModel):
    """One numbered item of a notice (一、元旦：…): the rest days and make-up working days it sets."""

    number: int = Field(description="1 for 一、, 2 for 二、 …")
    name: str = Field(description="the holiday name(s), e.g. 元旦 or 中秋节、国庆节")
    text: str = Field(description="the item as published")
    holidays: tuple[date, ...] = Field(description="rest days (放假), weekend days inside included")
    workdays: tuple[date, ...] = Field(default=(), description="make-up working days (调休上班)")
    notes: tuple[str, ...] = Field(default=(), description="sentences that set no date (鼓励…)")


class HolidayNotice(FrozenModel):
    """A parsed State Council holiday notice (节假日安排通知) for one year."""

    year: int
    title: str = ""
    items: tuple[NoticeItem, ...]

    @property
    def holidays(self) -> dict[date, str]:
        return {d: it.name for it in self.items for d in it.holidays}

    @property
    def workdays(self) -> dict[date, str]:
        return {d: f"{it.name} 调休上班" for it in self.items for d in it.workdays}

    def schedule(self, *, source: str = "") -> HolidaySchedule:
        """The :class:`~csstandards.calendar.HolidaySchedule` of this notice (not estimated)."""
        from .calendar import HolidaySchedule

        return HolidaySchedule(
            name="CN",
            years=(self.year,),
            holidays=self.holidays,
            workdays=self.workdays,
            source=source or self.title or f"国务院办公厅关于{self.year}年部分节假日安排的通知",
        )


def _numeral(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _NUMERALS.index(text[1]) + 1
    if len(text) == 2 and text.endswith("十"):
        return (_NUMERALS.index(text[0]) + 1) * 10
    return _NUMERALS.index(text[0]) + 1 if len(text) == 1 else 0


def _normalise(text: str) -> str:
    # full-width punctuation and digits → ASCII (（）：，；０-９); 、 and 。 are kept
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("“", "").replace("”", "").replace('"', "").replace("‘", "").replace("’", "")
    return re.sub(r"\s+", "", t)


def _find_year(lines: list[str], year: int | None) -> int:
    found = None
    for line in lines[:12]:
        m = _TITLE_YEAR.search(line) or _PREAMBLE_YEAR.search(line)
        if m:
            found = int(m.group(1))
            break
    if year is not None and found is not None and found != year:
        raise CalendarNoticeError(f"the notice is for {found}, not for the year {year} asked for")
    if year is None and found is None:
        raise CalendarNoticeError(
            "no year found (expected the title 关于YYYY年部分节假日安排的通知 or 现将YYYY年…); "
            "pass year= explicitly"
        )
    return year if year is not None else found  # type: ignore[return-value]


def _split_items(text: str) -> tuple[str, list[tuple[int, str]]]:
    lines = [ln.strip() for ln in text.splitlines()]
    title = next((ln for ln in lines if ln), "")
    items: list[tuple[int, str]] = []
    pending: int | None = None
    for raw in lines:
        if not raw:
            continue
        line = _normalise(raw)
        m = _ITEM.match(line)
        if m and _numeral(m.group(1)):
            items.append((_numeral(m.group(1)), raw))
            # "一、元旦：" with the body on the next line (as some reprints break it)
            pending = len(items) - 1 if re.fullmatch(r"[^\d]*[:：]?", m.group(2)) else None
            continue
        if pending is not None and not line.startswith(_END_OF_ITEMS):
            n, head = items[pending]
            items[pending] = (n, head + raw)
            pending = None
    return title, items


class _Date:
    __slots__ = ("day", "explicit_year", "note")

    def __init__(self, day: date, explicit_year: bool, note: str) -> None:
        self.day = day
        self.explicit_year = explicit_year
        self.note = note


def _dates(
    body: str, year: int, name: str, fail: Callable[[str], NoReturn]
) -> tuple[str, list[_Date]]:
    """Replace every date of ``body`` by ``D``; return the shape and the dates in order."""
    out: list[_Date] = []
    prev: tuple[int, int] | None = None  # (year, month) of the previous date

    def rep(m: re.Match[str]) -> str:
        nonlocal prev
        y_txt, mo_txt, d_txt, note = m.group(1), m.group(2), m.group(3), m.group(4) or ""
        if mo_txt is None:
            if prev is None:
                fail(f"the date {m.group(0)!r} has no month")
            y, mo = prev
        else:
            mo = int(mo_txt)
            if y_txt is not None:
                y = int(y_txt)
            elif mo == 12 and "元旦" in name:
                y = year - 1  # 元旦 blocks start in the December before
            else:
                y = year
        try:
            d = date(y, mo, int(d_txt))
        except ValueError:
            fail(f"{m.group(0)!r} is not a date of {y}")
        wd = _WEEKDAY.search(note)
        if wd and _WEEKDAY_NUM[wd.group(1)] != d.weekday():
            fail(f"{m.group(0)!r}: {d.isoformat()} is not a {wd.group(0)}")
        prev = (y, mo)
        out.append(_Date(d, y_txt is not None, note))
        return "D"

    shape = _DATE.sub(rep, body)
    shape = _RANGE_SEP.sub("至", shape)
    return shape, out


def _clauses(sentence: str) -> list[str]:
    # "4月4日(清明节),为法定节假日": a clause starting with 为 continues the dates before it
    s = re.sub(r"[,，]为", "为", sentence)
    return [c for c in re.split(r"[,;:，；：]", s) if c]


def _take(shape: str, dates: list[_Date], pos: int) -> tuple[list[_Date], int]:
    n = shape.count("D")
    return dates[pos : pos + n], pos + n


def _parse_item(number: int, raw: str, year: int) -> NoticeItem:
    text = _normalise(raw)

    def fail(problem: str) -> NoReturn:
        raise CalendarNoticeError(problem, item=raw, year=year)

    m = _ITEM.match(text)
    assert m is not None
    rest = m.group(2)
    cut = re.search(r"[:：]|\d", rest)
    if cut is None:
        fail("no dates in this item")
    assert cut is not None
    name = rest[: cut.start()].strip()
    body = rest[cut.end() :] if cut.group(0) in ":：" else rest[cut.start() :]
    name = _NAMES.get(name, name)
    if not name:
        fail("the item names no holiday before its dates")
    shape, dates = _dates(body, year, name, fail)
    sentences = [s for s in shape.split("。") if s]
    if not sentences:
        fail("the item is empty")
    pos = 0
    start: date | None = None
    end: date | None = None
    count: int | None = None
    work: list[date] = []
    explained: list[tuple[str, list[date]]] = []
    moved_from: list[date] = []
    notes: list[str] = []
    explaining = False
    # raw sentences (for notes) line up with the shaped ones
    raw_sentences = [s for s in text[len(m.group(1)) + 1 :].split("。") if s]
    for si, sentence in enumerate(sentences):
        if sentence.startswith("鼓励"):
            notes.append(raw_sentences[si] if si < len(raw_sentences) else sentence)
            _, pos = _take(sentence, dates, pos)
            continue
        for ci, clause in enumerate(_clauses(sentence)):
            if clause.startswith("其中"):
                explaining = True
                clause = clause[2:]
                if not clause:
                    continue
            got, pos = _take(clause, dates, pos)
            days = [g.day for g in got]
            if si == 0 and ci == 0:
                lm = _LEAD.match(clause)
                if lm is None:
                    fail(f"the first clause {clause!r} is not a rest block (…放假…)")
                assert lm is not None
                start, end = days[0], days[-1]
                if lm.group(1):
                    count = int(lm.group(1))
                continue
            if _WORK.match(clause):
                work.extend(days)
                continue
            if not explaining and si == 0:
                cm = _COUNT.match(clause)
                if cm:
                    count = int(cm.group(1))
                    continue
                if _MAKEUP_REST.match(clause):
                    end = days[0]
                    continue
                if _NO_CHANGE.match(clause):
                    continue
            if explaining and any(p.match(clause) for p in _EXPLAIN):
                if "调至" in clause:
                    k = clause.split("调至")[0].count("D")
                    moved_from.extend(days[:k])
                    explained.append((clause, days[k:]))
                else:
                    explained.append((clause, days))
                continue
            fail(f"cannot read {clause!r}")
    if start is None or end is None:  # pragma: no cover - the first clause always sets them
        fail("no rest block")
    assert start is not None and end is not None
    if end < start:
        fail(f"the block ends ({end.isoformat()}) before it starts ({start.isoformat()})")
    holidays = tuple(start + timedelta(days=i) for i in range((end - start).days + 1))
    if count is not None and count != len(holidays):
        fail(f"says {count} days but {start.isoformat()}–{end.isoformat()} is {len(holidays)}")
    span = set(holidays)
    for clause, days in explained:
        outside = [d.isoformat() for d in days if d not in span]
        if outside:
            fail(f"{clause!r} names {', '.join(outside)}, outside the block")
    for d in moved_from:
        if d not in span and d not in work:
            fail(f"the weekend day {d.isoformat()} is moved but neither rested nor worked")
    for d in work:
        if d.weekday() < 5:
            fail(f"the make-up working day {d.isoformat()} (上班) is not a Saturday or Sunday")
        if d in span:
            fail(f"{d.isoformat()} is both a rest day and a working day")
    return NoticeItem(
        number=number,
        name=name,
        text=raw,
        holidays=holidays,
        workdays=tuple(sorted(set(work))),
        notes=tuple(notes),
    )


def parse_notice(text: str, year: int | None = None) -> HolidayNotice:
    """Parse the text of a 国务院办公厅关于YYYY年部分节假日安排的通知 as published.

    ``year`` defaults to the year in the title (or in 现将YYYY年…); when both are there they must
    agree.  Raises :class:`~csstandards.errors.CalendarNoticeError` quoting the item it cannot
    read.
    """
    if not isinstance(text, str):
        raise CalendarNoticeError(f"the notice must be text, got {type(text).__name__}")
    title, raw_items = _split_items(text)
    y = _find_year([_normalise(ln) for ln in text.splitlines() if ln.strip()], year)
    if not raw_items:
        raise CalendarNoticeError("no numbered items (一、元旦：… 二、春节：…) found", year=y)
    numbers = [n for n, _ in raw_items]
    if numbers != list(range(1, len(numbers) + 1)):
        raise CalendarNoticeError(f"items are numbered {numbers}, expected 1, 2, 3 …", year=y)
    items = tuple(_parse_item(n, raw, y) for n, raw in raw_items)
    seen: dict[date, str] = {}
    for it in items:
        for d in (*it.holidays, *it.workdays):
            if d in seen:
                raise CalendarNoticeError(
                    f"{d.isoformat()} is set by both {seen[d]} and {it.name}", item=it.text, year=y
                )
            seen[d] = it.name
    for it in items:
        for d in (*it.holidays, *it.workdays):
            if d.year != y and not (d.year == y - 1 and d.month == 12):
                raise CalendarNoticeError(
                    f"{d.isoformat()} is outside {y} (only the December before may be moved)",
                    item=it.text,
                    year=y,
                )
    return HolidayNotice(year=y, title=_normalise(title) if title else "", items=items)


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def schedule_to_toml(schedule: HolidaySchedule, *, comment: Iterable[str] = ()) -> str:
    """The schedule as TOML text in the format ``HolidaySchedule.from_toml`` reads."""
    lines = [f"# {c}" for c in comment]
    if lines:
        lines.append("")
    if len(schedule.years) == 1:
        lines.append(f"year = {schedule.years[0]}")
    else:
        lines.append(f"years = [{', '.join(str(y) for y in schedule.years)}]")
    lines.append(f"name = {_toml_str(schedule.name)}")
    lines.append(f"source = {_toml_str(schedule.source)}")
    lines.append("")
    lines.append("[holidays]")
    lines.extend(f"{d.isoformat()} = {_toml_str(n)}" for d, n in sorted(schedule.holidays.items()))
    lines.append("")
    lines.append("[workdays]")
    lines.extend(f"{d.isoformat()} = {_toml_str(n)}" for d, n in sorted(schedule.workdays.items()))
    return "\n".join(lines) + "\n"
