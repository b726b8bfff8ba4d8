"""hypothesis.stateful: random event sequences against both workflows.

Invariants: the state kept while applying equals replaying the log; an illegal event raises and
leaves the workflow unchanged; the JSON form round-trips; the SLA clocks computed through
csstandards.sla agree with the times the workflow log says the clocks must stop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import event as hyp_event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from csstandards.errors import EventOrderError, WorkflowError
from csstandards.models import Channel, Priority
from csstandards.sla import Metric
from csstandards.workflow import (
    CASE_TABLE,
    CONSULTATION_TABLE,
    Acknowledged,
    AgentMessage,
    Analysed,
    AnswerGiven,
    Assessed,
    AssessmentOverridden,
    Assigned,
    AutoReply,
    CaseAssessment,
    CaseClosed,
    CaseReopened,
    CaseStage,
    Closed,
    CloseReason,
    Consultation,
    CustomerMessage,
    FeedbackCase,
    FollowUpDone,
    FollowUpScheduled,
    NeedConfirmed,
    ProgressUpdated,
    QuestionAsked,
    Recorded,
    Reopened,
    Resolved,
    ResultCommunicated,
    WorkStarted,
    case_clocks,
    case_stages,
    consultation_clocks,
    replay_case,
    replay_consultation,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
SETTINGS = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

ACK_TEXTS = {"已收到您的问题,马上为您解答": True, "此为自动回复,请勿回复": False}

ConsultMaker = Callable[[datetime, bool], Any]
CONSULT_EVENTS: list[tuple[str, ConsultMaker]] = [
    ("customer", lambda t, f: CustomerMessage(at=t, text="快递太慢了")),
    (
        "auto",
        lambda t, f: AutoReply(
            at=t, text="已收到您的问题,马上为您解答" if f else "此为自动回复,请勿回复"
        ),
    ),
    ("agent", lambda t, f: AgentMessage(at=t, text="您好")),
    ("question", lambda t, f: QuestionAsked(at=t, text="您希望什么时候收到?")),
    ("need", lambda t, f: NeedConfirmed(at=t, need="明天送礼", important=f)),
    ("answer", lambda t, f: AnswerGiven(at=t, text="已加急")),
    ("schedule", lambda t, f: FollowUpScheduled(at=t, due=t + timedelta(hours=-1 if f else 20))),
    ("done", lambda t, f: FollowUpDone(at=t, text="收到了吗", record_note="备注" if f else "")),
    (
        "close",
        lambda t, f: Closed(at=t, reason=CloseReason.RESOLVED if f else CloseReason.ABANDONED),
    ),
    ("reopen", lambda t, f: Reopened(at=t)),
]
HUMAN = (AgentMessage, QuestionAsked, AnswerGiven)


def expected_consult_clocks(c: Consultation) -> dict[str, list[tuple[datetime, datetime | None]]]:
    """(start, stop) of each clock, derived from the log alone (not from csstandards.sla)."""
    evs = list(c.events)
    opened = next((i for i, e in enumerate(evs) if isinstance(e, CustomerMessage)), None)
    out: dict[str, list[tuple[datetime, datetime | None]]] = {"ack": [], "first": [], "fu": []}
    if opened is None:
        return out
    starts = [opened] + [i for i, e in enumerate(evs) if i > opened and isinstance(e, Reopened)]
    ends = [*starts[1:], len(evs)]
    for n, (a, b) in enumerate(zip(starts, ends, strict=True)):
        cyc = list(range(a, b))
        stop_first = next((evs[i].at for i in cyc if isinstance(evs[i], (*HUMAN, Closed))), None)
        out["first"].append((evs[a].at, stop_first))
        if n == 0:
            stop_ack = next(
                (
                    evs[i].at
                    for i in cyc
                    if isinstance(evs[i], (*HUMAN, Closed))
                    or (isinstance(evs[i], AutoReply) and ACK_TEXTS[evs[i].text])
                ),
                None,
            )
            out["ack"].append((evs[a].at, stop_ack))
        res = next((i for i in cyc if isinstance(evs[i], (AnswerGiven, Closed))), None)
        if res is not None:
            done = next(
                (evs[j].at for j in range(res + 1, len(evs)) if isinstance(evs[j], FollowUpDone)),
                None,
            )
            out["fu"].append((evs[res].at, done))
    return out


class ConsultationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.c = Consultation(id="h", channel=Channel.ONLINE_CHAT)
        self.t = T0

    @rule(
        which=st.integers(0, len(CONSULT_EVENTS) - 1),
        dt=st.integers(0, 40 * 3600),
        flag=st.booleans(),
    )
    def event(self, which: int, dt: int, flag: bool) -> None:
        at = self.t + timedelta(seconds=dt)
        ev = CONSULT_EVENTS[which][1](at, flag)
        before_events, before_state = self.c.events, self.c.state
        try:
            new = self.c.apply(ev)
        except WorkflowError as exc:
            assert self.c.events == before_events and self.c.state == before_state
            allowed = CONSULTATION_TABLE.allowed(self.c.stage)
            assert ev.kind not in allowed or self.c.refusal(ev) is not None
            assert exc.event == ev.kind.value
            assert exc.allowed == tuple(k.value for k in allowed)
            return
        assert self.c.refusal(ev) is None and ev.kind in CONSULTATION_TABLE.allowed(self.c.stage)
        assert new.state == replay_consultation(new.events, new.policy)
        assert new.events[:-1] == before_events
        hyp_event(f"consultation reached {new.stage.value}, cycle {min(new.state.cycle, 2)}")
        self.c, self.t = new, at

    @rule(data=st.data(), dt=st.integers(0, 40 * 3600), flag=st.booleans())
    def allowed_event(self, data: st.DataObject, dt: int, flag: bool) -> None:
        """Mostly-legal moves so that deep stages and reopen cycles are reached."""
        allowed = set(CONSULTATION_TABLE.allowed(self.c.stage))
        choices = [i for i, (_, f) in enumerate(CONSULT_EVENTS) if f(T0, flag).kind in allowed]
        self.event(data.draw(st.sampled_from(choices)), dt, flag)

    @rule(back=st.integers(1, 3600))
    def out_of_order(self, back: int) -> None:
        last = self.c.state.last_at
        if last is None:
            return
        before = self.c
        try:
            self.c.apply(CustomerMessage(at=last - timedelta(seconds=back), text="x"))
        except (EventOrderError, WorkflowError):
            assert self.c == before
        else:  # pragma: no cover - must not happen
            raise AssertionError("an event earlier than the last one was accepted")

    @invariant()
    def json_round_trip(self) -> None:
        back = Consultation.from_json(self.c.to_json())
        assert back == self.c and back.state == self.c.state

    @invariant()
    def clocks_agree_with_sla(self) -> None:
        if self.c.state.last_at is None:
            return
        clocks = consultation_clocks(self.c, now=self.t + timedelta(days=3))
        exp = expected_consult_clocks(self.c)
        got_first = [(k.started_at, k.stopped_at) for k in clocks.of(Metric.FIRST_RESPONSE)]
        got_ack = [(k.started_at, k.stopped_at) for k in clocks.of(Metric.ACKNOWLEDGEMENT)]
        assert got_first == exp["first"]
        assert got_ack == exp["ack"]
        for k in clocks.of(Metric.FIRST_RESPONSE):
            if k.stopped_at is not None:
                assert k.breached == (k.stopped_at - k.started_at > timedelta(seconds=15))
        if self.c.state.important:
            got_fu = sorted((k.started_at, k.stopped_at) for k in clocks.of(Metric.FOLLOW_UP))
            assert got_fu == sorted(exp["fu"])
        else:
            assert clocks.of(Metric.FOLLOW_UP) == ()


CASE_KINDS = ["complaint", "grievance", "suggestion", "praise"]

CaseMaker = Callable[[datetime, int], Any]
CASE_EVENTS: list[tuple[str, CaseMaker]] = [
    (
        "record",
        lambda t, k: Recorded(
            at=t,
            customer="" if k == 3 else "王女士",
            received_at=t - timedelta(minutes=k),
            description="杯子裂了",
            demand="换新",
            channel=Channel.ONLINE_CHAT,
        ),
    ),
    (
        "assess",
        lambda t, k: Assessed(
            at=t, assessment=CaseAssessment(kind=CASE_KINDS[k], priority=list(Priority)[k])
        ),
    ),
    (
        "override",
        lambda t, k: AssessmentOverridden(
            at=t, assessment=CaseAssessment(kind=CASE_KINDS[k], source="person")
        ),
    ),
    ("ack", lambda t, k: Acknowledged(at=t, text="已收到")),
    ("assign", lambda t, k: Assigned(at=t, department="质量部门")),
    ("start", lambda t, k: WorkStarted(at=t)),
    ("progress", lambda t, k: ProgressUpdated(at=t, text="处理中")),
    ("resolve", lambda t, k: Resolved(at=t, result="换新")),
    (
        "communicate",
        lambda t, k: ResultCommunicated(at=t, text="感谢", explanation="缺货,下周补" if k else ""),
    ),
    ("analyse", lambda t, k: Analysed(at=t, root_cause="包装")),
    ("close", lambda t, k: CaseClosed(at=t)),
    ("reopen", lambda t, k: CaseReopened(at=t)),
]
MEASURED_STAGES = {"received", "assessed", "reopened", "assigned", "communicated", "analysed"}


class CaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.c = FeedbackCase(id="f", complex=True)
        self.t = T0

    @rule(
        which=st.integers(0, len(CASE_EVENTS) - 1),
        dt=st.integers(0, 30 * 3600),
        k=st.integers(0, 3),
    )
    def event(self, which: int, dt: int, k: int) -> None:
        at = self.t + timedelta(seconds=dt)
        ev = CASE_EVENTS[which][1](at, k)
        before_events, before_state = self.c.events, self.c.state
        try:
            new = self.c.apply(ev)
        except WorkflowError:
            assert self.c.events == before_events and self.c.state == before_state
            allowed = CASE_TABLE.allowed(self.c.stage)
            assert ev.kind not in allowed or self.c.refusal(ev) is not None
            return
        assert new.state == replay_case(new.events)
        if isinstance(ev, CaseClosed):
            assert self.c.state.communicated_at is not None  # never closes before that
        hyp_event(f"case reached {new.stage.value}")
        self.c, self.t = new, at

    @rule(data=st.data(), dt=st.integers(0, 30 * 3600), k=st.integers(0, 3))
    def allowed_event(self, data: st.DataObject, dt: int, k: int) -> None:
        allowed = set(CASE_TABLE.allowed(self.c.stage))
        choices = [i for i, (_, f) in enumerate(CASE_EVENTS) if f(T0, k).kind in allowed]
        self.event(data.draw(st.sampled_from(choices)), dt, k)

    @invariant()
    def json_round_trip(self) -> None:
        back = FeedbackCase.from_json(self.c.to_json())
        assert back == self.c and back.state == self.c.state

    @invariant()
    def clocks_agree_with_sla(self) -> None:
        st_ = self.c.state
        if st_.record is None:
            return
        clocks = case_clocks(self.c, now=self.t + timedelta(days=1))
        evs = list(self.c.events)
        # acknowledgement: from the feedback time to the first message to the customer
        ack = clocks.of(Metric.ACKNOWLEDGEMENT)
        stop = next(
            (
                e.at
                for e in evs
                if isinstance(e, Acknowledged | ProgressUpdated | ResultCommunicated)
            ),
            None,
        )
        assert [(k.started_at, k.stopped_at) for k in ack] == [(st_.record.received_at, stop)]
        # resolution stops when the result is first communicated in each cycle
        cycle_starts = [0] + [i for i, e in enumerate(evs) if isinstance(e, CaseReopened)]
        ends = [*cycle_starts[1:], len(evs)]
        res_stops = [
            next((evs[i].at for i in range(a, b) if isinstance(evs[i], ResultCommunicated)), None)
            for a, b in zip(cycle_starts, ends, strict=True)
        ]
        assert [k.stopped_at for k in clocks.of(Metric.RESOLUTION)] == res_stops
        # one stage clock per entry into a measured step, started when the step was entered
        entries = []
        stage = CaseStage.NEW
        for ev, s in zip(evs, case_stages(self.c), strict=True):  # stage after each event
            if s is not stage:
                stage = s
                if s.value in MEASURED_STAGES:
                    entries.append((s.value, ev.at))
        assert [(k.stage, k.started_at) for k in clocks.of(Metric.STAGE)] == entries


TestConsultationMachine = ConsultationMachine.TestCase
TestConsultationMachine.settings = SETTINGS
TestCaseMachine = CaseMachine.TestCase
TestCaseMachine.settings = SETTINGS
