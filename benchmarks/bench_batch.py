"""Benchmark: score N generated review/reply pairs from a JSONL file with 1 and 2 workers.

Prints rows/second and peak RSS for each run and the speed-up of 2 workers over 1 (the
baseline measured in the same run).  Each run is a fresh process so its peak RSS is its own.

    python benchmarks/bench_batch.py                 # 1,000,000 rows
    python benchmarks/bench_batch.py --rows 200000   # shorter
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "src/csstandards/data/sample/reviews.jsonl"


def generate(path: Path, n: int, seed: int = 7) -> None:
    """N review/reply pairs built from the sample's texts with fresh ids, times and agents."""
    rows = [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = [
        r for r in rows if r.get("reply") and isinstance(r.get("stars"), int) and r["stars"] <= 5
    ]
    rng = random.Random(seed)
    base = 1767196800  # 2026-01-01 00:00 +08:00
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            r = rng.choice(rows)
            t = base + rng.randrange(360 * 86400)
            fh.write(
                json.dumps(
                    {
                        "id": f"B{i:07d}",
                        "review": r["review"],
                        "reply": r["reply"],
                        "stars": r["stars"],
                        "channel": r["channel"],
                        "agent": r["agent"],
                        "template_id": r.get("template_id"),
                        "reviewed_at": t,
                        "replied_at": t + rng.randrange(60, 40 * 3600),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


def _fake_check(reply: str, **_: object) -> object:  # only for --fake smoke runs
    from types import SimpleNamespace

    return SimpleNamespace(
        score=100.0, findings=(), passed=True, speed=100.0, warmth=100.0, depth=100.0
    )


def run_one(path: Path, workers: int, fake: bool, classify: bool) -> None:
    from csstandards.batch import score_replies

    kw: dict[str, object] = {}
    if fake:
        kw["checker"] = _fake_check
    out = Path(tempfile.gettempdir()) / f"bench_batch_out_{os.getpid()}.jsonl"
    t0 = time.perf_counter()
    summary = score_replies(
        path, workers=workers, classify=classify, chunk_size=500, **kw
    ).to_jsonl(out)  # type: ignore[arg-type]
    secs = time.perf_counter() - t0
    out.unlink()
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_kb = me.ru_maxrss
    child_kb = kids.ru_maxrss
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    print(
        json.dumps(
            {
                "workers": workers,
                "rows": summary.read,
                "failed": summary.failed,
                "seconds": secs,
                "rows_per_s": summary.read / secs,
                "parent_peak_mb": self_kb / 1024,
                "worker_peak_mb": child_kb / 1024 if workers > 1 else 0.0,
                "cpu_seconds": cpu,
                "loadavg_end": os.getloadavg()[0],
            }
        )
    )


def _count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--file", type=Path, help="reuse/keep this input file")
    ap.add_argument("--fake", action="store_true", help="fake scorer (measures the machinery only)")
    ap.add_argument("--no-classify", action="store_true", help="do not classify reviews")
    ap.add_argument("--run", type=int, help=argparse.SUPPRESS)  # internal: one measured run
    args = ap.parse_args()
    if args.run:
        run_one(args.file, args.run, args.fake, not args.no_classify)
        return
    path = args.file or Path(tempfile.gettempdir()) / f"bench_batch_{args.rows}.jsonl"
    if not path.exists() or _count_lines(path) != args.rows:
        t = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {args.rows} pairs in {time.perf_counter() - t:.1f} s -> {path} ({path.stat().st_size / 1e6:.0f} MB)"
        )
    results = {}
    for w in (1, 2):
        cmd = [sys.executable, __file__, "--run", str(w), "--file", str(path)]
        if args.fake:
            cmd.append("--fake")
        if args.no_classify:
            cmd.append("--no-classify")
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results[w] = r
        total = r["parent_peak_mb"] + w * r["worker_peak_mb"] if w > 1 else r["parent_peak_mb"]
        print(
            f"workers={w}: {r['rows']} rows ({r['failed']} failed) in {r['seconds']:.1f} s = "
            f"{r['rows_per_s']:,.0f} rows/s; peak RSS parent {r['parent_peak_mb']:.0f} MB"
            + (
                f", each worker ≤ {r['worker_peak_mb']:.0f} MB, total ≤ {total:.0f} MB"
                if w > 1
                else ""
            )
        )
    ratio = results[2]["rows_per_s"] / results[1]["rows_per_s"]
    print(f"speed-up 2 workers / 1 worker: {ratio:.2f}x (target ≥ 1.6x; {os.cpu_count()} CPUs)")
    for w, r in results.items():
        if "cpu_seconds" in r:
            print(
                f"  workers={w}: {r['cpu_seconds']:.0f} CPU-s for {r['seconds']:.0f} wall-s "
                f"({r['rows'] / r['cpu_seconds']:,.0f} rows per CPU-second); "
                f"1-min load average at the end {r['loadavg_end']:.1f} "
                "(other processes on the machine compete for the same cores)"
            )


if __name__ == "__main__":
    main()
