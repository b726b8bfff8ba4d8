"""``csstandards report``: the HTML analyst report of a file of replies (分析报告)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .batch import read_rows, score_replies
from .batch.cli_support import add_input_options, input_options, print_failures
from .cli_calendar import add_config_option, project_config
from .errors import InputError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "report",
        help="write a self-contained HTML report with charts (分析报告)",
        description=(
            "Score INPUT (or read rows already scored with --scored) and write one HTML file "
            "with inline SVG charts: SLA compliance, score distributions by agent and template, "
            "top findings with examples, topic trends, recurring problems. Works offline. "
            "Exit 0 on success, 2 on usage or input errors."
        ),
    )
    p.add_argument(
        "input",
        metavar="INPUT",
        help="records (.csv, .jsonl, .parquet) or scored JSONL with --scored",
    )
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument(
        "--scored", action="store_true", help="INPUT is the JSONL output of 'csstandards score'"
    )
    p.add_argument("--title", default="客服质量分析报告 · Customer-service quality report")
    p.add_argument(
        "--period", choices=["day", "week", "month"], default="month", help="trend period"
    )
    add_input_options(p)
    add_config_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .report import build_report

    if args.scored:
        try:
            rows = read_rows(args.input)
        except (OSError, ValueError) as exc:
            raise InputError(f"{args.input}: cannot read scored rows: {exc}") from exc
    else:
        res = score_replies(
            args.input, standard=project_config(args).standard, **input_options(args)
        )
        rows = list(print_failures(res, args.input, limit=5))
        print(res.summary.describe(), file=sys.stderr)
    report = build_report(rows, title=args.title, source=args.input, period=args.period)
    path = report.save(args.output)
    print(f"report written to {path}", file=sys.stderr)
    return 0
