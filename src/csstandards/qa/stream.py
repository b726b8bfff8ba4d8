"""Scoring files of conversations (批量质检) with workers and the batch row contract.

Conversations flow ``source → chunks → (worker processes) → ordered rows`` as in
:mod:`csstandards.batch`: at most ``workers * prefetch`` chunks are in flight, a conversation
that cannot be read or checked is one output row with ``error`` (row, line, field, reason),
counted in the summary and written to ``errors=`` as a JSON line; the run goes on.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..batch import DEFAULT_TZ, BatchSummary, finding_dict
from ..errors import CSStandardsError, InputError
from ..standard import Standard
from .check import TranscriptReport, check_transcript
from .readers import TranscriptRecord, read_transcripts
from .scorecard import Scorecard, load_scorecard, rules_version

__all__ = ["QA_COLUMNS", "QAResult", "result_row", "score_transcripts"]

#: Output columns of :func:`score_transcripts`, in order.
QA_COLUMNS: tuple[str, ...] = (
    "row",
    "line",
    "id",
    "channel",
    "agent",
    "team",
    "n_turns",
    "score",
    "raw_score",
    "passed",
    "pass_mark",
    "fatal_items",
    "n_findings",
    "items",
    "rule_ids",
    "findings",
    "turns",
    "scorecard",
    "scorecard_hash",
    "rules_version",
    "error",
)


def result_row(rep: TranscriptReport, *, keep_text: bool = True) -> dict[str, Any]:
    """One conversation's report as a JSON-ready output row (the columns of QA_COLUMNS)."""
    r = rep.result
    findings = []
    for tf in rep.findings:
        text = rep.turns[tf.turn].text if tf.turn is not None else None
        d = finding_dict(tf.finding, text)
        d.update(turn=tf.turn, role=tf.role.value if tf.role else None, stage=tf.stage)
        findings.append(d)
    return {
        "id": rep.id,
        "channel": rep.channel.value,
        "agent": rep.agent or None,
        "team": rep.team or None,
        "n_turns": len(rep.turns),
        "score": r.score,
        "raw_score": r.raw_score,
        "passed": r.passed,
        "pass_mark": r.pass_mark,
        "fatal_items": list(r.fatal_items),
        "n_findings": len(rep.findings),
        "items": {it.key: it.deduction for it in r.items if it.hit},
        "rule_ids": list(dict.fromkeys(tf.finding.rule_id for tf in rep.findings)),
        "findings": findings,
        "turns": [
            {"turn": t.turn, "role": t.role.value, "agent": t.agent or None, "text": t.text}
            for t in rep.turns
        ]
        if keep_text
        else [],
        "scorecard": r.scorecard,
        "scorecard_hash": r.scorecard_hash,
        "rules_version": r.rules_version,
        "error": None,
    }


@dataclass
class _QAJob:
    scorecard: Scorecard
    standard: Standard | None
    keep_text: bool

    def run(self, rec: TranscriptRecord) -> dict[str, Any]:
        if rec.transcript is None:
            return self.failed(rec, rec.error or {})
        try:
            rep = check_transcript(rec.transcript, scorecard=self.scorecard, standard=self.standard)
        except CSStandardsError as exc:
            err = {"row": rec.row, "line": rec.line, "field": None, "reason": str(exc)}
            return self.failed(rec, err)
        except Exception as exc:  # a bug must not stop a month of chats: count it
            reason = f"unexpected {type(exc).__name__}: {exc}"
            return self.failed(
                rec, {"row": rec.row, "line": rec.line, "field": None, "reason": reason}
            )
        row = result_row(rep, keep_text=self.keep_text)
        row.update(row=rec.row, line=rec.line)
        return {c: row.get(c) for c in QA_COLUMNS}

    def failed(self, rec: TranscriptRecord, err: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = dict.fromkeys(QA_COLUMNS)
        t = rec.transcript
        out.update(
            row=rec.row,
            line=rec.line,
            id=t.id if t is not None else rec.id,
            channel=t.channel.value if t is not None else None,
            agent=(t.agent_id or None) if t is not None else None,
            team=(t.team or None) if t is not None else None,
            fatal_items=[],
            items={},
            rule_ids=[],
            findings=[],
            turns=[],
            scorecard=self.scorecard.name,
            scorecard_hash=self.scorecard.hash,
            rules_version=rules_version(),
            error={
                "row": err.get("row", rec.row),
                "line": err.get("line", rec.line),
                "field": err.get("field"),
                "reason": err.get("reason", ""),
            },
        )
        return out


_WORKER: _QAJob | None = None


def _init(job: _QAJob) -> None:
    global _WORKER
    _WORKER = job


def _work(chunk: list[TranscriptRecord]) -> list[dict[str, Any]]:
    assert _WORKER is not None
    return [_WORKER.run(r) for r in chunk]


def _chunks(records: Iterator[TranscriptRecord], size: int) -> Iterator[list[TranscriptRecord]]:
    buf: list[TranscriptRecord] = []
    for r in records:
        buf.append(r)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _parallel(
    job: _QAJob, chunks: Iterator[list[TranscriptRecord]], workers: int, prefetch: int
) -> Iterator[dict[str, Any]]:
    methods = mp.get_all_start_methods()
    use_fork = "fork" in methods and threading.active_count() == 1
    ctx = mp.get_context("fork" if use_fork else "spawn")
    pool = ctx.Pool(workers, initializer=_init, initargs=(job,))
    try:
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= max(1, workers * prefetch):
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
        pool.close()
        pool.join()
    finally:
        pool.terminate()


class QAResult(Iterator[dict[str, Any]]):
    """A lazy stream of output rows, one per conversation; consume it once (as
    :class:`csstandards.batch.BatchResult`)."""

    columns = QA_COLUMNS

    def __init__(
        self,
        job: _QAJob,
        records: Iterator[TranscriptRecord],
        *,
        source: str,
        tz: str,
        workers: int,
        chunk_size: int,
        prefetch: int,
        errors: str | os.PathLike[str] | IO[str] | None,
    ) -> None:
        self.job = job
        self._source = source
        self._tz = tz
        self._workers = workers
        self._read = 0
        self._failed = 0
        self._failures: Counter[str] = Counter()
        self._start = time.perf_counter()
        self._end: float | None = None
        self._errors_target = errors
        self._errors_fh: IO[str] | None = None
        self._own = False
        chunks = _chunks(records, chunk_size)
        if workers > 1:
            self._rows: Iterator[dict[str, Any]] = _parallel(job, chunks, workers, prefetch)
        else:
            self._rows = (job.run(r) for chunk in chunks for r in chunk)

    def __iter__(self) -> QAResult:
        return self

    def __next__(self) -> dict[str, Any]:
        try:
            row = next(self._rows)
        except BaseException:
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
        close = getattr(self._rows, "close", None)
        if callable(close):
            close()
        self._finish()

    def __enter__(self) -> QAResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write_error(self, err: Mapping[str, Any]) -> None:
        if self._errors_target is None:
            return
        if self._errors_fh is None:
            if isinstance(self._errors_target, (str, os.PathLike)):
                self._errors_fh = open(self._errors_target, "w", encoding="utf-8")  # noqa: SIM115
                self._own = True
            else:
                self._errors_fh = self._errors_target
        self._errors_fh.write(
            json.dumps({"source": self._source, **err}, ensure_ascii=False) + "\n"
        )

    def _finish(self) -> None:
        if self._end is None:
            self._end = time.perf_counter()
        if self._errors_fh is not None and self._own:
            self._errors_fh.close()
            self._errors_fh = None
        elif (
            self._errors_fh is None
            and isinstance(self._errors_target, (str, os.PathLike))
            and not Path(self._errors_target).exists()
        ):
            Path(self._errors_target).write_text("", encoding="utf-8")

    @property
    def summary(self) -> BatchSummary:
        end = self._end if self._end is not None else time.perf_counter()
        return BatchSummary(
            kind="qa",
            source=self._source,
            tz=self._tz,
            read=self._read,
            scored=self._read - self._failed,
            failed=self._failed,
            failures=dict(self._failures),
            workers=self._workers,
            seconds=round(end - self._start, 4),
        )

    def to_list(self) -> list[dict[str, Any]]:
        return list(self)

    def to_jsonl(self, path: str | os.PathLike[str] | IO[str]) -> BatchSummary:
        """Write every row as one JSON line (``"-"``: stdout); returns the summary."""
        import sys

        if isinstance(path, (str, os.PathLike)):
            fh: IO[str] = (
                sys.stdout if str(path) == "-" else open(path, "w", encoding="utf-8")  # noqa: SIM115
            )
            own = str(path) != "-"
        else:
            fh, own = path, False
        try:
            for row in self:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        finally:
            if own:
                fh.close()
        return self.summary


def score_transcripts(
    source: Any,
    *,
    scorecard: Scorecard | str | os.PathLike[str] | None = None,
    standard: Standard | None = None,
    workers: int = 1,
    chunk_size: int = 50,
    prefetch: int = 4,
    errors: str | os.PathLike[str] | IO[str] | None = None,
    format: str | None = None,
    tz: str = DEFAULT_TZ,
    encoding: str = "utf-8-sig",
    roles: Mapping[str, str] | None = None,
    keep_text: bool = True,
) -> QAResult:
    """Check and score every conversation of ``source`` (a JSONL of conversations, a flat
    CSV/TSV/Parquet of turns, a DataFrame or an iterable of dicts) as a lazy row stream.

    ``workers > 1`` checks in that many processes; output order is input order.
    """
    if not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers must be a positive integer, got {workers!r}")
    if chunk_size < 1:
        raise InputError(f"chunk_size must be positive, got {chunk_size!r}")
    sc = load_scorecard(scorecard if not isinstance(scorecard, os.PathLike) else str(scorecard))
    if isinstance(source, (str, os.PathLike)):
        name = str(source)
    else:
        name = getattr(source, "name", None) or f"<{type(source).__name__}>"
    records = read_transcripts(source, format=format, tz=tz, encoding=encoding, roles=roles)
    return QAResult(
        _QAJob(sc, standard, keep_text),
        records,
        source=str(name),
        tz=tz,
        workers=workers,
        chunk_size=chunk_size,
        prefetch=prefetch,
        errors=errors,
    )
