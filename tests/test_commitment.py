"""Service commitments (002 一): parsing, rules, eight-element coverage, verification."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel, ValidationError

from csstandards.calendar import WorkCalendar
from csstandards.commitment import (
    CommitmentAggregate as Agg,
)
from csstandards.commitment import (
    CommitmentElement as El,
)
from csstandards.commitment import (
    CommitmentMetric as M,
)
from csstandards.commitment import (
    CommitmentReport,
    CommitmentTarget,
    CoverageStatus,
    RecoveryClause,
    TicketRecord,
    check_commitment,
    commitment_coverage,
    parse_chinese_number,
    parse_commitment,
    verify_commitments,
)
from csstandards.commitment import (
    CommitmentScope as Sc,
)
from csstandards.commitment import (
    ThresholdUnit as U,
)
from csstandards.errors import InputError, RecordError
from csstandards.lexicon import phrase_lists
from csstandards.models import Channel, Severity
from csstandards.standard import RuleSettings, Standard

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "commitments"
REALISTIC = (EXAMPLES / "qinghe_commitment.txt").read_text(encoding="utf-8")
DRAFT = (EXAMPLES / "draft_commitment.txt").read_text(encoding="utf-8")
TZ = ZoneInfo("Asia/Shanghai")


def one(text: str) -> CommitmentTarget:
    targets = parse_commitment(text)
    assert len(targets) == 1, (text, targets)
    return targets[0]


def codes(text: str) -> list[str]:
    return [f.code for f in check_commitment(text).findings]


# ============================================================================ numerals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十四", 24),
        ("一百二十", 120),
        ("一百零五", 105),
        ("两千", 2000),
        ("三万五千", 35000),
        ("一点五", 1.5),
        ("二四", 24),
        ("〇", 0),
        ("30", 30),
        ("1.5", 1.5),
        ("半", 0.5),
    ],
)
def test_chinese_numbers(text: str, value: float) -> None:
    assert parse_chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "十十", "百十", "三四十", "abc", "一点", "点五"])
def test_chinese_number_rejects_malformed(text: str) -> None:
    assert parse_chinese_number(text) is None


# ============================================================================ parsing


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("在线咨询三分钟内回复", 3, U.MINUTE),
        ("在线咨询十分钟内回复", 10, U.MINUTE),
        ("在线咨询二十分钟内回复", 20, U.MINUTE),
        ("在线咨询十五秒内回复", 15, U.SECOND),
        ("在线咨询15秒钟内回复", 15, U.SECOND),
        ("在线咨询一百二十秒内回复", 120, U.SECOND),
        ("在线咨询30s内回复", 30, U.SECOND),
        ("在线咨询5min内回复", 5, U.MINUTE),
        ("邮件半小时内回复", 0.5, U.HOUR),
        ("邮件半个小时内回复", 0.5, U.HOUR),
        ("邮件一个半小时内回复", 1.5, U.HOUR),
        ("邮件1个半小时内回复", 1.5, U.HOUR),
        ("邮件一点五小时内回复", 1.5, U.HOUR),
        ("邮件两个小时内回复", 2, U.HOUR),
        ("邮件3个钟头内回复", 3, U.HOUR),
        ("邮件二十四小时内回复", 24, U.HOUR),
        ("邮件48h内回复", 48, U.HOUR),
        ("邮件一刻钟内回复", 15, U.MINUTE),
        ("邮件三刻钟内回复", 45, U.MINUTE),
        ("邮件3天内回复", 3, U.DAY),
        ("邮件3日内回复", 3, U.DAY),
        ("邮件半天内回复", 0.5, U.DAY),
        ("邮件2个自然日内回复", 2, U.DAY),
        ("邮件两个工作日内回复", 2, U.WORKING_DAY),
        ("邮件2工作日内回复", 2, U.WORKING_DAY),
        ("电话三声内接听", 3, U.RING),
    ],
)
def test_every_numeral_and_unit_form(text: str, value: float, unit: U) -> None:
    t = one(text)
    assert (t.value, t.unit) == (value, unit)


def test_working_units_imply_working_hours() -> None:
    assert one("邮件2个工作日内回复").scope is Sc.WORKING_HOURS
    assert one("邮件4个工作小时内回复").scope is Sc.WORKING_HOURS
    assert one("邮件4个工作小时内回复").unit is U.HOUR
    assert one("邮件4小时内回复").scope is None


@pytest.mark.parametrize(
    ("text", "low", "value", "unit"),
    [
        ("投诉2-3个工作日内解决", 2, 3, U.WORKING_DAY),
        ("投诉两到三天内解决", 2, 3, U.DAY),
        ("投诉1~2小时内解决", 1, 2, U.HOUR),
        ("投诉3至5个工作日内解决", 3, 5, U.WORKING_DAY),
        ("投诉1-1.5小时内解决", 1, 1.5, U.HOUR),
    ],
)
def test_ranges(text: str, low: float, value: float, unit: U) -> None:
    t = one(text)
    assert (t.low, t.value, t.unit, t.metric) == (low, value, unit, M.RESOLUTION)


@pytest.mark.parametrize(
    "text",
    [
        "在线咨询响应时间不超过3分钟",
        "在线咨询3分钟以内回复",
        "在线咨询3分钟之内回复",
        "在线咨询3分钟内回复",
        "在线咨询响应时间最多3分钟",
        "在线咨询3分钟回复",
        "在线咨询响应时间控制在3分钟以内",
    ],
)
def test_bound_forms(text: str) -> None:
    t = one(text)
    assert (t.metric, t.channel, t.value, t.unit) == (
        M.FIRST_RESPONSE,
        Channel.ONLINE_CHAT,
        3,
        U.MINUTE,
    )


@pytest.mark.parametrize(
    "text",
    [
        "电话3声内接听",
        "电话在3声铃响内接听",
        "电话咨询在三声铃响内接听",
        "电话响铃不超过3声",
        "来电3声以内接通",
    ],
)
def test_ring_forms(text: str) -> None:
    t = one(text)
    assert (t.metric, t.value, t.unit) == (M.PHONE_ANSWER, 3, U.RING)
    assert t.channel is Channel.PHONE


@pytest.mark.parametrize(
    ("text", "agg", "pct"),
    [
        ("在线咨询平均响应时间不超过3分钟", Agg.AVERAGE, None),
        ("在线咨询响应时间最长不超过3分钟", Agg.MAXIMUM, None),
        ("在线咨询3分钟内回复", Agg.WITHIN, None),
        ("在线咨询响应时间均不超过3分钟", Agg.WITHIN, None),
        ("90%的在线咨询3分钟内回复", Agg.PERCENTILE, 90),
        ("95%以上的在线咨询3分钟内回复", Agg.PERCENTILE, 95),
        ("百分之九十五的在线咨询3分钟内回复", Agg.PERCENTILE, 95),
        ("在线咨询3分钟内回复率不低于90%", Agg.PERCENTILE, 90),
    ],
)
def test_aggregates(text: str, agg: Agg, pct: float | None) -> None:
    t = one(text)
    assert (t.aggregate, t.percentile) == (agg, pct)


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("工作时间内,在线咨询30秒内回复", Sc.WORKING_HOURS),
        ("营业时间内,在线咨询30秒内回复", Sc.WORKING_HOURS),
        ("全天候,在线咨询30秒内回复", Sc.ALL_HOURS),
        ("7×24小时在线,在线咨询30秒内回复", Sc.ALL_HOURS),
        ("7x24小时服务,在线咨询30秒内回复", Sc.ALL_HOURS),
        ("在线咨询30秒内回复", None),
    ],
)
def test_scope(text: str, scope: Sc | None) -> None:
    t = one(text)
    assert t.scope is scope and t.value == 30  # the 24 of 7×24 is not a threshold


def test_scope_at_head_of_line_covers_later_sentences() -> None:
    ts = parse_commitment("工作时间内,来电在3声内接听;90%的来电在15秒内接通。\n邮件24小时内回复")
    assert [t.scope for t in ts] == [Sc.WORKING_HOURS, Sc.WORKING_HOURS, None]


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("在线咨询30秒内首次响应", M.FIRST_RESPONSE),
        ("邮件2个工作日内给予初步答复", M.FIRST_RESPONSE),
        ("热线15秒内接通", M.PHONE_ANSWER),
        ("差评12小时内回复", M.NEGATIVE_REVIEW_REPLY),
        ("中差评12小时内回应", M.NEGATIVE_REVIEW_REPLY),
        ("投诉3个工作日内解决", M.RESOLUTION),
        ("投诉3个工作日内给出处理方案", M.RESOLUTION),
        ("投诉3个工作日内办结", M.RESOLUTION),
        ("重要问题24小时内回访", M.FOLLOW_UP),
        ("重要问题24小时内回电告知进展", M.FOLLOW_UP),
    ],
)
def test_metrics(text: str, metric: M) -> None:
    assert one(text).metric is metric


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("在线客服30秒内回复", Channel.ONLINE_CHAT),
        ("来电3声内接听", Channel.PHONE),
        ("客服热线3声内接听", Channel.HOTLINE),
        ("电子邮件2个工作日内回复", Channel.EMAIL),
        ("网页表单2个工作日内回复", Channel.WEB_FORM),
        ("微信公众号留言1小时内回复", Channel.IM),
        ("微博私信1小时内回复", Channel.SOCIAL_MEDIA),
        ("门店现场5分钟内接待响应", Channel.IN_PERSON),
        ("意见箱2个工作日内回复", Channel.SUGGESTION_BOX),
        ("第三方平台投诉24小时内回应", Channel.THIRD_PARTY),
    ],
)
def test_channels(text: str, channel: Channel) -> None:
    assert one(text).channel is channel


def test_several_channels_and_clauses() -> None:
    ts = parse_commitment("电子邮件/在线表单提交的问题在2个工作日内得到初步回复")
    assert [t.channel for t in ts] == [Channel.EMAIL, Channel.WEB_FORM]
    ts = parse_commitment("电话3声内接听,在线咨询30秒内响应,邮件2个工作日内回复")
    assert [(t.channel, t.metric) for t in ts] == [
        (Channel.PHONE, M.PHONE_ANSWER),
        (Channel.ONLINE_CHAT, M.FIRST_RESPONSE),
        (Channel.EMAIL, M.FIRST_RESPONSE),
    ]
    ts = parse_commitment("投诉24小时内响应,3-5个工作日内解决")
    assert [t.metric for t in ts] == [M.FIRST_RESPONSE, M.RESOLUTION]
    assert ts[0].scope is None  # 工作日 of the second clause is its unit, not a scope


@pytest.mark.parametrize(
    "text",
    [
        "工作时间为8小时",
        "如客服热线未能在3声内接听,我们将主动回电",
        "超过24小时未回复的,赠送优惠券",
        "2026年版服务承诺",
        "9:00-18:00",
        "我们承诺快速响应",
        "",
    ],
)
def test_not_promises(text: str) -> None:
    assert parse_commitment(text) == []


def test_span_points_into_original_text() -> None:
    text = "  在线咨询 ３０秒 内回复"  # full-width digits and spaces
    t = one(text)
    assert t.span is not None and t.span.of(text) == "３０秒"
    assert t.value == 30


def test_parse_rejects_non_text() -> None:
    with pytest.raises(InputError):
        parse_commitment(None)  # type: ignore[arg-type]


# ============================================================================ the target


def test_render_round_trip_examples() -> None:
    for text in [
        "工作时间内,在线咨询平均响应时间不超过3分钟",
        "95%的来电15秒内接通",
        "全天候,差评12小时内回复",
        "投诉2-3个工作日内解决",
        "回访最长不超过一个半小时",
    ]:
        t = one(text)
        assert parse_commitment(t.render_zh()) == [t]
        assert t.render_en()


def test_target_validation() -> None:
    with pytest.raises(ValidationError):
        CommitmentTarget(metric=M.FIRST_RESPONSE, value=3, unit=U.RING)
    with pytest.raises(ValidationError):
        CommitmentTarget(metric=M.FIRST_RESPONSE, value=3, unit=U.HOUR, low=5)
    with pytest.raises(ValidationError):
        CommitmentTarget(metric=M.FIRST_RESPONSE, value=3, unit=U.HOUR, percentile=90)
    with pytest.raises(ValidationError):
        CommitmentTarget(metric=M.FIRST_RESPONSE, value=3, unit=U.WORKING_DAY, scope=Sc.ALL_HOURS)
    t = CommitmentTarget(metric=M.FIRST_RESPONSE, value=2, unit=U.WORKING_DAY)
    assert t.scope is Sc.WORKING_HOURS
    assert CommitmentTarget.model_validate_json(t.model_dump_json()) == t
    assert len({t, t.model_copy(update={"text": "elsewhere"})}) == 1


# ============================================================================ rules

VAGUE = phrase_lists()["cm_vague_time"].phrases + phrase_lists()["cm_vague_quality"].phrases


@pytest.mark.parametrize("phrase", VAGUE)
def test_every_vague_phrase_is_flagged_without_a_number(phrase: str) -> None:
    text = f"我们承诺{phrase}为您服务。"
    found = [f for f in check_commitment(text).findings if f.code == "C101"]
    assert found, phrase
    f = found[0]
    assert f.spans and phrase in f.spans[0].of(text)
    assert f.suggestion_zh and f.data["rewrite"]
    # the suggested rewrite is itself a measurable promise
    assert parse_commitment(f.data["rewrite"])


@pytest.mark.parametrize("phrase", VAGUE)
def test_vague_phrase_with_a_number_is_fine(phrase: str) -> None:
    assert "C101" not in codes(f"工作时间内,在线咨询{phrase}在30秒内回复。")


def test_vague_exemptions_and_suggestion_follows_the_sentence() -> None:
    assert "C101" not in codes("若未能及时回复,我们将主动致电说明。")
    assert "C101" not in codes("我们不写“快速响应”。")
    assert "C101" not in codes("一、响应及时\n电话3声内接听。")
    assert "C101" not in codes("及时响应:在线咨询30秒内回复。")
    [f] = [f for f in check_commitment("电话尽快接听。").findings if f.code == "C101"]
    assert one(f.data["rewrite"]).metric is M.PHONE_ANSWER
    [f] = [f for f in check_commitment("差评尽快回复。").findings if f.code == "C101"]
    assert one(f.data["rewrite"]).metric is M.NEGATIVE_REVIEW_REPLY
    [f] = [f for f in check_commitment("邮件尽快回复。").findings if f.code == "C101"]
    assert one(f.data["rewrite"]).channel is Channel.EMAIL


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("在线咨询5内回复。", "5"),
        ("电话等待时间不超过3。", "3"),
        ("在线咨询不超过三回复。", "三"),
        ("在线咨询平均响应时间不超过X分钟。", "x"),
        ("邮件XX个工作日内回复。", "xx"),
        ("电话在N声内接听。", "n"),
    ],
)
def test_number_without_unit(text: str, cue: str) -> None:
    found = [f for f in check_commitment(text).findings if f.code == "C102"]
    assert [f.cue for f in found] == [cue]
    assert found[0].severity is Severity.ERROR


def test_missing_metric_channel_scope() -> None:
    assert codes("在线咨询保证30秒以内。") == ["C103"]
    r = check_commitment("工作时间内,所有咨询30分钟内回复。")
    [f] = r.findings
    assert f.code == "C104"
    assert one(f.data["rewrite"]).channel is not None
    r = check_commitment("在线咨询30秒内回复。")
    [f] = r.findings
    assert f.code == "C105" and one(f.data["rewrite"]).scope is Sc.WORKING_HOURS
    assert codes("电子邮件2个工作日内回复。") == []
    assert codes("全天候,差评12小时内回复。") == []


OVER = phrase_lists()["cm_over_absolute"].phrases


@pytest.mark.parametrize("phrase", OVER)
def test_every_over_promise_pattern(phrase: str) -> None:
    text = f"本店承诺:{phrase}。"
    found = [f for f in check_commitment(text).findings if f.code == "C106"]
    assert found, phrase
    assert any(phrase in f.spans[0].of(text) for f in found)
    assert all(f.suggestion_zh for f in found)
    assert found[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我们保证100%客户满意", "percent"),
        ("百分之百的问题当天解决", "percent"),
        ("同样的问题永远不会再发生", "forever"),
        ("我们的服务绝不会出错", "forever"),
        ("本季度保证零投诉", "zero"),
        ("任何问题都能解决", "everything"),
    ],
)
def test_over_promise_kinds_and_rewrites(text: str, kind: str) -> None:
    [f] = [f for f in check_commitment(text).findings if f.code == "C106"]
    assert f.data["kind"] == kind
    assert f.suggestion_zh and f.suggestion_en


def test_over_promise_exemptions() -> None:
    [f] = check_commitment("我们绝不推诿。").findings
    assert (f.code, f.severity, f.data["kind"]) == ("C106", Severity.INFO, "conduct")
    assert "C106" not in codes("未按时回复的,退还100%服务费。")
    assert "C106" not in codes("我们不说“保证零投诉”这种话。")


def test_standard_disables_and_reseverities_rules() -> None:
    std = Standard(rules=RuleSettings(disabled=frozenset({"C101"})))
    assert "C101" not in [f.code for f in check_commitment("尽快回复。", standard=std).findings]
    std = Standard(rules=RuleSettings(severity={"C106": Severity.ERROR}))
    [f] = check_commitment("保证零投诉。", standard=std).findings
    assert f.severity is Severity.ERROR
    std = Standard(phrases={"cm_vague_time": ["光速"]})
    assert "C101" in [f.code for f in check_commitment("光速回复。", standard=std).findings]


def test_check_rejects_non_text() -> None:
    with pytest.raises(InputError):
        check_commitment(123)  # type: ignore[arg-type]


# ============================================================================ coverage


def test_realistic_document_covers_all_eight_elements() -> None:
    r = check_commitment(REALISTIC)
    table = r.coverage
    assert [row.element for row in table.rows] == list(El)
    assert table.missing == () and table.weak == ()
    expect = {
        El.RESPONSIVENESS: "在线客服首次响应时间均不超过30秒",
        El.COMPETENCE: "持证上岗",
        El.INTEGRITY: "首问负责",
        El.CONVENIENCE: "多渠道服务",
        El.RESPECT: "礼貌用语",
        El.IMPROVEMENT: "满意度调查",
        El.PRIVACY: "加密存储",
        El.RECOVERY: "主动回电",
    }
    for el, snippet in expect.items():
        row = table[el]
        assert row.status is CoverageStatus.PRESENT, el
        assert snippet in row.clause, (el, row.clause)
        assert row.span is not None and row.span.of(REALISTIC).strip() == row.clause
    # responsiveness per channel: chat, phone, e-mail, web form and reviews are measurable
    channels = {t.channel for t in r.targets}
    assert {Channel.ONLINE_CHAT, Channel.PHONE, Channel.EMAIL, Channel.WEB_FORM} <= channels
    assert "5 个渠道" in table[El.RESPONSIVENESS].note_zh
    md = table.to_markdown("zh")
    assert md.count("已覆盖") == 8


def test_realistic_document_findings_and_recovery() -> None:
    r = check_commitment(REALISTIC)
    assert [(f.code, f.severity) for f in r.findings] == [
        ("C104", Severity.WARNING),  # the complaint line names no channel
        ("C106", Severity.INFO),  # 绝不出售客户信息: a conduct pledge
    ]
    assert len(r.targets) == 9
    phone = next(c for c in r.recovery if M.PHONE_ANSWER in c.metrics)
    assert "回电" in phone.text and Channel.HOTLINE in phone.channels
    assert any(c.general for c in r.recovery)


def test_draft_document_coverage_is_weak_or_missing() -> None:
    table = commitment_coverage(DRAFT)
    status = {row.element: row.status for row in table.rows}
    assert status == {
        El.RESPONSIVENESS: CoverageStatus.WEAK,
        El.COMPETENCE: CoverageStatus.WEAK,
        El.INTEGRITY: CoverageStatus.MISSING,
        El.CONVENIENCE: CoverageStatus.WEAK,
        El.RESPECT: CoverageStatus.WEAK,
        El.IMPROVEMENT: CoverageStatus.MISSING,
        El.PRIVACY: CoverageStatus.MISSING,
        El.RECOVERY: CoverageStatus.MISSING,
    }
    assert table[El.RESPONSIVENESS].cues == ("快速响应", "及时")
    assert codes(DRAFT) == ["C101", "C101", "C101", "C102", "C106", "C106"]


def test_recovery_weak_when_trigger_or_remedy_alone() -> None:
    assert commitment_coverage("我们会真诚道歉。").status(El.RECOVERY) is CoverageStatus.WEAK
    assert (
        commitment_coverage("未在承诺时限内回复的,赠送积分。").status(El.RECOVERY)
        is CoverageStatus.PRESENT
    )


# ============================================================================ verification


def at(day: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(2026, 11, day, hh, mm, ss, tzinfo=TZ)


def chat(id: str, opened: datetime, secs: float) -> dict[str, object]:
    return {
        "id": id,
        "channel": "online_chat",
        "opened_at": opened,
        "first_response_at": opened + timedelta(seconds=secs),
    }


def test_verify_within_average_percentile_maximum() -> None:
    hist = [chat(f"c{i}", at(2, 10, i), s) for i, s in enumerate([10, 20, 30, 40, 100])]
    within = one("全天候,在线咨询30秒内回复")
    avg = one("全天候,在线咨询平均响应时间不超过45秒")
    p60 = one("全天候,60%的在线咨询30秒内回复")
    p80 = one("全天候,80%的在线咨询30秒内回复")
    mx = one("全天候,在线咨询响应时间最长不超过2分钟")
    rep = verify_commitments([within, avg, p60, p80, mx], hist)
    got = [(r.met, r.measured, r.cases, r.within) for r in rep.results]
    assert got == [
        (False, 100, 5, 3),
        (True, 40, 5, 4),
        (True, 30, 5, 3),
        (False, 40, 5, 3),
        (True, pytest.approx(100 / 60, abs=1e-3), 5, 5),
    ]
    assert [o.id for o in rep.results[0].worst] == ["c4", "c3"]
    assert rep.results[0].rate == 0.6
    assert len(rep.kept) == 3 and len(rep.broken) == 2


def test_working_hours_use_the_calendar_all_hours_the_clock() -> None:
    # Friday 2026-11-06 17:50, answered Monday 09:05: 15 office minutes, 63 wall-clock hours
    hist = [
        {
            "id": "e1",
            "channel": "email",
            "opened_at": at(6, 17, 50),
            "first_response_at": at(9, 9, 5),
        }
    ]
    wh = one("工作时间内,电子邮件30分钟内回复")
    ah = one("全天候,电子邮件30分钟内回复")
    wd = one("电子邮件1个工作日内回复")
    rep = verify_commitments([wh, ah, wd], hist, calendar=WorkCalendar.china_office_hours())
    assert [r.met for r in rep.results] == [True, False, True]
    assert rep.results[0].measured == 15
    assert rep.results[1].measured == pytest.approx(63.25 * 60)
    assert rep.results[2].measured == pytest.approx(15 / (7.5 * 60), abs=1e-3)
    # default calendar is China office hours
    assert verify_commitments([wh], hist).results[0].measured == 15


def test_the_default_calendar_takes_the_standards_holiday_schedules() -> None:
    from csstandards.calendar import HolidaySchedule
    from csstandards.standard import Standard

    # Thursday 2026-11-05 17:50, answered Monday 09:05; the company closed on Friday 11-06
    hist = [
        {
            "id": "e1",
            "channel": "email",
            "opened_at": at(5, 17, 50),
            "first_response_at": at(9, 9, 5),
        }
    ]
    wh = one("工作时间内,电子邮件30分钟内回复")
    closed = HolidaySchedule(years=(2026,), holidays={date(2026, 11, 6): "公司活动"})
    plain = verify_commitments([wh], hist).results[0]
    with_closure = verify_commitments([wh], hist, standard=Standard(holidays=(closed,))).results[0]
    assert (plain.met, plain.measured) == (False, 15 + 7.5 * 60)
    assert (with_closure.met, with_closure.measured) == (True, 15)
    with pytest.raises(InputError, match="standard must be a Standard"):
        verify_commitments([wh], hist, standard="cn")  # type: ignore[arg-type]


def test_any_business_clock_and_per_channel_calendars() -> None:
    class Half:
        def between(self, a: datetime, b: datetime) -> timedelta:
            return (b - a) / 2

    hist = [chat("c1", at(2, 10), 50), {**chat("x", at(2, 10), 50), "channel": "email"}]
    t_chat = one("工作时间内,在线咨询30秒内回复")
    t_mail = one("工作时间内,电子邮件30秒内回复")
    rep = verify_commitments([t_chat], hist, calendar=Half())
    assert rep.results[0].measured == 25 and rep.results[0].met
    rep = verify_commitments(
        [t_chat, t_mail],
        hist,
        calendar={Channel.ONLINE_CHAT: Half(), None: WorkCalendar.twenty_four_seven()},
    )
    assert [r.measured for r in rep.results] == [25, 50]
    with pytest.raises(InputError, match="no calendar for channel"):
        verify_commitments([t_mail], hist, calendar={Channel.ONLINE_CHAT: Half()})
    with pytest.raises(InputError, match="between"):
        verify_commitments([t_chat], hist, calendar=object())  # type: ignore[arg-type]


def test_rings_reviews_and_recovery() -> None:
    hist = [
        {"id": "p1", "channel": "phone", "opened_at": at(2, 10), "first_response_at": at(2, 10, 0, 9), "rings": 2},
        {"id": "p2", "channel": "hotline", "opened_at": at(2, 11), "first_response_at": at(2, 11, 0, 28)},
        {"id": "r1", "channel": "review_platform", "rating": "negative", "opened_at": at(2, 22), "first_response_at": at(3, 14)},
        {"id": "r2", "channel": "review_platform", "rating": "positive", "opened_at": at(2, 22), "first_response_at": at(5, 14)},
    ]  # fmt: skip
    doc = (
        "电话3声内接听。全天候,差评12小时内回复。"
        "如电话未能在3声内接听,我们将在当天主动回电。其他承诺未能兑现时,我们将主动联系您并致歉。"
    )
    rep = verify_commitments(doc, hist)
    phone, review = rep.results
    assert (phone.met, phone.measured, phone.cases) == (False, 6, 2)  # ceil(28 / 5)
    assert [o.id for o in phone.worst] == ["p2"]
    assert [c.text for c in phone.recovery] == ["如电话未能在3声内接听,我们将在当天主动回电"]
    assert (review.met, review.measured, review.cases) == (False, 16, 1)  # positive not counted
    assert [c.text for c in review.recovery] == ["其他承诺未能兑现时,我们将主动联系您并致歉"]
    rep = verify_commitments(doc, hist, seconds_per_ring=10)
    assert rep.results[0].measured == 3 and rep.results[0].met
    md = rep.to_markdown("en")
    assert "not met" in md and "| met |" in md


def test_resolution_follow_up_unmeasured_and_now() -> None:
    hist = [
        {"id": "a", "channel": "email", "opened_at": at(2, 10), "resolved_at": at(2, 12), "followed_up_at": at(2, 13)},
        {"id": "b", "channel": "email", "opened_at": at(2, 10)},
    ]  # fmt: skip
    res = one("全天候,问题解决时间均不超过3小时")
    fu = one("全天候,回访时间均不超过2小时")
    rep = verify_commitments([res, fu], hist)
    assert [(r.met, r.measured, r.cases, r.unmeasured) for r in rep.results] == [
        (True, 2, 1, 1),
        (True, 1, 1, 1),
    ]
    rep = verify_commitments([res], hist, now=at(2, 20))
    assert (rep.results[0].met, rep.results[0].cases) == (False, 2)
    rep = verify_commitments([res], hist, now=at(2, 11))
    assert (rep.results[0].met, rep.results[0].unmeasured) == (True, 1)  # b not late yet
    assert verify_commitments([res], []).results[0].met is None


def test_history_as_events_models_and_dataframe() -> None:
    events = [
        {"ticket_id": "t1", "type": "opened", "at": at(2, 10), "channel": "online_chat"},
        {"ticket_id": "t1", "type": "agent_reply", "at": at(2, 10, 0, 20)},
        {"ticket_id": "t1", "type": "agent_reply", "at": at(2, 10, 5)},
        {"ticket_id": "t2", "type": "opened", "at": at(2, 11), "channel": "在线咨询"},
        {"ticket_id": "t2", "type": "first_response", "at": at(2, 11, 1)},
    ]
    t = one("全天候,在线咨询30秒内回复")
    [r] = verify_commitments([t], events).results
    assert (r.cases, r.measured, [o.id for o in r.worst]) == (2, 60, ["t2"])

    class Row(BaseModel):
        id: str
        channel: str
        opened_at: datetime
        first_response_at: datetime | None = None

    rows = [
        Row(id="m1", channel="online_chat", opened_at=at(2, 10), first_response_at=at(2, 10, 0, 10))
    ]
    assert verify_commitments([t], rows).results[0].measured == 10

    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        [chat("d1", at(2, 10), 12), {"id": "d2", "channel": "online_chat", "opened_at": at(2, 11)}]
    )
    [r] = verify_commitments([t], df).results
    assert (r.cases, r.unmeasured, r.measured) == (1, 1, 12)


def test_verify_bad_input() -> None:
    t = one("全天候,在线咨询30秒内回复")
    with pytest.raises(RecordError, match="row 0"):
        verify_commitments(
            [t], [{"id": "x", "channel": "online_chat", "opened_at": datetime(2026, 11, 2)}]
        )
    with pytest.raises(RecordError, match="channel"):
        verify_commitments([t], [{"id": "x", "channel": "pigeon", "opened_at": at(2, 1)}])
    with pytest.raises(RecordError):
        verify_commitments([t], [42])
    with pytest.raises(InputError):
        verify_commitments([t], {"id": "x"})
    with pytest.raises(InputError):
        verify_commitments([t], 5)
    with pytest.raises(InputError):
        verify_commitments(["在线咨询30秒内回复"], [])  # type: ignore[list-item]
    with pytest.raises(InputError):
        verify_commitments([t], [], seconds_per_ring=0)
    with pytest.raises(InputError):
        verify_commitments([t], [], worst=-1)
    with pytest.raises(InputError):
        verify_commitments([t], [], now=datetime(2026, 11, 2))
    with pytest.raises(RecordError, match="end before start"):
        verify_commitments([t], [chat("neg", at(2, 10), -5)])
    with pytest.raises(ValidationError):
        TicketRecord(id="x", channel=Channel.EMAIL, opened_at=datetime(2026, 1, 1))


def test_report_objects_round_trip_json() -> None:
    r = check_commitment(REALISTIC)
    assert CommitmentReport.model_validate_json(r.model_dump_json()) == r
    clause = r.recovery[0]
    assert RecoveryClause.model_validate_json(clause.model_dump_json()) == clause


@pytest.mark.parametrize(
    "text", ["售后问题48小时内上门。", "退款3个工作日内到账。", "请在收货后7天内申请退换货。"]
)
def test_limits_on_other_activities_are_not_flagged_or_parsed(text: str) -> None:
    r = check_commitment(text)
    assert (r.findings, r.targets) == ((), ())


def test_waiting_time_is_first_response() -> None:
    t = one("工作时间内,在线咨询平均等待时间不超过1分钟")
    assert (t.metric, t.aggregate, t.value, t.unit) == (M.FIRST_RESPONSE, Agg.AVERAGE, 1, U.MINUTE)
    assert one("电话接听等待均不超过15秒").metric is M.PHONE_ANSWER


def test_standard_template_placeholders() -> None:
    text = "电话咨询在X声铃响内接听,电子邮件/在线表单提交的问题在X个工作日内得到初步回复。"
    found = check_commitment(text).findings
    assert [f.code for f in found] == ["C102", "C102"]
    assert one(found[0].data["rewrite"]).metric is M.PHONE_ANSWER
    assert one(found[1].data["rewrite"]).channel is Channel.EMAIL


def test_vague_rewrite_follows_its_own_clause() -> None:
    found = check_commitment("在线咨询30秒内回复,投诉尽快处理。").findings
    [f] = [f for f in found if f.code == "C101"]
    assert f.cue == "尽快" and one(f.data["rewrite"]).metric is M.RESOLUTION


def test_history_with_sla_event_logs() -> None:
    from csstandards.sla import EventKind, TicketEvent

    t = one("全天候,在线咨询30秒内回复")
    rows = [
        {
            "id": "s1",
            "channel": "online_chat",
            "events": [
                TicketEvent(kind=EventKind.OPENED, at=at(2, 10)),
                TicketEvent(kind=EventKind.CUSTOMER_MESSAGE, at=at(2, 10, 0, 5)),
                TicketEvent(kind=EventKind.AUTO_REPLY, at=at(2, 10, 0, 3)),
                TicketEvent(kind=EventKind.AGENT_REPLY, at=at(2, 10, 2)),
            ],
        },
        {"id": "s2", "channel": "online_chat", "events": [{"kind": "opened", "at": at(2, 11)}]},
    ]
    [r] = verify_commitments([t], rows).results
    assert (r.cases, r.measured, r.unmeasured) == (1, 3, 1)  # the auto-reply acknowledged
    # flat events out of order: the earliest of each kind wins
    events = [
        {"ticket_id": 7, "kind": "agent_reply", "at": at(2, 10, 0, 40)},
        {"ticket_id": 7, "kind": "opened", "at": at(2, 10), "channel": "online_chat"},
        {"ticket_id": 7, "kind": "agent_reply", "at": at(2, 10, 0, 20)},
    ]
    [r] = verify_commitments([t], events).results
    assert (r.measured, r.met) == (20, True)
    with pytest.raises(RecordError, match="naive"):
        verify_commitments(
            [t],
            [{"ticket_id": 1, "type": "opened", "at": at(2, 10)},
             {"ticket_id": 1, "type": "opened", "at": datetime(2026, 11, 2)}],
        )  # fmt: skip
    with pytest.raises(RecordError, match="events"):
        verify_commitments([t], [{"id": "x", "channel": "im", "events": "opened"}])


def test_quoted_vague_wording_does_not_count_as_a_promise() -> None:
    table = commitment_coverage("例如,“快速响应”可明确为具体时限。")
    assert table.status(El.RESPONSIVENESS) is CoverageStatus.MISSING
    assert codes("售后维修7天内完成。") == []
