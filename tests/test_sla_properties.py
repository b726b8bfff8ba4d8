"""Hypothesis properties of clocks derived from random event logs."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csstandards.calendar import WorkCalendar
from csstandards.models import Channel, Priority, Rating
from csstandards.sla import (
    ClockStatus,
    Condition,
    EventKind,
    Metric,
    MetricPolicy,
    SLAPolicy,
    Target,
    TargetRule,
    TicketContext,
    TicketEvent,
    compute_clocks,
)

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 8, 0, tzinfo=SH)
_OFFICE = WorkCalendar.china_office_hours()
_OFFICE.add(START, timedelta(hours=1))  # lay out 2026 once for all examples

POLICY = SLAPolicy(
    name="props",
    calendar=_OFFICE,
    metrics=(
        MetricPolicy(metric=Metric.ACKNOWLEDGEMENT, default=Target(duration=timedelta(minutes=5))),
        MetricPolicy(metric=Metric.FIRST_RESPONSE, default=Target(duration=timedelta(hours=1))),
        MetricPolicy(metric=Metric.NEXT_RESPONSE, default=Target(duration=timedelta(minutes=30))),
        MetricPolicy(metric=Metric.RESOLUTION, default=Target(duration=timedelta(hours=8))),
        MetricPolicy(
            metric=Metric.FOLLOW_UP,
            default=Target(duration=timedelta(hours=24), calendar=WorkCalendar.twenty_four_seven()),
        ),
        MetricPolicy(
            metric=Metric.STAGE,
            rules=(
                TargetRule(
                    name="a",
                    when=Condition(stages=frozenset({"a"})),
                    target=Target(duration=timedelta(hours=2)),
                ),
            ),
            default=Target(duration=timedelta(hours=4)),
        ),
    ),
)

kinds = st.sampled_from([k for k in EventKind if k is not EventKind.OPENED])


@st.composite
def logs(draw: st.DrawFn) -> list[TicketEvent]:
    t = START + timedelta(minutes=draw(st.integers(0, 600)))
    events = [TicketEvent(kind=EventKind.OPENED, at=t)]
    for _ in range(draw(st.integers(0, 14))):
        t += timedelta(minutes=draw(st.integers(0, 24 * 60)))
        k = draw(kinds)
        stage = draw(st.sampled_from(["a", "b"])) if k.value.startswith("stage") else None
        events.append(TicketEvent(kind=k, at=t, stage=stage))
    return events


contexts = st.builds(
    TicketContext,
    channel=st.sampled_from(list(Channel)),
    rating=st.sampled_from(list(Rating)),
    priority=st.sampled_from(list(Priority)),
    urgent=st.booleans(),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logs(), contexts, st.lists(st.integers(0, 20 * 24 * 60), min_size=2, max_size=6))
def test_status_never_goes_from_met_back_to_running(
    events: list[TicketEvent], ctx: TicketContext, offsets: list[int]
) -> None:
    seen: dict[tuple[object, ...], tuple[ClockStatus, timedelta]] = {}
    for off in sorted(offsets):
        now = START + timedelta(minutes=off)
        r = compute_clocks(events, now=now, policy=POLICY, context=ctx, strict=False)
        occurrences: dict[tuple[object, ...], int] = {}
        for c in r.clocks:
            # a stage re-entered at the same instant starts a second clock with the same
            # (metric, cycle, stage, start): tell them apart by their order
            base = (c.metric, c.cycle, c.stage, c.started_at)
            occurrences[base] = occurrences.get(base, 0) + 1
            key = (*base, occurrences[base])
            if key in seen:
                before, elapsed_before = seen[key]
                if before.final:
                    assert c.status is before, (key, before, c.status)
                if before in (ClockStatus.BREACHED, ClockStatus.BREACHED_RUNNING):
                    assert c.breached
                assert c.elapsed >= elapsed_before
            assert c.elapsed <= POLICY.calendar.between(c.started_at, now) or c.calendar == "24x7"
            assert c.remaining == c.target - c.elapsed
            assert c.breached == (c.elapsed > c.target)
            seen[key] = (c.status, c.elapsed)
        cycles = [c.number for c in r.cycles]
        assert cycles == list(range(1, len(cycles) + 1))
        assert all(c.cycle <= len(cycles) for c in r.clocks)
