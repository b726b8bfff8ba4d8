"""The text layer: normalisation with offset maps, jieba segmentation, phrase matching.

It imports nothing from the domain modules.  ``import csstandards.text`` is cheap: jieba loads
on first segmentation.
"""

from __future__ import annotations

from .analysis import Analysis, Clause, analyze
from .normalize import NormalizedText, normalize, normalize_phrase
from .phrases import PhraseMatch, PhraseMatcher
from .segment import Token, add_words, segment, tokenize

__all__ = [
    "Analysis",
    "Clause",
    "NormalizedText",
    "PhraseMatch",
    "PhraseMatcher",
    "Token",
    "add_words",
    "analyze",
    "normalize",
    "normalize_phrase",
    "segment",
    "tokenize",
]
