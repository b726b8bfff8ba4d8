"""``csstandards qa``: score whole conversations on a scorecard, and calibrate (会话质检).

csstandards qa transcripts.jsonl --scorecard qa.toml -o results.jsonl [--report qa.html]
csstandards qa agree results.jsonl human.csv [--scorecard qa.toml]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

from .batch import DEFAULT_TZ
from .batch.cli_support import terminate_quietly
from .batch.core import DEFAULT_ROW_TIMEOUT
from .batch.writers import write_jsonl
from .cli_calendar import add_config_option, project_config
from .errors import InputError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "qa",
        help="score chat/call transcripts on a QA scorecard (会话质检); 'qa agree' calibrates",
        description=(
            "Check every conversation of INPUT (JSONL, one conversation per line with its "
            "messages, or a flat CSV/TSV/Parquet of turns: conversation id, turn, role, text, "
            "time) turn by turn and score it on a scorecard (default: the library's). "
            "'csstandards qa agree AUTO HUMAN' compares automated results with human "
            "reviewers' item scores (agreement, Cohen's kappa). Exit 0 when every conversation "
            "was checked, 1 when some failed or scored under --fail-under, 2 on usage errors."
        ),
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="transcripts ('-' = stdin JSONL); or: agree AUTO.jsonl HUMAN.csv",
    )
    p.add_argument("--scorecard", metavar="TOML", help="the scorecard (default: the library's)")
    p.add_argument("-o", "--output", default="-", help="output JSONL (default: stdout)")
    p.add_argument("--report", metavar="HTML", help="also write the QA report here")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--errors", metavar="FILE", help="write bad conversations as JSONL")
    p.add_argument(
        "--input-format", choices=["csv", "tsv", "jsonl", "parquet"], help="format of INPUT"
    )
    p.add_argument("--encoding", default="utf-8-sig", help="text encoding (gb18030 for GBK)")
    p.add_argument("--tz", default=DEFAULT_TZ, help=f"zone of naive times (default {DEFAULT_TZ})")
    p.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="NAME=ROLE",
        help="map a role name of the export, e.g. 小蜜=bot (repeatable)",
    )
    p.add_argument(
        "--row-timeout",
        type=float,
        default=DEFAULT_ROW_TIMEOUT,
        metavar="SECONDS",
        help="time budget per conversation; a slower one fails "
        f"(default {DEFAULT_ROW_TIMEOUT:g}; 0 = none)",
    )
    p.add_argument("--fail-under", type=float, metavar="SCORE", help="exit 1 if any scores below")
    p.add_argument("--worst", type=int, default=10, help="agree: how many disagreements to list")
    p.add_argument("--json", action="store_true", help="agree: print the report as JSON")
    add_config_option(p)
    p.set_defaults(func=run)


def _roles(specs: list[str]) -> dict[str, str]:
    out = {}
    for spec in specs:
        name, sep, role = spec.partition("=")
        if not sep or not name.strip() or not role.strip():
            raise InputError(f"--role {spec!r}: expected NAME=ROLE, e.g. 小蜜=bot")
        out[name.strip()] = role.strip()
    return out


def run(args: argparse.Namespace) -> int:
    if args.inputs[0] == "agree":
        return _agree(args)
    if len(args.inputs) != 1:
        raise InputError(
            f"csstandards qa takes one INPUT, got {len(args.inputs)}; "
            "to compare with reviewers: csstandards qa agree AUTO HUMAN"
        )
    return _score(args, args.inputs[0])


def _score(args: argparse.Namespace, source: str) -> int:
    from .qa import score_transcripts

    res = score_transcripts(
        source,
        scorecard=args.scorecard,
        standard=project_config(args).standard,
        workers=args.workers,
        errors=args.errors,
        format=args.input_format,
        tz=args.tz,
        encoding=args.encoding,
        roles=_roles(args.role) or None,
        row_timeout=args.row_timeout if args.row_timeout and args.row_timeout > 0 else None,
    )
    low = 0
    shown = 0
    kept: list[dict[str, Any]] = []

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal low, shown
        for r in res:
            err = r.get("error")
            if err is not None and shown < 10:
                shown += 1
                where = f"{source}:{err['line']}" if err.get("line") else source
                field = f" {err['field']}:" if err.get("field") else ""
                print(f"{where}: row {err['row']}:{field} {err['reason']}", file=sys.stderr)
            if args.fail_under is not None and r.get("score") is not None:
                low += r["score"] < args.fail_under
            if args.report:
                kept.append(r)
            yield r

    out = args.output
    # OUT.partial renamed to OUT when the last row is out; SIGTERM/Ctrl-C stop the workers and
    # leave the partial file (as score/classify); a row that cannot be written is its error
    with terminate_quietly(out):
        try:
            write_jsonl(rows(), out, res)
        finally:
            res.close()
    s = res.summary
    print(
        f"{s.read} conversations read, {s.scored} checked, {s.failed} failed "
        f"({s.seconds:.2f} s, {s.workers} worker(s); naive times read as {s.tz})",
        file=sys.stderr,
    )
    if args.report:
        from .report.qa import QASection

        section = QASection.from_rows(kept)
        with open(args.report, "w", encoding="utf-8") as rh:
            rh.write(section.to_html())
        print(f"QA report written to {args.report}", file=sys.stderr)
    if low:
        print(f"{low} conversations scored below {args.fail_under}", file=sys.stderr)
    return 1 if (s.failed or low) else 0


def _agree(args: argparse.Namespace) -> int:
    from .qa import agreement

    if len(args.inputs) != 3:
        raise InputError("usage: csstandards qa agree AUTO.jsonl HUMAN.csv")
    rep = agreement(args.inputs[1], args.inputs[2], scorecard=args.scorecard, worst=args.worst)
    if args.json:
        print(rep.model_dump_json(indent=2))
    else:
        print(rep.describe())
    return 0
