"""The learned speech-act signal in the reply rules (#16 item 5).

The rules find speech acts by their cue lists; the model (:mod:`csstandards.judge.acts`)
finds them by the character n-grams of a sentence.  They are combined in two ways, each only
where the model's cross-validated precision allows:

* a *presence* rule (推诿 R103, 对立化 R104, 甩锅 R106, 查户口 R107, 过度承诺 R110) also
  reports a sentence the model says performs its act when no cue of the rule fired in that
  sentence; such a finding says it came from the model, names the n-grams that weighed most
  and carries the model's version (``data["source"] == "model"``);
* a *missing-X* rule (共情 R113, 邀请 R119 …) counts the act as present when the model finds
  it in a sentence, so a good reply in words no list holds is not told it lacks it.

The scope layer applies to the model as to the cues: the customer's words in quotation marks
and template placeholders are blanked out of a sentence before it is scored, and a sentence
that is a condition (如果…) is not scored for a presence rule.  ``Standard.reply.speech_acts
= "off"`` turns the model off (rules alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..judge.acts import ActModel, ActScore, default_model
from ..judge.scope import negated
from ..lexicon import load_file
from ..models import Finding
from .base import Rule
from .context import ReplyContext

__all__ = ["ActSentence", "act_present", "act_sentences", "model_findings", "model_of"]


@dataclass(frozen=True)
class ActSentence:
    """A reply sentence the model says performs an act (normalised offsets)."""

    start: int
    end: int
    score: ActScore


def model_of(ctx: ReplyContext) -> ActModel | None:
    """The speech-act model a check uses (``None`` when the standard turns it off)."""
    if ctx.standard.reply.speech_acts == "off":
        return None
    return default_model()


def _scored_text(ctx: ReplyContext, start: int, end: int) -> str:
    """The sentence as the model sees it: quotations and placeholders blanked out."""
    a = ctx.reply
    text = a.text[start:end]
    cut = [(s, e) for s, e in (*a.quoted, *ctx.placeholders) if s < end and start < e]
    if not cut:
        return text
    chars = list(text)
    for s, e in cut:
        for i in range(max(s, start), min(e, end)):
            chars[i - start] = ""
    return "".join(chars)


_ENDS = frozenset("?!。.~…")


def _sentences(ctx: ReplyContext) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of each sentence as the model scores it: with the punctuation
    that ends it (a question mark is evidence: 您为什么要退?), without quotations."""

    def compute() -> list[tuple[int, int, str]]:
        text = ctx.reply.text
        out = []
        for s in ctx.reply.sentences:
            end = s.end
            while end < len(text) and text[end] in _ENDS:
                end += 1
            scored = _scored_text(ctx, s.start, end).strip()
            if scored:
                out.append((s.start, s.end, scored))
        return out

    return ctx.cached("act-sentences", compute)


@lru_cache(maxsize=1)
def _use() -> tuple[frozenset[str], frozenset[str], float]:
    """The acts the presence rules and the missing-X rules consult, and the probability a
    presence finding needs (reply_tables.toml ``[speech_acts]``)."""
    data = load_file("reply_tables.toml").get("speech_acts", {})
    return (
        frozenset(data.get("presence", ())),
        frozenset(data.get("credit", ())),
        float(data.get("presence_min_probability", 0.5)),
    )


def act_sentences(ctx: ReplyContext, act: str) -> list[ActSentence]:
    """The reply's sentences in which the model finds ``act`` (empty with the model off)."""
    model = model_of(ctx)
    if model is None:
        return []

    def compute() -> list[ActSentence]:
        out = []
        for start, end, text in _sentences(ctx):
            if model.fires(text, act):
                out.append(ActSentence(start, end, model.explain(text, act)))
        return out

    return ctx.cached(f"act:{act}", compute)


def act_present(ctx: ReplyContext, *acts: str) -> bool:
    """Whether the model finds any of ``acts`` that the missing-X rules consult
    (``[speech_acts] credit``) in some sentence of the reply."""
    credit = _use()[1]
    return any(act_sentences(ctx, act) for act in acts if act in credit)


def model_findings(
    ctx: ReplyContext,
    r: Rule,
    act: str,
    flagged: Iterable[int] = (),
    *,
    within: Iterable[tuple[int, int]] | None = None,
    set_aside: Callable[[int], bool] | None = None,
) -> Iterator[Finding]:
    """Findings of presence rule ``r`` for the sentences where the model finds ``act`` and no
    cue of the rule was found (``flagged``: the normalised start offsets of the rule's cue
    hits, reported or not: a cue the scope layer set aside is a decision, not a gap).
    ``within`` limits them to sentences overlapping those ranges (questions, for R107);
    ``set_aside(pos)`` is the rule's own scope test, applied at the evidence's position as to
    a cue (R110: 不能保证…).  A sentence that is a condition (如果是骑手的原因…) states no act
    and is skipped."""
    if act not in _use()[0]:
        return
    sentences = act_sentences(ctx, act)
    if not sentences:
        return
    a = ctx.reply
    starts = sorted(flagged)
    cond = [h.start for h in a.hits.get("conditional_markers", ())]
    model = model_of(ctx)
    assert model is not None
    allowed = None if within is None else list(within)
    floor = max(_use()[2], model.threshold[act])
    for s in sentences:
        if s.score.probability < floor:
            continue
        if any(s.start <= p < s.end for p in starts):
            continue
        if allowed is not None and not any(qs < s.end and s.start < qe for qs, qe in allowed):
            continue
        if any(s.start <= p < s.end for p in cond):
            continue
        at = _evidence_at(ctx, s)
        if at >= 0 and (negated(a, at) or (set_aside is not None and set_aside(at))):
            continue
        grams = "、".join(g for g, _ in s.score.top) or act
        yield r.finding(
            spans=[a.span(s.start, s.end)],
            cue=s.score.top[0][0] if s.score.top else None,
            message_zh=f"{r.message_zh}(模型判断,依据:{grams})",
            message_en=f"{r.message_en} (the speech-act model; n-grams: {grams})",
            data={
                "source": "model",
                "model": model.version,
                "act": act,
                "probability": s.score.probability,
                "ngrams": [g for g, _ in s.score.top],
            },
        )


def _evidence_at(ctx: ReplyContext, s: ActSentence) -> int:
    """Where the n-gram that weighed most starts in the reply (-1: none), so that the scope
    layer's tests (negation: 这不是快递的问题) apply to the model's evidence as to a cue."""
    if not s.score.top:
        return -1
    return ctx.reply.text.find(s.score.top[0][0], s.start, s.end)
