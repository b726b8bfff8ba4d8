"""Normalisation for matching, with an offset map back to the caller's original string.

What normalisation does (the same to texts and to phrases, so they meet in the middle):

* NFKC per character: full-width letters, digits and punctuation become half-width
  (``ＡＢＣ１２３，！`` → ``abc123,!``), compatibility forms fold (``㈱`` → ``(株)``);
* lower case;
* variant punctuation folds: curly and corner quotes (“ ” 「 」 『 』 ‘ ’) become ``"``/``'``,
  the wave dash and dashes fold (``～ 〜`` → ``~``, ``— –`` → ``-``);
* Traditional Chinese becomes Simplified (OpenCC, :mod:`csstandards.text.script`): 一打開就閃退
  → 一打开就闪退, so that the Simplified lexicons match; phrase conversions that change the
  length (埠 → 端口) are mapped back through the same offset map;
* whitespace and zero-width characters are removed (Chinese does not separate words by
  spaces, so ``已 收到`` and ``已收到`` must match alike), except line breaks, which are kept
  as ``\\n`` because they end sentences.

``NormalizedText.span(start, end)`` turns offsets into the normalised text back into a
:class:`~csstandards.models.Span` of the original, so every finding points at what the caller
wrote.  The common case costs one ``str.translate``; the per-character path runs only when a
character changes length (whitespace, ``…`` → ``...``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..models import Span, span
from .script import needs_conversion, to_simplified

__all__ = ["NormalizedText", "normalize", "normalize_phrase"]

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_VARIANTS = {
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',
    "\u201f": '"',
    "\u300c": '"',  # 「
    "\u300d": '"',  # 」
    "\u300e": '"',  # 『
    "\u300f": '"',  # 』
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u301c": "~",  # 〜 wave dash
    "\u2014": "-",
    "\u2013": "-",
    "\u2015": "-",
    "\u2212": "-",
}

_CACHE_LIMIT = 300_000
_IRREGULAR: set[str] = set()  # characters whose normal form is not exactly one character
_STABLE: set[str] = set()  # characters that normalise to themselves (the fast path)


def _fold_once(text: str) -> str:
    out: list[str] = []
    for c in unicodedata.normalize("NFKC", text).lower():
        if c == "\n":
            out.append(c)  # kept: a line break ends a sentence
        elif c.isspace() or c in _ZERO_WIDTH:
            continue
        else:
            out.append(_VARIANTS.get(c, c))
    return "".join(out)


def _fold(ch: str) -> str:
    """The normal form of one character, applied until it no longer changes (idempotent:
    ``¸`` is NFKC ``' ' + U+0327``, whose space must go too)."""
    out = _fold_once(ch)
    for _ in range(3):
        again = _fold_once(out)
        if again == out:
            break
        out = again
    return out


class _NormTable(dict[int, str]):
    """A lazily filled ``str.translate`` table: code point → normalised string."""

    def __missing__(self, key: int) -> str:
        ch = chr(key)
        out = _fold(ch)
        if out != ch and needs_conversion(out):
            # a compatibility form folding onto a Traditional character (U+2F8xx → 備): convert
            # it here, or a second normalisation would change the text again
            out = to_simplified(out)[0]
        if len(out) != 1:
            _IRREGULAR.add(ch)
        if len(self) < _CACHE_LIMIT:
            self[key] = out
            if out == ch and not needs_conversion(ch):
                _STABLE.add(ch)  # a Traditional character is never on the fast path
        return out


_TABLE = _NormTable()


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A text's normalised form plus the map back to the original.

    ``starts[i]``/``ends[i]`` give the original range that normalised character ``i`` came
    from; both are ``None`` when normalisation kept every character in place.
    """

    original: str
    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def __len__(self) -> int:
        return len(self.text)

    @property
    def identity(self) -> bool:
        return self.starts is None

    def orig_start(self, i: int) -> int:
        """Original offset of normalised position ``i`` (``len(text)`` maps to the end)."""
        if self.starts is None:
            return i
        if i >= len(self.starts):
            return len(self.original)
        return self.starts[i]

    def orig_end(self, i: int) -> int:
        """Original offset just after normalised character ``i - 1``."""
        if self.ends is None:
            return i
        if i <= 0:
            return self.orig_start(0)
        return self.ends[i - 1]

    def span(self, start: int, end: int) -> Span:
        """Map a normalised ``[start, end)`` to a :class:`Span` of the original text."""
        if self.starts is None:  # normalisation kept every character in place
            return span(start, end if end > start else start)
        if end <= start:
            pos = self.orig_start(start)
            return span(pos, pos)
        return span(self.orig_start(start), self.orig_end(end))


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for matching; see the module docstring for what changes."""
    if not isinstance(text, str):
        from ..errors import InputError

        raise InputError(f"text must be str, got {type(text).__name__}")
    if _STABLE.issuperset(text):  # already normal: no copy, no map
        return NormalizedText(text, text)
    if not needs_conversion(text):
        return _fold_text(text)
    simplified, origin = to_simplified(text)
    return _compose(text, _fold_text(simplified), origin)


def _fold_text(text: str) -> NormalizedText:
    mapped = text.translate(_TABLE)
    if _IRREGULAR.isdisjoint(text):
        return NormalizedText(text, mapped)
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    table = _TABLE
    for i, ch in enumerate(text):
        out = table[ord(ch)]
        if not out:
            continue
        pieces.append(out)
        n = len(out)
        starts.extend([i] * n)
        ends.extend([i + 1] * n)
    return NormalizedText(text, "".join(pieces), tuple(starts), tuple(ends))


def _compose(
    original: str, folded: NormalizedText, origin: tuple[tuple[int, int], ...] | None
) -> NormalizedText:
    """The map of ``folded`` (normalised from the Simplified conversion of ``original``)
    carried back through the conversion's ``origin`` map to ``original``."""
    if origin is None:  # the conversion kept every character in place
        return NormalizedText(original, folded.text, folded.starts, folded.ends)
    n = len(folded.text)
    starts = [0] * n
    ends = [0] * n
    for i in range(n):
        cs = folded.starts[i] if folded.starts is not None else i
        ce = folded.ends[i] if folded.ends is not None else i + 1
        starts[i] = origin[cs][0]
        ends[i] = max(origin[ce - 1][1], starts[i])
    return NormalizedText(original, folded.text, tuple(starts), tuple(ends))


def normalize_phrase(phrase: str) -> str:
    """The normalised form of a phrase, as :func:`normalize` would produce inside a text
    (a phrase written in Traditional characters is converted to Simplified too)."""
    if needs_conversion(phrase):
        phrase = to_simplified(phrase)[0]
    return phrase.translate(_TABLE)
