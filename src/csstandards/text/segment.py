"""Word segmentation (分词) with jieba: lazy, initialised once, thread-safe.

Importing this module does not import jieba or load its dictionary; the first call to
:func:`segment` or :func:`tokenize` does, once per process, under a lock.  The tokenizer is a
private ``jieba.Tokenizer`` instance (the global ``jieba.dt`` used by other code is left alone),
extended with the domain user dictionary shipped in ``lexicon/userdict.toml`` so that terms
like 补发, 退款, 差评, 客服, 物流 segment as wholes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from .normalize import NormalizedText, normalize

__all__ = [
    "Token",
    "add_words",
    "get_tokenizer",
    "segment",
    "tokenize",
    "tokens_from_words",
    "words",
]

_lock = threading.Lock()
_tokenizer: Any = None


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the normalised text with its normalised offsets."""

    text: str
    start: int
    end: int


def _user_words() -> list[str]:
    from ..lexicon import load_userdict

    return load_userdict()


def get_tokenizer() -> Any:
    """The shared, initialised ``jieba.Tokenizer`` (created on first use)."""
    global _tokenizer
    tok = _tokenizer
    if tok is not None:
        return tok
    with _lock:
        if _tokenizer is None:
            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)
            new = jieba.Tokenizer()
            new.initialize()
            for word in _user_words():
                new.add_word(word)
            _tokenizer = new
        return _tokenizer


def add_words(words: list[str]) -> None:
    """Add words to the shared tokenizer (e.g. a company's product names)."""
    tok = get_tokenizer()
    with _lock:
        for w in words:
            w = w.strip()
            if w:
                tok.add_word(w)


def segment(text: str) -> list[str]:
    """Segment raw ``text`` into words (jieba precise mode with HMM), keeping every character."""
    tok = get_tokenizer()
    return list(tok.cut(text, HMM=True))


def tokenize(text: str | NormalizedText) -> tuple[Token, ...]:
    """Segment the *normalised* form of ``text``; offsets refer to the normalised text.

    Use :meth:`NormalizedText.span` to turn a token's offsets into a span of the original.
    """
    nt = text if isinstance(text, NormalizedText) else normalize(text)
    return tokens_from_words(words(nt), nt.text)


def words(text: str | NormalizedText) -> list[str]:
    """The words of the *normalised* text (cheaper than :func:`tokenize` when offsets are
    not needed)."""
    nt = text if isinstance(text, NormalizedText) else normalize(text)
    if not nt.text:
        return []
    out: list[str] = get_tokenizer().lcut(nt.text, HMM=True)
    if sum(map(len, out)) != len(nt.text):  # pragma: no cover - jieba keeps every character
        return list(nt.text)
    return out


def tokens_from_words(ws: list[str] | tuple[str, ...], text: str) -> tuple[Token, ...]:
    """Attach normalised offsets to words that cover ``text`` exactly."""
    out: list[Token] = []
    pos = 0
    for word in ws:
        end = pos + len(word)
        out.append(Token(word, pos, end))
        pos = end
    return tuple(out)
