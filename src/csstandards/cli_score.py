"""``csstandards score``: score reply records from a file (审核回复, batch)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .batch import score_replies
from .batch.cli_support import add_input_options, input_options, print_failures
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


def run(args: argparse.Namespace) -> int:
    res = score_replies(
        args.input,
        classify=not args.no_classify,
        standard=load_cli_config(args).standard,
        **input_options(args),
    )
    out = args.output
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

    _write(counted(), out, res.columns, args.format)
    s = res.summary
    print(s.describe(), file=sys.stderr)
    if args.fail_under is not None and low:
        print(f"{low} replies scored below {args.fail_under}", file=sys.stderr)
    return 1 if (s.failed or low) else 0


def _write(rows: Any, out: str, columns: tuple[str, ...], fmt: str | None = None) -> None:
    """Rows to ``out`` as ``fmt`` (``--format``), else as the file name says (stdout: JSONL)."""
    if fmt is None:
        low = out.lower()
        if out == "-" or low.endswith((".jsonl", ".ndjson", ".json")):
            fmt = "jsonl"
        elif low.endswith(".csv"):
            fmt = "csv"
    if fmt == "jsonl":
        fh = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")  # noqa: SIM115
        try:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        finally:
            if fh is not sys.stdout:
                fh.close()
        return
    if fmt == "csv":
        import csv

        fh2 = sys.stdout if out == "-" else open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
        try:
            w = csv.writer(fh2)
            w.writerow(columns)
            for r in rows:
                w.writerow(
                    [
                        json.dumps(r[c], ensure_ascii=False)
                        if isinstance(r[c], (list, dict))
                        else ("" if r[c] is None else r[c])
                        for c in columns
                    ]
                )
        finally:
            if fh2 is not sys.stdout:
                fh2.close()
        return
    raise InputError(
        f"{out}: output must end in .jsonl or .csv, or give --format (or '-' for stdout)"
    )
