"""SLA policies, clocks derived from event logs, and compliance (服务时效).

* A :class:`SLAPolicy` picks a :class:`Target` per :class:`Metric` by ordered conditions (first
  match wins, a default is required): channel, rating (好评/中评/差评), priority, urgent flag,
  peak window (高峰时段), customer tier, tags, stage.  :func:`default_policy` is the profile taken
  from the standards (``lexicon/sla_default.toml``).
* :func:`compute_clocks` is a pure function of an event log and a time ``now``: it returns the
  clocks of every metric and cycle with status, due time, elapsed and remaining business time,
  percentage used and crossed warning thresholds.
* :func:`compliance` counts hit rates over many tickets the way Jira Service Management does.
* :func:`review_reply_deadline` / :func:`is_late` answer "when must this review be answered?"::

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from csstandards.models import Rating
    >>> at = datetime(2026, 3, 10, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> d = review_reply_deadline(at, rating=Rating.NEGATIVE)
    >>> d.due.isoformat(), d.notice_required
    ('2026-03-10T13:00:00+08:00', False)
    >>> is_late(d, datetime(2026, 3, 10, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    False

See docs/sla.md for the precise definition of every metric.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from ._collector import items_size, pauses_collector
from ._times import IsoDatetime
from ._toml import load_toml, loads_toml
from .calendar import (
    HolidaySchedule,
    WorkCalendar,
    _to_us,
    cn_schedule,
    estimated_cn_schedule,
    warn_estimated,
)
from .errors import (
    CalendarDataMissing,
    EventOrderError,
    InputError,
    NaiveDatetimeError,
    PolicyError,
    TimeRangeError,
)
from .models import Channel, FrozenModel, LabelledEnum, Priority, Rating, _label, trusted_builder

__all__ = [
    "PEAK_NOTICE_ZH",
    "Clock",
    "ClockStatus",
    "ComplianceFigures",
    "ComplianceReport",
    "Condition",
    "Cycle",
    "EventKind",
    "EventProblem",
    "Metric",
    "MetricPolicy",
    "PeakWindow",
    "PolicyVersion",
    "ResolvedTarget",
    "ReviewReplyDeadline",
    "SLAPolicy",
    "Target",
    "TargetRule",
    "TicketClocks",
    "TicketContext",
    "TicketEvent",
    "WarningThreshold",
    "compliance",
    "compute_clocks",
    "default_policy",
    "is_late",
    "parse_target",
    "policy_from_mapping",
    "review_reply_deadline",
]

PEAK_NOTICE_ZH = "近期咨询量较大,感谢您的耐心等待"


def _aware(t: object, what: str) -> None:
    if not isinstance(t, datetime):
        raise InputError(f"{what} must be a timezone-aware datetime, got {type(t).__name__}")
    if t.tzinfo is None or t.utcoffset() is None:
        raise NaiveDatetimeError(what, t)
    if not _in_range(t):
        raise TimeRangeError(what, t.isoformat(), _RANGE)


_RANGE = "SLA times must fall in the years 2-9998 (UTC)"


def _in_range(t: datetime) -> bool:
    """Far enough from datetime's limits to be converted to any zone (±1 day) and back."""
    if 3 <= t.year <= 9997:  # an offset is under a day: the UTC year is within one of it
        return True
    try:
        year = (t.replace(tzinfo=None) - t.utcoffset()).year  # type: ignore[operator]
    except OverflowError:
        return False
    return 2 <= year <= 9998


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------


class Metric(LabelledEnum):
    """What a clock measures (see docs/sla.md for start/stop/pause rules)."""

    ACKNOWLEDGEMENT = "acknowledgement"  # 受理确认: any reply, auto-reply included
    FIRST_RESPONSE = "first_response"  # 首次响应: first human reply of a cycle
    NEXT_RESPONSE = "next_response"  # 后续响应: reply to an unanswered customer message
    RESOLUTION = "resolution"  # 解决
    FOLLOW_UP = "follow_up"  # 回访
    STAGE = "stage"  # 环节时限: time spent in one workflow stage


_label(
    Metric,
    {
        "acknowledgement": ("受理确认", "acknowledgement"),
        "first_response": ("首次响应", "first response"),
        "next_response": ("后续响应", "next response"),
        "resolution": ("解决时效", "resolution"),
        "follow_up": ("回访", "follow-up"),
        "stage": ("环节时限", "stage limit"),
    },
)


class ClockStatus(LabelledEnum):
    RUNNING = "running"  # 计时中
    PAUSED = "paused"  # 暂停 (等待客户)
    MET = "met"  # 达标
    BREACHED = "breached"  # 超时
    BREACHED_RUNNING = "breached_running"  # 已超时且仍在计时

    @property
    def final(self) -> bool:
        return self in (ClockStatus.MET, ClockStatus.BREACHED)


_label(
    ClockStatus,
    {
        "running": ("计时中", "running"),
        "paused": ("暂停", "paused"),
        "met": ("达标", "met"),
        "breached": ("超时", "breached"),
        "breached_running": ("已超时仍计时", "breached and running"),
    },
)


class EventKind(LabelledEnum):
    """Events of a ticket's log (工单事件)."""

    OPENED = "opened"  # 创建/受理
    CUSTOMER_MESSAGE = "customer_message"  # 客户消息
    AGENT_REPLY = "agent_reply"  # 客服回复 (人工)
    AUTO_REPLY = "auto_reply"  # 自动回复
    PAUSED = "paused"  # 等待客户 (暂停计时)
    RESUMED = "resumed"  # 恢复计时
    RESOLVED = "resolved"  # 解决
    REOPENED = "reopened"  # 重新打开
    FOLLOWED_UP = "followed_up"  # 已回访
    STAGE_ENTERED = "stage_entered"  # 进入环节
    STAGE_COMPLETED = "stage_completed"  # 完成环节


_label(
    EventKind,
    {
        "opened": ("创建", "opened"),
        "customer_message": ("客户消息", "customer message"),
        "agent_reply": ("客服回复", "agent reply"),
        "auto_reply": ("自动回复", "auto-reply"),
        "paused": ("等待客户", "paused"),
        "resumed": ("恢复", "resumed"),
        "resolved": ("已解决", "resolved"),
        "reopened": ("重新打开", "reopened"),
        "followed_up": ("已回访", "followed up"),
        "stage_entered": ("进入环节", "stage entered"),
        "stage_completed": ("完成环节", "stage completed"),
    },
)


class TicketEvent(FrozenModel):
    """One entry of a ticket's event log.  ``at`` must be timezone-aware."""

    kind: EventKind
    at: IsoDatetime
    stage: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _stage(self) -> TicketEvent:
        needs = self.kind in (EventKind.STAGE_ENTERED, EventKind.STAGE_COMPLETED)
        if needs and not self.stage:
            raise ValueError(f"{self.kind.value} needs a stage name")
        return self


class TicketContext(FrozenModel):
    """What the policy conditions look at."""

    channel: Channel | None = None
    rating: Rating | None = None
    priority: Priority | None = None
    urgent: bool = False
    customer_tier: str | None = None
    tags: frozenset[str] = frozenset()


# --------------------------------------------------------------------------------------------
# Policies
# --------------------------------------------------------------------------------------------


class WarningThreshold(FrozenModel):
    """Exactly one of: ``percent`` of the target used, ``remaining`` time left at most, or
    ``elapsed`` time waited at least (e.g. the 60 s wait warning, 等待超过1分钟)."""

    percent: float | None = Field(default=None, gt=0)
    remaining: timedelta | None = None
    elapsed: timedelta | None = None

    @model_validator(mode="after")
    def _one(self) -> WarningThreshold:
        if sum(x is not None for x in (self.percent, self.remaining, self.elapsed)) != 1:
            raise ValueError("a warning threshold sets exactly one of percent, remaining, elapsed")
        return self

    @property
    def label(self) -> str:
        if self.percent is not None:
            return f"{self.percent:g}%"
        if self.remaining is not None:
            return f"remaining<={_fmt_td(self.remaining)}"
        return f"elapsed>={_fmt_td(self.elapsed or timedelta())}"

    def crossed(self, elapsed: timedelta, target: timedelta) -> bool:
        if self.percent is not None:
            return elapsed * 100 >= target * self.percent
        if self.remaining is not None:
            return target - elapsed <= self.remaining
        return elapsed >= (self.elapsed or timedelta())


DEFAULT_WARNINGS = (
    WarningThreshold(percent=50),
    WarningThreshold(percent=75),
    WarningThreshold(percent=90),
)


class Target(FrozenModel):
    """A time limit: ``duration``, or ``rings`` (phone, × the policy's seconds per ring), or
    ``working_days`` (× the calendar's standard working day).  None of them = not measured."""

    duration: timedelta | None = None
    rings: int | None = Field(default=None, gt=0)
    working_days: float | None = Field(default=None, gt=0)
    calendar: WorkCalendar | None = None  # None: the policy's calendar
    warnings: tuple[WarningThreshold, ...] | None = None  # None: the policy's warnings
    notice_required: bool = False  # the reply must carry the peak notice (000 §2.1)

    @model_validator(mode="after")
    def _check(self) -> Target:
        if sum(x is not None for x in (self.duration, self.rings, self.working_days)) > 1:
            raise ValueError("give one of duration, rings, working_days")
        if self.duration is not None and self.duration <= timedelta():
            raise ValueError(f"target duration must be positive, got {self.duration}")
        return self

    @property
    def measured(self) -> bool:
        return not (self.duration is None and self.rings is None and self.working_days is None)


class Condition(FrozenModel):
    """All given fields must match (an absent field matches anything)."""

    channels: frozenset[Channel] | None = None
    ratings: frozenset[Rating] | None = None
    priorities: frozenset[Priority] | None = None
    urgent: bool | None = None
    in_peak: bool | None = None
    customer_tiers: frozenset[str] | None = None
    tags_any: frozenset[str] | None = None
    stages: frozenset[str] | None = None

    def matches(self, ctx: TicketContext, *, in_peak: bool, stage: str | None) -> bool:
        return (
            (self.channels is None or ctx.channel in self.channels)
            and (self.ratings is None or ctx.rating in self.ratings)
            and (self.priorities is None or ctx.priority in self.priorities)
            and (self.urgent is None or ctx.urgent == self.urgent)
            and (self.in_peak is None or in_peak == self.in_peak)
            and (self.customer_tiers is None or ctx.customer_tier in self.customer_tiers)
            and (self.tags_any is None or bool(ctx.tags & self.tags_any))
            and (self.stages is None or stage in self.stages)
        )


class TargetRule(FrozenModel):
    name: str
    when: Condition = Condition()
    target: Target
    clause: str = ""


class MetricPolicy(FrozenModel):
    """Ordered rules for one metric; the first match wins, else ``default`` (required)."""

    metric: Metric
    rules: tuple[TargetRule, ...] = ()
    default: Target


_MD = re.compile(r"^(?:(\d{4})-)?(\d{2})-(\d{2})$")


@lru_cache(maxsize=256)
def _window_bounds(start: str, end: str) -> tuple[bool, tuple[int, ...], tuple[int, ...]]:
    """A peak window's bounds, parsed once: dated ((y, m, d) pairs) or yearly ((m, d))."""
    a, b = _MD.match(start), _MD.match(end)
    assert a and b
    if a.group(1):
        return (
            True,
            tuple(int(a.group(i)) for i in (1, 2, 3)),
            tuple(int(b.group(i)) for i in (1, 2, 3)),
        )
    return False, (int(a.group(2)), int(a.group(3))), (int(b.group(2)), int(b.group(3)))


class PeakWindow(FrozenModel):
    """A peak period (高峰时段, 大促, 特殊节日) in local dates, both ends inclusive.

    ``start``/``end`` are ``"MM-DD"`` (every year; may wrap over New Year) or ``"YYYY-MM-DD"``
    (once).  ``public_holidays = true`` makes every CN public holiday (法定节假日) a peak day.
    """

    name: str
    start: str | None = None
    end: str | None = None
    public_holidays: bool = False

    @model_validator(mode="after")
    def _check(self) -> PeakWindow:
        if (self.start is None) != (self.end is None):
            raise ValueError(f"peak window {self.name!r}: give both start and end")
        if self.start is None and not self.public_holidays:
            raise ValueError(f"peak window {self.name!r}: give start/end or public_holidays")
        for v in (self.start, self.end):
            if v is not None and not _MD.match(v):
                raise ValueError(f"peak window {self.name!r}: {v!r} is not MM-DD or YYYY-MM-DD")
        if self.start is not None and self.end is not None:
            a, b = _MD.match(self.start), _MD.match(self.end)
            if a and b and bool(a.group(1)) != bool(b.group(1)):
                raise ValueError(f"peak window {self.name!r}: mix of MM-DD and YYYY-MM-DD")
        return self

    def contains(self, d: date) -> bool:
        if self.start is None or self.end is None:
            return False
        dated, lo, hi = _window_bounds(self.start, self.end)
        key = (d.year, d.month, d.day) if dated else (d.month, d.day)
        if dated or lo <= hi:
            return lo <= key <= hi
        return key >= lo or key <= hi


class ResolvedTarget(FrozenModel):
    """The target a policy picked for one clock, with why."""

    metric: Metric
    stage: str | None = None
    rule: str
    clause: str = ""
    target: timedelta
    calendar: WorkCalendar
    warnings: tuple[WarningThreshold, ...]
    notice_required: bool = False
    in_peak_window: bool = False
    peak_window: str = ""
    policy: str = ""
    estimated: bool = False


#: built by :meth:`SLAPolicy.resolve` from validated policy values only
_resolved_target = trusted_builder(ResolvedTarget)


class SLAPolicy(FrozenModel):
    """A named, versioned set of targets.  Build in code or load with :meth:`from_toml`."""

    name: str
    version: str = "1"
    description: str = ""
    calendar: WorkCalendar = Field(default_factory=WorkCalendar.twenty_four_seven)
    metrics: tuple[MetricPolicy, ...] = ()
    peak_windows: tuple[PeakWindow, ...] = ()
    warnings: tuple[WarningThreshold, ...] = DEFAULT_WARNINGS
    seconds_per_ring: float = Field(default=5.0, gt=0)
    holidays: tuple[HolidaySchedule, ...] = Field(
        default=(),
        description="official schedules (节假日安排) added with with_holidays(); they win over "
        "the shipped data and over estimates, for peak windows and CN calendars alike",
    )

    @field_validator("metrics")
    @classmethod
    def _unique(cls, v: tuple[MetricPolicy, ...]) -> tuple[MetricPolicy, ...]:
        seen = [m.metric for m in v]
        dup = {m.value for m in seen if seen.count(m) > 1}
        if dup:
            raise ValueError(f"metrics defined twice: {sorted(dup)}")
        return v

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def with_holidays(self, *schedules: HolidaySchedule) -> SLAPolicy:
        """A copy that uses these holiday schedules (e.g. a new year's notice, loaded with
        ``HolidaySchedule.from_notice`` or from the ``holidays`` setting) for its peak windows
        and for every calendar that follows the mainland-China holidays (``public_holidays =
        "cn"``).  24×7 calendars keep counting clock hours.  No schedules: ``self``."""
        if not schedules:
            return self
        done: dict[int, WorkCalendar] = {}

        def cal(c: WorkCalendar) -> WorkCalendar:
            if c.public_holidays != "cn":
                return c
            if id(c) not in done:
                done[id(c)] = c.with_schedule(*schedules)
            return done[id(c)]

        def tgt(t: Target) -> Target:
            return t if t.calendar is None else t.model_copy(update={"calendar": cal(t.calendar)})

        metrics = tuple(
            m.model_copy(
                update={
                    "rules": tuple(r.model_copy(update={"target": tgt(r.target)}) for r in m.rules),
                    "default": tgt(m.default),
                }
            )
            for m in self.metrics
        )
        return self.model_copy(
            update={
                "calendar": cal(self.calendar),
                "metrics": metrics,
                "holidays": (*self.holidays, *schedules),
            }
        )

    def metric_policy(self, metric: Metric) -> MetricPolicy | None:
        for m in self.metrics:
            if m.metric == metric:
                return m
        return None

    def peak_at(self, at: datetime) -> tuple[str, bool]:
        """The peak window ``at`` falls in (name, or ``""``) and whether that is estimated."""
        d = at.astimezone(self.calendar.zone).date()
        est = False
        for w in self.peak_windows:
            if w.contains(d):
                return w.name, False
            if w.public_holidays:
                name, e = _cn_holiday(d, (*self.holidays, *self.calendar.schedules))
                est = est or e
                if name:
                    return f"{w.name}: {name}", e
        return "", est

    def resolve(
        self,
        metric: Metric,
        context: TicketContext,
        at: datetime,
        *,
        stage: str | None = None,
        in_peak: bool | None = None,
    ) -> ResolvedTarget | None:
        """The target for ``metric`` of a clock starting at ``at``; ``None`` = not measured.

        ``in_peak`` overrides whether ``at`` falls in a peak window (to ask what the target
        would be outside one)."""
        _aware(at, "at")
        mp = self.metric_policy(metric)
        if mp is None:
            return None
        peak, est = self.peak_at(at)
        if in_peak is None:
            in_peak = bool(peak)
        elif not in_peak:
            peak = ""
        rule_name, clause, target = "default", "", mp.default
        for r in mp.rules:
            if r.when.matches(context, in_peak=in_peak, stage=stage):
                rule_name, clause, target = r.name, r.clause, r.target
                break
        if not target.measured:
            return None
        cal = target.calendar or self.calendar
        if target.duration is not None:
            dur = target.duration
        elif target.rings is not None:
            dur = timedelta(seconds=target.rings * self.seconds_per_ring)
        else:
            dur = cal.standard_day * (target.working_days or 0)
            if dur <= timedelta():
                raise PolicyError(f"rule {rule_name!r}: calendar {cal.name!r} has no working day")
        return _resolved_target(
            metric=metric,
            stage=stage,
            rule=rule_name,
            clause=clause,
            target=dur,
            calendar=cal,
            warnings=target.warnings if target.warnings is not None else self.warnings,
            notice_required=target.notice_required,
            in_peak_window=in_peak,
            peak_window=peak,
            policy=self.label,
            estimated=est,
        )

    # ---------------------------------------------------------------- loading

    @classmethod
    def from_toml(cls, path: str | Path, **params: Any) -> SLAPolicy:
        """Load a policy file (format: ``lexicon/sla_default.toml``, see docs/sla.md).

        ``params`` override ``[params]`` values used as ``${name}`` in target strings.
        """
        return policy_from_mapping(load_toml(path), source=str(path), params=params)


def _cn_holiday(d: date, schedules: Sequence[HolidaySchedule]) -> tuple[str, bool]:
    for s in reversed(schedules):
        if s.covers(d.year):
            if s.estimated:
                warn_estimated(d.year, "CN public holidays (peak windows)")
            return s.holidays.get(d, ""), s.estimated
    try:
        return cn_schedule(d.year).holidays.get(d, ""), False
    except CalendarDataMissing:
        warn_estimated(d.year, "CN public holidays (peak windows)")
        try:
            est = estimated_cn_schedule(d.year)
        except CalendarDataMissing:
            return "", True  # beyond even an estimate: no holiday peak, flagged estimated
        return est.holidays.get(d, ""), True


# ---- policy files ---------------------------------------------------------------------------

_DUR = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?|"
    r"rings?|working\s+days?|工作日)\s*$",
    re.IGNORECASE,
)


def parse_target(text: str, *, where: str = "target") -> Target:
    """``"24h"``, ``"15s"``, ``"90 min"``, ``"3 rings"``, ``"2 working days"`` or ``"none"``."""
    if text.strip().lower() in ("none", "off", "-"):
        return Target()
    m = _DUR.match(text)
    if not m:
        raise PolicyError(
            f"{where}: cannot read target {text!r}; use e.g. '24h', '15s', '90 min', '3 rings', "
            "'2 working days' or 'none'"
        )
    n, unit = float(m.group(1)), m.group(2).lower()
    if unit.startswith("ring"):
        if n != int(n):
            raise PolicyError(f"{where}: rings must be a whole number, got {text!r}")
        return Target(rings=int(n))
    if unit.startswith("working") or unit == "工作日":
        return Target(working_days=n)
    secs = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit[0]]
    return Target(duration=timedelta(seconds=n * secs))


def _fmt_td(td: timedelta) -> str:
    s = td.total_seconds()
    if abs(s) < 120:
        return f"{s:g}s"
    if s % 3600 == 0:
        return f"{s / 3600:g}h"
    if s % 60 == 0:
        return f"{s / 60:g}min"
    return f"{s:g}s"


def _calendar_from(spec: Any, named: Mapping[str, WorkCalendar], where: str) -> WorkCalendar:
    if isinstance(spec, str):
        if spec in named:
            return named[spec]
        if spec == "24x7":
            return WorkCalendar.twenty_four_seven()
        if spec == "china_office_hours":
            return WorkCalendar.china_office_hours()
        raise PolicyError(
            f"{where}: unknown calendar {spec!r} (24x7, china_office_hours, or a name)"
        )
    if isinstance(spec, Mapping):
        preset = spec.get("preset")
        if preset == "china_office_hours":
            base = WorkCalendar.china_office_hours(on_missing=spec.get("on_missing", "raise"))
            return base
        if preset == "24x7":
            return WorkCalendar.twenty_four_seven(spec.get("timezone", "Asia/Shanghai"))
        try:
            return WorkCalendar.custom(
                spec["hours"],
                name=str(spec.get("name", where)),
                timezone=spec.get("timezone", "Asia/Shanghai"),
                public_holidays=spec.get("public_holidays", "none"),
                closures=[date.fromisoformat(str(x)) for x in spec.get("closures", [])],
                extra_open_days=[
                    date.fromisoformat(str(x)) for x in spec.get("extra_open_days", [])
                ],
                on_missing=spec.get("on_missing", "raise"),
            )
        except (KeyError, InputError, ValueError) as exc:
            raise PolicyError(f"{where}: invalid calendar: {exc}") from exc
    raise PolicyError(f"{where}: a calendar is a name or a table, got {spec!r}")


def _warnings_from(items: Iterable[Any], where: str) -> tuple[WarningThreshold, ...]:
    out = []
    for it in items:
        s = str(it).strip()
        try:
            if s.endswith("%"):
                out.append(WarningThreshold(percent=float(s[:-1])))
            elif s.startswith("elapsed "):
                t = parse_target(s[8:], where=where)
                out.append(WarningThreshold(elapsed=t.duration))
            elif s.startswith("remaining "):
                t = parse_target(s[10:], where=where)
                out.append(WarningThreshold(remaining=t.duration))
            else:
                raise PolicyError(
                    f"{where}: warning {s!r}: use '75%', 'elapsed 60s', 'remaining 1h'"
                )
        except (ValidationError, ValueError) as exc:
            raise PolicyError(f"{where}: warning {s!r}: {exc}") from exc
    return tuple(out)


def _subst(text: str, params: Mapping[str, Any], where: str) -> str:
    def rep(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in params:
            raise PolicyError(f"{where}: unknown parameter ${{{key}}}")
        return str(params[key])

    return re.sub(r"\$\{(\w+)\}", rep, text)


def _target_from(
    spec: Mapping[str, Any],
    named: Mapping[str, WorkCalendar],
    params: Mapping[str, Any],
    where: str,
) -> Target:
    if "target" not in spec:
        raise PolicyError(f"{where}: missing 'target' (e.g. '24h' or 'none')")
    t = parse_target(_subst(str(spec["target"]), params, where), where=where)
    update: dict[str, Any] = {}
    if "calendar" in spec:
        update["calendar"] = _calendar_from(spec["calendar"], named, where)
    if "warnings" in spec:
        update["warnings"] = _warnings_from(spec["warnings"], where)
    if spec.get("notice_required"):
        update["notice_required"] = True
    return t.model_copy(update=update) if update else t


def policy_from_mapping(
    data: Mapping[str, Any], *, source: str = "<mapping>", params: Mapping[str, Any] | None = None
) -> SLAPolicy:
    """Build an :class:`SLAPolicy` from a parsed policy file; errors are :class:`PolicyError`."""
    head = dict(data.get("policy", {}))
    p: dict[str, Any] = {**dict(data.get("params", {})), **dict(params or {})}
    named: dict[str, WorkCalendar] = {}
    for cname, cspec in dict(data.get("calendars", {})).items():
        named[cname] = _calendar_from(cspec, named, f"{source} [calendars.{cname}]")
    cal = _calendar_from(head.get("calendar", "24x7"), named, f"{source} [policy].calendar")
    metrics = []
    for mname, mspec in dict(data.get("metrics", {})).items():
        where = f"{source} [metrics.{mname}]"
        try:
            metric = Metric(mname)
        except ValueError:
            known = ", ".join(m.value for m in Metric)
            raise PolicyError(f"{where}: unknown metric {mname!r} (known: {known})") from None
        if "default" not in mspec:
            raise PolicyError(f"{where}: a default is required ([metrics.{mname}.default])")
        rules = []
        for i, r in enumerate(mspec.get("rules", [])):
            rwhere = f"{where} rule #{i + 1} {r.get('name', '')!r}"
            try:
                cond = Condition.model_validate(dict(r.get("when", {})))
            except ValidationError as exc:
                raise PolicyError(f"{rwhere}: invalid condition: {exc}") from exc
            rules.append(
                TargetRule(
                    name=str(r.get("name", f"{mname}#{i + 1}")),
                    when=cond,
                    target=_target_from(r, named, p, rwhere),
                    clause=str(r.get("clause", "")),
                )
            )
        metrics.append(
            MetricPolicy(
                metric=metric,
                rules=tuple(rules),
                default=_target_from(mspec["default"], named, p, f"{where}.default"),
            )
        )
    try:
        return SLAPolicy(
            name=str(head.get("name", Path(source).stem)),
            version=str(head.get("version", "1")),
            description=str(head.get("description", "")),
            calendar=cal,
            metrics=tuple(metrics),
            peak_windows=tuple(PeakWindow.model_validate(w) for w in data.get("peak_windows", [])),
            warnings=_warnings_from(head.get("warnings", ["50%", "75%", "90%"]), source),
            seconds_per_ring=float(str(p.get("seconds_per_ring", head.get("seconds_per_ring", 5)))),
        )
    except (ValidationError, ValueError, TypeError) as exc:
        raise PolicyError(f"{source}: invalid policy: {exc}") from exc


@lru_cache(maxsize=16)
def _default_policy(seconds_per_ring: float | None, email_working_days: float | None) -> SLAPolicy:
    text = resources.files("csstandards").joinpath("lexicon/sla_default.toml").read_text("utf-8")
    params: dict[str, Any] = {}
    if seconds_per_ring is not None:
        params["seconds_per_ring"] = seconds_per_ring
    if email_working_days is not None:
        params["email_working_days"] = email_working_days
    return policy_from_mapping(
        loads_toml(text, source="lexicon/sla_default.toml"),
        source="lexicon/sla_default.toml",
        params=params,
    )


def default_policy(
    *,
    seconds_per_ring: float | None = None,
    email_working_days: float | None = None,
    holidays: Sequence[HolidaySchedule] = (),
) -> SLAPolicy:
    """The profile taken from the standards (``lexicon/sla_default.toml``; docs/sla.md).

    ``seconds_per_ring`` (default 5) and ``email_working_days`` (default 1) are its parameters;
    ``holidays`` adds official schedules beyond the shipped data (``Standard.holidays``, the
    ``holidays`` setting), see :meth:`SLAPolicy.with_holidays`.
    """
    base = _default_policy(seconds_per_ring, email_working_days)
    if not holidays:
        return base
    key = (id(base), tuple(id(h) for h in holidays))
    with _with_lock:
        hit = _with_cache.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], holidays, strict=True)):
            return hit[1]
    pol = base.with_holidays(*holidays)
    with _with_lock:
        if len(_with_cache) > 32:
            _with_cache.clear()
        _with_cache[key] = (tuple(holidays), pol)
    return pol


_with_lock = threading.Lock()
# (policy id, schedule ids) -> (the schedules, kept alive so the ids stay theirs; the policy)
_with_cache: dict[tuple[int, tuple[int, ...]], tuple[tuple[HolidaySchedule, ...], SLAPolicy]] = {}


# --------------------------------------------------------------------------------------------
# Review replies (000 §2.1)
# --------------------------------------------------------------------------------------------


class ReviewReplyDeadline(FrozenModel):
    """When a review must be answered.  ``notice_required``: the extended peak target applies,
    so the reply must carry 近期咨询量较大,感谢您的耐心等待 (checked by the tone module)."""

    due: IsoDatetime
    target: timedelta
    in_peak_window: bool
    notice_required: bool
    estimated: bool
    rule: str = ""
    peak_window: str = ""
    normal_target: timedelta | None = None
    """The target outside a peak window (equal to ``target`` when not in one)."""


def review_reply_deadline(
    reviewed_at: datetime,
    *,
    rating: Rating,
    urgent: bool = False,
    policy: SLAPolicy | None = None,
) -> ReviewReplyDeadline:
    """Due time of the reply to a review posted at ``reviewed_at`` (000 §2.1 及时性原则)."""
    _aware(reviewed_at, "reviewed_at")
    pol = policy or default_policy()
    try:
        ctx = TicketContext(channel=Channel.REVIEW_PLATFORM, rating=rating, urgent=urgent)
    except ValidationError as exc:
        raise InputError(f"review_reply_deadline: bad rating/urgent: {exc}") from exc
    rt = pol.resolve(Metric.FIRST_RESPONSE, ctx, reviewed_at)
    if rt is None:
        raise PolicyError(
            f"policy {pol.label} sets no first-response target for review replies "
            f"(rating {rating.value}, urgent={urgent})"
        )
    due = rt.calendar.add(reviewed_at, rt.target)
    normal = rt.target
    if rt.in_peak_window:
        off_peak = pol.resolve(Metric.FIRST_RESPONSE, ctx, reviewed_at, in_peak=False)
        normal = off_peak.target if off_peak is not None else rt.target
    return ReviewReplyDeadline(
        due=due,
        target=rt.target,
        in_peak_window=rt.in_peak_window,
        notice_required=rt.notice_required,
        estimated=rt.estimated or rt.calendar.is_estimated(reviewed_at, due),
        rule=rt.rule,
        peak_window=rt.peak_window,
        normal_target=normal,
    )


def is_late(deadline: ReviewReplyDeadline, replied_at: datetime) -> bool:
    """Was the reply sent after the due time?  A reply exactly at ``due`` is on time."""
    _aware(replied_at, "replied_at")
    return replied_at > deadline.due


# --------------------------------------------------------------------------------------------
# Clocks
# --------------------------------------------------------------------------------------------


class PolicyVersion(FrozenModel):
    """A policy and the moment it came into force."""

    effective_from: IsoDatetime
    policy: SLAPolicy


class Cycle(FrozenModel):
    """One open→resolved stretch of a ticket; a reopen starts the next cycle."""

    number: int
    started_at: IsoDatetime
    ended_at: IsoDatetime | None = None
    policy: str  # name@version in force when the cycle started


class EventProblem(FrozenModel):
    """An inconsistency of the event log found in lenient mode; the event was skipped."""

    index: int
    kind: str
    problem: str


class Clock(FrozenModel):
    """The state of one SLA clock as of ``now`` (see docs/sla.md)."""

    metric: Metric
    stage: str | None = None
    cycle: int
    status: ClockStatus
    started_at: IsoDatetime
    stopped_at: IsoDatetime | None = None
    due: IsoDatetime | None = None  # None while paused and not yet breached
    breached_at: IsoDatetime | None = None
    target: timedelta
    elapsed: timedelta
    remaining: timedelta  # negative once breached
    percent_used: float
    warnings_crossed: tuple[str, ...] = ()
    paused: bool = False
    notice_required: bool = False
    in_peak_window: bool = False
    rule: str = ""
    clause: str = ""
    policy: str = ""
    calendar: str = ""
    estimated: bool = False

    @property
    def breached(self) -> bool:
        return self.status in (ClockStatus.BREACHED, ClockStatus.BREACHED_RUNNING)


#: built by :func:`compute_clocks` from validated events and resolved targets only
_clock = trusted_builder(Clock)


class TicketClocks(FrozenModel):
    """Everything :func:`compute_clocks` derived from one event log."""

    ticket_id: str = ""
    context: TicketContext
    now: IsoDatetime
    cycles: tuple[Cycle, ...] = ()
    clocks: tuple[Clock, ...] = ()
    problems: tuple[EventProblem, ...] = ()

    def of(self, metric: Metric, *, cycle: int | None = None) -> tuple[Clock, ...]:
        return tuple(
            c for c in self.clocks if c.metric == metric and (cycle is None or c.cycle == cycle)
        )

    def latest(self, metric: Metric) -> Clock | None:
        found = self.of(metric)
        return found[-1] if found else None


class _Running:
    __slots__ = ("cycle", "paused_at", "rt", "segments", "stage", "started", "stopped")

    def __init__(self, rt: ResolvedTarget, cycle: int, at: datetime, paused: bool) -> None:
        self.rt = rt
        self.cycle = cycle
        self.stage = rt.stage
        self.started = at
        self.segments: list[tuple[datetime, datetime | None]] = [] if paused else [(at, None)]
        self.paused_at: datetime | None = at if paused else None
        self.stopped: datetime | None = None

    def pause(self, at: datetime) -> None:
        if self.segments and self.segments[-1][1] is None:
            self.segments[-1] = (self.segments[-1][0], at)
            self.paused_at = at

    def resume(self, at: datetime) -> None:
        if self.paused_at is not None:
            self.segments.append((at, None))
            self.paused_at = None

    def stop(self, at: datetime) -> None:
        self.pause(at)
        self.paused_at = None
        self.stopped = at


_CYCLE_METRICS = (
    Metric.ACKNOWLEDGEMENT,
    Metric.FIRST_RESPONSE,
    Metric.NEXT_RESPONSE,
    Metric.RESOLUTION,
    Metric.STAGE,
)


_BEGINNING = datetime(1900, 1, 1, tzinfo=timezone.utc)


def _policy_at(policies: Sequence[PolicyVersion], at: datetime) -> SLAPolicy:
    chosen = policies[0].policy
    for pv in policies:
        if pv.effective_from <= at:
            chosen = pv.policy
    return chosen


@pauses_collector(lambda events, **kw: items_size(events))
def compute_clocks(
    events: Iterable[TicketEvent],
    *,
    now: datetime,
    policy: SLAPolicy | Sequence[PolicyVersion] | None = None,
    context: TicketContext | None = None,
    strict: bool = True,
    ticket_id: str = "",
    metrics: Iterable[Metric] | None = None,
) -> TicketClocks:
    """Derive every SLA clock of a ticket from its event log as of ``now`` (pure function).

    Events after ``now`` are not yet known and are ignored.  ``policy`` may be a list of
    :class:`PolicyVersion`: each cycle uses the version in force when it started, so a later
    policy change never re-judges a completed cycle.  ``strict=True`` raises
    :class:`EventOrderError` on an inconsistent log; ``strict=False`` skips the offending event
    and records an :class:`EventProblem`.  ``metrics`` keeps only those metrics' clocks (each
    metric's clock is derived on its own, so they equal the same clocks of a full run).
    """
    _aware(now, "now")
    only = frozenset(metrics) if metrics is not None else None
    ctx = context or TicketContext()
    if policy is None or isinstance(policy, SLAPolicy):
        versions: Sequence[PolicyVersion] = (
            PolicyVersion(effective_from=_BEGINNING, policy=policy or default_policy()),
        )
    else:
        versions = sorted(policy, key=lambda pv: _to_us(pv.effective_from, "effective_from"))
        if not versions:
            raise PolicyError("compute_clocks: empty list of policy versions")

    problems: list[EventProblem] = []
    done: list[_Running] = []
    running: list[_Running] = []
    cycles: list[dict[str, Any]] = []
    state = "new"  # new | open | resolved
    paused = False
    first_done = False
    cur_policy: SLAPolicy = versions[0].policy
    prev_at: datetime | None = None

    def problem(i: int, ev: TicketEvent | None, text: str) -> None:
        if strict:
            raise EventOrderError(i, text)
        problems.append(EventProblem(index=i, kind=ev.kind.value if ev else "", problem=text))

    def start(metric: Metric, at: datetime, stage: str | None = None) -> None:
        if only is not None and metric not in only:
            return
        rt = cur_policy.resolve(metric, ctx, at, stage=stage)
        if rt is not None:
            running.append(_Running(rt, len(cycles), at, paused and metric != Metric.FOLLOW_UP))

    def stop(metrics: Iterable[Metric], at: datetime, stage: str | None = None) -> None:
        ms = set(metrics)
        for c in list(running):
            if c.rt.metric in ms and (stage is None or c.stage == stage):
                c.stop(at)
                running.remove(c)
                done.append(c)

    def is_running(metric: Metric) -> bool:
        return any(c.rt.metric == metric for c in running)

    def new_cycle(at: datetime) -> None:
        nonlocal cur_policy, first_done
        cur_policy = _policy_at(versions, at)
        cycles.append({"number": len(cycles) + 1, "started_at": at, "policy": cur_policy.label})
        first_done = False

    for i, ev in enumerate(events):
        if not isinstance(ev, TicketEvent):
            raise InputError(f"event #{i}: expected a TicketEvent, got {type(ev).__name__}")
        at = ev.at
        if at.tzinfo is None or at.utcoffset() is None:
            if strict:
                raise NaiveDatetimeError(f"event #{i} ({ev.kind.value}) time", at)
            problem(i, ev, f"naive time {at!r} (no time zone)")
            continue
        if not _in_range(at):
            if strict:
                raise TimeRangeError(f"event #{i} ({ev.kind.value}) time", at.isoformat(), _RANGE)
            problem(i, ev, f"time {at.isoformat()} out of range: {_RANGE}")
            continue
        if at > now:
            continue
        if prev_at is not None and at.astimezone(timezone.utc) < prev_at.astimezone(timezone.utc):
            problem(
                i,
                ev,
                f"out of order: {at.isoformat()} is before the previous event at "
                f"{prev_at.isoformat()}",
            )
            continue
        k = ev.kind
        if k == EventKind.OPENED:
            if state != "new":
                problem(i, ev, "ticket opened twice (use reopened for a new cycle)")
                continue
            state = "open"
            new_cycle(at)
            for m in (Metric.ACKNOWLEDGEMENT, Metric.FIRST_RESPONSE, Metric.RESOLUTION):
                start(m, at)
        elif state == "new":
            problem(i, ev, f"{k.value} before the ticket was opened")
            continue
        elif k == EventKind.CUSTOMER_MESSAGE:
            if state == "open":
                if paused:  # the customer answered: waiting on customer ends
                    paused = False
                    for c in running:
                        c.resume(at)
                if first_done and not is_running(Metric.NEXT_RESPONSE):
                    start(Metric.NEXT_RESPONSE, at)
        elif k in (EventKind.AGENT_REPLY, EventKind.AUTO_REPLY):
            if state == "open":
                stop([Metric.ACKNOWLEDGEMENT], at)
                if k == EventKind.AGENT_REPLY:
                    stop([Metric.FIRST_RESPONSE, Metric.NEXT_RESPONSE], at)
                    first_done = True
        elif k == EventKind.PAUSED:
            if state != "open":
                problem(i, ev, "pause while the ticket is not open")
                continue
            if paused:
                problem(i, ev, "paused twice without a resume")
                continue
            paused = True
            for c in running:
                if c.rt.metric != Metric.FOLLOW_UP:
                    c.pause(at)
        elif k == EventKind.RESUMED:
            if not paused:
                problem(i, ev, "resume without a pause")
                continue
            paused = False
            for c in running:
                c.resume(at)
        elif k == EventKind.RESOLVED:
            if state != "open":
                problem(i, ev, "resolved while the ticket is not open")
                continue
            paused = False
            stop(
                [
                    Metric.ACKNOWLEDGEMENT,
                    Metric.FIRST_RESPONSE,
                    Metric.NEXT_RESPONSE,
                    Metric.RESOLUTION,
                ],
                at,
            )
            cycles[-1]["ended_at"] = at
            state = "resolved"
            start(Metric.FOLLOW_UP, at)
        elif k == EventKind.REOPENED:
            if state != "resolved":
                problem(i, ev, "reopened while the ticket is not resolved")
                continue
            state = "open"
            new_cycle(at)
            for m in (Metric.FIRST_RESPONSE, Metric.RESOLUTION):
                start(m, at)
        elif k == EventKind.FOLLOWED_UP:
            stop([Metric.FOLLOW_UP], at)
        elif k == EventKind.STAGE_ENTERED:
            stop([Metric.STAGE], at)
            start(Metric.STAGE, at, ev.stage)
        elif k == EventKind.STAGE_COMPLETED:
            stop([Metric.STAGE], at, ev.stage)
        prev_at = at

    clocks = [_finish(c, now) for c in done + running]
    order = {m: n for n, m in enumerate(Metric)}
    clocks.sort(key=lambda c: (_to_us(c.started_at), c.cycle, order[c.metric]))
    return TicketClocks(
        ticket_id=ticket_id,
        context=ctx,
        now=now,
        cycles=tuple(Cycle(**c) for c in cycles),
        clocks=tuple(clocks),
        problems=tuple(problems),
    )


def _finish(c: _Running, now: datetime) -> Clock:
    rt = c.rt
    cal = rt.calendar
    target = rt.target
    elapsed = timedelta()
    breached_at: datetime | None = None
    last: tuple[datetime, timedelta] | None = None  # start of the last segment, elapsed before
    for s, e in c.segments:
        end = e if e is not None else now
        seg = cal.between(s, end) if end > s else timedelta()
        if breached_at is None and elapsed + seg > target:
            breached_at = cal.add(s, target - elapsed)
        last = (s, elapsed)
        elapsed += seg
    due: datetime | None = breached_at
    if due is None and last is not None and (c.stopped is not None or c.paused_at is None):
        due = cal.add(last[0], target - last[1])
    remaining = target - elapsed
    if c.stopped is not None:
        status = ClockStatus.MET if elapsed <= target else ClockStatus.BREACHED
    elif elapsed > target:
        status = ClockStatus.BREACHED_RUNNING
    elif c.paused_at is not None:
        status = ClockStatus.PAUSED
    else:
        status = ClockStatus.RUNNING
    end_at = c.stopped or now
    return _clock(
        metric=rt.metric,
        stage=rt.stage,
        cycle=c.cycle,
        status=status,
        started_at=c.started,
        stopped_at=c.stopped,
        due=due,
        breached_at=breached_at,
        target=target,
        elapsed=elapsed,
        remaining=remaining,
        percent_used=round(elapsed / target * 100, 4),
        warnings_crossed=tuple(w.label for w in rt.warnings if w.crossed(elapsed, target)),
        paused=c.paused_at is not None and c.stopped is None,
        notice_required=rt.notice_required,
        in_peak_window=rt.in_peak_window,
        rule=rt.rule,
        clause=rt.clause,
        policy=rt.policy,
        calendar=cal.name,
        estimated=rt.estimated or cal.is_estimated(c.started, max(end_at, c.started)),
    )


# --------------------------------------------------------------------------------------------
# Compliance
# --------------------------------------------------------------------------------------------


class ComplianceFigures(FrozenModel):
    """Counted like Jira Service Management: a breached clock that still runs is a miss; a
    running or paused clock that has not breached yet is pending and not counted."""

    met: int = 0
    missed: int = 0
    pending: int = 0

    @property
    def judged(self) -> int:
        return self.met + self.missed

    @property
    def hit_rate(self) -> float | None:
        return self.met / self.judged if self.judged else None

    def add(self, status: ClockStatus) -> ComplianceFigures:
        if status == ClockStatus.MET:
            return self.model_copy(update={"met": self.met + 1})
        if status in (ClockStatus.BREACHED, ClockStatus.BREACHED_RUNNING):
            return self.model_copy(update={"missed": self.missed + 1})
        return self.model_copy(update={"pending": self.pending + 1})


class ComplianceReport(FrozenModel):
    tickets: int = 0
    overall: ComplianceFigures = ComplianceFigures()
    by_metric: dict[str, ComplianceFigures] = Field(default_factory=dict)
    by_channel: dict[str, dict[str, ComplianceFigures]] = Field(
        default_factory=dict, description="metric → channel → figures"
    )
    by_rating: dict[str, dict[str, ComplianceFigures]] = Field(
        default_factory=dict, description="metric → rating → figures"
    )


def compliance(results: Iterable[TicketClocks]) -> ComplianceReport:
    """Hit rates over many tickets by metric, channel and rating (stage clocks as
    ``stage:<name>``).  Tickets without a channel/rating are grouped under ``"unknown"``."""
    counts: dict[str, list[int]] = {}
    by_channel: dict[str, dict[str, list[int]]] = {}
    by_rating: dict[str, dict[str, list[int]]] = {}
    total = [0, 0, 0]
    n = 0

    def bump(box: list[int], status: ClockStatus) -> None:
        if status == ClockStatus.MET:
            box[0] += 1
        elif status in (ClockStatus.BREACHED, ClockStatus.BREACHED_RUNNING):
            box[1] += 1
        else:
            box[2] += 1

    for r in results:
        n += 1
        ch = r.context.channel.value if r.context.channel else "unknown"
        ra = r.context.rating.value if r.context.rating else "unknown"
        for c in r.clocks:
            key = c.metric.value if c.stage is None else f"stage:{c.stage}"
            bump(total, c.status)
            bump(counts.setdefault(key, [0, 0, 0]), c.status)
            bump(by_channel.setdefault(key, {}).setdefault(ch, [0, 0, 0]), c.status)
            bump(by_rating.setdefault(key, {}).setdefault(ra, [0, 0, 0]), c.status)

    def fig(b: list[int]) -> ComplianceFigures:
        return ComplianceFigures(met=b[0], missed=b[1], pending=b[2])

    return ComplianceReport(
        tickets=n,
        overall=fig(total),
        by_metric={k: fig(v) for k, v in counts.items()},
        by_channel={k: {g: fig(b) for g, b in v.items()} for k, v in by_channel.items()},
        by_rating={k: {g: fig(b) for g, b in v.items()} for k, v in by_rating.items()},
    )
