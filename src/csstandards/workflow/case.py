"""The feedback case (反馈处理闭环, 002 二(二)): 接收记录 → 分类评估 → 分派处理 → 沟通反馈 →
分析改进 → 闭环跟踪, with a reopen edge.

Like the consultation, a case is an event log; its stage and facts are derived by replay::

    case = FeedbackCase(id="F-1").apply(Recorded(at=t, customer="王女士", received_at=t,
        description="收到的杯子有裂纹", demand="换新", channel=Channel.ONLINE_CHAT))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, WrapSerializer

from .._collector import items_size, json_size, log_size, pauses_collector
from ..models import Actor, Channel, Evidence, FrozenModel, LabelledEnum, Priority, _label
from ._chain import Chain, appended, serialize_as_tuple
from ._log import fold_events, load_log
from ._machine import Refusal, Transition, TransitionTable, advance, check, evolve, replay
from ._time import EventTime, LogModel, ReceivedTime, instant

__all__ = [
    "CASE_TABLE",
    "Acknowledged",
    "Analysed",
    "Assessed",
    "AssessmentOverridden",
    "Assigned",
    "CaseAssessment",
    "CaseClosed",
    "CaseEvent",
    "CaseEventKind",
    "CaseReopened",
    "CaseStage",
    "CaseState",
    "FeedbackCase",
    "ProgressUpdated",
    "Recorded",
    "Resolved",
    "ResultCommunicated",
    "WorkStarted",
    "replay_case",
]


class CaseStage(LabelledEnum):
    """Steps of the feedback loop (002 二(二) 1–6)."""

    NEW = "new"  # 未记录
    RECEIVED = "received"  # 接收记录
    ASSESSED = "assessed"  # 分类评估
    ASSIGNED = "assigned"  # 已分派
    IN_PROGRESS = "in_progress"  # 处理中
    COMMUNICATED = "communicated"  # 沟通反馈
    ANALYSED = "analysed"  # 分析改进
    CLOSED = "closed"  # 闭环
    REOPENED = "reopened"  # 重新打开


_label(
    CaseStage,
    {
        "new": ("未记录", "new"),
        "received": ("接收记录", "received"),
        "assessed": ("分类评估", "assessed"),
        "assigned": ("已分派", "assigned"),
        "in_progress": ("处理中", "in progress"),
        "communicated": ("沟通反馈", "communicated"),
        "analysed": ("分析改进", "analysed"),
        "closed": ("闭环", "closed"),
        "reopened": ("重新打开", "reopened"),
    },
)


class CaseEventKind(LabelledEnum):
    RECORDED = "recorded"
    ASSESSED = "assessed"
    ASSESSMENT_OVERRIDDEN = "assessment_overridden"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    WORK_STARTED = "work_started"
    PROGRESS_UPDATED = "progress_updated"
    RESOLVED = "resolved"
    RESULT_COMMUNICATED = "result_communicated"
    ANALYSED = "analysed"
    CLOSED = "closed"
    REOPENED = "reopened"


_label(
    CaseEventKind,
    {
        "recorded": ("接收记录", "recorded"),
        "assessed": ("分类评估", "assessed"),
        "assessment_overridden": ("人工修正评估", "assessment overridden"),
        "acknowledged": ("告知已受理", "acknowledged"),
        "assigned": ("分派", "assigned"),
        "work_started": ("开始处理", "work started"),
        "progress_updated": ("通报进展", "progress update"),
        "resolved": ("处理完成", "resolved"),
        "result_communicated": ("反馈结果", "result communicated"),
        "analysed": ("分析改进", "analysed"),
        "closed": ("闭环", "closed"),
        "reopened": ("重新打开", "reopened"),
    },
)

#: Feedback kinds (002 二(二)2 表扬、建议、抱怨、投诉) that need no handling beyond a thank-you.
THANKS_KINDS = frozenset({"praise", "suggestion"})


class CaseAssessment(FrozenModel):
    """Classification of a case (分类评估): from the classifier or a person.

    ``raw`` keeps the classifier's full output (JSON-compatible) for audit.
    """

    kind: str  # praise / suggestion / grievance (抱怨) / complaint (投诉) / inquiry …
    priority: Priority = Priority.P3
    urgency: str = ""
    severity: str = ""
    scope: str = ""
    topics: tuple[str, ...] = ()
    emotion: str = ""
    source: Literal["classifier", "person"] = "classifier"
    by: str = ""
    evidence: tuple[Evidence, ...] = ()
    raw: dict[str, Any] = Field(default_factory=dict)


_Staff = Literal[Actor.AGENT, Actor.SYSTEM, Actor.BOT]


class _Event(FrozenModel):
    at: EventTime
    ref: str = ""


class Recorded(_Event):
    """接收与记录 (002 二(二)1): customer, time, description, demand, channel are required."""

    kind: Literal[CaseEventKind.RECORDED] = CaseEventKind.RECORDED
    actor: _Staff = Actor.AGENT
    customer: str
    received_at: ReceivedTime  # 反馈时间 (when the customer gave it)
    description: str  # 问题描述
    demand: str  # 诉求
    channel: Channel
    product: str = ""
    text: str = ""  # the customer's own words, when different from the description
    emotion: str = ""  # 客户的情感反应 (003 二(一))


class Assessed(_Event):
    kind: Literal[CaseEventKind.ASSESSED] = CaseEventKind.ASSESSED
    actor: _Staff = Actor.SYSTEM
    assessment: CaseAssessment


class AssessmentOverridden(_Event):
    """A person corrects the classifier; both assessments are kept."""

    kind: Literal[CaseEventKind.ASSESSMENT_OVERRIDDEN] = CaseEventKind.ASSESSMENT_OVERRIDDEN
    actor: Literal[Actor.AGENT] = Actor.AGENT
    assessment: CaseAssessment
    reason: str = ""


class Acknowledged(_Event):
    """The customer is told the feedback was received and is being handled (003 二(三))."""

    kind: Literal[CaseEventKind.ACKNOWLEDGED] = CaseEventKind.ACKNOWLEDGED
    actor: _Staff = Actor.AGENT
    text: str = ""
    via: Channel | None = None


class Assigned(_Event):
    kind: Literal[CaseEventKind.ASSIGNED] = CaseEventKind.ASSIGNED
    actor: _Staff = Actor.AGENT
    department: str
    assignee: str = ""
    routed_by: Literal["table", "person"] = "person"


class WorkStarted(_Event):
    kind: Literal[CaseEventKind.WORK_STARTED] = CaseEventKind.WORK_STARTED
    actor: _Staff = Actor.AGENT
    assignee: str = ""


class ProgressUpdated(_Event):
    """A progress report to the customer (告知进展, 003 二(三))."""

    kind: Literal[CaseEventKind.PROGRESS_UPDATED] = CaseEventKind.PROGRESS_UPDATED
    actor: _Staff = Actor.AGENT
    text: str = ""
    via: Channel | None = None


class Resolved(_Event):
    kind: Literal[CaseEventKind.RESOLVED] = CaseEventKind.RESOLVED
    actor: _Staff = Actor.AGENT
    result: str


class ResultCommunicated(_Event):
    """The result (or why it cannot be solved and what next) is told to the customer."""

    kind: Literal[CaseEventKind.RESULT_COMMUNICATED] = CaseEventKind.RESULT_COMMUNICATED
    actor: _Staff = Actor.AGENT
    text: str = ""
    via: Channel | None = None
    thanked: bool | None = None  # None: judged from the text
    explanation: str = ""  # when unresolved: why, and the follow-up plan (003 二(四))


class Analysed(_Event):
    kind: Literal[CaseEventKind.ANALYSED] = CaseEventKind.ANALYSED
    actor: _Staff = Actor.AGENT
    root_cause: str = ""
    improvement: str = ""


class CaseClosed(_Event):
    kind: Literal[CaseEventKind.CLOSED] = CaseEventKind.CLOSED
    actor: _Staff = Actor.AGENT


class CaseReopened(_Event):
    kind: Literal[CaseEventKind.REOPENED] = CaseEventKind.REOPENED
    actor: Literal[Actor.CUSTOMER, Actor.AGENT, Actor.SYSTEM] = Actor.CUSTOMER
    reason: str = ""


CaseEvent = Annotated[
    Recorded
    | Assessed
    | AssessmentOverridden
    | Acknowledged
    | Assigned
    | WorkStarted
    | ProgressUpdated
    | Resolved
    | ResultCommunicated
    | Analysed
    | CaseClosed
    | CaseReopened,
    Field(discriminator="kind"),
]


_NO_TIMES: Chain[datetime] = Chain()  # immutable, so shared


@dataclass(frozen=True)
class CaseState:
    """Facts of a case derived from its log."""

    stage: CaseStage = CaseStage.NEW
    cycle: int = 0
    last_at: datetime | None = None
    record: Recorded | None = None
    classifier_assessment: CaseAssessment | None = None
    person_assessment: CaseAssessment | None = None
    department: str = ""
    assignee: str = ""
    assigned_at: datetime | None = None
    acknowledged_at: datetime | None = None
    started_at: datetime | None = None
    progress_updates: Chain[datetime] = _NO_TIMES  # reads like a tuple; O(1) append
    resolved_at: datetime | None = None
    communicated_at: datetime | None = None
    thanked: bool | None = None
    analysed_at: datetime | None = None
    closed_at: datetime | None = None
    closures: Chain[datetime] = _NO_TIMES
    reopened_at: datetime | None = None
    events: int = 0

    @property
    def assessment(self) -> CaseAssessment | None:
        """The effective assessment: a person's override wins over the classifier."""
        return self.person_assessment or self.classifier_assessment

    @property
    def opened_at(self) -> datetime | None:
        """Start of the current cycle's clocks: the feedback time, or the reopen time."""
        if self.reopened_at is not None:
            return self.reopened_at
        return self.record.received_at if self.record is not None else None


# -- guards ---------------------------------------------------------------------------------
def _record_complete(state: CaseState, ev: CaseEvent) -> Refusal | None:
    if not isinstance(ev, Recorded):
        return None
    missing = [
        (name, zh)
        for name, zh in (("customer", "客户信息"), ("description", "问题描述"), ("demand", "诉求"))
        if not str(getattr(ev, name)).strip()
    ]
    if missing:
        return Refusal(
            "记录不完整,缺少:" + "、".join(zh for _, zh in missing),
            "the record lacks required fields (002 二(二)1): "
            + ", ".join(name for name, _ in missing),
        )
    if instant(ev.received_at) > instant(ev.at):
        return Refusal("反馈时间不能晚于记录时间", "the feedback time is after the recording time")
    return None


def _no_handling_needed(state: CaseState, ev: CaseEvent) -> Refusal | None:
    a = state.assessment
    if a is None or a.kind not in THANKS_KINDS:
        return Refusal(
            "投诉/抱怨须先分派处理,才能反馈结果",
            "a complaint or grievance must be assigned and handled before its result is "
            "communicated",
        )
    return None


def _result_ready(state: CaseState, ev: CaseEvent) -> Refusal | None:
    if isinstance(ev, ResultCommunicated) and state.resolved_at is None and not ev.explanation:
        return Refusal(
            "尚未处理完成:请先记录处理结果,或说明无法解决的原因和后续计划",
            "not resolved yet: record the result first, or explain why it cannot be solved and "
            "what happens next",
        )
    return None


def _result_communicated(state: CaseState, ev: CaseEvent) -> Refusal | None:
    if state.communicated_at is None:
        return Refusal(
            "处理结果尚未告知客户,不能闭环", "cannot close before the result was communicated"
        )
    return None


_Guard = Callable[[CaseState, CaseEvent], "Refusal | None"]
_Row = Transition[CaseStage, CaseState, CaseEvent]


def _t(target: CaseStage | None = None, guard: _Guard | None = None) -> _Row:
    return Transition(target, guard)


S = CaseStage
E = CaseEventKind
_OPEN = (S.RECEIVED, S.ASSESSED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED)

_ROWS: dict[tuple[CaseStage, CaseEventKind], _Row] = {
    (S.NEW, E.RECORDED): _t(S.RECEIVED, _record_complete),
    (S.RECEIVED, E.ASSESSED): _t(S.ASSESSED),
    (S.ASSESSED, E.ASSIGNED): _t(S.ASSIGNED),
    (S.ASSESSED, E.RESULT_COMMUNICATED): _t(S.COMMUNICATED, _no_handling_needed),
    (S.ASSIGNED, E.WORK_STARTED): _t(S.IN_PROGRESS),
    (S.ASSIGNED, E.ASSIGNED): _t(),
    (S.ASSIGNED, E.RESOLVED): _t(S.IN_PROGRESS),
    (S.ASSIGNED, E.RESULT_COMMUNICATED): _t(S.COMMUNICATED, _result_ready),
    (S.IN_PROGRESS, E.ASSIGNED): _t(S.ASSIGNED),
    (S.IN_PROGRESS, E.RESOLVED): _t(),
    (S.IN_PROGRESS, E.RESULT_COMMUNICATED): _t(S.COMMUNICATED, _result_ready),
    (S.COMMUNICATED, E.RESULT_COMMUNICATED): _t(),
    (S.COMMUNICATED, E.PROGRESS_UPDATED): _t(),
    (S.COMMUNICATED, E.ANALYSED): _t(S.ANALYSED),
    (S.COMMUNICATED, E.CLOSED): _t(S.CLOSED, _result_communicated),
    (S.ANALYSED, E.ANALYSED): _t(),
    (S.ANALYSED, E.CLOSED): _t(S.CLOSED, _result_communicated),
    (S.CLOSED, E.REOPENED): _t(S.REOPENED),
    (S.REOPENED, E.ASSIGNED): _t(S.ASSIGNED),
    (S.REOPENED, E.RESULT_COMMUNICATED): _t(S.COMMUNICATED, _result_ready),
}
for _s in _OPEN:
    _ROWS[(_s, E.ACKNOWLEDGED)] = _t()
    # closing an open case is a known question with a clear answer (the guard's reason)
    _ROWS[(_s, E.CLOSED)] = _t(S.CLOSED, _result_communicated)
    if _s is not S.RECEIVED:
        _ROWS[(_s, E.ASSESSMENT_OVERRIDDEN)] = _t()
        _ROWS[(_s, E.PROGRESS_UPDATED)] = _t()
_ROWS[(S.REOPENED, E.ASSESSED)] = _t()
_ROWS[(S.REOPENED, E.WORK_STARTED)] = _t(S.IN_PROGRESS)

CASE_TABLE: TransitionTable[CaseStage, CaseEventKind, CaseState, CaseEvent] = TransitionTable(
    "feedback case (反馈处理)", _ROWS, CaseEventKind
)


def _reduce(state: CaseState, ev: CaseEvent, target: CaseStage) -> CaseState:
    upd: dict[str, Any] = {"stage": target, "last_at": ev.at, "events": state.events + 1}
    if isinstance(ev, Recorded):
        upd["record"] = ev
    elif isinstance(ev, Assessed):
        upd["classifier_assessment"] = ev.assessment
    elif isinstance(ev, AssessmentOverridden):
        upd["person_assessment"] = ev.assessment
    elif isinstance(ev, Acknowledged):
        if state.acknowledged_at is None:
            upd["acknowledged_at"] = ev.at
    elif isinstance(ev, Assigned):
        upd.update(department=ev.department, assignee=ev.assignee, assigned_at=ev.at)
    elif isinstance(ev, WorkStarted):
        upd["started_at"] = state.started_at or ev.at
        upd["assignee"] = ev.assignee or state.assignee
    elif isinstance(ev, ProgressUpdated):
        upd["progress_updates"] = state.progress_updates.append(ev.at)
    elif isinstance(ev, Resolved):
        upd["resolved_at"] = ev.at
    elif isinstance(ev, ResultCommunicated):
        if state.communicated_at is None:
            upd["communicated_at"] = ev.at
        if ev.thanked is not None:
            upd["thanked"] = bool(state.thanked) or ev.thanked
    elif isinstance(ev, Analysed):
        upd["analysed_at"] = ev.at
    elif isinstance(ev, CaseClosed):
        upd["closed_at"] = ev.at
        upd["closures"] = state.closures.append(ev.at)
    elif isinstance(ev, CaseReopened):
        upd.update(
            cycle=state.cycle + 1,
            reopened_at=ev.at,
            closed_at=None,
            acknowledged_at=None,
            started_at=None,
            progress_updates=_NO_TIMES,
            resolved_at=None,
            communicated_at=None,
            thanked=None,
            analysed_at=None,
        )
    return evolve(state, upd)


class FeedbackCase(LogModel):
    """A feedback case: identity and event log; stage and facts are derived."""

    id: str
    complex: bool = False  # owes progress updates at the policy's cadence (003 二(三))
    # a Chain after apply (O(1) append, shares its prefix); equal to, hashes and dumps like
    # the tuple it stands for
    events: Annotated[tuple[CaseEvent, ...], WrapSerializer(serialize_as_tuple)] = ()
    _cache: tuple[object, CaseState] | None = PrivateAttr(default=None)  # (events, state)

    @property
    def state(self) -> CaseState:
        cache = self._cache
        if cache is not None and cache[0] is self.events:
            return cache[1]
        state = replay(CASE_TABLE, _reduce, CaseState(), self.events)
        self._cache = (self.events, state)
        return state

    @property
    def stage(self) -> CaseStage:
        return self.state.stage

    def allowed_events(self) -> tuple[CaseEventKind, ...]:
        return CASE_TABLE.allowed(self.stage)

    def refusal(self, event: CaseEvent) -> Refusal | None:
        return check(CASE_TABLE, self.state, event)[1]

    def apply(self, event: CaseEvent) -> FeedbackCase:
        """A new case with ``event`` appended; raises and changes nothing if illegal."""
        new_state = advance(CASE_TABLE, _reduce, self.state, event, len(self.events))
        events = appended(self.events, event)
        return self._with_events(events, (events, new_state))

    @pauses_collector(lambda self, events: items_size(events) + log_size(self))
    def extend(self, events: Iterable[CaseEvent]) -> FeedbackCase:
        """A new case with ``events`` applied in order (O(n + k): the log is copied once, not
        once per event; an illegal event raises and changes nothing)."""

        def step(state: CaseState, event: CaseEvent, i: int) -> CaseState:
            return advance(CASE_TABLE, _reduce, state, event, i)

        state, new = fold_events(self.state, events, len(self.events), step)
        if not new:
            return self
        out = self.model_copy(update={"events": (*self.events, *new)})
        out._cache = (out.events, state)
        return out

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    @pauses_collector(lambda cls, text: json_size(text))
    def from_json(cls, text: str | bytes) -> FeedbackCase:
        """Load and replay (a bad log raises WorkflowError / EventOrderError)."""
        return load_log(cls, text, "feedback case (反馈工单)")


@pauses_collector(items_size)
def replay_case(events: Iterable[CaseEvent]) -> CaseState:
    return replay(CASE_TABLE, _reduce, CaseState(), events)
