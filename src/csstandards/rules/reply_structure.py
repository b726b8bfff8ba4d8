"""Rating-aware reply rules (000 §2.3): what a reply to a 差评 / 中评 / 好评 must contain,
and in which order."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from ..lexicon import LexiconHit
from ..models import Finding, Rating, Severity
from ..text.analysis import Analysis
from .base import Rule, bad, good, rule
from .context import ReplyContext
from .reply_acts import act_present
from .reply_common import (
    FirstCharScan,
    blamed_spans,
    echoes_review,
    excluded,
    has_concrete_time,
    has_review,
    live_hits,
    plan_hits,
    positive_hits,
    rating_of,
    review_is_specific,
    time_spans,
)

NEG = Rating.NEGATIVE
NEU = Rating.NEUTRAL
POS = Rating.POSITIVE

_STRONG = ("已", "为您", "给您", "帮您", "替您", "正在", "马上", "立即", "会为您", "将为您")


def _strong_solutions(ctx: ReplyContext) -> list[LexiconHit]:
    """Solution cues that are actions for this customer (已为您…, 帮您…), not topic nouns."""
    return [h for h in plan_hits(ctx) if any(m in h.phrase for m in _STRONG)] or plan_hits(ctx)


#: compensation handed over as such: nothing for the customer to wait for, so no ETA needed
_NO_WAIT = frozenset({"优惠券", "红包", "送您", "免单", "减免", "发放", "免费"})
#: money already back with the customer (货款已经退到您的账户, 已为您全额退款): nothing to wait for
_MONEY_BACK = re.compile(r"已(?:经)?(?:为您|给您|帮您)?(?:全额)?(?:退到|退回|退还|到账|退款)")


#: a change to how things are done, in the shapes that no phrase list can enumerate: from a
#: date on (从下个月1号起实行…, 明年起…), a process already changed (已把审核环节从三级减为一级,
#: 已经给每件衣物挂上…), a rule laid down (门店已规定…), or from now on for everyone (以后每单…)
_SYSTEMIC = re.compile(
    r"(?:明年|今年|下个?月|下周|本周|本月|即日|今天|今日|从此|此后|\d{1,2}[月号日])[^,。!?;]{0,4}起"
    r"|(?:已|已经|现已)(?:把|将|对|在|给)(?!您)[^,。!?;]{1,20}?"
    r"(?:改为|改成|减为|减到|压缩|缩短|换新|换成|调整|统一|规范|增加|加装|挂上|装上|配上)"
    r"|(?:已|已经|现已)(?:规定|明确规定|制定|建立|设立|统一要求)"
    r"|(?:以后|今后|往后|之后|此后|从此)[^,。!?;]{0,10}(?:每|所有|都会|都要|一律|统一|必须)"
)
_SYSTEMIC_SCAN = FirstCharScan(_SYSTEMIC, r"明今下本即从此已现以往之\d")


def _systemic_changes(ctx: ReplyContext) -> list[LexiconHit]:
    """:data:`_SYSTEMIC` matches as improvement hits, filtered like the phrase hits."""
    a = ctx.reply
    blamed = blamed_spans(ctx)
    out = []
    for m in _SYSTEMIC_SCAN.finditer(a.text):
        s, e = m.span()
        if excluded(ctx, s, e) or any(bs <= s < be for bs, be in blamed):
            continue
        out.append(LexiconHit("improvement", m.group(), s, e))
    return out


def concrete_improvements(ctx: ReplyContext) -> list[LexiconHit]:
    """Improvement cues outside generic boilerplate (我们会努力改进 is not concrete)."""

    def compute() -> list[LexiconHit]:
        shells = [(h.start, h.end) for h in positive_hits(ctx, "template_boilerplate")]
        a = ctx.reply
        promised = {c for h in a.hits_of("over_promise") if (c := a.clause_at(h.start))}
        # 我们会尽快优化: an improvement with only a vague time is a promise, not a change
        promised |= {c for s, _, _ in live_hits(ctx, "vague_time") if (c := a.clause_at(s))}
        cues = positive_hits(ctx, "improvement")
        extra = _systemic_changes(ctx)
        if extra:
            cues = sorted([*cues, *extra], key=lambda h: (h.start, -h.end))
        return [
            h
            for h in cues
            if not any(s <= h.start and h.end <= e for s, e in shells)
            and a.clause_at(h.start) not in promised
        ]

    return ctx.cached("improvements", compute)


@rule(
    id="reply.missing-empathy",
    code="R113",
    family="reply",
    name_zh="缺少共情",
    name_en="missing empathy",
    severity=Severity.WARNING,
    clause="000 §2.3, 001 §1.1",
    message_zh="差评回复没有先共情(致歉、理解客户的心情)",
    message_en="The reply to a negative review shows no empathy (apology, understanding)",
    suggestion_zh="先共情:“看到您的反馈我们特别揪心,换作是我也会着急”",
    suggestion_en="Start with empathy: 'We are really sorry; in your place we would be upset too'",
    examples=[
        bad("已为您补发,预计明天送达。", review="收到就碎了", rating=NEG),
        bad("退款已原路退回,请查收。", review="等退款等了十天", rating=NEG),
        good(
            "真是对不住,让您白等了十天,退款已原路退回,今天到账。",
            review="等退款等了十天",
            rating=NEG,
            note="unusual words",
        ),
        good("换作是我收到碎的杯子也会生气,已为您补发,明天送到。", review="收到就碎了", rating=NEG),
        good(
            "已为您补发,预计明天送达。", review="挺好的", rating=POS, note="not a negative review"
        ),
    ],
)
def missing_empathy(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if rating_of(ctx) is not NEG or positive_hits(ctx, "empathy"):
        return
    if act_present(ctx, "empathy", "apology"):
        return  # empathy in words no list holds (这事儿搁谁心里都不踏实), read by the model
    yield r.finding()


@rule(
    id="reply.missing-solution",
    code="R114",
    family="reply",
    name_zh="缺少处理方案",
    name_en="missing solution",
    severity=Severity.ERROR,
    clause="000 §2.3",
    message_zh="差评回复没有说明处理方案(补发、退款、维修、专人跟进…)",
    message_en="The reply to a negative review gives no handling plan",
    suggestion_zh="说明为这位客户做了什么:“已为您申请优先补发,预计明天送达”",
    suggestion_en="Say what you are doing for this customer: 'we have reshipped it; arrives tomorrow'",
    examples=[
        bad("非常抱歉给您带来不好的体验,我们会加强管理。", review="收到就碎了", rating=NEG),
        bad("看到您的反馈我们很难过。", review="客服态度太差", rating=NEG),
        good("非常抱歉,已为您补发,预计明天送达。", review="收到就碎了", rating=NEG),
        good("很抱歉,专人会在今天下午致电您,当面把问题讲清楚。", review="客服态度太差", rating=NEG),
        good(
            "抱歉让您失望了。新的一件今早已寄出,单号稍后短信发您。",
            review="收到就碎了",
            rating=NEG,
            note="plan in unusual words",
        ),
        bad(
            "很抱歉给您带来困扰,E1故障代码的含义请参考说明书第12页的故障排查表。",
            review="新买的空调一开机就显示E1,根本没法用",
            rating=NEG,
            note="a remedy named while sending the customer to the manual is no plan",
        ),
    ],
)
def missing_solution(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if rating_of(ctx) is not NEG or plan_hits(ctx) or _advice(ctx):
        return
    yield r.finding()


def _advice(ctx: ReplyContext) -> list[LexiconHit]:
    """Advice the customer can act on, unless it only sends them to the manual (按说明书…即可)."""
    a = ctx.reply
    deflect = [s for s, _, _ in live_hits(ctx, "deflect_to_manual")]
    out = []
    for h in positive_hits(ctx, "advice"):
        clause = a.clause_at(h.start)
        if clause is not None and any(clause.start <= d < clause.end for d in deflect):
            continue
        out.append(h)
    return out


@rule(
    id="reply.missing-eta",
    code="R115",
    family="reply",
    name_zh="方案缺少时间",
    name_en="missing ETA",
    severity=Severity.WARNING,
    clause="000 §2.3, 003 二(四)",
    message_zh="处理方案没有给出时间(预计何时完成/送达/到账)",
    message_en="The handling plan gives no time (when it will be done, arrive, be refunded)",
    suggestion_zh="加上时间:“预计明天送达”“24小时内给您回电”",
    suggestion_en="Add a time: 'arrives tomorrow', 'we call back within 24 hours'",
    examples=[
        bad("非常抱歉,已为您申请补发。", review="少发了一件", rating=NEG),
        bad("抱歉,我们会安排专人跟进您的问题。", review="投诉没人管", rating=NEG),
        good("非常抱歉,已为您申请补发,预计明天送达。", review="少发了一件", rating=NEG),
        good("抱歉,退款已原路退回。", review="退款太慢", rating=NEG, note="already done"),
        good(
            "抱歉,已为您补发,{{送达时间}}前送到。",
            review="少发了一件",
            rating=NEG,
            note="time placeholder",
        ),
        bad(
            "让您白等了一个星期,实在不好意思。已经帮您催仓库优先发货了。",
            review="说好48小时发货,一个星期了还没动静",
            rating=NEG,
            note="the week waited is the complaint, not a date",
        ),
        good(
            "拆开看到杯子有缺口,真是对不住。杯子的货款已经退到您的账户,不用寄回。",
            review="杯子收到有个缺口",
            rating=NEG,
            note="money already back: nothing to wait for",
        ),
        good(
            "非常抱歉,已为您补发,今天下午送到。",
            review="今天收到就坏了",
            rating=NEG,
            note="a named day the review also names is still a date",
        ),
    ],
)
def missing_eta(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if rating_of(ctx) is not NEG:
        return
    a = ctx.reply
    firsts: dict[int, int] = {}
    waits: dict[int, bool] = {}  # by sentence start: 下次 or money already back in it

    def waited(pos: int) -> bool:
        sent = a.sentence_at(pos)
        key = sent.start if sent is not None else -1
        got = waits.get(key)
        if got is None:
            text = sent.text if sent is not None else ""
            got = waits[key] = "下次" in text or bool(_MONEY_BACK.search(text))
        return got

    plan = [
        h
        for h in plan_hits(ctx)
        if h.phrase not in _NO_WAIT and not waited(h.start) and not _conditional(a, h.start, firsts)
    ]
    if not plan or has_concrete_time(ctx):
        return
    first = _strong_solutions(ctx)[0]
    yield r.finding(spans=[a.hit_span(first)], cue=first.phrase)


@rule(
    id="reply.missing-improvement",
    code="R116",
    family="reply",
    name_zh="缺少改进承诺",
    name_en="missing improvement",
    severity=Severity.WARNING,
    clause="000 §2.3, 003 二(五)",
    message_zh="回复没有具体的改进措施(“我们会努力改进”不算)",
    message_en="The reply commits to no concrete improvement ('we will try harder' does not count)",
    suggestion_zh="说明改了什么:“我们已针对包装问题加固了纸箱,后续会避免类似情况”",
    suggestion_en="Say what changes: 'we have reinforced the boxes to avoid this in future'",
    examples=[
        bad("非常抱歉,已为您补发,明天送达。", review="包装太简陋,磕坏了", rating=NEG),
        bad("感谢您的反馈,我们会努力改进。", review="产品不错,但客服回复慢了半小时", rating=NEU),
        good(
            "感谢您指出客服响应的问题,我们已优化排班,下次您咨询时5分钟内就有人回复。",
            review="产品不错,但客服回复慢了半小时",
            rating=NEU,
        ),
        good(
            "抱歉!已补发,明天送达。打包组已经换成加厚纸箱,再也不用薄纸盒了。",
            review="包装太简陋,磕坏了",
            rating=NEG,
            note="improvement in unusual words (加厚)",
        ),
        good("感谢好评,期待再次为您服务!", review="很好", rating=POS, note="positive"),
        good(
            "谢谢您如实说出排队的辛苦。索道从下个月1号起实行分时段预约,到点直接上。",
            review="风景没得说,但是排队坐索道排了一个多钟头",
            rating=NEU,
            note="a process change from a date on, in no phrase list",
        ),
        bad(
            "感谢您指出退押金慢的问题,我们会尽快优化。",
            review="整体还行,就是退房时押金退得太慢了",
            rating=NEU,
            note="an improvement with only a vague time is a promise",
        ),
    ],
)
def missing_improvement(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    rating = rating_of(ctx)
    if rating not in (NEG, NEU):
        return
    if rating is NEU and has_review(ctx) and not review_is_specific(ctx):
        return
    if concrete_improvements(ctx):
        return
    generic = positive_hits(ctx, "template_boilerplate")
    a = ctx.reply
    yield r.finding(
        spans=[a.hit_span(h) for h in generic if h.phrase in _GENERIC_IMPROVE],
        cue=next((h.phrase for h in generic if h.phrase in _GENERIC_IMPROVE), None),
    )


_GENERIC_IMPROVE = frozenset(
    {"我们会努力改进", "我们会继续努力", "我们会不断改进", "我们会继续改进", "我们会持续改进",
     "会继续努力", "继续努力", "不断改进", "努力改进", "持续改进", "不断提升", "持续优化",
     "不断优化", "不断完善", "继续完善", "继续提升", "继续改进", "积极改进", "我们会做得更好",
     "会做得更好", "争取做得更好", "努力做得更好", "加强管理", "我们会加强管理"}
)  # fmt: skip


def _sentence_text(a: Analysis, pos: int) -> str:
    """The sentence around ``pos`` (a plan redeemed 下次到店 needs no ETA)."""
    s = a.sentence_at(pos)  # bisect, not a scan of the sentences per cue
    return s.text if s is not None else ""


_IF = ("如果", "若", "万一", "要是", "假如", "如仍", "如还")


def _conditional(a: Analysis, pos: int, firsts: dict[int, int] | None = None) -> bool:
    """A plan offered on a condition (如果还有味道,直接为您换新) has nothing to wait for.

    That is, a word of ``_IF`` lies in the sentence before ``pos``: the first occurrences
    are found once per sentence (``firsts``, by sentence start, shared by a rule's calls)
    instead of slicing and searching the sentence for every cue in it (issue #17)."""
    s = a.sentence_at(pos)
    if s is None:
        return False
    firsts = {} if firsts is None else firsts
    end = firsts.get(s.start)
    if end is None:
        ends = [i + len(w) for w in _IF if (i := a.text.find(w, s.start, s.end)) >= 0]
        end = firsts[s.start] = min(ends, default=s.end + 1)
    return end <= pos


def _sentence_index(ctx: ReplyContext, pos: int) -> int:
    """Index of the first sentence ending after ``pos`` (sentences are sorted: a bisect)."""
    ends = ctx.cached("sentence_ends", lambda: [s.end for s in ctx.reply.sentences])
    return bisect_right(ends, pos)


@rule(
    id="reply.wrong-order",
    code="R117",
    family="reply",
    name_zh="顺序不当",
    name_en="wrong order",
    severity=Severity.INFO,
    clause="000 §2.3, 001 §1.1",
    message_zh="差评回复应先共情,再说处理方案,最后承诺改进",
    message_en="Reply to a negative review: empathy first, then the plan, then the improvement",
    suggestion_zh="调整顺序:先共情(“非常抱歉…”),再说方案(“已为您…预计…”),最后说改进",
    suggestion_en="Reorder: empathy, then the handling plan with a time, then the improvement",
    examples=[
        bad("已为您补发,明天送达。非常抱歉给您添麻烦了。", review="少发一件", rating=NEG),
        bad(
            "非常抱歉。我们已加强出库复核。已为您补发,明天送达。",
            review="少发一件",
            rating=NEG,
        ),
        good(
            "非常抱歉给您添麻烦了。已为您补发,明天送达。我们已加强出库复核。",
            review="少发一件",
            rating=NEG,
        ),
        good(
            "您反馈的退款问题非常抱歉,已为您加急,今天到账。",
            review="退款慢",
            rating=NEG,
            note="退款 named as the topic before the apology is not a plan",
        ),
        bad(
            "烂了一半的草莓谁看了都糟心,对不起。我们已经把草莓改成单层托盒发货,不再叠放。"
            "烂掉的部分按数量退款,今晚12点前到账。",
            review="买的草莓一半都烂了",
            rating=NEG,
            note="the improvement comes before a plan that names no 已/为您",
        ),
        good(
            "抱歉让您吃了几次夹生饭!您可以按内胆刻度线多加半格水试试;如果还是夹生,"
            "明天我们安排上门检测。新版说明书我们会把水量表放在第一页。",
            review="电饭煲煮饭总是夹生",
            rating=NEG,
            note="advice to the customer (多加半格水) is not our improvement",
        ),
    ],
)
def wrong_order(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if rating_of(ctx) is not NEG:
        return
    empathy = positive_hits(ctx, "empathy")
    if not empathy:
        return
    a = ctx.reply
    e = _sentence_index(ctx, empathy[0].start)
    strong = [h for h in positive_hits(ctx, "solution") if any(m in h.phrase for m in _STRONG)]
    improvements = concrete_improvements(ctx)
    if strong and _sentence_index(ctx, strong[0].start) < e:
        h = strong[0]
        yield r.finding(
            spans=[a.hit_span(h)],
            cue=h.phrase,
            message_zh="处理方案出现在共情之前:应先共情,再说方案",
            message_en="The plan comes before any empathy: empathise first",
        )
        return
    if improvements and _sentence_index(ctx, improvements[0].start) < e:
        h = improvements[0]
        yield r.finding(
            spans=[a.hit_span(h)],
            cue=h.phrase,
            message_zh="改进承诺出现在共情之前:应先共情",
            message_en="The improvement comes before any empathy: empathise first",
        )
        return
    # an improvement sentence that carries a time or a plan is part of the plan (已扩容,今晚起流畅)
    plan_hit_sents = {_sentence_index(ctx, h.start) for h in plan_hits(ctx)}
    plan_sents = plan_hit_sents | {_sentence_index(ctx, s) for s, _ in time_spans(ctx)}
    # advice to the customer (您可以多加半格水试试) is not a change on our side
    advised = {_sentence_index(ctx, h.start) for h in _advice(ctx)}
    improvements = [
        h for h in improvements if _sentence_index(ctx, h.start) not in plan_sents | advised
    ]
    # the plan is any stated plan for this customer (明天上午10点上门), not only a strong one
    first_plan = min(plan_hit_sents | {_sentence_index(ctx, h.start) for h in strong}, default=None)
    if first_plan is not None and improvements:
        ii = _sentence_index(ctx, improvements[0].start)
        if ii < first_plan:
            h = improvements[0]
            yield r.finding(
                spans=[a.hit_span(h)],
                cue=h.phrase,
                message_zh="改进承诺出现在处理方案之前:应先说方案,再承诺改进",
                message_en="The improvement comes before the handling plan",
            )


@rule(
    id="reply.missing-echo",
    code="R118",
    family="reply",
    name_zh="未呼应好评细节",
    name_en="missing echo",
    severity=Severity.INFO,
    clause="000 §2.3",
    message_zh="好评回复没有提到客户夸的具体细节",
    message_en="The reply to a positive review does not echo the detail the customer praised",
    suggestion_zh="点出客户夸的细节:“您说‘包装很用心,拆箱像拆礼物’,我们的包装团队听了特别感动”",
    suggestion_en="Echo the praised detail: 'you loved the gift-like packaging — our team was moved'",
    examples=[
        bad("感谢您的支持,欢迎再次光临!", review="包装很用心,拆箱像拆礼物", rating=POS),
        bad("谢谢亲,期待下次光临~", review="面料很舒服,洗了也不起球", rating=POS),
        good(
            "您说“包装很用心,拆箱像拆礼物”,我们的包装团队听了特别感动,期待下次为您服务!",
            review="包装很用心,拆箱像拆礼物",
            rating=POS,
        ),
        good(
            "谢谢您的认可,欢迎常来!",
            review="很好,很满意",
            rating=POS,
            note="nothing specific praised",
        ),
        good(
            "快递小哥那么早送到,我们也替您开心!期待下次见。",
            review="物流超快,第二天一早就到了",
            rating=POS,
            note="快递 echoes 物流 (same topic)",
        ),
    ],
)
def missing_echo(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if not has_review(ctx) or rating_of(ctx) is not POS:
        return
    if not review_is_specific(ctx) or echoes_review(ctx):
        return
    yield r.finding()


@rule(
    id="reply.missing-invitation",
    code="R119",
    family="reply",
    name_zh="未邀请再次光临",
    name_en="missing invitation",
    severity=Severity.INFO,
    clause="000 §2.3",
    message_zh="好评回复没有邀请客户再来(“期待下次为您服务”)",
    message_en="The reply to a positive review does not invite the customer back",
    suggestion_zh="结尾加一句邀请:“期待下次为您服务”",
    suggestion_en="End with an invitation: 'we look forward to serving you again'",
    examples=[
        bad("谢谢您喜欢这款包的颜色!", review="包的颜色很正", rating=POS),
        bad("您说的面料舒服我们会转告设计师。", review="面料很舒服", rating=POS),
        good("谢谢您喜欢这款包的颜色,期待下次为您服务!", review="包的颜色很正", rating=POS),
        good(
            "面料舒服是设计师挑了很久的,下回上新第一时间告诉您~",
            review="面料很舒服",
            rating=POS,
            note="unusual words",
        ),
        good(
            "谢谢您喜欢我们的牛肉面!以后饿了有啥想吃的,随时跟我们说~",
            review="牛肉面很好吃",
            rating=POS,
            note="composed: {whenever}…{reach}",
        ),
        good(
            "鱼片是每天现杀的,下周末带上家人一起来,给你们加个小菜!",
            review="鱼片很嫩",
            rating=POS,
            note="composed: {later}…{come}",
        ),
        bad(
            "面是老板亲手擀的,有问题的话我们也没办法。",
            review="面很劲道",
            rating=POS,
            note="no invitation, though its words (有问题) are there",
        ),
        good("已为您补发,明天送达。", review="少发一件", rating=NEG, note="negative review"),
    ],
)
def missing_invitation(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if rating_of(ctx) is not POS or positive_hits(ctx, "invitation"):
        return
    if act_present(ctx, "invitation"):
        return  # an invitation in words no list or pattern holds, read by the model
    yield r.finding()


@rule(
    id="reply.missing-thanks",
    code="R120",
    family="reply",
    name_zh="中评未致谢",
    name_en="missing thanks",
    severity=Severity.WARNING,
    clause="000 §2.3, 002 二(二)4",
    message_zh="中评回复没有感谢客户提出意见",
    message_en="The reply to a neutral review does not thank the customer for the feedback",
    suggestion_zh="先感谢:“感谢您指出客服响应的问题”",
    suggestion_en="Thank first: 'thank you for pointing out the slow response'",
    examples=[
        bad("我们已优化排班,下次5分钟内回复您。", review="东西不错,客服回复慢", rating=NEU),
        bad("尺码偏小的问题已反馈给设计部门调整版型。", review="一般,尺码偏小", rating=NEU),
        good(
            "感谢您指出客服响应的问题,我们已优化排班,下次5分钟内回复您。",
            review="东西不错,客服回复慢",
            rating=NEU,
        ),
        good(
            "多亏您提醒,尺码偏小的问题已反馈设计部调整版型,谢啦!",
            review="一般,尺码偏小",
            rating=NEU,
            note="unusual words",
        ),
    ],
)
def missing_thanks(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if rating_of(ctx) is not NEU or positive_hits(ctx, "thanks"):
        return
    yield r.finding()
