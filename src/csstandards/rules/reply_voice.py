"""Brand voice (品牌调性, 000 §2.4): a reply measured against a voice profile.

Profiles are data (``lexicon/reply_tables.toml`` ``[voice.*]``, extended or overridden by
``Standard.reply.voices``); the features are counted on the reply outside blame-shifting
sentences, placeholders and quotations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..errors import ConfigError
from ..lexicon import load_table
from ..models import Finding, Severity
from ..standard import VoiceProfile
from .base import Rule, bad, good, rule
from .context import ReplyContext
from .reply_common import blamed_sentences

__all__ = [
    "VOICE_ALIASES",
    "VOICE_FEATURE_LABELS",
    "canonical_voice",
    "measure_voice",
    "voice_profiles",
]

VOICE_FEATURE_LABELS: dict[str, tuple[str, str]] = {
    "nin": ("敬称“您”", "polite 'you' (您)"),
    "qin": ("亲昵称呼(亲/宝宝…)", "intimate address (亲, 宝宝 …)"),
    "ni": ("“你”", "plain 'you' (你)"),
    "particle": ("语气词(呢/哦/啦…)", "particles (呢/哦/啦 …)"),
    "exclamation": ("感叹号", "exclamation marks"),
    "emoji": ("表情", "emoji"),
    "warm_words": ("暖心用语", "warm words"),
    "bureaucratic": ("公文腔", "bureaucratic phrases"),
    "length": ("字数", "length in characters"),
    "sentence_length": ("最长句子字数", "longest sentence"),
}

_PARTICLES = frozenset("呢哦啦呀哈嘛哟噢喔咯滴")
_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]"
    r"|\[[\u4e00-\u9fff]{1,4}\]"  # platform emoticons: [微笑] [爱心]
    r"|[(][^()\n]{0,6}[\u25d5\u30fb\u03c9\u2200\u0414\u2312\u00b4\u2661][^()\n]{0,6}[)]"
)
_QIN_NOT = frozenset("自手测身人友切戚子眼口临密属爱")


@lru_cache(maxsize=1)
def _shipped() -> dict[str, VoiceProfile]:
    from ..lexicon import load_file

    data = load_file("reply_tables.toml").get("voice", {})
    return {name: load_table("reply_tables.toml", f"voice.{name}", VoiceProfile) for name in data}


def voice_profiles(ctx_or_standard: object = None) -> dict[str, VoiceProfile]:
    """Shipped profiles updated with the standard's custom ones."""
    from ..standard import Standard

    std = getattr(ctx_or_standard, "standard", ctx_or_standard)
    out = dict(_shipped())
    if isinstance(std, Standard):
        out.update(std.reply.voices)
    return out


#: Chinese names of the shipped profiles (温暖型 → warm …)
VOICE_ALIASES = {
    "温暖": "warm", "温暖型": "warm", "亲切": "warm", "亲切型": "warm",
    "专业": "professional", "专业型": "professional", "简洁": "professional",
    "活泼": "lively", "活泼型": "lively", "俏皮": "lively",
}  # fmt: skip


def canonical_voice(name: str, known: dict[str, VoiceProfile]) -> str:
    """A profile name as given (custom profiles win) or the English name of a Chinese alias."""
    if name in known:
        return name
    key = name.strip().lower()
    if key in known:
        return key
    return VOICE_ALIASES.get(key, name)


def measure_voice(ctx: ReplyContext) -> dict[str, float]:
    """The voice features of the reply (see :data:`VOICE_FEATURE_LABELS`)."""

    def compute() -> dict[str, float]:
        a = ctx.reply
        text = a.text
        cut = [_with_delimiter(a.text, s, e) for s, e in blamed_sentences(ctx)]
        cut += list(ctx.placeholders) + list(a.quoted)
        if cut:
            chars = list(text)
            for s, e in cut:
                chars[s:e] = " " * (e - s)
            text = "".join(chars)
        hits = a.hits
        qin = 0
        for h in hits.get("address_qin", ()):
            if any(s <= h.start < e for s, e in cut):
                continue
            nxt = a.text[h.end : h.end + 1]
            if h.phrase == "亲" and nxt in _QIN_NOT:
                continue
            qin += 1
        blamed = set(blamed_sentences(ctx))
        sentences = [s.text for s in a.sentences if (s.start, s.end) not in blamed]
        content = [c for c in text if not c.isspace()]

        def count(name: str) -> int:
            return sum(1 for h in hits.get(name, ()) if not any(s <= h.start < e for s, e in cut))

        return {
            "nin": float(text.count("您")),
            "qin": float(qin),
            "ni": float(text.count("你")),
            "particle": float(sum(1 for c in text if c in _PARTICLES)),
            "exclamation": float(text.count("!")),
            "emoji": float(len(_EMOJI.findall(text))),
            "warm_words": float(count("warm_words")),
            "bureaucratic": float(count("bureaucratic")),
            "length": float(len(content)),
            "sentence_length": float(max((len(s) for s in sentences), default=0)),
        }

    return ctx.cached("voice", compute)


def _with_delimiter(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence's range with the punctuation that ends it (its '!' is part of it)."""
    while end < len(text) and text[end] in "!?;。.\n~":
        end += 1
    return start, end


def _label(feature: str) -> tuple[str, str]:
    return VOICE_FEATURE_LABELS.get(feature, (feature, feature))


@rule(
    id="reply.brand-voice",
    code="R123",
    family="reply",
    name_zh="品牌调性不符",
    name_en="brand voice",
    severity=Severity.INFO,
    clause="000 §2.4",
    message_zh="回复的语言风格与品牌调性不符",
    message_en="The reply does not match the brand voice",
    suggestion_zh="按品牌调性调整:温暖型可用“您/亲”、语气词和暖心用语;专业型简洁准确,不用语气词和表情",
    suggestion_en="Match the voice: warm = friendly address, particles; professional = concise, no emoji",
    examples=[
        bad("亲亲~收到啦,马上给您安排哦!😊", brand_voice="professional"),
        bad("经核查,该问题已处理。特此告知。", brand_voice="warm"),
        good("您好,您反馈的登录问题已修复,请更新到3.2.1版本后重试。", brand_voice="professional"),
        good("亲,看到您的留言我们好开心呀,宝宝用得顺手就好~", brand_voice="warm"),
        good("亲亲~收到啦!", note="no brand voice configured"),
        good(
            "您好,您说我们客服“亲亲~马上哦”的回复不够专业,我们已调整话术。",
            brand_voice="professional",
            note="the customer's words quoted",
        ),
    ],
)
def brand_voice(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    voice = ctx.brand_voice or ctx.standard.brand_voice
    if not voice:
        return
    profiles = voice_profiles(ctx.standard)
    voice = canonical_voice(voice, profiles)
    profile = profiles.get(voice)
    if profile is None:
        raise ConfigError(
            f"Standard({ctx.standard.name})",
            "brand_voice",
            f"unknown brand voice (品牌调性) {voice!r}; known: {sorted(profiles)}",
        )
    feats = measure_voice(ctx)
    problems: list[tuple[str, str, str]] = []  # feature, zh, en
    for f, limit in profile.max.items():
        if feats[f] > limit:
            zh, en = _label(f)
            problems.append(
                (f, f"{zh}过多({feats[f]:g}>{limit:g})", f"too much {en} ({feats[f]:g}>{limit:g})")
            )
    for f, limit in profile.min.items():
        if feats[f] < limit:
            zh, en = _label(f)
            problems.append(
                (
                    f,
                    f"{zh}不足({feats[f]:g}<{limit:g})",
                    f"too little {en} ({feats[f]:g}<{limit:g})",
                )
            )
    if profile.require_any and not any(feats[f] > 0 for f in profile.require_any):
        names_zh = "/".join(_label(f)[0] for f in profile.require_any)
        names_en = "/".join(_label(f)[1] for f in profile.require_any)
        problems.append(("require_any", f"缺少{names_zh}", f"none of {names_en}"))
    if not problems:
        return
    a = ctx.reply
    yield r.finding(
        spans=[a.span(0, len(a.text))] if a.text else [],
        cue=voice,
        message_zh=f"回复不符合“{voice}”品牌调性:" + ";".join(p[1] for p in problems),
        message_en=f"The reply does not match the '{voice}' brand voice: "
        + "; ".join(p[2] for p in problems),
        data={"voice": voice, "features": feats, "violations": [p[0] for p in problems]},
    )
