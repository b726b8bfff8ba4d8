"""Contexts the rule families are judged in, and how their examples build them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..models import Rating
from ..standard import Standard
from ..text.analysis import Analysis, analyze
from .base import REGISTRY, Family, RuleExample

__all__ = ["ReplyContext", "make_reply_context"]


@dataclass(frozen=True)
class ReplyContext:
    """What a reply rule sees: the analysed reply, the analysed review and their setting.

    ``placeholders`` are normalised ranges of the reply that are template placeholders
    (``{name}``, ``【客户名】`` …); rules must not flag text inside them.
    """

    reply: Analysis
    review: Analysis | None = None
    rating: Rating | None = None
    standard: Standard = field(default_factory=Standard.default)
    assessment: Any = None
    reviewed_at: datetime | None = None
    replied_at: datetime | None = None
    placeholders: tuple[tuple[int, int], ...] = ()

    def in_placeholder(self, start: int, end: int) -> bool:
        return any(ps <= start and end <= pe for ps, pe in self.placeholders)


def make_reply_context(example: RuleExample, standard: Any = None) -> ReplyContext:
    """Build a :class:`ReplyContext` for a rule example (``context`` may carry timestamps)."""
    std = standard if isinstance(standard, Standard) else Standard.default()
    lex = std.lexicon()
    ctx = example.context
    return ReplyContext(
        reply=analyze(example.text, lex),
        review=analyze(example.review, lex) if example.review is not None else None,
        rating=example.rating,
        standard=std,
        reviewed_at=ctx.get("reviewed_at"),
        replied_at=ctx.get("replied_at"),
    )


REGISTRY.register_family(
    Family(
        name="reply",
        description="Checks of a reply to a review or a customer message (000, 001, 003).",
        make_context=make_reply_context,
    )
)
