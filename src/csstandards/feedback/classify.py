"""Lexicon-and-rules feedback classifier (002 二(二)2 分类与评估, 003 二(一)(二)).

A plain string is scanned once by a matcher compiled (per ``Standard``) over the feedback
lists ``fb_*`` and the taxonomy; a shared :class:`~csstandards.text.Analysis` built by other
checks is reused as is (its phrase hits) plus one taxonomy scan.  No word segmentation is
needed.  Clauses and sentences come from the same delimiters as the text layer's.  Every
field's value is recorded with the cues that decided it in ``FeedbackAssessment.evidence``.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, KeysView, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .._collector import pauses_collector, text_size
from .._intervals import DisjointIntervals, merge_intervals
from ..errors import InputError
from ..lexicon import Lexicon, LexiconHit, load_file
from ..models import Channel, Evidence, Priority, Rating, Span, trusted_builder
from ..text.analysis import QUOTE, Analysis, clause_breaks
from ..text.normalize import NormalizedText, normalize, normalize_phrase
from ..text.phrases import PhraseMatcher
from .english import add_english_hits, is_english
from .hazard import HazardHit, find_hazards
from .models import (
    EmotionLevel,
    FeedbackAssessment,
    FeedbackKind,
    FeedbackSettings,
    Hazard,
    Hint,
    IssueSeverity,
    KeyIssue,
    Matrix,
    Polarity,
    RootCause,
    Scope,
    Urgency,
)
from .taxonomy import Taxonomy, default_priority, default_taxonomy

if TYPE_CHECKING:
    from ..standard import Standard

__all__ = ["classify_feedback", "classify_many", "find_key_issues"]

SOURCE = "feedback"
# lists not needed in the scan: ironic words are only looked for inside short quotations
_NOT_SCANNED = frozenset({"fb_ironic"})
_NO_HITS: list[LexiconHit] = []

# Base weight of each sentiment list (documented in docs/feedback.md).
_SENT_WEIGHTS: dict[str, float] = {
    "fb_pos_strong": 2.0,
    "fb_pos": 1.0,
    "fb_pos_weak": 0.5,
    "fb_neutral_ok": 0.3,
    "fb_neutral": -0.3,
    "fb_neg_weak": -0.5,
    "fb_neg": -1.0,
    "fb_neg_strong": -2.0,
    "fb_emoji_pos": 0.8,
    "fb_emoji_neg": -0.8,
    "fb_rhetorical": -1.5,
    "fb_sarcasm": -1.0,
    "fb_grievance": -1.5,
    "fb_emotion_furious": -2.0,
    "fb_grievance_cancel": 0.0,
    "fb_not_sentiment": 0.0,
}
# Lists whose cues negation can flip (emoji, rhetoric and sarcasm are not words to negate).
_NEGATABLE = frozenset(
    {"fb_pos_strong", "fb_pos", "fb_pos_weak", "fb_neg_weak", "fb_neg", "fb_neg_strong", "group"}
)
_NEUTRAL = frozenset({"fb_neutral", "fb_neutral_ok"})
_LIST_RANK = {name: i for i, name in enumerate(_SENT_WEIGHTS)}
_DEGREE = {"fb_degree_strong": 1.6, "fb_degree_mid": 1.25, "fb_degree_weak": 0.5}
_POST_DEGREE = 1.5
_CONTRAST_AFTER = 1.2
_CONTRAST_BEFORE = 0.8
_CONCESSION = 0.6  # 虽然…: the conceded clause
_NEGATED_POS = 0.7  # 不是很好: a negated positive counts 70 % as negative
_NEGATED_NEG = 0.5  # 没有想象中差: a negated negative counts 50 % as positive
_SARCASM_QUOTE = -1.5
_MIXED_RATIO = 0.3  # both sides present and the weaker ≥ 30 % of the stronger → 中评
_MIXED_MAX = 0.3
_DEFAULT_TOPIC = "quality"
_RESOLVED = 0.5
_IN_SUGGESTION = 0.5
_TURN_FLOOR = -0.6  # a 先褒后贬 text more negative than this stays 差评
_REPORTED_SPEECH = 0.3  # positive words inside a long quotation (客服说"非常抱歉")
_PERFECTIVE_NEG = frozenset({"没", "没有", "未", "冇"})
_NEG_GAP_CHARS = frozenset("很太是那么这么怎么够算特别非常真的有点大都也还再多样得怎")
_EMOTION_WEIGHTS = {"fb_emotion_mild": 1.0, "fb_emotion_angry": 2.0, "fb_emotion_furious": 4.0}
_EMOTION_LEVELS = (
    (6.0, EmotionLevel.FURIOUS),
    (2.5, EmotionLevel.ANGRY),
    (1.0, EmotionLevel.ANNOYED),
)
_FURIOUS_WITHOUT_INSULT = 8.0
_ASCII_LETTER = re.compile(r"[a-z]")
_REPEAT_BANG = re.compile(r"!{2,}")
_REPEAT_Q = re.compile(r"\?{2,}|\?!|!\?")
_SEVERITY_CUES = {"fb_sev_critical": IssueSeverity.CRITICAL, "fb_sev_high": IssueSeverity.HIGH}
_HAZARD_WEIGHT = -1.5  # a hazard is a negative fact, whatever the tone
_NEG_FACT = -1.0  # 每天晚上八点断一次: a frequency + fault pair
_FACT_GAP = 10
_SARCASM_REACH = 2  # 真是 … 稳定: the intensifier ends at most this far before the positive word
_HOTLINE_GAP = 3  # 订单号是315…: an identifier word this close before a hotline number
_POLITE = frozenset({"fb_pos_weak", "fb_emoji_pos"})  # 谢谢: not praise of the service
_EN_CONFIDENCE = 0.6  # the most an English text's fields are trusted
# kinds that raise no problem to act on (hint no_action, no root cause)
_NO_CASE_KINDS = frozenset({FeedbackKind.PRAISE, FeedbackKind.ENQUIRY, FeedbackKind.UNKNOWN})


# ---------------------------------------------------------------------------------- context
_LeanPayload = tuple[tuple[str, ...], tuple[tuple[str, str], ...]]  # (lists, taxonomy refs)


@dataclass(frozen=True)
class _Context:
    """Everything resolved from a Standard once (shared across a batch)."""

    lexicon: Lexicon
    taxonomy: Taxonomy
    matrix: Matrix
    scope_raise: dict[Scope, int]
    settings: FeedbackSettings
    matcher: PhraseMatcher[_LeanPayload]
    ironic: frozenset[str]


def _lean_matcher(lexicon: Lexicon, taxonomy: Taxonomy) -> PhraseMatcher[_LeanPayload]:
    """One matcher over the feedback lists (``fb_*``) and the taxonomy: a plain string is
    classified with a single scan instead of the shared lexicon's plus the taxonomy's.

    Each phrase carries one payload: the lists it belongs to and its taxonomy references
    (``("aspect", topic)`` / ``("cue", group)``), in the order lists, aspects, cues."""
    by_phrase: dict[str, tuple[str, list[str], list[tuple[str, str]]]] = {}

    def add(phrase: str, lst: str | None, ref: tuple[str, str] | None) -> None:
        # keyed by the normal form (what the matcher keys by); the first spelling is kept so
        # that an empty phrase is reported as written
        entry = by_phrase.setdefault(normalize_phrase(phrase), (phrase, [], []))
        if lst is not None:
            entry[1].append(lst)
        if ref is not None:
            entry[2].append(ref)

    for name, phrases in lexicon.lists.items():
        if name.startswith("fb_") and name not in _NOT_SCANNED:
            for p in phrases:
                add(p, name, None)
    for tid, td in taxonomy.topics.items():
        for a in td.aspects:
            add(a, None, ("aspect", tid))
    for gid, gd in taxonomy.groups.items():
        for c in gd.cues:
            add(c, None, ("cue", gid))
    return PhraseMatcher(
        ((p, (tuple(lists), tuple(refs))) for p, lists, refs in by_phrase.values()),
        source="feedback",
    )


# The classifier builds every evidence record and key issue from values it computed (spans
# from the offset map, enum values, numbers): built without re-validation (the tests
# round-trip assessments through validation to keep this honest).
_build_evidence = trusted_builder(Evidence)
_key_issue = trusted_builder(KeyIssue)
_hazard = trusted_builder(Hazard)
_EVIDENCE_CACHE: dict[tuple[str, str, str, str, str], Evidence] = {}


def _evidence(**kw: Any) -> Evidence:
    """An evidence record; the many that point at no text (the priority matrix cell, a
    praise's hint …) recur across texts and are built once (they are immutable)."""
    if "weight" in kw or kw.get("spans"):
        return _build_evidence(**kw)
    kw.pop("spans", None)
    key = (kw["field"], kw["value"], kw["cue"], kw.get("source", ""), kw.get("note", ""))
    ev = _EVIDENCE_CACHE.get(key)
    if ev is None:
        if len(_EVIDENCE_CACHE) >= 4096:
            _EVIDENCE_CACHE.clear()
        ev = _EVIDENCE_CACHE[key] = _build_evidence(**kw)
    return ev


_ctx_lock = threading.Lock()
_ctx_cache: dict[int, tuple[Standard, _Context]] = {}


_default_ctx: list[_Context] = []  # the default standard's context, once built


def _context(standard: Standard | None) -> _Context:
    if standard is None:
        if _default_ctx:
            return _default_ctx[0]
        from ..standard import Standard

        ctx = _context(Standard.default())
        _default_ctx.append(ctx)
        return ctx
    hit = _ctx_cache.get(id(standard))  # a single dict read is atomic; writes take the lock
    if hit is not None and hit[0] is standard:  # the entry holds the object: ids are not reused
        return hit[1]
    settings = standard.feedback
    matrix, raise_ = default_priority()
    if settings.priority_matrix:
        merged: Matrix = {sev: dict(row) for sev, row in matrix.items()}
        for sev, row in settings.priority_matrix.items():
            merged[sev].update(row)
        matrix = merged
    if settings.scope_raise:
        raise_ = {**raise_, **settings.scope_raise}
    taxonomy = default_taxonomy().extend(
        settings.topics, settings.groups, source=f"Standard({standard.name}).feedback"
    )
    lexicon = standard.lexicon()
    ctx = _Context(
        lexicon,
        taxonomy,
        matrix,
        raise_,
        settings,
        _lean_matcher(lexicon, taxonomy),
        frozenset(normalize_phrase(p) for p in lexicon.lists.get("fb_ironic", ())),
    )
    with _ctx_lock:
        if len(_ctx_cache) > 64:
            _ctx_cache.clear()
        _ctx_cache[id(standard)] = (standard, ctx)
    return ctx


# ---------------------------------------------------------------------------------- helpers
@dataclass(slots=True)
class _Cue:
    """A sentiment cue with its weight after negation, degree, contrast, quotes, irony."""

    start: int
    end: int
    source: str  # list name, or "group" for a taxonomy cue, or "quote" for a sarcastic quote
    phrase: str
    weight: float
    notes: list[str] = field(default_factory=list)
    group: str | None = None


def _longest_first(cands: list[_Cue]) -> list[_Cue]:
    """Keep non-overlapping cues, longest first; ties go to the lexicon list order."""
    if len(cands) > 1:
        cands.sort(key=lambda c: (c.start - c.end, _LIST_RANK.get(c.source, 99), c.start))
    taken = DisjointIntervals()
    out = [c for c in cands if taken.claim(c.start, c.end)]
    out.sort(key=_cue_start)
    return out


def _cue_start(c: _Cue) -> int:
    return c.start


class _Cover:
    """Which characters some spans cover, as sorted disjoint intervals (touching spans are
    merged, so a range spread over two adjacent spans is covered).  Queries bisect: cheap for
    the usual handful of spans and for the thousands of a long text alike."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts, self._ends = merge_intervals(sp for sp in spans if sp[1] > sp[0])

    def contains(self, start: int, end: int) -> bool:
        """Every character of ``[start, end)`` is covered."""
        if end <= start:
            return False
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and end <= self._ends[i]

    def touches(self, start: int, end: int) -> bool:
        """Some character of ``[start, end)`` is covered."""
        if end <= start:
            return False
        i = bisect_right(self._ends, start)  # the first interval ending after start
        return i < len(self._starts) and self._starts[i] < end


class _NoCover(_Cover):
    """The cover of no spans (most lists have no hit in a given text)."""

    def contains(self, start: int, end: int) -> bool:
        return False

    def touches(self, start: int, end: int) -> bool:
        return False


_EMPTY = _NoCover()


def _cover(t: _Text, *lists: str) -> _Cover:
    hits = t.of(*lists)
    if not hits:
        return _EMPTY
    return _Cover((h.start, h.end) for h in hits)


# A clause break (text.analysis.CLAUSE_BREAK) ends a sentence when it holds one of these: its
# punctuation class has no ".", so a "." in it is a run of full stops that SENTENCE_BREAK's
# identical digit rules accept too.
_SENTENCE_ENDERS = frozenset("!?;。\n.")


def _split_both(text: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """Clause and sentence bounds in one pass: a clause break that holds a sentence delimiter
    (。!?;, a line break or a full stop) also ends the sentence."""
    c_starts: list[int] = []
    c_ends: list[int] = []
    s_starts: list[int] = []
    s_ends: list[int] = []
    pos = 0
    sent_open = -1
    for m in clause_breaks(text):
        ms, me = m.span()
        if ms > pos:
            c_starts.append(pos)
            c_ends.append(ms)
            if sent_open < 0:
                sent_open = pos
        if sent_open >= 0 and not _SENTENCE_ENDERS.isdisjoint(m.group()):
            s_starts.append(sent_open)
            s_ends.append(ms)
            sent_open = -1
        pos = me
    if pos < len(text):
        c_starts.append(pos)
        c_ends.append(len(text))
        if sent_open < 0:
            sent_open = pos
    if sent_open >= 0:
        s_starts.append(sent_open)
        s_ends.append(c_ends[-1])
    return c_starts, c_ends, s_starts, s_ends


class _Text:
    """Per-text working state built from one Analysis (clause and sentence bounds as ints)."""

    def __init__(
        self,
        norm: NormalizedText,
        hits: Mapping[str, list[LexiconHit]],
        quoted: Sequence[tuple[int, int]],
    ) -> None:
        self.norm = norm
        self.s = s = norm.text
        self._raw = hits  # only hits whose length is their phrase's (see _prepare)
        self.quoted = quoted
        (
            self.clause_starts,
            self.clause_ends,
            self.sentence_starts,
            self.sentence_ends,
        ) = _split_both(s)

    def lists(self) -> Iterable[tuple[str, list[LexiconHit]]]:
        """(list name, hits) of every list with a hit in this text."""
        return self._raw.items()

    def list_names(self) -> KeysView[str]:
        """Names of the lists with a hit in this text."""
        return self._raw.keys()

    def hits_of(self, name: str) -> list[LexiconHit]:
        return self._raw.get(name, _NO_HITS)

    def of(self, *lists: str) -> list[LexiconHit]:
        """Hits of the named lists (callers must not modify the returned list)."""
        raw = self._raw
        if len(lists) == 1:
            return raw.get(lists[0], _NO_HITS)
        out: list[LexiconHit] = []
        for name in lists:
            got = raw.get(name)
            if got:
                out.extend(got)
        return out

    def clause_index(self, pos: int) -> int:
        return bisect_right(self.clause_starts, pos) - 1

    def sentence_index(self, pos: int) -> int:
        return bisect_right(self.sentence_starts, pos) - 1

    def clause_bounds(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.clause_starts, pos) - 1
        if i < 0:
            return (0, len(self.s))
        return (self.clause_starts[i], self.clause_ends[i])

    def sentence_start(self, pos: int) -> int:
        i = bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_starts[i] if i >= 0 else 0

    def sentence_bounds(self, si: int) -> tuple[int, int]:
        return (self.sentence_starts[si], self.sentence_ends[si])

    def span(self, s: int, e: int) -> Span:
        return self.norm.span(s, e)  # Spans are shared (models.span): no per-text cache

    def questions(self) -> list[int]:
        """Indices of the sentences that end in a question mark."""
        if "?" not in self.s:
            return []
        return [i for i in range(len(self.sentence_starts)) if self.is_question(i)]

    def is_question(self, sent_index: int) -> bool:
        if sent_index < 0:
            return False
        end = self.sentence_ends[sent_index]
        return "?" in self.s[end : end + 3]


_PRIORITY_BY_RANK = {p.rank: p for p in Priority}
_QUOTE_CHARS = frozenset("\"'《")  # what a quotation (text.analysis.QUOTE) opens with
_NegIndex = dict[int, list[LexiconHit]]  # negators by end position


def _negators(t: _Text, blocked: _Cover) -> _NegIndex:
    exempt = _cover(t, "fb_negator_exempt")
    out: _NegIndex = {}
    for h in t.of("fb_negator"):
        if not exempt.contains(h.start, h.end) and not blocked.touches(h.start, h.end):
            out.setdefault(h.end, []).append(h)
    return out


def _rhetorical_affirmation(t: _Text, neg: LexiconHit) -> bool:
    """这不是强制消费吗? — a 不是 in a 吗-question affirms instead of negating."""
    if neg.phrase not in ("不是", "并不是", "非"):
        return False
    si = t.sentence_index(neg.start)
    if si < 0 or not t.is_question(si):
        return False
    return t.s[t.sentence_ends[si] - 1] in "吗么"


def _negated(t: _Text, start: int, negs: _NegIndex) -> LexiconHit | None:
    """A negator ending at most 3 characters before ``start`` in the same clause."""
    if not negs:
        return None
    cs, _ = t.clause_bounds(start)
    for gap_len in range(4):  # the nearest negator wins
        for h in negs.get(start - gap_len, ()):
            if h.start < cs:
                continue
            gap = t.s[h.end : start]
            if all(ch in _NEG_GAP_CHARS for ch in gap):
                return h
            # 没 + verb + result (没剪干净, 没修好, 没出问题): a perfective negator scopes over
            # the one-character verb the cue completes
            if gap_len == 1 and h.phrase in _PERFECTIVE_NEG and "\u4e00" <= gap <= "\u9fff":
                return h
    return None


# ---------------------------------------------------------------------------------- sentiment
def _sentiment_cues(
    t: _Text, tax: Taxonomy, tax_cues: list[tuple[int, int, str, str]]
) -> list[_Cue]:
    cands: list[_Cue] = []
    weights = _SENT_WEIGHTS
    for name, hits in t.lists():  # only the lists with hits (ties are settled by _LIST_RANK)
        w = weights.get(name)
        if w is not None:
            for h in hits:
                cands.append(_Cue(h.start, h.end, name, h.phrase, w))
    for s, e, gid, phrase in tax_cues:
        pol = tax.groups[gid].polarity
        w = 1.0 if pol == "positive" else (-0.5 if pol == "request" else -1.0)
        cands.append(_Cue(s, e, "group", phrase, w, group=gid))
    return _longest_first(cands)


def _by_sentence(t: _Text, hits: Iterable[LexiconHit]) -> dict[int, list[LexiconHit]]:
    out: dict[int, list[LexiconHit]] = {}
    for h in hits:
        out.setdefault(t.sentence_index(h.start), []).append(h)
    return out


def _quote_at(quotes: list[tuple[int, int]], starts: list[int], start: int, end: int) -> int:
    """Index of the quotation strictly around ``[start, end)``, or -1."""
    i = bisect_right(starts, start - 1) - 1
    if i >= 0 and quotes[i][0] < start and end <= quotes[i][1]:
        return i
    return -1


def _apply_modifiers(t: _Text, cues: list[_Cue], negs: _NegIndex) -> None:
    s = t.s
    deg_at: dict[int, tuple[LexiconHit, float]] = {}  # by end position, longest wins
    for h in t.of(*_DEGREE):
        prev = deg_at.get(h.end)
        if prev is None or h.end - h.start > prev[0].end - prev[0].start:
            deg_at[h.end] = (h, _DEGREE[h.list_name])
    post_at = {h.start: h for h in t.of("fb_degree_post")}
    weak_at = {h.start: h for h in t.of("fb_degree_post_weak")}
    contrast = _by_sentence(t, t.of("fb_contrast"))
    concession = _by_sentence(t, t.of("fb_concession"))
    # per sentence, once: the earliest marker end and latest marker start (is a marker after
    # / before the cue) and the sorted concession starts (one in the cue's clause), instead
    # of scanning every marker of the sentence for every cue (issue #17)
    first_end = {si: min(m.end for m in ms) for si, ms in contrast.items()}
    last_start = {si: max(m.start for m in ms) for si, ms in contrast.items()}
    conc_starts = {si: sorted(m.start for m in ms) for si, ms in concession.items()}
    flip_markers = _by_sentence(t, t.of("fb_question_flip", "fb_rhetorical"))
    quotes = [(qs, qe) for qs, qe in t.quoted if s[qs] != "《"]
    quote_starts = [q[0] for q in quotes]
    for c in cues:
        if c.weight == 0.0:
            continue
        # negation
        if c.source in _NEGATABLE:
            neg = _negated(t, c.start, negs)
            if neg is not None and _rhetorical_affirmation(t, neg):
                c.notes.append(f"反问肯定:{neg.phrase}…吗")
            elif neg is not None:
                c.weight = -c.weight * (_NEGATED_POS if c.weight > 0 else _NEGATED_NEG)
                c.notes.append(f"否定:{neg.phrase}")
        # degree before (adjacent) and after
        if c.source in _NEGATABLE:
            best = deg_at.get(c.start)
            if best is not None:
                c.weight *= best[1]
                c.notes.append(f"程度:{best[0].phrase}")
            ph = post_at.get(c.end) or post_at.get(c.end + 1)
            if ph is not None:
                c.weight *= _POST_DEGREE
                c.notes.append(f"程度:{ph.phrase}")
            wk = weak_at.get(c.end)
            if wk is not None:
                c.weight *= _DEGREE["fb_degree_weak"]
                c.notes.append(f"程度:{wk.phrase}")
        # quotations: irony or reported speech
        qi = _quote_at(quotes, quote_starts, c.start, c.end) if quotes and c.weight > 0 else -1
        if qi >= 0:
            qs, qe = quotes[qi]
            if qe - qs - 2 <= 6:
                c.weight = _SARCASM_QUOTE
                c.notes.append("引号反语")
            else:
                c.weight *= _REPORTED_SPEECH
                c.notes.append("引述")
        # rhetorical question: a positive word in a question with an ironic marker
        si = t.sentence_index(c.start)
        if c.weight > 0 and t.is_question(si):
            marker = next(iter(flip_markers.get(si, ())), None)
            if marker is not None:
                c.weight = -c.weight
                c.notes.append(f"反问:{marker.phrase}")
        # contrast: 虽然…但是… / …就是…
        if si >= 0 and (si in contrast or si in concession):
            after = si in first_end and first_end[si] <= c.start
            before = si in last_start and c.end <= last_start[si]
            cs, _ = t.clause_bounds(c.start)
            cst = conc_starts.get(si, ())
            k = bisect_left(cst, cs) if cst else 0
            conceded = k < len(cst) and cst[k] < c.start
            if after:
                c.weight *= _CONTRAST_AFTER
                c.notes.append("转折后")
            if conceded:
                c.weight *= _CONCESSION
                c.notes.append("让步")
            elif before:
                c.weight *= _CONTRAST_BEFORE
                c.notes.append("转折前")


def _printable(text: str) -> str:
    """``text`` with lone surrogates replaced (U+FFFD), so that a cue quoted from the
    customer's text always serialises to JSON."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return text


class _SignedCues:
    """The weighted cues of one sentence, answering "how many positive / negative cues end
    by p" and "is there a negative cue starting at or after p" by bisecting."""

    def __init__(self) -> None:
        self._cues: list[_Cue] = []
        self._built = False
        self._ends: list[int] = []
        self._pos_by_end: list[int] = []
        self._neg_by_end: list[int] = []
        self._neg_starts: list[int] = []

    def add(self, c: _Cue) -> None:
        self._cues.append(c)
        self._built = False

    def _build(self) -> None:
        by_end = sorted(self._cues, key=lambda c: c.end)
        self._ends = [c.end for c in by_end]
        self._pos_by_end, self._neg_by_end = [0], [0]
        for c in by_end:
            self._pos_by_end.append(self._pos_by_end[-1] + (c.weight > 0))
            self._neg_by_end.append(self._neg_by_end[-1] + (c.weight < 0))
        self._neg_starts = sorted(c.start for c in self._cues if c.weight < 0)
        self._built = True

    def ending_by(self, p: int) -> tuple[int, int]:
        """(positive, negative) cues with ``end <= p``."""
        if not self._built:
            self._build()
        i = bisect_right(self._ends, p)
        return self._pos_by_end[i], self._neg_by_end[i]

    def negative_from(self, p: int) -> bool:
        """Whether a negative cue starts at or after ``p``."""
        if not self._built:
            self._build()
        return bool(self._neg_starts) and self._neg_starts[-1] >= p


def _contrast_turn(t: _Text, cues: list[_Cue]) -> str:
    """'to_negative' when the text's only problems follow a turn from praise at 但是/就是/不过
    (东西是好东西,就是价格有点贵); 'to_positive' when its only praise follows a turn from a
    problem (虽然排队的人多,但是工作人员很暖心); else ''."""
    markers = t.of("fb_contrast")
    if not markers:
        return ""
    by_sentence: dict[int, _SignedCues] = {}
    for c in cues:
        if c.weight != 0.0:
            si = t.sentence_index(c.start)
            got = by_sentence.get(si)
            if got is None:
                got = by_sentence[si] = _SignedCues()
            got.add(c)
    # A marker's "after" cues are those starting at or past its end, so the cues turned by a
    # sentence's markers are those past the earliest end of a marker that turns: one bound
    # per sentence, found with prefix counts instead of a list per marker (issue #17).
    neg_from: dict[int, int] = {}  # sentence -> cues starting here or later turned negative
    pos_from: dict[int, int] = {}
    for m in markers:
        si = t.sentence_index(m.start)
        here = by_sentence.get(si)
        if here is None:
            continue
        pos_before, neg_before = here.ending_by(m.start)
        if pos_before and not neg_before:
            neg_from[si] = min(neg_from.get(si, m.end), m.end)
        if neg_before and not here.negative_from(m.end):
            pos_from[si] = min(pos_from.get(si, m.end), m.end)
    turned_neg: set[int] = set()  # ids of cues after a praise → problem turn
    turned_pos: set[int] = set()
    for c in cues:
        if c.weight == 0.0:
            continue
        si = t.sentence_index(c.start)
        if c.weight < 0 and si in neg_from and c.start >= neg_from[si]:
            turned_neg.add(id(c))
        if c.weight > 0 and si in pos_from and c.start >= pos_from[si]:
            turned_pos.add(id(c))
    negatives = [c for c in cues if c.weight < 0]
    positives = [c for c in cues if c.weight > 0]
    if negatives and all(id(c) in turned_neg for c in negatives):
        return "to_negative"
    if positives and turned_pos and all(id(c) in turned_pos for c in positives):
        return "to_positive"
    return ""


def _sarcastic_quotes(t: _Text, cues: list[_Cue], ironic_words: frozenset[str]) -> list[_Cue]:
    """Short quotations of an 'ironic' word (真是太"快"了) with no cue inside: a negative cue."""
    s = t.s
    out: list[_Cue] = []
    if not t.quoted:
        return []
    ironic = ironic_words
    inside = _Cover((c.start, c.end) for c in cues)
    for qs, qe in t.quoted:
        if s[qs] == "《" or qe - qs - 2 > 6:
            continue
        if inside.touches(qs + 1, qe - 1):
            continue  # handled as a cue inside the quotation
        inner = s[qs + 1 : qe - 1]
        if any(w in inner for w in ironic):
            out.append(_Cue(qs, qe, "quote", _printable(s[qs:qe]), _SARCASM_QUOTE, ["引号反语"]))
    return out


def _sarcasm_intensified(t: _Text, cues: list[_Cue]) -> None:
    """真是 + a positive word, then a negative fact later in the sentence with no turn between
    (网速真是稳定,稳定地每天晚上八点断一次): the praise is sarcasm; a repeat of the praised word
    after it (稳定地) is part of the same irony."""
    marks = t.of("fb_sarcasm_intensifier")
    if not marks:
        return
    contrast = t.of("fb_contrast")
    for c in cues:
        if c.weight <= 0 or c.source not in _NEGATABLE:
            continue
        m = next((m for m in marks if c.start - _SARCASM_REACH <= m.end <= c.start), None)
        if m is None:
            continue
        si = t.sentence_index(c.start)
        se = t.sentence_ends[si] if si >= 0 else len(t.s)
        later_neg = [
            d
            for d in cues
            if d.weight < 0
            and c.end <= d.start < se
            and not any(c.end <= k.start < d.start for k in contrast)
        ]
        if not later_neg:
            continue
        rule = f"反讽:{m.phrase}…+负面事实 sarcasm (intensifier + negative fact)"
        c.weight = -abs(c.weight)
        c.notes.append(rule)
        for e in cues:
            if e is not c and e.phrase == c.phrase and c.end <= e.start < se and e.weight > 0:
                e.weight = -abs(e.weight)
                e.notes.append(rule)


_CLAUSE_OPEN = frozenset(",，。!！?？;；:：~～…\n ")
_RESERVATION = -0.8


def _reservations(t: _Text, cues: list[_Cue]) -> list[_Cue]:
    """A turn from praise whose other side no cue reads (键盘外观挺好看,但是有两个键帽是松的,
    按下去不回弹): the marker itself says the customer has a reservation, so it counts as a
    mild negative cue.  Only a marker that opens its clause, after a positive cue, with
    neither a positive nor a negative cue from the marker to its sentence end (a side a cue
    reads is weighed by the contrast rule already), in a text where no cue reads a problem
    (where one does, the contrast rule weighs it).  The markers: ``fb_reservation_turn``."""
    markers = t.of("fb_reservation_turn")
    if not markers:
        return []
    s = t.s
    signed = sorted((c.start, c.weight) for c in cues if c.weight != 0.0)
    if not any(w > 0 for _, w in signed) or any(w < 0 for _, w in signed):
        return []  # no praise to turn from, or problems a cue reads already
    starts = [st for st, _ in signed]
    out: list[_Cue] = []
    done: set[int] = set()
    for m in markers:
        if m.start > 0 and s[m.start - 1] not in _CLAUSE_OPEN:
            continue
        si = t.sentence_index(m.start)
        if si in done:
            continue
        before = bisect_left(starts, m.start)
        if not any(w > 0 for _, w in signed[:before]):
            continue
        se = t.sentence_ends[si] if si >= 0 else len(s)
        after = signed[before : bisect_left(starts, se)]
        if after or se - m.end < 2:
            continue
        done.add(si)
        note = "转折后的保留 reservation after praise"
        out.append(_Cue(m.start, m.end, "reservation", m.phrase, _RESERVATION, [note]))
    return out


@lru_cache(maxsize=1)
def _fact_pairs() -> tuple[tuple[str, str, str], ...]:
    """``[facts]`` of feedback.toml: (first list, second list, name) of each negative-fact pair."""
    data = load_file("feedback.toml").get("facts", {})
    return tuple((str(a), str(b), str(name)) for name, (a, b) in data.items())


def _negative_facts(t: _Text, cues: list[_Cue]) -> list[_Cue]:
    """Negative facts told without an evaluative word: a word of one class followed in its
    clause by a word of another (每天晚上八点 + 断一次, 卡在中转站 + 五天), unless a negative
    cue already covers the second word."""
    out: list[_Cue] = []
    neg: _Cover | None = None
    for la, lb, name in _fact_pairs():
        seconds = t.of(lb)
        firsts = t.of(la) if seconds else _NO_HITS
        if not firsts:
            continue
        if neg is None:
            neg = _Cover((c.start, c.end) for c in cues if c.weight < 0)
        for f in seconds:
            if neg.touches(f.start, f.end) or any(o.start <= f.start < o.end for o in out):
                continue
            cs, _ = t.clause_bounds(f.start)
            q = next(
                (q for q in firsts if cs <= q.start and q.end <= f.start <= q.end + _FACT_GAP),
                None,
            )
            if q is not None:
                phrase = _printable(t.s[q.start : f.end])
                out.append(_Cue(q.start, f.end, "fact", phrase, _NEG_FACT, [f"负面事实:{name}"]))
    return out


def _hazards(
    t: _Text, cues: list[_Cue], negs: _NegIndex
) -> tuple[list[HazardHit], list[str], _Cover]:
    """The text's hazards after the scope rule, and a note per hazard set aside; a negative cue
    is added for each hazard that no negative cue covers yet.

    Scope rule: a past harm of a care class (body and health) that is neither attributed to
    what was sold or done nor still going on, in a text whose only opinions are positive, is
    the reason for a service the text praises (孩子发烧去急诊,医生特别耐心): no hazard."""
    found = find_hazards(t, lambda pos: _negated(t, pos, negs) is not None)
    if not found:
        return found, [], _EMPTY
    hz_cover = _Cover((h.start, h.end) for h in found)
    pos = sum(c.weight for c in cues if c.weight > 0)
    other_neg = sum(
        -c.weight for c in cues if c.weight < 0 and not hz_cover.touches(c.start, c.end)
    )
    kept: list[HazardHit] = []
    dropped: list[str] = []
    dropped_spans: list[tuple[int, int]] = []
    for h in found:
        if h.cls.care and not h.ongoing and not h.attributed and pos > 0 and other_neg == 0:
            dropped.append(f"{h.phrase}: 求助原因,已获妥善处理 reason for a praised service")
            dropped_spans.extend(h.spans)
            continue
        kept.append(h)
    reason = _Cover(dropped_spans) if dropped_spans else _EMPTY
    if dropped_spans:  # the reason for the visit is no opinion either
        for c in cues:
            if c.weight < 0 and reason.touches(c.start, c.end):
                c.weight = 0.0
                c.notes.append("求助原因")
    neg_cover = _Cover((c.start, c.end) for c in cues if c.weight < 0)
    for h in kept:
        if not neg_cover.touches(h.start, h.end):
            cues.append(
                _Cue(
                    h.start,
                    h.end,
                    "hazard",
                    _printable(h.phrase),
                    _HAZARD_WEIGHT,
                    [f"危害:{h.name}"],
                )
            )
    return kept, dropped, reason


def _hotlines(t: _Text) -> list[LexiconHit]:
    """Hotline numbers (12315 …) standing on their own: not inside a longer run of digits or
    letters, and not right after an identifier word (订单号, 尾号)."""
    s = t.s
    ids = t.of("fb_hotline_not")
    out: list[LexiconHit] = []
    for h in t.of("fb_hotline"):
        before = s[h.start - 1] if h.start > 0 else ""
        after = s[h.end] if h.end < len(s) else ""
        if (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum()):
            continue
        if before in "-_/#." and before:
            continue
        if any(h.start - _HOTLINE_GAP <= i.end <= h.start for i in ids):
            continue
        out.append(h)
    return out


_SIGNAL_LISTS = ("fb_scope_repeated", "fb_misunderstanding", "fb_rhetorical", "fb_communication")


def _problem_signals(
    t: _Text, negs: _NegIndex, q_cover: _Cover, key_issues: Sequence[KeyIssue]
) -> bool:
    """Whether a question carries a problem (没到, 修不了, 每次都, 是不是我不会用, 明天要用 …)
    and so is a complaint told as a question; an explicit enquiry (请问, 想了解) may still
    name a deadline or ask for a request (请问怎么申请退款)."""
    for hs in negs.values():
        if any(not q_cover.touches(h.start, h.end) for h in hs):
            return True
    if t.of(*_SIGNAL_LISTS):
        return True
    if t.of("fb_enquiry_marker"):
        return False
    return bool(t.of("fb_urgent")) or any(k.polarity == "request" for k in key_issues)


# ---------------------------------------------------------------------------------- main
_Taxo = list[tuple[int, int, str, str, str]]  # (start, end, "aspect"|"cue", ref, phrase)


def _prepare(text: str | Analysis, ctx: _Context) -> tuple[_Text, _Taxo]:
    """Working state and taxonomy matches: reuse a shared Analysis, or scan a string once.

    The matcher reports matches by start, longer first at the same start; hits and taxonomy
    matches keep that order (the shared lexicon's), so neither needs sorting."""
    taxo: _Taxo = []
    if isinstance(text, Analysis):
        for st, en, phrase, payloads in ctx.taxonomy.matcher.scan(text.norm.text):
            for kind, ref in payloads:
                taxo.append((st, en, kind, ref, phrase))
        own = {name: list(hs) for name, hs in text.hits.items() if name.startswith("fb_")}
        add_english_hits(text.norm, own)
        return _Text(text.norm, own, text.quoted), taxo
    if not isinstance(text, str):
        raise InputError(f"feedback text must be str or Analysis, got {type(text).__name__}")
    norm = normalize(text)
    hits: dict[str, list[LexiconHit]] = {}
    new_hit = tuple.__new__  # LexiconHit is a NamedTuple: skip its Python-level __new__
    for st, en, phrase, lean in ctx.matcher.scan(norm.text):
        lists, refs = lean[0]  # one payload per phrase (see _lean_matcher)
        for name in lists:
            got = hits.get(name)
            h = new_hit(LexiconHit, (name, phrase, st, en))
            if got is None:
                hits[name] = [h]
            else:
                got.append(h)
        for kind, ref in refs:
            taxo.append((st, en, kind, ref, phrase))
    add_english_hits(norm, hits)
    quoted: list[tuple[int, int]] = []
    if not _QUOTE_CHARS.isdisjoint(norm.text):
        quoted = [(m.start(), m.end()) for m in QUOTE.finditer(norm.text)]
    return _Text(norm, hits, quoted), taxo


def _resolve_channel(channel: Channel | str | None) -> Channel | None:
    if channel is None or isinstance(channel, Channel):
        return channel
    try:
        return Channel(channel)
    except ValueError:
        allowed = ", ".join(c.value for c in Channel)
        raise InputError(
            f"unknown channel (渠道) {channel!r}; expected one of: {allowed}"
        ) from None


@pauses_collector(lambda text, **kw: text_size(text))
def classify_feedback(
    text: str | Analysis,
    *,
    stars: float | None = None,
    channel: Channel | None = None,
    standard: Standard | None = None,
) -> FeedbackAssessment:
    """Classify one feedback text: kind, rating, sentiment, emotion, urgency, severity, scope,
    topics, key issues, priority, hint and root cause, each with its evidence.

    ``text`` may be an :class:`~csstandards.text.Analysis` already built for other checks (it is
    reused, not re-analysed).  ``stars`` (1–5) are reported beside the text's own rating and a
    disagreement is flagged.  Bad input raises :class:`~csstandards.errors.InputError`.
    """
    ctx = _context(standard)
    return _classify(text, stars, _resolve_channel(channel), ctx)


@pauses_collector(lambda text, **kw: text_size(text))
def find_key_issues(
    text: str | Analysis, *, standard: Standard | None = None
) -> tuple[KeyIssue, ...]:
    """The key issues (关键问题) :func:`classify_feedback` reports for ``text``, without the
    rest of the assessment: for callers that only route or match on the points a text makes
    (the reply checker asks this of a review).  About 40 % of the cost of a full
    classification.
    """
    got = _run(text, None, None, _context(standard), issues_only=True)
    assert isinstance(got, tuple)
    return got


def classify_many(
    texts: Iterable[str | Analysis],
    *,
    stars: float | Sequence[float | None] | None = None,
    channel: Channel | None = None,
    standard: Standard | None = None,
) -> list[FeedbackAssessment]:
    """Classify many texts with the settings, lexicon and taxonomy resolved once.

    ``stars`` is either one score for all texts or a sequence aligned with ``texts``.
    """
    ctx = _context(standard)
    chan = _resolve_channel(channel)
    items = list(texts)
    if stars is None or isinstance(stars, (int, float)):
        star_list: list[float | None] = [stars] * len(items)
    else:
        star_list = list(stars)
        if len(star_list) != len(items):
            raise InputError(
                f"stars has {len(star_list)} entries for {len(items)} texts (星级数量与文本数量不符)"
            )
    out: list[FeedbackAssessment] = []
    seen: dict[tuple[str, float | None], FeedbackAssessment] = {}
    for x, st in zip(items, star_list, strict=True):
        if isinstance(x, str):  # identical texts (常见的"好评") are classified once
            key = (x, st)
            got = seen.get(key)
            if got is None:
                got = seen[key] = _classify(x, st, chan, ctx)
            out.append(got)
        else:
            out.append(_classify(x, st, chan, ctx))
    return out


def _classify(
    text: str | Analysis, stars: float | None, channel: Channel | None, ctx: _Context
) -> FeedbackAssessment:
    got = _run(text, stars, channel, ctx, issues_only=False)
    assert isinstance(got, FeedbackAssessment)
    return got


def _run(
    text: str | Analysis,
    stars: float | None,
    channel: Channel | None,
    ctx: _Context,
    *,
    issues_only: bool,
) -> FeedbackAssessment | tuple[KeyIssue, ...]:
    """The classification; with ``issues_only`` it stops once the key issues are known, and
    builds none of the evidence before them (key issues depend on the cues, their negation and
    the aspects, not on the score)."""
    star_rating = Rating.from_stars(stars) if stars is not None else None
    t, taxo = _prepare(text, ctx)
    tax = ctx.taxonomy
    ev: list[Evidence] = []

    # -- taxonomy matches: aspects and group cues ----------------------------------------
    aspects: list[tuple[int, int, str, str]] = []
    raw_cues: list[_Cue] = []
    for ms, me, kind, ref, phrase in taxo:
        if me - ms != len(phrase):
            continue  # see _Text.hits_of
        if kind == "aspect":
            aspects.append((ms, me, ref, phrase))
        else:
            raw_cues.append(_Cue(ms, me, "group", phrase, 0.0, group=ref))
    group_cues = _longest_first(raw_cues)
    blockers = _cover(t, "fb_not_sentiment")
    group_cues = [g for g in group_cues if not blockers.contains(g.start, g.end)]

    # -- sentiment -----------------------------------------------------------------------
    cues = _sentiment_cues(t, tax, [(g.start, g.end, g.group or "", g.phrase) for g in group_cues])
    cues = [c for c in cues if c.source not in ("fb_not_sentiment", "fb_grievance_cancel")]
    negs: _NegIndex = (
        _negators(
            t,
            _Cover(
                [(c.start, c.end) for c in cues if c.weight != 0.0]
                + [(h.start, h.end) for h in t.of(*_DEGREE)],  # 特别 is not 别
            ),
        )
        if t.of("fb_negator")
        else {}
    )
    _apply_modifiers(t, cues, negs)
    cues.extend(_sarcastic_quotes(t, cues, ctx.ironic))
    cues.extend(_negative_facts(t, cues))
    _sarcasm_intensified(t, cues)
    cues.extend(_reservations(t, cues))
    hazards, hazards_dropped, care_reason = _hazards(t, cues, negs)
    if hazards_dropped:
        group_cues = [g for g in group_cues if not care_reason.touches(g.start, g.end)]
        blockers = _Cover(
            [(h.start, h.end) for h in t.of("fb_not_sentiment")]
            + [(g.start, g.end) for g in cues if "求助原因" in g.notes]
        )
    resolved = t.of("fb_resolved")
    if resolved:  # 光猫坏了…师傅就上门换好了: the problem told before the fix weighs less
        last = max(h.start for h in resolved)
        for c in cues:
            if c.weight < 0 and c.end <= last:
                c.weight *= _RESOLVED
                c.notes.append("已解决")
    not_sugg = _cover(t, "fb_not_suggestion")
    suggestion = [
        h
        for h in t.of("fb_suggestion")
        if not not_sugg.contains(h.start, h.end) and _negated(t, h.start, negs) is None
    ]
    if suggestion:  # 建议多开几个窗口,人太多了: the pain point behind a proposal weighs less
        first_in: dict[int, int] = {}
        for h in suggestion:
            si = t.sentence_index(h.start)
            first_in[si] = min(first_in.get(si, h.start), h.start)
        for c in cues:
            if c.weight < 0 and first_in.get(t.sentence_index(c.start), len(t.s)) <= c.start:
                c.weight *= _IN_SUGGESTION
                c.notes.append("建议的理由")
    cues.sort(key=lambda c: c.start)
    pos = sum(c.weight for c in cues if c.weight > 0)
    neg = -sum(c.weight for c in cues if c.weight < 0)
    neutral = sum(1 for c in cues if c.source in _NEUTRAL and not c.notes)
    sentiment = max(-1.0, min(1.0, (pos - neg) / (pos + neg + neutral + 1.0)))
    sentiment = round(sentiment, 4)
    th = ctx.settings.rating_threshold
    # problems told as solved (已解决) do not make a text mixed or a complaint
    open_neg = -sum(c.weight for c in cues if c.weight < 0 and "已解决" not in c.notes)
    mixed = pos > 0 and open_neg > 0 and min(pos, open_neg) / max(pos, open_neg) >= _MIXED_RATIO
    if mixed and abs(sentiment) < _MIXED_MAX:
        rating = Rating.NEUTRAL
    elif sentiment >= th:
        rating = Rating.POSITIVE
    elif sentiment <= -th:
        rating = Rating.NEGATIVE
    else:
        rating = Rating.NEUTRAL
    turn = _contrast_turn(t, cues)
    turn_note = ""
    if turn == "to_negative" and rating is Rating.NEGATIVE and sentiment > _TURN_FLOOR:
        rating = Rating.NEUTRAL  # 东西是好东西,就是价格有点贵: praise conceded, then a problem
        turn_note = "; 先褒后贬(…就是…) → 中评"
    elif turn == "to_positive" and rating is Rating.NEUTRAL and sentiment > 0:
        rating = Rating.POSITIVE  # 虽然排队的人多,但是工作人员很暖心
        turn_note = "; 先贬后褒(…但是…) → 好评"
    counted = [c for c in cues if c.weight != 0.0 or c.source in _NEUTRAL]
    if not issues_only:
        # one evidence for the score: every counted cue, in order, with its final weight and why
        ev.append(
            _evidence(
                field="sentiment",
                value=f"{sentiment}",
                cue=",".join([c.phrase for c in counted]),
                spans=tuple([t.span(c.start, c.end) for c in counted]),
                weight=sentiment,
                source=SOURCE,
                note="; ".join(
                    [
                        f"{c.phrase} {c.weight:+.2f} [{(c.group and 'group.' + c.group) or c.source}]"
                        + (f" ({','.join(c.notes)})" if c.notes else "")
                        for c in counted
                    ]
                )
                or "无评价线索 no opinion cue",
            )
        )
        ev.append(
            _evidence(
                field="rating",
                value=rating.value,
                cue=f"sentiment={sentiment}",
                spans=tuple([t.span(c.start, c.end) for c in cues if c.weight != 0.0]),
                source=SOURCE,
                note=f"pos={pos:.2f} neg={neg:.2f} neutral={neutral}; threshold ±{th}"
                + ("; mixed 褒贬参半 → neutral" if mixed and abs(sentiment) < _MIXED_MAX else "")
                + turn_note,
            )
        )
    flipped = {
        (c.start, c.end)
        for c in cues
        if any(n.startswith(("否定", "反问", "引号")) for n in c.notes)
    }

    # -- key issues ----------------------------------------------------------------------
    neg_cover = _Cover((c.start, c.end) for c in cues if c.weight < 0)
    issues: list[tuple[int, KeyIssue, IssueSeverity | None]] = []
    seen: set[tuple[str, int]] = set()
    explained: list[tuple[int, int]] = []
    clause_groups: dict[int, set[tuple[str, str]]] = {}
    for g in group_cues:
        gid = g.group or ""
        gd = tax.groups[gid]
        negated = _negated(t, g.start, negs)
        if negated is not None or (g.start, g.end) in flipped:
            continue
        if gd.polarity == "positive" and neg_cover.contains(g.start, g.end):
            continue  # a positive point inside irony or a negated phrase is not praise
        ci = t.clause_index(g.start)
        clause_groups.setdefault(ci, set()).add((gd.topic, gd.polarity))
        explained.append((g.start, g.end))
        if (gid, ci) in seen:
            continue
        seen.add((gid, ci))
        issues.append(
            (
                g.start,
                _key_issue(
                    label=gd.label_zh,
                    topic=gd.topic,
                    group=gid,
                    cue=g.phrase,
                    spans=(t.span(g.start, g.end),),
                    polarity=gd.polarity,
                ),
                gd.severity if gd.polarity != "positive" else None,
            )
        )
    explained_cover = _Cover(explained)
    slow_hits = t.of("fb_slow", "fb_duration")
    contrast_cover = _cover(t, "fb_contrast")
    topic_ids: dict[str, int] = {}
    opinion_sentences: set[int] = set()
    by_clause: dict[int, list[_Cue]] = {}
    for c in cues:
        if c.weight != 0.0:
            opinion_sentences.add(t.sentence_index(c.start))
            by_clause.setdefault(t.clause_index(c.start), []).append(c)
    asked = t.questions()
    opinion_sentences.update(asked)  # a question is about what it names (寄到北京要几天?)
    for s0, e0, tid, _ in aspects:
        if t.sentence_index(s0) in opinion_sentences:
            topic_ids.setdefault(tid, s0)  # an aspect discussed with an opinion
        ci = t.clause_index(s0)
        in_clause = by_clause.get(ci)
        if not in_clause:
            continue
        cs, ce = t.clause_bounds(s0)
        td = tax.topics[tid]
        have = clause_groups.get(ci, set())
        c = min(in_clause, key=lambda x: min(abs(x.start - e0), abs(s0 - x.end)))
        if explained_cover.touches(c.start, c.end):
            continue  # the nearest opinion is an explicit key issue already
        lo, hi = min(s0, c.start), max(e0, c.end)
        if contrast_cover.touches(lo, hi):
            continue  # 东西不错就是物流慢: the opinion belongs to the other side of 就是
        if c.weight < 0 and (tid, "negative") not in have:
            slow = any(cs <= h.start < ce for h in slow_hits)
            comp: str | None = (td.slow_group if slow else None) or td.issue_group
            pol: Polarity = "negative"
        elif c.weight > 0 and (tid, "positive") not in have:
            comp = td.praise_group
            pol = "positive"
        else:
            continue
        if comp is None:
            continue
        gid = comp
        issues.append(
            (
                lo,
                _key_issue(
                    label=tax.groups[gid].label_zh,
                    topic=tid,
                    group=gid,
                    cue=_printable(t.s[lo:hi]),
                    spans=(t.span(s0, e0), t.span(c.start, c.end)),
                    polarity=pol,
                ),
                tax.groups[gid].severity if pol == "negative" else None,
            )
        )
        have.add((tid, pol))
        clause_groups[ci] = have
    have_groups = {k.group for _, k, _ in issues}
    for hz in hazards:  # each hazard is a key issue of its class's group (one per group)
        hgd = tax.groups.get(hz.cls.group)
        if hgd is None or hz.cls.group in have_groups:
            continue
        have_groups.add(hz.cls.group)
        issues.append(
            (
                hz.start,
                _key_issue(
                    label=hgd.label_zh,
                    topic=hgd.topic,
                    group=hz.cls.group,
                    cue=_printable(hz.phrase),
                    spans=tuple(t.span(a, b) for a, b in hz.spans),
                    polarity="negative",
                ),
                hz.cls.severity,
            )
        )
    issues.sort(key=lambda x: x[0])
    key_issues = tuple([k for _, k, _ in issues])
    if issues_only:
        return key_issues
    negative_issues = [(k, sev) for _, k, sev in issues if k.polarity == "negative"]
    ev.append(
        _evidence(
            field="key_issues",
            value=",".join([k.group for k in key_issues]),
            cue=",".join([k.cue for k in key_issues]),
            spans=tuple([sp for k in key_issues for sp in k.spans]),
            source=f"{SOURCE}:taxonomy",
            note="; ".join(f"{k.label} ({k.polarity})" for k in key_issues)
            or "未发现具体问题 none found",
        )
    )

    # -- topics --------------------------------------------------------------------------
    for k in key_issues:
        pos_k = k.spans[0].start if k.spans else 0
        if k.topic not in topic_ids or topic_ids[k.topic] > pos_k:
            topic_ids[k.topic] = pos_k
    for hz in hazards:
        if hz.cls.topic is not None and hz.cls.topic in tax.topics:
            topic_ids.setdefault(hz.cls.topic, hz.start)
    ordered = sorted(topic_ids, key=lambda x: topic_ids[x])
    if rating is not Rating.POSITIVE:
        # a text that complains is about its problems: the topics of its problems and
        # requests (and hazards), not of the praise it concedes or of aspects named in passing
        focus = {k.topic for k in key_issues if k.polarity != "positive"}
        focus.update(hz.cls.topic for hz in hazards if hz.cls.topic is not None)
        if focus:
            ordered = [x for x in ordered if x in focus]
    else:
        focus = {k.topic for k in key_issues if k.polarity == "positive"}
        if focus:
            ordered = [x for x in ordered if x in focus]
    if not ordered and any(c.weight != 0.0 for c in cues) and _DEFAULT_TOPIC in tax.topics:
        ordered = [_DEFAULT_TOPIC]  # an opinion with no named aspect is about the product itself
    if not ordered and "other" in tax.topics:
        ordered = ["other"]
    topics = tuple(tax.topic(x) for x in ordered)
    topic_spans: list[Span] = []
    topic_cues: list[str] = []
    for tp in topics:
        src = next((k for k in key_issues if k.topic == tp.id), None)
        if src is not None:
            topic_cues.append(src.cue)
            topic_spans.extend(src.spans[:1])
        else:
            asp = next((a for a in aspects if a[2] == tp.id), None)
            if asp is not None:
                topic_cues.append(asp[3])
                topic_spans.append(t.span(asp[0], asp[1]))
    ev.append(
        _evidence(
            field="topics",
            value=",".join([tp.id for tp in topics]),
            cue=",".join(topic_cues),
            spans=tuple(topic_spans),
            source=f"{SOURCE}:taxonomy",
            note=",".join([tp.label_zh for tp in topics]),
        )
    )

    # -- kind ----------------------------------------------------------------------------
    blocked_kind = _cover(t, "fb_grievance_cancel")
    grievance = [h for h in t.of("fb_grievance") if not blocked_kind.contains(h.start, h.end)]
    grievance = [h for h in grievance if _negated(t, h.start, negs) is None]
    not_sugg = _cover(t, "fb_not_suggestion")
    suggestion = [h for h in t.of("fb_suggestion") if not not_sugg.contains(h.start, h.end)]
    suggestion = [h for h in suggestion if _negated(t, h.start, negs) is None]
    sev_cues = [
        (h, _SEVERITY_CUES[h.list_name])
        for h in t.of(*_SEVERITY_CUES)
        if _negated(t, h.start, negs) is None and not blockers.contains(h.start, h.end)
    ]
    negativity = neg > 0 or bool(negative_issues)
    serious = any(
        s is not None and s.rank >= IssueSeverity.HIGH.rank for _, s in negative_issues
    ) or (any(lvl.rank >= IssueSeverity.HIGH.rank for _, lvl in sev_cues) and negativity)
    grievance = sorted(grievance + _hotlines(t), key=lambda h: h.start)
    # questions: 请问/能不能/吗 … or a sentence ending in "?"; negative cues that are only the
    # question's own words (能不能, 为什么) are not a problem
    q_hits = [h for h in t.of("fb_question") if not blockers.contains(h.start, h.end)]
    q_cover = _Cover((h.start, h.end) for h in q_hits) if q_hits else _EMPTY
    asks = bool(q_hits) or bool(asked)
    problem_neg = (
        sum(-c.weight for c in cues if c.weight < 0 and not q_cover.touches(c.start, c.end))
        if asks
        else neg
    )
    problems = [k for k, _ in negative_issues if k.polarity == "negative"]
    polite_only = pos > 0 and all(c.source in _POLITE for c in cues if c.weight > 0)
    signals = asks and _problem_signals(t, negs, q_cover, key_issues)
    kind_ev: list[tuple[str, tuple[Span, ...], str]]
    kind_conf: float
    if grievance:
        kind = FeedbackKind.GRIEVANCE
        kind_ev = [(h.phrase, (t.span(h.start, h.end),), "投诉/升级用语") for h in grievance[:3]]
        kind_conf = 0.9
    elif suggestion and (
        suggestion[0].start < t.clause_ends[0]
        or (not serious and not hazards and rating is not Rating.NEGATIVE)
    ):  # a text that opens with 建议/希望 is a suggestion even when it names a pain point
        kind = FeedbackKind.SUGGESTION
        kind_ev = [(h.phrase, (t.span(h.start, h.end),), "建议用语") for h in suggestion[:3]]
        kind_conf = 0.75
    elif hazards:
        kind = FeedbackKind.COMPLAINT
        h0 = hazards[0]
        kind_ev = [(_printable(h0.phrase), tuple(t.span(x, y) for x, y in h0.spans), "危害 hazard")]
        kind_conf = 0.9
    elif asks and problem_neg == 0 and not problems and (pos == 0 or polite_only) and not signals:
        kind = FeedbackKind.ENQUIRY
        q0 = q_hits[0] if q_hits else None
        kind_ev = [
            (
                q0.phrase if q0 else "?",
                (t.span(q0.start, q0.end),) if q0 else (),
                "询问,无问题或评价 a plain question",
            )
        ]
        kind_conf = 0.8 if q_hits and asked else 0.65
    elif rating is Rating.NEGATIVE or (
        rating is Rating.NEUTRAL and (open_neg > 0 or (negative_issues and not resolved))
    ):
        kind = FeedbackKind.COMPLAINT
        kind_ev = [(f"rating={rating.value}", (), "差评或带问题的中评")]
        kind_conf = min(0.95, 0.55 + 0.1 * open_neg)
    elif rating is Rating.POSITIVE or pos > 0:
        kind = FeedbackKind.PRAISE
        kind_ev = [(f"rating={rating.value}", (), "正面评价")]
        kind_conf = 0.4 if polite_only else min(0.95, 0.5 + 0.1 * pos)
    elif key_issues and any(k.polarity == "request" for k in key_issues):
        kind = FeedbackKind.COMPLAINT
        kind_ev = [("request", (), "提出诉求")]
        kind_conf = 0.6
    elif t.of("fb_scope_repeated") and not asks:
        kind = FeedbackKind.COMPLAINT  # 又…, 第二次了, 还是一样: a recurring problem
        r0 = t.of("fb_scope_repeated")[0]
        kind_ev = [(r0.phrase, (t.span(r0.start, r0.end),), "反复出现 a recurring problem")]
        kind_conf = 0.5
    elif asks and signals:
        kind = FeedbackKind.COMPLAINT
        kind_ev = [("?", (), "带问题线索的询问 a question that carries a problem")]
        kind_conf = 0.5
    elif asks:
        kind = FeedbackKind.ENQUIRY
        kind_ev = [("?", (), "询问 question")]
        kind_conf = 0.6
    else:
        kind = FeedbackKind.UNKNOWN
        kind_ev = [("", (), "无任何类别证据 no evidence for a kind: 人工判断")]
        kind_conf = 0.2
    if kind is FeedbackKind.ENQUIRY and rating is not Rating.NEUTRAL:
        rating = Rating.NEUTRAL  # 请问…吗?谢谢: a question's politeness is no opinion
        ev.append(
            _evidence(
                field="rating",
                value=rating.value,
                cue=f"kind={kind.value}",
                source=SOURCE,
                note="咨询无评价 an enquiry has no opinion",
            )
        )
    for cue, spans, note in kind_ev:
        ev.append(
            _evidence(
                field="kind", value=kind.value, cue=cue, spans=spans, source=SOURCE, note=note
            )
        )

    # -- emotion -------------------------------------------------------------------------
    not_emo = _cover(t, "fb_not_emotion")
    emo_score = 0.0
    emo_hits = [
        h
        for h in t.of(*_EMOTION_WEIGHTS)
        if not not_emo.contains(h.start, h.end) and _negated(t, h.start, negs) is None
    ]
    emo_score = sum(_EMOTION_WEIGHTS[h.list_name] for h in emo_hits)
    emo_feats: list[tuple[str, float, tuple[Span, ...], str]] = [
        (h.phrase, _EMOTION_WEIGHTS[h.list_name], (t.span(h.start, h.end),), h.list_name[3:])
        for h in emo_hits
    ]
    if negativity or emo_hits:
        feats: list[tuple[str, float, tuple[Span, ...], str]] = []
        if rating is Rating.NEGATIVE and neg >= 1.0:
            feats.append(
                ("差评", 1.0, (), "负面评价本身带有不满 a negative text is at least annoyed")
            )
        elif negativity:
            feats.append(("中评带问题", 0.5, (), "mixed text with a problem"))
        bangs = list(_REPEAT_BANG.finditer(t.s))
        for b in bangs[:2]:
            feats.append((b.group(), 1.0, (t.span(b.start(), b.end()),), "重复感叹号"))
        if not bangs and "!" in t.s:
            i = t.s.index("!")
            feats.append(("!", 0.5, (t.span(i, i + 1),), "感叹号"))
        for q in list(_REPEAT_Q.finditer(t.s))[:1]:
            feats.append((q.group(), 1.0, (t.span(q.start(), q.end()),), "重复问号"))
        for h in t.of("fb_rhetorical", "fb_sarcasm")[:2]:
            feats.append((h.phrase, 1.0, (t.span(h.start, h.end),), "反问/反讽"))
        for limit in (3.0, 5.0):
            if neg >= limit:
                feats.append((f"neg={neg:.2f}", 1.0, (), f"负面强度 ≥ {limit}"))
        if grievance:
            g0 = grievance[0]
            feats.append((g0.phrase, 1.0, (t.span(g0.start, g0.end),), "投诉升级"))
        emo_score += sum(f[1] for f in feats)
        emo_feats += feats
    emotion = next((lvl for lim, lvl in _EMOTION_LEVELS if emo_score >= lim), EmotionLevel.CALM)
    swearing = any(h.list_name == "fb_emotion_furious" for h in emo_hits)
    if emotion is EmotionLevel.FURIOUS and not swearing and emo_score < _FURIOUS_WITHOUT_INSULT:
        emotion = EmotionLevel.ANGRY  # 暴怒 needs insults or swearing, or a pile of other cues
    ev.append(
        _evidence(
            field="emotion",
            value=emotion.value,
            cue="+".join(f"{f[0]}({f[1]:g})" for f in emo_feats) or f"score={emo_score:g}",
            spans=tuple([sp for f in emo_feats for sp in f[2]]),
            weight=emo_score,
            source=SOURCE,
            note=f"score {emo_score:g}: calm <1 ≤ annoyed <2.5 ≤ angry <6 ≤ furious; "
            + "; ".join(f[3] for f in emo_feats),
        )
    )

    # -- severity ------------------------------------------------------------------------
    severity = IssueSeverity.LOW
    sev_notes: list[Evidence] = []

    def _raise_sev(level: IssueSeverity, cue: str, spans: tuple[Span, ...], note: str) -> None:
        nonlocal severity
        if sev_notes and level.rank <= severity.rank:
            return
        severity = level
        sev_notes.append(
            _evidence(
                field="severity", value=level.value, cue=cue, spans=spans, source=SOURCE, note=note
            )
        )

    if kind in (FeedbackKind.COMPLAINT, FeedbackKind.GRIEVANCE):
        base = (
            IssueSeverity.MEDIUM if rating is Rating.NEGATIVE and neg >= 1.0 else IssueSeverity.LOW
        )
        _raise_sev(base, f"neg={neg:.2f}", (), "抱怨的基本严重程度")
    if kind is FeedbackKind.GRIEVANCE:
        _raise_sev(
            IssueSeverity.HIGH,
            grievance[0].phrase,
            (t.span(grievance[0].start, grievance[0].end),),
            "正式投诉",
        )
    # praise (the problem was solved or is minor) keeps only critical matters
    floor = IssueSeverity.CRITICAL if kind is FeedbackKind.PRAISE else IssueSeverity.LOW
    for k, sev in negative_issues:
        if sev is not None and sev.rank >= floor.rank:
            _raise_sev(sev, k.cue, k.spans, f"问题组 {k.group}")
    if negativity:
        for h, lvl in sev_cues:
            if lvl.rank >= floor.rank:
                _raise_sev(lvl, h.phrase, (t.span(h.start, h.end),), h.list_name)
    for hz in hazards:  # hazards decide severity, not tone
        lvl = hz.cls.severity
        if hz.victim and lvl.rank < IssueSeverity.CRITICAL.rank:
            lvl = IssueSeverity.CRITICAL
        _raise_sev(
            lvl,
            _printable(hz.phrase),
            tuple(t.span(x, y) for x, y in hz.spans),
            f"危害 {hz.cls.label_zh} ({hz.name})" + (f"; 受害者 {hz.victim}" if hz.victim else ""),
        )
    if not sev_notes:
        sev_notes.append(
            _evidence(
                field="severity",
                value="low",
                cue="",
                source=SOURCE,
                note="无问题 no problem raised",
            )
        )
    ev.extend(sev_notes)

    # -- urgency -------------------------------------------------------------------------
    calm_cues = t.of("fb_not_urgent")
    calm_spans = _Cover((h.start, h.end) for h in calm_cues)
    urgent = [
        h
        for h in t.of("fb_urgent")
        if not calm_spans.contains(h.start, h.end) and _negated(t, h.start, negs) is None
    ]
    if kind is FeedbackKind.ENQUIRY:  # a question is urgent only by a deadline (明天要用)
        victims = _cover(t, "fb_hz_minor", "fb_hz_elderly", "fb_hz_pet")
        urgent = [h for h in urgent if not victims.touches(h.start, h.end)]
    if urgent and (
        kind is FeedbackKind.ENQUIRY
        or (negativity and kind in (FeedbackKind.COMPLAINT, FeedbackKind.GRIEVANCE))
    ):
        urgency = Urgency.HIGH
        ev.append(
            _evidence(
                field="urgency",
                value="high",
                cue=",".join([h.phrase for h in urgent[:3]]),
                spans=tuple(t.span(h.start, h.end) for h in urgent[:3]),
                source=f"{SOURCE}:fb_urgent",
            )
        )
    elif calm_cues:
        urgency = Urgency.LOW
        ev.append(
            _evidence(
                field="urgency",
                value="low",
                cue=calm_cues[0].phrase,
                spans=(t.span(calm_cues[0].start, calm_cues[0].end),),
                source=f"{SOURCE}:fb_not_urgent",
            )
        )
    elif kind in (FeedbackKind.PRAISE, FeedbackKind.SUGGESTION, FeedbackKind.ENQUIRY):
        urgency = Urgency.LOW
        ev.append(
            _evidence(
                field="urgency",
                value="low",
                cue=kind.value,
                source=SOURCE,
                note="表扬/建议/咨询无时限",
            )
        )
    else:
        urgency = Urgency.NORMAL
        ev.append(
            _evidence(
                field="urgency", value="normal", cue=kind.value, source=SOURCE, note="无时限线索"
            )
        )
    if (
        channel is not None
        and channel in ctx.settings.public_channels
        and urgency is Urgency.NORMAL
        and kind in (FeedbackKind.COMPLAINT, FeedbackKind.GRIEVANCE)
    ):
        urgency = Urgency.HIGH
        ev.append(
            _evidence(
                field="urgency",
                value="high",
                cue=channel.value,
                source=SOURCE,
                note="公开渠道的抱怨 public channel",
            )
        )

    if hazards:
        hot = next((hz for hz in hazards if hz.ongoing or hz.victim), None)
        if hot is None:
            hot = next((hz for hz in hazards if hz.cls.urgency is Urgency.HIGH), None)
        want = Urgency.HIGH if hot is not None else Urgency.NORMAL
        if want.rank > urgency.rank:
            urgency = want
            hsrc = hot if hot is not None else hazards[0]
            why = (
                f"仍在发生 ongoing: {hsrc.ongoing}"
                if hsrc.ongoing
                else f"受害者 victim: {hsrc.victim}"
                if hsrc.victim
                else f"危害 {hsrc.cls.label_zh}"
            )
            ev.append(
                _evidence(
                    field="urgency",
                    value=urgency.value,
                    cue=_printable(hsrc.phrase),
                    spans=tuple(t.span(x, y) for x, y in hsrc.spans),
                    source=f"{SOURCE}:hazard",
                    note=why,
                )
            )

    # -- scope ---------------------------------------------------------------------------
    scope = Scope.INDIVIDUAL
    scope_ev: list[Evidence] = []
    if negativity:
        for name, level in (
            ("fb_scope_widespread", Scope.WIDESPREAD),
            ("fb_scope_repeated", Scope.REPEATED),
        ):
            found = [h for h in t.of(name) if _negated(t, h.start, negs) is None]
            if found:
                if level.rank > scope.rank:
                    scope = level
                scope_ev.append(
                    _evidence(
                        field="scope",
                        value=level.value,
                        cue=",".join([h.phrase for h in found[:3]]),
                        spans=tuple(t.span(h.start, h.end) for h in found[:3]),
                        source=f"{SOURCE}:{name}",
                    )
                )
    if not scope_ev:
        scope_ev.append(
            _evidence(
                field="scope", value="individual", cue="", source=SOURCE, note="无反复或普遍线索"
            )
        )
    ev.extend(scope_ev)

    # -- priority ------------------------------------------------------------------------
    base_p = ctx.matrix[severity][urgency]
    steps = ctx.scope_raise.get(scope, 0)
    priority = _PRIORITY_BY_RANK[max(1, base_p.rank - steps)]
    ev.append(
        _evidence(
            field="priority",
            value=priority.value,
            cue=f"{severity.value}×{urgency.value}×{scope.value}",
            source=f"{SOURCE}:priority-matrix",
            note=f"matrix[{severity.value}][{urgency.value}]={base_p.value}, scope +{steps}",
        )
    )

    # -- hint and root cause -------------------------------------------------------------
    mis = [h for h in t.of("fb_misunderstanding")]
    no_case = kind in _NO_CASE_KINDS and not hazards
    if mis and not no_case:
        hint = Hint.MISUNDERSTANDING
        ev.append(
            _evidence(
                field="hint",
                value=hint.value,
                cue=mis[0].phrase,
                spans=(t.span(mis[0].start, mis[0].end),),
                source=f"{SOURCE}:fb_misunderstanding",
            )
        )
    elif not no_case:
        hint = Hint.ACTIONABLE
        ev.append(
            _evidence(
                field="hint",
                value=hint.value,
                cue=kind.value,
                source=SOURCE,
                note="具体问题或建议 concrete point",
            )
        )
    else:
        hint = Hint.NO_ACTION
        ev.append(_evidence(field="hint", value=hint.value, cue=kind.value, source=SOURCE))
    root: RootCause | None = None
    if hint is Hint.MISUNDERSTANDING:
        root = RootCause.COMMUNICATION
        ev.append(
            _evidence(
                field="root_cause",
                value=root.value,
                cue=mis[0].phrase,
                source=SOURCE,
                note="误解→沟通",
            )
        )
    elif no_case:
        ev.append(
            _evidence(
                field="root_cause", value="", cue="", source=SOURCE, note=f"{kind.label_zh} 无问题"
            )
        )
    elif comm := t.of("fb_communication"):
        root = RootCause.COMMUNICATION
        ev.append(
            _evidence(
                field="root_cause",
                value=root.value,
                cue=comm[0].phrase,
                spans=(t.span(comm[0].start, comm[0].end),),
                source=f"{SOURCE}:fb_communication",
                note="未告知/说明不清 → 沟通",
            )
        )
    elif negative_issues:
        ranked = sorted(negative_issues, key=lambda x: -(x[1].rank if x[1] is not None else 0))
        k0 = ranked[0][0]
        root = tax.topics[k0.topic].root_cause
        ev.append(
            _evidence(
                field="root_cause",
                value=root.value,
                cue=k0.cue,
                spans=k0.spans,
                source=SOURCE,
                note=f"问题组 {k0.group} → 主题 {k0.topic}",
            )
        )
    elif topics and topics[0].id != "other":
        root = tax.topics[topics[0].id].root_cause
        ev.append(
            _evidence(
                field="root_cause",
                value=root.value,
                cue=topics[0].id,
                source=SOURCE,
                note="首个主题",
            )
        )
    else:
        ev.append(
            _evidence(field="root_cause", value="", cue="", source=SOURCE, note="无问题 none")
        )

    # -- stars ---------------------------------------------------------------------------
    disagree = False
    if star_rating is not None:
        disagree = (
            star_rating is Rating.POSITIVE
            and (
                rating is Rating.NEGATIVE
                or kind in (FeedbackKind.COMPLAINT, FeedbackKind.GRIEVANCE)
            )
        ) or (
            star_rating is Rating.NEGATIVE
            and rating is Rating.POSITIVE
            and kind is FeedbackKind.PRAISE
        )
        ev.append(
            _evidence(
                field="stars",
                value=star_rating.value,
                cue=f"{stars:g}★",
                source=SOURCE,
                note=f"text rating {rating.value}; disagree={disagree}",
            )
        )
        ev.append(
            _evidence(
                field="stars_disagree",
                value=str(disagree).lower(),
                cue=f"{stars:g}★ vs {rating.value}/{kind.value}",
                source=SOURCE,
            )
        )
    if channel is not None:
        ev.append(
            _evidence(field="channel", value=channel.value, cue=channel.label_zh, source=SOURCE)
        )

    # -- confidence and language ---------------------------------------------------------
    language = "en" if _ASCII_LETTER.search(t.norm.text) and is_english(t.norm.original) else "zh"
    if not counted:
        rating_conf = 0.3
    elif mixed and abs(sentiment) < _MIXED_MAX:
        rating_conf = 0.5
    else:
        rating_conf = min(0.95, 0.5 + 0.4 * abs(sentiment) + 0.05 * len(counted))
    if hazards:
        sev_conf = 0.9
    elif kind is FeedbackKind.GRIEVANCE:
        sev_conf = 0.8
    elif kind is FeedbackKind.UNKNOWN:
        sev_conf = 0.3
    elif severity is IssueSeverity.LOW and kind in _NO_CASE_KINDS:
        sev_conf = 0.8
    else:
        sev_conf = 0.6
    if language == "en":
        kind_conf = min(kind_conf, _EN_CONFIDENCE if kind is not FeedbackKind.UNKNOWN else 0.1)
        rating_conf = min(rating_conf, _EN_CONFIDENCE)
        sev_conf = min(sev_conf, _EN_CONFIDENCE)
    ev.append(
        _evidence(
            field="kind_confidence",
            value=f"{kind_conf:.2f}",
            cue=kind.value,
            source=SOURCE,
            note=f"language={language}",
        )
    )
    for note in hazards_dropped:
        ev.append(
            _evidence(field="hazards", value="", cue="", source=f"{SOURCE}:hazard", note=note)
        )
    hazard_objs = tuple(
        _hazard(
            name=h.name,
            label_zh=h.cls.label_zh,
            label_en=h.cls.label_en,
            cue=_printable(h.phrase),
            spans=tuple(t.span(x, y) for x, y in h.spans),
            victim=h.victim,
            ongoing=h.ongoing,
        )
        for h in hazards
    )

    return FeedbackAssessment(
        kind=kind,
        rating=rating,
        sentiment=sentiment,
        stars=float(stars) if stars is not None else None,
        star_rating=star_rating,
        stars_disagree=disagree,
        emotion=emotion,
        urgency=urgency,
        severity=severity,
        scope=scope,
        topics=topics,
        key_issues=key_issues,
        priority=priority,
        hint=hint,
        root_cause=root,
        channel=channel,
        hazards=hazard_objs,
        kind_confidence=round(kind_conf, 3),
        rating_confidence=round(rating_conf, 3),
        severity_confidence=round(sev_conf, 3),
        language=language,
        evidence=tuple(ev),
    )
