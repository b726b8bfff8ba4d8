"""SLA clocks of workflows: map a consultation's or a case's log onto
:class:`csstandards.sla.TicketEvent` and let :func:`csstandards.sla.compute_clocks` time it.

The mapping is the single definition of "when did the clock stop" for workflows:

======================================  ==================================================
consultation event                       SLA event
======================================  ==================================================
first customer message of the log        ``opened``
later customer messages                  ``customer_message``
auto-reply that acknowledges (受理确认)   ``auto_reply`` (a mechanical one is not mapped)
agent message / question / answer        ``agent_reply``
first answer of a cycle                  ``agent_reply`` + ``resolved`` (starts follow-up)
closed without an answer                 ``resolved``
follow-up done                           ``followed_up``
reopened                                 ``reopened``
every stage change                       ``stage_entered`` (stage value)
======================================  ==================================================

Feedback case: ``recorded`` → ``opened`` at the feedback time (``received_at``) and
``stage_entered received``; ``acknowledged`` → ``auto_reply`` (it acknowledges, it does not
resolve: 003 二(三)); ``progress_updated`` → ``agent_reply``; ``result_communicated`` →
``agent_reply`` + ``resolved``; ``reopened`` → ``reopened``; stage changes → ``stage_entered``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import lru_cache

from .._collector import log_size, pauses_collector
from ..lexicon import load_file
from ..models import trusted_builder
from ..sla import (
    EventKind,
    Metric,
    SLAPolicy,
    TicketClocks,
    TicketContext,
    TicketEvent,
    compute_clocks,
    default_policy,
    policy_from_mapping,
)
from ._machine import advance
from .case import (
    CASE_TABLE,
    Acknowledged,
    CaseReopened,
    CaseStage,
    CaseState,
    FeedbackCase,
    ProgressUpdated,
    Recorded,
    ResultCommunicated,
    _reduce,
)
from .consultation import (
    CONSULTATION_TABLE,
    AgentMessage,
    AnswerGiven,
    AutoReply,
    Closed,
    Consultation,
    ConsultStage,
    ConsultState,
    CustomerMessage,
    FollowUpDone,
    QuestionAsked,
    Reopened,
    _reducer,
)

__all__ = [
    "case_clocks",
    "case_sla_policy",
    "case_stages",
    "case_ticket_events",
    "consultation_clocks",
    "consultation_stages",
    "consultation_ticket_events",
]

AutoReplyCounts = Callable[[AutoReply], bool]


def _default_counts(ev: AutoReply) -> bool:
    from .checks import auto_reply_acknowledges

    return auto_reply_acknowledges(ev.text)


#: the bridge builds only valid ticket events (a stage event always names its stage)
_ticket_event = trusted_builder(TicketEvent, validators_hold=True)


def consultation_ticket_events(
    c: Consultation, *, auto_reply_counts: AutoReplyCounts | None = None
) -> list[TicketEvent]:
    """The SLA event log of a consultation (see the module table)."""
    counts = auto_reply_counts or _default_counts
    out: list[TicketEvent] = []
    opened = False
    answered = False
    stage = ConsultStage.ACCEPT
    for ev, st in zip(c.events, consultation_stages(c), strict=True):
        if not opened and not isinstance(ev, CustomerMessage):
            continue  # nothing is timed before the customer's first message
        if isinstance(ev, CustomerMessage):
            if not opened:
                out.append(_ticket_event(kind=EventKind.OPENED, at=ev.at))
                out.append(_ticket_event(kind=EventKind.STAGE_ENTERED, at=ev.at, stage=stage.value))
                opened = True
            else:
                out.append(_ticket_event(kind=EventKind.CUSTOMER_MESSAGE, at=ev.at))
        elif isinstance(ev, AutoReply):
            if counts(ev):
                out.append(_ticket_event(kind=EventKind.AUTO_REPLY, at=ev.at))
        elif isinstance(ev, AgentMessage | QuestionAsked | AnswerGiven):
            out.append(_ticket_event(kind=EventKind.AGENT_REPLY, at=ev.at))
            if isinstance(ev, AnswerGiven) and not answered:
                out.append(_ticket_event(kind=EventKind.RESOLVED, at=ev.at))
                answered = True
        elif isinstance(ev, Closed):
            if not answered:
                out.append(_ticket_event(kind=EventKind.RESOLVED, at=ev.at))
                answered = True
        elif isinstance(ev, FollowUpDone):
            out.append(_ticket_event(kind=EventKind.FOLLOWED_UP, at=ev.at))
        elif isinstance(ev, Reopened):
            out.append(_ticket_event(kind=EventKind.REOPENED, at=ev.at))
            answered = False
        if opened and st is not stage:
            stage = st
            out.append(_ticket_event(kind=EventKind.STAGE_ENTERED, at=ev.at, stage=stage.value))
    return out


def consultation_stages(c: Consultation) -> Iterator[ConsultStage]:
    """The stage after each event of the log (one fold, shared: see :func:`stage_history`)."""
    return iter(stage_history(c))


def stage_history(c: Consultation) -> tuple[ConsultStage, ...]:
    """The stage after each event of the log, folded once per consultation object; the same
    fold's final state fills :attr:`Consultation.state`, so a consultation whose clocks are
    computed is replayed once, not twice.  An illegal event raises as the replay does."""
    got = c._stages
    if got is not None and got[0] is c.events and got[1] is c.policy:
        return got[2]
    state = ConsultState()
    reduce = _reducer(c.policy)
    out: list[ConsultStage] = []
    for i, ev in enumerate(c.events):
        state = advance(CONSULTATION_TABLE, reduce, state, ev, i)
        out.append(state.stage)
    stages = tuple(out)
    c._stages = (c.events, c.policy, stages)
    cache = c._cache
    if cache is None or cache[0] is not c.events or cache[1] is not c.policy:
        c._cache = (c.events, c.policy, state)
    return stages


def consultation_context(c: Consultation) -> TicketContext:
    """Policy conditions of a consultation: its channel; ``important`` tags (001 §2.4)."""
    st = c.state
    tags: set[str] = set()
    if st.important:
        tags.add("important")
        if st.order_amount is not None and st.order_amount >= c.policy.large_order_amount:
            tags.add("large_order")
    if st.complex:
        tags.add("complex")
    return TicketContext(channel=c.channel, tags=frozenset(tags))


def consultation_clocks(
    c: Consultation,
    *,
    now: datetime | None = None,
    policy: SLAPolicy | None = None,
    auto_reply_counts: AutoReplyCounts | None = None,
    metrics: Iterable[Metric] | None = None,
) -> TicketClocks:
    """SLA clocks of a consultation as of ``now`` (default: its last event); ``metrics``: only
    those metrics' clocks (see :func:`~csstandards.sla.compute_clocks`)."""
    when = now or c.state.last_at
    if when is None:
        raise_empty("consultation", c.id)
    assert when is not None
    return compute_clocks(
        consultation_ticket_events(c, auto_reply_counts=auto_reply_counts),
        now=when,
        policy=policy or default_policy(),
        context=consultation_context(c),
        ticket_id=c.id,
        metrics=metrics,
    )


def raise_empty(what: str, ident: str) -> None:
    from ..errors import InputError

    raise InputError(f"{what} {ident!r} has no events yet: give now= to compute its clocks")


# -- feedback case --------------------------------------------------------------------------
@lru_cache(maxsize=1)
def case_sla_policy() -> SLAPolicy:
    """The default per-step time limits of a feedback case (``lexicon/workflow.toml``
    ``[case_sla]``, in the SLA policy format of docs/sla.md)."""
    data = load_file("workflow.toml")["case_sla"]
    return policy_from_mapping(data, source="lexicon/workflow.toml [case_sla]")


def case_stages(case: FeedbackCase) -> Iterator[CaseStage]:
    """The stage after each event of the log (one fold)."""
    state = CaseState()
    for i, ev in enumerate(case.events):
        state = advance(CASE_TABLE, _reduce, state, ev, i)
        yield state.stage


def case_ticket_events(case: FeedbackCase) -> list[TicketEvent]:
    """The SLA event log of a feedback case (see the module docstring)."""
    out: list[TicketEvent] = []
    stage = CaseStage.NEW
    resolved = False
    for ev, st in zip(case.events, case_stages(case), strict=True):
        if isinstance(ev, Recorded):
            out.append(TicketEvent(kind=EventKind.OPENED, at=ev.received_at))
        elif isinstance(ev, Acknowledged):
            out.append(TicketEvent(kind=EventKind.AUTO_REPLY, at=ev.at))
        elif isinstance(ev, ProgressUpdated):
            out.append(TicketEvent(kind=EventKind.AGENT_REPLY, at=ev.at))
        elif isinstance(ev, ResultCommunicated):
            out.append(TicketEvent(kind=EventKind.AGENT_REPLY, at=ev.at))
            if not resolved:
                out.append(TicketEvent(kind=EventKind.RESOLVED, at=ev.at))
                resolved = True
        elif isinstance(ev, CaseReopened):
            out.append(TicketEvent(kind=EventKind.REOPENED, at=ev.at))
            resolved = False
        if st is not stage:
            stage = st
            out.append(TicketEvent(kind=EventKind.STAGE_ENTERED, at=ev.at, stage=stage.value))
    return out


def case_context(case: FeedbackCase) -> TicketContext:
    st = case.state
    a = st.assessment
    tags = {a.kind} if a is not None else set()
    if case.complex:
        tags.add("complex")
    return TicketContext(
        channel=st.record.channel if st.record is not None else None,
        priority=a.priority if a is not None else None,
        urgent=bool(a is not None and a.urgency in ("high", "urgent", "critical")),
        tags=frozenset(tags),
    )


@pauses_collector(lambda case, **kw: log_size(case))
def case_clocks(
    case: FeedbackCase, *, now: datetime | None = None, policy: SLAPolicy | None = None
) -> TicketClocks:
    """SLA clocks of a case as of ``now`` (default: its last event): acknowledgement,
    resolution (result communicated) and one ``stage`` clock per step."""
    when = now or case.state.last_at
    if when is None:
        raise_empty("feedback case", case.id)
    assert when is not None
    return compute_clocks(
        case_ticket_events(case),
        now=when,
        policy=policy or case_sla_policy(),
        context=case_context(case),
        ticket_id=case.id,
    )
