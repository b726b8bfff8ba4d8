"""pandas and Dask adapters (optional extras ``csstandards[pandas]``, ``csstandards[dask]``).

``score_dataframe(df)`` returns the input's columns (all, or those named by ``keep=``) next to
the scored columns, with the input's index, typed the Arrow way (#20):

* enumerations are ``category`` with fixed categories (``star_rating``/``text_rating``
  好评/中评/差评, ``kind``, ``priority``, ``channel``; for feedback also ``emotion``,
  ``urgency``, ``severity``, ``scope``, ``hint``, ``root_cause``);
* times are ``datetime64[ns, <tz>]`` in the run's zone (``reviewed_at``, ``replied_at``,
  ``closed_at``, ``sla_due``, ``created_at``);
* numbers are nullable (``Float64``, ``Int64``, ``boolean``);
* text is ``string[pyarrow]``; ``topics``/``rule_ids``/``key_issues`` are Arrow
  ``list<string>``; ``findings`` (``findings="column"``) an Arrow ``list<struct>``;
* a failed row has ``error`` (the reason, text) and ``error_field``; the index names the row.

``findings="table"`` returns :class:`ScoredFrames` — the per-row frame without the findings
column and a findings table with one row per finding (see :func:`findings_table`).

Rows are converted chunk by chunk (``chunk_rows``), so what is held above the input is the
typed result plus one chunk of plain rows.  The input frame is never mutated.
``score_dask(ddf)`` runs the same function over every partition with ``map_partitions`` and the
output schema as ``meta``; the result equals the single-process one row for row.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Literal, NamedTuple

from ..errors import InputError
from .columns import ALIASES, ColumnMap, parse_column_spec
from .core import (
    CLASSIFY_COLUMNS,
    DEFAULT_ROW_TIMEOUT,
    REPLY_COLUMNS,
    Kind,
    classify_records,
    score_replies,
)
from .findings import FINDINGS_COLUMNS, finding_records
from .timeparse import DEFAULT_TZ, resolve_zone

__all__ = [
    "FINDINGS_COLUMNS",
    "ScoredFrames",
    "classify_dask",
    "classify_dataframe",
    "finding_records",
    "findings_table",
    "frame_meta",
    "rows_to_frame",
    "score_dask",
    "score_dataframe",
    "warm_up",
]

FindingsMode = Literal["column", "table", "none"]

_FLOAT = {
    "stars",
    "response_hours",
    "score",
    "speed",
    "warmth",
    "depth",
    "sentiment",
    "sla_target_hours",
}
_INT = {"n_findings", "n_errors", "n_warnings", "n_info", "line", "row"}
_BOOL = {"passed", "sla_met", "sla_estimated", "stars_disagree"}
_TIME = ("reviewed_at", "replied_at", "closed_at", "created_at", "sla_due")  # checked in this order
_LISTS = {"topics", "rule_ids", "key_issues"}


class ScoredFrames(NamedTuple):
    """``score_dataframe(..., findings="table")``: the per-row frame and the findings table."""

    rows: Any
    findings: Any


def _pd() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError(
            "DataFrame support needs pandas: pip install 'csstandards[pandas]'"
        ) from exc
    return pd


def _pa() -> Any:
    try:
        import pyarrow as pa
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError("typed frames need pyarrow: pip install 'csstandards[pandas]'") from exc
    return pa


def _categories() -> dict[str, tuple[str, ...]]:
    """Fixed categories of the enumerated columns (so partitions and runs agree)."""
    from ..feedback.models import (
        EmotionLevel,
        FeedbackKind,
        Hint,
        IssueSeverity,
        RootCause,
        Scope,
        Urgency,
    )
    from ..models import Channel, Priority, Rating, Severity

    rating = tuple(r.value for r in Rating)
    return {
        "star_rating": rating,
        "text_rating": rating,
        "kind": tuple(k.value for k in FeedbackKind),
        "priority": tuple(p.value for p in Priority),
        "channel": tuple(c.value for c in Channel),
        "emotion": tuple(e.value for e in EmotionLevel),
        "urgency": tuple(u.value for u in Urgency),
        "severity": tuple(s.value for s in IssueSeverity),
        "scope": tuple(s.value for s in Scope),
        "hint": tuple(h.value for h in Hint),
        "root_cause": tuple(r.value for r in RootCause),
        "error_field": tuple(dict.fromkeys((*ALIASES, "text"))),
        "finding_severity": tuple(s.value for s in Severity),
        "dimension": ("speed", "warmth", "depth"),
    }


def _finding_type() -> Any:
    """One finding of the ``findings`` column.  The fields a rule repeats on every finding
    (its id, code, severity, messages and clause) are dictionary-encoded: each chunk stores
    each distinct string once and an index per finding (the column measured 538 → 173 B a
    row on the bundled sample); reading a cell still gives plain strings."""
    pa = _pa()
    repeated = pa.dictionary(pa.int32(), pa.string())
    return pa.struct(
        [
            ("rule_id", repeated),
            ("code", repeated),
            ("severity", repeated),
            ("message_zh", repeated),
            ("message_en", repeated),
            ("clause", repeated),
            ("cue", pa.string()),
            ("spans", pa.list_(pa.list_(pa.int32()))),
            ("excerpt", pa.string()),
        ]
    )


def _columns(kind: Kind, frame_mode: bool) -> tuple[str, ...]:
    """Output columns of the typed frame: ``error`` flattened to ``error_field`` + ``error``."""
    cols = REPLY_COLUMNS if kind == "reply" else CLASSIFY_COLUMNS
    out = [c for c in cols if c != "error"]
    if frame_mode:
        out = [c for c in out if c not in ("row", "line")]
    return (*out, "error_field", "error")


class _Typer:
    """Plain output rows → typed column arrays, one chunk at a time."""

    def __init__(self, kind: Kind, tz: str, cols: Sequence[str]) -> None:
        self.pd = _pd()
        self.pa = _pa()
        self.kind = kind
        self.tz = tz
        self.cols = tuple(cols)
        self.cats = _categories()
        self.str_dtype = self.pd.StringDtype("pyarrow")
        self.time_dtype = self.pd.DatetimeTZDtype("ns", resolve_zone(tz))

    def array(self, col: str, values: list[Any]) -> Any:
        pd, pa = self.pd, self.pa
        if col in _FLOAT:
            return pd.array(values, dtype="Float64")
        if col in _INT:
            return pd.array(values, dtype="Int64")
        if col in _BOOL:
            return pd.array(values, dtype="boolean")
        if col in _TIME:
            # fromisoformat keeps offsets with seconds (LMT before 1900: +08:05:43)
            utc = [None if v is None else _utc_naive(v) for v in values]
            s = pd.Series(pd.to_datetime(pd.Series(utc, dtype=object)), dtype="datetime64[ns]")
            return s.dt.tz_localize("UTC").dt.tz_convert(self.time_dtype.tz).array
        if col in _LISTS:
            return pd.arrays.ArrowExtensionArray(pa.array(values, type=pa.list_(pa.string())))
        if col == "findings":
            return pd.arrays.ArrowExtensionArray(pa.array(values, type=pa.list_(_finding_type())))
        # text and (until the whole frame is assembled) the enumerations
        return pd.array(values, dtype=self.str_dtype)

    def arrays(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """One chunk of rows as one array per column."""
        data: dict[str, list[Any]] = {c: [] for c in self.cols}
        for r in rows:
            err = r.get("error")
            for c in self.cols:
                if c == "error":
                    data[c].append(None if err is None else err.get("reason"))
                elif c == "error_field":
                    data[c].append(None if err is None else err.get("field"))
                else:
                    data[c].append(r.get(c))
        return {c: self.array(c, data.pop(c)) for c in self.cols}

    def frame(self, rows: list[dict[str, Any]], index: Any = None) -> Any:
        return self.build([self.arrays(rows)], index)

    def build(self, parts: list[dict[str, Any]], index: Any = None) -> Any:
        """The typed frame from chunks of arrays, column by column: Arrow-backed columns are
        joined without a copy (a chunked array), the small numeric ones concatenated;
        categories last."""
        pd, pa = self.pd, self.pa
        if not parts:
            parts = [self.arrays([])]
        columns: dict[str, Any] = {}
        for c in self.cols:
            pieces = [p.pop(c) for p in parts]
            first = pieces[0]
            if hasattr(first, "__arrow_array__") and isinstance(
                first.dtype, (pd.ArrowDtype, pd.StringDtype)
            ):
                chunks = [ch for a in pieces for ch in a.__arrow_array__().chunks]
                # joined as a chunked array, without a copy (combining the chunks measured
                # ~10 MB more peak RSS per 10,000 rows: the allocator keeps the freed pieces)
                joined = pa.chunked_array(chunks, type=first.__arrow_array__().type)
                if isinstance(first.dtype, pd.StringDtype):
                    columns[c] = pd.arrays.ArrowStringArray(joined)
                else:
                    columns[c] = pd.arrays.ArrowExtensionArray(joined)
            elif len(pieces) == 1:
                columns[c] = first
            else:
                columns[c] = type(first)._concat_same_type(pieces)
            del pieces
        df = pd.DataFrame(columns, columns=list(self.cols), index=index)
        return self.finish(df)

    def finish(self, df: Any) -> Any:
        """Categories for the enumerated columns, fixed ones first, then any others seen."""
        pd = self.pd
        for col, fixed in {**self.cats, "tz": (self.tz,)}.items():
            if col not in df.columns:
                continue
            seen = df[col].dropna().unique()
            extra = sorted(str(v) for v in seen if str(v) not in fixed)
            df[col] = df[col].astype(pd.CategoricalDtype([*fixed, *extra]))
        return df


def frame_meta(
    kind: Kind = "reply",
    *,
    frame_mode: bool = True,
    findings: FindingsMode = "column",
    tz: str = DEFAULT_TZ,
) -> Any:
    """An empty DataFrame with the scored columns and their dtypes (Dask's ``meta``)."""
    cols = _columns(kind, frame_mode)
    if findings != "column":
        cols = tuple(c for c in cols if c != "findings")
    typer = _Typer(kind, tz, cols)
    return typer.frame([])


def _plain_demote(row: dict[str, Any], reason: str, fieldname: str | None = None) -> Any:
    keep = ("row", "line", "id", "agent", "channel", "tz")
    out: dict[str, Any] = {k: row.get(k) for k in keep}
    out["error"] = {
        "row": row.get("row"),
        "line": row.get("line"),
        "field": fieldname,
        "reason": reason,
    }
    return out


def rows_to_frame(
    rows: Iterable[Mapping[str, Any]],
    kind: Kind = "reply",
    *,
    index: Any = None,
    tz: str = DEFAULT_TZ,
    chunk_rows: int = 500,
) -> Any:
    """Output rows (dicts) as a typed DataFrame, converted ``chunk_rows`` at a time."""
    frame_mode = index is not None
    typer = _Typer(kind, tz, _columns(kind, frame_mode))
    demote = getattr(rows, "demote", None) or _plain_demote
    parts = [typer.arrays(_fit_times(chunk, demote)) for chunk in _batched(rows, chunk_rows)]
    return typer.build(parts, index)


def _utc_naive(v: Any) -> datetime:
    dt = v if isinstance(v, datetime) else datetime.fromisoformat(str(v))
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


_NS_YEARS = range(1678, 2262)  # what datetime64[ns] can hold (1677-09-21 … 2262-04-11)


def _fit_times(rows: list[dict[str, Any]], demote: Any) -> list[dict[str, Any]]:
    """Rows whose times a ``datetime64[ns]`` column cannot hold become error rows (the row
    contract holds in frames too: one row from 1830 must not sink the conversion)."""
    out = rows
    for i, r in enumerate(rows):
        for c in _TIME:
            v = r.get(c)
            if isinstance(v, str) and not (v[:4].isdigit() and int(v[:4]) in _NS_YEARS):
                reason = f"{c} {v!r} is outside the years a DataFrame time can hold (1678–2261)"
                if out is rows:
                    out = list(rows)
                out[i] = demote(r, reason, c)
                break
    return out


def _batched(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


# ---- findings table ---------------------------------------------------------------------------


def _findings_part(recs: list[dict[str, Any]], row_values: list[Any] | None = None) -> Any:
    pd = _pd()
    s = pd.StringDtype("pyarrow")
    rows = [r["row"] for r in recs] if row_values is None else row_values
    row_arr = (
        pd.array(rows, dtype="Int64")
        if all(isinstance(v, int) for v in rows)
        else pd.array([str(v) for v in rows], dtype=s)
    )
    data = {"row": row_arr}
    for c in FINDINGS_COLUMNS[1:]:
        vals = [r[c] for r in recs]
        data[c] = pd.array(vals, dtype="Int64" if c in ("start", "end") else s)
    return pd.DataFrame(data, columns=list(FINDINGS_COLUMNS))


def _finish_findings(df: Any) -> Any:
    pd = _pd()
    cats = _categories()
    df["severity"] = df["severity"].astype(pd.CategoricalDtype(cats["finding_severity"]))
    df["dimension"] = df["dimension"].astype(pd.CategoricalDtype(cats["dimension"]))
    known = _rule_categories()
    for col, fixed in zip(("rule_id", "code"), known, strict=True):
        # the registry's ids and codes, so every partition and run has the same dtype; a rule
        # a Standard added at run time is appended, never turned into a missing value
        extra = sorted(set(df[col].dropna()) - set(fixed))
        df[col] = df[col].astype(pd.CategoricalDtype((*fixed, *extra)))
    return df


def _rule_categories() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from ..rules import get_registry

    rules = sorted(get_registry(), key=lambda r: r.code)
    return tuple(r.id for r in rules), tuple(r.code for r in rules)


def findings_table(rows: Iterable[Mapping[str, Any]], labels: Iterable[Any] | None = None) -> Any:
    """One row per finding — ``row`` (the row number or index label), ``id``, ``rule_id``,
    ``code``, ``severity``, ``dimension`` (speed/warmth/depth), ``start``/``end`` (first span),
    ``cue``, ``excerpt``, ``message`` (Chinese), ``message_en``, ``clause`` — ready for
    ``groupby``.  ``rows`` are output rows of :func:`~csstandards.batch.score_replies`."""
    pd = _pd()
    it = iter(labels) if labels is not None else None
    recs: list[dict[str, Any]] = []
    for r in rows:
        label = next(it) if it is not None else r.get("row")
        recs.extend(finding_records(r, label))
    return _finish_findings(_findings_part(recs) if recs else _empty_findings(pd))


def _empty_findings(pd: Any) -> Any:
    s = pd.StringDtype("pyarrow")
    return pd.DataFrame(
        {
            c: pd.array([], dtype="Int64" if c in ("row", "start", "end") else s)
            for c in FINDINGS_COLUMNS
        }
    )


# ---- DataFrame adapters -----------------------------------------------------------------------


def _as_frame_records(df: Any) -> Iterator[dict[str, Any]]:
    cols = [str(c) for c in df.columns]
    for values in df.itertuples(index=False, name=None):
        yield dict(zip(cols, values, strict=True))


def _check_frame(df: Any) -> None:
    pd = _pd()
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(df).__name__}")


def _plain(v: Any) -> Any:
    item = getattr(v, "item", None)
    return item() if callable(item) else v


def _kept(df: Any, keep: Any) -> list[Any]:
    if keep is None or keep is True:
        return list(df.columns)
    if keep is False:
        return []
    if isinstance(keep, str):
        keep = [keep]
    names = list(keep)
    missing = [k for k in names if k not in df.columns]
    if missing:
        raise InputError(f"keep= names columns the frame does not have: {missing}")
    return names


def _source_of(df: Any, cmap: ColumnMap, fieldname: str) -> Any:
    """The input column a field is read from (the first of its names present)."""
    for name in cmap.names(fieldname):
        if name in df.columns:
            return name
    return None


def _assemble(df: Any, kept: list[Any], scored: Any, cmap: ColumnMap, kind: Kind) -> Any:
    """Kept input columns, then the scored ones; a scored column of the same name wins (it is
    the typed reading of that field); text copies of kept input columns are left out."""
    pd = _pd()
    text_fields = ("reply", "review") if kind == "reply" else ("text",)
    drop = [f for f in text_fields if _source_of(df, cmap, f) in kept and f in scored.columns]
    if drop:
        scored = scored.drop(columns=drop)
    inputs = [c for c in kept if c not in scored.columns]
    if not inputs:
        return scored
    return pd.concat([df[inputs], scored], axis=1)


def _run_frame(
    kind: Kind,
    df: Any,
    make: Any,
    *,
    columns: Any,
    tz: str,
    keep: Any,
    findings: FindingsMode,
    chunk_rows: int,
) -> Any:
    pd = _pd()
    if findings not in ("column", "table", "none"):
        raise InputError(f"findings= must be 'column', 'table' or 'none', got {findings!r}")
    if not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise InputError(f"chunk_rows must be a positive integer, got {chunk_rows!r}")
    cmap = parse_column_spec(columns)
    kept = _kept(df, keep)
    cols = _columns(kind, True)
    if kind == "reply" and findings != "column":
        cols = tuple(c for c in cols if c != "findings")
    typer = _Typer(kind, tz, cols)
    labels = iter(df.index)
    parts: list[Any] = []
    fparts: list[Any] = []
    res = make(_as_frame_records(df), len(df))
    try:
        for chunk in _batched(res, chunk_rows):
            chunk = _fit_times(chunk, res.demote)
            chunk_labels = [_plain(x) for x in itertools.islice(labels, len(chunk))]
            for r, label in zip(chunk, chunk_labels, strict=True):
                err = r.get("error")
                if err is not None:
                    r["error"] = {**err, "row": label, "line": None}
            if findings == "table":
                recs = [
                    f
                    for r, lab in zip(chunk, chunk_labels, strict=True)
                    for f in finding_records(r, lab)
                ]
                if recs:
                    fparts.append(_findings_part(recs))
            parts.append(typer.arrays(chunk))
            del chunk
    finally:
        res.close()
    scored = _assemble(df, kept, typer.build(parts, df.index), cmap, kind)
    del parts
    if findings != "table":
        return scored
    table = pd.concat(fparts, ignore_index=True) if fparts else _empty_findings(pd)
    if (
        len(table)
        and table["row"].dtype != "Int64"
        and pd.api.types.is_integer_dtype(df.index.dtype)
    ):
        table["row"] = table["row"].astype("Int64")
    return ScoredFrames(scored, _finish_findings(table))


def score_dataframe(
    df: Any,
    *,
    columns: str | Mapping[str, str] | ColumnMap | None = None,
    tz: str = DEFAULT_TZ,
    standard: Any = None,
    classify: bool = True,
    keep_text: bool = True,
    keep: Sequence[Any] | bool | None = None,
    findings: FindingsMode = "column",
    workers: int = 1,
    chunk_rows: int = 500,
    row_timeout: float | None = DEFAULT_ROW_TIMEOUT,
    progress: bool = False,
    checker: Any = None,
    classifier: Any = None,
) -> Any:
    """Score a DataFrame of reply records (审核回复) into a typed frame with the same index.

    ``keep`` selects the input columns carried into the result (default all; ``False`` or
    ``[]`` none); the input frame is never mutated.  ``findings="column"`` (default) keeps the
    findings of each row in an Arrow ``list<struct>`` column, ``"table"`` returns
    :class:`ScoredFrames` ``(rows, findings)`` with one row per finding, ``"none"`` drops
    them.  Rows are scored as a stream and typed ``chunk_rows`` at a time.
    """
    _check_frame(df)

    def make(records: Iterator[dict[str, Any]], total: int) -> Any:
        return score_replies(
            records,
            columns=columns,
            tz=tz,
            standard=standard,
            classify=classify,
            keep_text=keep_text,
            workers=workers,
            checker=checker,
            classifier=classifier,
            row_timeout=row_timeout,
            progress=progress,
            total=total,
        )

    return _run_frame(
        "reply",
        df,
        make,
        columns=columns,
        tz=tz,
        keep=keep,
        findings=findings,
        chunk_rows=chunk_rows,
    )


def classify_dataframe(
    df: Any,
    *,
    columns: str | Mapping[str, str] | ColumnMap | None = None,
    tz: str = DEFAULT_TZ,
    standard: Any = None,
    keep_text: bool = True,
    keep: Sequence[Any] | bool | None = None,
    workers: int = 1,
    chunk_rows: int = 500,
    row_timeout: float | None = DEFAULT_ROW_TIMEOUT,
    progress: bool = False,
    classifier: Any = None,
) -> Any:
    """Classify a DataFrame of feedback records into a typed frame with the same index."""
    _check_frame(df)

    def make(records: Iterator[dict[str, Any]], total: int) -> Any:
        return classify_records(
            records,
            columns=columns,
            tz=tz,
            standard=standard,
            keep_text=keep_text,
            workers=workers,
            classifier=classifier,
            row_timeout=row_timeout,
            progress=progress,
            total=total,
        )

    return _run_frame(
        "feedback",
        df,
        make,
        columns=columns,
        tz=tz,
        keep=keep,
        findings="none",
        chunk_rows=chunk_rows,
    )


# ---- Dask -------------------------------------------------------------------------------------


def warm_up() -> None:
    """Load the checker's and classifier's dictionaries, rules and calendars in this process
    (a Dask worker runs it once: every later partition finds them warm)."""
    from .cli_support import sample_path
    from .readers import iter_records

    sample = [r.data for r, _ in zip(iter_records(sample_path()), range(40), strict=False)]
    for _ in score_replies([d for d in sample if d is not None]):
        pass


def _score_partition(part: Any, kwargs: dict[str, Any]) -> Any:
    return score_dataframe(part, **kwargs)


def _classify_partition(part: Any, kwargs: dict[str, Any]) -> Any:
    return classify_dataframe(part, **kwargs)


def _warm_workers() -> None:
    try:
        from distributed import get_client
    except ImportError:
        return
    try:
        client = get_client()
    except ValueError:  # no client: a local scheduler warms on the first partition
        return
    client.run(warm_up)


def _dask_kwargs(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    if "workers" in kwargs:
        raise InputError(f"{name} takes no workers=: Dask's scheduler decides the parallelism")
    return {**kwargs, "progress": False}


def score_dask(ddf: Any, *, warm: bool = True, **kwargs: Any) -> Any:
    """Score a Dask DataFrame partition by partition (``map_partitions`` with ``meta``).

    Takes the keyword arguments of :func:`score_dataframe` (except ``workers``: Dask
    schedules).  ``findings="table"`` returns :class:`ScoredFrames` of two lazy Dask frames
    built on the same partition tasks: compute them together (``dask.compute(res.rows,
    res.findings)``) and every partition is scored once; the findings table's ``row`` is the
    input's index label, as with :func:`score_dataframe`.  With a ``distributed`` client,
    ``warm`` loads the checker once on every worker first, so no partition pays for it.
    """
    kw = _dask_kwargs("score_dask", kwargs)
    meta = score_dataframe(ddf._meta, **kw)
    if warm:
        _warm_workers()
    if kw.get("findings") == "table":
        return _score_dask_table(ddf, kw, meta)
    return ddf.map_partitions(_score_partition, kw, meta=meta)


def _pick(frames: ScoredFrames, which: int) -> Any:
    return frames[which]


def _score_dask_table(ddf: Any, kw: dict[str, Any], meta: ScoredFrames) -> ScoredFrames:
    """Two lazy frames over one set of partition tasks: computed together
    (``dask.compute(res.rows, res.findings)``) each partition is scored once."""
    import dask.dataframe as dd
    from dask.delayed import delayed

    scored = [delayed(_score_partition)(p, kw) for p in ddf.to_delayed()]
    rows = dd.from_delayed(
        [delayed(_pick)(s, 0) for s in scored], meta=meta.rows, divisions=ddf.divisions
    )
    found = dd.from_delayed([delayed(_pick)(s, 1) for s in scored], meta=meta.findings)
    return ScoredFrames(rows, found)


def classify_dask(ddf: Any, *, warm: bool = True, **kwargs: Any) -> Any:
    """Classify a Dask DataFrame of feedback records partition by partition."""
    kw = _dask_kwargs("classify_dask", kwargs)
    meta = classify_dataframe(ddf._meta, **kw)
    if warm:
        _warm_workers()
    return ddf.map_partitions(_classify_partition, kw, meta=meta)
