"""The scope of a cue: where a cue found in a reply is not the reply's own act.

One helper for every rule that reads a cue (docs/text-and-rules.md, "Cue scope"):

* ``negation`` — a negator (list ``negators``) ends just before the cue in its clause: within
  3 characters for a word (这不是快递的问题), right before it for a single character
  (并不是您操作不当 → 不 + 是您操作);
* ``quotation`` — the cue lies inside quotation marks (您说“物流属于第三方”让您很失望);
* ``placeholder`` — the cue lies inside a template placeholder (ranges given by the caller);
* ``question`` — the cue's sentence is a question: it ends in ``?`` or in a word of
  ``question_final`` (是快递的问题吗);
* ``conditional`` — a word of ``conditional_markers`` (如果, 万一 …) opens the cue's clause
  before it: 如果是快递的问题,我们来赔.

The words of each scope are data (``lexicon/reply.toml``), defined once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from .._intervals import RangeIndex
from ..errors import LexiconError
from ..text.analysis import Analysis

__all__ = ["NEGATION_WINDOW", "SCOPES", "Scope", "negated", "scope_of"]

Scope = Literal["negation", "quotation", "placeholder", "question", "conditional"]
SCOPES: tuple[Scope, ...] = ("negation", "quotation", "placeholder", "question", "conditional")

NEGATION_WINDOW = 3  # characters between a negator and the cue it negates
_TRAILING = frozenset("。!.~…) \n\"'")


def negated(a: Analysis, start: int, window: int = NEGATION_WINDOW) -> bool:
    """Whether a negator ends right before ``start`` in its clause: a word within
    ``window`` characters, a single character (不, 非, 没) touching it (the 不 of
    不好意思 does not negate the 不能退款 that follows)."""
    if not a.hits.get("negators"):
        return False
    c = a.clause_at(start)
    cs = c.start if c is not None else 0
    lo = max(cs, start - window)
    for h in a.hits_in(["negators"], max(cs, lo - 8), start):
        if h.end > start or h.end < lo:
            continue
        if len(h.phrase) > 1 or h.end == start:
            return True
    return False


def _is_question(a: Analysis, start: int) -> bool:
    s = a.sentence_at(start)
    if s is None:
        return False
    if a.text[s.end : s.end + 1] == "?":
        return True
    body = s.text.rstrip("".join(_TRAILING))
    if body.endswith("?"):
        return True
    finals = a.hits.get("question_final")
    if not finals:
        return False
    end = s.start + len(body)
    return any(h.end == end and h.start >= start for h in finals)


def _conditional(a: Analysis, start: int) -> bool:
    markers = a.hits.get("conditional_markers")
    if not markers:
        return False
    c = a.clause_at(start)
    cs = c.start if c is not None else 0
    return any(cs <= h.start and h.end <= start for h in markers)


_Test = Callable[[Analysis, int, int, RangeIndex], bool]
_TESTS: dict[str, _Test] = {
    "quotation": lambda a, s, e, _p: a.in_quote(s, e),
    "placeholder": lambda _a, s, e, p: bool(p) and p.contains(s, e),
    "negation": lambda a, s, _e, _p: negated(a, s),
    "question": lambda a, s, _e, _p: _is_question(a, s),
    "conditional": lambda a, s, _e, _p: _conditional(a, s),
}


def scope_of(
    a: Analysis,
    start: int,
    end: int,
    scopes: Iterable[str],
    *,
    placeholders: Sequence[tuple[int, int]] | RangeIndex = (),
) -> Scope | None:
    """The first of ``scopes`` that normalised ``[start, end)`` of ``a`` lies in, or None when
    the cue is the text's own act.  ``placeholders``: the text's placeholder ranges — pass a
    :class:`~csstandards._intervals.RangeIndex` built once when testing many cues (a bisect
    per cue instead of a scan of every range)."""
    index = placeholders if isinstance(placeholders, RangeIndex) else RangeIndex(placeholders)
    for sc in scopes:
        test = _TESTS.get(sc)
        if test is None:
            raise LexiconError("<scope>", sc, f"unknown scope (one of {', '.join(SCOPES)})")
        if test(a, start, end, index):
            return sc  # type: ignore[return-value]
    return None
