"""Phrase-driven reply rules that need no other module: blame-shifting, deflect-to-manual,
over-promise and privacy-leak."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..judge.scope import negated
from ..models import Finding, Rating, Severity, Span
from .base import Rule, bad, good, rule
from .context import ReplyContext
from .reply_acts import model_findings
from .reply_common import blame_hits, live_hits

NEG = Rating.NEGATIVE


@rule(
    id="reply.blame-shifting",
    code="R103",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="推诿",
    name_en="blame-shifting",
    severity=Severity.ERROR,
    clause="000 §2.2",
    message_zh="回复把责任推给第三方、供应商或系统(推诿),会切断沟通",
    message_en="The reply shifts responsibility to a third party, supplier or the system",
    suggestion_zh="主动担责,例如:“这是我们服务的疏漏,我们已与快递方协调,今天内给您答复”",
    suggestion_en="Own the problem: 'This is our oversight; we have contacted the carrier and "
    "will update you today'",
    examples=[
        bad("物流属于第三方,我们无法控制。", review="物流太慢了", rating=NEG),
        bad("这是供应商的问题,不归我们管。", review="收到就坏了", rating=NEG),
        bad("亲,由于系统原因导致订单延迟,请您耐心等待。", review="下单三天还没发货", rating=NEG),
        good(
            "这不是快递的问题,是我们打包的疏漏,已为您安排补发,预计明天送达。",
            review="包装破了",
            rating=NEG,
            note="negated cue plus responsibility taken",
        ),
        good(
            "您说“物流属于第三方”这种回复让您很失望,这是我们服务的疏漏,我们马上跟进。",
            review="上次客服说物流属于第三方不管",
            rating=NEG,
            note="cue inside a quotation of what the customer was told",
        ),
        good(
            "物流慢是我们的责任,我们已联系快递加急处理,今天下午给您回电。",
            review="物流慢",
            rating=NEG,
        ),
        bad(
            "感谢您的耐心等待。发货晚是因为厂家那边供货延迟。",
            review="东西不错,就是发货比说好的晚了两天",
            rating=Rating.NEUTRAL,
            note="the cause put on the supplier",
        ),
        bad("您好,由于暴雨天气导致物流停运,请您再等等。", review="快递三天都没到", rating=NEG),
        bad("窗外的施工噪音跟酒店无关,我们也很无奈。", review="隔音太差", rating=NEG),
        good(
            "如果是骑手的原因,我们也会先给您全额退款,已经退回,以后汤品会加封口膜。",
            review="汤全洒了",
            rating=NEG,
            note="a cue inside a condition is hypothetical",
        ),
    ],
)
def blame_shifting(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    a = ctx.reply
    flagged = [h.start for h in a.hits_of("blame_shifting")]  # set aside by scope or not
    for start, end, phrase in blame_hits(ctx):
        flagged.append(start)
        yield r.finding(spans=[a.span(start, end)], cue=phrase)
    yield from model_findings(ctx, r, "blame", flagged)


@rule(
    id="reply.deflect-to-manual",
    code="R106",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="甩锅式回复",
    name_en="deflect to manual",
    severity=Severity.ERROR,
    clause="001 §2.1",
    message_zh="回复让客户自己去看说明书/页面,没有直接解答(甩锅式受理)",
    message_en="The reply points the customer to a manual or page instead of answering",
    suggestion_zh="直接给出答案,需要时再附上出处,例如:“正常使用可以用3年左右,说明书第5页也有保养方法”",
    suggestion_en="Answer directly and cite the manual only as a supplement",
    examples=[
        bad("您好,关于产品使用时长请参考说明书第5页。", review="你们产品能用多久"),
        bad("详见商品详情页,谢谢。", review="这个尺码偏大吗"),
        good(
            "正常使用可以用3年左右,说明书第5页也有保养方法,按那个做还能更久。",
            review="你们产品能用多久",
        ),
        good("您只需长按电源键3秒即可开机,详细图示可参考说明书第2页。", review="怎么开机"),
        bad("您好,预约功能请参阅使用说明书。", review="电饭煲怎么预约煮饭"),
    ],
)
def deflect_to_manual(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    a = ctx.reply
    hits = live_hits(ctx, "deflect_to_manual")
    if a.has("explains"):
        return
    owned = a.hits_of("takes_responsibility")
    flagged = [h.start for h in a.hits_of("deflect_to_manual")] + [s for s, _, _ in hits]
    for start, end, phrase in hits:
        sent = next((s for s in a.sentences if s.start <= start < s.end), None)
        if sent and any(sent.start <= h.start < sent.end for h in owned):
            continue  # 客服让您自己看说明书是我们不对: reported and owned, not a deflection
        yield r.finding(spans=[a.span(start, end)], cue=phrase)
    yield from model_findings(ctx, r, "deflection", flagged)


@rule(
    id="reply.over-promise",
    code="R110",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="过度承诺",
    name_en="over-promise",
    severity=Severity.WARNING,
    clause="002 一(一)",
    message_zh="回复做出无法兑现的绝对承诺(实事求是原则)",
    message_en="The reply makes an absolute promise that cannot be kept",
    suggestion_zh="承诺具体、可兑现的改进,例如:“我们已加固外包装,后续会持续抽检”",
    suggestion_en="Promise a concrete, achievable improvement instead",
    examples=[
        bad("非常抱歉,我们保证以后永远不会再出现这种问题!", review="又发错货了", rating=NEG),
        bad("我们一定做到100%满意。", review="服务一般", rating=Rating.NEUTRAL),
        good(
            "非常抱歉,我们已增加出库复核环节,会尽最大努力避免再发错。",
            review="又发错货了",
            rating=NEG,
        ),
        good(
            "我们不敢说永远不会出问题,但已增加出库复核。",
            review="发错货",
            rating=NEG,
            note="negated cue",
        ),
    ],
)
def over_promise(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    a = ctx.reply
    flagged = [h.start for h in a.hits_of("over_promise")]
    for start, end, phrase in live_hits(ctx, "over_promise"):
        flagged.append(start)
        if negated(a, start, window=4) or _denied(a.text, start):
            continue
        yield r.finding(spans=[a.span(start, end)], cue=phrase)
    yield from model_findings(
        ctx,
        r,
        "over_promise",
        flagged,
        # a denial before the evidence or ending inside it (不能保证: the evidence is 保证)
        set_aside=lambda pos: negated(a, pos, window=4) or _denied(a.text, pos + 2),
    )


def _denied(text: str, start: int) -> bool:
    """``不敢说 … / 不能保证 …`` right before a cue negates it."""
    before = text[max(0, start - 6) : start]
    return any(w in before for w in ("不敢说", "不敢保证", "不能保证", "无法保证", "不能说"))


# -- privacy -----------------------------------------------------------------------------

_PHONE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")
_LANDLINE = re.compile(r"(?<![\d*-])0\d{2,3}-\d{7,8}(?![\d*])")
_ID18 = re.compile(r"(?<![\d*])\d{17}[\dx](?![\d*])")
_CARD = re.compile(r"(?<![\d*])\d{16,19}(?![\d*])")
_EMAIL = re.compile(
    r"(?<![a-z0-9*._%+-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"
)
_ADDRESS = re.compile(
    r"[\u4e00-\u9fa5]{2,12}(?:路|街|大道|巷|弄|胡同)(?:\d{1,5}弄)?\d{1,5}号"
    r"(?:\d{1,4}(?:栋|幢|号楼|单元|室|楼))*"
)
# What each pattern cannot match without: the number patterns all need a run of at least
# seven digits, an e-mail an "@", an address a "号" and a digit.  Most replies have none.
_SEVEN_DIGITS = re.compile(r"\d{7}")
_DIGIT = re.compile(r"\d")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10x98765432"


def id_checksum_ok(number: str) -> bool:
    """GB 11643 check digit of an 18-character resident ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].lower()


def luhn_ok(number: str) -> bool:
    """Luhn check of a bank-card number."""
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def find_personal_data(a_text: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of unmasked personal data in a normalised text."""
    found: list[tuple[int, int, str]] = []
    if _SEVEN_DIGITS.search(a_text):
        for m in _ID18.finditer(a_text):
            if id_checksum_ok(m.group()):
                found.append((m.start(), m.end(), "id_number"))
        for m in _CARD.finditer(a_text):
            if luhn_ok(m.group()) and not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), "bank_card"))
        for m in _PHONE.finditer(a_text):
            found.append((m.start(), m.end(), "phone"))
        for m in _LANDLINE.finditer(a_text):
            found.append((m.start(), m.end(), "phone"))
    if "@" in a_text:
        for m in _EMAIL.finditer(a_text):
            found.append((m.start(), m.end(), "email"))
    if "号" in a_text and _DIGIT.search(a_text):
        for m in _ADDRESS.finditer(a_text):
            found.append((m.start(), m.end(), "address"))
    found.sort()
    return found


_KIND_ZH = {
    "id_number": "身份证号",
    "bank_card": "银行卡号",
    "phone": "电话号码",
    "email": "电子邮箱",
    "address": "详细地址",
}
_KIND_EN = {
    "id_number": "ID card number",
    "bank_card": "bank card number",
    "phone": "phone number",
    "email": "e-mail address",
    "address": "street address",
}


def personal_data_label(kind: str) -> tuple[str, str]:
    """The Chinese and English name of a kind of personal data :func:`find_personal_data`
    reports (``"phone"`` → 电话号码, phone number)."""
    return _KIND_ZH.get(kind, kind), _KIND_EN.get(kind, kind.replace("_", " "))


@rule(
    id="reply.privacy-leak",
    code="R112",
    applies_to=("chat-turn",),
    family="reply",
    name_zh="泄露隐私",
    name_en="privacy leak",
    severity=Severity.ERROR,
    clause="002 一(二)7",
    message_zh="公开回复中出现客户的完整个人信息",
    message_en="The public reply exposes the customer's personal data",
    suggestion_zh="隐去或打码,例如 138****5678;详细信息请通过私信沟通",
    suggestion_en="Mask it (138****5678) and continue in a private channel",
    examples=[
        bad("已按您留的电话13812345678联系您。", review="没人联系我"),
        bad("退款已退回尾号为6222021234567890128的卡,请查收。"),
        bad("您的身份证11010519491231002X已登记。"),
        bad("我们会把发票发到 zhang.san@example.com。"),
        bad("快递已重新寄往北京市朝阳区建国路88号3栋1201室。"),
        good("已按您留的电话138****5678联系您,请留意来电。", review="没人联系我"),
        good("退款已退回尾号0128的银行卡,预计1-3个工作日到账。"),
        good("请拨打客服热线400-800-1234,我们7x24小时为您服务。"),
        good("已将发票发送到您预留的邮箱 z***@example.com。"),
        good("已为您登记 {phone},我们今天下午回电。", note="placeholder, not data"),
        bad(
            "谢谢您!下次送到上海市徐汇区漕溪北路201弄5号602室的花,我们也挑最好的。",
            review="花很新鲜",
            rating=Rating.POSITIVE,
            note="a lane (弄) address",
        ),
    ],
)
def privacy_leak(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    a = ctx.reply
    for start, end, kind in find_personal_data(a.text):
        if ctx.in_placeholder(start, end):
            continue
        if ctx.standard.is_public_contact(a.text[start:end]):
            continue  # the company's own hotline / service e-mail (Standard.public_contacts)
        span: Span = a.span(start, end)
        yield r.finding(
            spans=[span],
            cue=kind,
            message_zh=f"公开回复中出现完整的{_KIND_ZH[kind]}",
            message_en=f"The public reply exposes a full {kind.replace('_', ' ')}",
            data={"kind": kind},
        )
