"""Evaluate the feedback classifier on the labelled development set.

Prints, per field, accuracy and macro-F1 (single-label fields) or micro/macro-F1 and exact
match (topics, key issues), then a per-domain accuracy table for kind and rating::

    python scripts/eval_feedback.py                       # devsets/feedback.jsonl
    python scripts/eval_feedback.py other.jsonl --errors kind --limit 20

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("path", nargs="?", default=str(ROOT / "devsets" / "feedback.jsonl"))
    ap.add_argument("--errors", metavar="FIELD", help="print the misclassified rows of FIELD")
    ap.add_argument("--limit", type=int, default=30)
    args = ap.parse_args(argv)

    rows = [json.loads(line) for line in Path(args.path).read_text("utf-8").splitlines() if line]
    preds = [classify_feedback(r["text"], stars=r.get("stars")) for r in rows]
    print(f"{len(rows)} texts, {len({r['domain'] for r in rows})} domains: {args.path}\n")
    print(f"{'field':<16}{'n':>5}{'accuracy':>10}{'macro-F1':>10}")
    for field in SINGLE:
        pairs = [
            (g, predicted(fa, field))
            for r, fa in zip(rows, preds, strict=True)
            if (g := gold(r, field)) is not None
        ]
        acc = sum(1 for g, p in pairs if g == p) / max(1, len(pairs))
        print(f"{field:<16}{len(pairs):>5}{acc:>10.3f}{macro_f1(pairs):>10.3f}")
    print(f"\n{'set field':<16}{'micro-F1':>10}{'macro-F1':>10}{'exact':>10}{'recall':>10}")
    topic_g = [set(r["topics"]) for r in rows]
    topic_p = [set(fa.topic_ids) for fa in preds]
    issue_g = [set(r["key_issues"]) for r in rows]
    issue_p = [{k.group for k in fa.key_issues if k.polarity != "positive"} for fa in preds]
    for name, g_, p_ in (("topics", topic_g, topic_p), ("key_issues", issue_g, issue_p)):
        mi, ma, ex, rc = set_scores(g_, p_)
        print(f"{name:<16}{mi:>10.3f}{ma:>10.3f}{ex:>10.3f}{rc:>10.3f}")
    sent = [fa.sentiment for fa in preds]
    print("\nsentiment mean by gold rating: ", end="")
    by: dict[str, list[float]] = defaultdict(list)
    for r, s in zip(rows, sent, strict=True):
        by[r["rating"]].append(s)
    print(", ".join(f"{k} {sum(v) / len(v):+.2f}" for k, v in sorted(by.items())))

    print(f"\n{'domain':<16}{'n':>5}{'kind':>8}{'rating':>8}{'severity':>10}{'priority':>10}")
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
    if args.errors:
        print(f"\nerrors on {args.errors}:")
        shown = 0
        for r, fa in zip(rows, preds, strict=True):
            if args.errors == "topics":
                g, p = sorted(set(r["topics"])), sorted(fa.topic_ids)
            elif args.errors == "key_issues":
                g = sorted(r["key_issues"])
                p = sorted({k.group for k in fa.key_issues if k.polarity != "positive"})
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
