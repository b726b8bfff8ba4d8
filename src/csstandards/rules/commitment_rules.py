"""Rules of service commitments (服务承诺, 002 一): vague, unmeasurable and over-promising wording.

Every rule reads the shared :class:`~csstandards.commitment.CommitmentContext` (one analysis and
one commitment parse per text) and suggests a concrete rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..commitment import (
    CommitmentContext,
    CommitmentElement,
    CommitmentMetric,
    CommitmentScope,
    CommitmentTarget,
    ThresholdUnit,
    make_commitment_context,
    parse_commitment,
)
from ..lexicon import LexiconHit
from ..models import Channel, Finding, Severity
from .base import REGISTRY, Family, Rule, RuleExample, bad, good, rule


def _make_context(example: RuleExample, standard: Any = None) -> CommitmentContext:
    return make_commitment_context(example.text, standard)


REGISTRY.register_family(
    Family(
        name="commitment",
        description="Checks of a service commitment or commitment document (002 一).",
        make_context=_make_context,
    )
)

_NEGATION = frozenset("不未没无")
_MARKERS = re.compile(r"^[\s\d一二三四五六七八九十()()、.:,]+")
_ELEMENT_NAMES = frozenset(e.label_zh for e in CommitmentElement)


def _longest(hits: Iterable[LexiconHit]) -> list[LexiconHit]:
    chosen: list[LexiconHit] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if any(o.start < h.end and h.start < o.end for o in chosen):
            continue
        chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)


def _live(ctx: CommitmentContext, *lists: str) -> list[LexiconHit]:
    a = ctx.analysis
    return [h for h in _longest(a.hits_of(*lists)) if not a.in_quote(h.start, h.end)]


def _negated(text: str, start: int) -> bool:
    return any(ch in _NEGATION for ch in text[max(0, start - 2) : start])


def _clause_bounds(ctx: CommitmentContext, pos: int) -> tuple[int, int, int]:
    """(sentence index, clause start, clause end) around normalised ``pos``."""
    doc = ctx.doc
    si = doc.sentence_index(pos)
    if si < 0:
        return -1, pos, pos
    for a, b in doc.sentences[si].clauses:
        if a <= pos < b:
            return si, a, b
    s = doc.sentences[si]
    return si, s.start, s.end


def _has_number(ctx: CommitmentContext, a: int, b: int) -> bool:
    doc = ctx.doc
    if any(a <= q.start < b for q in doc.quantities):
        return True
    return any(a <= s < b for s, _, _ in doc.unitless + doc.placeholders)


def _guess(
    ctx: CommitmentContext, si: int, a: int, b: int
) -> tuple[CommitmentMetric | None, Channel | None]:
    doc = ctx.doc
    metric: CommitmentMetric | None = None
    s = doc.sentences[si]
    found = doc.cues_in("metric", a, b) or doc.cues_in("metric", s.start, s.end)
    ms = [c for c in found if c.name != "negative_review_reply"]
    if any(c.name == "negative_review_reply" for c in found):
        metric = CommitmentMetric.NEGATIVE_REVIEW_REPLY
    elif ms:
        metric = CommitmentMetric(ms[0].name)
    chans = doc.cues_in("channel", a, b) or doc.cues_in("channel", s.start, s.end)
    channel = Channel(chans[0].name) if chans else None
    if metric is None and channel in (Channel.PHONE, Channel.HOTLINE):
        metric = CommitmentMetric.PHONE_ANSWER
    return metric, channel


def _example(
    ctx: CommitmentContext, metric: CommitmentMetric | None, channel: Channel | None
) -> tuple[str, str, str]:
    text, clause = ctx.default_example(metric, channel)
    targets = parse_commitment(text)
    en = targets[0].render_en() if targets else text
    return text, clause, en


# ------------------------------------------------------------------------------ C101


@rule(
    id="commitment.vague-promise",
    code="C101",
    family="commitment",
    name_zh="模糊承诺",
    name_en="vague promise",
    severity=Severity.WARNING,
    clause="002 一(一)3",
    message_zh="承诺用了“{cue}”这类模糊表述,没有可衡量的数字(清晰具体原则)",
    message_en="The promise says '{cue}' with no number: it cannot be measured",
    suggestion_zh="写明渠道、指标、时限和适用时间,例如:“工作时间内,在线咨询平均响应时间不超过3分钟”",
    suggestion_en="State channel, metric, limit and scope, e.g. 'in working hours, average "
    "online-chat response time no more than 3 minutes'",
    examples=[
        bad("我们承诺快速响应客户的每一个问题。"),
        bad("客户投诉将得到及时处理。"),
        bad("电话咨询尽快接听。"),
        bad("为您提供高效的售后服务。"),
        good("工作时间内,在线咨询平均响应时间不超过3分钟。"),
        good("及时响应:在线咨询30秒内回复,电话3声内接听。", note="a label explained by numbers"),
        good("若未能及时回复,我们将主动致电说明。", note="negated: describes a breach"),
        good("我们不说“快速响应”,而是给出具体时限:邮件2个工作日内回复。", note="quoted"),
    ],
)
def vague_promise(ctx: CommitmentContext, r: Rule) -> Iterator[Finding]:
    a = ctx.analysis
    text = a.text
    for h in _live(ctx, "cm_vague_time", "cm_vague_quality"):
        if _negated(text, h.start):
            continue
        si, ca, cb = _clause_bounds(ctx, h.start)
        if si < 0:
            continue
        sent = ctx.doc.sentences[si]
        if _has_number(ctx, ca, cb):
            continue
        if text[cb : cb + 1] == ":" and _has_number(ctx, sent.start, sent.end):
            continue  # "响应及时:在线咨询30秒内回复" — a label explained by its numbers
        if _MARKERS.sub("", text[sent.start : sent.end]) in _ELEMENT_NAMES:
            continue  # a heading naming the element of 002 一(二)
        quality = h.list_name == "cm_vague_quality"
        metric, channel = _guess(ctx, si, ca, cb)
        if quality and metric is None:
            metric = CommitmentMetric.RESOLUTION
        example, clause, en = _example(ctx, metric, channel)
        yield r.finding(
            spans=[a.hit_span(h)],
            cue=h.phrase,
            message_zh=r.message_zh.format(cue=h.phrase),
            message_en=r.message_en.format(cue=h.phrase),
            suggestion_zh=f"把“{h.phrase}”改为可衡量的承诺,例如:“{example}”({clause})",
            suggestion_en=f"Replace '{h.phrase}' with a measurable promise, e.g. '{example}' "
            f"({en}; {clause})",
            data={"rewrite": example, "metric": metric.value if metric else None},
        )


# ------------------------------------------------------------------------------ C102


@rule(
    id="commitment.number-without-unit",
    code="C102",
    family="commitment",
    name_zh="数字缺单位",
    name_en="number without unit",
    severity=Severity.ERROR,
    clause="002 一(一)3",
    message_zh="承诺中的数字“{num}”没有单位(秒/分钟/小时/个工作日/声),无法衡量",
    message_en="The number '{num}' in the promise has no unit (s, min, h, working days, rings)",
    suggestion_zh="补上单位,例如:“{num}分钟内回复”或“{num}个工作日内回复”",
    suggestion_en="Add the unit, e.g. '{num} minutes' or '{num} working days'",
    examples=[
        bad("在线咨询5内回复。"),
        bad("电话咨询等待时间不超过3。"),
        bad("在线咨询平均响应时间不超过X分钟。", note="unfilled placeholder from a template"),
        good("在线咨询5分钟内回复。"),
        good("电话咨询在3声内接听。"),
    ],
)
def number_without_unit(ctx: CommitmentContext, r: Rule) -> Iterator[Finding]:
    doc = ctx.doc
    for a, b, num in doc.unitless:
        yield r.finding(
            spans=[doc.span(a, b)],
            cue=num,
            message_zh=r.message_zh.format(num=num),
            message_en=r.message_en.format(num=num),
            suggestion_zh=r.suggestion_zh.format(num=num),
            suggestion_en=r.suggestion_en.format(num=num),
        )
    for a, b, ph in doc.placeholders:
        si, ca, cb = _clause_bounds(ctx, a)
        metric, channel = _guess(ctx, si, ca, cb) if si >= 0 else (None, None)
        example, clause, en = _example(ctx, metric, channel)
        yield r.finding(
            spans=[doc.span(a, b)],
            cue=ph,
            message_zh=f"承诺中的“{ph.upper()}”是未填写的占位符,没有具体数字",
            message_en=f"'{ph.upper()}' is an unfilled placeholder: the promise has no number",
            suggestion_zh=f"填入实际能做到的数字,例如:“{example}”({clause})",
            suggestion_en=f"Fill in a figure you can keep, e.g. '{example}' ({en})",
            data={"rewrite": example},
        )


# ------------------------------------------------------------------------------ C103


@rule(
    id="commitment.missing-metric",
    code="C103",
    family="commitment",
    name_zh="时限缺指标",
    name_en="limit without metric",
    severity=Severity.WARNING,
    clause="002 一(一)3",
    message_zh="时限“{qty}”没有说明衡量什么(响应、接听、解决还是回访)",
    message_en="The limit '{qty}' does not say what it measures (response, answer, resolution, follow-up)",
    suggestion_zh="写明指标,例如:“{qty}内首次回复”或“{qty}内解决”",
    suggestion_en="Name the metric, e.g. 'first reply within {qty}' or 'resolved within {qty}'",
    examples=[
        bad("在线咨询保证30秒以内。"),
        bad("投诉2个工作日内。"),
        good("在线咨询30秒以内首次回复。"),
        good("投诉2个工作日内给出处理方案。"),
    ],
)
def missing_metric(ctx: CommitmentContext, r: Rule) -> Iterator[Finding]:
    doc = ctx.doc
    for o in doc.orphans:
        qty = doc.text[o.start : o.end]
        yield r.finding(
            spans=[doc.span(o.start, o.end)],
            cue=qty,
            message_zh=r.message_zh.format(qty=qty),
            message_en=r.message_en.format(qty=qty),
            suggestion_zh=r.suggestion_zh.format(qty=qty),
            suggestion_en=r.suggestion_en.format(qty=qty),
        )


# ------------------------------------------------------------------------------ C104


def _rewrite(t: CommitmentTarget, **update: Any) -> CommitmentTarget:
    return t.model_copy(update=update)


@rule(
    id="commitment.missing-channel",
    code="C104",
    family="commitment",
    name_zh="时限缺渠道",
    name_en="response limit without channel",
    severity=Severity.WARNING,
    clause="002 一(二)1",
    message_zh="响应时限没有说明适用哪个渠道(在线咨询、电话、邮件……各渠道时限应分别明确)",
    message_en="The response limit names no channel; 002 一(二)1 asks for a limit per channel",
    suggestion_zh="按渠道分别写明,例如:“在线咨询30秒内回复,电子邮件2个工作日内回复”",
    suggestion_en="State a limit per channel, e.g. 'online chat within 30 s, e-mail within 2 working days'",
    examples=[
        bad("工作时间内,所有咨询30分钟内回复。"),
        good("工作时间内,在线咨询30分钟内回复。"),
        good("电话3声内接听。", note="the phone metric implies its channel"),
    ],
)
def missing_channel(ctx: CommitmentContext, r: Rule) -> Iterator[Finding]:
    # a long text can repeat one promise 10⁴ times: its texts are rendered once per key
    # by the target's key (what its equality and hash use): one key per target, not three
    rendered: dict[tuple[Any, ...], tuple[str, str, str, str, str]] = {}
    for t in ctx.targets:
        if t.metric is not CommitmentMetric.FIRST_RESPONSE or t.channel is not None:
            continue
        k = t.key()
        texts = rendered.get(k)  # equal targets (same key) render alike
        if texts is None:
            fixed = _rewrite(t, channel=Channel.ONLINE_CHAT, span=None)
            rewrite = fixed.render_zh()
            texts = rendered[k] = (
                t.threshold_zh(),
                f"按渠道分别写明,例如:“{rewrite}”",
                f"State the channel, e.g. '{rewrite}' ({fixed.render_en()})",
                t.render_zh(),
                rewrite,
            )
        cue, sug_zh, sug_en, target, rewrite = texts
        yield r.finding(
            spans=[t.span] if t.span else [],
            cue=cue,
            suggestion_zh=sug_zh,
            suggestion_en=sug_en,
            data={"target": target, "rewrite": rewrite},
            trusted=True,
        )


# ------------------------------------------------------------------------------ C105


@rule(
    id="commitment.missing-scope",
    code="C105",
    family="commitment",
    name_zh="时限缺适用时间",
    name_en="limit without scope",
    severity=Severity.WARNING,
    clause="002 一(一)3",
    message_zh="时限“{qty}”没有说明是仅限工作时间还是全天候,夜间和节假日的来访无法判断是否达标",
    message_en="The limit '{qty}' does not say whether it holds in working hours only or around the clock",
    suggestion_zh="写明适用时间,例如:“工作时间内,…”或“全天候(含节假日),…”",
    suggestion_en="Say when it applies: 'in working hours, …' or 'around the clock, …'",
    examples=[
        bad("在线咨询30秒内回复。"),
        good("工作时间内,在线咨询30秒内回复。"),
        good("7×24小时在线,在线咨询30秒内回复。"),
        good("电子邮件2个工作日内回复。", note="working days imply working hours"),
    ],
)
def missing_scope(ctx: CommitmentContext, r: Rule) -> Iterator[Finding]:
    rendered: dict[tuple[Any, ...], tuple[str, str, str, str, str, str, str]] = {}
    seen: set[tuple[int, int]] = set()
    for t in ctx.targets:
        if t.scope is not None or t.unit not in (
            ThresholdUnit.SECOND,
            ThresholdUnit.MINUTE,
            ThresholdUnit.HOUR,
        ):
            continue
        key = (t.span.start, t.span.end) if t.span else (-1, -1)
        if key in seen:
            continue
        seen.add(key)
        k = t.key()
        texts = rendered.get(k)
        if texts is None:
            fixed = _rewrite(t, scope=CommitmentScope.WORKING_HOURS, span=None)
            rewrite = fixed.render_zh()
            qty = t.threshold_zh()
            texts = rendered[k] = (
                qty,
                r.message_zh.format(qty=qty),
                r.message_en.format(qty=t.threshold_en()),
                f"写明适用时间,例如:“{rewrite}”",
                f"Say when it applies, e.g. '{rewrite}' ({fixed.render_en()})",
                t.render_zh(),
                rewrite,
            )
        qty, msg_zh, msg_en, sug_zh, sug_en, target, rewrite = texts
        yield r.finding(
            spans=[t.span] if t.span else [],
            cue=qty,
            message_zh=msg_zh,
            message_en=msg_en,
            suggestion_zh=sug_zh,
            suggestion_en=sug_en,
            data={"target": target, "rewrite": rewrite},
            trusted=True,
        )


# ------------------------------------------------------------------------------ C106

_PERCENT = ("100%", "百分之百", "百分百")
_ZERO = "零"
_EVERYTHING = ("问题", "满意", "满足")
_COMPENSATION = re.compile(r"^(?:的)?(?:退|赔|返|补偿)")
_COMPENSATION_BEFORE = re.compile(r"(?:退还|退回|退|赔付|赔偿|返还|补偿)$")


def _kind(phrase: str) -> str:
    if phrase in _PERCENT:
        return "percent"
    if _ZERO in phrase:
        return "zero"
    if any(w in phrase for w in _EVERYTHING):
        return "everything"
    return "forever"


@rule(
    id="commitment.over-promise",
    code="C106",
    family="commitment",
    name_zh="过度承诺",
    name_en="over-promise",
    severity=Severity.WARNING,
    clause="002 一(一)4",
    message_zh="“{cue}”是无法兑现的绝对化承诺(实事求是原则),一旦做不到会造成更大的信任危机",
    message_en="'{cue}' is an absolute promise no team can keep; missing it costs more trust",
    suggestion_zh="改为可实现、可核查的承诺,并写明做不到时的补救",
    suggestion_en="Promise something achievable and checkable, and the remedy when it is missed",
    examples=[
        bad("我们保证100%客户满意。"),
        bad("同样的问题永远不会再发生。"),
        bad("我们的服务绝不会出错。"),
        bad("本季度保证零投诉。"),
        bad("任何问题都能解决。"),
        good("95%的来电在3声内接听。"),
        good("未按时回复的,退还100%服务费。", note="100% of a refund is a remedy, not an outcome"),
        good("我们会持续改进,减少同类问题再次发生。"),
    ],
)
def over_promise(ctx: CommitmentContext, r: Rule) -> Iterator[Finding]:
    a = ctx.analysis
    text = a.text
    conduct = a.hits_of("cm_conduct")
    for h in _live(ctx, "cm_over_absolute"):
        kind = _kind(h.phrase)
        if kind == "percent" and (
            _COMPENSATION.match(text[h.end : h.end + 4])
            or _COMPENSATION_BEFORE.search(text[max(0, h.start - 4) : h.start])
        ):
            continue  # 退还100%服务费: the size of a remedy, not a promised outcome
        severity: Severity | None = None
        if kind == "forever" and any(h.end <= c.start <= h.end + 4 for c in conduct):
            kind, severity = "conduct", Severity.INFO
        zh, en = ctx.rewrite(kind)
        yield r.finding(
            spans=[a.hit_span(h)],
            cue=h.phrase,
            severity=severity,
            message_zh=r.message_zh.format(cue=h.phrase)
            if kind != "conduct"
            else f"“{h.phrase}”是绝对化表述;用于自身行为准则可以保留,但应写明具体做法",
            message_en=r.message_en.format(cue=h.phrase)
            if kind != "conduct"
            else f"'{h.phrase}' is absolute; fine as a conduct pledge, but state the practice",
            suggestion_zh=zh or r.suggestion_zh,
            suggestion_en=en or r.suggestion_en,
            data={"kind": kind},
        )
