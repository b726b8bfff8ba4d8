"""Scoring files of conversations (批量质检) with workers and the batch row contract.

Conversations flow ``source → chunks → (worker processes) → ordered rows`` as in
:mod:`csstandards.batch`: at most ``workers * prefetch`` chunks are in flight, a conversation
that cannot be read or checked is one output row with ``error`` (row, line, field, reason),
counted in the summary and written to ``errors=`` as a JSON line; the run goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from ..batch import DEFAULT_TZ, BatchSummary, finding_dict
from ..batch.budget import RowBudget
from ..batch.core import DEFAULT_ROW_TIMEOUT
from ..batch.stream import (
    RowStream,
    check_pool_args,
    checked_row_timeout,
    chunked,
    ordered_pool,
    run_chunk,
    run_row,
    worker_job,
)
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
    row_timeout: float | None = None

    def run(self, rec: TranscriptRecord, budget: RowBudget) -> dict[str, Any]:
        """One conversation, whatever happens (the batch row contract): its row, or its error
        row when it could not be read, checked or turned into a row, or ran out of time."""
        if rec.transcript is None:
            return self.failed(rec, rec.error or {})
        return run_row(
            rec.row,
            budget,
            lambda: self._score(rec),
            lambda fieldname, reason: self.failed(
                rec, {"row": rec.row, "line": rec.line, "field": fieldname, "reason": reason}
            ),
        )

    def _score(self, rec: TranscriptRecord) -> dict[str, Any]:
        assert rec.transcript is not None
        rep = check_transcript(rec.transcript, scorecard=self.scorecard, standard=self.standard)
        row = result_row(rep, keep_text=self.keep_text)
        row.update(row=rec.row, line=rec.line)
        return {c: row.get(c) for c in QA_COLUMNS}

    def run_chunk(self, chunk: list[TranscriptRecord]) -> list[dict[str, Any]]:
        return run_chunk(self.row_timeout, chunk, self.run)

    def failed(self, rec: TranscriptRecord, err: Mapping[str, Any]) -> dict[str, Any]:
        t = rec.transcript
        return self.error_row(
            rec.row,
            rec.line,
            {
                "id": t.id if t is not None else rec.id,
                "channel": t.channel.value if t is not None else None,
                "agent": (t.agent_id or None) if t is not None else None,
                "team": (t.team or None) if t is not None else None,
            },
            err,
        )

    def error_row(
        self, row: int, line: int | None, ident: Mapping[str, Any], err: Mapping[str, Any]
    ) -> dict[str, Any]:
        out: dict[str, Any] = dict.fromkeys(QA_COLUMNS)
        out.update(
            row=row,
            line=line,
            **ident,
            fatal_items=[],
            items={},
            rule_ids=[],
            findings=[],
            turns=[],
            scorecard=self.scorecard.name,
            scorecard_hash=self.scorecard.hash,
            rules_version=rules_version(),
            error={
                "row": err.get("row", row),
                "line": err.get("line", line),
                "field": err.get("field"),
                "reason": err.get("reason", ""),
            },
        )
        return out


def _work(chunk: list[TranscriptRecord]) -> list[dict[str, Any]]:
    """Check a chunk in a worker process of :func:`csstandards.batch.stream.ordered_pool`."""
    job: _QAJob = worker_job()
    return job.run_chunk(chunk)


def _same(chunk: list[TranscriptRecord]) -> list[TranscriptRecord]:
    return chunk


def _collect(job: _QAJob, result: Any, chunk: list[TranscriptRecord]) -> list[dict[str, Any]]:
    """A chunk's rows from its worker; a chunk the worker could not check (a conversation or
    row that cannot be pickled, a broken worker) is reported row by row, the run goes on."""
    try:
        rows: list[dict[str, Any]] = result.get()
    except Exception as exc:
        reason = f"the worker process could not check this chunk: {type(exc).__name__}: {exc}"
        return [
            job.failed(r, {"row": r.row, "line": r.line, "field": None, "reason": reason})
            for r in chunk
        ]
    return rows


class QAResult(RowStream):
    """A lazy stream of output rows, one per conversation; consume it once (as
    :class:`csstandards.batch.BatchResult`, whose machinery it shares:
    :class:`csstandards.batch.stream.RowStream`)."""

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
        self._tz = tz
        chunks = chunked(records, chunk_size)
        if workers > 1:
            rows: Iterator[dict[str, Any]] = ordered_pool(
                job,
                chunks,
                workers=workers,
                prefetch=prefetch,
                work=_work,
                pack=_same,
                collect=lambda result, chunk: _collect(job, result, chunk),
            )
        else:
            rows = (row for chunk in chunks for row in job.run_chunk(chunk))
        self._start_stream(rows, source=source, workers=workers, errors=errors)

    def _demoted(self, row: dict[str, Any], reason: str, fieldname: str | None) -> dict[str, Any]:
        ident = {k: row.get(k) if isinstance(row.get(k), str) else None for k in _IDENT_COLUMNS}
        err = {"field": fieldname, "reason": reason}
        return self.job.error_row(row.get("row") or 0, row.get("line"), ident, err)

    @property
    def summary(self) -> BatchSummary:
        return BatchSummary(kind="qa", tz=self._tz, **self._counts())


_IDENT_COLUMNS = ("id", "channel", "agent", "team")


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
    row_timeout: float | None = DEFAULT_ROW_TIMEOUT,
) -> QAResult:
    """Check and score every conversation of ``source`` (a JSONL of conversations, a flat
    CSV/TSV/Parquet of turns, a DataFrame or an iterable of dicts) as a lazy row stream.

    ``workers > 1`` checks in that many processes; output order is input order.  As in
    :func:`csstandards.batch.score_replies`, every conversation is one row — rows in ==
    ``summary.scored + summary.failed`` — and ``row_timeout`` (seconds, default
    :data:`~csstandards.batch.DEFAULT_ROW_TIMEOUT`; ``None`` for none) is each conversation's
    time budget: a slower one fails with a :class:`~csstandards.errors.RowTimeoutError` row.
    :meth:`QAResult.to_jsonl` writes ``OUT.partial`` and renames it to ``OUT`` on success.
    """
    check_pool_args(workers, chunk_size)
    budget = checked_row_timeout(row_timeout)
    sc = load_scorecard(scorecard if not isinstance(scorecard, os.PathLike) else str(scorecard))
    if isinstance(source, (str, os.PathLike)):
        name = str(source)
    else:
        name = getattr(source, "name", None) or f"<{type(source).__name__}>"
    records = read_transcripts(source, format=format, tz=tz, encoding=encoding, roles=roles)
    return QAResult(
        _QAJob(sc, standard, keep_text, budget),
        records,
        source=str(name),
        tz=tz,
        workers=workers,
        chunk_size=chunk_size,
        prefetch=prefetch,
        errors=errors,
    )
