"""One analysis of a text that many rules share: normalised form, tokens, phrase hits, clauses.

Build it once with :func:`analyze` and hand it to every rule: segmentation and phrase matching
happen at most once per text, on first use.  All offsets inside are offsets into the
*normalised* text; :meth:`Analysis.span` turns them into spans of the caller's original string.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..models import Span
from .normalize import NormalizedText, normalize
from .segment import Token, tokens_from_words, words

if TYPE_CHECKING:
    from ..lexicon import Lexicon, LexiconHit

__all__ = [
    "CLAUSE_BREAK",
    "QUOTE",
    "SENTENCE_BREAK",
    "Analysis",
    "Clause",
    "analyze",
    "clause_breaks",
    "sentence_breaks",
]

# Clause (分句) boundaries in normalised text; '.' only when not inside a number.
CLAUSE_BREAK = re.compile(r"[,!?;:。,、~\n]+|(?<!\d)\.+|\.+(?!\d)")
SENTENCE_BREAK = re.compile(r"[!?;。\n]+|(?<!\d)\.+|\.+(?!\d)")
QUOTE = re.compile(r"\"[^\"\n]{1,80}\"|'[^'\n]{1,80}'|《[^》\n]{1,80}》")
# Without a "." in the text the full-stop alternatives cannot match, and the punctuation class
# alone finds the same breaks at less than half the cost (no look-around at every position).
_CLAUSE_PUNCT = re.compile(CLAUSE_BREAK.pattern.split("|", 1)[0])
_SENTENCE_PUNCT = re.compile(SENTENCE_BREAK.pattern.split("|", 1)[0])


def clause_breaks(text: str) -> Iterator[re.Match[str]]:
    """``CLAUSE_BREAK.finditer(text)``, faster on the usual text without a "."."""
    return (CLAUSE_BREAK if "." in text else _CLAUSE_PUNCT).finditer(text)


def sentence_breaks(text: str) -> Iterator[re.Match[str]]:
    """``SENTENCE_BREAK.finditer(text)``, faster on the usual text without a "."."""
    return (SENTENCE_BREAK if "." in text else _SENTENCE_PUNCT).finditer(text)


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause or sentence of the normalised text: ``[start, end)`` without its delimiter."""

    start: int
    end: int
    text: str


def _split(breaks: Iterator[re.Match[str]], text: str) -> tuple[Clause, ...]:
    out: list[Clause] = []
    pos = 0
    for m in breaks:
        ms, me = m.span()
        if ms > pos:
            out.append(Clause(pos, ms, text[pos:ms]))
        pos = me
    if pos < len(text):
        out.append(Clause(pos, len(text), text[pos:]))
    return tuple(out)


class Analysis:
    """Shared, lazily computed facts about one text.

    ``lexicon`` decides which phrase lists are matched; by default the shipped one.
    """

    def __init__(self, text: str, lexicon: Lexicon | None = None) -> None:
        from ..lexicon import Lexicon

        self.original = text
        self.norm: NormalizedText = normalize(text)
        self.lexicon: Lexicon = lexicon if lexicon is not None else Lexicon.default()
        # merged hits per tuple of list names: (hits by position, their starts, longest hit)
        self._merged: dict[tuple[str, ...], tuple[list[LexiconHit], list[int], int]] = {}

    # -- derived views -----------------------------------------------------------------
    @property
    def text(self) -> str:
        """The normalised text."""
        return self.norm.text

    @cached_property
    def words(self) -> tuple[str, ...]:
        """The words of the normalised text (segmented once)."""
        return tuple(words(self.norm))

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        """The words with their normalised offsets."""
        return tokens_from_words(self.words, self.norm.text)

    @cached_property
    def hits(self) -> dict[str, list[LexiconHit]]:
        """Phrase hits by list name (one scan over all lists)."""
        return self.lexicon.match(self.norm)

    @cached_property
    def clauses(self) -> tuple[Clause, ...]:
        return _split(clause_breaks(self.norm.text), self.norm.text)

    @cached_property
    def sentences(self) -> tuple[Clause, ...]:
        return _split(sentence_breaks(self.norm.text), self.norm.text)

    @cached_property
    def quoted(self) -> tuple[tuple[int, int], ...]:
        """Normalised ranges inside quotation marks (the customer's own words, titles …)."""
        return tuple((m.start(), m.end()) for m in QUOTE.finditer(self.norm.text))

    @cached_property
    def _clause_starts(self) -> list[int]:
        return [c.start for c in self.clauses]

    @cached_property
    def _quote_starts(self) -> list[int]:
        return [a for a, _ in self.quoted]

    def _merge(self, lists: tuple[str, ...]) -> tuple[list[LexiconHit], list[int], int]:
        """The hits of ``lists`` ordered by ``(start, -end)``, their starts and the longest
        hit's length, merged once per combination (issue #17: queries per sentence or per hit
        bisect this instead of re-sorting every hit each time)."""
        got = self._merged.get(lists)
        if got is None:
            found: list[LexiconHit] = []
            for name in lists:
                found.extend(self.hits.get(name, ()))
            if len(lists) > 1:  # one list is already in this order (PhraseMatcher.scan)
                found.sort(key=lambda h: (h.start, -h.end))
            longest = max((h.end - h.start for h in found), default=0)
            got = self._merged[lists] = (found, [h.start for h in found], longest)
        return got

    # -- queries -----------------------------------------------------------------------
    def hits_of(self, *lists: str) -> list[LexiconHit]:
        """Hits of the named lists, ordered by position (a new list each call)."""
        return list(self._merge(lists)[0])

    def hits_in(self, lists: Sequence[str], start: int, end: int) -> list[LexiconHit]:
        """Hits of ``lists`` starting in ``[start, end)``, ordered by position (O(log n +
        found), the per-sentence form of :meth:`hits_of`)."""
        found, starts, _ = self._merge(tuple(lists))
        return found[bisect_left(starts, start) : bisect_left(starts, end)]

    def has(self, *lists: str) -> bool:
        return any(self.hits.get(name) for name in lists)

    def span(self, start: int, end: int) -> Span:
        """Normalised ``[start, end)`` → span of the original text."""
        return self.norm.span(start, end)

    def hit_span(self, hit: LexiconHit) -> Span:
        return self.norm.span(hit.start, hit.end)

    def clause_at(self, pos: int) -> Clause | None:
        """The clause containing normalised position ``pos`` (None on a delimiter)."""
        starts = self._clause_starts
        i = bisect_right(starts, pos) - 1
        if i < 0:
            return None
        c = self.clauses[i]
        return c if c.start <= pos < c.end else None

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [c.start for c in self.sentences]

    def sentence_at(self, pos: int) -> Clause | None:
        """The sentence containing normalised position ``pos`` (None on a delimiter)."""
        i = bisect_right(self._sentence_starts, pos) - 1
        if i < 0:
            return None
        c = self.sentences[i]
        return c if c.start <= pos < c.end else None

    def in_quote(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside a quotation."""
        quoted = self.quoted
        if not quoted:
            return False
        # quotations are disjoint and sorted: only the last one opening before start can
        # hold the range (a bisect, not a scan of every quotation per hit)
        i = bisect_left(self._quote_starts, start) - 1
        return i >= 0 and end <= quoted[i][1]

    def preceded_by(self, pos: int, lists: Sequence[str], window: int = 4) -> LexiconHit | None:
        """A hit of ``lists`` ending within ``window`` characters before ``pos``, same clause."""
        clause = self.clause_at(pos)
        cs = clause.start if clause else 0
        lo = max(pos - window, cs)
        found, starts, longest = self._merge(tuple(lists))
        # a hit ending at or after lo starts at or after lo - longest: bisect to there
        i = bisect_left(starts, max(cs, lo - longest))
        for k in range(i, len(found)):
            h = found[k]
            if h.start >= pos:
                break
            if lo <= h.end <= pos and h.start >= cs:
                return h
        return None

    def spans_of(self, hits: Iterable[LexiconHit]) -> tuple[Span, ...]:
        return tuple(self.hit_span(h) for h in hits)


def analyze(text: str, lexicon: Lexicon | None = None) -> Analysis:
    """Analyse ``text`` once for all rules (lazy: nothing is segmented until asked)."""
    if not isinstance(text, str):
        from ..errors import InputError

        raise InputError(f"text must be str, got {type(text).__name__}")
    return Analysis(text, lexicon)
