"""Column mapping: which input column holds which field.

Defaults are the library's own names plus the usual export names (English and Chinese), so most
files need no mapping.  Give a mapping to override: ``ColumnMap(reply="回复内容")`` or, on the
command line, ``--columns reply=回复内容,stars=星级``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import model_validator

from ..errors import InputError
from ..models import FrozenModel

__all__ = ["ALIASES", "ColumnMap", "parse_column_spec"]

# canonical field -> accepted column names, first match wins
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "review_id", "record_id", "ticket_id", "编号", "评价ID"),
    "reply": ("reply", "reply_text", "answer", "回复", "回复内容", "商家回复"),
    "review": ("review", "review_text", "comment", "评价", "评价内容", "评论"),
    "text": ("text", "feedback", "content", "message", "review", "反馈内容", "内容", "评价内容"),
    "rating": ("rating", "评价等级", "好中差评"),
    "stars": ("stars", "star", "星级", "评分"),
    "reviewed_at": ("reviewed_at", "review_time", "created_at", "评价时间", "创建时间"),
    "replied_at": ("replied_at", "reply_time", "回复时间"),
    "created_at": ("created_at", "received_at", "reviewed_at", "time", "时间", "反馈时间"),
    "closed_at": ("closed_at", "resolved_at", "结案时间", "关闭时间"),
    "channel": ("channel", "渠道", "来源"),
    "agent": ("agent", "agent_id", "客服", "客服工号"),
    "template_id": ("template_id", "template", "模板", "模板编号"),
    "customer": ("customer", "customer_id", "客户", "客户ID"),
    "product": ("product", "product_id", "sku", "商品", "商品ID"),
}


class ColumnMap(FrozenModel):
    """Explicit column names per field; ``None`` means "use the default aliases"."""

    id: str | None = None
    reply: str | None = None
    review: str | None = None
    text: str | None = None
    rating: str | None = None
    stars: str | None = None
    reviewed_at: str | None = None
    replied_at: str | None = None
    created_at: str | None = None
    closed_at: str | None = None
    channel: str | None = None
    agent: str | None = None
    template_id: str | None = None
    customer: str | None = None
    product: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _known_fields(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = set(data) - set(ALIASES)
            if unknown:
                raise ValueError(
                    f"unknown field(s) {sorted(unknown)} in the column mapping; "
                    f"known: {', '.join(ALIASES)}"
                )
        return data

    def names(self, field: str) -> tuple[str, ...]:
        """The column names tried for ``field``, in order."""
        explicit: str | None = getattr(self, field)
        return (explicit,) if explicit else ALIASES[field]

    def lookup(self) -> dict[str, tuple[str, ...]]:
        return {f: self.names(f) for f in ALIASES}


def parse_column_spec(spec: str | Mapping[str, str] | ColumnMap | None) -> ColumnMap:
    """A :class:`ColumnMap` from ``"reply=回复,stars=星级"``, a dict or an existing map."""
    if spec is None:
        return ColumnMap()
    if isinstance(spec, ColumnMap):
        return spec
    if isinstance(spec, str):
        pairs: dict[str, str] = {}
        for part in spec.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise InputError(
                    f"column mapping {part!r} must look like field=column (e.g. reply=回复内容)"
                )
            k, v = part.split("=", 1)
            pairs[k.strip()] = v.strip()
        spec = pairs
    try:
        return ColumnMap.model_validate(dict(spec))
    except ValueError as exc:
        raise InputError(f"bad column mapping: {exc}") from exc
