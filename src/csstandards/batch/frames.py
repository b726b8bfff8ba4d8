"""pandas and Dask adapters (optional extras ``csstandards[pandas]``, ``csstandards[dask]``).

``score_dataframe(df)`` returns one row per input row with the same index: one column per
sub-score (``speed`` 速度, ``warmth`` 温度, ``depth`` 深度), the finding counts, ``findings`` as a
list of dicts and ``error`` (a dict) for rows that failed.  ``score_dask(ddf)`` runs the same
function over every partition with ``map_partitions`` and an explicit ``meta``; the result
equals the single-process one row for row.  In DataFrame mode the input index identifies a row
(``row``/``line`` columns are dropped; ``error["row"]`` is the index label).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import InputError
from .columns import ColumnMap
from .core import CLASSIFY_COLUMNS, REPLY_COLUMNS, Kind, classify_records, score_replies
from .timeparse import DEFAULT_TZ

__all__ = [
    "classify_dask",
    "classify_dataframe",
    "frame_meta",
    "rows_to_frame",
    "score_dask",
    "score_dataframe",
]

_FLOAT = {"stars", "response_hours", "score", "speed", "warmth", "depth", "sentiment"}
_INT = {"n_findings", "n_errors", "n_warnings", "n_info", "line", "row"}
_BOOL = {"passed", "sla_met", "sla_estimated", "stars_disagree"}


def _pd() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError(
            "DataFrame support needs pandas: pip install 'csstandards[pandas]'"
        ) from exc
    return pd


def _dtype(col: str) -> str:
    if col in _FLOAT:
        return "float64"
    if col in _INT:
        return "Int64"
    if col in _BOOL:
        return "boolean"
    return "object"


def _columns(kind: Kind, frame_mode: bool) -> tuple[str, ...]:
    cols = REPLY_COLUMNS if kind == "reply" else CLASSIFY_COLUMNS
    if frame_mode:
        cols = tuple(c for c in cols if c not in ("row", "line"))
    return cols


def frame_meta(kind: Kind = "reply", *, frame_mode: bool = True) -> Any:
    """An empty DataFrame with the output columns and dtypes (Dask's ``meta``)."""
    pd = _pd()
    cols = _columns(kind, frame_mode)
    return pd.DataFrame({c: pd.Series([], dtype=_dtype(c)) for c in cols})


def rows_to_frame(
    rows: Iterable[Mapping[str, Any]], kind: Kind = "reply", *, index: Any = None
) -> Any:
    """Output rows (dicts) as a typed DataFrame."""
    pd = _pd()
    frame_mode = index is not None
    cols = _columns(kind, frame_mode)
    data: dict[str, list[Any]] = {c: [] for c in cols}
    for r in rows:
        for c in cols:
            data[c].append(r.get(c))
    series = {}
    for c in cols:
        dt = _dtype(c)
        if dt == "object":
            series[c] = pd.Series(data[c], dtype="object", index=index)
        elif dt == "float64":
            series[c] = pd.Series(
                [float("nan") if v is None else v for v in data[c]], dtype="float64", index=index
            )
        else:
            series[c] = pd.Series(data[c], dtype=dt, index=index)
    df = pd.DataFrame(series, columns=list(cols))
    if index is not None:
        df.index = index
    return df


def _as_frame_records(df: Any) -> Iterable[dict[str, Any]]:
    cols = [str(c) for c in df.columns]
    for values in df.itertuples(index=False, name=None):
        yield dict(zip(cols, values, strict=True))


def _check_frame(df: Any) -> None:
    pd = _pd()
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(df).__name__}")


def _relabel(rows: Iterable[dict[str, Any]], labels: list[Any]) -> Iterable[dict[str, Any]]:
    for r, label in zip(rows, labels, strict=True):
        err = r.get("error")
        if err is not None:
            r["error"] = {**err, "row": _plain(label), "line": None}
        yield r


def _plain(v: Any) -> Any:
    item = getattr(v, "item", None)
    return item() if callable(item) else v


def score_dataframe(
    df: Any,
    *,
    columns: str | Mapping[str, str] | ColumnMap | None = None,
    tz: str = DEFAULT_TZ,
    standard: Any = None,
    classify: bool = True,
    keep_text: bool = True,
    workers: int = 1,
    checker: Any = None,
    classifier: Any = None,
) -> Any:
    """Score a DataFrame of reply records; returns a DataFrame with the same index."""
    _check_frame(df)
    res = score_replies(
        list(_as_frame_records(df)) if workers == 1 else _as_frame_records(df),
        columns=columns,
        tz=tz,
        standard=standard,
        classify=classify,
        keep_text=keep_text,
        workers=workers,
        checker=checker,
        classifier=classifier,
    )
    labels = list(df.index)
    return rows_to_frame(_relabel(res, labels), "reply", index=df.index)


def classify_dataframe(
    df: Any,
    *,
    columns: str | Mapping[str, str] | ColumnMap | None = None,
    tz: str = DEFAULT_TZ,
    standard: Any = None,
    keep_text: bool = True,
    workers: int = 1,
    classifier: Any = None,
) -> Any:
    """Classify a DataFrame of feedback records; returns a DataFrame with the same index."""
    _check_frame(df)
    res = classify_records(
        list(_as_frame_records(df)),
        columns=columns,
        tz=tz,
        standard=standard,
        keep_text=keep_text,
        workers=workers,
        classifier=classifier,
    )
    return rows_to_frame(_relabel(res, list(df.index)), "feedback", index=df.index)


def _score_partition(part: Any, kwargs: dict[str, Any]) -> Any:
    return score_dataframe(part, **kwargs)


def _classify_partition(part: Any, kwargs: dict[str, Any]) -> Any:
    return classify_dataframe(part, **kwargs)


def score_dask(ddf: Any, **kwargs: Any) -> Any:
    """Score a Dask DataFrame partition by partition (``map_partitions`` with ``meta``).

    Takes the keyword arguments of :func:`score_dataframe` (except ``workers``: Dask schedules).
    """
    if "workers" in kwargs:
        raise InputError("score_dask takes no workers=: Dask's scheduler decides the parallelism")
    return ddf.map_partitions(_score_partition, kwargs, meta=frame_meta("reply"))


def classify_dask(ddf: Any, **kwargs: Any) -> Any:
    """Classify a Dask DataFrame of feedback records partition by partition."""
    if "workers" in kwargs:
        raise InputError(
            "classify_dask takes no workers=: Dask's scheduler decides the parallelism"
        )
    return ddf.map_partitions(_classify_partition, kwargs, meta=frame_meta("feedback"))
