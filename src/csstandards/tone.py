"""Check a reply against the review-reply and consultation standards (回复检查).

``check_reply`` tells an agent before sending, and an analyst after the fact, whether a reply
meets standard 000 (replying to reviews), the communication parts of 001 and 003, and the
brand's voice.  The report scores the three qualities of 000 §1.3 separately — speed 速度,
warmth 温度, depth 深度 — and overall, and every point lost is a finding with its evidence::

    >>> from csstandards.tone import check_reply
    >>> rep = check_reply("物流属于第三方,我们无法控制。", review="物流太慢了", stars=1)
    >>> [f.rule_id for f in rep.findings][:1]
    ['reply.blame-shifting']

The text of reply and review is analysed once (:func:`csstandards.text.analyze`) and shared by
all rules; nothing is segmented unless a rule or the feedback classifier asks for it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any, Literal

from pydantic import Field

from ._collector import pauses_collector, text_size
from .errors import ConfigError, CSStandardsError, InputError, NaiveDatetimeError
from .judge.acts import default_model
from .lexicon import Lexicon, phrase_lists
from .models import (
    Finding,
    FrozenModel,
    Rating,
    Severity,
    Span,
    SuppressedFinding,
    trusted_builder,
)
from .rules import get_registry
from .rules.context import ReplyContext
from .rules.reply_common import (
    blamed_sentences,
    find_placeholder_ranges,
    rating_of,
    review_issues,
)
from .standard import Standard, Suppression
from .text.analysis import Analysis, analyze
from .text.normalize import normalize

__all__ = [
    "DIMENSIONS",
    "Deduction",
    "DimensionScore",
    "ReplyReport",
    "SpeechAct",
    "check_replies",
    "check_reply",
    "find_placeholders",
    "rule_dimension",
    "rule_dimensions",
    "speech_acts",
]

Lang = Literal["zh", "en"]
Dimension = Literal["speed", "warmth", "depth"]

#: The three qualities of 000 §1.3 with their Chinese names.
DIMENSIONS: dict[str, tuple[str, str]] = {
    "speed": ("速度", "speed"),
    "warmth": ("温度", "warmth"),
    "depth": ("深度", "depth"),
}

_RULE_DIMENSION: dict[str, Dimension] = {
    "reply.late-reply": "speed",
    "reply.missing-delay-notice": "speed",
    "reply.generic-template": "warmth",
    "reply.blame-shifting": "warmth",
    "reply.defensive": "warmth",
    "reply.dismissive": "warmth",
    "reply.interrogative": "warmth",
    "reply.over-promise": "warmth",
    "reply.missing-empathy": "warmth",
    "reply.wrong-order": "warmth",
    "reply.missing-invitation": "warmth",
    "reply.missing-thanks": "warmth",
    "reply.brand-voice": "warmth",
}


#: rules that count against more than one sub-score: blame-shifting is both 对立化 (warmth)
#: and a non-answer (depth) — which is also why adding it can never raise a score even when
#: its sentence names the review's point.
_EXTRA_DIMENSIONS: dict[str, tuple[Dimension, ...]] = {"reply.blame-shifting": ("depth",)}


def rule_dimension(rule_id: str) -> Dimension:
    """Which sub-score a rule's findings count against first (depth unless listed otherwise)."""
    return _RULE_DIMENSION.get(rule_id, "depth")


def rule_dimensions(rule_id: str) -> tuple[Dimension, ...]:
    """Every sub-score a rule's findings count against."""
    return (rule_dimension(rule_id), *_EXTRA_DIMENSIONS.get(rule_id, ()))


class Deduction(FrozenModel):
    """Points a rule took from a sub-score."""

    rule_id: str
    code: str
    severity: Severity
    points: int


class DimensionScore(FrozenModel):
    """One sub-score (速度/温度/深度): 0–100, explained by the deductions of its findings.

    ``measured`` is False when the input cannot tell (speed without timestamps); the score is
    then 100 and does not count in the overall score.
    """

    name: str
    label_zh: str
    score: int = Field(ge=0, le=100)
    measured: bool = True
    deductions: tuple[Deduction, ...] = ()


class ReplyReport(FrozenModel):
    """The verdict on one reply: scores, findings with evidence, pass/fail.  Lossless JSON."""

    reply: str
    score: int = Field(ge=0, le=100)
    passed: bool
    min_score: int
    speed: DimensionScore
    warmth: DimensionScore
    depth: DimensionScore
    findings: tuple[Finding, ...] = ()
    rating: Rating | None = None
    rating_source: Literal["rating", "stars", "classifier"] | None = None
    brand_voice: str | None = None
    key_issues: tuple[str, ...] = ()
    #: findings left out of the score by a suppression, each with its reason and setting
    suppressed: tuple[SuppressedFinding, ...] = ()
    #: the version of the speech-act model the rules consulted (None: rules alone)
    speech_act_model: str | None = None

    def _repr_html_(self) -> str:
        """Jupyter: the verdict, the reply with the findings' spans marked, the findings."""
        from .report.render import reply_report_html

        return reply_report_html(self)

    @property
    def dimensions(self) -> tuple[DimensionScore, DimensionScore, DimensionScore]:
        return (self.speed, self.warmth, self.depth)

    def by_rule(self, name: str) -> list[Finding]:
        """Findings of one rule (id, code or short name)."""
        return [
            f for f in self.findings if name in (f.rule_id, f.code, f.rule_id.split(".", 1)[-1])
        ]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.rule_id for f in self.findings))

    def explain(self, lang: Lang = "zh") -> str:
        """A readable account of the score and every finding with its evidence."""
        zh = lang == "zh"
        verdict = (
            ("通过" if self.passed else "未通过") if zh else ("pass" if self.passed else "fail")
        )
        lines = [
            f"{'总分' if zh else 'Score'} {self.score}/100 ({verdict}, "
            f"{'及格线' if zh else 'pass mark'} {self.min_score})"
        ]
        parts = []
        for d in self.dimensions:
            label = d.label_zh if zh else d.name
            value = str(d.score) if d.measured else ("未测" if zh else "not measured")
            parts.append(f"{label} {value}")
        lines.append(" · ".join(parts))
        if self.rating is not None:
            lines.append(f"{'评价类型' if zh else 'Rating'}: {self.rating.label(lang)}")
        if not self.findings:
            lines.append("没有发现问题。" if zh else "No findings.")
        for f in self.findings:
            dim = DIMENSIONS[rule_dimension(f.rule_id)][0 if zh else 1]
            head = f"- [{f.code} {f.severity.label(lang)} · {dim}] {f.message(lang)}"
            evidence = [f"“{s.of(self.reply)}”" for s in f.spans if 0 < len(s) <= 40]
            if evidence:
                head += (" 依据: " if zh else " evidence: ") + ", ".join(evidence)
            lines.append(head)
            sug = f.suggestion(lang)
            if sug:
                lines.append(("  建议: " if zh else "  suggestion: ") + sug)
            if f.clause:
                lines.append(("  条款: " if zh else "  clause: ") + f.clause)
        for sf in self.suppressed:
            f = sf.finding
            lines.append(
                f"- ({'已豁免' if zh else 'suppressed'}) [{f.code}] {f.message(lang)}"
                f" — {'理由' if zh else 'reason'}: {sf.reason} ({sf.setting})"
            )
        return "\n".join(lines)


def find_placeholders(text: str) -> tuple[Span, ...]:
    """Spans (of ``text``) of template placeholders: ``{name}``, ``{{order_id}}``, ``${eta}``,
    ``【客户名】``, ``%(name)s``.  Rules never flag inside them."""
    if not isinstance(text, str):
        raise InputError(f"text must be str, got {type(text).__name__}")
    nt = normalize(text)
    return tuple(nt.span(s, e) for s, e in find_placeholder_ranges(nt.text))


# -- input handling ------------------------------------------------------------------------


def _aware(name: str, value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        from dateutil.parser import isoparse

        try:
            value = isoparse(value)
        except (ValueError, OverflowError):
            raise InputError(
                f"{name} must be a datetime or an ISO 8601 string with offset, got {value!r}"
            ) from None
    if not isinstance(value, datetime):
        raise InputError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(name, value)
    return value


_RATING_ZH = {"好评": "positive", "中评": "neutral", "差评": "negative"}


def _rating(rating: Any, stars: Any) -> tuple[Rating | None, str | None]:
    if rating is not None:
        if isinstance(rating, Rating):
            return rating, "rating"
        label = str(rating).strip().lower()
        label = _RATING_ZH.get(label, label)
        try:
            return Rating(label), "rating"
        except ValueError:
            raise InputError(
                f"rating must be one of {[r.value for r in Rating]} (好评/中评/差评), got {rating!r}"
            ) from None
    if stars is not None:
        if isinstance(stars, str):
            try:
                stars = float(stars.strip())
            except ValueError:
                raise InputError(f"stars must be a number from 1 to 5, got {stars!r}") from None
        return Rating.from_stars(stars), "stars"
    return None, None


def _standard(standard: Any) -> Standard:
    if standard is None:
        return Standard.default()
    if not isinstance(standard, Standard):
        raise InputError(f"standard must be a csstandards Standard, got {type(standard).__name__}")
    return standard


def _reply_lexicon(standard: Standard) -> Lexicon:
    """The phrase lists the reply rules use (``lexicon/reply*.toml`` plus the standard's
    additions): matching only these keeps a check cheaper than segmenting the text."""
    full = standard.lexicon()
    names = {n for n, pl in phrase_lists().items() if pl.source.startswith("lexicon/reply")}
    names |= set(standard.phrases)
    return Lexicon({n: ps for n, ps in full.lists.items() if n in names})


class _Shared:
    """Work shared by the checks of one call or batch: rules, lexicon, severity overrides."""

    def __init__(self, standard: Standard) -> None:
        self.standard = standard
        reg = get_registry()
        self.rules = [r for r in reg.all("reply") if standard.rule_enabled(r.id, r.code)]
        self.lexicon = _reply_lexicon(standard)
        self.review_lexicon = standard.lexicon()
        s = standard.reply
        self.penalty = {sev: int(s.penalty.get(sev, 0)) for sev in Severity}
        self.weights = dict(s.weights)
        severity = {
            r.id: sev
            for r in self.rules
            if (sev := standard.severity_for(r.id, r.default_severity, r.code))
            is not r.default_severity
            or any(k in standard.rules.severity for k in (r.id, r.code, r.short_name))
        }
        #: what the check loop needs of each rule, read once: its function, the rule, and
        #: the standard's severity for it (None: keep the severity the rule gives)
        self.plan = [(r.check, r, severity.get(r.id)) for r in self.rules]
        #: rule id → the standard's suppression of it (reason, setting)
        self.suppress = _resolve_suppressions(
            standard.suppress, f"Standard({standard.name}).suppress", ConfigError
        )
        self.act_model = None if s.speech_acts == "off" else default_model().version

    def voice(self, brand_voice: str | None) -> str | None:
        voice = brand_voice if brand_voice is not None else self.standard.brand_voice
        if voice is not None:
            from .rules.reply_voice import canonical_voice, voice_profiles

            known = voice_profiles(self.standard)
            voice = canonical_voice(voice, known) if isinstance(voice, str) else voice
            if not isinstance(voice, str) or voice not in known:
                raise ConfigError(
                    f"Standard({self.standard.name})",
                    "brand_voice",
                    f"unknown brand voice (品牌调性) {voice!r}; known: {sorted(known)}",
                )
        return voice


def _resolve_suppressions(
    given: Mapping[str, Any], where: str, error: type[CSStandardsError]
) -> dict[str, Suppression]:
    """Rule id → :class:`Suppression` for ``{rule name: reason or Suppression}``."""
    if not given:
        return {}
    if not isinstance(given, Mapping):
        raise InputError(f"suppress must be a mapping rule → reason, got {type(given).__name__}")
    names = get_registry().names
    out: dict[str, Suppression] = {}
    for name, value in given.items():
        rid = names.get(name) if isinstance(name, str) else None
        if rid is None:
            msg = f"unknown rule {name!r} (规则不存在)"
            if error is ConfigError:
                raise ConfigError(where, str(name), msg)
            raise InputError(f"{where}: {msg}")
        if isinstance(value, Suppression):
            sup = value
        elif isinstance(value, str) and value.strip():
            sup = Suppression(reason=value, setting=f"{where}[{name!r}]")
        else:
            msg = f"a suppression needs a reason (豁免理由) as non-empty text, got {value!r}"
            if error is ConfigError:
                raise ConfigError(where, str(name), msg)
            raise InputError(f"{where}[{name!r}]: {msg}")
        if sup.setting in ("", "Standard.suppress"):
            sup = sup.model_copy(update={"setting": f"{where}[{name!r}]"})
        out[rid] = sup
    return out


def _apply_suppressions(
    findings: list[Finding], suppress: Mapping[str, Suppression]
) -> tuple[list[Finding], tuple[SuppressedFinding, ...]]:
    kept: list[Finding] = []
    dropped: list[SuppressedFinding] = []
    for f in findings:
        sup = suppress.get(f.rule_id)
        if sup is None:
            kept.append(f)
        else:
            dropped.append(SuppressedFinding(finding=f, reason=sup.reason, setting=sup.setting))
    return kept, tuple(dropped)


_shared_lock = threading.Lock()
_shared_cache: dict[int, tuple[Standard, _Shared]] = {}


def _shared_for(standard: Standard) -> _Shared:
    """One :class:`_Shared` per standard object (kept alive with it, so ids stay unique)."""
    hit = _shared_cache.get(id(standard))
    if hit is not None and hit[0] is standard:
        return hit[1]
    shared = _Shared(standard)
    with _shared_lock:
        if len(_shared_cache) > 32:
            _shared_cache.clear()
        _shared_cache[id(standard)] = (standard, shared)
    return shared


def _check(
    shared: _Shared,
    voice: str | None,
    reviews: dict[str, Analysis] | None,
    reply: Any,
    review: Any,
    rating: Any,
    stars: Any,
    reviewed_at: Any,
    replied_at: Any,
    urgent: bool = False,
    assessment: Any = None,
    suppress: Mapping[str, Suppression] | None = None,
) -> ReplyReport:
    if not isinstance(reply, str):
        raise InputError(f"reply must be str, got {type(reply).__name__}")
    rat, source = _rating(rating, stars)
    t0 = _aware("reviewed_at", reviewed_at)
    t1 = _aware("replied_at", replied_at)
    precomputed = None  # the caller's classification of the review text: reused, not redone
    if assessment is not None:
        if not hasattr(assessment, "key_issues"):
            raise InputError(
                "assessment must be the feedback classifier's FeedbackAssessment of the review,"
                " got " + type(assessment).__name__
            )
        if review is None:
            review = assessment
        else:
            precomputed = assessment
        assessment = None
    review_a: Analysis | None = None
    if isinstance(review, str):
        review_a = _review_analysis(shared, reviews, review)
    elif isinstance(review, Analysis):
        review_a = review
    elif review is not None:
        text = getattr(review, "text", None)
        if not hasattr(review, "key_issues"):
            raise InputError(
                "review must be text or a FeedbackAssessment (评价), got " + type(review).__name__
            )
        assessment = review
        if isinstance(text, str):
            review_a = _review_analysis(shared, reviews, text)
    reply_a = analyze(reply, shared.lexicon)
    ctx = ReplyContext(
        reply=reply_a,
        review=review_a,
        rating=rat,
        standard=shared.standard,
        assessment=assessment,
        reviewed_at=t0,
        replied_at=t1,
        placeholders=find_placeholder_ranges(reply_a.text),
        brand_voice=voice,
        urgent=urgent,
    )
    if precomputed is not None and review_a is not None:
        ctx.memo["assessment"] = precomputed  # what rules.reply_common.assessment() computes
    if rat is None:
        rat = rating_of(ctx)
        if rat is not None:
            source = "classifier"
    findings: list[Finding] = []
    for check, r, sev in shared.plan:
        if sev is None:
            findings.extend(check(ctx, r))
        else:
            findings.extend(f.model_copy(update={"severity": sev}) for f in check(ctx, r))
    suppressed: tuple[SuppressedFinding, ...] = ()
    active = {**shared.suppress, **suppress} if suppress else shared.suppress
    if active and findings:
        findings, suppressed = _apply_suppressions(findings, active)
    return _report(shared, reply, ctx, findings, rat, source, suppressed)


def _review_analysis(shared: _Shared, reviews: dict[str, Analysis] | None, text: str) -> Analysis:
    """The review's analysis, shared within a batch (the same review, many replies)."""
    if reviews is None:
        return analyze(text, shared.review_lexicon)
    a = reviews.get(text)
    if a is None:
        if len(reviews) > 4096:
            reviews.clear()
        a = analyze(text, shared.review_lexicon)
        reviews[text] = a
    return a


# Frozen parts of a report recur across checks (an unmeasured speed, a missing-empathy
# deduction …): build each distinct one once.
_PART_CACHE_LIMIT = 4096
_deductions: dict[tuple[str, str, Severity, int], Deduction] = {}
_dimensions: dict[tuple[str, int, bool, tuple[Deduction, ...]], DimensionScore] = {}


def _deduction(rule_id: str, code: str, severity: Severity, points: int) -> Deduction:
    key = (rule_id, code, severity, points)
    d = _deductions.get(key)
    if d is None:
        if len(_deductions) > _PART_CACHE_LIMIT:
            _deductions.clear()
        d = Deduction.model_construct(rule_id=rule_id, code=code, severity=severity, points=points)
        _deductions[key] = d
    return d


def _dimension(
    name: str, zh: str, score: int, measured: bool, ded: tuple[Deduction, ...]
) -> DimensionScore:
    key = (name, score, measured, ded)
    d = _dimensions.get(key)
    if d is None:
        if len(_dimensions) > _PART_CACHE_LIMIT:
            _dimensions.clear()
        d = DimensionScore.model_construct(
            name=name, label_zh=zh, score=score, measured=measured, deductions=ded
        )
        _dimensions[key] = d
    return d


_build_report = trusted_builder(ReplyReport)
_SEVERITY_RANK = {sev: sev.rank for sev in Severity}
_by_code = attrgetter("code")


def _report(
    shared: _Shared,
    reply: str,
    ctx: ReplyContext,
    findings: list[Finding],
    rating: Rating | None,
    source: Any,
    suppressed: tuple[SuppressedFinding, ...] = (),
) -> ReplyReport:
    rank = _SEVERITY_RANK
    worst: dict[str, Finding] = {}
    for f in findings:
        cur = worst.get(f.rule_id)
        if cur is None or rank[f.severity] > rank[cur.severity]:
            worst[f.rule_id] = f
    deductions: dict[str, list[Deduction]] = {"speed": [], "warmth": [], "depth": []}
    for f in worst.values():
        points = shared.penalty[f.severity]
        if f.rule_id == "reply.blame-shifting":
            # every excuse costs: one penalty per sentence that shifts blame
            points *= max(1, len(blamed_sentences(ctx)))
        for dim in rule_dimensions(f.rule_id):
            deductions[dim].append(_deduction(f.rule_id, f.code, f.severity, points))
    speed_measured = ctx.reviewed_at is not None and ctx.replied_at is not None
    dims: dict[str, DimensionScore] = {}
    for name, (zh, _en) in DIMENSIONS.items():
        ds = deductions[name]
        if len(ds) > 1:
            ds.sort(key=_by_code)  # stable, as sorted() was
        lost_here = 0
        for x in ds:
            lost_here += x.points
        measured = speed_measured if name == "speed" else True
        dims[name] = _dimension(name, zh, max(0, 100 - lost_here), measured, tuple(ds))
    # the overall score is 100 minus the weighted mean of the points lost in each measured
    # dimension (not of the floored sub-scores), so every extra finding costs overall even when
    # its dimension is already at 0
    total_w = 0.0
    lost = 0.0
    for name, d in dims.items():
        if d.measured:
            w = shared.weights[name]
            total_w += w
            lost += w * sum(x.points for x in d.deductions)
    score = max(0, round(100 - lost / total_w)) if total_w > 0 else 100
    min_score = shared.standard.reply.min_score
    passed = score >= min_score and not any(f.severity is Severity.ERROR for f in findings)
    ordered = (
        sorted(findings, key=lambda f: (-rank[f.severity], f.code))
        if len(findings) > 1
        else findings
    )
    issues = tuple(dict.fromkeys(i.cue for i in review_issues(ctx)))
    # every part was built and validated above: construct without re-validating
    return _build_report(
        reply=reply,
        score=score,
        passed=passed,
        min_score=min_score,
        speed=dims["speed"],
        warmth=dims["warmth"],
        depth=dims["depth"],
        findings=tuple(ordered),
        rating=rating,
        rating_source=source,
        brand_voice=ctx.brand_voice,
        key_issues=issues,
        suppressed=suppressed,
        speech_act_model=shared.act_model,
    )


@pauses_collector(lambda reply, **kw: text_size(reply, kw.get("review")))
def check_reply(
    reply: str,
    *,
    review: Any = None,
    rating: Rating | str | None = None,
    stars: float | None = None,
    reviewed_at: datetime | None = None,
    replied_at: datetime | None = None,
    standard: Standard | None = None,
    brand_voice: str | None = None,
    urgent: bool = False,
    assessment: Any = None,
    suppress: Mapping[str, str | Suppression] | None = None,
) -> ReplyReport:
    """Check one reply (回复) to a review (评价) or customer message.

    ``review`` is the review text or the feedback classifier's assessment of it.  When the
    caller has already classified the review text, ``assessment`` passes that
    :class:`~csstandards.feedback.FeedbackAssessment` so it is reused, not recomputed.  The
    rating comes from ``rating``, else ``stars`` (1–5), else the classifier (when installed).
    ``reviewed_at``/``replied_at`` (timezone-aware) enable the speed rules (000 §2.1).
    ``brand_voice`` (``"warm"``, ``"professional"``, ``"lively"`` or a profile of
    ``standard.reply.voices``) overrides ``standard.brand_voice``.

    ``suppress`` (运行时豁免) maps rules (id, code or short name) to the reason they are
    switched off for this call, e.g. ``{"R116": "improvements go in the weekly digest"}``; it
    adds to ``standard.suppress``.  A suppressed finding does not count in the score; it is
    recorded in :attr:`ReplyReport.suppressed` with its reason and setting.

    Raises :class:`~csstandards.errors.InputError` for bad arguments (an unknown rule or a
    suppression without a reason) and :class:`~csstandards.errors.ConfigError` for an unknown
    brand voice.
    """
    shared = _shared_for(_standard(standard))
    voice = shared.voice(brand_voice)
    extra = _resolve_suppressions(suppress or {}, "check_reply(suppress=…)", InputError)
    return _check(
        shared,
        voice,
        None,
        reply,
        review,
        rating,
        stars,
        reviewed_at,
        replied_at,
        urgent,
        assessment,
        extra,
    )


_PAIR_KEYS = frozenset(
    {"reply", "review", "rating", "stars", "reviewed_at", "replied_at", "urgent", "assessment"}
)


def check_replies(
    pairs: Iterable[Any],
    *,
    standard: Standard | None = None,
    brand_voice: str | None = None,
    suppress: Mapping[str, str | Suppression] | None = None,
) -> list[ReplyReport]:
    """Check many replies, sharing the rule set, lexicon and review analyses.

    Each item is a reply string, a ``(reply, review)`` pair, or a mapping with ``reply`` and
    optionally ``review``, ``rating``, ``stars``, ``reviewed_at``, ``replied_at``, ``urgent``
    and ``assessment`` (as for :func:`check_reply`); ``suppress`` applies to every item.
    """
    shared = _shared_for(_standard(standard))
    voice = shared.voice(brand_voice)
    extra = _resolve_suppressions(suppress or {}, "check_replies(suppress=…)", InputError)
    reviews: dict[str, Analysis] = {}
    out: list[ReplyReport] = []
    for i, item in enumerate(pairs):
        if isinstance(item, str):
            out.append(
                _check(shared, voice, reviews, item, None, None, None, None, None, suppress=extra)
            )
        elif isinstance(item, Mapping):
            unknown = set(item) - _PAIR_KEYS
            if unknown or "reply" not in item:
                raise InputError(
                    f"item {i}: needs 'reply' and only {sorted(_PAIR_KEYS)}; got {sorted(item)}"
                )
            out.append(
                _check(
                    shared,
                    voice,
                    reviews,
                    item["reply"],
                    item.get("review"),
                    item.get("rating"),
                    item.get("stars"),
                    item.get("reviewed_at"),
                    item.get("replied_at"),
                    bool(item.get("urgent", False)),
                    item.get("assessment"),
                    extra,
                )
            )
        elif isinstance(item, Sequence) and len(item) == 2:
            out.append(
                _check(
                    shared, voice, reviews, item[0], item[1], None, None, None, None, suppress=extra
                )
            )
        else:
            raise InputError(
                f"item {i}: expected a reply, a (reply, review) pair or a mapping, "
                f"got {type(item).__name__}"
            )
    return out


class SpeechAct(FrozenModel):
    """A speech act (言语行为) the learned model reads in one sentence of a reply."""

    act: str
    span: Span
    probability: float
    ngrams: tuple[str, ...]  # the n-grams that weighed most for it
    model: str  # the model's version


def speech_acts(reply: str, *, standard: Standard | None = None) -> tuple[SpeechAct, ...]:
    """What the speech-act model reads in each sentence of ``reply`` (道歉, 共情, 推卸责任 …),
    in sentence order: the signal the rules consult beside their cue lists, with the n-grams
    behind each act (quotations and placeholders blanked out, as for the rules).  Empty when
    the standard turns the model off (``reply.speech_acts = "off"``)."""
    if not isinstance(reply, str):
        raise InputError(f"reply must be str, got {type(reply).__name__}")
    from .rules.reply_acts import act_sentences, model_of

    std = _standard(None if standard is None else standard)
    a = analyze(reply, _shared_for(std).lexicon)
    ctx = ReplyContext(reply=a, standard=std, placeholders=find_placeholder_ranges(a.text))
    model = model_of(ctx)
    if model is None:
        return ()
    found = [
        (s.start, model.acts.index(act), s) for act in model.acts for s in act_sentences(ctx, act)
    ]
    found.sort(key=lambda t: (t[0], t[1]))
    return tuple(
        SpeechAct(
            act=s.score.act,
            span=a.span(s.start, s.end),
            probability=s.score.probability,
            ngrams=tuple(g for g, _ in s.score.top),
            model=model.version,
        )
        for _, _, s in found
    )
