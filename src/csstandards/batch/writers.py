"""Output files of batch jobs, written so that an interrupted file cannot pass for a finished one.

A path is written as ``<path>.partial`` and renamed to ``<path>`` only when every row is out
(``os.replace``, atomic on one file system).  A run that is killed, interrupted (SIGTERM,
Ctrl-C) or stopped by an error leaves ``<path>.partial`` — whole lines up to where it stopped —
and no new ``<path>``.  A row that cannot be serialised (a lone surrogate in a text, a value a
custom checker returned that JSON cannot hold) becomes that row's error instead of ending the
file (see :meth:`RowStream.demote`).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .stream import RowStream

__all__ = ["PARTIAL_SUFFIX", "atomic_output", "write_csv", "write_jsonl"]

PARTIAL_SUFFIX = ".partial"


@contextmanager
def atomic_output(path: str | os.PathLike[str] | IO[str]) -> Iterator[IO[str]]:
    """An open text file for ``path``: written as ``path.partial``, renamed on success.

    ``"-"`` is standard output and an open file is used as is (neither can be renamed).
    """
    if not isinstance(path, (str, os.PathLike)):
        yield path
        return
    if str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    final = Path(path)
    partial = final.with_name(final.name + PARTIAL_SUFFIX)
    fh = open(partial, "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        yield fh
    except BaseException:
        fh.close()  # keep the partial file: whole lines so far, visibly unfinished
        raise
    fh.close()
    os.replace(partial, final)


def _serialised(
    result: RowStream | None, rows: Iterable[dict[str, Any]], encode: Any
) -> Iterator[Any]:
    """``encode(row)`` for every row; a row that cannot be encoded becomes its own error."""
    for row in rows:
        try:
            yield encode(row)
        except Exception as exc:
            if result is None:
                raise
            failed = result.demote(row, f"cannot be written: {type(exc).__name__}: {exc!r}")
            yield encode(failed)


def _json_line(row: dict[str, Any]) -> str:
    line = json.dumps(row, ensure_ascii=False) + "\n"
    line.encode("utf-8")  # a lone surrogate would break the file at write time
    return line


def write_jsonl(
    rows: Iterable[dict[str, Any]],
    path: str | os.PathLike[str] | IO[str],
    result: RowStream | None = None,
) -> None:
    """Every row as one JSON line (atomically when ``path`` is a path)."""
    with atomic_output(path) as fh:
        for line in _serialised(result, rows, _json_line):
            fh.write(line)


def _csv_cell(v: Any) -> Any:
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return "" if v is None else v


def write_csv(
    rows: Iterable[dict[str, Any]],
    path: str | os.PathLike[str] | IO[str],
    columns: tuple[str, ...],
    result: RowStream | None = None,
) -> None:
    """A CSV with ``columns``; list/dict cells (findings, topics, error) are JSON-encoded."""

    def cells(row: dict[str, Any]) -> list[Any]:
        out = [_csv_cell(row.get(c)) for c in columns]
        for v in out:
            if isinstance(v, str):
                v.encode("utf-8")
        return out

    with atomic_output(path) as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for values in _serialised(result, rows, cells):
            w.writerow(values)
