"""The consultation workflow (客户咨询): 受理 → 确认 → 解答 → 跟进 → 结束 (001 §2).

Helpdesks feed the events they already have; the stage and every fact the standard checks are
derived from the log alone::

    c = Consultation(id="c1", channel=Channel.ONLINE_CHAT)
    c = c.apply(CustomerMessage(at=t0, text="你们快递太慢了"))
    c = c.apply(AutoReply(at=t0 + timedelta(seconds=3), text="已收到您的问题,马上为您解答"))
    c.stage                      # ConsultStage.ACCEPT
    c.allowed_events()           # what may happen next
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, WrapSerializer

from .._collector import items_size, json_size, log_size, pauses_collector
from ..models import Actor, Channel, FrozenModel, LabelledEnum, _label
from ._chain import Chain, appended, serialize_as_tuple
from ._log import fold_events, load_log
from ._machine import (
    Refusal,
    Transition,
    TransitionTable,
    advance,
    all_of,
    check,
    evolve,
    replay,
)
from ._time import DueTime, EventTime, LogModel, instant

__all__ = [
    "CONSULTATION_TABLE",
    "AgentMessage",
    "AnswerGiven",
    "AutoReply",
    "CloseReason",
    "Closed",
    "ConsultEvent",
    "ConsultEventKind",
    "ConsultStage",
    "ConsultState",
    "Consultation",
    "ConsultationPolicy",
    "CustomerMessage",
    "FollowUpDone",
    "FollowUpScheduled",
    "Importance",
    "NeedConfirmed",
    "QuestionAsked",
    "Reopened",
    "Slot",
]


class ConsultStage(LabelledEnum):
    """Stages of a consultation (001 §2 受理-确认-解答-跟进)."""

    ACCEPT = "accept"  # 受理
    CONFIRM = "confirm"  # 确认
    ANSWER = "answer"  # 解答
    FOLLOW_UP = "follow_up"  # 跟进
    CLOSED = "closed"  # 结束


_label(
    ConsultStage,
    {
        "accept": ("受理", "accept"),
        "confirm": ("确认", "confirm"),
        "answer": ("解答", "answer"),
        "follow_up": ("跟进", "follow-up"),
        "closed": ("结束", "closed"),
    },
)


class ConsultEventKind(LabelledEnum):
    """What can happen in a consultation."""

    CUSTOMER_MESSAGE = "customer_message"  # 客户消息
    AUTO_REPLY = "auto_reply"  # 自动回复
    AGENT_MESSAGE = "agent_message"  # 客服消息
    QUESTION_ASKED = "question_asked"  # 追问/提问
    NEED_CONFIRMED = "need_confirmed"  # 需求确认
    ANSWER_GIVEN = "answer_given"  # 给出解答
    FOLLOW_UP_SCHEDULED = "follow_up_scheduled"  # 安排回访
    FOLLOW_UP_DONE = "follow_up_done"  # 完成回访
    CLOSED = "closed"  # 结束
    REOPENED = "reopened"  # 重新打开


_label(
    ConsultEventKind,
    {
        "customer_message": ("客户消息", "customer message"),
        "auto_reply": ("自动回复", "auto-reply"),
        "agent_message": ("客服消息", "agent message"),
        "question_asked": ("提问", "question asked"),
        "need_confirmed": ("需求确认", "need confirmed"),
        "answer_given": ("给出解答", "answer given"),
        "follow_up_scheduled": ("安排回访", "follow-up scheduled"),
        "follow_up_done": ("完成回访", "follow-up done"),
        "closed": ("结束", "closed"),
        "reopened": ("重新打开", "reopened"),
    },
)


class Slot(LabelledEnum):
    """The 5W1H slots of a need (001 §2.2 5W1H提问法)."""

    WHAT = "what"  # 何事
    WHEN = "when"  # 何时
    WHERE = "where"  # 何地
    WHO = "who"  # 何人
    WHY = "why"  # 为何
    HOW = "how"  # 如何


_label(
    Slot,
    {
        "what": ("何事", "what"),
        "when": ("何时", "when"),
        "where": ("何地", "where"),
        "who": ("何人", "who"),
        "why": ("为何", "why"),
        "how": ("如何", "how"),
    },
)


class Importance(LabelledEnum):
    """How a consultation is followed up (001 §2.4 分类跟进)."""

    ORDINARY = "ordinary"  # 普通
    IMPORTANT = "important"  # 重要 (投诉、大额订单)
    COMPLEX = "complex"  # 复杂


_label(
    Importance,
    {
        "ordinary": ("普通咨询", "ordinary"),
        "important": ("重要问题", "important"),
        "complex": ("复杂问题", "complex"),
    },
)


class CloseReason(LabelledEnum):
    RESOLVED = "resolved"  # 已解答
    ABANDONED = "abandoned"  # 客户离开
    TRANSFERRED = "transferred"  # 转为工单/反馈处理


_label(
    CloseReason,
    {
        "resolved": ("已解答", "resolved"),
        "abandoned": ("客户离开", "abandoned"),
        "transferred": ("转工单", "transferred to a case"),
    },
)

_Responder = Literal[Actor.AGENT, Actor.BOT]
_Staff = Literal[Actor.AGENT, Actor.BOT, Actor.SYSTEM]


class _Event(FrozenModel):
    """Fields every event has: when (time-zone aware) and who, plus helpdesk references."""

    at: EventTime
    ref: str = ""  # the helpdesk's own id of the message / ticket action


class CustomerMessage(_Event):
    """The customer wrote or said something (a call ringing counts as the first one)."""

    kind: Literal[ConsultEventKind.CUSTOMER_MESSAGE] = ConsultEventKind.CUSTOMER_MESSAGE
    actor: Literal[Actor.CUSTOMER] = Actor.CUSTOMER
    text: str = ""


class AutoReply(_Event):
    """An automatic reply (自动回复), e.g. “已收到您的问题,小X为您服务,马上为您解答”."""

    kind: Literal[ConsultEventKind.AUTO_REPLY] = ConsultEventKind.AUTO_REPLY
    actor: Literal[Actor.BOT] = Actor.BOT
    text: str


class AgentMessage(_Event):
    """A message of an agent (or an answering bot); on the phone, picking up the call."""

    kind: Literal[ConsultEventKind.AGENT_MESSAGE] = ConsultEventKind.AGENT_MESSAGE
    actor: _Responder = Actor.AGENT
    agent: str = ""
    text: str = ""


class QuestionAsked(_Event):
    """The agent asks a clarifying question to find the real need (确认环节提问)."""

    kind: Literal[ConsultEventKind.QUESTION_ASKED] = ConsultEventKind.QUESTION_ASKED
    actor: _Responder = Actor.AGENT
    agent: str = ""
    text: str


class NeedConfirmed(_Event):
    """The real need is established (需求确认), with the 5W1H slots the agent recorded.

    ``important`` marks complaints and other important consultations; ``order_amount`` is
    compared with :attr:`ConsultationPolicy.large_order_amount`; ``complex`` asks for a note
    on the customer's record (001 §2.4).
    """

    kind: Literal[ConsultEventKind.NEED_CONFIRMED] = ConsultEventKind.NEED_CONFIRMED
    actor: _Staff = Actor.AGENT
    need: str
    slots: dict[Slot, str] = Field(default_factory=dict)
    topic: str = ""
    important: bool = False
    complex: bool = False
    order_amount: Decimal | None = None


class AnswerGiven(_Event):
    """An answer (解答), with the options offered when the question admits alternatives."""

    kind: Literal[ConsultEventKind.ANSWER_GIVEN] = ConsultEventKind.ANSWER_GIVEN
    actor: _Responder = Actor.AGENT
    agent: str = ""
    text: str
    options: tuple[str, ...] = ()
    alternatives_exist: bool | None = None  # None: unknown, guessed from the question


class FollowUpScheduled(_Event):
    """A proactive follow-up (主动回访) is planned for ``due``."""

    kind: Literal[ConsultEventKind.FOLLOW_UP_SCHEDULED] = ConsultEventKind.FOLLOW_UP_SCHEDULED
    actor: _Staff = Actor.AGENT
    due: DueTime
    via: Channel | None = None


class FollowUpDone(_Event):
    """The follow-up happened (回访), optionally with a note for the customer's record."""

    kind: Literal[ConsultEventKind.FOLLOW_UP_DONE] = ConsultEventKind.FOLLOW_UP_DONE
    actor: _Staff = Actor.AGENT
    text: str = ""
    via: Channel | None = None
    record_note: str = ""


class Closed(_Event):
    """The consultation ends; ``text`` is the closing message sent to the customer, if any."""

    kind: Literal[ConsultEventKind.CLOSED] = ConsultEventKind.CLOSED
    actor: _Staff = Actor.AGENT
    reason: CloseReason = CloseReason.RESOLVED
    text: str = ""
    record_note: str = ""


class Reopened(_Event):
    """The customer comes back on the same matter (重新打开)."""

    kind: Literal[ConsultEventKind.REOPENED] = ConsultEventKind.REOPENED
    actor: Literal[Actor.CUSTOMER, Actor.AGENT, Actor.SYSTEM] = Actor.CUSTOMER
    text: str = ""


ConsultEvent = Annotated[
    CustomerMessage
    | AutoReply
    | AgentMessage
    | QuestionAsked
    | NeedConfirmed
    | AnswerGiven
    | FollowUpScheduled
    | FollowUpDone
    | Closed
    | Reopened,
    Field(discriminator="kind"),
]


class ConsultationPolicy(FrozenModel):
    """Numbers of 001 that decide guards and importance (each configurable)."""

    large_order_amount: Decimal = Decimal("1000")  # 大额订单 threshold (yuan)
    follow_up_within: timedelta = timedelta(hours=24)  # 重要问题 24 小时内回访


_NO_NOTES: Chain[str] = Chain()  # immutable, so shared


@dataclass(frozen=True)
class ConsultState:
    """Everything the log has established so far (derived, never stored)."""

    stage: ConsultStage = ConsultStage.ACCEPT
    cycle: int = 0  # 0 for the first contact, +1 per reopen
    last_at: datetime | None = None
    opened_at: datetime | None = None  # first customer message of the current cycle
    first_response_at: datetime | None = None
    first_response_index: int | None = None
    awaiting_since: datetime | None = None  # customer message not yet responded to
    need: str | None = None
    slots: tuple[tuple[Slot, str], ...] = ()
    topic: str = ""
    important: bool = False
    complex: bool = False
    order_amount: Decimal | None = None
    answers: int = 0
    follow_up_due: datetime | None = None
    follow_up_done_at: datetime | None = None
    record_notes: Chain[str] = _NO_NOTES  # reads like a tuple; O(1) append
    closed_at: datetime | None = None
    close_reason: CloseReason | None = None
    events: int = 0

    @property
    def importance(self) -> Importance:
        if self.important:
            return Importance.IMPORTANT
        if self.complex:
            return Importance.COMPLEX
        return Importance.ORDINARY


# -- guards ---------------------------------------------------------------------------------
_Guard = Callable[[ConsultState, ConsultEvent], "Refusal | None"]
_Row = Transition[ConsultStage, ConsultState, ConsultEvent]


def _customer_has_spoken(state: ConsultState, event: ConsultEvent) -> Refusal | None:
    if state.opened_at is None:
        return Refusal(
            "客户尚未发起咨询,不能先回复", "nobody can respond before the customer's first message"
        )
    return None


def _due_in_future(state: ConsultState, event: ConsultEvent) -> Refusal | None:
    if isinstance(event, FollowUpScheduled) and instant(event.due) <= instant(event.at):
        return Refusal("回访时间必须晚于安排时间", "a follow-up must be due after it is scheduled")
    return None


def _can_close(state: ConsultState, event: ConsultEvent) -> Refusal | None:
    if not isinstance(event, Closed) or event.reason is not CloseReason.RESOLVED:
        return None
    if state.answers == 0:
        return Refusal(
            "尚未给出解答,不能以“已解答”结束", "cannot close as resolved before an answer was given"
        )
    if state.important and state.follow_up_done_at is None:
        return Refusal(
            "重要问题须先完成主动回访(24小时内)再结束",
            "an important consultation needs its proactive follow-up (within 24 h) before closing",
        )
    if state.complex and not state.record_notes and not event.record_note:
        return Refusal(
            "复杂问题须在客户档案中记录备注,便于下次主动提及",
            "a complex consultation needs a note on the customer's record before closing",
        )
    return None


def _msg(target: ConsultStage | None = None, guard: _Guard | None = None) -> _Row:
    return Transition(target, guard)


C = ConsultStage
K = ConsultEventKind

_ROWS: dict[tuple[ConsultStage, ConsultEventKind], _Row] = {
    # 受理: the customer opens; an acknowledging reply or the agent moves on to 确认.
    (C.ACCEPT, K.CUSTOMER_MESSAGE): _msg(),
    (C.ACCEPT, K.AUTO_REPLY): _msg(None, _customer_has_spoken),
    (C.ACCEPT, K.AGENT_MESSAGE): _msg(C.CONFIRM, _customer_has_spoken),
    (C.ACCEPT, K.QUESTION_ASKED): _msg(C.CONFIRM, _customer_has_spoken),
    (C.ACCEPT, K.NEED_CONFIRMED): _msg(C.ANSWER, _customer_has_spoken),
    (C.ACCEPT, K.ANSWER_GIVEN): _msg(C.FOLLOW_UP, _customer_has_spoken),
    (C.ACCEPT, K.CLOSED): _msg(C.CLOSED, _can_close),
    # 确认
    (C.CONFIRM, K.CUSTOMER_MESSAGE): _msg(),
    (C.CONFIRM, K.AUTO_REPLY): _msg(),
    (C.CONFIRM, K.AGENT_MESSAGE): _msg(),
    (C.CONFIRM, K.QUESTION_ASKED): _msg(),
    (C.CONFIRM, K.NEED_CONFIRMED): _msg(C.ANSWER),
    (C.CONFIRM, K.ANSWER_GIVEN): _msg(C.FOLLOW_UP),
    (C.CONFIRM, K.CLOSED): _msg(C.CLOSED, _can_close),
    # 解答
    (C.ANSWER, K.CUSTOMER_MESSAGE): _msg(),
    (C.ANSWER, K.AUTO_REPLY): _msg(),
    (C.ANSWER, K.AGENT_MESSAGE): _msg(),
    (C.ANSWER, K.QUESTION_ASKED): _msg(),
    (C.ANSWER, K.NEED_CONFIRMED): _msg(),
    (C.ANSWER, K.ANSWER_GIVEN): _msg(C.FOLLOW_UP),
    (C.ANSWER, K.CLOSED): _msg(C.CLOSED, _can_close),
    # 跟进
    (C.FOLLOW_UP, K.CUSTOMER_MESSAGE): _msg(),
    (C.FOLLOW_UP, K.AUTO_REPLY): _msg(),
    (C.FOLLOW_UP, K.AGENT_MESSAGE): _msg(),
    (C.FOLLOW_UP, K.QUESTION_ASKED): _msg(),
    (C.FOLLOW_UP, K.NEED_CONFIRMED): _msg(),
    (C.FOLLOW_UP, K.ANSWER_GIVEN): _msg(),
    (C.FOLLOW_UP, K.FOLLOW_UP_SCHEDULED): _msg(None, _due_in_future),
    (C.FOLLOW_UP, K.FOLLOW_UP_DONE): _msg(),
    (C.FOLLOW_UP, K.CLOSED): _msg(C.CLOSED, _can_close),
    # 结束 → reopen edge
    (C.CLOSED, K.REOPENED): _msg(C.ACCEPT),
}

CONSULTATION_TABLE: TransitionTable[ConsultStage, ConsultEventKind, ConsultState, ConsultEvent] = (
    TransitionTable("consultation (咨询)", _ROWS, ConsultEventKind)
)


def _reducer(
    policy: ConsultationPolicy,
) -> Callable[[ConsultState, ConsultEvent, ConsultStage], ConsultState]:
    def reduce(state: ConsultState, ev: ConsultEvent, target: ConsultStage) -> ConsultState:
        upd: dict[str, Any] = {"stage": target, "last_at": ev.at, "events": state.events + 1}
        if isinstance(ev, CustomerMessage):
            if state.opened_at is None:
                upd["opened_at"] = ev.at
            if state.awaiting_since is None:
                upd["awaiting_since"] = ev.at
        elif isinstance(ev, AutoReply | AgentMessage | QuestionAsked | AnswerGiven):
            if state.first_response_at is None and state.opened_at is not None:
                upd["first_response_at"] = ev.at
                upd["first_response_index"] = state.events
            if not isinstance(ev, AutoReply):
                upd["awaiting_since"] = None
            if isinstance(ev, AnswerGiven):
                upd["answers"] = state.answers + 1
        elif isinstance(ev, NeedConfirmed):
            upd["need"] = ev.need
            merged = dict(state.slots)
            merged.update(ev.slots)
            upd["slots"] = tuple(sorted(merged.items(), key=lambda kv: list(Slot).index(kv[0])))
            upd["topic"] = ev.topic or state.topic
            amount = ev.order_amount if ev.order_amount is not None else state.order_amount
            upd["order_amount"] = amount
            upd["important"] = (
                state.important
                or ev.important
                or (amount is not None and amount >= policy.large_order_amount)
            )
            upd["complex"] = state.complex or ev.complex
        elif isinstance(ev, FollowUpScheduled):
            upd["follow_up_due"] = ev.due
            upd["follow_up_done_at"] = None
        elif isinstance(ev, FollowUpDone):
            upd["follow_up_done_at"] = ev.at
            if ev.record_note:
                upd["record_notes"] = state.record_notes.append(ev.record_note)
        elif isinstance(ev, Closed):
            upd["closed_at"] = ev.at
            upd["close_reason"] = ev.reason
            upd["awaiting_since"] = None
            if ev.record_note:
                upd["record_notes"] = state.record_notes.append(ev.record_note)
        elif isinstance(ev, Reopened):
            upd.update(
                cycle=state.cycle + 1,
                opened_at=ev.at,
                first_response_at=None,
                first_response_index=None,
                awaiting_since=ev.at,
                closed_at=None,
                close_reason=None,
                answers=0,
                follow_up_due=None,
                follow_up_done_at=None,
            )
        return evolve(state, upd)

    return reduce


class Consultation(LogModel):
    """A consultation: its identity, channel and event log.  Everything else is derived."""

    id: str
    channel: Channel = Channel.ONLINE_CHAT
    customer: str = ""
    policy: ConsultationPolicy = ConsultationPolicy()
    # a Chain after apply (O(1) append, shares its prefix); equal to, hashes and dumps like
    # the tuple it stands for
    events: Annotated[tuple[ConsultEvent, ...], WrapSerializer(serialize_as_tuple)] = ()
    # cache of the derived state, keyed by the very tuple of events and policy it was derived
    # from, so a model_copy(update=...) never reuses a stale state
    _cache: tuple[object, object, ConsultState] | None = PrivateAttr(default=None)
    # the stage after each event, from the same fold (the SLA bridge times stage clocks by it)
    _stages: tuple[object, object, tuple[ConsultStage, ...]] | None = PrivateAttr(default=None)

    # -- derived ----------------------------------------------------------------------------
    @property
    def state(self) -> ConsultState:
        """The state derived by replaying the log (cached on this immutable object)."""
        cache = self._cache
        if cache is not None and cache[0] is self.events and cache[1] is self.policy:
            return cache[2]
        state = replay(CONSULTATION_TABLE, _reducer(self.policy), ConsultState(), self.events)
        self._cache = (self.events, self.policy, state)
        return state

    @property
    def stage(self) -> ConsultStage:
        return self.state.stage

    def allowed_events(self) -> tuple[ConsultEventKind, ...]:
        """Event kinds the table accepts now (a guard may still refuse one)."""
        return CONSULTATION_TABLE.allowed(self.stage)

    def refusal(self, event: ConsultEvent) -> Refusal | None:
        """Why ``event`` would be refused by its guard now (``None``: accepted or no row)."""
        return check(CONSULTATION_TABLE, self.state, event)[1]

    # -- commands ---------------------------------------------------------------------------
    def apply(self, event: ConsultEvent) -> Consultation:
        """A new consultation with ``event`` appended; raises and changes nothing if illegal."""
        new_state = advance(
            CONSULTATION_TABLE, _reducer(self.policy), self.state, event, len(self.events)
        )
        events = appended(self.events, event)
        return self._with_events(events, (events, self.policy, new_state))

    @pauses_collector(lambda self, events: items_size(events) + log_size(self))
    def extend(self, events: Iterable[ConsultEvent]) -> Consultation:
        """A new consultation with ``events`` applied in order (O(n + k): the log is copied
        once, not once per event; an illegal event raises and changes nothing)."""
        reducer = _reducer(self.policy)

        def step(state: ConsultState, event: ConsultEvent, i: int) -> ConsultState:
            return advance(CONSULTATION_TABLE, reducer, state, event, i)

        state, new = fold_events(self.state, events, len(self.events), step)
        if not new:
            return self
        out = self.model_copy(update={"events": (*self.events, *new)})
        out._cache = (out.events, out.policy, state)
        return out

    # -- JSON -------------------------------------------------------------------------------
    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    @pauses_collector(lambda cls, text: json_size(text))
    def from_json(cls, text: str | bytes) -> Consultation:
        """Load and replay (a bad log raises WorkflowError / EventOrderError)."""
        return load_log(cls, text, "consultation (咨询记录)")


@pauses_collector(lambda events, *a, **kw: items_size(events))
def replay_consultation(events: Any, policy: ConsultationPolicy | None = None) -> ConsultState:
    """Replay a log from scratch (the reference the stateful tests compare with)."""
    return replay(
        CONSULTATION_TABLE, _reducer(policy or ConsultationPolicy()), ConsultState(), events
    )


__all__ += ["all_of", "replay_consultation"]
