"""The machinery every row stream of the library shares (批量流水线): reply and feedback batches
(:class:`~csstandards.batch.BatchResult`) and conversation QA
(:class:`~csstandards.qa.stream.QAResult`).

* :func:`chunked` — records in chunks of ``size``;
* :func:`run_chunk` / :func:`run_row` — one chunk under the per-row time budget (每行时限,
  :class:`~csstandards.batch.budget.RowBudget`), and the row contract: whatever a row raises
  while it is prepared or checked becomes that row's error row, never the end of the run;
* :func:`ordered_pool` — a worker pool with at most ``workers * prefetch`` chunks in flight,
  rows in input order; workers exit quietly on SIGTERM (the parent decides) and a chunk the
  pool could not score is reported row by row;
* :class:`RowStream` — the lazy result: counts (rows in == scored + failed), the errors file,
  the summary, ``close`` / context manager, and atomic JSONL output (``OUT.partial`` renamed
  on success, :mod:`csstandards.batch.writers`).

This module knows nothing of what a row is; callers give the functions that make one.
"""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from ..errors import CSStandardsError, InputError, RecordError
from .budget import RowBudget
from .writers import write_jsonl

if TYPE_CHECKING:
    from .core import BatchSummary

__all__ = [
    "RowStream",
    "check_pool_args",
    "checked_row_timeout",
    "chunked",
    "mp_context",
    "ordered_pool",
    "run_chunk",
    "run_row",
    "worker_job",
]

T = TypeVar("T")
S = TypeVar("S", bound="RowStream")
Row = dict[str, Any]
#: ``failed(fieldname, reason)``: the error row of the record being run.
Failed = Callable[[str | None, str], Row]


def chunked(records: Iterable[T], size: int) -> Iterator[list[T]]:
    """``records`` in lists of ``size`` (the last one shorter)."""
    buf: list[T] = []
    for r in records:
        buf.append(r)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def check_pool_args(workers: Any, chunk_size: Any) -> None:
    """An :class:`InputError` unless ``workers`` and ``chunk_size`` are positive integers."""
    if not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers must be a positive integer, got {workers!r}")
    if chunk_size < 1:
        raise InputError(f"chunk_size must be positive, got {chunk_size!r}")


def checked_row_timeout(row_timeout: Any) -> float | None:
    """``row_timeout`` as seconds (``None``: no budget), or an :class:`InputError` saying why
    it is not a positive finite number."""
    if row_timeout is None:
        return None
    if (
        isinstance(row_timeout, bool)
        or not isinstance(row_timeout, (int, float))
        or not row_timeout > 0
        or not math.isfinite(row_timeout)
    ):
        raise InputError(
            f"row_timeout must be a positive number of seconds or None, got {row_timeout!r}"
        )
    return float(row_timeout)


def run_row(row: int | None, budget: RowBudget, make: Callable[[], Row], failed: Failed) -> Row:
    """One row, whatever happens (the row contract): ``make()`` within the time budget, or
    ``failed(field, reason)`` when it raised — a :class:`RecordError` names its field, any other
    failure the stage the budget was at (``budget.stage``)."""
    try:
        with budget.row(row):
            return make()
    except RecordError as exc:
        return failed(exc.field, exc.problem)
    except CSStandardsError as exc:
        return failed(budget.stage, str(exc))
    except Exception as exc:  # a bug in a checker must not stop a million-row run: count it
        return failed(budget.stage, f"unexpected {type(exc).__name__}: {exc}")


def run_chunk(
    seconds: float | None, chunk: Iterable[T], run_one: Callable[[T, RowBudget], Row]
) -> list[Row]:
    """Every record of ``chunk`` through ``run_one(record, budget)`` under one armed budget."""
    budget = RowBudget(seconds)
    with budget.armed():
        return [run_one(r, budget) for r in chunk]


# ---- worker pool -----------------------------------------------------------------------------
_WORKER_JOB: Any = None


_WORKER_STARTS: Any = None  # the queue on which a worker says which chunk it took


def _worker_init(job: Any, starts: Any = None) -> None:
    global _WORKER_JOB, _WORKER_STARTS
    _WORKER_JOB = job
    _WORKER_STARTS = starts
    # Quiet exits: the parent decides.  SIGTERM (pool.terminate, a kill of the process group)
    # ends the worker without a traceback even when a forked worker inherited the CLI's
    # handler; Ctrl-C reaches the parent, which stops the pool.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_job() -> Any:
    """In a worker of :func:`ordered_pool`: the job it was started with."""
    assert _WORKER_JOB is not None, "not in a worker process of ordered_pool"
    return _WORKER_JOB


def _run_task(work: Callable[[Any], Any], chunk_id: int, payload: Any) -> Any:
    """In a worker: say which chunk this process took (so the parent can tell a chunk whose
    worker died from one still running), then do the work."""
    if _WORKER_STARTS is not None:
        _WORKER_STARTS.put((chunk_id, os.getpid()))
    return work(payload)


class WorkerDiedError(RuntimeError):
    """The worker process scoring a chunk ended before it answered (killed by the system's
    out-of-memory killer, a signal, or a crash in native code)."""


class _Watched:
    """An ``AsyncResult`` whose ``get`` notices that the worker holding its chunk died.

    ``multiprocessing.Pool`` replaces a dead worker but loses its task: a plain ``get()`` would
    wait for ever.  Workers report each chunk they take (:func:`_run_task`); while waiting, the
    parent drains those reports and looks at the exit codes of the pool's processes."""

    def __init__(self, pool: Any, watch: _PoolWatch, result: Any, chunk_id: int) -> None:
        self._pool = pool
        self._watch = watch
        self._result = result
        self._id = chunk_id

    def get(self) -> Any:
        self._watch.drain()  # every time, so the workers' reports never fill the pipe
        try:
            return self._wait()
        finally:
            self._watch.forget(self._id)

    def _wait(self) -> Any:
        while not self._result.ready():
            self._result.wait(_WATCH_SECONDS)
            code = self._watch.dead_holder(self._pool, self._id)
            if code is not None:
                self._result.wait(_WATCH_SECONDS)  # an answer sent just before the end
                if self._result.ready():
                    break
                self._watch.lost = True
                hint = " (killed: out of memory?)" if code == -signal.SIGKILL else ""
                raise WorkerDiedError(
                    f"the worker process ended with exit code {code}{hint} while on this chunk"
                )
        return self._result.get()


_WATCH_SECONDS = 0.25


class _PoolWatch:
    def __init__(self, starts: Any) -> None:
        self._starts = starts
        self._holder: dict[int, int] = {}  # chunk id -> pid of the worker that took it
        self._procs: dict[int, Any] = {}  # pid -> Process, including ones the pool replaced
        self.lost = False  # a chunk was lost with its worker: the pool can only be terminated

    def dead_holder(self, pool: Any, chunk_id: int) -> int | None:
        """The exit code of the worker that took ``chunk_id`` if it has ended, else None."""
        self.drain()
        for p in getattr(pool, "_pool", ()):  # private, but the only list of the workers
            self._procs.setdefault(p.pid, p)
        pid = self._holder.get(chunk_id)
        proc = self._procs.get(pid) if pid is not None else None
        code: int | None = None if proc is None else proc.exitcode
        return code

    def drain(self) -> None:
        while not self._starts.empty():
            cid, pid = self._starts.get()
            self._holder[cid] = pid

    def forget(self, chunk_id: int) -> None:
        self._holder.pop(chunk_id, None)


def mp_context() -> Any:
    methods = mp.get_all_start_methods()
    # fork is fast (workers inherit the loaded dictionaries) but unsafe once threads run
    if "fork" in methods and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context("spawn")


def ordered_pool(
    job: Any,
    chunks: Iterable[list[T]],
    *,
    workers: int,
    prefetch: int,
    work: Callable[[Any], Any],
    pack: Callable[[list[T]], Any],
    collect: Callable[[Any, list[T]], list[Row]],
) -> Iterator[Row]:
    """Rows of ``chunks`` scored in ``workers`` processes, in input order.

    Each worker gets ``job`` once (:func:`worker_job`); ``work(pack(chunk))`` runs there (a
    module-level function), and ``collect(async_result, chunk)`` turns its answer back into
    rows in the parent — reporting every row of the chunk when ``async_result.get()`` fails,
    including with :class:`WorkerDiedError` when the worker holding the chunk died (the pool
    starts a new worker and the other chunks go on).
    """
    ctx = mp_context()
    starts = ctx.SimpleQueue()
    watch = _PoolWatch(starts)
    pool = ctx.Pool(workers, initializer=_worker_init, initargs=(job, starts))
    try:
        pending: deque[tuple[Any, list[T]]] = deque()
        limit = max(1, workers * prefetch)
        for n, chunk in enumerate(chunks):
            task = pool.apply_async(_run_task, (work, n, pack(chunk)))
            pending.append((_Watched(pool, watch, task, n), chunk))
            if len(pending) >= limit:
                yield from collect(*pending.popleft())
        while pending:
            yield from collect(*pending.popleft())
        if not watch.lost:  # a lost task stays in the pool's cache, so join would wait for ever
            pool.close()
            pool.join()
    finally:
        pool.terminate()


# ---- the result stream -----------------------------------------------------------------------
class RowStream(Iterator[Row]):
    """A lazy stream of output rows (dicts) with counts and an errors file; consume it once.

    Subclasses set :attr:`columns`, call :meth:`_start_stream` and implement :meth:`_demoted`
    (the error row that replaces a row which could not be written).
    """

    columns: tuple[str, ...] = ()

    def _start_stream(
        self,
        rows: Iterator[Row],
        *,
        source: str,
        workers: int,
        errors: str | os.PathLike[str] | IO[str] | None,
    ) -> None:
        self._rows = rows
        self._source = source
        self._workers = workers
        self._read = 0
        self._failed = 0
        self._failures: Counter[str] = Counter()
        self._start = time.perf_counter()
        self._end: float | None = None
        self._errors_target = errors
        self._errors_fh: IO[str] | None = None
        self._own_errors_fh = False

    def __iter__(self: S) -> S:
        return self

    def __next__(self) -> Row:
        try:
            row = next(self._rows)
        except BaseException:  # the end, or an interruption: the errors file is closed
            self._finish()
            raise
        self._read += 1
        err = row.get("error")
        if err is not None:
            self._failed += 1
            self._failures[err.get("field") or "record"] += 1
            self._write_error(err)
        return row

    def close(self) -> None:
        """Stop early: worker processes end and the errors file is closed."""
        close = getattr(self._rows, "close", None)
        if callable(close):
            close()
        self._finish()

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _demoted(self, row: Row, reason: str, fieldname: str | None) -> Row:
        raise NotImplementedError

    def demote(self, row: Row, reason: str, fieldname: str | None = None) -> Row:
        """Turn an already counted row into an error row (it could not be written, say) and
        count it as failed, so that rows in == scored + failed still holds."""
        out = self._demoted(row, reason, fieldname)
        if row.get("error") is None:
            self._failed += 1
        self._failures[fieldname or "record"] += 1
        self._write_error(out["error"])
        return out

    def _write_error(self, err: Mapping[str, Any]) -> None:
        if self._errors_target is None:
            return
        if self._errors_fh is None:
            if isinstance(self._errors_target, (str, os.PathLike)):
                self._errors_fh = open(self._errors_target, "w", encoding="utf-8")  # noqa: SIM115
                self._own_errors_fh = True
            else:
                self._errors_fh = self._errors_target
        rec = {"source": self._source, **err}
        self._errors_fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def _finish(self) -> None:
        if self._end is None:
            self._end = time.perf_counter()
        if self._errors_fh is not None and self._own_errors_fh:
            self._errors_fh.close()
            self._errors_fh = None
        elif (
            self._errors_fh is None
            and isinstance(self._errors_target, (str, os.PathLike))
            and not Path(self._errors_target).exists()
        ):
            Path(self._errors_target).write_text("", encoding="utf-8")  # an empty file: no errors

    def _counts(self) -> dict[str, Any]:
        """The summary's counting fields (read, scored, failed, failures, workers, seconds)."""
        end = self._end if self._end is not None else time.perf_counter()
        return {
            "source": self._source,
            "read": self._read,
            "scored": self._read - self._failed,
            "failed": self._failed,
            "failures": dict(self._failures),
            "workers": self._workers,
            "seconds": round(end - self._start, 4),
        }

    def to_list(self) -> list[Row]:
        return list(self)

    @property
    def summary(self) -> BatchSummary:
        """The counts so far (a :class:`~csstandards.batch.BatchSummary`), complete once the
        stream is exhausted."""
        raise NotImplementedError

    def to_jsonl(self, path: str | os.PathLike[str] | IO[str]) -> BatchSummary:
        """Write every row as one JSON line (``"-"``: stdout); returns the summary.

        A path is written as ``path.partial`` and renamed when the last row is out, so an
        interrupted run leaves no file that looks finished; a row that cannot be serialised
        becomes its own error row (:mod:`csstandards.batch.writers`).
        """
        write_jsonl(self, path, self)
        return self.summary
