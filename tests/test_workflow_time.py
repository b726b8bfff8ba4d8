"""#17 item 4: event order on instants across DST, nonexistent wall times, lossless offsets,
and "a state that applied an event can always be reloaded" (regressions + hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from csstandards.errors import (
    EventOrderError,
    NonexistentTimeError,
    TimeRangeError,
    WorkflowError,
)
from csstandards.models import Channel
from csstandards.sla import EventKind, TicketEvent, compute_clocks
from csstandards.workflow import (
    AgentMessage,
    AnswerGiven,
    AutoReply,
    Closed,
    CloseReason,
    Consultation,
    CustomerMessage,
    FeedbackCase,
    FollowUpDone,
    FollowUpScheduled,
    NeedConfirmed,
    QuestionAsked,
    Recorded,
    Reopened,
)

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
ZONES = (NY, LONDON, LORD_HOWE)
UTC = timezone.utc


def _utc(t: datetime) -> datetime:
    return t.astimezone(UTC)


# -- regressions ------------------------------------------------------------------------------


def test_events_across_the_fall_back_are_ordered_by_instant() -> None:
    first = datetime(2026, 11, 1, 1, 50, tzinfo=NY)  # 01:50 EDT (-04:00)
    later = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY)  # 01:10 EST, twenty minutes later
    assert later < first  # what Python's wall-clock comparison says
    c = Consultation(id="c").apply(CustomerMessage(at=first, text="在吗"))
    c = c.apply(AutoReply(at=later, text="已收到您的问题,马上为您解答"))
    assert c.state.first_response_at is not None
    assert _utc(c.state.first_response_at) - _utc(first) == timedelta(minutes=20)
    reloaded = Consultation.from_json(c.to_json())
    assert reloaded == c and reloaded.state == c.state


def test_truly_earlier_event_across_the_fall_back_is_still_refused() -> None:
    first = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY)  # 06:10Z
    earlier = datetime(2026, 11, 1, 1, 50, tzinfo=NY)  # 05:50Z, wall time "later"
    c = Consultation(id="c").apply(CustomerMessage(at=first, text="在吗"))
    with pytest.raises(EventOrderError, match="earlier than the previous event"):
        c.apply(AgentMessage(at=earlier, text="您好"))


def test_spring_gap_time_is_refused_when_the_event_is_built() -> None:
    gap = datetime(2026, 3, 8, 2, 30, tzinfo=NY)
    with pytest.raises(ValidationError, match="does not exist in its time zone") as info:
        CustomerMessage(at=gap, text="x")
    assert "2026-03-08T03:30:00-04:00" in str(info.value)  # says what the reading means after
    assert isinstance(info.value.errors()[0]["ctx"]["error"], NonexistentTimeError)
    with pytest.raises(ValidationError, match="'due'"):
        FollowUpScheduled(at=datetime(2026, 3, 7, 9, tzinfo=NY), due=gap)
    lord_howe_gap = datetime(2026, 10, 4, 2, 15, tzinfo=LORD_HOWE)  # clocks 02:00 → 02:30
    with pytest.raises(ValidationError, match="does not exist"):
        CustomerMessage(at=lord_howe_gap, text="x")


def test_the_issue_spring_gap_log_is_refused_at_apply_time_not_on_reload() -> None:
    # before: 02:30 (gap, read as EST) then 03:10 EDT was accepted, then refused on reload
    after_gap = datetime(2026, 3, 8, 3, 10, tzinfo=NY)
    c = Consultation(id="c").apply(CustomerMessage(at=after_gap, text="x"))
    assert Consultation.from_json(c.to_json()) == c
    with pytest.raises(ValidationError):
        CustomerMessage(at=datetime(2026, 3, 8, 2, 30, tzinfo=NY), text="x")


def test_offsets_with_seconds_and_microseconds_survive_json() -> None:
    tz = timezone(timedelta(hours=5, minutes=30, seconds=7))
    odd = timezone(-timedelta(hours=3, minutes=1, seconds=2, microseconds=5))
    c = Consultation(id="c").apply(CustomerMessage(at=datetime(2026, 3, 1, 10, tzinfo=tz)))
    c = c.apply(AgentMessage(at=datetime(2026, 3, 1, 8, tzinfo=odd), text="您好"))
    text = c.to_json()
    assert "+05:30:07" in text
    back = Consultation.from_json(text)
    assert [e.at.utcoffset() for e in back.events] == [e.at.utcoffset() for e in c.events]
    assert back == c and back.state == c.state


def test_event_times_keep_the_reading_and_offset_of_a_zoneinfo_time() -> None:
    t = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY)
    ev = CustomerMessage(at=t)
    assert ev.at.utcoffset() == timedelta(hours=-5)
    assert ev.at.replace(tzinfo=None) == t.replace(tzinfo=None)
    assert _utc(ev.at) == _utc(t)


def test_times_near_the_datetime_limits_are_the_librarys_error() -> None:
    with pytest.raises(ValidationError, match="outside the range") as info:
        CustomerMessage(at=datetime.max.replace(tzinfo=timezone(-timedelta(hours=5))))
    assert isinstance(info.value.errors()[0]["ctx"]["error"], TimeRangeError)


def test_case_feedback_time_compared_as_instants() -> None:
    received = datetime(2026, 11, 1, 1, 50, tzinfo=NY)  # EDT, the earlier instant
    recorded = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY)  # EST, twenty minutes later
    ev = Recorded(
        at=recorded,
        customer="张三",
        received_at=received,
        description="快递延误",
        demand="尽快送达",
        channel=Channel.PHONE,
    )
    case = FeedbackCase(id="f").apply(ev)
    assert FeedbackCase.from_json(case.to_json()) == case


def test_follow_up_due_compared_as_instants() -> None:
    c = Consultation(id="c").extend(
        [
            CustomerMessage(at=datetime(2026, 11, 1, 0, 30, tzinfo=NY), text="投诉"),
            NeedConfirmed(at=datetime(2026, 11, 1, 0, 40, tzinfo=NY), need="退款", important=True),
            AnswerGiven(at=datetime(2026, 11, 1, 1, 50, tzinfo=NY), text="已退款"),
        ]
    )
    due = datetime(2026, 11, 1, 1, 20, fold=1, tzinfo=NY)  # after 01:50 EDT as an instant
    c = c.apply(FollowUpScheduled(at=datetime(2026, 11, 1, 1, 55, tzinfo=NY), due=due))
    assert Consultation.from_json(c.to_json()) == c


def test_ticket_events_across_the_fall_back_are_in_order() -> None:
    events = [
        TicketEvent(kind=EventKind.OPENED, at=datetime(2026, 11, 1, 1, 50, tzinfo=NY)),
        TicketEvent(kind=EventKind.AGENT_REPLY, at=datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY)),
    ]
    clocks = compute_clocks(events, now=datetime(2026, 11, 2, tzinfo=UTC))
    assert not clocks.problems


# -- hypothesis: random logs in DST zones reload equal to state ------------------------------


@cache
def _transitions(zone: ZoneInfo) -> tuple[datetime, ...]:
    """UTC instants in 2025-2027 at which ``zone``'s offset changes (found hour by hour)."""
    out = []
    t = datetime(2025, 1, 1, tzinfo=UTC)
    prev = t.astimezone(zone).utcoffset()
    while t.year < 2028:
        nxt = t + timedelta(minutes=30)
        off = nxt.astimezone(zone).utcoffset()
        if off != prev:
            out.append(nxt)
        prev, t = off, nxt
    return tuple(out)


@st.composite
def _instants(draw: st.DrawFn) -> datetime:
    """A local time within a few hours of one of a DST zone's transitions."""
    zone = draw(st.sampled_from(ZONES))
    base = draw(st.sampled_from(_transitions(zone)))
    minutes = draw(st.integers(-240, 240))
    seconds = draw(st.integers(0, 59))
    return (base + timedelta(minutes=minutes, seconds=seconds)).astimezone(zone)


def _maker(kind: str) -> Callable[[datetime], Any]:
    return {
        "customer": lambda t: CustomerMessage(at=t, text="快递太慢了"),
        "auto": lambda t: AutoReply(at=t, text="已收到您的问题,马上为您解答"),
        "agent": lambda t: AgentMessage(at=t, text="您好"),
        "question": lambda t: QuestionAsked(at=t, text="您希望什么时候收到?"),
        "need": lambda t: NeedConfirmed(at=t, need="明天送到", important=False),
        "answer": lambda t: AnswerGiven(at=t, text="明天上午送达"),
        # an hour later as an instant (wall arithmetic could land in the spring gap)
        "schedule": lambda t: FollowUpScheduled(
            at=t, due=(_utc(t) + timedelta(hours=1)).astimezone(t.tzinfo)
        ),
        "done": lambda t: FollowUpDone(at=t, text="已回访"),
        "close": lambda t: Closed(at=t, reason=CloseReason.RESOLVED, text="再见"),
        "abandon": lambda t: Closed(at=t, reason=CloseReason.ABANDONED),
        "reopen": lambda t: Reopened(at=t, text="还是没到"),
    }[kind]


KINDS = ["customer", "auto", "agent", "question", "need", "answer", "schedule", "done",
         "close", "abandon", "reopen"]  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(KINDS), _instants()), min_size=1, max_size=25))
def test_random_logs_in_dst_zones_reload_equal_to_state(steps: list[tuple[str, datetime]]) -> None:
    c = Consultation(id="h")
    for kind, t in steps:
        ev = _maker(kind)(t)
        last = c.state.last_at
        try:
            nxt = c.apply(ev)
        except EventOrderError:
            # refused exactly when the instant is earlier than the last event's
            assert last is not None and _utc(t) < _utc(last)
            continue
        except WorkflowError:
            continue
        assert last is None or _utc(t) >= _utc(last)
        c = nxt
        # every state that applied an event reloads, and equals what was applied
        reloaded = Consultation.from_json(c.to_json())
        assert reloaded == c
        assert reloaded.state == c.state
        assert Consultation.model_validate(c.model_dump()) == c
    assert Consultation.from_json(c.to_json()).state == c.state


@st.composite
def _wall_times(draw: st.DrawFn) -> datetime:
    """A wall reading near a transition, possibly inside the gap or the repeated hour."""
    zone = draw(st.sampled_from(ZONES))
    base = draw(st.sampled_from(_transitions(zone))).astimezone(zone).replace(tzinfo=None)
    minutes = draw(st.integers(-120, 120))
    return (base + timedelta(minutes=minutes)).replace(tzinfo=zone, fold=draw(st.integers(0, 1)))


@settings(max_examples=200, deadline=None)
@given(_wall_times())
def test_wall_times_are_refused_iff_they_do_not_exist(t: datetime) -> None:
    exists = _utc(t).astimezone(t.tzinfo).replace(tzinfo=None) == t.replace(tzinfo=None)
    try:
        ev = CustomerMessage(at=t)
    except ValidationError as exc:
        assert not exists
        assert isinstance(exc.errors()[0]["ctx"]["error"], NonexistentTimeError)
        return
    assert exists
    assert _utc(ev.at) == _utc(t)
    back = CustomerMessage.model_validate_json(ev.model_dump_json())
    assert back == ev and back.at.utcoffset() == t.utcoffset()


@settings(max_examples=100, deadline=None)
@given(
    st.integers(-(24 * 3600 - 1) * 10**6, (24 * 3600 - 1) * 10**6),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
)
def test_any_fixed_offset_round_trips_exactly(offset_us: int, wall: datetime) -> None:
    tz = timezone(timedelta(microseconds=offset_us))
    c = Consultation(id="o").apply(CustomerMessage(at=wall.replace(tzinfo=tz)))
    back = Consultation.from_json(c.to_json())
    assert back == c
    assert back.events[0].at.utcoffset() == tz.utcoffset(None)
    assert back.events[0].at.replace(tzinfo=None) == wall


def _case_maker(kind: str, t: datetime) -> Any:
    from csstandards.models import Priority
    from csstandards.workflow import (
        Acknowledged,
        Analysed,
        Assessed,
        Assigned,
        CaseAssessment,
        CaseClosed,
        CaseReopened,
        ProgressUpdated,
        Resolved,
        ResultCommunicated,
        WorkStarted,
    )

    earlier = (_utc(t) - timedelta(minutes=30)).astimezone(t.tzinfo)  # an instant before
    return {
        "record": lambda: Recorded(
            at=t,
            customer="王女士",
            received_at=earlier,
            description="杯子裂了",
            demand="换新",
            channel=Channel.ONLINE_CHAT,
        ),
        "assess": lambda: Assessed(
            at=t, assessment=CaseAssessment(kind="complaint", priority=Priority.P2)
        ),
        "ack": lambda: Acknowledged(at=t, text="已收到"),
        "assign": lambda: Assigned(at=t, department="质量部门"),
        "start": lambda: WorkStarted(at=t),
        "progress": lambda: ProgressUpdated(at=t, text="处理中"),
        "resolve": lambda: Resolved(at=t, result="换新"),
        "communicate": lambda: ResultCommunicated(at=t, text="感谢"),
        "analyse": lambda: Analysed(at=t, root_cause="包装"),
        "close": lambda: CaseClosed(at=t),
        "reopen": lambda: CaseReopened(at=t),
    }[kind]()


CASE_KINDS = ["record", "assess", "ack", "assign", "start", "progress", "resolve",
              "communicate", "analyse", "close", "reopen"]  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(CASE_KINDS), _instants()), min_size=1, max_size=25))
def test_random_case_logs_in_dst_zones_reload_equal_to_state(
    steps: list[tuple[str, datetime]],
) -> None:
    case = FeedbackCase(id="h")
    for kind, t in steps:
        last = case.state.last_at
        try:
            case = case.apply(_case_maker(kind, t))
        except EventOrderError:
            assert last is not None and _utc(t) < _utc(last)
            continue
        except WorkflowError:
            continue
        reloaded = FeedbackCase.from_json(case.to_json())
        assert reloaded == case and reloaded.state == case.state
        assert FeedbackCase.model_validate(case.model_dump()) == case


# -- the SLA and commitment models keep offsets with seconds too ------------------------------


@pytest.mark.filterwarnings("ignore::csstandards.errors.EstimatedCalendarWarning")
def test_sla_clocks_of_a_local_mean_time_ticket_round_trip() -> None:
    from csstandards.sla import TicketClocks

    sh = ZoneInfo("Asia/Shanghai")
    t = datetime(1830, 3, 1, 10, tzinfo=sh)  # local mean time: +08:05:43
    events = [
        TicketEvent(kind=EventKind.OPENED, at=t),
        TicketEvent(kind=EventKind.AGENT_REPLY, at=t + timedelta(minutes=5)),
    ]
    clocks = compute_clocks(events, now=t + timedelta(days=1))
    text = clocks.model_dump_json()
    assert "+08:05:43" in text
    back = TicketClocks.model_validate_json(text)
    assert back == clocks
    assert [c.started_at.utcoffset() for c in back.clocks] == [
        c.started_at.utcoffset() for c in clocks.clocks
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(-(24 * 3600 - 1) * 10**6, (24 * 3600 - 1) * 10**6),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
)
def test_ticket_events_and_records_round_trip_any_offset(offset_us: int, wall: datetime) -> None:
    from csstandards.commitment import TicketRecord

    t = wall.replace(tzinfo=timezone(timedelta(microseconds=offset_us)))
    ev = TicketEvent(kind=EventKind.OPENED, at=t)
    back = TicketEvent.model_validate_json(ev.model_dump_json())
    assert back == ev and back.at.utcoffset() == t.utcoffset()
    rec = TicketRecord(id="r", channel=Channel.PHONE, opened_at=t, first_response_at=t)
    again = TicketRecord.model_validate_json(rec.model_dump_json())
    assert again == rec and again.opened_at.utcoffset() == t.utcoffset()
