"""Benchmark for analysts (#20): rows/s and peak memory in one run, ratios against baselines
measured in the same run.

For N generated review/reply pairs (default 100,000; the texts of the bundled sample, fresh ids,
agents and times), each configuration runs in a fresh process:

* ``frame``       — ``score_dataframe(df)`` (findings as an Arrow column), single process;
* ``frame-table`` — ``score_dataframe(df, findings="table")``: rows frame + findings table;
* ``stream-1`` / ``stream-2`` — the streaming batch (JSONL file → JSONL file), 1 and 2 workers;
* ``dask-2``      — ``score_dask`` on a ``distributed.LocalCluster`` of 2 worker processes
  (1 thread each), against ``frame`` as the single-process baseline.

Memory is measured as RSS: the process reads its input and warms the checker, resets its peak
(``/proc/self/clear_refs``), runs, and reports the peak above that baseline; the frame's own
size is ``memory_usage(deep=True)`` of the scored columns.  Dask workers report their own peak.

    python benchmarks/bench_analyst.py                 # 100,000 rows
    python benchmarks/bench_analyst.py --rows 20000    # shorter
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _generate(path: Path, n: int) -> None:
    sys.path.insert(0, str(HERE))
    from bench_batch import generate

    generate(path, n)


def _rss_kb(field: str = "VmRSS") -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")  # resets VmHWM (the peak RSS) to the current RSS
    except OSError:
        return False
    return True


def _worker_memory() -> dict[str, int]:  # runs inside a Dask worker
    return {"rss_kb": _rss_kb(), "hwm_kb": _rss_kb("VmHWM"), "reset": int(_reset_peak())}


def _warm() -> None:
    from csstandards.batch.frames import warm_up

    warm_up()


def _read_frame(path: Path) -> Any:
    import pandas as pd

    return pd.read_json(path, lines=True, dtype=False)


def run_frame(path: Path, table: bool) -> dict[str, Any]:
    from csstandards.batch import score_dataframe

    df = _read_frame(path)
    _warm()
    input_bytes = int(df.memory_usage(deep=True).sum())
    base = _rss_kb()
    reset = _reset_peak()
    t = time.perf_counter()
    res = score_dataframe(df, findings="table" if table else "column")
    secs = time.perf_counter() - t
    peak = _rss_kb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows, findings = (res.rows, res.findings) if table else (res, None)
    scored_cols = [c for c in rows.columns if c not in df.columns or c in ("id", "stars")]
    scored_bytes = int(rows[scored_cols].memory_usage(deep=True, index=False).sum())
    out = {
        "rows": len(df),
        "seconds": secs,
        "input_mb": input_bytes / 2**20,
        "peak_above_input_mb": (peak - base) / 1024,
        "scored_bytes_per_row": scored_bytes / len(df),
        "failed": int(rows["error"].notna().sum()),
    }
    if findings is not None:
        out["findings"] = len(findings)
        out["findings_bytes_per_row"] = int(
            findings.memory_usage(deep=True, index=False).sum()
        ) / len(df)
    return out


def run_stream(path: Path, workers: int) -> dict[str, Any]:
    from csstandards.batch import score_replies

    _warm()
    base = _rss_kb()
    reset = _reset_peak()
    out = Path(tempfile.gettempdir()) / f"bench_analyst_out_{os.getpid()}.jsonl"
    me0 = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    summary = score_replies(path, workers=workers).to_jsonl(out)
    secs = time.perf_counter() - t
    out.unlink()
    peak = _rss_kb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    kids = kids_usage.ru_maxrss
    me1 = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "parent_cpu_s": me1.ru_utime + me1.ru_stime - me0.ru_utime - me0.ru_stime,
        "workers_cpu_s": kids_usage.ru_utime + kids_usage.ru_stime,
        "rows": summary.read,
        "failed": summary.failed,
        "seconds": secs,
        "peak_above_input_mb": (peak - base) / 1024,
        "worker_peak_mb": kids / 1024 if workers > 1 else 0.0,
    }


def run_dask(path: Path, workers: int) -> dict[str, Any]:
    import dask.dataframe as dd
    import distributed

    from csstandards.batch import score_dask

    df = _read_frame(path)
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=0,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        ddf = dd.from_pandas(df, npartitions=workers * 8)
        ddf = client.persist(ddf)  # the input sits in the workers before the clock starts
        distributed.wait(ddf)
        client.run(_warm)
        before = client.run(_worker_memory)
        t = time.perf_counter()
        lazy = score_dask(ddf)
        # the scored partitions stay in the workers (what an analyst's persist() does)
        scored = client.persist(lazy)
        distributed.wait(scored)
        secs = time.perf_counter() - t
        after = client.run(_worker_memory)
        n = int(scored.map_partitions(len).sum().compute())
    peaks = [(after[w]["hwm_kb"] - before[w]["rss_kb"]) / 1024 for w in after if before[w]["reset"]]
    return {
        "rows": n,
        "seconds": secs,
        "worker_peak_above_start_mb": max(peaks) if peaks else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--file", type=Path, help="reuse/keep this input file")
    ap.add_argument("--only", help="comma-separated configurations to run")
    ap.add_argument("--run", help=argparse.SUPPRESS)  # internal: one measured configuration
    args = ap.parse_args()
    if args.run:
        kind = args.run
        if kind in ("frame", "frame-table"):
            r = run_frame(args.file, kind == "frame-table")
        elif kind.startswith("stream-"):
            r = run_stream(args.file, int(kind.split("-")[1]))
        else:
            r = run_dask(args.file, int(kind.split("-")[1]))
        print(json.dumps(r))
        return
    path = args.file or Path(tempfile.gettempdir()) / f"bench_analyst_{args.rows}.jsonl"
    if not path.exists() or sum(1 for _ in open(path, "rb")) != args.rows:  # noqa: SIM115
        _generate(path, args.rows)
    configs = ["frame", "frame-table", "stream-1", "stream-2", "dask-2"]
    if args.only:
        configs = [c for c in configs if c in args.only.split(",")]
    print(
        f"{args.rows:,} rows from {path} ({path.stat().st_size / 2**20:.0f} MB), "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start"
    )
    res: dict[str, dict[str, Any]] = {}
    for c in configs:
        cmd = [sys.executable, __file__, "--run", c, "--file", str(path)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{c}: failed\n{done.stderr[-2000:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        r["rows_per_s"] = r["rows"] / r["seconds"]
        r["load"] = os.getloadavg()[0]
        res[c] = r
        line = f"{c:12s} {r['rows']:>8,} rows in {r['seconds']:7.1f} s = {r['rows_per_s']:7,.0f} rows/s"
        if "scored_bytes_per_row" in r:
            line += (
                f"; scored frame {r['scored_bytes_per_row']:,.0f} B/row (target ≤ 1,536),"
                f" peak RSS above the input {r['peak_above_input_mb']:,.0f} MB"
                f" = {r['peak_above_input_mb'] * 2**20 / r['rows']:,.0f} B/row"
            )
        if "findings_bytes_per_row" in r:
            line += f"; findings table {r['findings']:,} rows, {r['findings_bytes_per_row']:,.0f} B per input row"
        if c.startswith("stream"):
            line += f"; peak RSS parent +{r['peak_above_input_mb']:,.0f} MB"
            if r.get("worker_peak_mb"):
                line += f", each worker ≤ {r['worker_peak_mb']:,.0f} MB"
            line += f"; CPU parent {r['parent_cpu_s']:.1f} s, workers {r['workers_cpu_s']:.1f} s"
        if c.startswith("dask") and r.get("worker_peak_above_start_mb") is not None:
            line += f"; worker peak RSS +{r['worker_peak_above_start_mb']:,.0f} MB"
        print(line + f" (load {r['load']:.1f})")
    if "stream-1" in res:
        engine = res["stream-1"]["peak_above_input_mb"]  # the checker's caches, nothing kept
        for c in ("frame", "frame-table"):
            if c in res:
                extra = (res[c]["peak_above_input_mb"] - engine) * 2**20 / res[c]["rows"]
                print(
                    f"{c}: peak RSS above the input beyond what the streaming run grew "
                    f"({engine:,.0f} MB: the checker's caches filling): {extra:,.0f} B/row"
                )
    if "stream-1" in res and "stream-2" in res:
        ratio = res["stream-2"]["rows_per_s"] / res["stream-1"]["rows_per_s"]
        print(f"streaming batch, 2 workers / 1 worker: {ratio:.2f}x (target ≥ 1.6x)")
    if "frame" in res and "dask-2" in res:
        ratio = res["dask-2"]["rows_per_s"] / res["frame"]["rows_per_s"]
        print(
            f"Dask, 2 worker processes / single-process score_dataframe: {ratio:.2f}x (target ≥ 1.5x)"
        )
    print(
        "Speed-ups need two otherwise idle cores: the 1-minute load average after each run is "
        "shown in brackets (other processes compete for the same cores)."
    )


if __name__ == "__main__":
    main()
