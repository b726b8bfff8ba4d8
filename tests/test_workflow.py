"""Consultation and feedback-case machines: table, guards, errors, JSON, routing, recurrence."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from csstandards.errors import EventOrderError, InputError, NaiveDatetimeError, WorkflowError
from csstandards.models import Actor, Channel, Priority
from csstandards.workflow import (
    CASE_TABLE,
    CONSULTATION_TABLE,
    Acknowledged,
    AgentMessage,
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
    ConsultEventKind,
    ConsultStage,
    CustomerMessage,
    FeedbackCase,
    FollowUpDone,
    FollowUpScheduled,
    Importance,
    NeedConfirmed,
    Recorded,
    Reopened,
    Resolved,
    ResultCommunicated,
    WorkStarted,
    assess_case,
    check_case,
    default_routing,
    detect_recurrence,
    replay_case,
    replay_consultation,
    route,
)

CN = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=CN)


def s(sec: float) -> datetime:
    return T0 + timedelta(seconds=sec)


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_tables_are_frozen() -> None:
    with pytest.raises(TypeError):
        CONSULTATION_TABLE.rows[(ConsultStage.CLOSED, ConsultEventKind.CLOSED)] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        CASE_TABLE.rows[(CaseStage.NEW, CaseStage.NEW)] = None  # type: ignore[index]


def test_consultation_stages_follow_the_chain() -> None:
    c = Consultation(id="c1")
    assert c.stage is ConsultStage.ACCEPT
    c = c.apply(CustomerMessage(at=s(0), text="你们快递太慢了"))
    c = c.apply(AutoReply(at=s(3), text="已收到您的问题,马上为您解答"))
    assert c.stage is ConsultStage.ACCEPT
    c = c.apply(AgentMessage(at=s(10), text="您希望什么时候收到?"))
    assert c.stage is ConsultStage.CONFIRM
    c = c.apply(NeedConfirmed(at=s(40), need="明天送礼,今天必须收到"))
    assert c.stage is ConsultStage.ANSWER
    c = c.apply(AnswerGiven(at=s(60), text="已为您加急"))
    assert c.stage is ConsultStage.FOLLOW_UP
    c = c.apply(Closed(at=s(90)))
    assert c.stage is ConsultStage.CLOSED
    c = c.apply(Reopened(at=h(5)))
    assert c.stage is ConsultStage.ACCEPT and c.state.cycle == 1
    assert replay_consultation(c.events) == c.state


def test_illegal_event_names_stage_event_and_allowed_and_changes_nothing() -> None:
    c = Consultation(id="c1").apply(CustomerMessage(at=s(0), text="在吗"))
    before = c.model_copy()
    with pytest.raises(WorkflowError) as e:
        c.apply(Reopened(at=s(1)))
    err = e.value
    assert err.event == "reopened" and "accept" in err.stage
    assert "customer_message" in err.allowed and "reopened" not in err.allowed
    assert "reopened" in str(err) and "allowed" in str(err)
    assert c == before and len(c.events) == 1


def test_guard_refuses_with_chinese_and_english_reason() -> None:
    c = Consultation(id="c1")
    with pytest.raises(WorkflowError) as e:
        c.apply(AgentMessage(at=s(0), text="您好"))
    assert "客户尚未发起咨询" in e.value.reason and "before the customer" in e.value.reason
    c = c.apply(CustomerMessage(at=s(0), text="投诉,大额订单"))
    c = c.apply(NeedConfirmed(at=s(5), need="催发货", order_amount=Decimal("5000")))
    assert c.state.important and c.state.importance is Importance.IMPORTANT
    c = c.apply(AnswerGiven(at=s(30), text="已加急"))
    refusal = c.refusal(Closed(at=s(40)))
    assert refusal is not None and "回访" in refusal.reason_zh and "follow-up" in refusal.reason_en
    with pytest.raises(WorkflowError):
        c.apply(Closed(at=s(40)))
    # an abandoned consultation may always end
    assert c.apply(Closed(at=s(40), reason=CloseReason.ABANDONED)).stage is ConsultStage.CLOSED
    with pytest.raises(WorkflowError, match="due after"):
        c.apply(FollowUpScheduled(at=s(50), due=s(49)))
    c = c.apply(FollowUpScheduled(at=s(50), due=h(20))).apply(
        FollowUpDone(at=h(19), text="收到了吗")
    )
    assert c.apply(Closed(at=h(19.5))).stage is ConsultStage.CLOSED


def test_large_order_threshold_is_configurable() -> None:
    from csstandards.workflow import ConsultationPolicy

    ev = [
        CustomerMessage(at=s(0), text="咨询"),
        NeedConfirmed(at=s(1), need="x", order_amount=Decimal("800")),
    ]
    assert not Consultation(id="a").extend(ev).state.important
    pol = ConsultationPolicy(large_order_amount=Decimal("500"))
    assert Consultation(id="a", policy=pol).extend(ev).state.important


def test_complex_consultation_needs_record_note() -> None:
    c = Consultation(id="c").extend(
        [
            CustomerMessage(at=s(0), text="APP闪退"),
            NeedConfirmed(at=s(5), need="闪退", complex=True),
            AnswerGiven(at=s(9), text="已提交排查"),
        ]
    )
    assert c.refusal(Closed(at=s(20))) is not None
    assert c.apply(Closed(at=s(20), record_note="闪退已提交技术部")).stage is ConsultStage.CLOSED


def test_time_must_be_aware_and_ordered() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CustomerMessage(at=datetime(2026, 3, 2, 10), text="x")
    c = Consultation(id="c").apply(CustomerMessage(at=s(10), text="x"))
    with pytest.raises(EventOrderError) as e:
        c.apply(AgentMessage(at=s(5), text="y"))
    assert e.value.index == 1
    # model_construct bypasses validation: the machine still refuses a naive time
    naive = CustomerMessage.model_construct(at=datetime(2026, 3, 2, 10), text="x")
    with pytest.raises(NaiveDatetimeError):
        c.apply(naive)


def test_json_round_trip_is_lossless() -> None:
    c = Consultation(id="c", channel=Channel.PHONE, customer="李先生").extend(
        [
            CustomerMessage(at=s(0), text="保修多久?"),
            AgentMessage(at=s(8), actor=Actor.AGENT, agent="a7", text="您好"),
            NeedConfirmed(
                at=s(20), need="保修", slots={"what": "保修期"}, order_amount=Decimal("12.50")
            ),
            AnswerGiven(at=s(30), text="1年", options=("寄修", "到店")),
            FollowUpScheduled(at=s(40), due=h(10), via=Channel.PHONE),
        ]
    )
    back = Consultation.from_json(c.to_json())
    assert back == c and back.state == c.state
    assert back.events[2].order_amount == Decimal("12.50")  # type: ignore[union-attr]
    with pytest.raises(InputError):
        Consultation.from_json('{"id": "x", "events": [{"kind": "nope"}]}')
    bad_log = '{"id":"x","events":[{"kind":"agent_message","at":"2026-03-02T10:00:00+08:00"}]}'
    with pytest.raises(WorkflowError):
        Consultation.from_json(bad_log)


# -- feedback case ----------------------------------------------------------------------------
def record(at: datetime = T0, **kw: object) -> Recorded:
    data: dict[str, object] = dict(
        at=at, customer="王女士", received_at=at, description="杯子收到就裂了", demand="换新",
        channel=Channel.ONLINE_CHAT, product="马克杯",
    )  # fmt: skip
    data.update(kw)
    return Recorded(**data)  # type: ignore[arg-type]


def complaint(**kw: object) -> CaseAssessment:
    base: dict[str, object] = {"kind": "complaint", "priority": Priority.P2, "topics": ("quality",)}
    base.update(kw)
    return CaseAssessment(**base)  # type: ignore[arg-type]


def test_recording_requires_the_fields_of_the_standard() -> None:
    with pytest.raises(WorkflowError) as e:
        FeedbackCase(id="f").apply(record(demand=" "))
    assert "诉求" in e.value.reason and "demand" in e.value.reason
    with pytest.raises(ValueError):
        Recorded(at=T0, customer="x", description="d", demand="d")  # type: ignore[call-arg]
    with pytest.raises(WorkflowError, match="feedback time"):
        FeedbackCase(id="f").apply(record(received_at=h(1)))


def test_case_cannot_close_before_result_communicated() -> None:
    case = FeedbackCase(id="f").extend(
        [
            record(),
            Assessed(at=h(0.2), assessment=complaint()),
            Assigned(at=h(1), department="质量部门"),
        ]
    )
    for stage_case in (case, case.apply(WorkStarted(at=h(2)))):
        with pytest.raises(WorkflowError) as e:
            stage_case.apply(CaseClosed(at=h(3)))
        assert "cannot close before the result was communicated" in e.value.reason
    with pytest.raises(WorkflowError, match="not resolved yet"):
        case.apply(ResultCommunicated(at=h(3), text="处理中"))
    done = case.extend(
        [
            Resolved(at=h(3), result="换新已发出"),
            ResultCommunicated(at=h(4), text="已为您换新"),
            CaseClosed(at=h(5)),
        ]
    )
    assert done.stage is CaseStage.CLOSED and done.state.closures == (h(5),)
    again = done.apply(CaseReopened(at=h(30), reason="新杯子也裂了"))
    assert again.stage is CaseStage.REOPENED and again.state.communicated_at is None
    assert replay_case(again.events) == again.state


def test_complaint_must_be_handled_but_suggestion_can_be_thanked_directly() -> None:
    base = FeedbackCase(id="f").apply(record())
    c = base.apply(Assessed(at=h(0.1), assessment=complaint()))
    with pytest.raises(WorkflowError, match="assigned and handled"):
        c.apply(ResultCommunicated(at=h(1), text="感谢"))
    sug = base.apply(Assessed(at=h(0.1), assessment=complaint(kind="suggestion")))
    sug = sug.apply(ResultCommunicated(at=h(1), text="感谢您的建议"))
    assert sug.apply(CaseClosed(at=h(2))).stage is CaseStage.CLOSED


def test_person_override_keeps_both_assessments() -> None:
    c = FeedbackCase(id="f").extend(
        [record(), Assessed(at=h(0.1), assessment=complaint(kind="complaint"))]
    )
    person = complaint(kind="grievance", priority=Priority.P1, source="person", by="组长")
    c = c.apply(AssessmentOverridden(at=h(0.2), assessment=person, reason="客户要求投诉处理"))
    st = c.state
    assert st.classifier_assessment is not None and st.classifier_assessment.kind == "complaint"
    assert st.person_assessment == person and st.assessment == person
    report = check_case(c)
    assert report.classifier_assessment is not None and report.person_assessment == person


def test_routing_table_default_and_custom() -> None:
    rt = default_routing()
    assert route(["logistics"]).department == "物流部门"
    assert route(["app_bug"]).department == "技术部门"
    assert route(["unknown-topic"]).department == rt.default == "客服部门"
    assert route(complaint(topics=("nope", "refund"))).topic == "refund"
    from csstandards.workflow import Routing

    mine = Routing(default="服务台", table={"logistics": "仓配组"})
    assert route(["logistics"], mine).department == "仓配组"
    assert route(["quality"], mine).department == "服务台"


def test_assess_case_uses_a_classifier_seam() -> None:
    c = FeedbackCase(id="f").apply(record())
    seen: list[tuple[str, Channel | None]] = []

    def fake(text: str, channel: Channel | None) -> CaseAssessment:
        seen.append((text, channel))
        return complaint(topics=("packaging",))

    ev = assess_case(c, at=h(0.1), classifier=fake)
    assert seen == [("杯子收到就裂了。换新", Channel.ONLINE_CHAT)]
    assert c.apply(ev).state.assessment is not None
    with pytest.raises(InputError):
        assess_case(FeedbackCase(id="empty"), at=h(1), classifier=fake)


def test_acknowledgement_is_measured_apart_from_resolution() -> None:
    c = FeedbackCase(id="f").extend(
        [
            record(),
            Acknowledged(at=h(0.1), text="已收到,正在处理"),
            Assessed(at=h(0.3), assessment=complaint(priority=Priority.P1)),
            Assigned(at=h(1), department="质量部门"),
            Resolved(at=h(30), result="换新"),
            ResultCommunicated(at=h(30), text="已换新"),
        ]
    )
    report = check_case(c)
    codes = {f.code for f in report.findings}
    assert "W123" in codes and "W121" not in codes  # fast ack, late result
    from csstandards.sla import Metric

    assert report.clocks is not None
    ack = report.clocks.latest(Metric.ACKNOWLEDGEMENT)
    res = report.clocks.latest(Metric.RESOLUTION)
    assert ack is not None and ack.stopped_at == h(0.1) and not ack.breached
    assert res is not None and res.stopped_at == h(30) and res.breached


def test_recurrence_within_window_after_closure() -> None:
    def closed_case(cid: str, start: datetime, **kw: object) -> FeedbackCase:
        return FeedbackCase(id=cid).extend(
            [
                record(at=start, **kw),
                Assessed(at=start + timedelta(minutes=5), assessment=complaint()),
                Assigned(at=start + timedelta(hours=1), department="质量部门"),
                Resolved(at=start + timedelta(hours=2), result="换新"),
                ResultCommunicated(at=start + timedelta(hours=3), text="已换新"),
                CaseClosed(at=start + timedelta(hours=4)),
            ]
        )

    old = closed_case("old", h(-24 * 10))
    other_customer_same_product = closed_case("p", h(-24 * 5), customer="赵先生")
    new = FeedbackCase(id="new").extend([record(), Assessed(at=h(0.1), assessment=complaint())])
    found = detect_recurrence(new, [old, other_customer_same_product], window=timedelta(days=30))
    assert {(r.case_id, r.by) for r in found} == {
        ("old", ("customer", "product")),
        ("p", ("product",)),
    }
    assert detect_recurrence(new, [old], window=timedelta(days=7)) == []
    other_topic = FeedbackCase(id="n2").extend(
        [record(), Assessed(at=h(0.1), assessment=complaint(topics=("price",)))]
    )
    assert detect_recurrence(other_topic, [old], window=timedelta(days=30)) == []
    assert any(f.code == "W126" for f in check_case(new, history=[old]).findings)


def test_case_json_round_trip() -> None:
    c = FeedbackCase(id="f", complex=True).extend(
        [
            record(),
            Assessed(at=h(0.1), assessment=complaint()),
            AssessmentOverridden(
                at=h(0.2), assessment=complaint(source="person", kind="grievance")
            ),
            Assigned(at=h(1), department="质量部门", routed_by="table"),
        ]
    )
    back = FeedbackCase.from_json(c.to_json())
    assert back == c and back.state == c.state
    with pytest.raises(InputError):
        FeedbackCase.from_json("{")


def test_assess_case_with_the_feedback_classifier_and_routing() -> None:
    c = FeedbackCase(id="f").apply(record(description="快递太慢了,一周都没到", demand="尽快送到"))
    ev = assess_case(c, at=h(0.1))
    a = ev.assessment
    assert a.source == "classifier" and "logistics" in a.topics
    assert a.raw["kind"] == a.kind  # the classifier's full output is kept for audit
    c = c.apply(ev)
    assert route(c.state.assessment).department == "物流部门"  # type: ignore[arg-type]
    assert FeedbackCase.from_json(c.to_json()) == c


def test_model_copy_never_reuses_a_stale_state() -> None:
    c = Consultation(id="c").extend(
        [CustomerMessage(at=s(0), text="x"), AnswerGiven(at=s(5), text="y")]
    )
    assert c.stage is ConsultStage.FOLLOW_UP
    shorter = c.model_copy(update={"events": c.events[:1]})
    assert shorter.stage is ConsultStage.ACCEPT and shorter.state == replay_consultation(
        shorter.events
    )
    case = FeedbackCase(id="f").extend([record(), Assessed(at=h(0.1), assessment=complaint())])
    assert case.model_copy(update={"events": case.events[:1]}).stage is CaseStage.RECEIVED


def test_record_notes_of_earlier_consultations_should_be_mentioned() -> None:
    from csstandards.workflow import check_consultation

    earlier = Consultation(id="old", customer="李").extend(
        [
            CustomerMessage(at=s(0), text="APP闪退"),
            NeedConfirmed(at=s(5), need="闪退", complex=True),
            AnswerGiven(at=s(9), text="已提交排查"),
            Closed(at=s(20), record_note="APP闪退已提交技术部"),
        ]
    )

    def now(reply: str, customer: str = "李") -> set[str]:
        c = Consultation(id="new", customer=customer).extend(
            [CustomerMessage(at=h(48), text="在吗"), AgentMessage(at=h(48.001), text=reply)]
        )
        return {f.code for f in check_consultation(c, history=[earlier]).findings}

    assert "W110" in now("您好,请问有什么可以帮您?")
    assert "W110" not in now("您好!上次您说的APP闪退问题,已经修复了。")
    assert "W110" not in now("您好,请问有什么可以帮您?", customer="赵")


def test_claims_and_periods() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from csstandards.text import analyze
    from csstandards.workflow import extract_claims, fact_table
    from csstandards.workflow.checks import period_days

    assert period_days("1年") == 365 and period_days("半年") == 182
    assert period_days("十二个月") == 360 and period_days("两年") == 730
    assert period_days("一年半") == 547 and period_days("7天") == 7 and period_days("三周") == 21
    assert period_days("很久") is None
    text = "亲,保修期为两年,另外支持7天无理由退货,一年保修不含人为损坏。"
    claims = extract_claims(analyze(text), event=3)
    assert [(c.topic, c.value, c.event) for c in claims] == [
        ("warranty", "两年", 3),
        ("return_window", "7天", 3),
        ("warranty", "一年", 3),
    ]
    assert all(c.span.of(text) == c.text for c in claims)
    with pytest.raises(InputError, match="not a period"):
        fact_table({"warranty": "很久"})

    @settings(max_examples=50, deadline=None)
    @given(n=st.integers(1, 99), unit=st.sampled_from(["年", "个月", "天", "周"]))
    def agrees_with_itself(n: int, unit: str) -> None:
        kb = fact_table({"warranty": f"{n}{unit}"})
        (claim,) = extract_claims(analyze(f"保修期是{n}{unit}"))
        verdict = kb(claim)
        assert verdict is not None and verdict.ok

    agrees_with_itself()


def test_check_functions_reject_wrong_input() -> None:
    from csstandards.workflow import check_consultation

    with pytest.raises(InputError):
        check_consultation("not a consultation")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        check_case(Consultation(id="x"))  # type: ignore[arg-type]
    empty = check_consultation(Consultation(id="e"))
    assert empty.stage is ConsultStage.ACCEPT and empty.findings == () and empty.clocks is None
    assert check_case(FeedbackCase(id="e")).stage is CaseStage.NEW
