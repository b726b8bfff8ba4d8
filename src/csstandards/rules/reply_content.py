"""Reply rules about what the reply says: template, specifics, defensiveness, dismissal,
interrogation, jargon, vague commitments and refusals without a reason."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache

from .._intervals import RangeIndex
from ..lexicon import load_file
from ..models import Finding, Rating, Severity
from ..text.analysis import Analysis
from ..text.phrases import PhraseMatcher
from .base import Rule, bad, good, rule
from .context import ReplyContext
from .reply_acts import model_findings
from .reply_common import (
    addressed_issues,
    blamed_sentences,
    complaint_start,
    content_residual,
    defensive_spans,
    echoes_review,
    excluded,
    has_concrete_time,
    has_review,
    is_consultation,
    live_hits,
    missed_points,
    positive_hits,
    rating_of,
    review_is_specific,
    review_issues,
)

NEG = Rating.NEGATIVE
NEU = Rating.NEUTRAL
POS = Rating.POSITIVE

_TEMPLATE_COVER = ("template_boilerplate", "reply_filler", "thanks", "invitation", "vague_time")
_ACK_COVER = ("acknowledgement", "thanks", "reply_filler", "template_boilerplate")
_THANKS_WORDS = frozenset({"谢谢", "感谢", "多谢"})


def _core_acks(ctx: ReplyContext) -> list[tuple[int, int, str]]:
    """Bare acknowledgements (已收到, 知道了) not part of a longer filler or template phrase."""
    a = ctx.reply
    # indexes, not a scan of every shell and blamed sentence per acknowledgement (issue #17)
    shells = RangeIndex((h.start, h.end) for h in a.hits_of("reply_filler", "template_boilerplate"))
    blamed = RangeIndex(blamed_sentences(ctx))
    out = []
    for s, e, p in live_hits(ctx, "acknowledgement", negatable=False):
        if p in _THANKS_WORDS or blamed.covers(s):
            continue
        # inside a strictly longer shell: one reaching past e, or starting before s
        if shells.contains(s, e + 1) or shells.contains(s - 1, e):
            continue
        out.append((s, e, p))
    return out


def is_dismissive(ctx: ReplyContext) -> bool:
    """A bare acknowledgement (已收到/知道了) with nothing else, to a substantive review."""

    def compute() -> bool:
        if not _core_acks(ctx):
            return False
        content, residual = content_residual(ctx, _ACK_COVER)
        if residual > 0 or content > ctx.standard.reply.dismissive_max_chars:
            return False
        rating = ctx.rating if ctx.rating is not None else None
        if ctx.review is None:
            return rating is not Rating.POSITIVE
        if rating_of(ctx) in (NEG, NEU):
            return True
        review_content = sum(1 for ch in ctx.review.text if "\u4e00" <= ch <= "\u9fff")
        return review_content >= 8 or bool(review_issues(ctx))

    return ctx.cached("dismissive", compute)


@rule(
    id="reply.generic-template",
    code="R101",
    family="reply",
    name_zh="机械化模板",
    name_en="generic template",
    severity=Severity.WARNING,
    clause="000 §1.2, §2.2",
    message_zh="回复只有放之四海皆准的模板话术,没有任何针对这条评价的内容(机械化)",
    message_en="The reply is boilerplate that would fit any review and says nothing specific",
    suggestion_zh="点出客户提到的具体细节,例如:“您提到包装有破损,我们已为您补发,并加固了外包装”",
    suggestion_en="Name the customer's specific points, e.g. the damaged box and the reshipment",
    examples=[
        bad("感谢您的支持!", review="产品包装有破损但客服及时补发", rating=NEU),
        bad("非常抱歉给您带来不便,我们会努力改进。", review="产品用了一周坏了", rating=NEG),
        bad(
            "亲,感谢您的评价,祝您生活愉快,欢迎再次光临~", review="宝贝收到了,包装很用心", rating=POS
        ),
        bad("谢谢亲的好评哦,我们会继续努力的!"),
        good(
            "感谢您的支持!您说的包装破损我们已反馈仓库加固,补发的那件也请放心使用。",
            review="产品包装有破损但客服及时补发",
            rating=NEU,
        ),
        good(
            "谢谢您喜欢这款耳机的音质,降噪模式在地铁上也好用,欢迎再来!",
            review="耳机音质很好,降噪效果也不错",
            rating=POS,
            note="thanks plus the praised detail",
        ),
        good(
            "已收到。",
            review="物流太慢了,等了五天还没到",
            rating=NEG,
            note="dismissive, not template",
        ),
        good(
            "您说“感谢您的支持”这种回复太敷衍,您说得对。这次漏发的充电线已补寄,单号今晚发您。",
            review="每次都回感谢您的支持,漏发的充电线呢",
            rating=NEG,
            note="template phrase inside a quotation",
        ),
    ],
)
def generic_template(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    a = ctx.reply
    hits = positive_hits(ctx, "template_boilerplate", "thanks", "invitation")
    if not hits or is_dismissive(ctx):
        return
    _, residual = content_residual(ctx, _TEMPLATE_COVER)
    if residual > ctx.standard.reply.template_residual_chars:
        return
    if has_review(ctx) and (
        echoes_review(ctx) or not review_is_specific(ctx) or addressed_issues(ctx)[0]
    ):
        return  # says something specific, or the review has nothing specific to answer
    tmpl = [h for h in hits if h.list_name == "template_boilerplate"] or hits
    yield r.finding(
        spans=[a.hit_span(h) for h in tmpl],
        cue=tmpl[0].phrase,
        data={"residual_chars": residual},
    )


@rule(
    id="reply.ignores-specifics",
    code="R102",
    family="reply",
    name_zh="回避具体问题",
    name_en="ignores specifics",
    severity=Severity.ERROR,
    clause="000 §2.2",
    message_zh="回复没有回应评价中的关键问题",
    message_en="The reply does not address the key issues the review raises",
    suggestion_zh="明确说明“我们已关注到您提到的XX问题”,并给出针对它的处理",
    suggestion_en="Say that you have noted the specific issue (XX) and what you are doing about it",
    examples=[
        bad("感谢您的支持,祝您生活愉快!", review="物流太慢了,等了一个星期", rating=NEG),
        bad(
            "非常抱歉,我们会努力改进。",
            review="袖子开线了,质量太差",
            rating=NEG,
        ),
        bad("感谢您的反馈,我们会继续努力。", review="客服态度很差,问了半天不回复", rating=NEU),
        good(
            "配送慢让您久等了,非常抱歉,已联系站点今天优先派送。",
            review="快递太慢了",
            rating=NEG,
            note="配送 is the same point as 快递",
        ),
        good(
            "很抱歉收到的杯子有磕碰,已为您补发一只新的,明天送到。",
            review="杯子到手就破损了",
            rating=NEG,
            note="磕碰 and 破损 are one point",
        ),
        good(
            "非常抱歉,已为您安排换货,新的明天发出,旧的快递员上门取件。",
            review="收到就坏了,根本开不了机",
            rating=NEG,
            note="a remedy answers a product problem",
        ),
        good("感谢您的支持!", review="好评", rating=POS, note="nothing specific to address"),
        bad(
            "感谢您对我们前台服务的认可!我们的行政酒廊下个月也会全新开放,欢迎体验。",
            review="服务态度好,但是停车场太难找,导航绕了好几圈",
            rating=NEU,
            note="answers the praise before 但是, not the complaint after it",
        ),
        good(
            "谢谢您认可我们的服务!停车场的指示牌本周会重新装到路口,导航也已标注了入口。",
            review="服务态度好,但是停车场太难找",
            rating=NEU,
        ),
        bad(
            "非常抱歉让您等了一个小时,配送费已退回,高峰期我们会加派出餐人手。",
            review="1.等了一个小时;2.米饭少给了一份;3.菜送到都凉了",
            rating=NEG,
            note="answers the wait, drops the missing rice and the cold food",
        ),
        good(
            "非常抱歉让您等了一个小时,少给的米饭和凉掉的菜已全额退款,高峰期我们会加派出餐人手,"
            "外卖袋也换成保温袋。",
            review="1.等了一个小时;2.米饭少给了一份;3.菜送到都凉了",
            rating=NEG,
        ),
        bad(
            "感谢您的好评!很高兴牛排的火候合您口味,欢迎再来!",
            review="牛排很嫩,就是甜品太甜了",
            rating=POS,
            note="a positive review's complaint is a point too",
        ),
        good(
            "谢谢您喜欢我们的牛排!甜品的糖量这周起减了三分之一,下次来尝尝看。",
            review="牛排很嫩,就是甜品太甜了",
            rating=POS,
        ),
    ],
)
def ignores_specifics(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if not has_review(ctx) or is_consultation(ctx):
        return  # a question is answered, not "addressed" (001 vs 000)
    positive = rating_of(ctx) is POS
    if positive and not complaint_start(ctx):
        return  # praise only: whether the reply echoes it is R118's question
    # point by point (000 §2.2): a reply that answers one point of a multi-point review and
    # drops another ignores that one; in a positive review the points are its complaint
    answered, dropped = missed_points(ctx)
    labels: list[str] = []
    missed_ids: list[str] = []
    if not positive and not answered:
        issues = review_issues(ctx)
        # a point named inside an argument is addressed (badly: R104), inside an excuse not
        done, missed = addressed_issues(ctx) if issues else ([], [])
        if issues and not done:
            missed_ids = [i.label for i in missed]
            labels = [_excerpt(p.text) for p in dropped] or list(
                dict.fromkeys(i.cue for i in missed)
            )
    elif dropped and (answered or positive):
        # each dropped point by its topic groups (物流/包装 …), "other" when it names none
        missed_ids = ["/".join(sorted(p.topics)) or "other" for p in dropped]
        labels = [_excerpt(p.text) for p in dropped]
    if not labels:
        return
    a = ctx.reply
    yield r.finding(
        spans=[a.span(0, len(a.text))] if a.text else [],
        cue="、".join(labels),
        message_zh=f"回复没有回应评价中的关键问题:{'、'.join(labels)}",
        message_en=f"The reply does not address the review's key issues: {', '.join(labels)}",
        data={"missed": missed_ids, "cues": labels},
    )


def _excerpt(text: str, limit: int = 16) -> str:
    """A point as the finding names it: its own words, shortened (not bigram fragments)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@rule(
    id="reply.defensive",
    code="R104",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="对立化",
    name_en="defensive",
    severity=Severity.ERROR,
    clause="000 §1.2, 003 二(一)",
    message_zh="回复在辩解或指责客户,而不是先共情(对立化)",
    message_en="The reply argues with or blames the customer instead of empathising",
    suggestion_zh="先共情再说明,例如:“能理解您着急的心情,我们一起看看是哪一步出了问题”",
    suggestion_en="Empathise first, then explain: 'I understand; let us find out together what went wrong'",
    examples=[
        bad("我们的产品没有任何问题,是您自己没看说明。", review="不好用", rating=NEG),
        bad("其他顾客都没问题,请您实事求是。", review="尺码偏小", rating=NEG),
        bad("这明显是您操作不当导致的损坏,恶意差评我们会投诉。", review="用两次就坏", rating=NEG),
        good(
            "这并不是您操作不当,是这批开关的设计问题,非常抱歉,已为您换新。",
            review="用两次就坏",
            rating=NEG,
            note="negated cue",
        ),
        good(
            "您提到客服说“是您自己没看说明”,这样的回答很不应该,我们已批评教育,非常抱歉。",
            review="客服说是我自己没看说明",
            rating=NEG,
            note="cue inside a quotation of what the customer was told",
        ),
        good("理解您的着急,可能是我们说明写得不够清楚,已为您录了一段安装视频。", rating=NEG),
        bad(
            "早餐时间是7点到9点,您八点半才来,热门菜品被拿完了。",
            review="早餐种类少,八点半去就没什么吃的了",
            rating=NEG,
            note="the customer blamed for coming late",
        ),
        bad("亲,缩水应该是您洗涤的方式不对造成的。", review="洗了一次就缩水", rating=NEG),
    ],
)
def defensive(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    a = ctx.reply
    flagged = [h.start for h in a.hits_of("defensive")]  # set aside by scope or not
    for start, end, cue in defensive_spans(ctx):
        flagged.append(start)
        yield r.finding(spans=[a.span(start, end)], cue=cue)
    yield from model_findings(ctx, r, "defensive", flagged)


@rule(
    id="reply.dismissive",
    code="R105",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="敷衍回复",
    name_en="dismissive",
    severity=Severity.ERROR,
    clause="000 §1.2",
    message_zh="客户认真反馈,回复却只有一句“已收到/知道了”",
    message_en="A bare acknowledgement in reply to a substantive review",
    suggestion_zh="回应客户说的内容并说明下一步,例如:“您说的物流慢我们已催促站点,今天下午前给您答复”",
    suggestion_en="Respond to what the customer said and what happens next",
    examples=[
        bad("已收到。", review="物流太慢了,等了五天还没到,客服也不回消息", rating=NEG),
        bad("知道了,谢谢。", review="衣服有色差,和图片不一样", rating=NEU),
        bad("好的亲", review="包装破了,里面的瓶子也漏了", rating=NEG),
        good(
            "收到您的反馈,包装破损漏液的事非常抱歉,已为您补发,明天送到。",
            review="包装破了漏液",
            rating=NEG,
        ),
        good("收到啦,谢谢亲!", review="好", rating=POS, note="short praise, short thanks"),
        good(
            "您说我们上次只回了一句“已收到”,确实敷衍,非常抱歉。退款已加急,今天到账。",
            review="上次投诉只回了已收到,退款还没到",
            rating=NEG,
            note="the acknowledgement is quoted",
        ),
    ],
)
def dismissive(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if not is_dismissive(ctx):
        return
    a = ctx.reply
    acks = _core_acks(ctx)
    yield r.finding(spans=[a.span(s, e) for s, e, _ in acks], cue=acks[0][2])


# -- interrogative --------------------------------------------------------------------------

_QUESTION_END = ("吗", "呢", "么", "吧")
#: accusing questions that no 请问/方便 can soften (请问您是不是没有连接好?)
_NEVER_SOFT = frozenset(
    {"是不是没", "是不是忘", "是不是弄错", "是不是量错", "是不是搞错", "你确定", "您确定",
     "有证据吗", "有什么证据", "凭什么", "到底", "究竟"}
)  # fmt: skip


def _question_sentences(ctx: ReplyContext) -> list[tuple[int, int]]:
    a = ctx.reply
    text = a.text
    out = []
    for s in a.sentences:
        nxt = text[s.end : s.end + 1]
        if nxt == "?" or (s.text.endswith(_QUESTION_END) and not s.text.endswith("好吧")):
            out.append((s.start, s.end))
    return out


@rule(
    id="reply.interrogative",
    code="R107",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="查户口式提问",
    name_en="interrogative",
    severity=Severity.WARNING,
    clause="001 §2.2",
    message_zh="提问像查户口/质问(“您为什么要退?”),容易引发抵触",
    message_en="The question sounds like an interrogation ('why do you want to return it?')",
    suggestion_zh="换成邀请式提问:“方便和我说说具体情况吗?我们一起看看怎么解决”",
    suggestion_en="Invite instead: 'Could you tell me a bit more? Let us sort it out together'",
    examples=[
        bad("您为什么要退?", review="我要退货"),
        bad("你到底想怎么样?", review="再不处理我就投诉"),
        bad("为啥不早点说?", review="发错颜色了", rating=NEG),
        bad("您有什么证据证明是收到就坏的?", review="收到就是坏的", rating=NEG),
        good("方便和我说说具体情况吗?我们一起看看怎么解决。", review="我要退货"),
        good("我们已经查清为什么会发错货:拣货时两个颜色放在同一格,已分开存放。", rating=NEG),
        good(
            "您问“为什么要等这么久?”,确实是我们排单太慢,非常抱歉。",
            review="为什么要等这么久?",
            rating=NEG,
            note="the customer's question quoted back",
        ),
        good("请问您方便提供一下订单号吗?我帮您查一下为什么没发货。", review="怎么还不发货"),
    ],
)
def interrogative(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    a = ctx.reply
    hits = live_hits(ctx, "interrogative", negatable=False)
    questions = _question_sentences(ctx)
    soft = [(h.start, h.end) for h in a.hits_of("soft_question")] if hits else []
    for qs, qe in questions if hits else ():
        for s, _e, phrase in hits:
            if not (qs <= s < qe):
                continue
            if phrase not in _NEVER_SOFT and any(qs <= ss < qe for ss, _ in soft):
                continue
            if "我" in a.text[qs:s]:
                continue  # 我们也想知道为什么会这样: self-directed
            yield r.finding(spans=[a.span(qs, qe)], cue=phrase)
            break
    # a question the model reads as challenging the customer (凭啥说是我们弄坏的?), in any
    # words; only sentences that are questions, and not those a cue already decided
    # a cue the rule weighed (and perhaps set aside as softened) is decided; a question with
    # a softener (方便和我说说…吗?) is need-finding, whatever the model reads in it
    flagged = [h.start for h in a.hits_of("interrogative")] + [s for s, _, _ in hits]
    softened = RangeIndex(
        (qs, qe)
        for qs, qe in questions
        if any(qs <= h.start < qe for h in a.hits_of("soft_question"))
    )
    plain = [(qs, qe) for qs, qe in questions if not softened.covers(qs)]
    yield from model_findings(ctx, r, "rhetorical_question", flagged, within=plain)


# -- jargon -----------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _jargon_matcher(extra: tuple[tuple[str, str], ...]) -> PhraseMatcher[tuple[str, str]]:
    table: dict[str, str] = {}
    shipped = load_file("reply_tables.toml").get("jargon", {})
    table.update({str(k): str(v) for k, v in shipped.items()})
    table.update(dict(extra))
    return PhraseMatcher(((k, (k, v)) for k, v in table.items()), source="jargon table")


def jargon_matcher(extra: Mapping[str, str]) -> PhraseMatcher[tuple[str, str]]:
    return _jargon_matcher(tuple(sorted(extra.items())))


_EXPLAINED = ("(", "(", "也就是", "即", "就是", "简单说", "简单来说", "通俗", "指的是", "意思是")


def _on_word_boundaries(a: Analysis, start: int, end: int) -> bool:
    """Whether ``[start, end)`` starts and ends on word boundaries of the segmentation."""
    bounds = {t.start for t in a.tokens} | {t.end for t in a.tokens}
    return start in bounds and end in bounds


def _ascii_word(c: str) -> bool:
    return c.isascii() and c.isalnum()


@rule(
    id="reply.jargon",
    code="R108",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="专业术语",
    name_en="jargon",
    severity=Severity.WARNING,
    clause="001 §2.3",
    message_zh="回复使用了客户未必懂的专业术语",
    message_en="The reply uses jargon the customer may not understand",
    suggestion_zh="用大白话说(术语转译表)",
    suggestion_en="Use everyday words (jargon→plain table)",
    examples=[
        bad("该产品采用LBS定位技术。", review="怎么找附近的门店"),
        bad("目前API接口异常,服务器响应时长较高,工程师正在回滚。", review="APP打不开"),
        bad("该SKU暂时缺货。", review="什么时候有货"),
        good("您打开APP就能看到附近5公里内的门店位置。", review="怎么找附近的门店"),
        good(
            "我们用的是LBS定位(也就是根据您手机的位置)来找最近的门店。",
            review="怎么找附近的门店",
            note="the term is explained right away",
        ),
        good(
            "您说客服回复的“API接口异常”看不懂,抱歉!简单说就是我们系统出了故障,今晚修好。",
            review="客服说API接口异常,听不懂",
            note="the customer's words quoted",
        ),
        good("充电口进水可能导致接触不良,建议晾干24小时再试。", note="ordinary words"),
    ],
)
def jargon(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    a = ctx.reply
    text = a.text
    matcher = jargon_matcher(ctx.standard.reply.jargon)
    taken: list[tuple[int, int]] = []
    matches = sorted(matcher.find(a.norm), key=lambda m: (m.start, -(m.end - m.start)))
    for m in matches:
        if any(s <= m.start < e for s, e in taken):
            continue
        if m.phrase.isascii():
            if m.start > 0 and _ascii_word(text[m.start - 1]):
                continue
            if m.end < len(text) and _ascii_word(text[m.end]):
                continue
        taken.append((m.start, m.end))
        if not m.phrase.isascii() and not _on_word_boundaries(a, m.start, m.end):
            continue  # 并发 inside 并发送: not the term (segmentation only when a term is seen)
        if a.in_quote(m.start, m.end) or ctx.in_placeholder(m.start, m.end):
            continue
        after = text[m.end : m.end + 6]
        if any(after.startswith(x) or after[1:].startswith(x) for x in _EXPLAINED):
            continue
        term, plain = m.payloads[0]
        if plain in text:
            continue
        yield r.finding(
            spans=[a.span(m.start, m.end)],
            cue=term,
            suggestion_zh=f"把“{term}”说成大白话:“{plain}”",
            suggestion_en=f"Say '{plain}' instead of '{term}'",
            data={"term": term, "plain": plain},
        )


@rule(
    id="reply.vague-commitment",
    code="R109",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="模糊承诺",
    name_en="vague commitment",
    severity=Severity.WARNING,
    clause="003 二(四), 002 一(一)",
    message_zh="承诺没有具体时间(“尽快”“稍后”“会处理的”)",
    message_en="The commitment has no concrete time ('as soon as possible', 'later')",
    suggestion_zh="给出明确时间,例如:“今天18点前给您回电”“预计3个工作日内到账”",
    suggestion_en="Give a time: 'we will call you back before 18:00 today'",
    examples=[
        bad("我们会尽快处理。", review="退款还没到", rating=NEG),
        bad("稍后会有专人联系您。", review="投诉没人管", rating=NEG),
        bad("您的问题我们会处理的,请耐心等待。", review="订单一直没发", rating=NEG),
        good("我们会尽快处理,今天18点前给您回电。", review="退款还没到", rating=NEG),
        good("退款已提交,预计1-3个工作日原路到账。", review="退款还没到", rating=NEG),
        good("已加急,{eta}前送达。", review="快递太慢", rating=NEG, note="time-like placeholder"),
        good(
            "您说客服总说“尽快处理”却没下文,非常抱歉。这次我们明天上午10点前给您结果。",
            review="每次都说尽快处理",
            rating=NEG,
            note="quoted cue and a concrete time",
        ),
    ],
)
def vague_commitment(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    hits = live_hits(ctx, "vague_time", negatable=False)
    if not hits or has_concrete_time(ctx):
        return
    a = ctx.reply
    yield r.finding(spans=[a.span(s, e) for s, e, _ in hits], cue=hits[0][2])


@rule(
    id="reply.missing-reason",
    code="R111",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="拒绝不说明原因",
    name_en="refusal without reason",
    severity=Severity.WARNING,
    clause="003 二(四)",
    message_zh="回复拒绝了客户,但既没说明原因,也没说明接下来怎么办",
    message_en="The reply refuses without saying why or what happens next",
    suggestion_zh="说明原因和后续:“因为商品已拆封影响二次销售,无法退货;不过可以为您免费维修”",
    suggestion_en="Say why and what follows: 'opened items cannot be returned, but we can repair it free'",
    examples=[
        bad("无法退换。", review="想退货", rating=NEG),
        bad("这个我们不能补偿。", review="晚了三天,要求补偿", rating=NEG),
        bad("本店商品概不退换。", review="不合适能退吗"),
        good(
            "因为商品已拆封使用,无法退换;不过可以为您免费维修,寄回运费我们承担。", review="想退货"
        ),
        good("定制商品不支持七天无理由退货,但可以为您免费修改尺寸。", review="不合适能退吗"),
        good("这种情况可以退换,我们已为您申请。", review="想退货", note="no refusal"),
        good(
            "您说之前客服回复“无法退换”,非常抱歉,这批商品是可以退换的,已为您登记。",
            review="客服说无法退换",
            note="refusal quoted",
        ),
        bad(
            "让您在机场干等了五个小时,非常抱歉。这次延误我们无法提供补偿。",
            review="航班延误5个小时,要求赔偿还被拒",
            rating=NEG,
            note="what is refused (补偿) is no remedy",
        ),
        good(
            "取消费是按照平台规定收取的,不予退还。",
            review="取消还扣我钱",
            rating=NEG,
            note="a reason, however poor, is a reason (the excuse is R103's)",
        ),
        bad("这台已经不保修了。", review="洗衣机坏了能修吗", rating=NEG),
        good(
            "如果无法按时送达我们会主动赔付,这次已为您申请20元补偿,今天到账。",
            review="延误了一天",
            rating=NEG,
            note="a refusal inside a condition is hypothetical",
        ),
    ],
)
def missing_reason(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    refusals = live_hits(ctx, "refusal")
    if not refusals:
        return
    if positive_hits(ctx, "next_step", "solution"):
        return
    a = ctx.reply
    # a reason counts even when it is an excuse (按照平台规定,不予退还): blame-shifting has its
    # own rule; this one asks only whether the customer is told why at all
    spans = [(s, e) for s, e, _ in refusals]
    for h in a.hits_of("reason_marker"):
        if not excluded(ctx, h.start, h.end) and not any(
            s < h.end and h.start < e for s, e in spans
        ):
            return
    yield r.finding(spans=[a.span(s, e) for s, e, _ in refusals], cue=refusals[0][2])
