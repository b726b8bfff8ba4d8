"""Streaming batch scoring of reply records and classification of feedback records.

Records flow ``source → chunks → (worker processes) → ordered rows``; at most
``workers * prefetch`` chunks are in flight, so memory stays bounded whatever the input size.
A record that cannot be scored is not dropped: its output row carries ``error`` (row number,
field and reason), it is counted in the summary and, when ``errors=`` names a file, written
there as a JSON line.
"""

from __future__ import annotations

import importlib
import math
import numbers
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from enum import Enum
from typing import IO, Any, Literal

from ..errors import CSStandardsError, InputError, RecordError
from ..models import Channel, FrozenModel, Rating
from .budget import RowBudget
from .columns import ColumnMap, parse_column_spec
from .readers import RawRecord, ReadMeter, iter_records
from .stream import (
    RowStream,
    check_pool_args,
    checked_row_timeout,
    chunked,
    ordered_pool,
    run_chunk,
    run_row,
    worker_job,
)
from .timeparse import DEFAULT_TZ, hours_between, parse_timestamp, resolve_zone
from .writers import write_csv

__all__ = [
    "CLASSIFY_COLUMNS",
    "DEFAULT_ROW_TIMEOUT",
    "REPLY_COLUMNS",
    "BatchResult",
    "BatchSummary",
    "classify_records",
    "score_replies",
]

Kind = Literal["reply", "feedback"]
Checker = Callable[..., Any]

#: Seconds one row may take by default before it fails with a time-budget error (每行时限).
DEFAULT_ROW_TIMEOUT = 20.0

#: Output columns of :func:`score_replies`, in order.
REPLY_COLUMNS: tuple[str, ...] = (
    "row",
    "line",
    "id",
    "channel",
    "agent",
    "template_id",
    "customer",
    "product",
    "star_rating",
    "text_rating",
    "stars",
    "reviewed_at",
    "replied_at",
    "closed_at",
    "tz",
    "response_hours",
    "score",
    "speed",
    "warmth",
    "depth",
    "passed",
    "n_findings",
    "n_errors",
    "n_warnings",
    "n_info",
    "sla_met",
    "sla_due",
    "sla_target_hours",
    "sla_estimated",
    "peak_window",
    "rule_ids",
    "findings",
    "kind",
    "topics",
    "priority",
    "review",
    "reply",
    "error",
)

#: Output columns of :func:`classify_records`, in order.
CLASSIFY_COLUMNS: tuple[str, ...] = (
    "row",
    "line",
    "id",
    "channel",
    "agent",
    "customer",
    "product",
    "stars",
    "created_at",
    "closed_at",
    "tz",
    "kind",
    "text_rating",
    "star_rating",
    "sentiment",
    "emotion",
    "urgency",
    "severity",
    "scope",
    "topics",
    "key_issues",
    "priority",
    "hint",
    "root_cause",
    "stars_disagree",
    "text",
    "error",
)


class BatchSummary(FrozenModel):
    """Counts of a batch run: nothing is dropped without a count."""

    kind: str
    source: str
    tz: str
    read: int
    scored: int
    failed: int
    failures: dict[str, int]
    workers: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else math.inf

    def describe(self) -> str:
        verb = "scored" if self.kind == "reply" else "classified"
        text = (
            f"{self.read} rows in, {self.scored} {verb}, {self.failed} failed "
            f"({self.seconds:.2f} s, {self.workers} worker(s); naive times read as {self.tz})"
        )
        if self.failures:
            top = ", ".join(f"{k}: {v}" for k, v in sorted(self.failures.items()))
            text += f"\n  failures by reason: {top}"
        return text


# ----------------------------------------------------------------------------------------------
# the job: everything a worker needs, pickled once per worker


@dataclass
class _Job:
    kind: Kind
    columns: ColumnMap
    tz: str
    standard: Any = None
    checker: Checker | None = None
    classifier: Checker | None = None
    classify: bool = True
    keep_text: bool = True
    row_timeout: float | None = None
    _zone: tzinfo | None = field(default=None, repr=False)
    _many: Checker | None = field(default=None, repr=False)
    _default_classifier: bool | None = field(default=None, repr=False)
    _lookup: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)
    _policy: Any = field(default=None, repr=False)

    def zone(self) -> tzinfo:
        if self._zone is None:
            self._zone = resolve_zone(self.tz)
        return self._zone

    def lookup(self) -> dict[str, tuple[str, ...]]:
        if self._lookup is None:
            self._lookup = self.columns.lookup()
        return self._lookup

    def resolved_checker(self) -> Checker:
        if self.checker is None:
            # resolved at run time: the tone module is an optional peer of batch
            self.checker = _peer("csstandards.tone", "check_reply")
        return self.checker

    def sla_policy(self) -> Any:
        """The SLA policy of the review-reply column: ``standard.sla`` or the default, with the
        standard's extra holiday schedules (``holidays`` setting) applied; built once."""
        if self._policy is None:
            from .. import sla

            policy = getattr(self.standard, "sla", None)
            if not isinstance(policy, sla.SLAPolicy):
                policy = sla.default_policy()
            self._policy = policy.with_holidays(*getattr(self.standard, "holidays", ()))
        return self._policy

    def resolved_classifier(self) -> Checker:
        if self.classifier is None:
            self.classifier = _peer("csstandards.feedback", "classify_feedback")
        return self.classifier

    def default_classifier(self) -> bool:
        """Whether the classifier is the library's own (its assessment feeds the checker)."""
        if self._default_classifier is None:
            own = _peer("csstandards.feedback", "classify_feedback")
            self._default_classifier = self.resolved_classifier() is own
        return self._default_classifier

    def many(self) -> Checker:
        if self._many is None:
            self._many = _peer("csstandards.tone", "check_replies")
        return self._many


def _peer(module: str, name: str) -> Checker:
    try:
        fn: Checker = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise CSStandardsError(
            f"{module}.{name} is not available ({exc}); pass checker=/classifier= explicitly"
        ) from exc
    return fn


def _missing(v: Any) -> bool:
    """None, NaN, pandas NA/NaT or a blank string."""
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, float):
        return math.isnan(v)
    return type(v).__name__ in ("NAType", "NaTType")


def _get(rec: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for n in names:
        if n in rec:
            v = rec[n]
            return None if _missing(v) else v
    return None


def _text(v: Any) -> str | None:
    """An identifier-like value (id, agent, template id …): text, or an integer as its digits."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, float) and v.is_integer():  # an id column with gaps read by pandas
        return str(int(v))
    if isinstance(v, (numbers.Real, datetime)):
        return str(v)
    return None  # a list, dict or bytes: _ident raises for it


def _ident(row: int, fieldname: str, v: Any) -> str | None:
    """An identifier column's value; a list, dict or binary value is a row error."""
    out = _text(v)
    if out is None and v is not None:
        raise RecordError(row, fieldname, f"{fieldname} is {_kind_of(v)}, not text or a number")
    if out is not None and not _encodable(out):
        raise RecordError(row, fieldname, f"{fieldname} holds a lone surrogate: {out!r}")
    return out


def _encodable(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _safe_text(v: Any) -> str | None:
    """``_text`` for an error row: nothing that could stop the row from being written."""
    out = _text(v)
    return out if out is not None and _encodable(out) else None


def _kind_of(v: Any) -> str:
    if isinstance(v, (bytes, bytearray, memoryview)):
        return f"binary data ({bytes(v)[:12]!r}…; a Parquet binary column?)"
    name = type(v).__name__
    shown = repr(v)
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return f"a {name} ({shown})"


def _words(row: int, fieldname: str, v: Any) -> str | None:
    """A text column (reply, review, feedback text): only a string is text (7: no ``str()``)."""
    if v is None:
        return None
    if not isinstance(v, str):
        raise RecordError(
            row, fieldname, f"{fieldname} must be text but is {_kind_of(v)} (内容不是文本)"
        )
    try:
        v.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise RecordError(
            row, fieldname, f"{fieldname} holds a lone surrogate at character {exc.start}"
        ) from None
    return v


_CHANNELS: dict[str, str] = {}


def _channel(v: Any) -> str | None:
    if not isinstance(v, str):
        return None  # _prepare refuses a non-text channel for its row
    key = v.strip()
    if not _CHANNELS:
        for c in Channel:
            for name in (c.value, c.label_zh, c.label_en, c.name.lower()):
                _CHANNELS[name.lower()] = c.value
    return _CHANNELS.get(key.lower(), key)


_RATINGS = {
    "positive": Rating.POSITIVE,
    "好评": Rating.POSITIVE,
    "neutral": Rating.NEUTRAL,
    "中评": Rating.NEUTRAL,
    "negative": Rating.NEGATIVE,
    "差评": Rating.NEGATIVE,
}


def _stars(row: int, v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (str, numbers.Real)):
        raise RecordError(row, "stars", f"stars must be a number but is {_kind_of(v)}")
    try:
        s = float(v)
    except (TypeError, ValueError):
        raise RecordError(row, "stars", f"stars {v!r} is not a number") from None
    if not 1 <= s <= 5:
        raise RecordError(row, "stars", f"stars {v!r} is outside 1–5 (星级)")
    return s


def _rating(row: int, v: Any) -> Rating | None:
    if v is None:
        return None
    if not isinstance(v, str):
        raise RecordError(row, "rating", f"rating must be text but is {_kind_of(v)}")
    r = _RATINGS.get(v.strip().lower())
    if r is None:
        raise RecordError(
            row, "rating", f"rating {v!r} is not one of positive/neutral/negative (好评/中评/差评)"
        )
    return r


def _time(row: int, fieldname: str, v: Any, zone: tzinfo) -> datetime | None:
    try:
        return parse_timestamp(v, zone)
    except InputError as exc:
        raise RecordError(row, fieldname, str(exc)) from None


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def _value(v: Any) -> Any:
    if isinstance(v, Enum):
        return v.value
    return v


# ----------------------------------------------------------------------------------------------
# report -> flat row


def _sub_score(report: Any, name: str) -> float | None:
    v = getattr(report, name, None)
    if v is None:
        for holder in ("sub_scores", "subscores", "scores"):
            subs = getattr(report, holder, None)
            if subs is None:
                continue
            v = subs.get(name) if isinstance(subs, Mapping) else getattr(subs, name, None)
            if v is not None:
                break
    if v is None:
        return None
    if not isinstance(v, (int, float)):
        v = getattr(v, "score", None)
    return None if v is None else float(v)


def finding_dict(f: Any, text: str | None = None) -> dict[str, Any]:
    """A finding as plain, JSON-ready data (spans as ``[start, end]`` pairs, excerpt of the text)."""
    spans = [[s.start, s.end] for s in getattr(f, "spans", ())]
    excerpt = None
    if text is not None and spans:
        excerpt = text[spans[0][0] : spans[0][1]]
    return {
        "rule_id": f.rule_id,
        "code": f.code,
        "severity": _value(f.severity),
        "message_zh": f.message_zh,
        "message_en": f.message_en,
        "clause": getattr(f, "clause", ""),
        "cue": getattr(f, "cue", None),
        "spans": spans,
        "excerpt": excerpt,
    }


def _assessment_fields(a: Any) -> dict[str, Any]:
    topics = getattr(a, "topics", None) or ()
    topic_names = [
        str(_value(getattr(t, "id", None) or getattr(t, "topic", None) or t)) for t in topics
    ]
    return {
        "kind": _value(getattr(a, "kind", None)),
        "topics": topic_names,
        "priority": _value(getattr(a, "priority", None)),
    }


def _sla(
    job: _Job,
    out: dict[str, Any],
    reviewed_at: datetime,
    replied_at: datetime | None,
    rating: Rating,
) -> None:
    """Due time and hit/miss of the review-reply target (000 §2.1) from :mod:`csstandards.sla`."""
    from .. import sla

    try:
        d = sla.review_reply_deadline(reviewed_at, rating=rating, policy=job.sla_policy())
    except CSStandardsError:
        return  # no target for this review: compliance does not count it
    out["sla_due"] = d.due.isoformat()
    out["sla_target_hours"] = d.target / timedelta(hours=1)
    out["sla_estimated"] = d.estimated  # the holidays of that year are only estimated
    out["peak_window"] = d.peak_window or None
    if replied_at is not None:
        out["sla_met"] = not sla.is_late(d, replied_at)


@dataclass
class _Prepared:
    out: dict[str, Any]
    reply: str
    review: str | None
    rating: Rating | None
    stars: float | None
    reviewed_at: datetime | None
    replied_at: datetime | None
    assessment: Any = None  # the review's classification, once made

    def kwargs(self) -> dict[str, Any]:
        return {
            "review": self.review,
            "rating": self.rating,
            "reviewed_at": self.reviewed_at,
            "replied_at": self.replied_at,
        }


_IDENTS = ("id", "agent", "template_id", "customer", "product")


def _pass_through(
    row: int, rec: Mapping[str, Any], lk: dict[str, tuple[str, ...]], out: dict[str, Any]
) -> None:
    """Identifier columns and the channel, checked for type (7: a list is not an id)."""
    for name in _IDENTS:
        if name in out:
            out[name] = _ident(row, name, _get(rec, lk[name]))
    ch = _get(rec, lk["channel"])
    if ch is not None and not isinstance(ch, str):
        raise RecordError(row, "channel", f"channel must be text but is {_kind_of(ch)}")
    out["channel"] = _channel(ch)


def _prepare_reply(job: _Job, raw: RawRecord) -> _Prepared:
    """Read and validate one reply record (raises :class:`RecordError`)."""
    row = raw.row
    out: dict[str, Any] = dict.fromkeys(REPLY_COLUMNS)
    out["row"] = row
    out["line"] = raw.line
    out["tz"] = job.tz
    if raw.data is None:
        raise RecordError(row, None, raw.problem or "unreadable record")
    rec = raw.data
    lk = job.lookup()
    zone = job.zone()
    _pass_through(row, rec, lk, out)
    reply = _words(row, "reply", _get(rec, lk["reply"]))
    review = _words(row, "review", _get(rec, lk["review"]))
    if job.keep_text:
        out["reply"] = reply
        out["review"] = review
    stars = _stars(row, _get(rec, lk["stars"]))
    rating = _rating(row, _get(rec, lk["rating"]))
    if rating is None and stars is not None:
        rating = Rating.from_stars(stars)
    out["stars"] = stars
    reviewed_at = _time(row, "reviewed_at", _get(rec, lk["reviewed_at"]), zone)
    replied_at = _time(row, "replied_at", _get(rec, lk["replied_at"]), zone)
    closed_at = _time(row, "closed_at", _get(rec, lk["closed_at"]), zone)
    out["reviewed_at"] = _iso(reviewed_at)
    out["replied_at"] = _iso(replied_at)
    out["closed_at"] = _iso(closed_at)
    if reply is None:
        raise RecordError(row, "reply", "the reply text is missing (缺少回复内容)")
    if reviewed_at and replied_at and replied_at < reviewed_at:
        raise RecordError(row, "replied_at", "the reply is dated before the review (回复早于评价)")
    out["response_hours"] = hours_between(reviewed_at, replied_at)
    return _Prepared(out, reply, review, rating, stars, reviewed_at, replied_at)


def _finish_reply(job: _Job, p: _Prepared, report: Any, budget: RowBudget) -> dict[str, Any]:
    """Fill the output row from the reply report (and the review's classification)."""
    out = p.out
    assessment = p.assessment
    if assessment is None and job.classify and p.review is not None:
        budget.stage = "review"
        assessment = _classify_review(job, p)
        budget.stage = None
    # One meaning per column: star_rating from the rating column or the stars, text_rating
    # from the classifier's reading of the review; the SLA target uses the first that exists.
    out["star_rating"] = _value(p.rating)
    text_rating = getattr(assessment, "rating", None) if assessment is not None else None
    if text_rating is None and p.review is not None and job.classify:
        text_rating = getattr(getattr(report, "assessment", None), "rating", None)
    out["text_rating"] = _value(text_rating)
    rating = p.rating
    if rating is None:
        rating = text_rating if text_rating is not None else getattr(report, "rating", None)
    out["score"] = float(report.score)
    for name in ("speed", "warmth", "depth"):
        out[name] = _sub_score(report, name)
    findings = list(report.findings)
    out["passed"] = bool(report.passed)
    out["n_findings"] = len(findings)
    sev = Counter(str(_value(f.severity)) for f in findings)
    out["n_errors"] = sev.get("error", 0)
    out["n_warnings"] = sev.get("warning", 0)
    out["n_info"] = sev.get("info", 0)
    out["rule_ids"] = [f.rule_id for f in findings]
    out["findings"] = [finding_dict(f, p.reply) for f in findings]
    for sf in getattr(report, "suppressed", ()):  # recorded, marked, not counted (#21)
        sup = {"reason": sf.reason, "setting": sf.setting}
        out["findings"].append({**finding_dict(sf.finding, p.reply), "suppressed": sup})
    if p.reviewed_at is not None and rating is not None:
        _sla(job, out, p.reviewed_at, p.replied_at, Rating(_value(rating)))
    if assessment is None:
        assessment = getattr(report, "assessment", None)
    if assessment is not None:
        out.update(_assessment_fields(assessment))
    else:
        out["topics"] = []
    return out


def _classify_review(job: _Job, p: _Prepared) -> Any:
    out = p.out
    return job.resolved_classifier()(
        p.review,
        stars=p.stars,
        channel=out["channel"] if out["channel"] in _CHANNEL_VALUES else None,
        standard=job.standard,
    )


def _score_reply(job: _Job, raw: RawRecord, budget: RowBudget) -> dict[str, Any]:
    p = _prepare_reply(job, raw)
    if job.checker is None:
        # The library's own checker: the review is classified once and the checker reuses the
        # assessment the output reports (only for the library's own classifier, whose
        # assessment the checker understands).  ``check_replies`` shares rules and lexicon.
        item = {"reply": p.reply, **p.kwargs()}
        if job.classify and p.review is not None and job.default_classifier():
            budget.stage = "review"
            p.assessment = item["assessment"] = _classify_review(job, p)
        budget.stage = "reply"
        report = job.many()([item], standard=job.standard)[0]
    else:
        budget.stage = "reply"
        report = job.checker(p.reply, standard=job.standard, **p.kwargs())
    budget.stage = None
    return _finish_reply(job, p, report, budget)


_CHANNEL_VALUES = frozenset(c.value for c in Channel)


def _classify(job: _Job, raw: RawRecord, budget: RowBudget) -> dict[str, Any]:
    row = raw.row
    out: dict[str, Any] = dict.fromkeys(CLASSIFY_COLUMNS)
    out["row"] = row
    out["line"] = raw.line
    out["tz"] = job.tz
    if raw.data is None:
        raise RecordError(row, None, raw.problem or "unreadable record")
    rec = raw.data
    lk = job.lookup()
    zone = job.zone()
    _pass_through(row, rec, lk, out)
    text = _words(row, "text", _get(rec, lk["text"]))
    if job.keep_text:
        out["text"] = text
    stars = _stars(row, _get(rec, lk["stars"]))
    out["stars"] = stars
    out["created_at"] = _iso(_time(row, "created_at", _get(rec, lk["created_at"]), zone))
    out["closed_at"] = _iso(_time(row, "closed_at", _get(rec, lk["closed_at"]), zone))
    if text is None:
        raise RecordError(row, "text", "the feedback text is missing (缺少反馈内容)")
    ch = out["channel"] if out["channel"] in _CHANNEL_VALUES else None
    budget.stage = "text"
    a = job.resolved_classifier()(text, stars=stars, channel=ch, standard=job.standard)
    budget.stage = None
    out.update(_assessment_fields(a))
    for name in ("emotion", "urgency", "severity", "scope"):
        out[name] = _value(getattr(a, name, None))
    out["text_rating"] = _value(getattr(a, "rating", None))
    out["star_rating"] = None if stars is None else Rating.from_stars(stars).value
    sent = getattr(a, "sentiment", None)
    out["sentiment"] = float(sent) if isinstance(sent, (int, float)) else _sub_score(a, "sentiment")
    out["key_issues"] = [
        str(getattr(k, "label", None) or k) for k in (getattr(a, "key_issues", None) or ())
    ]
    out["hint"] = _value(getattr(a, "hint", None))
    out["root_cause"] = _value(getattr(a, "root_cause", None))
    dis = getattr(a, "stars_disagree", None)
    if dis is None:
        dis = getattr(a, "disagreement", None)
    out["stars_disagree"] = None if dis is None else bool(dis)
    return out


def _run_one(job: _Job, raw: RawRecord, budget: RowBudget) -> dict[str, Any]:
    """One row, whatever happens: its output row or its error row (the row contract)."""
    fn = _score_reply if job.kind == "reply" else _classify
    return run_row(
        raw.row,
        budget,
        lambda: fn(job, raw, budget),
        lambda fieldname, problem: _failed(job, raw, fieldname, problem),
    )


def _failed(job: _Job, raw: RawRecord, fieldname: str | None, problem: str) -> dict[str, Any]:
    cols = REPLY_COLUMNS if job.kind == "reply" else CLASSIFY_COLUMNS
    out: dict[str, Any] = dict.fromkeys(cols)
    out.update(row=raw.row, line=raw.line, tz=job.tz, topics=[])
    if job.kind == "reply":
        out.update(rule_ids=[], findings=[])
    else:
        out.update(key_issues=[])
    if raw.data is not None:
        lk = job.lookup()
        for name in _IDENTS:
            if name in out:
                out[name] = _safe_text(_get(raw.data, lk[name]))
        out["channel"] = _safe_text(_channel(_get(raw.data, lk["channel"])))
    out["error"] = {"row": raw.row, "line": raw.line, "field": fieldname, "reason": problem}
    return out


def _run_chunk_local(job: _Job, chunk: list[RawRecord]) -> list[dict[str, Any]]:
    return run_chunk(job.row_timeout, chunk, lambda r, budget: _run_one(job, r, budget))


# ---- worker-process side (the pool itself: :func:`csstandards.batch.stream.ordered_pool`) -----
def _worker_chunk(chunk: list[tuple[int, int | None, Any, str | None]]) -> list[tuple[Any, ...]]:
    """Score a chunk in a worker; rows go back as tuples in column order (no key per row)."""
    job: _Job = worker_job()
    cols = REPLY_COLUMNS if job.kind == "reply" else CLASSIFY_COLUMNS
    rows = _run_chunk_local(job, [RawRecord(*t) for t in chunk])
    return [tuple([r.get(c) for c in cols]) for r in rows]


def _pack(chunk: list[RawRecord]) -> list[tuple[int, int | None, Any, str | None]]:
    return [(r.row, r.line, r.data, r.problem) for r in chunk]


def _parallel(
    job: _Job, chunks: Iterator[list[RawRecord]], workers: int, prefetch: int
) -> Iterator[dict[str, Any]]:
    return ordered_pool(
        job,
        chunks,
        workers=workers,
        prefetch=prefetch,
        work=_worker_chunk,
        pack=_pack,
        collect=lambda result, chunk: _collect(job, result, chunk),
    )


def _collect(job: _Job, result: Any, chunk: list[RawRecord]) -> list[dict[str, Any]]:
    """A chunk's rows from its worker; if the chunk itself failed (its records or rows could
    not be pickled, the worker broke), every row of it is reported instead of ending the job."""
    try:
        packed: list[tuple[Any, ...]] = result.get()
    except Exception as exc:
        reason = f"the worker process could not score this chunk: {type(exc).__name__}: {exc}"
        return [_failed(job, r, None, reason) for r in chunk]
    cols = REPLY_COLUMNS if job.kind == "reply" else CLASSIFY_COLUMNS
    return [dict(zip(cols, t, strict=True)) for t in packed]


# ----------------------------------------------------------------------------------------------
# public API


_HTML_ROWS = 10  # rows a notebook shows of a batch result


class BatchResult(RowStream):
    """A lazy stream of output rows (dicts); consume it once.

    The :attr:`summary` reflects what has been consumed so far and is complete once the stream
    is exhausted.  Helpers (:meth:`to_list`, :meth:`to_jsonl`, :meth:`to_csv`,
    :meth:`to_dataframe`) consume the stream.  Counting, the errors file and ``close`` come
    from :class:`csstandards.batch.stream.RowStream`.
    """

    def __init__(
        self,
        job: _Job,
        records: Iterator[RawRecord],
        *,
        source: str,
        workers: int,
        chunk_size: int,
        prefetch: int,
        errors: str | os.PathLike[str] | IO[str] | None,
        progress: bool | IO[str],
        total: int | None = None,
        meter: Any = None,
    ) -> None:
        self.job = job
        self.columns = REPLY_COLUMNS if job.kind == "reply" else CLASSIFY_COLUMNS
        chunks = chunked(records, chunk_size)
        if workers > 1:
            rows: Iterator[dict[str, Any]] = _parallel(job, chunks, workers, prefetch)
        else:
            rows = (row for chunk in chunks for row in _run_chunk_local(job, chunk))
        self._bar: _Progress | None = None
        desc = "scoring" if job.kind == "reply" else "classifying"
        # the bar starts with the first row: by then a Parquet reader knows its row count
        self._bar_args = (progress, total, meter, desc) if progress not in (False, None) else None
        self._start_stream(rows, source=source, workers=workers, errors=errors)

    def __next__(self) -> dict[str, Any]:
        head = getattr(self, "_head", None)
        if head:  # rows _repr_html_ looked at: still yielded, once, in order
            row: dict[str, Any] = head.pop(0)
            return row
        row = super().__next__()
        if self._bar_args is not None:
            self._bar, self._bar_args = _progress(*self._bar_args), None
        if self._bar is not None:
            self._bar.tick(self._read)
        return row

    def _demoted(self, row: dict[str, Any], reason: str, fieldname: str | None) -> dict[str, Any]:
        raw = RawRecord(row.get("row") or 0, row.get("line"), None)
        out = _failed(self.job, raw, fieldname, reason)
        for name in (*_IDENTS, "channel"):
            if name in out:
                out[name] = _safe_text(row.get(name))
        return out

    def _finish(self) -> None:
        if self._end is None:
            self._end = time.perf_counter()
        if self._bar_args is not None:  # no row at all: the bar still says so
            self._bar, self._bar_args = _progress(*self._bar_args), None
        if self._bar is not None:
            bar, self._bar = self._bar, None
            bar.close(self.summary)
        super()._finish()

    @property
    def summary(self) -> BatchSummary:
        return BatchSummary(kind=self.job.kind, tz=self.job.tz, **self._counts())

    def _repr_html_(self) -> str:
        """Jupyter: the summary and the first rows, findings marked in the text.  The rows
        shown are read ahead, not lost: iterating yields them first."""
        from ..report.render import batch_html

        if getattr(self, "_head", None) is None:
            head: list[dict[str, Any]] = []
            for _ in range(_HTML_ROWS + 1):
                try:
                    head.append(next(self))
                except StopIteration:
                    break
            self._head = head
        more = len(self._head) > _HTML_ROWS or self._end is None
        return batch_html(self._head[:_HTML_ROWS], self.summary, more=more)

    # -- consumers -----------------------------------------------------------------------------
    def to_list(self) -> list[dict[str, Any]]:
        return list(self)

    def to_csv(self, path: str | os.PathLike[str] | IO[str]) -> BatchSummary:
        """Write a CSV (atomically, like :meth:`to_jsonl`); list/dict cells are JSON-encoded."""
        write_csv(self, path, self.columns, self)
        return self.summary

    def to_dataframe(self) -> Any:
        """All rows as a pandas DataFrame with the typed columns of :mod:`csstandards.batch.frames`."""
        from .frames import rows_to_frame

        return rows_to_frame(self, self.job.kind, tz=self.job.tz)


class _Progress:
    """A ``tqdm.auto`` bar (a notebook widget in Jupyter): total, rate and ETA when the size
    of the input is known — rows, or bytes of a CSV/JSONL file — and a final summary line."""

    def __init__(self, total: int | None, meter: Any, desc: str, file: IO[str] | None) -> None:
        from tqdm.auto import tqdm

        self.meter = meter
        if total is None and meter is not None:
            total = meter.rows  # a Parquet file's row count
        self.by_bytes = total is None and meter is not None and meter.size is not None
        self.bar = tqdm(
            total=meter.size if self.by_bytes else total,
            desc=desc,
            unit="B" if self.by_bytes else "row",
            unit_scale=self.by_bytes,
            unit_divisor=1024 if self.by_bytes else 1000,
            mininterval=0.5,
            leave=True,
            file=file,
            dynamic_ncols=file is None,
        )
        self.seen = 0

    def tick(self, n_rows: int) -> None:
        if n_rows - self.seen < 256:
            return
        if self.by_bytes:
            self.bar.update(self.meter.bytes_read - self.bar.n)
            self.bar.set_postfix_str(f"{n_rows:,} rows", refresh=False)
        else:
            self.bar.update(n_rows - self.seen)
        self.seen = n_rows

    def close(self, summary: BatchSummary) -> None:
        if self.by_bytes:
            self.bar.update(max(0, self.meter.bytes_read - self.bar.n))
        else:
            self.bar.update(summary.read - self.seen)
        verb = "scored" if summary.kind == "reply" else "classified"
        self.bar.set_postfix_str(
            f"{summary.read:,} rows in, {summary.scored:,} {verb}, {summary.failed:,} failed",
            refresh=False,
        )
        self.bar.close()


def _progress(
    progress: bool | IO[str], total: int | None, meter: Any, desc: str
) -> _Progress | None:
    if progress is False or progress is None:
        return None
    try:
        return _Progress(total, meter, desc, None if progress is True else progress)
    except ImportError:  # the progress extra is optional: degrade to no bar
        return None


def _make(
    kind: Kind,
    source: Any,
    *,
    columns: str | Mapping[str, str] | ColumnMap | None,
    tz: str,
    standard: Any,
    checker: Checker | None,
    classifier: Checker | None,
    classify: bool,
    keep_text: bool,
    workers: int,
    chunk_size: int,
    prefetch: int,
    errors: str | os.PathLike[str] | IO[str] | None,
    progress: bool | IO[str],
    format: str | None,
    total: int | None,
    encoding: str = "utf-8-sig",
    row_timeout: float | None = None,
) -> BatchResult:
    check_pool_args(workers, chunk_size)
    resolve_zone(tz)  # fail early on an unknown zone
    seconds = checked_row_timeout(row_timeout)
    job = _Job(
        kind=kind,
        columns=parse_column_spec(columns),
        tz=tz,
        standard=standard,
        checker=checker,
        classifier=classifier,
        classify=classify,
        keep_text=keep_text,
        row_timeout=seconds,
    )
    if isinstance(source, (str, os.PathLike)):
        name = str(source)
    elif hasattr(source, "name") and isinstance(source.name, str):
        name = source.name
    else:
        name = f"<{type(source).__name__}>"
    if total is None and hasattr(source, "__len__") and not isinstance(source, (str, bytes)):
        total = len(source)
    meter = ReadMeter()
    records = iter_records(source, format=format, encoding=encoding, meter=meter)
    return BatchResult(
        job,
        records,
        source=name,
        workers=workers,
        chunk_size=chunk_size,
        prefetch=prefetch,
        errors=errors,
        progress=progress,
        total=total,
        meter=meter,
    )


def score_replies(
    source: Any,
    *,
    columns: str | Mapping[str, str] | ColumnMap | None = None,
    tz: str = DEFAULT_TZ,
    standard: Any = None,
    workers: int = 1,
    chunk_size: int = 500,
    prefetch: int = 4,
    errors: str | os.PathLike[str] | IO[str] | None = None,
    progress: bool | IO[str] = False,
    classify: bool = True,
    keep_text: bool = True,
    format: str | None = None,
    checker: Checker | None = None,
    classifier: Checker | None = None,
    total: int | None = None,
    encoding: str = "utf-8-sig",
    row_timeout: float | None = DEFAULT_ROW_TIMEOUT,
) -> BatchResult:
    """Score reply records (审核回复) from a file, DataFrame or iterable, as a lazy stream.

    Each output row holds the reply's ``score`` and sub-scores ``speed`` 速度, ``warmth`` 温度,
    ``depth`` 深度, finding counts, the findings as data, the review's topics (when
    ``classify``), and ``error`` for a record that could not be scored.  ``tz`` is the zone of
    naive timestamps (stated in every row's ``tz``).  ``workers > 1`` scores in that many
    processes; output order is input order.  ``checker``/``classifier`` replace
    :func:`csstandards.tone.check_reply` / :func:`csstandards.feedback.classify_feedback`
    (same keyword signature; must be picklable for ``workers > 1``).

    The row contract (#17): whatever goes wrong while a record is read, prepared, checked or
    written becomes that row's ``error`` and the job goes on; ``summary.read == summary.scored
    + summary.failed`` always.  ``row_timeout`` (seconds, default
    :data:`DEFAULT_ROW_TIMEOUT`; ``None`` for none) is each row's time budget: a row that
    takes longer fails with a :class:`~csstandards.errors.RowTimeoutError` reason.
    """
    return _make(
        "reply",
        source,
        columns=columns,
        tz=tz,
        standard=standard,
        checker=checker,
        classifier=classifier,
        classify=classify,
        keep_text=keep_text,
        workers=workers,
        chunk_size=chunk_size,
        prefetch=prefetch,
        errors=errors,
        progress=progress,
        format=format,
        total=total,
        encoding=encoding,
        row_timeout=row_timeout,
    )


def classify_records(
    source: Any,
    *,
    columns: str | Mapping[str, str] | ColumnMap | None = None,
    tz: str = DEFAULT_TZ,
    standard: Any = None,
    workers: int = 1,
    chunk_size: int = 500,
    prefetch: int = 4,
    errors: str | os.PathLike[str] | IO[str] | None = None,
    progress: bool | IO[str] = False,
    keep_text: bool = True,
    format: str | None = None,
    classifier: Checker | None = None,
    total: int | None = None,
    encoding: str = "utf-8-sig",
    row_timeout: float | None = DEFAULT_ROW_TIMEOUT,
) -> BatchResult:
    """Classify feedback records (分类与评估, 002 二(二)2) as a lazy stream of rows."""
    return _make(
        "feedback",
        source,
        columns=columns,
        tz=tz,
        standard=standard,
        checker=None,
        classifier=classifier,
        classify=True,
        keep_text=keep_text,
        workers=workers,
        chunk_size=chunk_size,
        prefetch=prefetch,
        errors=errors,
        progress=progress,
        format=format,
        total=total,
        encoding=encoding,
        row_timeout=row_timeout,
    )
