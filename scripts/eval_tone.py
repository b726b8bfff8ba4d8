"""Evaluate the reply checker on a labelled set of review/reply pairs.

    python scripts/eval_tone.py                       # devsets/replies.jsonl
    python scripts/eval_tone.py other.jsonl --errors  # show every disagreement

Each line: ``{"id", "review", "stars", "reply", "expect": [rule ids], "reviewed_at"?,
"replied_at"? (ISO 8601 with offset), "brand_voice"?, "urgent"?}``.  A rule's precision and
recall count, over all pairs, whether the rule fired where expected.  Rules that need inputs a
pair lacks (timestamps, brand voice) are judged on the pairs that have them like any other:
they simply cannot fire elsewhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from csstandards.rules import get_registry
from csstandards.tone import check_reply

DEFAULT = Path(__file__).resolve().parent.parent / "devsets" / "replies.jsonl"


def _dt(v: Any) -> datetime | None:
    return datetime.fromisoformat(v) if isinstance(v, str) else None


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{n}: invalid JSON: {exc}") from exc
    return rows


def run(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], set[str]]]:
    out = []
    for row in rows:
        rep = check_reply(
            row["reply"],
            review=row.get("review"),
            stars=row.get("stars"),
            reviewed_at=_dt(row.get("reviewed_at")),
            replied_at=_dt(row.get("replied_at")),
            brand_voice=row.get("brand_voice"),
            urgent=bool(row.get("urgent", False)),
        )
        out.append((row, set(rep.rule_ids)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--errors", action="store_true", help="print every disagreement")
    args = ap.parse_args(argv)
    rows = load(args.path)
    results = run(rows)
    reg = get_registry()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for row, got in results:
        want = set(row.get("expect", ()))
        for r in got & want:
            tp[r] += 1
        for r in got - want:
            fp[r] += 1
            if args.errors:
                print(f"FP {row['id']} {r}: {row.get('review')!r} -> {row['reply']!r}")
        for r in want - got:
            fn[r] += 1
            if args.errors:
                print(f"FN {row['id']} {r}: {row.get('review')!r} -> {row['reply']!r}")
    print(
        f"{len(rows)} pairs, {sum(len(set(r.get('expect', ()))) for r in rows)} expected findings"
    )
    print(
        f"{'code':<6}{'rule':<30}{'support':>8}{'tp':>5}{'fp':>5}{'fn':>5}{'prec':>7}{'recall':>8}"
    )
    worst = 1.0
    for r in reg.all("reply"):
        t, f, n = tp[r.id], fp[r.id], fn[r.id]
        prec = t / (t + f) if t + f else 1.0
        rec = t / (t + n) if t + n else 1.0
        worst = min(worst, prec, rec)
        print(f"{r.code:<6}{r.id:<30}{t + n:>8}{t:>5}{f:>5}{n:>5}{prec:>7.2f}{rec:>8.2f}")
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"micro: precision {T / max(1, T + F):.3f} recall {T / max(1, T + N):.3f}; "
          f"worst per-rule figure {worst:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
