"""Import cost of ``import csstandards`` (target < 0.3 s, jieba's dictionary not loaded).

Runs a fresh interpreter several times with ``-X importtime`` and prints the median total
import time of the package next to that of pydantic alone (the floor we build on), and which
heavy modules were loaded.  Run: ``python benchmarks/bench_import.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys


def import_us(module: str) -> int:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in reversed(out.stderr.splitlines()):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise RuntimeError(f"no importtime line for {module}")


def main() -> None:
    runs = 7
    ours = statistics.median(import_us("csstandards") for _ in range(runs))
    base = statistics.median(import_us("pydantic.main") for _ in range(runs))
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, csstandards; print([m for m in ('jieba', 'pandas', 'dask', 'numpy') "
            "if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"import csstandards : {ours / 1e6:.3f} s (median of {runs}; target < 0.300 s)")
    print(f"import pydantic.main: {base / 1e6:.3f} s (baseline: the model machinery we build on)")
    print(f"ratio              : {ours / base:.2f}x the pydantic baseline")
    print(f"heavy modules loaded by the import: {loaded}")


if __name__ == "__main__":
    main()
