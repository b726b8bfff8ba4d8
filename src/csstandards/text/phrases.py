"""A multi-phrase matcher compiled once from phrase lists.

Phrases are literals, never regular expressions: a caller's phrase list cannot make matching
slow or change its meaning.  The phrases live in a character trie walked from each position of
the text, so matching a few thousand phrases costs a fraction of segmenting the same text.

Every occurrence is reported, overlapping ones included, in order of start then longer first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..errors import LexiconError
from .normalize import NormalizedText, normalize, normalize_phrase

__all__ = ["PhraseMatch", "PhraseMatcher"]

P = TypeVar("P")
_END = ""  # key of a node's terminal entry (no phrase character is empty)


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[P]):
    """One occurrence of a phrase: normalised offsets, the normalised phrase and its payloads."""

    start: int
    end: int
    phrase: str
    payloads: tuple[P, ...]


class PhraseMatcher(Generic[P]):
    """Find every occurrence of many literal phrases in a text.

    ``entries`` are ``(phrase, payload)`` pairs; the payload says what the phrase means (its
    list, its weight …) and comes back with each match.  Phrases are normalised like texts
    (:mod:`csstandards.text.normalize`); one that normalises to nothing raises
    :class:`~csstandards.errors.LexiconError`.

    The phrases are stored in a character trie (dict of dicts); matching walks it from every
    position, so the cost grows with the text and the depth of the matches, not with the
    number of phrases.
    """

    def __init__(self, entries: Iterable[tuple[str, P]], *, source: str = "<phrases>") -> None:
        table: dict[str, list[P]] = {}
        for phrase, payload in entries:
            if not isinstance(phrase, str):
                raise LexiconError(source, str(phrase), "a phrase must be a string")
            norm = normalize_phrase(phrase)
            if not norm:
                raise LexiconError(source, phrase, "phrase is empty after normalisation")
            table.setdefault(norm, []).append(payload)
        self._table: dict[str, tuple[P, ...]] = {k: tuple(v) for k, v in table.items()}
        root: dict[str, Any] = {}
        for norm, payloads in self._table.items():
            node = root
            for ch in norm:
                node = node.setdefault(ch, {})
            node[_END] = (norm, payloads)
        self._root = root

    def __len__(self) -> int:
        return len(self._table)

    @property
    def phrases(self) -> tuple[str, ...]:
        return tuple(self._table)

    def find(self, text: str | NormalizedText) -> list[PhraseMatch[P]]:
        """Every match in ``text`` (offsets into its normalised form), ordered by start and,
        at the same start, longer first."""
        nt = text if isinstance(text, NormalizedText) else normalize(text)
        return [PhraseMatch(*m) for m in self.scan(nt.text)]

    def scan(self, s: str) -> list[tuple[int, int, str, tuple[P, ...]]]:
        """Like :meth:`find` on an already normalised string, as plain tuples
        ``(start, end, phrase, payloads)`` (the fast path for callers that regroup matches)."""
        n = len(s)
        get = self._root.get
        out: list[tuple[int, int, str, tuple[P, ...]]] = []
        append = out.append
        for i, ch in enumerate(s):
            node = get(ch)
            if node is None:
                continue
            first = len(out)
            j = i + 1
            while True:
                term = node.get(_END)
                if term is not None:
                    append((i, j, term[0], term[1]))
                if j >= n:
                    break
                node = node.get(s[j])
                if node is None:
                    break
                j += 1
            if len(out) - first > 1:
                out[first:] = out[first:][::-1]  # longer first at the same start
        return out
