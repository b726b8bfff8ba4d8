"""Exceptions raised by csstandards.

Every exception derives from :class:`CSStandardsError`, so callers can catch the whole family
with one ``except``.  Messages are English, with the Chinese term beside it where one exists,
and say *what* was wrong and *where* (file, key, row, field, stage …) and, where possible, what
to do about it.  Subclasses that are also about a bad argument derive from :class:`ValueError`
too, so code written against the standard library's conventions keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CSStandardsError",
    "CalendarDataMissing",
    "CalendarNoticeError",
    "ConfigError",
    "EstimatedCalendarWarning",
    "EventOrderError",
    "InputError",
    "LexiconError",
    "NaiveDatetimeError",
    "NonexistentTimeError",
    "PolicyError",
    "RecordError",
    "RowTimeoutError",
    "RuleNotFound",
    "TemplateFileError",
    "TemplateLimitError",
    "TimeRangeError",
    "WorkflowError",
]


class CSStandardsError(Exception):
    """Base class of every error raised by csstandards."""


class InputError(CSStandardsError, ValueError):
    """An argument or input value is not acceptable (wrong type, out of range, empty …)."""


class NaiveDatetimeError(InputError):
    """A datetime without a time zone was given where an aware one is required."""

    def __init__(self, what: str, value: object) -> None:
        self.what = what
        self.value = value
        super().__init__(
            f"{what} must be a timezone-aware datetime (带时区的时间), got naive {value!r}; "
            "attach a zone, e.g. dt.replace(tzinfo=ZoneInfo('Asia/Shanghai'))"
        )


class NonexistentTimeError(InputError):
    """A local wall time that its zone skips (the spring-forward gap of daylight saving time,
    夏令时跳过的时间): it names no instant, so the library refuses it rather than guess one."""

    def __init__(self, what: str, value: object, suggestion: str = "") -> None:
        self.what = what
        self.value = value
        hint = f"; the same clock reading after the change is {suggestion}" if suggestion else ""
        super().__init__(
            f"{what} {value} does not exist in its time zone (the clocks skip it at a "
            f"daylight-saving change, 夏令时跳过的时间){hint}; give the time with an explicit "
            "UTC offset or a wall time that exists"
        )


class TimeRangeError(InputError):
    """A time lies too close to the limits of :class:`datetime.datetime` (years 1 and 9999) for
    the library to compute with it (超出可计算的时间范围)."""

    def __init__(self, what: str, value: object, problem: str = "") -> None:
        self.what = what
        self.value = value
        extra = f": {problem}" if problem else ""
        super().__init__(
            f"{what} {value} is outside the range of times the library can compute with "
            f"(超出可计算的时间范围){extra}"
        )


class LexiconError(CSStandardsError):
    """A lexicon data file (or a user-supplied phrase list) is malformed."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}" + (f", key {key!r}" if key else "")
        super().__init__(f"lexicon {where}: {problem}")


class ConfigError(CSStandardsError):
    """Configuration (a Standard, pyproject.toml [tool.csstandards], .csstandards.toml) is invalid."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        where = f"{source}" + (f", key {key!r}" if key else "")
        super().__init__(f"configuration {where}: {problem}")


class RuleNotFound(CSStandardsError, KeyError):
    """No rule with the given id or code is registered."""

    def __init__(self, rule: str, known: Iterable[str] = ()) -> None:
        self.rule = rule
        known = sorted(known)
        hint = ""
        if known:
            close = [k for k in known if rule.split(".")[-1] in k][:5]
            hint = f"; did you mean {', '.join(close)}?" if close else f"; {len(known)} known"
        super().__init__(f"no rule {rule!r} (规则不存在){hint}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class CalendarDataMissing(CSStandardsError):
    """A date falls in a year for which no official holiday schedule (法定节假日安排) is loaded."""

    def __init__(self, year: int, calendar: str = "CN") -> None:
        self.year = year
        self.calendar = calendar
        super().__init__(
            f"no official public-holiday schedule (法定节假日安排) for {calendar} {year}: "
            "load the State Council notice for that year with "
            "HolidaySchedule.from_toml(path) / WorkCalendar.with_schedule(...), or opt in to an "
            "estimate with on_missing='estimate' (results are then marked estimated)"
        )


class CalendarNoticeError(InputError):
    """A State Council holiday notice (国务院办公厅关于…部分节假日安排的通知) cannot be read.

    ``item`` is the text of the numbered item (一、二、…) that failed, or ``""`` when the notice
    as a whole is wrong (no year, no items); ``problem`` says what did not fit.
    """

    def __init__(self, problem: str, item: str = "", year: int | None = None) -> None:
        self.problem = problem
        self.item = item
        self.year = year
        notice = f"the {year} holiday notice" if year else "the holiday notice"
        where = f" in item «{item}»" if item else ""
        super().__init__(
            f"cannot read {notice} (节假日安排通知){where}: {problem}; if the State Council "
            "changed its wording, write the schedule TOML by hand (see docs/sla.md)"
        )


class EstimatedCalendarWarning(UserWarning):
    """A result was computed on a year whose public holidays are only estimated (no official
    notice loaded: statutory days, no 调休).  Turn it into an error in a test suite with
    ``-W error::csstandards.errors.EstimatedCalendarWarning`` or
    ``warnings.simplefilter("error", EstimatedCalendarWarning)``."""

    def __init__(self, year: int, what: str = "CN public holidays") -> None:
        self.year = year
        self.what = what
        super().__init__(
            f"{what} for {year} are an estimate (估算, no 调休): no official notice is loaded; "
            f"import the {year} notice with `csstandards calendar import` and list the file in "
            "[tool.csstandards] holidays"
        )


class PolicyError(CSStandardsError, ValueError):
    """An SLA policy or commitment target is inconsistent (no default, unknown metric …)."""


class EventOrderError(CSStandardsError, ValueError):
    """An event log is inconsistent: out of order, resume without pause, reply before open …"""

    def __init__(self, index: int, problem: str) -> None:
        self.index = index
        self.problem = problem
        super().__init__(f"event #{index}: {problem}")


class WorkflowError(CSStandardsError):
    """An event is not allowed in the current stage of a workflow (流程状态不允许该事件)."""

    def __init__(self, stage: str, event: str, allowed: Iterable[str], reason: str = "") -> None:
        self.stage = stage
        self.event = event
        self.allowed = tuple(allowed)
        self.reason = reason
        allowed_text = ", ".join(self.allowed) or "none"
        extra = f": {reason}" if reason else ""
        super().__init__(
            f"event {event!r} is not allowed in stage {stage!r}{extra}; allowed: {allowed_text}"
        )


class RecordError(CSStandardsError, ValueError):
    """One input record (row) of a batch job is unusable; batch mode reports it and goes on."""

    def __init__(self, row: int | None, field: str | None, problem: str) -> None:
        self.row = row
        self.field = field
        self.problem = problem
        where = []
        if row is not None:
            where.append(f"row {row}")
        if field:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {problem}" if prefix else problem)


class RowTimeoutError(RecordError):
    """One row of a batch job took longer than its time budget (每行时限) and was stopped."""

    def __init__(self, row: int | None, field: str | None, seconds: float) -> None:
        self.seconds = seconds
        doing = f" while working on {field!r}" if field else ""
        super().__init__(
            row,
            field,
            f"took longer than the {seconds:g} s time budget per row{doing} and was stopped "
            "(raise it with row_timeout= / --row-timeout, or check the field for a "
            "pathologically long or repetitive text)",
        )


class TemplateFileError(CSStandardsError):
    """A reply-template file (话术库) cannot be read: bad YAML/JSON, missing text, …"""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {problem}")


class TemplateLimitError(TemplateFileError):
    """A template file exceeds a loading limit (size, nesting depth, YAML aliases …); the file
    is reported and the other files are still linted (超出模板文件的加载限制)."""

    def __init__(self, file: str, line: int | None, limit: str, problem: str) -> None:
        self.limit = limit
        super().__init__(file, line, problem)
