"""Streaming readers: every source becomes an iterator of ``(row, line, record)``.

``row`` is the 1-based index of the record in its source, ``line`` the line of the file it
starts on (CSV, JSONL) or ``None``.  Nothing is read ahead beyond one Parquet batch, so a
10-million-row file never sits in memory.
"""

from __future__ import annotations

import codecs
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

__all__ = ["RawRecord", "ReadMeter", "detect_format", "iter_records"]

FORMATS = ("csv", "jsonl", "parquet", "tsv")


class ReadMeter:
    """How far a reader has got: ``size`` (bytes of a text file, else ``None``), ``bytes_read``
    and ``rows`` (the total of a Parquet file), for progress bars."""

    def __init__(self) -> None:
        self.size: int | None = None
        self.bytes_read = 0
        self.rows: int | None = None


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
    source: Any,
    *,
    format: str | None = None,
    encoding: str = "utf-8-sig",
    meter: ReadMeter | None = None,
) -> Iterator[RawRecord]:
    """Records from a path, an open text file, a pandas DataFrame or an iterable of mappings.

    Text files are read as ``encoding`` (default UTF-8, with or without BOM; Excel exports in
    mainland China are often ``gb18030``).
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if str(source) == "-":
            buf = getattr(sys.stdin, "buffer", None)
            stdin: Any = sys.stdin if buf is None else _DecodedLines(buf, encoding, "<stdin>")
            yield from _iter_text(stdin, format or "jsonl", "<stdin>")
            return
        if not path.exists():
            raise InputError(f"{path}: no such file (找不到输入文件)")
        fmt = format or detect_format(path)
        if fmt == "parquet":
            yield from _iter_parquet(path, meter=meter)
            return
        try:
            codec = codecs.lookup(encoding)
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
        if not _line_safe(codec.name):  # UTF-16/32: newline bytes are not on their own
            try:
                with open(path, encoding=encoding, newline="") as fh:
                    yield from _iter_text(fh, fmt, str(path))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: not valid {encoding} ({exc.reason}); the file cannot be read"
                ) from exc
            return
        if meter is not None:
            meter.size = path.stat().st_size
        with open(path, "rb") as bfh:
            lines = _DecodedLines(bfh, encoding, str(path), meter)
            yield from _iter_text(lines, fmt, str(path))
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


def _line_safe(codec_name: str) -> bool:
    """Whether ``\\n`` bytes always end a line in this encoding (UTF-8, GB18030, Latin-1 …)."""
    return not codec_name.startswith(("utf-16", "utf-32"))


class _DecodedLines:
    """Lines of a binary file decoded one at a time (行级解码).

    A line that is not valid in ``encoding`` does not end the run: it is recorded in
    :attr:`bad` (line number → reason, naming the byte offset in the file) and replaced by its
    lossy decoding, so the reader reports it as one failed row and goes on.
    """

    def __init__(self, fh: Any, encoding: str, name: str, meter: ReadMeter | None = None) -> None:
        self._fh = fh
        self._meter = meter
        self._encoding = encoding
        self._name = name
        self.bad: dict[int, str] = {}
        self.lineno = 0
        self.offset = 0  # byte offset of the next line

    def __iter__(self) -> Iterator[str]:
        enc = self._encoding
        meter = self._meter
        for raw in self._fh:
            self.lineno += 1
            start = self.offset
            self.offset += len(raw)
            if meter is not None:
                meter.bytes_read = self.offset
            try:
                yield raw.decode(enc)
            except UnicodeDecodeError as exc:
                where = start + exc.start
                self.bad[self.lineno] = (
                    f"line {self.lineno}: byte {where} of the file (byte {exc.start} of the line) "
                    f"is not valid {enc} ({exc.reason}); if the whole file is a GBK export, "
                    "pass encoding='gb18030' (--encoding gb18030)"
                )
                # the line's structure (quotes, separators) is kept so a CSV record around it
                # still ends where it should; the record is reported, never scored
                yield raw.decode(enc, errors="replace")

    def take(self, first: int, last: int) -> str | None:
        """The problem of the first bad line in ``first..last`` (and forget those lines)."""
        if not self.bad:
            return None
        hits = sorted(n for n in self.bad if first <= n <= last)
        if not hits:
            return None
        problem = self.bad[hits[0]]
        for n in hits:
            del self.bad[n]
        return problem


def _is_dataframe(obj: Any) -> bool:
    mod = type(obj).__module__
    return mod.startswith("pandas") and type(obj).__name__ == "DataFrame"


def _iter_text(fh: Any, fmt: str, name: str) -> Iterator[RawRecord]:
    decoded = fh if isinstance(fh, _DecodedLines) else None
    if fmt == "jsonl":
        row = 0
        for lineno, line in enumerate(fh, start=1):
            problem = decoded.take(lineno, lineno) if decoded is not None else None
            if problem is not None:
                row += 1
                yield RawRecord(row, lineno, None, problem)
                continue
            if not line.strip():
                continue
            row += 1
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RawRecord(row, lineno, None, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            except RecursionError:
                yield RawRecord(row, lineno, None, "invalid JSON: nested too deeply")
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
        problem = decoded.take(1, reader.line_num) if decoded is not None else None
        if problem is not None:
            raise InputError(f"{name}: unreadable CSV header: {problem}")
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
                problem = decoded.take(start, reader.line_num) if decoded is not None else None
                yield RawRecord(row, start, None, problem or f"unreadable CSV: {exc}")
                start = reader.line_num + 1
                continue
            line = start
            start = reader.line_num + 1
            problem = decoded.take(line, reader.line_num) if decoded is not None else None
            if problem is not None:  # an undecodable line costs the record it belongs to
                row += 1
                yield RawRecord(row, line, None, problem)
                continue
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


def _iter_parquet(
    path: Path, batch_size: int = 8192, meter: ReadMeter | None = None
) -> Iterator[RawRecord]:
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
    if meter is not None:
        meter.rows = pf.metadata.num_rows
    row = 0
    batches = pf.iter_batches(batch_size=batch_size)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except Exception as exc:  # a corrupt row group: the rows before it were delivered
            raise InputError(
                f"{path}: Parquet data unreadable after row {row}: {exc} (the run stops here)"
            ) from exc
        for rec in batch.to_pylist():
            row += 1
            yield RawRecord(row, None, rec)


def _iter_dataframe(df: Any) -> Iterator[RawRecord]:
    cols = [str(c) for c in df.columns]
    for i, values in enumerate(df.itertuples(index=False, name=None), start=1):
        yield RawRecord(i, None, dict(zip(cols, values, strict=True)))
