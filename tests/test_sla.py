"""Worked examples from the standards, policies, clocks and compliance."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from csstandards._toml import loads_toml
from csstandards.calendar import WorkCalendar
from csstandards.errors import (
    EstimatedCalendarWarning,
    EventOrderError,
    NaiveDatetimeError,
    PolicyError,
)
from csstandards.models import Channel, Priority, Rating
from csstandards.sla import (
    ClockStatus,
    ComplianceReport,
    Condition,
    EventKind,
    Metric,
    MetricPolicy,
    PeakWindow,
    PolicyVersion,
    ReviewReplyDeadline,
    SLAPolicy,
    Target,
    TargetRule,
    TicketClocks,
    TicketContext,
    TicketEvent,
    compliance,
    compute_clocks,
    default_policy,
    is_late,
    parse_target,
    policy_from_mapping,
    review_reply_deadline,
)

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


def ev(kind: EventKind, at: datetime, stage: str | None = None) -> TicketEvent:
    return TicketEvent(kind=kind, at=at, stage=stage)


# ---------------------------------------------------------------- review replies (000 §2.1)


def test_negative_review_at_1am_answered_at_7am_is_within_12h() -> None:
    reviewed = sh(2026, 3, 10, 1, 0)  # 凌晨1点发差评
    d = review_reply_deadline(reviewed, rating=Rating.NEGATIVE)
    assert d.target == 12 * H and d.due == reviewed + 12 * H
    assert not d.in_peak_window and not d.notice_required and not d.estimated
    assert d.rule == "review.negative-12h"
    assert not is_late(d, sh(2026, 3, 10, 7, 0))  # 次日清晨7点回复
    assert not is_late(d, d.due)  # exactly at the due time is on time
    assert is_late(d, d.due + timedelta(microseconds=1))


@pytest.mark.parametrize(
    ("rating", "urgent", "hours", "rule"),
    [
        (Rating.POSITIVE, False, 24, "review.positive-neutral-24h"),
        (Rating.NEUTRAL, False, 24, "review.positive-neutral-24h"),
        (Rating.NEGATIVE, False, 12, "review.negative-12h"),
        (Rating.NEGATIVE, True, 3, "review.urgent-3h"),
    ],
)
def test_review_targets(rating: Rating, urgent: bool, hours: int, rule: str) -> None:
    d = review_reply_deadline(sh(2026, 3, 10, 9), rating=rating, urgent=urgent)
    assert (d.target, d.rule) == (hours * H, rule)
    assert d.due == sh(2026, 3, 10, 9) + hours * H


def test_peak_window_extends_to_48h_with_notice() -> None:
    d = review_reply_deadline(sh(2026, 11, 12, 9), rating=Rating.NEGATIVE)  # 双十一 大促后
    assert d.target == 48 * H and d.in_peak_window and d.notice_required
    assert "双十一" in d.peak_window
    urgent = review_reply_deadline(sh(2026, 11, 12, 9), rating=Rating.NEGATIVE, urgent=True)
    assert urgent.target == 3 * H and not urgent.notice_required


def test_spring_festival_is_a_peak_for_the_default_profile() -> None:
    d = review_reply_deadline(sh(2026, 2, 17, 10), rating=Rating.POSITIVE)  # 春节
    assert d.in_peak_window and d.notice_required and "春节" in d.peak_window


def test_review_during_spring_festival_on_office_hours_calendar() -> None:
    office = WorkCalendar.china_office_hours()
    policy = SLAPolicy(
        name="office-reviews",
        calendar=office,
        metrics=(
            MetricPolicy(
                metric=Metric.FIRST_RESPONSE,
                rules=(
                    TargetRule(
                        name="negative",
                        when=Condition(ratings=frozenset({Rating.NEGATIVE})),
                        target=Target(duration=12 * H),
                    ),
                ),
                default=Target(duration=24 * H),
            ),
        ),
    )
    # A 差评 on 2026-02-16 (初一 holiday block 2-15 … 2-23): nothing counts until Tue 2-24
    # 09:00; 7.5 office hours that day, 4.5 more on 2-25: 09:00–12:00 + 13:30–15:00.
    d = review_reply_deadline(sh(2026, 2, 16, 10, 0), rating=Rating.NEGATIVE, policy=policy)
    assert d.due == sh(2026, 2, 25, 15, 0)
    assert office.between(sh(2026, 2, 16, 10), d.due) == 12 * H
    assert not d.notice_required and not d.estimated


def test_review_deadline_beyond_the_horizon_is_estimated_by_the_default_profile() -> None:
    with pytest.warns(EstimatedCalendarWarning, match="2027"):
        d = review_reply_deadline(sh(2027, 5, 1, 9), rating=Rating.POSITIVE)
    assert d.estimated and d.in_peak_window  # 劳动节 only estimated


def test_review_deadline_refuses_naive_times() -> None:
    with pytest.raises(NaiveDatetimeError):
        review_reply_deadline(datetime(2026, 3, 10, 1), rating=Rating.NEGATIVE)
    d = review_reply_deadline(sh(2026, 3, 10, 1), rating=Rating.NEGATIVE)
    with pytest.raises(NaiveDatetimeError):
        is_late(d, datetime(2026, 3, 10, 7))
    assert ReviewReplyDeadline.model_validate_json(d.model_dump_json()) == d


# ---------------------------------------------------------------- default profile


def test_phone_rings_and_email_working_days_are_configurable() -> None:
    ctx = TicketContext(channel=Channel.PHONE)
    rt = default_policy().resolve(Metric.ACKNOWLEDGEMENT, ctx, sh(2026, 3, 10, 9))
    assert rt is not None and rt.target == timedelta(seconds=15)  # 3 rings × 5 s
    rt6 = default_policy(seconds_per_ring=6).resolve(Metric.ACKNOWLEDGEMENT, ctx, sh(2026, 3, 10))
    assert rt6 is not None and rt6.target == timedelta(seconds=18)
    assert "elapsed>=60s" in [w.label for w in rt.warnings]

    mail = TicketContext(channel=Channel.EMAIL)
    rt = default_policy().resolve(Metric.FIRST_RESPONSE, mail, sh(2026, 3, 5, 10))
    assert rt is not None and rt.target == 7.5 * H and rt.calendar.name == "china_office_hours"
    events = [ev(EventKind.OPENED, sh(2026, 3, 5, 10))]  # Thursday
    one = compute_clocks(events, now=sh(2026, 3, 5, 11), context=mail)
    assert one.latest(Metric.FIRST_RESPONSE).due == sh(2026, 3, 6, 10)  # type: ignore[union-attr]
    two = compute_clocks(
        events, now=sh(2026, 3, 5, 11), context=mail, policy=default_policy(email_working_days=2)
    )
    assert two.latest(Metric.FIRST_RESPONSE).due == sh(2026, 3, 9, 10)  # type: ignore[union-attr]


def test_default_policy_round_trips_and_cites_clauses() -> None:
    p = default_policy()
    assert SLAPolicy.model_validate_json(p.model_dump_json()) == p
    for mp in p.metrics:
        for r in mp.rules:
            assert r.clause, r.name
    assert p.resolve(Metric.RESOLUTION, TicketContext(), sh(2026, 3, 10)) is None


# ---------------------------------------------------------------- clocks


def test_online_chat_clocks_and_wait_warning() -> None:
    t0 = sh(2026, 3, 10, 10, 0, 0)
    s = timedelta(seconds=1)
    events = [
        ev(EventKind.OPENED, t0),
        ev(EventKind.AUTO_REPLY, t0 + 5 * s),  # 已收到您的问题…
        ev(EventKind.AGENT_REPLY, t0 + 40 * s),
        ev(EventKind.CUSTOMER_MESSAGE, t0 + 60 * s),
    ]
    ctx = TicketContext(channel=Channel.ONLINE_CHAT)
    r = compute_clocks(events, now=t0 + 130 * s, context=ctx)
    ack = r.latest(Metric.ACKNOWLEDGEMENT)
    first = r.latest(Metric.FIRST_RESPONSE)
    nxt = r.latest(Metric.NEXT_RESPONSE)
    assert ack is not None and ack.status is ClockStatus.MET and ack.elapsed == 5 * s
    assert ack.warnings_crossed == ()  # 5 s of 15 s is 33 %
    assert first is not None and first.status is ClockStatus.BREACHED
    assert first.breached_at == t0 + 15 * s and "elapsed>=60s" not in first.warnings_crossed
    assert nxt is not None and nxt.status is ClockStatus.BREACHED_RUNNING
    assert nxt.elapsed == 70 * s and nxt.remaining == -55 * s
    assert nxt.warnings_crossed == ("50%", "75%", "90%", "elapsed>=60s")
    assert nxt.percent_used == pytest.approx(70 / 15 * 100)


def _resolution_policy(hours: float, *, version: str = "1") -> SLAPolicy:
    return SLAPolicy(
        name="res",
        version=version,
        calendar=WorkCalendar.china_office_hours(),
        metrics=(MetricPolicy(metric=Metric.RESOLUTION, default=Target(duration=hours * H)),),
    )


def test_pause_and_resume_on_business_time() -> None:
    events = [
        ev(EventKind.OPENED, sh(2026, 3, 9, 9, 0)),  # Monday
        ev(EventKind.AGENT_REPLY, sh(2026, 3, 9, 9, 30)),
        ev(EventKind.PAUSED, sh(2026, 3, 9, 10, 0)),  # waiting on customer
        ev(EventKind.CUSTOMER_MESSAGE, sh(2026, 3, 10, 9, 0)),  # resumes
        ev(EventKind.RESOLVED, sh(2026, 3, 10, 12, 0)),
    ]
    policy = _resolution_policy(4)
    mid = compute_clocks(events, now=sh(2026, 3, 9, 15, 0), policy=policy)
    c = mid.latest(Metric.RESOLUTION)
    assert c is not None and c.status is ClockStatus.PAUSED and c.due is None
    assert c.elapsed == H and c.remaining == 3 * H and c.warnings_crossed == ()
    end = compute_clocks(events, now=sh(2026, 3, 11), policy=policy)
    c = end.latest(Metric.RESOLUTION)
    assert c is not None and c.status is ClockStatus.MET and c.elapsed == 4 * H  # exactly
    assert c.due == sh(2026, 3, 10, 12, 0) and c.percent_used == 100
    assert c.warnings_crossed == ("50%", "75%", "90%")


def test_reopen_starts_a_new_cycle_under_the_policy_then_in_force() -> None:
    events = [
        ev(EventKind.OPENED, sh(2026, 3, 9, 9)),
        ev(EventKind.RESOLVED, sh(2026, 3, 9, 12)),  # 3 h
        ev(EventKind.REOPENED, sh(2026, 3, 10, 9)),
        ev(EventKind.RESOLVED, sh(2026, 3, 10, 12)),  # 3 h
    ]
    v1 = PolicyVersion(effective_from=sh(2026, 1, 1), policy=_resolution_policy(4, version="1"))
    v2 = PolicyVersion(effective_from=sh(2026, 3, 9, 20), policy=_resolution_policy(2, version="2"))
    r = compute_clocks(events, now=sh(2026, 3, 11), policy=[v2, v1])
    assert [c.policy for c in r.cycles] == ["res@1", "res@2"]
    one, two = r.of(Metric.RESOLUTION)
    assert (one.cycle, one.status, one.policy) == (1, ClockStatus.MET, "res@1")
    assert (two.cycle, two.status, two.policy) == (2, ClockStatus.BREACHED, "res@2")
    assert r.cycles[0].ended_at == sh(2026, 3, 9, 12)
    assert TicketClocks.model_validate_json(r.model_dump_json()) == r


def test_follow_up_and_stage_clocks() -> None:
    policy = SLAPolicy(
        name="feedback",
        calendar=WorkCalendar.twenty_four_seven(),
        metrics=(
            *default_policy().metrics[:-1],
            MetricPolicy(
                metric=Metric.STAGE,
                rules=(
                    TargetRule(
                        name="接收",
                        when=Condition(stages=frozenset({"接收"})),
                        target=Target(duration=H),
                    ),
                    TargetRule(
                        name="分类",
                        when=Condition(stages=frozenset({"分类"})),
                        target=Target(duration=2 * H),
                    ),
                ),
                default=Target(),
            ),
        ),
    )
    ctx = TicketContext(
        channel=Channel.HOTLINE, priority=Priority.P2, tags=frozenset({"complaint"})
    )
    events = [
        ev(EventKind.OPENED, sh(2026, 3, 9, 9)),
        ev(EventKind.STAGE_ENTERED, sh(2026, 3, 9, 9), "接收"),
        ev(EventKind.STAGE_ENTERED, sh(2026, 3, 9, 9, 30), "分类"),
        ev(EventKind.STAGE_ENTERED, sh(2026, 3, 9, 12), "处理"),  # no limit for 处理
        ev(EventKind.RESOLVED, sh(2026, 3, 9, 15)),
        ev(EventKind.FOLLOWED_UP, sh(2026, 3, 10, 11)),
    ]
    r = compute_clocks(events, now=sh(2026, 3, 11), policy=policy, context=ctx)
    stages = {c.stage: c.status for c in r.of(Metric.STAGE)}
    assert stages == {"接收": ClockStatus.MET, "分类": ClockStatus.BREACHED}
    fu = r.latest(Metric.FOLLOW_UP)
    assert fu is not None and fu.status is ClockStatus.MET and fu.elapsed == 20 * H
    assert fu.rule == "important.follow-up-24h" and fu.clause == "001 §2.4"
    running = compute_clocks(events[:5], now=sh(2026, 3, 10, 16), policy=policy, context=ctx)
    fu = running.latest(Metric.FOLLOW_UP)
    assert fu is not None and fu.status is ClockStatus.BREACHED_RUNNING


@pytest.mark.parametrize(
    ("events", "index", "problem"),
    [
        ([ev(EventKind.AGENT_REPLY, sh(2026, 3, 9, 9))], 0, "before the ticket was opened"),
        (
            [ev(EventKind.OPENED, sh(2026, 3, 9, 9)), ev(EventKind.RESUMED, sh(2026, 3, 9, 10))],
            1,
            "resume without a pause",
        ),
        (
            [ev(EventKind.OPENED, sh(2026, 3, 9, 9)), ev(EventKind.AGENT_REPLY, sh(2026, 3, 9, 8))],
            1,
            "out of order",
        ),
        (
            [ev(EventKind.OPENED, sh(2026, 3, 9, 9)), ev(EventKind.REOPENED, sh(2026, 3, 9, 10))],
            1,
            "not resolved",
        ),
        (
            [ev(EventKind.OPENED, sh(2026, 3, 9, 9)), ev(EventKind.OPENED, sh(2026, 3, 9, 10))],
            1,
            "opened twice",
        ),
    ],
)
def test_strict_and_lenient_event_logs(events: list[TicketEvent], index: int, problem: str) -> None:
    with pytest.raises(EventOrderError, match=problem) as exc:
        compute_clocks(events, now=sh(2026, 3, 12), policy=_resolution_policy(4))
    assert exc.value.index == index
    r = compute_clocks(events, now=sh(2026, 3, 12), policy=_resolution_policy(4), strict=False)
    assert [(p.index, problem in p.problem) for p in r.problems] == [(index, True)]


def test_events_after_now_are_not_yet_known_and_naive_now_is_refused() -> None:
    events = [ev(EventKind.OPENED, sh(2026, 3, 9, 9)), ev(EventKind.RESOLVED, sh(2026, 3, 9, 10))]
    r = compute_clocks(events, now=sh(2026, 3, 9, 9, 30), policy=_resolution_policy(4))
    assert r.latest(Metric.RESOLUTION).status is ClockStatus.RUNNING  # type: ignore[union-attr]
    with pytest.raises(NaiveDatetimeError):
        compute_clocks(events, now=datetime(2026, 3, 9), policy=_resolution_policy(4))
    with pytest.raises(NaiveDatetimeError):
        compute_clocks(
            [ev(EventKind.OPENED, datetime(2026, 3, 9))],
            now=sh(2026, 3, 9),
            policy=_resolution_policy(4),
        )


# ---------------------------------------------------------------- compliance


def test_compliance_counts_breached_and_running_as_missed() -> None:
    policy = default_policy()
    results = []
    for i, (rating, reply_after) in enumerate(
        [
            (Rating.NEGATIVE, 7 * H),  # met
            (Rating.NEGATIVE, 13 * H),  # breached
            (Rating.POSITIVE, None),  # still running, 30 h > 24 h: breached-and-running = miss
            (Rating.POSITIVE, None),  # opened 1 h ago: pending, not counted
        ]
    ):
        opened = sh(2026, 3, 10, 0) if i < 3 else sh(2026, 3, 11, 5)
        events = [ev(EventKind.OPENED, opened)]
        if reply_after is not None:
            events.append(ev(EventKind.AGENT_REPLY, opened + reply_after))
        ctx = TicketContext(channel=Channel.REVIEW_PLATFORM, rating=rating)
        results.append(compute_clocks(events, now=sh(2026, 3, 11, 6), context=ctx, policy=policy))
    rep = compliance(results)
    fr = rep.by_metric["first_response"]
    assert (fr.met, fr.missed, fr.pending, fr.hit_rate) == (1, 2, 1, pytest.approx(1 / 3))
    assert rep.by_rating["first_response"]["negative"].hit_rate == pytest.approx(0.5)
    assert rep.by_rating["first_response"]["positive"].missed == 1
    assert rep.by_channel["first_response"]["review_platform"].judged == 3
    assert rep.tickets == 4 and rep.overall.judged == 3
    assert ComplianceReport.model_validate_json(rep.model_dump_json()) == rep


# ---------------------------------------------------------------- policy files and errors


def test_policy_errors_are_specific() -> None:
    with pytest.raises(PolicyError, match="default is required"):
        policy_from_mapping(loads_toml("[metrics.resolution]\nrules = []\n"))
    with pytest.raises(PolicyError, match="unknown metric"):
        policy_from_mapping(loads_toml("[metrics.speed.default]\ntarget = '1h'\n"))
    with pytest.raises(PolicyError, match="cannot read target"):
        policy_from_mapping(loads_toml("[metrics.resolution.default]\ntarget = 'soon'\n"))
    with pytest.raises(PolicyError, match="unknown calendar"):
        policy_from_mapping(loads_toml("[policy]\ncalendar = 'martian'\n"))
    with pytest.raises(PolicyError, match="unknown parameter"):
        policy_from_mapping(loads_toml("[metrics.resolution.default]\ntarget = '${x} h'\n"))
    with pytest.raises(PolicyError, match="rings must be a whole number"):
        parse_target("2.5 rings")


def test_policy_file_with_custom_calendar_and_stage_limits() -> None:
    text = """
[policy]
name = "acme"
calendar = "support"
[calendars.support]
hours = { "mon-sat" = ["08:00-20:00"] }
public_holidays = "cn"
closures = ["2026-03-13"]
[[peak_windows]]
name = "年末"
start = "12-28"
end = "01-03"
[metrics.stage]
rules = [ { name = "分类", when = { stages = ["分类"] }, target = "2h" } ]
default = { target = "none" }
[metrics.resolution]
rules = [ { name = "vip", when = { customer_tiers = ["vip"] }, target = "1 working day" } ]
default = { target = "3 working days", warnings = ["remaining 2h"] }
"""
    p = policy_from_mapping(loads_toml(text))
    assert p.calendar.day_info(date(2026, 3, 13)).kind.value == "closure"
    assert p.peak_at(sh(2027, 1, 2))[0] == "年末" and p.peak_at(sh(2026, 12, 27))[0] == ""
    vip = p.resolve(Metric.RESOLUTION, TicketContext(customer_tier="vip"), sh(2026, 3, 10))
    assert vip is not None and vip.target == 12 * H and vip.rule == "vip"
    std = p.resolve(Metric.RESOLUTION, TicketContext(), sh(2026, 3, 10))
    assert std is not None and std.target == 36 * H and std.warnings[0].label == "remaining<=2h"
    assert p.resolve(Metric.STAGE, TicketContext(), sh(2026, 3, 10), stage="处理") is None
    assert PeakWindow(name="x", start="2026-06-01", end="2026-06-03").contains(date(2026, 6, 2))


def test_events_and_policy_versions_round_trip() -> None:
    e = ev(EventKind.STAGE_ENTERED, sh(2026, 3, 9, 9), "分类")
    assert TicketEvent.model_validate_json(e.model_dump_json()) == e
    pv = PolicyVersion(effective_from=sh(2026, 1, 1), policy=_resolution_policy(4))
    assert PolicyVersion.model_validate_json(pv.model_dump_json()) == pv


def test_customer_message_after_resolution_does_not_reopen() -> None:
    events = [
        ev(EventKind.OPENED, sh(2026, 3, 9, 9)),
        ev(EventKind.RESOLVED, sh(2026, 3, 9, 10)),
        ev(EventKind.CUSTOMER_MESSAGE, sh(2026, 3, 9, 11)),
    ]
    r = compute_clocks(events, now=sh(2026, 3, 12), policy=_resolution_policy(4))
    assert len(r.cycles) == 1 and [c.status for c in r.clocks] == [ClockStatus.MET]


def test_review_deadline_reports_the_off_peak_target() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from csstandards.models import Rating
    from csstandards.sla import review_reply_deadline

    sh = ZoneInfo("Asia/Shanghai")
    golden_week = review_reply_deadline(datetime(2026, 10, 2, 9, tzinfo=sh), rating=Rating.NEGATIVE)
    assert golden_week.in_peak_window and golden_week.notice_required
    assert golden_week.target == timedelta(hours=48)
    assert golden_week.normal_target == timedelta(hours=12)
    ordinary = review_reply_deadline(datetime(2026, 3, 3, 9, tzinfo=sh), rating=Rating.POSITIVE)
    assert not ordinary.in_peak_window
    assert ordinary.normal_target == ordinary.target == timedelta(hours=24)
