"""Benchmark: loading hostile template files costs no more than loading an ordinary one.

Each case is loaded with ``load_template_file`` (parsing only, no checking) and timed, then
loaded again under ``tracemalloc`` for its peak traced memory; the baseline is an ordinary YAML library of about the
same size as the largest hostile file, measured in the same run.  Printed: seconds, peak MB and
the ratio of each to the baseline, and the outcome (templates loaded or the error reported).

    python benchmarks/bench_lint_load.py
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path

from csstandards.errors import TemplateFileError
from csstandards.lint import load_template_file


def _bomb(levels: int) -> str:
    src = 'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for n in "bcdefghijklmnopqrstuvwxyz"[:levels]:
        src += f"x-{n}: &{n} [{', '.join(['*' + prev] * 9)}]\n"
        prev = n
    return src + f"templates:\n  - text: 您好\n    samples: *{prev}\n"


def cases() -> dict[str, tuple[str, str]]:
    ordinary = "templates:\n" + "".join(
        f"  - name: t{i}\n    rating: negative\n    text: 非常抱歉给您带来不便，订单{i}已为您加急处理。\n"
        for i in range(6000)
    )
    return {
        "baseline: ordinary library": ("yaml", ordinary),
        "billion laughs (10 levels, <1 KB)": ("yaml", _bomb(10)),
        "billion laughs (20 levels)": ("yaml", _bomb(20)),
        "self-referencing alias": ("yaml", "x-a: &a [*a, *a]\ntemplates: []\n"),
        "alias chain 2,000 deep": (
            "yaml",
            "x-0: &a0 [x]\n" + "".join(f"x-{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 2000)),
        ),
        "JSON nested 500,000 deep": ("json", "[" * 500_000 + "]" * 500_000),
        "YAML flow nested 900 deep": ("yaml", "x: " + "[" * 900 + "]" * 900 + "\n"),
    }


def _load(path: Path) -> str:
    try:
        return f"{len(load_template_file(path))} templates"
    except TemplateFileError as exc:
        return f"error: {exc.problem[:60]}"


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for name, (suffix, text) in cases().items():
            path = Path(d) / f"case.{suffix}"
            path.write_text(text, encoding="utf-8")
            t0 = time.perf_counter()
            outcome = _load(path)
            secs = time.perf_counter() - t0
            tracemalloc.start()  # a second, traced run for memory (tracing slows allocation)
            _load(path)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            rows.append((name, len(text.encode()), secs, peak, outcome))
    _, _, base_s, base_mb, _ = rows[0]
    print(f"{'case':36} {'bytes':>9} {'seconds':>8} {'x base':>7} {'peak MB':>8} {'x base':>7}")
    for name, size, secs, peak, outcome in rows:
        print(
            f"{name:36} {size:>9,} {secs:>8.3f} {secs / base_s:>7.2f} {peak:>8.1f} "
            f"{peak / base_mb:>7.2f}  {outcome}"
        )


if __name__ == "__main__":
    main()
