"""Aggregations over scored rows for periodic analysis (002 二(二)5 定期分析, 003 二(五) 持续改进).

All functions take the output rows of :func:`~csstandards.batch.score_replies` /
:func:`~csstandards.batch.classify_records` (dicts, a JSONL read back with ``read_rows``, or a
DataFrame from ``score_dataframe``) and need no optional package.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from ..models import FrozenModel

__all__ = [
    "Aggregates",
    "FindingCount",
    "Rate",
    "Recurrence",
    "ScoreStats",
    "TopicCount",
    "aggregate",
    "compliance",
    "finding_frequency",
    "recurring_problems",
    "score_distribution",
    "topic_trends",
]

Period = Literal["day", "week", "month"]
UNKNOWN = "(none)"


class Rate(FrozenModel):
    """``met`` of ``total`` measured; ``rate`` is ``None`` when nothing was measured."""

    total: int
    met: int

    @property
    def rate(self) -> float | None:
        return self.met / self.total if self.total else None


class ScoreStats(FrozenModel):
    """Distribution of scores in one group (agent, template …); ``histogram`` has 10 bins of 10."""

    group: str
    n: int
    mean: float
    p10: float
    median: float
    p90: float
    minimum: float
    maximum: float
    pass_rate: float
    histogram: tuple[int, ...]


class FindingCount(FrozenModel):
    """How often a rule fired, with a few examples (the flagged text and its reply)."""

    rule_id: str
    code: str
    severity: str
    message_zh: str
    message_en: str
    count: int
    share: float  # of scored rows
    examples: tuple[tuple[str, str], ...]  # (excerpt, reply)


class TopicCount(FrozenModel):
    topic: str
    period: str
    count: int


class Recurrence(FrozenModel):
    """A problem that came back after its case was closed (闭环跟踪: the loop was not closed)."""

    key: str
    topic: str
    closed_row: Any
    closed_at: str
    again_row: Any
    again_at: str
    days_after: float


def _rows(rows: Any) -> list[Mapping[str, Any]]:
    if type(rows).__name__ == "DataFrame" and hasattr(rows, "to_dict"):
        labels = list(rows.index)
        recs: list[Mapping[str, Any]] = rows.reset_index(drop=True).to_dict("records")
        out: list[Mapping[str, Any]] = []
        for label, r in zip(labels, recs, strict=True):
            d = {k: _na(v) for k, v in r.items()}
            if isinstance(d.get("error"), str):  # a typed frame: error is the reason
                d["error"] = {
                    "row": _na(d.get("row", label)),
                    "line": _na(d.get("line")),
                    "field": d.get("error_field"),
                    "reason": d["error"],
                }
            out.append(d)
        return out
    return list(rows)


def _na(v: Any) -> Any:
    if v is None:
        return None
    try:
        if v != v:  # NaN, pd.NA raises, NaT
            return None
    except (TypeError, ValueError):
        return None if type(v).__name__ == "NAType" else v
    return v


def rating_of(r: Mapping[str, Any]) -> Any:
    """A row's rating: ``star_rating`` (given or from stars), else ``text_rating`` (the
    classifier's), else the ``rating`` of rows written before the two were split."""
    return r.get("star_rating") or r.get("text_rating") or r.get("rating")


def _group(r: Mapping[str, Any], by: str) -> str:
    v = rating_of(r) if by == "rating" else r.get(by)
    return str(v or UNKNOWN)


def _ok(r: Mapping[str, Any]) -> bool:
    return r.get("error") is None


def _quantile(sorted_vals: Sequence[float], q: float) -> float:
    if not sorted_vals:
        return math.nan
    pos = (len(sorted_vals) - 1) * q
    lo = math.floor(pos)
    hi = math.ceil(pos)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (pos - lo)


def compliance(rows: Iterable[Mapping[str, Any]], by: str | None = None) -> dict[str, Rate]:
    """SLA hit rate of reply time (回复时效, 000 §2.1), overall (key ``"all"``) or by a column.

    Only rows with both timestamps count; ``sla_met`` comes from the reply check's late-reply
    findings, so the targets are those of the standard used for scoring.
    """
    totals: Counter[str] = Counter()
    met: Counter[str] = Counter()
    for r in rows:
        if not _ok(r) or r.get("sla_met") is None:
            continue
        key = "all" if by is None else _group(r, by)
        totals[key] += 1
        if r["sla_met"]:
            met[key] += 1
    return {k: Rate(total=totals[k], met=met[k]) for k in sorted(totals)}


def score_distribution(
    rows: Iterable[Mapping[str, Any]], by: str | None = None, *, min_rows: int = 1
) -> list[ScoreStats]:
    """Score statistics overall or per group (agent, template_id, channel, rating)."""
    groups: dict[str, list[float]] = defaultdict(list)
    passed: Counter[str] = Counter()
    for r in rows:
        if not _ok(r) or r.get("score") is None:
            continue
        key = "all" if by is None else _group(r, by)
        groups[key].append(float(r["score"]))
        if r.get("passed"):
            passed[key] += 1
    out = []
    for key, vals in groups.items():
        if len(vals) < min_rows:
            continue
        vals.sort()
        hist = [0] * 10
        for v in vals:
            hist[min(9, max(0, int(v // 10)))] += 1
        out.append(
            ScoreStats(
                group=key,
                n=len(vals),
                mean=sum(vals) / len(vals),
                p10=_quantile(vals, 0.1),
                median=_quantile(vals, 0.5),
                p90=_quantile(vals, 0.9),
                minimum=vals[0],
                maximum=vals[-1],
                pass_rate=passed[key] / len(vals),
                histogram=tuple(hist),
            )
        )
    out.sort(key=lambda s: (s.mean, s.group))
    return out


def finding_frequency(
    rows: Iterable[Mapping[str, Any]], *, top: int = 10, examples: int = 3
) -> list[FindingCount]:
    """The most frequent findings (rule ids), with example excerpts."""
    counts: Counter[str] = Counter()
    meta: dict[str, Mapping[str, Any]] = {}
    ex: dict[str, list[tuple[str, str]]] = defaultdict(list)
    scored = 0
    for r in rows:
        if not _ok(r):
            continue
        scored += 1
        seen = set()
        for f in r.get("findings") or ():
            rid = f["rule_id"]
            if rid in seen:
                continue
            seen.add(rid)
            counts[rid] += 1
            meta.setdefault(rid, f)
            if len(ex[rid]) < examples:
                ex[rid].append((f.get("excerpt") or "", str(r.get("reply") or "")))
    out = []
    for rid, n in counts.most_common(top):
        m = meta[rid]
        out.append(
            FindingCount(
                rule_id=rid,
                code=str(m.get("code", "")),
                severity=str(m.get("severity", "")),
                message_zh=str(m.get("message_zh", "")),
                message_en=str(m.get("message_en", "")),
                count=n,
                share=n / scored if scored else 0.0,
                examples=tuple(ex[rid]),
            )
        )
    return out


def _when(r: Mapping[str, Any]) -> datetime | None:
    v = r.get("reviewed_at") or r.get("created_at")
    if not v:
        return None
    if isinstance(v, datetime):
        return v
    try:
        return datetime.fromisoformat(str(v))
    except ValueError:
        return None


def _period(dt: datetime, period: Period) -> str:
    if period == "day":
        return dt.date().isoformat()
    if period == "week":
        monday = dt.date() - timedelta(days=dt.weekday())
        return monday.isoformat()
    return f"{dt.year:04d}-{dt.month:02d}"


def topic_trends(
    rows: Iterable[Mapping[str, Any]], *, period: Period = "month", negative_only: bool = True
) -> list[TopicCount]:
    """Count of problems per topic per period (共性问题趋势); by default only from reviews that are
    negative or neutral, or classified as complaints/grievances."""
    counts: Counter[tuple[str, str]] = Counter()
    for r in rows:
        if not _ok(r):
            continue
        if negative_only and not _is_problem(r):
            continue
        dt = _when(r)
        if dt is None:
            continue
        p = _period(dt, period)
        for t in r.get("topics") or ():
            counts[(str(t), p)] += 1
    return [
        TopicCount(topic=t, period=p, count=n)
        for (t, p), n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def _is_problem(r: Mapping[str, Any]) -> bool:
    return rating_of(r) in ("negative", "neutral") or r.get("kind") in (
        "complaint",
        "grievance",
    )


def recurring_problems(
    rows: Iterable[Mapping[str, Any]], *, key: str = "customer", window_days: float = 30
) -> list[Recurrence]:
    """Problems raised again by the same ``key`` (customer or product) on the same topic within
    ``window_days`` after a record on that topic was closed (002 二(二)6 闭环跟踪)."""
    by: dict[tuple[str, str], list[tuple[datetime, Mapping[str, Any]]]] = defaultdict(list)
    for r in rows:
        if not _ok(r) or not r.get(key) or not _is_problem(r):
            continue
        dt = _when(r)
        if dt is None:
            continue
        for t in r.get("topics") or ():
            by[(str(r[key]), str(t))].append((dt, r))
    out: list[Recurrence] = []
    window = timedelta(days=window_days)
    for (k, topic), items in by.items():
        items.sort(key=lambda it: it[0])
        for i, (_dt, r) in enumerate(items):
            closed = r.get("closed_at")
            if not closed:
                continue
            closed_dt = (
                closed if isinstance(closed, datetime) else datetime.fromisoformat(str(closed))
            )
            for dt2, r2 in items[i + 1 :]:
                if closed_dt < dt2 <= closed_dt + window:
                    out.append(
                        Recurrence(
                            key=k,
                            topic=topic,
                            closed_row=r.get("row", r.get("id")),
                            closed_at=closed_dt.isoformat(),
                            again_row=r2.get("row", r2.get("id")),
                            again_at=dt2.isoformat(),
                            days_after=round((dt2 - closed_dt) / timedelta(days=1), 2),
                        )
                    )
                    break
    out.sort(key=lambda x: (x.again_at, x.key, x.topic))
    return out


class Aggregates(FrozenModel):
    """Everything the report shows, computed in one pass over the rows."""

    tz: str
    rows: int
    scored: int
    failed: int
    failures: tuple[tuple[Any, Any, str, str], ...]  # (row, line, field, reason), first 20
    mean_score: float | None
    mean_sub_scores: dict[str, float | None]
    compliance: dict[str, dict[str, Rate]]
    scores: ScoreStats | None
    by_agent: tuple[ScoreStats, ...]
    by_template: tuple[ScoreStats, ...]
    findings: tuple[FindingCount, ...]
    topics: tuple[tuple[str, int], ...]
    topic_trend: tuple[TopicCount, ...]
    recurring: tuple[Recurrence, ...]
    period: str


def aggregate(
    rows: Any, *, period: Period = "month", top: int = 10, recurrence_window_days: float = 30
) -> Aggregates:
    """Compute every aggregation of this module at once (the report's data)."""
    data = _rows(rows)
    ok = [r for r in data if _ok(r)]
    failed = [r for r in data if not _ok(r)]
    tz = next((str(r["tz"]) for r in data if r.get("tz")), "Asia/Shanghai")
    scores = [float(r["score"]) for r in ok if r.get("score") is not None]
    subs: dict[str, float | None] = {}
    for name in ("speed", "warmth", "depth"):
        vals = [float(r[name]) for r in ok if r.get(name) is not None]
        subs[name] = sum(vals) / len(vals) if vals else None
    comp = {
        "metric": {"reply_time": compliance(ok).get("all", Rate(total=0, met=0))},
        "channel": compliance(ok, "channel"),
        "rating": compliance(ok, "rating"),
    }
    overall = score_distribution(ok)
    topic_counts: Counter[str] = Counter()
    for r in ok:
        if _is_problem(r):
            topic_counts.update(str(t) for t in r.get("topics") or ())
    fails = []
    for r in failed[:20]:
        e = r["error"]
        fails.append(
            (e.get("row"), e.get("line"), str(e.get("field") or "record"), str(e.get("reason")))
        )
    return Aggregates(
        tz=tz,
        rows=len(data),
        scored=len(ok),
        failed=len(failed),
        failures=tuple(fails),
        mean_score=sum(scores) / len(scores) if scores else None,
        mean_sub_scores=subs,
        compliance=comp,
        scores=overall[0] if overall else None,
        by_agent=tuple(score_distribution(ok, "agent")),
        by_template=tuple(score_distribution(ok, "template_id")),
        findings=tuple(finding_frequency(ok, top=top)),
        topics=tuple(topic_counts.most_common()),
        topic_trend=tuple(topic_trends(ok, period=period)),
        recurring=tuple(recurring_problems(ok, window_days=recurrence_window_days)),
        period=period,
    )
