"""Benchmark the reply checker against bare jieba segmentation of the same texts.

    python benchmarks/bench_tone.py [--rounds N]

Prints pairs/second for ``check_reply`` (one call per pair) and ``check_replies`` (batch),
next to ``jieba.lcut(review) + jieba.lcut(reply)`` measured in the same run on the same pairs,
their ratio, and latency percentiles of one warm ``check_reply``.  Single process, one core.
Targets (issue 9): ≥ 2,000 pairs/s, ≤ 2x the segmentation cost, p99 < 2 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import jieba

from csstandards.tone import check_replies, check_reply

DEVSET = Path(__file__).resolve().parent.parent / "devsets" / "replies.jsonl"


def load_pairs() -> list[dict[str, Any]]:
    rows = [json.loads(x) for x in DEVSET.read_text("utf-8").splitlines() if x.strip()]
    return [{"reply": r["reply"], "review": r.get("review"), "stars": r.get("stars")} for r in rows]


def timed(fn: Any, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    pairs = load_pairs()
    n = len(pairs)
    jieba.setLogLevel(60)
    jieba.initialize()

    def segment_all() -> None:
        for p in pairs:
            jieba.lcut(p["review"] or "")
            jieba.lcut(p["reply"])

    def check_all() -> None:
        for p in pairs:
            check_reply(p["reply"], review=p["review"], stars=p["stars"])

    def batch_all() -> None:
        check_replies(pairs)

    # warm every cache (jieba dictionary, lexicon matchers, rule registry, classifier)
    segment_all()
    check_all()
    batch_all()
    t_seg = timed(segment_all, args.rounds)
    t_check = timed(check_all, args.rounds)
    t_batch = timed(batch_all, args.rounds)

    lat: list[float] = []
    for _ in range(max(1, args.rounds)):
        for p in pairs:
            t0 = time.perf_counter()
            check_reply(p["reply"], review=p["review"], stars=p["stars"])
            lat.append(time.perf_counter() - t0)
    lat.sort()

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000

    chars = sum(len(p["reply"]) + len(p["review"] or "") for p in pairs)
    print(f"pairs: {n} (avg {chars / n:.0f} chars review+reply), best of {args.rounds} rounds")
    print(f"jieba.lcut(review)+lcut(reply): {n / t_seg:10,.0f} pairs/s")
    print(
        f"check_reply (one call per pair): {n / t_check:10,.0f} pairs/s   ratio to jieba {t_check / t_seg:.2f}x"
    )
    print(
        f"check_replies (batch):           {n / t_batch:10,.0f} pairs/s   ratio to jieba {t_batch / t_seg:.2f}x"
    )
    print(
        f"latency of one warm check_reply: p50 {pct(0.5):.3f} ms  p90 {pct(0.9):.3f} ms  "
        f"p99 {pct(0.99):.3f} ms  max {lat[-1] * 1000:.3f} ms  mean {statistics.mean(lat) * 1000:.3f} ms"
    )


if __name__ == "__main__":
    main()
