"""Compositional cue patterns: word classes combined into patterns, compiled once to a regex.

A pattern is literal text with slots (docs/text-and-rules.md, "Cue patterns"):

* ``{party}`` — any word of the class ``party`` (``[classes]`` of a lexicon file);
* ``{问题|原因|责任}`` — any of the alternatives; an alternative that names a class stands for
  that class (``{party|第三方}``);
* a ``?`` at the end of a slot makes it optional: ``{您?}``, ``{自行|直接?}``;
* ``…`` is a gap of up to 8 characters within one clause (no punctuation), ``…12`` of up to 12.

So ``"{link}{self}无关"`` with ``link = [与, 和, 跟]`` and ``self = [我们, 本店, 酒店 …]``
reads 与我们无关, 跟酒店无关, … — one entry instead of a literal per party.  A pattern never
matches the empty string and cannot start with a gap.  This module imports only
:mod:`csstandards.text` and :mod:`csstandards.lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..errors import LexiconError
from ..lexicon import data_file_names, load_file, phrase_lists
from ..text.normalize import normalize_phrase

__all__ = [
    "CuePatterns",
    "compile_patterns",
    "pattern_regex",
    "shipped_classes",
    "shipped_patterns",
]

#: characters a gap never crosses: the clause and sentence breaks of normalised text
_GAP = "[^,。!?;:\\n]"
_DEFAULT_GAP = 8
_TOKEN = re.compile(r"\{([^{}]*)\}|…(\d*)|([^{}…]+)|([{}])")


@dataclass(frozen=True)
class _Piece:
    alternatives: tuple[str, ...]  # normalised literals ("" never: an empty slot is an error)
    optional: bool = False
    gap: int = 0  # > 0: a gap of up to ``gap`` characters (alternatives unused)


def _parse(
    pattern: str, classes: Mapping[str, Sequence[str]], where: tuple[str, str]
) -> list[_Piece]:
    file, key = where
    pieces: list[_Piece] = []
    for m in _TOKEN.finditer(pattern):
        slot, gap, literal, stray = m.groups()
        if stray is not None:
            raise LexiconError(file, key, f"pattern {pattern!r}: unbalanced {stray!r}")
        if literal is not None:
            lit = normalize_phrase(literal)
            if lit:
                pieces.append(_Piece((lit,)))
            continue
        if gap is not None:
            if not pieces:
                raise LexiconError(file, key, f"pattern {pattern!r} cannot start with a gap")
            pieces.append(_Piece((), gap=int(gap) if gap else _DEFAULT_GAP))
            continue
        body = (slot or "").strip()
        optional = body.endswith("?")
        body = body.removesuffix("?")
        alts: list[str] = []
        for alt in body.split("|"):
            alt = alt.strip()
            if not alt:
                raise LexiconError(file, key, f"pattern {pattern!r}: empty alternative in {{}}")
            if alt in classes:
                alts.extend(classes[alt])
            elif alt.isascii() and alt.isidentifier():
                raise LexiconError(file, key, f"pattern {pattern!r}: no word class {alt!r}")
            else:
                alts.append(alt)
        norm = tuple(dict.fromkeys(n for a in alts if (n := normalize_phrase(a))))
        if not norm:
            raise LexiconError(file, key, f"pattern {pattern!r}: empty slot {{{body}}}")
        pieces.append(_Piece(norm, optional=optional))
    if not any(p.alternatives and not p.optional for p in pieces):
        raise LexiconError(file, key, f"pattern {pattern!r} can match the empty string")
    return pieces


def _piece_regex(p: _Piece) -> str:
    if p.gap:
        return f"{_GAP}{{0,{p.gap}}}"
    # longest first, so that 快递员 is tried before 快递
    alts = sorted(p.alternatives, key=lambda s: (-len(s), s))
    body = "(?:" + "|".join(map(re.escape, alts)) + ")"
    return body + ("?" if p.optional else "")


def _first_chars(pieces: list[_Piece]) -> set[str]:
    out: set[str] = set()
    for p in pieces:
        out.update(a[0] for a in p.alternatives)
        if not p.optional:
            break
    return out


def pattern_regex(
    pattern: str,
    classes: Mapping[str, Sequence[str]],
    *,
    where: tuple[str, str] = ("<pattern>", ""),
) -> str:
    """The regular expression (source) a cue pattern compiles to."""
    return "".join(_piece_regex(p) for p in _parse(pattern, classes, where))


class CuePatterns:
    """Patterns of one list compiled to one regex; :meth:`finditer` yields
    ``(start, end, pattern)`` of the leftmost-longest match at each position where one starts.

    Only positions holding a character a match can begin with are tried (the first
    characters are known from the parsed patterns), so a text with none costs one search."""

    __slots__ = ("_first", "_regexes", "patterns")

    def __init__(
        self,
        patterns: Sequence[str],
        classes: Mapping[str, Sequence[str]],
        *,
        where: tuple[str, str] = ("<pattern>", ""),
    ) -> None:
        self.patterns = tuple(patterns)
        first: set[str] = set()
        regexes = []
        for pat in self.patterns:
            pieces = _parse(pat, classes, where)
            first |= _first_chars(pieces)
            regexes.append(re.compile("".join(_piece_regex(p) for p in pieces)))
        self._regexes = tuple(zip(regexes, self.patterns, strict=True))
        self._first = (
            re.compile("[" + "".join(map(re.escape, sorted(first))) + "]") if first else None
        )

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        first = self._first
        if first is None:
            return
        pos, n = 0, len(text)
        while pos < n:
            f = first.search(text, pos)
            if f is None:
                return
            i = f.start()
            best: tuple[int, str] | None = None
            for rx, pat in self._regexes:
                m = rx.match(text, i)
                if m is not None and m.end() > i and (best is None or m.end() > best[0]):
                    best = (m.end(), pat)
            if best is None:
                pos = i + 1
            else:
                yield i, best[0], best[1]
                pos = best[0]


def compile_patterns(patterns: Sequence[str], classes: Mapping[str, Sequence[str]]) -> CuePatterns:
    """Compile ``patterns`` over ``classes`` (raises :class:`LexiconError` on a bad one)."""
    return CuePatterns(patterns, classes)


@lru_cache(maxsize=1)
def shipped_classes() -> dict[str, tuple[str, ...]]:
    """The word classes of every shipped lexicon file (``[classes] name = [words]``)."""
    found: dict[str, tuple[str, ...]] = {}
    where: dict[str, str] = {}
    for fname in data_file_names():
        table = load_file(fname).get("classes", {})
        if not isinstance(table, dict):
            raise LexiconError(f"lexicon/{fname}", "classes", "must be a table")
        for name, words in table.items():
            key = f"classes.{name}"
            if name in found:
                raise LexiconError(f"lexicon/{fname}", key, f"class already in {where[name]}")
            if not isinstance(words, list) or not words:
                raise LexiconError(f"lexicon/{fname}", key, "must be a non-empty list of words")
            if not all(isinstance(w, str) and normalize_phrase(w) for w in words):
                raise LexiconError(f"lexicon/{fname}", key, "every word must be a non-empty string")
            found[name] = tuple(words)
            where[name] = f"lexicon/{fname}"
    return found


@lru_cache(maxsize=64)
def shipped_patterns(list_name: str, field: str = "patterns") -> CuePatterns:
    """The compiled ``patterns`` (or ``exceptions``) of a shipped phrase list."""
    pl = phrase_lists().get(list_name)
    if pl is None:
        raise LexiconError("<lexicon>", list_name, "no such phrase list")
    pats = pl.patterns if field == "patterns" else pl.exceptions
    return CuePatterns(pats, shipped_classes(), where=(pl.source, f"lists.{list_name}.{field}"))
