"""Batch scoring for analysts (批量评分): streams of records, files, pandas and Dask.

Core use needs no optional package::

    from csstandards.batch import score_replies
    result = score_replies("replies.jsonl", workers=2, errors="bad_rows.jsonl")
    result.to_jsonl("scored.jsonl")
    print(result.summary.describe())

pandas (``csstandards[pandas]``) and Dask (``csstandards[dask]``) are imported only by the
functions that need them.  Aggregations for 002 二(二)5 and 003 二(五) live in
:mod:`csstandards.batch.aggregate`.
"""

from __future__ import annotations

from typing import Any

from .aggregate import (
    Aggregates,
    aggregate,
    compliance,
    finding_frequency,
    recurring_problems,
    score_distribution,
    topic_trends,
)
from .columns import ALIASES, ColumnMap, parse_column_spec
from .core import (
    CLASSIFY_COLUMNS,
    REPLY_COLUMNS,
    BatchResult,
    BatchSummary,
    classify_records,
    finding_dict,
    score_replies,
)
from .readers import RawRecord, detect_format, iter_records
from .timeparse import DEFAULT_TZ, parse_timestamp

__all__ = [
    "ALIASES",
    "CLASSIFY_COLUMNS",
    "DEFAULT_TZ",
    "REPLY_COLUMNS",
    "Aggregates",
    "BatchResult",
    "BatchSummary",
    "ColumnMap",
    "RawRecord",
    "aggregate",
    "classify_dask",
    "classify_dataframe",
    "classify_records",
    "compliance",
    "detect_format",
    "finding_dict",
    "finding_frequency",
    "iter_records",
    "parse_column_spec",
    "parse_timestamp",
    "read_rows",
    "recurring_problems",
    "score_dask",
    "score_dataframe",
    "score_distribution",
    "score_replies",
    "topic_trends",
]

_FRAMES = {"score_dataframe", "classify_dataframe", "score_dask", "classify_dask", "frame_meta"}


def __getattr__(name: str) -> Any:  # pandas/dask adapters load lazily
    if name in _FRAMES:
        from . import frames

        return getattr(frames, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_rows(path: Any) -> list[dict[str, Any]]:
    """Output rows written by :meth:`BatchResult.to_jsonl`, read back as dicts."""
    import json
    from pathlib import Path

    out: list[dict[str, Any]] = []
    with open(Path(path), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
    return out
