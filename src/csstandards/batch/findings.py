"""The findings table (发现表): one record per finding, for ``groupby`` by rule, agent or week.

:func:`finding_records` turns one output row of :func:`~csstandards.batch.score_replies` into
findings-table records; :class:`FindingsSink` streams them into a Parquet file (``csstandards
score --findings out.parquet``) a bounded batch at a time, written as ``out.parquet.partial``
and renamed when the run completes, like the main output.  pandas users get the same table
from ``score_dataframe(df, findings="table")``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from .writers import PARTIAL_SUFFIX

__all__ = ["FINDINGS_COLUMNS", "FindingsSink", "finding_records"]

#: Columns of the findings table, in order.
FINDINGS_COLUMNS: tuple[str, ...] = (
    "row",
    "id",
    "rule_id",
    "code",
    "severity",
    "dimension",
    "start",
    "end",
    "cue",
    "excerpt",
    "message",
    "message_en",
    "clause",
)


def finding_records(row: Mapping[str, Any], label: Any) -> Iterator[dict[str, Any]]:
    """The findings of one output row as findings-table records (``row`` = ``label``).

    ``dimension`` is the sub-score the rule counts against first (speed 速度, warmth 温度,
    depth 深度); ``start``/``end`` is the first span of the finding in the reply (``None``
    for a finding about something missing); ``message`` is the Chinese message.
    """
    from ..tone import rule_dimension

    for f in row.get("findings") or ():
        spans: Any = f.get("spans") or ()
        start, end = (spans[0][0], spans[0][1]) if len(spans) else (None, None)
        yield {
            "row": label,
            "id": row.get("id"),
            "rule_id": f.get("rule_id"),
            "code": f.get("code"),
            "severity": f.get("severity"),
            "dimension": rule_dimension(str(f.get("rule_id"))),
            "start": start,
            "end": end,
            "cue": f.get("cue"),
            "excerpt": f.get("excerpt"),
            "message": f.get("message_zh"),
            "message_en": f.get("message_en"),
            "clause": f.get("clause"),
        }


def _schema() -> Any:
    import pyarrow as pa

    s = pa.string()
    d = pa.dictionary(pa.int32(), pa.string())
    return pa.schema(
        [
            ("row", pa.int64()),
            ("id", s),
            ("rule_id", d),
            ("code", d),
            ("severity", d),
            ("dimension", d),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("cue", s),
            ("excerpt", s),
            ("message", s),
            ("message_en", s),
            ("clause", s),
        ]
    )


class FindingsSink:
    """Collect the findings of rows flowing past into a Parquet file, ``batch`` at a time."""

    def __init__(self, path: str | os.PathLike[str], batch: int = 20_000) -> None:
        if not str(path).lower().endswith((".parquet", ".pq")):
            raise InputError(f"{path}: the findings table is written as Parquet (.parquet)")
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise InputError("--findings needs pyarrow: pip install 'csstandards[pandas]'") from exc
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + PARTIAL_SUFFIX)
        self._schema = _schema()
        self._writer = pq.ParquetWriter(self.partial, self._schema)
        self._buf: list[dict[str, Any]] = []
        self._batch = batch
        self.count = 0

    def feed(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Pass ``rows`` through, keeping their findings."""
        for row in rows:
            self._buf.extend(finding_records(row, row.get("row")))
            if len(self._buf) >= self._batch:
                self._flush()
            yield row

    def _flush(self) -> None:
        if not self._buf:
            return
        import pyarrow as pa

        table = pa.Table.from_pylist(self._buf, schema=self._schema)
        self._writer.write_table(table)
        self.count += len(self._buf)
        self._buf = []

    def close(self, complete: bool) -> None:
        """Write what is left; rename into place when the run ``complete``d."""
        if complete:
            self._flush()
        self._writer.close()
        if complete:
            os.replace(self.partial, self.path)
