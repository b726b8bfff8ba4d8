"""Testing helpers for reply templates (话术模板测试): assertions, sample filling, caret reports.

Use them in a team's own test-suite::

    from csstandards.testing import assert_reply_ok, assert_reply_flags

    def test_logistics_apology():
        assert_reply_ok(
            "非常抱歉让您久等了,这是我们的疏漏,包裹预计{eta}送达。",
            review="等了一周还没到",
            rating="negative",
        )

    def test_our_own_rule_fires():
        assert_reply_flags("物流属于第三方,我们无法控制。", "reply.blame-shifting")

A failing assertion prints every finding with the offending text underlined by carets (``^``,
two columns per East Asian wide character), the clause of the standard and the suggestion.

Checking goes through :func:`csstandards.tone.check_reply` when the tone engine is installed;
otherwise the registered ``reply`` rules run directly (same findings, no score).
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .models import Finding, Rating, Severity, Span
from .standard import Standard

__all__ = [
    "CheckResult",
    "Placeholder",
    "ReplyChecker",
    "Substitution",
    "assert_reply_flags",
    "assert_reply_ok",
    "check_template",
    "coerce_rating",
    "coerce_severity",
    "find_template_placeholders",
    "format_findings",
    "render_underline",
    "substitute",
    "text_width",
]

# -- placeholders ---------------------------------------------------------------------------

# {{order_id}} before {name}; ${eta}; 【客户名】.  Used only when the tone engine does not provide
# ``find_placeholders``.
_PLACEHOLDER = re.compile(
    r"\{\{\s*[^{}\n]+?\s*\}\}|\$\{[^{}\n]+\}|\{[^{}\s][^{}\n]*\}|【[^【】\n]+】|\[\[[^\[\]\n]+\]\]"
)
_NAME = re.compile(r"^(?:\{\{|\$\{|\{|【|\[\[)\s*(.*?)\s*(?:\}\}|\}|】|\]\])$", re.S)


@dataclass(frozen=True)
class Placeholder:
    """One placeholder in a template: its span in the template and its bare name."""

    span: Span
    raw: str
    name: str


def _tone_attr(name: str) -> Any:
    """``csstandards.tone.<name>`` if the tone engine is installed, else ``None``."""
    if importlib.util.find_spec(f"{__package__}.tone") is None:
        return None
    mod = importlib.import_module(f"{__package__}.tone")
    return getattr(mod, name, None)


def find_template_placeholders(text: str) -> tuple[Placeholder, ...]:
    """The placeholders of ``text`` (``{name}``, ``{{order_id}}``, ``${eta}``, ``【客户名】``).

    Uses the tone engine's ``find_placeholders`` when available so that templates and replies
    agree on what a placeholder is.
    """
    finder = _tone_attr("find_placeholders")
    spans: list[Span]
    if finder is not None:
        spans = [s if isinstance(s, Span) else Span(start=s[0], end=s[1]) for s in finder(text)]
    else:
        spans = [Span(start=m.start(), end=m.end()) for m in _PLACEHOLDER.finditer(text)]
    out = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        raw = s.of(text)
        m = _NAME.match(raw)
        out.append(Placeholder(span=s, raw=raw, name=m.group(1) if m else raw))
    return tuple(out)


@dataclass(frozen=True)
class Substitution:
    """A template with sample values filled in, and the map back to the template.

    ``origin[i]`` is the template span that character ``i`` of ``text`` came from (a single
    character, or the whole placeholder for characters of a sample value).
    """

    template: str
    text: str
    origin: tuple[tuple[int, int], ...]
    filled: tuple[str, ...] = ()
    unfilled: tuple[str, ...] = ()

    def to_template(self, span: Span) -> Span:
        """Map a span of the filled text back to the template text."""
        if not self.origin:
            return Span(start=0, end=0)
        n = len(self.origin)
        if span.end <= span.start:
            pos = self.origin[span.start][0] if span.start < n else len(self.template)
            return Span(start=pos, end=pos)
        first = self.origin[min(span.start, n - 1)]
        last = self.origin[min(span.end, n) - 1]
        return Span(start=first[0], end=max(first[1], last[1]))


def substitute(text: str, samples: Mapping[str, str] | None = None) -> Substitution:
    """Fill the placeholders of ``text`` that have a sample value; leave the others in place."""
    samples = dict(samples or {})
    pieces: list[str] = []
    origin: list[tuple[int, int]] = []
    filled: list[str] = []
    unfilled: list[str] = []
    pos = 0
    for ph in find_template_placeholders(text):
        if ph.span.start < pos:
            continue
        for i in range(pos, ph.span.start):
            origin.append((i, i + 1))
        pieces.append(text[pos : ph.span.start])
        value = samples.get(ph.name, samples.get(ph.raw))
        if value is None:
            unfilled.append(ph.name)
            pieces.append(ph.raw)
            origin.extend((i, i + 1) for i in range(ph.span.start, ph.span.end))
        else:
            if not isinstance(value, str):
                raise InputError(f"sample value for placeholder {ph.name!r} must be a string")
            filled.append(ph.name)
            pieces.append(value)
            origin.extend((ph.span.start, ph.span.end) for _ in value)
        pos = ph.span.end
    pieces.append(text[pos:])
    origin.extend((i, i + 1) for i in range(pos, len(text)))
    return Substitution(
        template=text,
        text="".join(pieces),
        origin=tuple(origin),
        filled=tuple(filled),
        unfilled=tuple(unfilled),
    )


# -- coercion -------------------------------------------------------------------------------

_RATING_WORDS = {"好评": Rating.POSITIVE, "中评": Rating.NEUTRAL, "差评": Rating.NEGATIVE}
_SEVERITY_WORDS = {"提示": Severity.INFO, "警告": Severity.WARNING, "错误": Severity.ERROR}


def coerce_rating(value: Any) -> Rating | None:
    """Accept a :class:`Rating`, its value (``"negative"``), 好评/中评/差评 or 1–5 stars."""
    if value is None or isinstance(value, Rating):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Rating.from_stars(value)
    if isinstance(value, str):
        v = value.strip().lower()
        if v in _RATING_WORDS:
            return _RATING_WORDS[v]
        try:
            return Rating(v)
        except ValueError:
            pass
    raise InputError(
        f"rating must be positive/neutral/negative (好评/中评/差评) or 1–5 stars, got {value!r}"
    )


def coerce_severity(value: Any) -> Severity:
    """Accept a :class:`Severity`, ``"info"/"warning"/"error"`` or 提示/警告/错误."""
    if isinstance(value, Severity):
        return value
    if isinstance(value, str):
        v = value.strip().lower()
        if v in _SEVERITY_WORDS:
            return _SEVERITY_WORDS[v]
        try:
            return Severity(v)
        except ValueError:
            pass
    raise InputError(f"severity must be info, warning or error (提示/警告/错误), got {value!r}")


# -- checking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """Findings for a template (spans point into ``text``, the template as written).

    ``checked`` is the text the rules saw (sample values filled in); ``score`` the tone
    engine's overall score (``None`` when the tone engine is not installed); ``report`` its
    full report.
    """

    text: str
    checked: str
    findings: tuple[Finding, ...]
    score: float | None = None
    report: Any = None
    substitution: Substitution | None = field(default=None, repr=False)

    def failing(
        self, fail_on: Severity = Severity.INFO, allow: Iterable[str] = ()
    ) -> list[Finding]:
        """Findings at or above ``fail_on`` whose rule is not in ``allow`` (id, code or name)."""
        allowed = set(allow)
        return [
            f
            for f in self.findings
            if f.severity.at_least(fail_on) and not _rule_names(f) & allowed
        ]


def _rule_names(f: Finding) -> set[str]:
    return {f.rule_id, f.code, f.rule_id.split(".", 1)[-1]}


def _score_of(report: Any) -> float | None:
    score = getattr(report, "score", None)
    if score is None:
        return None
    if isinstance(score, (int, float)) and not isinstance(score, bool):
        return float(score)
    for attr in ("overall", "total", "value"):
        v = getattr(score, attr, None)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return None


def _run_registry(
    text: str, review: str | None, rating: Rating | None, standard: Standard
) -> list[Finding]:
    """Fallback engine: every registered ``reply`` rule, placeholders protected."""
    from .rules import get_registry
    from .rules.base import RuleExample
    from .rules.context import make_reply_context

    reg = get_registry()
    ex = RuleExample(text=text, expect="good", review=review, rating=rating)
    ctx = make_reply_context(ex, standard)
    norm = ctx.reply.norm
    ranges: list[tuple[int, int]] = []
    phs = find_template_placeholders(text)
    if phs:
        starts = [norm.orig_start(i) for i in range(len(norm.text))]
        for ph in phs:
            idx = [i for i, o in enumerate(starts) if ph.span.start <= o < ph.span.end]
            if idx:
                ranges.append((idx[0], idx[-1] + 1))
    if ranges:
        ctx = dataclasses.replace(ctx, placeholders=tuple(ranges))
    found: list[Finding] = []
    for r in reg.all("reply"):
        found.extend(r.run(ctx, standard))
    return found


def check_template(
    text: str,
    *,
    review: str | None = None,
    rating: Rating | str | int | None = None,
    samples: Mapping[str, str] | None = None,
    standard: Standard | None = None,
    brand_voice: str | None = None,
) -> CheckResult:
    """Check a reply or template, optionally with sample values for its placeholders.

    Placeholders without a sample stay in the text (the rules skip them; a time placeholder
    such as ``{eta}`` counts as a concrete time).  Findings are mapped back onto the template.
    """
    if not isinstance(text, str):
        raise InputError(f"template text must be str, got {type(text).__name__}")
    std = standard if standard is not None else Standard.default()
    rate = coerce_rating(rating)
    sub = substitute(text, samples)
    engine: Callable[..., Any] | None = _tone_attr("check_reply")
    report: Any = None
    if engine is not None:
        kwargs: dict[str, Any] = {"review": review, "rating": rate, "standard": std}
        if brand_voice is not None:
            kwargs["brand_voice"] = brand_voice
        report = engine(sub.text, **kwargs)
        raw = list(report.findings)
    else:
        if brand_voice is not None and brand_voice != std.brand_voice:
            std = std.model_copy(update={"brand_voice": brand_voice})
        raw = _run_registry(sub.text, review, rate, std)
    findings = tuple(
        f.model_copy(update={"spans": tuple(sub.to_template(s) for s in f.spans)})
        if sub.filled
        else f
        for f in raw
    )
    return CheckResult(
        text=text,
        checked=sub.text,
        findings=findings,
        score=_score_of(report),
        report=report,
        substitution=sub,
    )


# -- rendering ------------------------------------------------------------------------------


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(s: str) -> int:
    """Display width in terminal columns (East Asian wide/full-width characters count 2)."""
    return sum(_char_width(c) for c in s)


def render_underline(text: str, spans: Sequence[Span], *, prefix: str = "  ") -> list[str]:
    """Lines showing each line of ``text`` touched by ``spans`` with carets under the spans."""
    lines = text.split("\n")
    starts = []
    pos = 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    marks: dict[int, set[int]] = {}
    for sp in spans:
        if sp.end <= sp.start:
            for i, st in enumerate(starts):
                if st <= sp.start <= st + len(lines[i]):
                    marks.setdefault(i, set()).add(sp.start - st)
                    break
            continue
        for i, st in enumerate(starts):
            lo, hi = max(sp.start, st), min(sp.end, st + len(lines[i]))
            if lo < hi:
                marks.setdefault(i, set()).update(range(lo - st, hi - st))
    out: list[str] = []
    gutter = len(str(len(lines)))
    for i in sorted(marks):
        shown = lines[i].replace("\t", " ").rstrip("\r")
        carets = []
        for j, ch in enumerate(shown):
            w = max(_char_width(ch), 1)
            carets.append(("^" if j in marks[i] else " ") * w)
        if any(j >= len(shown) for j in marks[i]):
            carets.append("^")
        out.append(f"{prefix}{i + 1:>{gutter}} | {shown}")
        out.append(f"{prefix}{' ' * gutter} | {''.join(carets).rstrip()}")
    return out


def format_findings(text: str, findings: Sequence[Finding], *, lang: str = "both") -> str:
    """Human report of ``findings`` in ``text``: rule, message, carets, clause, suggestion."""
    blocks: list[str] = []
    for f in findings:
        head = f"{f.code} {f.rule_id} [{f.severity.value} {f.severity.label_zh}]"
        if f.clause:
            head += f" 依据 clause {f.clause}"
        lines = [head]
        if lang in ("zh", "both"):
            lines.append(f"  {f.message_zh}")
        if lang in ("en", "both") and f.message_en:
            lines.append(f"  {f.message_en}")
        if f.spans:
            lines.extend(render_underline(text, f.spans, prefix="  "))
        elif f.cue:
            lines.append(f"  (cue: {f.cue})")
        if f.suggestion_zh and lang in ("zh", "both"):
            lines.append(f"  建议: {f.suggestion_zh}")
        if f.suggestion_en and lang in ("en", "both"):
            lines.append(f"  suggestion: {f.suggestion_en}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# -- assertions -----------------------------------------------------------------------------


def assert_reply_ok(
    text: str,
    *,
    review: str | None = None,
    rating: Rating | str | int | None = None,
    min_score: float | None = None,
    allow: Iterable[str] = (),
    standard: Standard | None = None,
    samples: Mapping[str, str] | None = None,
    brand_voice: str | None = None,
    fail_on: Severity | str = Severity.INFO,
) -> CheckResult:
    """Assert that a reply (or template) meets the standard; return the result if it does.

    Fails with an :class:`AssertionError` listing every finding at or above ``fail_on`` whose
    rule is not in ``allow`` (rule ids, codes or short names), each with the offending text
    underlined, the clause and the suggestion; also fails when ``min_score`` is given and the
    tone engine's score is below it.
    """
    __tracebackhide__ = True  # pytest shows the finding, not this helper's source
    allow = tuple(allow)
    _check_rule_names(allow)
    res = check_template(
        text,
        review=review,
        rating=rating,
        samples=samples,
        standard=standard,
        brand_voice=brand_voice,
    )
    bad = res.failing(coerce_severity(fail_on), allow)
    low_score = False
    if min_score is not None:
        if res.score is None:
            raise InputError("min_score needs the tone engine (csstandards.tone) for a score")
        low_score = res.score < min_score
    if bad or low_score:
        parts = [
            f"reply does not meet the standard (回复不符合规范): {len(bad)} finding(s)"
            + (f", score {res.score:g} < min_score {min_score:g}" if low_score else "")
        ]
        parts.append(_indent(text))
        if bad:
            parts.append(format_findings(text, bad))
        raise AssertionError("\n\n".join(parts))
    return res


def assert_reply_flags(
    text: str,
    rule_id: str,
    *,
    review: str | None = None,
    rating: Rating | str | int | None = None,
    standard: Standard | None = None,
    samples: Mapping[str, str] | None = None,
    on: str | None = None,
    count: int | None = None,
) -> list[Finding]:
    """Assert that rule ``rule_id`` (id, code or short name) flags ``text``; return its findings.

    ``on`` requires a finding whose span covers exactly that text; ``count`` the number of
    findings.  The failure message shows what was found instead.
    """
    __tracebackhide__ = True
    from .rules import get_registry

    rule = get_registry().get(rule_id)
    res = check_template(text, review=review, rating=rating, samples=samples, standard=standard)
    mine = [f for f in res.findings if f.rule_id == rule.id]
    problem = ""
    if not mine:
        problem = f"rule {rule.id} ({rule.code}) did not flag the reply (规则未触发)"
    elif on is not None and not any(s.of(text) == on for f in mine for s in f.spans):
        got = ", ".join(repr(s.of(text)) for f in mine for s in f.spans) or "no spans"
        problem = f"rule {rule.id} flagged {got}, not {on!r}"
    elif count is not None and len(mine) != count:
        problem = f"rule {rule.id} flagged {len(mine)} time(s), expected {count}"
    if problem:
        others = format_findings(text, res.findings) if res.findings else "(no findings)"
        raise AssertionError(f"{problem}\n\n{_indent(text)}\n\nfindings:\n{others}")
    return mine


def _indent(text: str) -> str:
    return "\n".join(f"    {ln}" for ln in text.split("\n"))


def _check_rule_names(names: Iterable[str]) -> None:
    names = list(names)
    if not names:
        return
    from .rules import get_registry

    reg = get_registry()
    for n in names:
        reg.get(n)  # raises RuleNotFound with a hint


class ReplyChecker:
    """A checker bound to one project configuration (what the ``reply_checker`` fixture gives).

    ``standard`` and ``fail_on``/``min_score`` usually come from ``[tool.csstandards]``.
    """

    def __init__(
        self,
        standard: Standard | None = None,
        *,
        fail_on: Severity | str = Severity.WARNING,
        min_score: float | None = None,
    ) -> None:
        self.standard = standard if standard is not None else Standard.default()
        self.fail_on = coerce_severity(fail_on)
        self.min_score = min_score

    def check(self, text: str, **kwargs: Any) -> CheckResult:
        """:func:`check_template` with this checker's standard."""
        kwargs.setdefault("standard", self.standard)
        return check_template(text, **kwargs)

    def assert_ok(self, text: str, **kwargs: Any) -> CheckResult:
        """:func:`assert_reply_ok` with this checker's standard, failing severity and score."""
        __tracebackhide__ = True
        kwargs.setdefault("standard", self.standard)
        kwargs.setdefault("fail_on", self.fail_on)
        kwargs.setdefault("min_score", self.min_score)
        return assert_reply_ok(text, **kwargs)

    def assert_flags(self, text: str, rule_id: str, **kwargs: Any) -> list[Finding]:
        """:func:`assert_reply_flags` with this checker's standard."""
        __tracebackhide__ = True
        kwargs.setdefault("standard", self.standard)
        return assert_reply_flags(text, rule_id, **kwargs)

    def __repr__(self) -> str:
        return (
            f"ReplyChecker(standard={self.standard.name!r}, fail_on={self.fail_on.value!r}, "
            f"min_score={self.min_score!r})"
        )
