"""Calibration against human reviewers (人工复核一致性): agreement and Cohen's kappa.

Automated QA is trusted as far as it agrees with the team's reviewers.  :func:`agreement`
compares the rows of :func:`~csstandards.qa.score_transcripts` (``csstandards qa … -o
auto.jsonl``) with a reviewers' table, one row per conversation::

    id,blame,waits,closing,score
    c001,15,0,0,85
    c002,0,5,3,92

Columns name scorecard items (``section.item``, the item id or its Chinese name); a cell is
the points the reviewer deducted (any non-zero number, or 是/yes/x/1, is a hit; 0, empty,
否/no is not).  A long table (``id,item,deduction``) works too.  ``score`` (optional) is the
reviewer's total; without it the total is the base minus the deductions.

The report gives, per item and overall, the share of conversations where both agree that the
item was hit or not and Cohen's kappa (agreement beyond chance), the same for pass/fail,
and the conversations where automated and human scores differ most.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..batch import iter_records
from ..errors import InputError
from ..models import FrozenModel
from .scorecard import Scorecard, load_scorecard

__all__ = [
    "AgreementReport",
    "Disagreement",
    "ItemAgreement",
    "agreement",
    "cohen_kappa",
]

_ID_COLUMNS = ("id", "conversation_id", "session_id", "会话ID", "会话id")
_HIT = {"y", "yes", "true", "x", "√", "✓", "hit", "是", "扣分", "命中"}
_MISS = {"n", "no", "false", "否", "-", "不扣分", "未命中", "none"}


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's kappa of two raters' labels (``None`` when undefined: both used one and the
    same label throughout, so chance agreement is already perfect).

    >>> cohen_kappa([1, 1, 0, 0], [1, 1, 0, 0])
    1.0
    >>> round(cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]), 3)
    0.5
    """
    if len(a) != len(b):
        raise InputError(f"cohen_kappa: {len(a)} labels against {len(b)}")
    n = len(a)
    if n == 0:
        return None
    po = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    labels = set(a) | set(b)
    pe = sum((sum(1 for x in a if x == k) / n) * (sum(1 for y in b if y == k) / n) for k in labels)
    if pe >= 1.0:
        return None
    return (po - pe) / (1 - pe)


class ItemAgreement(FrozenModel):
    """How often automated QA and the reviewers agree on one item."""

    item: str
    name: str = ""
    n: int
    agree: int
    agreement: float
    kappa: float | None
    auto_hits: int
    human_hits: int


class Disagreement(FrozenModel):
    """A conversation where the two disagree: the scores and the items they differ on."""

    id: str
    auto_score: float
    human_score: float
    difference: float
    items: tuple[str, ...] = ()


class AgreementReport(FrozenModel):
    """Agreement of automated scores with human reviewers' (per item, overall, pass/fail)."""

    scorecard: str
    scorecard_hash: str
    compared: int
    only_auto: tuple[str, ...] = ()
    only_human: tuple[str, ...] = ()
    items: tuple[ItemAgreement, ...] = ()
    not_reviewed: tuple[str, ...] = ()
    overall_agreement: float | None = None
    overall_kappa: float | None = None
    pass_agreement: float | None = None
    pass_kappa: float | None = None
    mean_abs_difference: float | None = None
    worst: tuple[Disagreement, ...] = ()

    def describe(self) -> str:
        def pct(v: float | None) -> str:
            return "—" if v is None else f"{v:.0%}"

        def kap(v: float | None) -> str:
            return "—" if v is None else f"{v:.2f}"

        lines = [
            f"{self.compared} conversations compared (scorecard {self.scorecard} "
            f"{self.scorecard_hash}); {len(self.only_auto)} only automated, "
            f"{len(self.only_human)} only reviewed",
            f"overall: agreement {pct(self.overall_agreement)}, kappa {kap(self.overall_kappa)}; "
            f"pass/fail: agreement {pct(self.pass_agreement)}, kappa {kap(self.pass_kappa)}; "
            "mean |score difference| "
            + ("—" if self.mean_abs_difference is None else f"{self.mean_abs_difference:.1f}"),
            "",
            f"{'item':<28} {'n':>4} {'agree':>6} {'kappa':>6} {'auto':>5} {'human':>5}",
        ]
        for it in self.items:
            lines.append(
                f"{it.item:<28} {it.n:>4} {pct(it.agreement):>6} {kap(it.kappa):>6} "
                f"{it.auto_hits:>5} {it.human_hits:>5}  {it.name}"
            )
        if self.not_reviewed:
            lines.append("not in the reviewers' table: " + ", ".join(self.not_reviewed))
        if self.worst:
            lines += ["", "largest disagreements:"]
            for d in self.worst:
                lines.append(
                    f"  {d.id}: auto {d.auto_score:g}, human {d.human_score:g} "
                    f"({d.difference:+g}); items: {', '.join(d.items) or '—'}"
                )
        return "\n".join(lines)


def _read_auto(source: Any) -> list[Mapping[str, Any]]:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise InputError(f"{path}: no such file (找不到自动质检结果)")
        rows = []
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{n}: invalid JSON: {exc.msg}") from None
        return rows
    return [dict(r) for r in source]


def _hit(v: Any, where: str) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        if v != v:  # NaN: not reviewed
            return None
        return v != 0
    s = str(v).strip().lower()
    if not s:
        return None
    if s in _HIT:
        return True
    if s in _MISS:
        return False
    try:
        return float(s) != 0
    except ValueError:
        raise InputError(
            f"{where}: {v!r} is neither a number of points nor yes/no (是/否)"
        ) from None


def _item_names(sc: Scorecard) -> dict[str, str]:
    names: dict[str, str] = {}
    for s, it in sc.items():
        key = f"{s.id}.{it.id}"
        for alias in (key, it.id, it.name, it.name_en):
            if alias:
                names.setdefault(alias, key)
    return names


def _read_human(
    source: Any, sc: Scorecard
) -> tuple[dict[str, dict[str, bool]], dict[str, float], set[str]]:
    names = _item_names(sc)
    hits: dict[str, dict[str, bool]] = {}
    scores: dict[str, float] = {}
    seen_items: set[str] = set()
    for raw in iter_records(source):
        where = f"human row {raw.row}"
        if raw.data is None:
            raise InputError(f"{where}: {raw.problem}")
        rec = raw.data
        ident = next((rec[c] for c in _ID_COLUMNS if c in rec and rec[c] not in (None, "")), None)
        if ident is None:
            raise InputError(f"{where}: no conversation id (columns {', '.join(_ID_COLUMNS)})")
        cid = str(ident)
        row_hits = hits.setdefault(cid, {})
        if "item" in rec:  # long form: id, item, deduction
            name = str(rec["item"]).strip()
            key = names.get(name)
            if key is None:
                raise InputError(f"{where}: unknown scorecard item {name!r}")
            value = next((rec[c] for c in ("deduction", "points", "hit", "扣分") if c in rec), None)
            got = _hit(value, where)
            if got is not None:
                row_hits[key] = got
                seen_items.add(key)
            continue
        for col, value in rec.items():
            key = names.get(str(col).strip())
            if key is None:
                continue
            got = _hit(value, f"{where}, column {col!r}")
            if got is not None:
                row_hits[key] = got
                seen_items.add(key)
        for col in ("score", "human_score", "得分"):
            if col in rec and rec[col] not in (None, ""):
                try:
                    scores[cid] = float(rec[col])
                except (TypeError, ValueError):
                    raise InputError(f"{where}: score {rec[col]!r} is not a number") from None
                break
    return hits, scores, seen_items


def _human_deductions(sc: Scorecard) -> dict[str, float]:
    out = {}
    for s, it in sc.items():
        out[f"{s.id}.{it.id}"] = it.weight or it.deduct or 0.0
    return out


def agreement(
    auto: Any,
    human: Any,
    *,
    scorecard: Scorecard | str | None = None,
    worst: int = 10,
) -> AgreementReport:
    """Compare automated results (rows or a JSONL path) with reviewers' item scores (a CSV,
    JSONL, DataFrame or rows).  All automated rows must come from ``scorecard`` (default:
    the library's): rows of another scorecard hash raise :class:`InputError`."""
    sc = load_scorecard(scorecard)
    rows = [r for r in _read_auto(auto) if not r.get("error")]
    other = sorted({str(r.get("scorecard_hash")) for r in rows} - {sc.hash})
    if other:
        raise InputError(
            f"automated results were scored with scorecard hash(es) {', '.join(other)}, not "
            f"{sc.name} {sc.hash}: pass the scorecard they were scored with (--scorecard), "
            "scores from different scorecards are not comparable"
        )
    auto_by_id = {str(r["id"]): r for r in rows if r.get("id") is not None}
    human_hits, human_scores, reviewed = _read_human(human, sc)
    ids = [i for i in auto_by_id if i in human_hits]
    keys = [f"{s.id}.{it.id}" for s, it in sc.items()]
    names = {f"{s.id}.{it.id}": it.name for s, it in sc.items()}
    per_item: list[ItemAgreement] = []
    pooled_a: list[bool] = []
    pooled_h: list[bool] = []
    for key in keys:
        if key not in reviewed:
            continue
        pairs = [
            (key in (auto_by_id[i].get("items") or {}), human_hits[i][key])
            for i in ids
            if key in human_hits[i]
        ]
        if not pairs:
            continue
        a = [p[0] for p in pairs]
        h = [p[1] for p in pairs]
        pooled_a += a
        pooled_h += h
        agree = sum(1 for x, y in pairs if x == y)
        per_item.append(
            ItemAgreement(
                item=key,
                name=names[key],
                n=len(pairs),
                agree=agree,
                agreement=agree / len(pairs),
                kappa=cohen_kappa(a, h),
                auto_hits=sum(a),
                human_hits=sum(h),
            )
        )
    points = _human_deductions(sc)
    diffs: list[Disagreement] = []
    auto_pass: list[bool] = []
    human_pass: list[bool] = []
    fatal = {f"{s.id}.{it.id}" for s, it in sc.items() if it.fatal}
    for i in ids:
        r = auto_by_id[i]
        hh = human_hits[i]
        if i in human_scores:
            hs = human_scores[i]
        else:
            hs = max(0.0, sc.base - sum(points[k] for k, v in hh.items() if v))
            if any(hh.get(k) for k in fatal):
                hs = 0.0
        human_fatal = any(hh.get(k) for k in fatal)
        auto_score = float(r.get("score") or 0.0)
        auto_pass.append(bool(r.get("passed")))
        human_pass.append(not human_fatal and hs >= sc.pass_mark)
        differing = tuple(k for k in keys if k in hh and (k in (r.get("items") or {})) != hh[k])
        diffs.append(
            Disagreement(
                id=i,
                auto_score=auto_score,
                human_score=hs,
                difference=round(auto_score - hs, 4),
                items=differing,
            )
        )
    agree_all = sum(1 for x, y in zip(pooled_a, pooled_h, strict=True) if x == y)
    diffs.sort(key=lambda d: (-abs(d.difference), -len(d.items), d.id))
    return AgreementReport(
        scorecard=sc.name,
        scorecard_hash=sc.hash,
        compared=len(ids),
        only_auto=tuple(i for i in auto_by_id if i not in human_hits),
        only_human=tuple(i for i in human_hits if i not in auto_by_id),
        items=tuple(per_item),
        not_reviewed=tuple(k for k in keys if k not in reviewed),
        overall_agreement=agree_all / len(pooled_a) if pooled_a else None,
        overall_kappa=cohen_kappa(pooled_a, pooled_h) if pooled_a else None,
        pass_agreement=(
            sum(1 for x, y in zip(auto_pass, human_pass, strict=True) if x == y) / len(ids)
            if ids
            else None
        ),
        pass_kappa=cohen_kappa(auto_pass, human_pass) if ids else None,
        mean_abs_difference=(sum(abs(d.difference) for d in diffs) / len(diffs) if diffs else None),
        worst=tuple(d for d in diffs if d.difference or d.items)[:worst],
    )
