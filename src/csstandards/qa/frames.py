"""pandas adapter of conversation QA (``csstandards[pandas]``; pandas is imported lazily).

    from csstandards.qa.frames import qa_frames
    conversations, findings = qa_frames(turns_df)     # a flat table of turns, or a path

``conversations`` has one row per conversation (id, channel, agent, team, score, passed,
fatal items, one ``item:<section.item>`` column of deductions per scorecard item, error);
``findings`` one row per finding (conversation id, turn, role, stage, rule, severity,
message, excerpt), ready for ``groupby``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ..errors import InputError
from .stream import QA_COLUMNS

__all__ = ["FINDING_COLUMNS", "QAFrames", "qa_frames", "rows_to_frames"]

#: columns of the findings table
FINDING_COLUMNS = (
    "id",
    "agent",
    "team",
    "turn",
    "role",
    "stage",
    "rule_id",
    "code",
    "severity",
    "message_zh",
    "message_en",
    "excerpt",
)
#: the nested or positional columns of a QA output row, which the findings table (or
#: nothing) replaces; every other column of :data:`~csstandards.qa.stream.QA_COLUMNS` is a
#: column of the conversations table
_NESTED_COLUMNS = frozenset({"row", "line", "items", "rule_ids", "findings", "turns"})
_CONVERSATION_COLUMNS = tuple(c for c in QA_COLUMNS if c not in _NESTED_COLUMNS)


class QAFrames(NamedTuple):
    """The two tables of a QA run."""

    conversations: Any
    findings: Any


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError(
            "the pandas adapter needs pandas: pip install 'csstandards[pandas]'"
        ) from exc
    return pd


def rows_to_frames(
    rows: Iterable[Mapping[str, Any]], *, item_keys: Iterable[str] | None = None
) -> QAFrames:
    """The two tables from QA output rows (``score_transcripts`` rows or a read JSONL)."""
    pd = _pandas()
    conv: list[dict[str, Any]] = []
    finds: list[dict[str, Any]] = []
    keys = list(item_keys) if item_keys is not None else None
    seen_keys: dict[str, None] = {}
    for r in rows:
        d = {c: r.get(c) for c in _CONVERSATION_COLUMNS}
        d["fatal_items"] = list(r.get("fatal_items") or ())
        d["error"] = (r.get("error") or {}).get("reason") if r.get("error") else None
        items = r.get("items") or {}
        for k, v in items.items():
            seen_keys.setdefault(k, None)
            d[f"item:{k}"] = float(v)
        conv.append(d)
        for f in r.get("findings") or ():
            finds.append(
                {
                    "id": r.get("id"),
                    "agent": r.get("agent"),
                    "team": r.get("team"),
                    **{c: f.get(c) for c in FINDING_COLUMNS[3:]},
                }
            )
    cols = [f"item:{k}" for k in (keys if keys is not None else seen_keys)]
    cdf = pd.DataFrame(conv, columns=[*_CONVERSATION_COLUMNS, *cols])
    for c in cols:
        cdf[c] = cdf[c].astype("float64").fillna(0.0)
    cdf["score"] = cdf["score"].astype("float64")
    cdf["passed"] = cdf["passed"].astype("boolean")
    fdf = pd.DataFrame(finds, columns=list(FINDING_COLUMNS))
    fdf["turn"] = fdf["turn"].astype("Int64")
    return QAFrames(cdf, fdf)


def qa_frames(source: Any, **kw: Any) -> QAFrames:
    """Check and score every conversation of ``source`` (a flat DataFrame of turns, a path,
    rows …, as :func:`~csstandards.qa.score_transcripts`) and return the two tables; every
    scorecard item gets a deduction column, hit or not."""
    from .scorecard import load_scorecard
    from .stream import score_transcripts

    sc = load_scorecard(kw.pop("scorecard", None))
    res = score_transcripts(source, scorecard=sc, **kw)
    return rows_to_frames(res, item_keys=[f"{s.id}.{it.id}" for s, it in sc.items()])
