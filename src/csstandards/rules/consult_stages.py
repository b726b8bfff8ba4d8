"""Consultation rules (咨询流程, family ``consultation``, codes W1xx): each checks one standard
of 001 on a whole consultation log.  Findings about one message carry ``data["event"]`` and
spans into that event's text; every finding carries ``data["stage"]``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ..errors import RuleNotFound
from ..models import Channel, Finding, Severity, Span
from ..sla import Metric, default_policy
from ..workflow.checks import ConsultationContext
from ..workflow.consultation import (
    AgentMessage,
    AnswerGiven,
    AutoReply,
    Closed,
    CloseReason,
    ConsultStage,
    CustomerMessage,
    FollowUpDone,
    FollowUpScheduled,
    NeedConfirmed,
    QuestionAsked,
)
from .base import REGISTRY, Family, Rule, bad, good, rule

REGISTRY.register_family(
    Family(
        name="consultation",
        description="Stage-by-stage checks of a consultation log (001 §1–§2).",
        make_context=lambda ex, std: _make(ex, std),
    )
)


def _make(example: object, standard: object) -> ConsultationContext:
    from ..workflow.checks import make_consultation_context

    return make_consultation_context(example, standard)


def _fmt(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f}秒"
    if seconds < 7200:
        return f"{seconds / 60:.0f}分钟"
    return f"{seconds / 3600:.1f}小时"


# -- 受理 ----------------------------------------------------------------------------------------
@rule(
    id="consult.slow-first-response",
    code="W101",
    family="consultation",
    name_zh="受理不及时",
    name_en="slow first response",
    severity=Severity.WARNING,
    clause="001 §2.1",
    message_zh="首次响应超出渠道时限(在线咨询15秒、电话铃响3声内)",
    message_en="The first response came later than the channel's target (chat 15 s, phone 3 rings)",
    suggestion_zh="设置确认收到的自动回复,例如:“已收到您的问题,小X为您服务,马上为您解答”",
    suggestion_en="Set an acknowledging auto-reply such as 'We got your question, an agent is on it'",
    examples=[
        bad("您好,请问有什么可以帮您?", review="在吗?我想问下退货", wait_s=40),
        bad("您好,这就帮您查。", review="我的电话一直打不通", channel="phone", wait_s=30),
        good(
            "已收到您的问题,小X为您服务,马上为您解答。",
            review="在吗",
            wait_s=3,
            response="auto_reply",
        ),
        good("您好,我来帮您看一下退货的事。", review="在吗?我想问下退货", wait_s=10),
    ],
)
def slow_first_response(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    for clock in ctx.rule_clocks().of(Metric.ACKNOWLEDGEMENT):
        if not clock.breached:
            continue
        secs = clock.elapsed.total_seconds()
        data: dict[str, object] = {
            "stage": ConsultStage.ACCEPT.value,
            "cycle": clock.cycle,
            "elapsed_s": secs,
            "target_s": clock.target.total_seconds(),
            "rule": clock.rule,
            "waiting": clock.stopped_at is None,
        }
        late = _answered_at(ctx, clock.stopped_at)
        spans: list[Span] = []
        if late is not None:  # the reply that came late: its event and its whole text
            a = ctx.analysis(late)
            data["event"] = late
            if a.text:
                spans = [a.span(0, len(a.text))]
        sev = Severity.ERROR if secs > 60 else None  # 78% turn negative after 1 minute
        phone = ctx.consultation.channel in (Channel.PHONE, Channel.HOTLINE)
        rings = ""
        if phone:
            per_ring = (ctx.sla_policy or default_policy()).seconds_per_ring
            data["rings"] = round(secs / per_ring, 1)
            rings = f"(约铃响{secs / per_ring:.0f}声,标准为3声内接听)"
        yield r.finding(
            severity=sev,
            spans=spans,
            message_zh=f"首次响应用时{_fmt(secs)},超过时限{_fmt(clock.target.total_seconds())}"
            + rings
            + ("(客户仍在等待)" if clock.stopped_at is None else ""),
            message_en=f"first response after {secs:.0f} s, target "
            f"{clock.target.total_seconds():.0f} s"
            + (" (still waiting)" if data["waiting"] else ""),
            data=data,
        )


def _answered_at(ctx: ConsultationContext, at: datetime | None) -> int | None:
    """The event that stopped an acknowledgement clock at ``at``: the first reply of that
    instant (an auto-reply only if it acknowledges, as the clock counts it)."""
    if at is None:
        return None
    for i, ev in enumerate(ctx.events):
        if not isinstance(ev, AutoReply | AgentMessage | QuestionAsked | AnswerGiven):
            continue
        if ev.at != at:
            continue
        if isinstance(ev, AutoReply):
            a = ctx.analysis(i)
            if not a.has("wf_ack_receipt") or a.has("wf_mechanical"):
                continue
        return i
    return None


@rule(
    id="consult.mechanical-first-reply",
    code="W102",
    family="consultation",
    name_zh="机械/甩锅式受理",
    name_en="mechanical first reply",
    severity=Severity.WARNING,
    clause="001 §2.1",
    message_zh="第一条回复是机械话术或让客户自己查说明书,不算有效受理",
    message_en="The first reply is canned or deflects to a manual; it does not count as accepting",
    suggestion_zh="先确认收到并表示马上处理,再直接回答,例如:“已收到您的问题,马上为您解答”",
    suggestion_en="Acknowledge the question and answer it directly",
    examples=[
        bad("您好,关于产品使用时长请参考说明书第5页。", review="你们产品能用多久"),
        bad("此为自动回复,请勿回复。", review="在吗", response="auto_reply"),
        good("已收到您的问题,马上为您解答。", review="在吗", response="auto_reply"),
        good("正常使用可以用3年左右,我再给您说说保养方法。", review="你们产品能用多久"),
    ],
)
def mechanical_first_reply(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    from . import get_registry

    for cycle in ctx.cycles():
        i = ctx.first_response(cycle)
        if i is None:
            continue
        ev = ctx.events[i]
        a = ctx.analysis(i)
        data = {"stage": ConsultStage.ACCEPT.value, "event": i}
        mech = a.hits_of("wf_mechanical")
        if isinstance(ev, AutoReply):
            if not (a.has("wf_ack_receipt") and not mech):
                cue = mech[0].phrase if mech else None
                spans = [a.hit_span(mech[0])] if mech else []
                yield r.finding(
                    spans=spans,
                    cue=cue,
                    message_zh="自动回复没有确认收到客户的问题(机械回复),不算受理",
                    message_en="The auto-reply does not acknowledge the question; it does not count",
                    data=data,
                )
            continue
        if mech and not a.has("wf_ack_receipt"):
            yield r.finding(spans=[a.hit_span(mech[0])], cue=mech[0].phrase, data=data)
            continue
        try:
            deflect = get_registry().get("reply.deflect-to-manual")
        except RuleNotFound:  # pragma: no cover - R106 ships with the foundation
            continue
        from .context import ReplyContext

        prev = ctx.customer_before(i, cycle)
        review = ctx.analysis(prev[-1]) if prev else None
        for f in deflect.run(ReplyContext(reply=a, review=review, standard=ctx.standard)):
            yield r.finding(spans=f.spans, cue=f.cue, data={**data, "via": f.code})
            break


# -- 确认 ----------------------------------------------------------------------------------------
@rule(
    id="consult.need-unconfirmed",
    code="W103",
    family="consultation",
    name_zh="需求未确认",
    name_en="need not confirmed",
    severity=Severity.WARNING,
    clause="001 §2.2",
    message_zh="解答前对真实需求了解不足(5W1H:何事、何时、何地、何人、为何、如何)",
    message_en="The answer came before the real need was established (5W1H)",
    suggestion_zh="先用提问确认需求,例如:“您希望什么时候收到?这个快递对您很重要吗?”",
    suggestion_en="Ask first, e.g. 'When do you need it? Is this delivery important to you?'",
    examples=[
        bad("我们会催一下快递。", review="你们快递太慢了", response="answer_given"),
        good(
            "明白,明天要送礼的话,我这就为您加急,今天下午6点前送达。",
            review="你们快递太慢了,明天要送礼,今天必须收到",
            response="answer_given",
        ),
    ],
)
def need_unconfirmed(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    minimum = 2
    for cycle in ctx.cycles():
        first_answer = next((i for i in cycle if isinstance(ctx.events[i], AnswerGiven)), None)
        if first_answer is None:
            continue
        confirmed = any(isinstance(ctx.events[i], NeedConfirmed) for i in cycle if i < first_answer)
        got = [s for s in ctx.slots() if s.event < first_answer]
        if confirmed or len(got) >= minimum:
            continue
        yield r.finding(
            data={
                "stage": ConsultStage.CONFIRM.value,
                "event": first_answer,
                "established": [s.slot.value for s in got],
                "minimum": minimum,
            },
            message_zh=f"解答前只确认了{len(got)}项需求要素("
            + ("、".join(s.slot.label_zh for s in got) or "无")
            + ")",
            message_en=f"only {len(got)} of the 5W1H slots were established before the answer",
        )


@rule(
    id="consult.interrogation",
    code="W104",
    family="consultation",
    name_zh="查户口式提问",
    name_en="interrogation-style question",
    severity=Severity.WARNING,
    clause="001 §2.2",
    message_zh="提问带有质问或“查户口”式的压迫感,容易引起抵触",
    message_en="The question sounds like an interrogation and invites resistance",
    suggestion_zh="换成开放、合作的问法,例如:“方便和我说说具体情况吗?我们一起看看怎么解决”",
    suggestion_en="Ask openly: 'Could you tell me what happened? Let us solve it together'",
    examples=[
        bad("您为什么要退?", review="我要退款", response="question_asked"),
        bad("你到底想怎么样?", review="这都第三次了", response="question_asked"),
        good(
            "方便和我说说具体情况吗?我们一起看看怎么解决。",
            review="我要退款",
            response="question_asked",
        ),
        good("您希望什么时候收到呢?", review="快递太慢了", response="question_asked"),
    ],
)
def interrogation(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    """Questions flagged by the reply rule R107 (reused, not duplicated) plus the workflow's
    own ``wf_interrogation`` phrases, each with a softer rewrite from the workflow lexicon."""
    from ..workflow.checks import interrogation_rewrite
    from . import get_registry
    from .context import ReplyContext

    try:
        r107: Rule | None = get_registry().get("reply.interrogative")
    except RuleNotFound:  # pragma: no cover - R107 ships with the tone module
        r107 = None
    for i, ev in enumerate(ctx.events):
        if not isinstance(ev, QuestionAsked | AgentMessage | AnswerGiven):
            continue
        a = ctx.analysis(i)
        taken: list[Span] = []
        found: list[tuple[Span, str, str]] = []
        if r107 is not None:
            for f in r107.run(ReplyContext(reply=a, standard=ctx.standard)):
                taken.extend(f.spans)
                found.append((f.spans[0] if f.spans else a.span(0, 0), f.cue or "", f.code))
        for h in a.hits_of("wf_interrogation"):
            span = a.hit_span(h)
            if a.in_quote(h.start, h.end) or any(t.overlaps(span) for t in taken):
                continue
            taken.append(span)
            found.append((span, h.phrase, "wf_interrogation"))
        for span, cue, via in found:
            rewrite = interrogation_rewrite(cue)
            yield r.finding(
                spans=[span] if len(span) else [],
                cue=cue,
                suggestion_zh=f"换一种问法:“{rewrite}”",
                suggestion_en=f"Ask more softly, e.g. “{rewrite}”",
                data={
                    "stage": ConsultStage.CONFIRM.value,
                    "event": i,
                    "rewrite": rewrite,
                    "via": via,
                },
            )


# -- 解答 ----------------------------------------------------------------------------------------
@rule(
    id="consult.single-option",
    code="W106",
    family="consultation",
    name_zh="方案单一",
    name_en="single option",
    severity=Severity.INFO,
    clause="001 §2.3",
    message_zh="问题有多种处理方式,解答只给了一种,建议提供2-3种方案供客户选择",
    message_en="The question admits alternatives but the answer offers one; offer 2–3 options",
    suggestion_zh="例如:“普通故障今天就能修好,复杂问题可能需要2天,但我们可以优先处理您的订单,争取明天完成”",
    suggestion_en="E.g. 'Simple faults today; complex ones 2 days, or we prioritise yours for tomorrow'",
    examples=[
        bad("维修需要3天。", review="维修需要多久?", response="answer_given"),
        good(
            "普通故障今天就能修好,复杂问题可能需要2天,但我们可以优先处理您的订单,争取明天完成。",
            review="维修需要多久?",
            response="answer_given",
        ),
        good("运费是10元。", review="运费多少钱?", response="answer_given"),
    ],
)
def single_option(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    for cycle in ctx.cycles():
        asked = [
            h
            for j in cycle
            if isinstance(ctx.events[j], CustomerMessage)
            for h in ctx.analysis(j).hits_of("wf_alternatives_question")
        ]
        asked_before = False  # a customer message so far in the cycle asked for alternatives
        for i in cycle:
            ev = ctx.events[i]
            if isinstance(ev, CustomerMessage):
                asked_before = asked_before or ctx.analysis(i).has("wf_alternatives_question")
                continue
            if not isinstance(ev, AnswerGiven):
                continue
            alternatives = ev.alternatives_exist
            if alternatives is None:
                alternatives = asked_before
            if not alternatives:
                continue
            a = ctx.analysis(i)
            markers = {h.phrase for h in a.hits_of("wf_option_marker")}
            count = len(ev.options) if ev.options else min(3, 1 + len(markers))
            if count >= 2:
                continue
            yield r.finding(
                cue=asked[0].phrase if asked else None,
                data={"stage": ConsultStage.ANSWER.value, "event": i, "options": count},
            )


@rule(
    id="consult.fact-contradiction",
    code="W107",
    family="consultation",
    name_zh="信息与知识库不符",
    name_en="claim contradicts the knowledge base",
    severity=Severity.ERROR,
    clause="001 §2.3",
    message_zh="回复中的事实(如保修期)与知识库不一致",
    message_en="A factual claim in the reply (e.g. the warranty period) contradicts the knowledge base",
    suggestion_zh="不确定时先核查内部知识库或请同事复核,确认无误再回复",
    suggestion_en="When unsure, check the knowledge base or ask a colleague before replying",
    examples=[
        bad(
            "这款的保修期是半年,您已经过保了,维修需要自费。",
            review="耳机坏了,买了8个月,能免费修吗?",
            kb={"warranty": "1年"},
        ),
        good(
            "这款的保修期是1年,您在保修期内,可以免费维修。",
            review="耳机坏了,买了8个月,能免费修吗?",
            kb={"warranty": "1年"},
        ),
        good("这款支持7天无理由退货。", review="能退吗", kb={"return_window": "7天"}),
    ],
)
def fact_contradiction(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    if ctx.kb is None:
        return
    from ..workflow.checks import extract_claims

    for i, ev in enumerate(ctx.events):
        if not isinstance(ev, AgentMessage | AnswerGiven | FollowUpDone | Closed | QuestionAsked):
            continue
        for claim in extract_claims(ctx.analysis(i), i):
            verdict = ctx.kb(claim)
            if verdict is None or verdict.ok:
                continue
            yield r.finding(
                spans=[claim.span],
                cue=claim.text,
                message_zh=f"回复称“{claim.text}”,但{verdict.source or '知识库'}记载为{verdict.expected}",
                message_en=f"the reply says “{claim.text}” but the knowledge base says {verdict.expected}",
                data={
                    "stage": ConsultStage.ANSWER.value,
                    "event": i,
                    "topic": claim.topic,
                    "claimed": claim.value,
                    "expected": verdict.expected,
                    "source": verdict.source,
                },
            )


# -- 跟进 ----------------------------------------------------------------------------------------
@rule(
    id="consult.follow-up-late",
    code="W108",
    family="consultation",
    name_zh="重要问题未及时回访",
    name_en="important consultation not followed up in time",
    severity=Severity.ERROR,
    clause="001 §2.4",
    message_zh="重要问题(投诉、大额订单)须在24小时内主动回访,告知进展",
    message_en="Important consultations (complaints, large orders) need a proactive follow-up "
    "within 24 h",
    suggestion_zh="主动回访,例如:“昨天帮您跟进的快递,显示已经送达,您收到了吗?有问题随时找我”",
    suggestion_en="Call back: 'The parcel we chased yesterday shows delivered — did you get it?'",
    examples=[
        bad(
            "已为您加急处理。",
            review="我投诉,订单一直没发货",
            need={"need": "催发货", "important": True},
            follow_up_h=30,
            response="answer_given",
        ),
        bad(
            "已为您加急处理。",
            review="我投诉,订单一直没发货",
            need={"need": "催发货", "important": True},
            now_h=40,
            response="answer_given",
        ),
        good(
            "已为您加急处理。",
            review="我投诉,订单一直没发货",
            need={"need": "催发货", "important": True},
            follow_up_h=20,
            response="answer_given",
        ),
        good("运费是10元。", review="运费多少?", follow_up_h=48, response="answer_given"),
    ],
)
def follow_up_late(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    if not ctx.consultation.state.important:
        return
    for clock in ctx.rule_clocks().of(Metric.FOLLOW_UP):
        if not clock.breached:
            continue
        hours = clock.elapsed.total_seconds() / 3600
        yield r.finding(
            message_zh=f"重要问题解答后{hours:.0f}小时仍未回访(时限{clock.target.total_seconds() / 3600:.0f}小时)"
            if clock.stopped_at is None
            else f"重要问题在解答后{hours:.0f}小时才回访(时限{clock.target.total_seconds() / 3600:.0f}小时)",
            message_en=f"follow-up {'still missing' if clock.stopped_at is None else 'done'} "
            f"after {hours:.0f} h (target {clock.target.total_seconds() / 3600:.0f} h)",
            data={
                "stage": ConsultStage.FOLLOW_UP.value,
                "cycle": clock.cycle,
                "due": clock.due.isoformat() if clock.due else None,
                "elapsed_h": round(hours, 2),
            },
        )
    limit = ctx.consultation.policy.follow_up_within
    answered = None
    for i, ev in enumerate(ctx.events):
        if isinstance(ev, AnswerGiven) and answered is None:
            answered = ev.at
        if isinstance(ev, FollowUpScheduled) and answered is not None and ev.due > answered + limit:
            yield r.finding(
                message_zh="回访安排晚于24小时时限",
                message_en="the follow-up is scheduled later than the 24 h limit",
                data={"stage": ConsultStage.FOLLOW_UP.value, "event": i, "due": ev.due.isoformat()},
            )


@rule(
    id="consult.missing-closing-invitation",
    code="W109",
    family="consultation",
    name_zh="缺少结束邀请",
    name_en="no closing invitation",
    severity=Severity.INFO,
    clause="001 §2.4",
    message_zh="普通咨询结束时没有邀请客户有问题随时联系",
    message_en="The ordinary consultation ended without inviting further questions",
    suggestion_zh="结束时说一句:“如有其他问题,随时联系我们”",
    suggestion_en="Close with 'If anything else comes up, just contact us'",
    examples=[
        bad("运费是10元。", review="运费多少?", close_text="好的,再见。", response="answer_given"),
        good(
            "运费是10元。",
            review="运费多少?",
            close_text="不客气,如有其他问题,随时联系我们。",
            response="answer_given",
        ),
    ],
)
def missing_closing_invitation(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    st = ctx.consultation.state
    if st.stage is not ConsultStage.CLOSED or st.close_reason is not CloseReason.RESOLVED:
        return
    cycle = ctx.cycles()[-1]
    answers = [i for i in cycle if isinstance(ctx.events[i], AnswerGiven)]
    if not answers:
        return
    tail = [
        i
        for i in cycle
        if i >= answers[-1]
        and isinstance(ctx.events[i], AnswerGiven | AgentMessage | FollowUpDone | Closed)
    ]
    if any(ctx.analysis(i).has("wf_closing_invitation") for i in tail):
        return
    yield r.finding(data={"stage": ConsultStage.FOLLOW_UP.value, "event": tail[-1]})


@rule(
    id="consult.record-note",
    code="W110",
    family="consultation",
    name_zh="复杂问题未记录档案",
    name_en="complex consultation without a record note",
    severity=Severity.WARNING,
    clause="001 §2.4",
    message_zh="复杂问题需记录在客户档案里,下次咨询时主动提及",
    message_en="A complex consultation needs a note on the customer's record, to mention next time",
    suggestion_zh="在回访或结束时记录备注,例如:“客户反映XX功能卡顿,已提交优化,下次来访告知进展”",
    suggestion_en="Record a note at the follow-up or when closing",
    examples=[
        bad(
            "已为您提交技术排查。",
            review="APP老是闪退",
            need={"need": "闪退", "complex": True},
            response="answer_given",
        ),
        good("已为您提交技术排查。", review="APP老是闪退", response="answer_given"),
    ],
)
def record_note(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    st = ctx.consultation.state
    if st.complex and not st.record_notes and st.answers:
        yield r.finding(data={"stage": ConsultStage.FOLLOW_UP.value})
    # notes of earlier consultations should be mentioned this time (下次咨询时主动提及)
    me = ctx.consultation.customer
    earlier = [
        n
        for c in ctx.history
        if c.id != ctx.consultation.id and (not me or not c.customer or c.customer == me)
        for n in c.state.record_notes
    ]
    if not earlier:
        return
    agent = [
        i
        for i, ev in enumerate(ctx.events)
        if isinstance(ev, AgentMessage | AnswerGiven | QuestionAsked)
    ]
    if not agent:
        return
    mentioned = any(
        "上次" in ctx.analysis(i).text or any(n[:4] in ctx.analysis(i).text for n in earlier)
        for i in agent
    )
    if not mentioned:
        yield r.finding(
            severity=Severity.INFO,
            message_zh="客户档案中有上次的备注,本次回复没有主动提及",
            message_en="The customer's record has a note from last time that the replies do not mention",
            suggestion_zh="主动提及,例如:“上次您问的XX问题,后续我们优化了流程,现在处理更快了”",
            suggestion_en="Mention it: 'About the issue you raised last time, we have since…'",
            data={"stage": ConsultStage.ACCEPT.value, "notes": earlier},
        )


# -- 先情绪、后问题 and priority ------------------------------------------------------------------
@rule(
    id="consult.emotion-first",
    code="W111",
    family="consultation",
    name_zh="先情绪、后问题",
    name_en="acknowledge emotion first",
    severity=Severity.WARNING,
    clause="001 §1.1",
    message_zh="客户带着情绪,第一条回复却直接给步骤,没有先回应情绪",
    message_en="The customer is emotional but the first reply jumps to steps without acknowledging it",
    suggestion_zh="先接住情绪,例如:“您愿意花时间和我说清楚,已经帮了我们大忙啦,咱们慢慢弄,不急。”再给步骤",
    suggestion_en="Acknowledge first ('take your time, no rush'), then give the steps",
    examples=[
        bad(
            "请打开设置-通用-辅助功能。",
            review="我这手机打不开那个功能,孩子不在身边,怕耽误你们时间",
        ),
        good(
            "您愿意花时间和我说清楚,已经帮了我们大忙啦,咱们慢慢弄,不急。请打开设置-通用-辅助功能。",
            review="我这手机打不开那个功能,孩子不在身边,怕耽误你们时间",
        ),
        good("请打开设置-通用-辅助功能。", review="辅助功能在哪里打开?"),
    ],
)
def emotion_first(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    for cycle in ctx.cycles():
        i = ctx.first_human_response(cycle)
        if i is None:
            continue
        emo = [
            h
            for j in ctx.customer_before(i, cycle)
            for h in ctx.analysis(j).hits_of("wf_customer_emotion")
        ]
        if not emo:
            continue
        a = ctx.analysis(i)
        acks = a.hits_of("wf_emotion_ack")
        steps = a.hits_of("wf_steps")
        first_step = steps[0].start if steps else None
        if acks and (first_step is None or acks[0].start < first_step):
            continue
        spans = [a.hit_span(steps[0])] if steps else []
        yield r.finding(
            spans=spans,
            cue=emo[0].phrase,
            message_zh=f"客户表达了情绪(“{emo[0].phrase}”),回复"
            + ("先给了步骤,情绪回应在后" if acks else "没有回应情绪"),
            message_en=f"the customer shows emotion (“{emo[0].phrase}”); the reply "
            + ("gives steps before acknowledging it" if acks else "does not acknowledge it"),
            data={
                "stage": ConsultStage.ACCEPT.value,
                "event": i,
                "emotion_cues": [h.phrase for h in emo],
            },
        )


def _questions(text: str) -> list[tuple[int, int]]:
    """Normalised ranges of the questions in a customer's message."""
    out: list[tuple[int, int]] = []
    start = 0
    for k, ch in enumerate(text):
        if ch in "??。!!;;\n":
            seg = text[start : k + 1]
            if ch in "??" or any(
                w in seg for w in ("吗", "多少", "怎么", "什么", "哪", "几", "能不能", "是否")
            ):
                out.append((start, k + 1))
            start = k + 1
    if start < len(text):
        seg = text[start:]
        if any(w in seg for w in ("吗", "多少", "怎么", "什么", "哪", "几", "能不能", "是否")):
            out.append((start, len(text)))
    return out


_STOP = frozenset(
    {
        "你们",
        "我们",
        "这个",
        "那个",
        "请问",
        "一下",
        "可以",
        "能不能",
        "什么",
        "怎么",
        "多少",
        "是不是",
        "还有",
    }
)


def _words(text: str) -> set[str]:
    from ..text import segment

    return {w for w in segment(text) if len(w) >= 2 and w not in _STOP}


@rule(
    id="consult.priority-order",
    code="W112",
    family="consultation",
    name_zh="未优先回答紧急问题",
    name_en="urgent question not answered first",
    severity=Severity.INFO,
    clause="001 §1.2",
    message_zh="客户一次问了多个问题,回复没有先回答紧急的/核心的那个",
    message_en="Of several questions, the reply does not answer the urgent (or core) one first",
    suggestion_zh="按优先级作答:紧急问题优先、核心需求优先、情绪安抚优先",
    suggestion_en="Answer in priority order: urgent first, core need first, soothing first",
    examples=[
        bad(
            "售后政策是7天无理由退货。价格是299元。今天下单可以今天发货。",
            review="价格多少?售后政策是什么?今天必须发货,能今天发货吗?",
            response="answer_given",
        ),
        good(
            "今天下单可以今天发货。价格是299元,售后政策是7天无理由退货。",
            review="价格多少?售后政策是什么?今天必须发货,能今天发货吗?",
            response="answer_given",
        ),
    ],
)
def priority_order(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    """Several questions before the first reply: the urgent one (``wf_urgent``) must be
    answered first; without one, the core need (the question closest to the confirmed need)."""
    for cycle in ctx.cycles():
        i = ctx.first_human_response(cycle)
        if i is None or not isinstance(ctx.events[i], AnswerGiven | AgentMessage):
            continue
        asked = [(j, _questions(ctx.analysis(j).text)) for j in ctx.customer_before(i, cycle)]
        if sum(len(qs) for _, qs in asked) < 2:
            continue  # one question or none: no order to judge (and no words to segment)
        need_words: set[str] = set()
        for j in cycle:
            ev_j = ctx.events[j]
            if j < i and isinstance(ev_j, NeedConfirmed):
                need_words |= _words(ev_j.need)
        reply = ctx.analysis(i).text
        # (first position in the reply, urgent, overlap with the need, event, range)
        found: list[tuple[int, bool, int, int, tuple[int, int]]] = []
        for j, questions in asked:
            ca = ctx.analysis(j)
            urgent_pos = [h.start for h in ca.hits_of("wf_urgent")]
            for qs_, qe in questions:
                words = _words(ca.text[qs_:qe])
                pos = [reply.find(w) for w in words if reply.find(w) >= 0]
                if pos:
                    urgent = any(qs_ <= p < qe for p in urgent_pos)
                    found.append((min(pos), urgent, len(words & need_words), j, (qs_, qe)))
        if len(found) < 2:
            continue
        earliest = min(found)
        urgents = [f for f in found if f[1]]
        if urgents:
            if earliest[1]:
                continue
            target, why_zh, why_en = urgents[0], "紧急问题", "the urgent question"
        else:
            core = max(found, key=lambda f: f[2])
            if core[2] == 0 or earliest[2] == core[2]:
                continue
            target, why_zh, why_en = core, "核心需求", "the core need"
        ca = ctx.analysis(target[3])
        span = ca.span(*target[4])
        yield r.finding(
            cue=ca.text[target[4][0] : target[4][1]],
            message_zh=f"客户一次问了多个问题,回复没有先回答{why_zh}",
            message_en=f"of several questions, the reply does not answer {why_en} first",
            data={
                "stage": ConsultStage.ANSWER.value,
                "event": i,
                "customer_event": target[3],
                "question_span": [span.start, span.end],
                "priority": "urgent" if urgents else "core",
            },
        )


# -- importance from the feedback classifier ----------------------------------------------------
@rule(
    id="consult.complaint-not-important",
    code="W113",
    family="consultation",
    name_zh="投诉未按重要问题跟进",
    name_en="complaint not treated as important",
    severity=Severity.WARNING,
    clause="001 §2.4",
    message_zh="客户在投诉(反馈分类:投诉),但咨询没有标记为重要问题,不会安排24小时内主动回访",
    message_en="The customer is lodging a complaint (feedback class: grievance) but the "
    "consultation is not marked important, so no 24 h follow-up is due",
    suggestion_zh="确认需求时标记为重要问题(NeedConfirmed(important=True)),并在24小时内主动回访",
    suggestion_en="Mark it important when confirming the need and follow up within 24 h",
    examples=[
        bad("已为您加急处理。", review="我要投诉,订单一直没发货", response="answer_given"),
        good(
            "已为您加急处理。",
            review="我要投诉,订单一直没发货",
            need={"need": "催发货", "important": True},
            response="answer_given",
        ),
        good("运费是10元。", review="运费多少钱?", response="answer_given"),
    ],
)
def complaint_not_important(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    if ctx.consultation.state.important:
        return
    for i, ev in enumerate(ctx.events):
        if not isinstance(ev, CustomerMessage) or not ev.text.strip():
            continue
        fa = ctx.assessment(i)
        if fa.kind.value != "grievance":
            continue
        ev_kind = next((e for e in fa.evidence if e.field == "kind"), None)
        yield r.finding(
            spans=ev_kind.spans if ev_kind is not None else (),
            cue=ev_kind.cue if ev_kind is not None else None,
            data={"stage": ConsultStage.CONFIRM.value, "event": i, "kind": fa.kind.value},
        )
        return
