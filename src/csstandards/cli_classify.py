"""``csstandards classify``: classify feedback records from a file (分类与评估, batch)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .batch import classify_records
from .batch.cli_support import (
    add_input_options,
    input_options,
    print_failures,
    terminate_quietly,
    write_output,
)
from .cli_score import add_output_format, output_format
from .config_cli import add_config_options, load_cli_config


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "classify",
        help="classify feedback texts in a file: kind, topics, priority … (反馈分类)",
        description=(
            "Classify every feedback record in INPUT (kind, rating, emotion, urgency, severity, "
            "scope, topics, key issues, priority). The text is read from the column text/feedback/"
            "content/review (or --columns text=COL). Exit 0 when every row was classified, 1 when "
            "some rows failed, 2 on usage or input errors."
        ),
    )
    p.add_argument(
        "input", metavar="INPUT", help="records: .csv, .tsv, .jsonl or .parquet ('-' = stdin JSONL)"
    )
    p.add_argument(
        "-o", "--output", default="-", help="output file, .jsonl or .csv (default: stdout JSONL)"
    )
    add_output_format(p)
    add_input_options(p)
    add_config_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = args.output
    fmt = output_format(out, args.format)
    std = load_cli_config(args).standard
    res = classify_records(args.input, standard=std, **input_options(args))
    with terminate_quietly(out):
        try:
            write_output(res, print_failures(res, args.input), out, fmt)
        finally:
            res.close()
    s = res.summary
    print(s.describe(), file=sys.stderr)
    return 1 if s.failed else 0
