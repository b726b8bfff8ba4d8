"""A multi-phrase matcher compiled once from phrase lists.

Phrases are literals, never regular expressions: a caller's phrase list cannot make matching
slow or change its meaning.  The matcher indexes phrases by their first character and by the
lengths that occur after it; candidate positions are found with one character-class scan in C,
so matching a few thousand phrases costs a fraction of segmenting the same text.

Every occurrence is reported, overlapping ones included, in order of start then longer first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import LexiconError
from .normalize import NormalizedText, normalize, normalize_phrase

__all__ = ["PhraseMatch", "PhraseMatcher"]

P = TypeVar("P")


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
        lengths: dict[str, set[int]] = {}
        for norm in self._table:
            lengths.setdefault(norm[0], set()).add(len(norm))
        self._lengths: dict[str, tuple[int, ...]] = {
            ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()
        }
        if self._lengths:
            chars = "".join(sorted(self._lengths))
            self._scan: re.Pattern[str] | None = re.compile(
                "[" + "".join(_class_escape(c) for c in chars) + "]"
            )
        else:
            self._scan = None

    def __len__(self) -> int:
        return len(self._table)

    @property
    def phrases(self) -> tuple[str, ...]:
        return tuple(self._table)

    def find(self, text: str | NormalizedText) -> list[PhraseMatch[P]]:
        """Every match in ``text`` (offsets into its normalised form)."""
        nt = text if isinstance(text, NormalizedText) else normalize(text)
        s = nt.text
        scan = self._scan
        if scan is None or not s:
            return []
        table = self._table
        lengths = self._lengths
        out: list[PhraseMatch[P]] = []
        size = len(s)
        for m in scan.finditer(s):
            i = m.start()
            for n in lengths[s[i]]:
                if i + n > size:
                    continue  # a slice cut short by the end would pose as a shorter phrase
                sub = s[i : i + n]
                payloads = table.get(sub)
                if payloads is not None:
                    out.append(PhraseMatch(i, i + n, sub, payloads))
        return out


def _class_escape(c: str) -> str:
    """Escape one literal character for use inside a regex character class."""
    if c in "\\]^-[":
        return "\\" + c
    return c
