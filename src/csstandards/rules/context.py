"""Contexts the rule families are judged in, and how their examples build them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from .._intervals import RangeIndex
from ..models import Rating
from ..standard import Standard
from ..text.analysis import Analysis, analyze
from .base import REGISTRY, Family, RuleExample

__all__ = ["ReplyContext", "make_reply_context"]

T = TypeVar("T")


@dataclass(frozen=True)
class ReplyContext:
    """What a reply rule sees: the analysed reply, the analysed review and their setting.

    ``placeholders`` are normalised ranges of the reply that are template placeholders
    (``{name}``, ``【客户名】`` …); rules must not flag text inside them.  ``assessment`` is the
    feedback classifier's view of the review (computed lazily by the rules that need it when
    not given).  ``memo`` caches facts several rules share (one computation per check).
    """

    reply: Analysis
    review: Analysis | None = None
    rating: Rating | None = None
    standard: Standard = field(default_factory=Standard.default)
    assessment: Any = None
    reviewed_at: datetime | None = None
    replied_at: datetime | None = None
    placeholders: tuple[tuple[int, int], ...] = ()
    brand_voice: str | None = None
    urgent: bool = False
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def placeholder_index(self) -> RangeIndex:
        """The placeholder ranges as a :class:`RangeIndex`, built once per context."""
        return self.cached("placeholder-index", lambda: RangeIndex(self.placeholders))

    def in_placeholder(self, start: int, end: int) -> bool:
        if not self.placeholders:
            return False
        return self.placeholder_index().contains(start, end)  # a bisect, not a scan (#17)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per context under ``key`` (shared between rules)."""
        memo = self.memo
        if key in memo:
            return memo[key]  # type: ignore[no-any-return]
        value = compute()
        memo[key] = value
        return value


def make_reply_context(example: RuleExample, standard: Any = None) -> ReplyContext:
    """Build a :class:`ReplyContext` for a rule example.

    ``context`` may carry ``reviewed_at``, ``replied_at``, ``stars``, ``brand_voice`` and
    ``urgent``; placeholders are found as :func:`csstandards.tone.check_reply` finds them.
    """
    from .reply_common import find_placeholder_ranges

    std = standard if isinstance(standard, Standard) else Standard.default()
    lex = std.lexicon()
    ctx = example.context
    reply = analyze(example.text, lex)
    rating = example.rating
    if rating is None and ctx.get("stars") is not None:
        rating = Rating.from_stars(ctx["stars"])
    return ReplyContext(
        reply=reply,
        review=analyze(example.review, lex) if example.review is not None else None,
        rating=rating,
        standard=std,
        reviewed_at=ctx.get("reviewed_at"),
        replied_at=ctx.get("replied_at"),
        placeholders=find_placeholder_ranges(reply.text),
        brand_voice=ctx.get("brand_voice"),
        urgent=bool(ctx.get("urgent", False)),
    )


REGISTRY.register_family(
    Family(
        name="reply",
        description="Checks of a reply to a review or a customer message (000, 001, 003).",
        make_context=make_reply_context,
    )
)
