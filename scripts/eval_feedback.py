"""Evaluate the feedback classifier on a labelled set (LABELS.md "Customer messages").

First the headline figures, on the texts as written and on the same texts converted to
Traditional Chinese (OpenCC s2t): kind, rating (polarity), urgency and severity accuracy, topic
micro-F1 (on the topic set of LABELS.md), the share of non-praise texts classified praise, and
for texts labelled with a hazard the share classified praise and the share with severity
critical/high and priority P1/P2; then confusion tables (gold rows × predicted columns), figures
per ``script`` when the rows carry one, and, for the fields a row has, the detailed per-field
table (accuracy, macro-F1) and a per-domain table::

    python scripts/eval_feedback.py                       # devsets/feedback.jsonl
    python scripts/eval_feedback.py other.jsonl --errors kind --limit 20
    python scripts/eval_feedback.py batch.jsonl --headline   # headline and confusion only

Gold labels are read as LABELS.md writes them: ``question`` is the classifier's ``enquiry``,
``polarity`` is ``rating``; topics are compared on LABELS.md's set (the taxonomy's ``quality``
and ``hygiene`` are ``product_quality``, ``schedule`` is ``response_speed``).

The development set is written by the team (see docs/feedback.md, "Development set"); it is a
sanity check, not a tuning target — the classifier is meant to generalise to real reviews.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from csstandards.feedback import FeedbackAssessment, classify_feedback

ROOT = Path(__file__).resolve().parent.parent
# Domains whose errors were studied while curating the lists; the others were held out, so
# their figures are the honest estimate for unseen text.
ANALYSED = frozenset({"e-commerce", "food_delivery", "hotel", "telecom", "banking"})
SINGLE = [
    "kind",
    "rating",
    "emotion",
    "urgency",
    "severity",
    "scope",
    "priority",
    "hint",
    "root_cause",
    "stars_disagree",
]


def predicted(fa: FeedbackAssessment, field: str) -> str:
    if field == "root_cause":
        return fa.root_cause.value if fa.root_cause else "none"
    if field == "stars_disagree":
        return str(fa.stars_disagree).lower()
    value = getattr(fa, field)
    return str(value.value)


def gold(row: dict[str, Any], field: str) -> str | None:
    if field not in row and not (field == "rating" and "polarity" in row):
        return None
    if field in ("kind", "rating"):
        return headline_gold(row, field)
    v = row.get(field)
    if field == "root_cause":
        return v or "none"
    if field == "stars_disagree":
        return None if v is None else str(v).lower()
    return None if v is None else str(v)


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    scores = []
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


def set_scores(golds: list[set[str]], preds: list[set[str]]) -> tuple[float, float, float, float]:
    """micro-F1, macro-F1 over labels, exact-match rate, micro recall."""
    tp = sum(len(g & p) for g, p in zip(golds, preds, strict=True))
    fp = sum(len(p - g) for g, p in zip(golds, preds, strict=True))
    fn = sum(len(g - p) for g, p in zip(golds, preds, strict=True))
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    labels = set().union(*golds, *preds) if golds else set()
    per = []
    for lab in labels:
        ltp = sum(1 for g, p in zip(golds, preds, strict=True) if lab in g and lab in p)
        lfp = sum(1 for g, p in zip(golds, preds, strict=True) if lab not in g and lab in p)
        lfn = sum(1 for g, p in zip(golds, preds, strict=True) if lab in g and lab not in p)
        per.append(2 * ltp / (2 * ltp + lfp + lfn))
    macro = sum(per) / len(per) if per else 1.0
    exact = sum(1 for g, p in zip(golds, preds, strict=True) if g == p) / max(1, len(golds))
    recall = tp / (tp + fn) if tp + fn else 1.0
    return micro, macro, exact, recall


_KIND_GOLD = {"question": "enquiry"}
_TOPIC_CANON = {
    "quality": "product_quality",
    "hygiene": "product_quality",
    "schedule": "response_speed",
}
_NO_HAZARD = frozenset({"", "none", "no", "false", "null", "0", "n"})
HEADLINE = ("kind", "rating", "urgency", "severity")


def gold_kind(row: dict[str, Any]) -> str:
    k = str(row.get("kind", ""))
    return _KIND_GOLD.get(k, k)


def gold_rating(row: dict[str, Any]) -> str:
    return str(row.get("polarity") or row.get("rating") or "")


def has_hazard(row: dict[str, Any]) -> bool:
    h = row.get("hazard")
    if isinstance(h, bool):
        return h
    if isinstance(h, (list, tuple, dict)):
        return bool(h)
    return h is not None and str(h).strip().lower() not in _NO_HAZARD


def canon_topics(ids: Any) -> set[str]:
    return {_TOPIC_CANON.get(str(t), str(t)) for t in ids or ()}


def headline_gold(row: dict[str, Any], field: str) -> str:
    if field == "kind":
        return gold_kind(row)
    if field == "rating":
        return gold_rating(row)
    return str(row.get(field, ""))


def headline(rows: list[dict[str, Any]], preds: list[FeedbackAssessment]) -> dict[str, float]:
    """The figures of the issue's "Done when" list."""
    out: dict[str, float] = {"n": float(len(rows))}
    for f in HEADLINE:
        pairs = [(headline_gold(r, f), predicted(fa, f)) for r, fa in zip(rows, preds, strict=True)]
        pairs = [(g, p) for g, p in pairs if g]
        out[f] = sum(g == p for g, p in pairs) / max(1, len(pairs))
    mi, _, _, _ = set_scores(
        [canon_topics(r.get("topics")) for r in rows], [canon_topics(fa.topic_ids) for fa in preds]
    )
    out["topic_f1"] = mi
    nonpraise = [fa for r, fa in zip(rows, preds, strict=True) if gold_kind(r) != "praise"]
    out["nonpraise_as_praise"] = sum(fa.kind.value == "praise" for fa in nonpraise) / max(
        1, len(nonpraise)
    )
    hz = [fa for r, fa in zip(rows, preds, strict=True) if has_hazard(r)]
    out["hazard_n"] = float(len(hz))
    out["hazard_praise"] = sum(fa.kind.value == "praise" for fa in hz) / max(1, len(hz))
    out["hazard_sev_p12"] = sum(
        fa.severity.value in ("critical", "high") and fa.priority.value in ("P1", "P2") for fa in hz
    ) / max(1, len(hz))
    return out


def print_headline(name: str, h: dict[str, float]) -> None:
    print(
        f"{name:<14}{int(h['n']):>5}"
        + "".join(f"{h[f]:>9.3f}" for f in HEADLINE)
        + f"{h['topic_f1']:>10.3f}{h['nonpraise_as_praise']:>12.3f}"
        + f"{int(h['hazard_n']):>6}{h['hazard_praise']:>9.3f}{h['hazard_sev_p12']:>10.3f}"
    )


def confusion(rows: list[dict[str, Any]], preds: list[FeedbackAssessment], field: str) -> None:
    pairs = [
        (headline_gold(r, field), predicted(fa, field)) for r, fa in zip(rows, preds, strict=True)
    ]
    pairs = [(g, p) for g, p in pairs if g]
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    counts = Counter(pairs)
    w = max(10, max((len(x) for x in labels), default=0) + 2)
    print(f"\n{field}: gold (rows) × predicted (columns)")
    print(f"{'':<{w}}" + "".join(f"{lab:>{w}}" for lab in labels))
    for g in labels:
        if any(gg == g for gg, _ in pairs):
            print(f"{g:<{w}}" + "".join(f"{counts[(g, p)]:>{w}}" for p in labels))


def to_traditional(texts: list[str]) -> list[str]:
    import opencc

    conv = opencc.OpenCC("s2t")
    return [conv.convert(t) for t in texts]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("path", nargs="?", default=str(ROOT / "devsets" / "feedback.jsonl"))
    ap.add_argument("--errors", metavar="FIELD", help="print the misclassified rows of FIELD")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--headline", action="store_true", help="headline figures and confusion only")
    args = ap.parse_args(argv)

    rows = [json.loads(line) for line in Path(args.path).read_text("utf-8").splitlines() if line]
    preds = [classify_feedback(r["text"], stars=r.get("stars")) for r in rows]
    domains = {r.get("domain", "") for r in rows}
    print(f"{len(rows)} texts, {len(domains)} domains: {args.path}\n")
    print(
        f"{'texts':<14}{'n':>5}"
        + "".join(f"{f:>9}" for f in HEADLINE)
        + f"{'topic-F1':>10}{'np→praise':>12}{'hz-n':>6}{'hz→prs':>9}{'hz-sev12':>10}"
    )
    print_headline("as written", headline(rows, preds))
    trad = to_traditional([r["text"] for r in rows])
    preds_t = [classify_feedback(t, stars=r.get("stars")) for t, r in zip(trad, rows, strict=True)]
    print_headline("Traditional", headline(rows, preds_t))
    scripts = sorted({str(r["script"]) for r in rows if r.get("script")})
    for sc in scripts:
        idx = [i for i, r in enumerate(rows) if str(r.get("script")) == sc]
        print_headline(
            f"script={sc}"[:14], headline([rows[i] for i in idx], [preds[i] for i in idx])
        )
    for f in HEADLINE:
        confusion(rows, preds, f)
    if args.headline:
        return 0
    print()
    print(f"{'field':<16}{'n':>5}{'accuracy':>10}{'macro-F1':>10}")
    for field in SINGLE:
        if not any(field in r for r in rows):
            continue
        pairs = [
            (g, predicted(fa, field))
            for r, fa in zip(rows, preds, strict=True)
            if (g := gold(r, field)) is not None
        ]
        acc = sum(1 for g, p in pairs if g == p) / max(1, len(pairs))
        print(f"{field:<16}{len(pairs):>5}{acc:>10.3f}{macro_f1(pairs):>10.3f}")
    print(f"\n{'set field':<16}{'micro-F1':>10}{'macro-F1':>10}{'exact':>10}{'recall':>10}")
    if not any("key_issues" in r for r in rows):
        return _errors(args, rows, preds)
    keyed = [i for i, r in enumerate(rows) if "key_issues" in r]  # the team-written rows
    topic_g = [set(rows[i]["topics"]) for i in keyed]
    topic_p = [set(preds[i].topic_ids) for i in keyed]
    issue_g = [set(rows[i]["key_issues"]) for i in keyed]
    issue_p = [{k.group for k in preds[i].key_issues if k.polarity != "positive"} for i in keyed]
    for name, g_, p_ in (("topics", topic_g, topic_p), ("key_issues", issue_g, issue_p)):
        mi, ma, ex, rc = set_scores(g_, p_)
        print(f"{name:<16}{mi:>10.3f}{ma:>10.3f}{ex:>10.3f}{rc:>10.3f}")
    sent = [fa.sentiment for fa in preds]
    print("\nsentiment mean by gold rating: ", end="")
    by: dict[str, list[float]] = defaultdict(list)
    for r, s in zip(rows, sent, strict=True):
        by[r["rating"]].append(s)
    print(", ".join(f"{k} {sum(v) / len(v):+.2f}" for k, v in sorted(by.items())))

    # the per-domain and split tables cover the team-labelled rows (every field labelled)
    team = [i for i in keyed if "priority" in rows[i]]
    all_rows, all_preds = rows, preds
    rows = [rows[i] for i in team]
    preds = [preds[i] for i in team]
    print(f"\n(team-labelled rows: {len(rows)})")
    print(f"{'domain':<16}{'n':>5}{'kind':>8}{'rating':>8}{'severity':>10}{'priority':>10}")
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for r, fa in zip(rows, preds, strict=True):
        c = per[r["domain"]]
        c["n"] += 1
        for f in ("kind", "rating", "severity", "priority"):
            c[f] += gold(r, f) == predicted(fa, f)
    for dom, c in sorted(per.items()):
        n = c["n"]
        print(
            f"{dom:<16}{n:>5}{c['kind'] / n:>8.2f}{c['rating'] / n:>8.2f}"
            f"{c['severity'] / n:>10.2f}{c['priority'] / n:>10.2f}"
        )
    print(f"\n{'split':<22}{'n':>5}" + "".join(f"{f[:8]:>9}" for f in SINGLE[:-1]))
    for split, keep in (("analysed domains", True), ("held-out domains", False)):
        idx = [i for i, r in enumerate(rows) if (r["domain"] in ANALYSED) is keep]
        if not idx:
            continue
        accs = []
        for field in SINGLE[:-1]:
            ok = sum(gold(rows[i], field) == predicted(preds[i], field) for i in idx)
            accs.append(ok / len(idx))
        print(f"{split:<22}{len(idx):>5}" + "".join(f"{a:>9.3f}" for a in accs))
    return _errors(args, all_rows, all_preds)


def _errors(
    args: argparse.Namespace, rows: list[dict[str, Any]], preds: list[FeedbackAssessment]
) -> int:
    if args.errors:
        print(f"\nerrors on {args.errors}:")
        shown = 0
        for r, fa in zip(rows, preds, strict=True):
            if args.errors == "topics":
                g, p = sorted(set(r["topics"])), sorted(fa.topic_ids)
            elif args.errors == "key_issues":
                g = sorted(r["key_issues"])
                p = sorted({k.group for k in fa.key_issues if k.polarity != "positive"})
            elif args.errors in HEADLINE:
                g, p = headline_gold(r, args.errors), predicted(fa, args.errors)  # type: ignore[assignment]
            else:
                g, p = gold(r, args.errors), predicted(fa, args.errors)  # type: ignore[assignment]
            if g != p:
                print(f"  {r['id']}: gold={g} pred={p} s={fa.sentiment:+.2f}  {r['text']}")
                shown += 1
                if shown >= args.limit:
                    break
    return 0


if __name__ == "__main__":
    sys.exit(main())
