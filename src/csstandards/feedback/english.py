"""English and mixed text (英文与中英混合): whole-word cues mapped onto the Chinese lists.

``lexicon/feedback_en.toml`` adds English words and phrases to the feedback lists
(``[english.fb_neg]`` …).  They are matched as whole words of the caller's original text (the
normalised text has no spaces, so "bad service" would read as "badservice") and reported as hits
of the Chinese list, in normalised offsets, so every rule of the classifier applies to them
unchanged.  Latin-letter phrases of the Chinese lists themselves ("nice", "bug") are kept only
at word boundaries ("ok" is not inside "book").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..lexicon import LexiconHit, load_file
from ..text.normalize import NormalizedText

__all__ = ["add_english_hits", "is_english"]

_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+")
_LATIN = re.compile(r"[A-Za-z]{2}")
_ALPHA = re.compile(r"[a-z]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_Entry = tuple[tuple[str, ...], tuple[str, ...]]  # (words, list names)


@lru_cache(maxsize=1)
def _table() -> dict[str, list[_Entry]]:
    """First word → [(words, lists)], longest phrases first."""
    data = load_file("feedback_en.toml").get("english", {})
    by_phrase: dict[tuple[str, ...], list[str]] = {}
    for lst, table in data.items():
        for p in table.get("phrases", ()):
            words = tuple(w.lower() for w in _WORD.findall(str(p)))
            if words:
                by_phrase.setdefault(words, []).append(str(lst))
    out: dict[str, list[_Entry]] = {}
    for words, lists in by_phrase.items():
        out.setdefault(words[0], []).append((words, tuple(lists)))
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[0]))
    return out


def is_english(text: str) -> bool:
    """A text written in English as a whole: three or more Latin words and no Chinese."""
    return not _CJK.search(text) and len(_WORD.findall(text)) >= 3 and bool(_LATIN.search(text))


def _to_norm(norm: NormalizedText, start: int, end: int) -> tuple[int, int]:
    if norm.starts is None or norm.ends is None:
        return start, end
    return bisect_left(norm.starts, start), bisect_left(norm.ends, end) + 1


def add_english_hits(norm: NormalizedText, hits: dict[str, list[LexiconHit]]) -> None:
    """Add the English cues of ``norm.original`` to ``hits`` (by list name, normalised
    offsets) and drop Latin-letter hits of the Chinese lists that are not whole words."""
    original = norm.original
    if not _LATIN.search(original):
        return
    words = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(original)]
    ntext = norm.text
    latin = [name for name, hs in hits.items() if any(h.phrase[0] in _ASCII_LOWER for h in hs)]
    if latin:
        bounds = [_to_norm(norm, s, e) for _, s, e in words]
        starts = {b[0] for b in bounds}
        ends = {b[1] for b in bounds}
        for name in latin:
            kept = [
                h
                for h in hits[name]
                if not _ALPHA.fullmatch(h.phrase)
                or (
                    (h.start in starts or h.start == 0 or not ntext[h.start - 1].isascii())
                    and (h.end in ends or h.end == len(ntext) or not ntext[h.end].isascii())
                )
            ]
            if len(kept) != len(hits[name]):
                if kept:
                    hits[name] = kept
                else:
                    del hits[name]
    table = _table()
    seen = {(name, h.start, h.end) for name, hs in hits.items() for h in hs}
    added: set[str] = set()
    i = 0
    n = len(words)
    while i < n:
        entries = table.get(words[i][0])
        if not entries:
            i += 1
            continue
        for ws, lists in entries:
            k = len(ws)
            if i + k <= n and all(words[i + j][0] == ws[j] for j in range(k)):
                ns, _ = _to_norm(norm, words[i][1], words[i][2])
                _, ne = _to_norm(norm, words[i + k - 1][1], words[i + k - 1][2])
                phrase = ntext[ns:ne]
                for lst in lists:
                    if (lst, ns, ne) not in seen:
                        seen.add((lst, ns, ne))
                        hits.setdefault(lst, []).append(
                            tuple.__new__(LexiconHit, (lst, phrase, ns, ne))
                        )
                        added.add(lst)
        i += 1
    for lst in added:
        hits[lst].sort(key=lambda h: (h.start, h.start - h.end))
