"""Shared pieces of the ``score``, ``classify``, ``report`` and ``demo`` commands."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError
from .core import DEFAULT_ROW_TIMEOUT, BatchResult
from .timeparse import DEFAULT_TZ
from .writers import PARTIAL_SUFFIX, write_csv, write_jsonl

__all__ = [
    "add_input_options",
    "input_options",
    "print_failures",
    "sample_path",
    "terminate_quietly",
    "want_progress",
    "write_output",
]

#: Exit status of a batch command stopped by SIGTERM (128 + 15, as a shell reports it).
EXIT_TERMINATED = 143


def sample_path() -> Path:
    """Path of the bundled sample data set (600 review/reply rows, JSONL)."""
    return Path(str(resources.files("csstandards") / "data" / "sample" / "reviews.jsonl"))


def add_input_options(p: argparse.ArgumentParser, *, workers: bool = True) -> None:
    p.add_argument(
        "--input-format",
        choices=["csv", "tsv", "jsonl", "parquet"],
        help="format of INPUT (default: from the file name; '-' reads JSONL from stdin)",
    )
    p.add_argument(
        "--encoding",
        default="utf-8-sig",
        help="text encoding of CSV/JSONL input (default UTF-8; gb18030 for GBK Excel exports)",
    )
    p.add_argument(
        "--columns",
        metavar="FIELD=COL,…",
        help="column mapping, e.g. reply=回复内容,stars=星级 (defaults cover common export names)",
    )
    p.add_argument(
        "--tz",
        default=DEFAULT_TZ,
        help=f"time zone of timestamps without one (default {DEFAULT_TZ}, 北京时间)",
    )
    if workers:
        p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument(
        "--errors", metavar="FILE", help="write bad rows (row, line, field, reason) as JSONL"
    )
    p.add_argument(
        "--row-timeout",
        type=float,
        default=DEFAULT_ROW_TIMEOUT,
        metavar="SECONDS",
        help=f"time budget per row; a slower row fails (default {DEFAULT_ROW_TIMEOUT:g}; 0 = none)",
    )
    prog = p.add_mutually_exclusive_group()
    prog.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show a progress bar (needs tqdm)",
    )
    prog.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no progress bar"
    )


def input_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`score_replies` / :func:`classify_records` that
    :func:`add_input_options` put on the command line."""
    return {
        "columns": args.columns,
        "tz": args.tz,
        "workers": getattr(args, "workers", 1),
        "errors": args.errors,
        "progress": want_progress(args),
        "format": args.input_format,
        "encoding": args.encoding,
        "row_timeout": args.row_timeout if args.row_timeout and args.row_timeout > 0 else None,
    }


def want_progress(args: argparse.Namespace) -> bool:
    if args.progress is None:
        return sys.stderr.isatty()
    return bool(args.progress)


def _say(message: str) -> None:
    """Print to stderr without tearing a running progress bar."""
    try:
        from tqdm import tqdm
    except ImportError:
        print(message, file=sys.stderr)
    else:
        tqdm.write(message, file=sys.stderr)


class FailurePrinter:
    """Pass rows through, printing the first ``limit`` bad rows as ``file:line: row N: …``."""

    def __init__(self, result: BatchResult, source: str, limit: int = 10) -> None:
        self.result = result
        self.source = source
        self.limit = limit
        self.shown = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.result:
            err = row.get("error")
            if err is not None and self.shown < self.limit:
                self.shown += 1
                where = f"{self.source}:{err['line']}" if err.get("line") else self.source
                fieldname = f" {err['field']}:" if err.get("field") else ""
                _say(f"{where}: row {err['row']}:{fieldname} {err['reason']}")
            yield row


def print_failures(result: BatchResult, source: str, limit: int = 10) -> Iterator[dict[str, Any]]:
    return iter(FailurePrinter(result, source, limit))


class _Terminated(SystemExit):
    """SIGTERM in a batch command: unwinds (workers stopped, partial file kept) and exits 143."""


_OWNER_PID: int | None = None


def _on_sigterm(signum: int, frame: Any) -> None:
    if os.getpid() != _OWNER_PID:
        # a worker forked with this handler, terminated before its initializer reset it
        # (the pool replaces workers even while it is being stopped): leave without a word
        os._exit(EXIT_TERMINATED)
    raise _Terminated(EXIT_TERMINATED)


@contextlib.contextmanager
def terminate_quietly(output: str | None = None) -> Iterator[None]:
    """SIGTERM ends the command like Ctrl-C would: ``finally`` blocks run, the pool's workers
    are terminated (they exit without a traceback), the output stays ``OUT.partial`` and the
    command exits 143 with one line saying so."""
    global _OWNER_PID
    previous = None
    in_main = threading.current_thread() is threading.main_thread()
    if in_main:
        _OWNER_PID = os.getpid()
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    except _Terminated:
        where = ""
        if output and output != "-":
            where = f"; the rows written so far are in {output}{PARTIAL_SUFFIX}"
        print(f"terminated (SIGTERM) before the end of the input{where}", file=sys.stderr)
        raise
    except KeyboardInterrupt:
        if output and output != "-":
            print(
                f"interrupted; the rows written so far are in {output}{PARTIAL_SUFFIX}",
                file=sys.stderr,
            )
        raise
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def write_output(
    result: BatchResult, rows: Iterable[dict[str, Any]], out: str, fmt: str = "jsonl"
) -> None:
    """Rows to ``out`` (``-`` = stdout) as ``fmt`` (``jsonl`` or ``csv``), atomically for a
    file; a row that cannot be written becomes its own error row."""
    if fmt == "jsonl":
        write_jsonl(rows, out, result)
    elif fmt == "csv":
        write_csv(rows, out, result.columns, result)
    else:
        raise InputError(f"unknown output format {fmt!r}: use jsonl or csv")
