"""Streaming readers: every source becomes an iterator of ``(row, line, record)``.

``row`` is the 1-based index of the record in its source, ``line`` the line of the file it
starts on (CSV, JSONL) or ``None``.  Nothing is read ahead beyond one Parquet batch, so a
10-million-row file never sits in memory.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["RawRecord", "detect_format", "iter_records"]

FORMATS = ("csv", "jsonl", "parquet", "tsv")


@dataclass(frozen=True)
class RawRecord:
    """One input record with where it came from."""

    row: int
    line: int | None
    data: Mapping[str, Any] | None
    problem: str | None = None  # set when the record itself could not be read


def detect_format(path: str | os.PathLike[str]) -> str:
    """``csv``, ``tsv``, ``jsonl`` or ``parquet`` from the file name (``.gz`` not supported)."""
    name = str(path).lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".tsv", ".tab")):
        return "tsv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    raise InputError(
        f"{path}: cannot tell the format from the file name; pass format= one of {', '.join(FORMATS)}"
    )


def iter_records(
    source: Any, *, format: str | None = None, encoding: str = "utf-8-sig"
) -> Iterator[RawRecord]:
    """Records from a path, an open text file, a pandas DataFrame or an iterable of mappings.

    Text files are read as ``encoding`` (default UTF-8, with or without BOM; Excel exports in
    mainland China are often ``gb18030``).
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if str(source) == "-":
            yield from _iter_text(sys.stdin, format or "jsonl", "<stdin>")
            return
        if not path.exists():
            raise InputError(f"{path}: no such file (找不到输入文件)")
        fmt = format or detect_format(path)
        if fmt == "parquet":
            yield from _iter_parquet(path)
            return
        try:
            with open(path, encoding=encoding, newline="") as fh:
                yield from _iter_text(fh, fmt, str(path))
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: byte {exc.start} is not valid {encoding} ({exc.reason}); "
                "pass encoding='gb18030' (--encoding gb18030) for GBK exports"
            ) from exc
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
        return
    if isinstance(source, io.TextIOBase):
        yield from _iter_text(source, format or "jsonl", getattr(source, "name", "<stream>"))
        return
    if _is_dataframe(source):
        yield from _iter_dataframe(source)
        return
    if isinstance(source, Mapping):
        raise InputError("source must be an iterable of records, not a single mapping")
    if not isinstance(source, Iterable):
        raise InputError(
            f"cannot read records from {type(source).__name__}: give a path, a DataFrame "
            "or an iterable of dicts"
        )
    for i, item in enumerate(source, start=1):
        if isinstance(item, Mapping):
            yield RawRecord(i, None, item)
        elif hasattr(item, "model_dump"):
            yield RawRecord(i, None, item.model_dump())
        else:
            yield RawRecord(i, None, None, f"record is a {type(item).__name__}, not a mapping")


def _is_dataframe(obj: Any) -> bool:
    mod = type(obj).__module__
    return mod.startswith("pandas") and type(obj).__name__ == "DataFrame"


def _iter_text(fh: Any, fmt: str, name: str) -> Iterator[RawRecord]:
    if fmt == "jsonl":
        row = 0
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            row += 1
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RawRecord(row, lineno, None, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            if not isinstance(obj, dict):
                yield RawRecord(
                    row, lineno, None, f"JSON line is a {type(obj).__name__}, not an object"
                )
                continue
            yield RawRecord(row, lineno, obj)
        return
    if fmt in ("csv", "tsv"):
        reader = csv.reader(fh, delimiter="\t" if fmt == "tsv" else ",")
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{name}:1: unreadable CSV header: {exc}") from exc
        header = [h.strip() for h in header]
        if len(set(header)) != len(header):
            raise InputError(f"{name}:1: duplicate column names in the header {header}")
        row = 0
        start = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row += 1
                yield RawRecord(row, start, None, f"unreadable CSV: {exc}")
                start = reader.line_num + 1
                continue
            line = start
            start = reader.line_num + 1
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            row += 1
            if len(values) != len(header):
                yield RawRecord(
                    row, line, None, f"{len(values)} fields where the header has {len(header)}"
                )
                continue
            yield RawRecord(row, line, dict(zip(header, values, strict=True)))
        return
    raise InputError(f"{name}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _iter_parquet(path: Path, batch_size: int = 8192) -> Iterator[RawRecord]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError(
            f"{path}: reading Parquet needs pyarrow: pip install 'csstandards[pandas]'"
        ) from exc
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own types
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from exc
    row = 0
    for batch in pf.iter_batches(batch_size=batch_size):
        for rec in batch.to_pylist():
            row += 1
            yield RawRecord(row, None, rec)


def _iter_dataframe(df: Any) -> Iterator[RawRecord]:
    cols = [str(c) for c in df.columns]
    for i, values in enumerate(df.itertuples(index=False, name=None), start=1):
        yield RawRecord(i, None, dict(zip(cols, values, strict=True)))
