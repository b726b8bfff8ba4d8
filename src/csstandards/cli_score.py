"""``csstandards score``: score reply records from a file (审核回复, batch)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .batch import score_replies
from .batch.cli_support import (
    add_input_options,
    input_options,
    print_failures,
    terminate_quietly,
    write_output,
)
from .batch.findings import FindingsSink
from .config_cli import add_config_options, load_cli_config
from .errors import InputError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "score",
        help="score replies to reviews in a CSV/JSONL/Parquet file (批量评分)",
        description=(
            "Score every reply in INPUT (speed 速度, warmth 温度, depth 深度, findings) and write "
            "one output row per input row. Exit 0 when every row was scored, 1 when some rows "
            "failed or scored under --fail-under, 2 on usage or input errors."
        ),
    )
    p.add_argument(
        "input", metavar="INPUT", help="records: .csv, .tsv, .jsonl or .parquet ('-' = stdin JSONL)"
    )
    p.add_argument(
        "-o", "--output", default="-", help="output file, .jsonl or .csv (default: stdout JSONL)"
    )
    p.add_argument(
        "--no-classify", action="store_true", help="do not classify the review (faster; no topics)"
    )
    p.add_argument(
        "--findings",
        metavar="FILE.parquet",
        help="also write the findings table (one row per finding: row, id, rule_id, code, "
        "severity, dimension, start, end, cue, message …) as Parquet",
    )
    p.add_argument(
        "--fail-under", type=float, metavar="SCORE", help="exit 1 if any reply scores below SCORE"
    )
    add_output_format(p)
    add_input_options(p)
    add_config_options(p)
    p.set_defaults(func=run)


def add_output_format(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=["jsonl", "csv"],
        help="output format (default: from the --output file name; stdout is JSONL)",
    )


def output_format(out: str, fmt: str | None) -> str:
    """``fmt`` (``--format``), else what the file name says (stdout: JSONL); checked before
    any row is read."""
    if fmt is not None:
        return fmt
    low = out.lower()
    if out == "-" or low.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if low.endswith(".csv"):
        return "csv"
    raise InputError(
        f"{out}: output must end in .jsonl or .csv, or give --format (or '-' for stdout)"
    )


def run(args: argparse.Namespace) -> int:
    out = args.output
    fmt = output_format(out, args.format)
    res = score_replies(
        args.input,
        classify=not args.no_classify,
        standard=load_cli_config(args).standard,
        **input_options(args),
    )
    low = 0
    rows = print_failures(res, args.input)

    def counted() -> Any:
        nonlocal low
        for r in rows:
            if (
                args.fail_under is not None
                and r.get("score") is not None
                and r["score"] < args.fail_under
            ):
                low += 1
            yield r

    sink = FindingsSink(args.findings) if args.findings else None
    stream = counted() if sink is None else sink.feed(counted())
    complete = False
    with terminate_quietly(out):
        try:
            write_output(res, stream, out, fmt)
            complete = True
        finally:
            res.close()
            if sink is not None:
                sink.close(complete)
    s = res.summary
    print(s.describe(), file=sys.stderr)
    if args.fail_under is not None and low:
        print(f"{low} replies scored below {args.fail_under}", file=sys.stderr)
    return 1 if (s.failed or low) else 0
