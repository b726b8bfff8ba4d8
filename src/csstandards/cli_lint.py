"""``csstandards lint PATHS…``: check reply-template files (话术库) in CI.

Exit codes: 0 clean, 1 findings at or above the failing severity, 2 usage or input errors
(unreadable or malformed template files, bad configuration).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from .config_cli import add_config_options, load_cli_config
from .errors import ConfigError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "lint",
        help="check reply-template files (话术库检查)",
        description="Check reply templates in .txt, .md, .yaml/.yml and .json files against "
        "the standard. Exit 0 clean, 1 findings at or above --fail-on, 2 usage/input errors.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="template files or directories")
    p.add_argument(
        "--format",
        choices=["text", "json", "sarif", "github"],
        default="text",
        help="output format (default text; github = Actions annotations)",
    )
    p.add_argument("--output", "--output-file", "-o", dest="output", metavar="FILE",
                   help="write the report to FILE")  # fmt: skip
    p.add_argument("--statistics", action="store_true",
                   help="print the number of findings per rule instead of the findings")  # fmt: skip
    p.add_argument("--lang", choices=["zh", "en", "both"], default="both", help="text output")
    p.add_argument(
        "--follow-links",
        action="store_true",
        help="follow symbolic links that lead outside the given paths (default: skip and "
        "report them, without naming their targets)",
    )
    add_config_options(p, lint=True)
    p.set_defaults(func=run)


def statistics(report: Any, *, lang: str = "both") -> str:
    """Findings per rule, most frequent first (``ruff --statistics``): count, code, name."""
    from .rules import get_registry

    reg = get_registry()
    counts = Counter((lf.finding.code, lf.finding.rule_id) for lf in report.active)
    lines = []
    for (code, rid), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = reg.get(rid) if rid in reg.names else None
        name = rid.split(".", 1)[-1]
        if rule is not None:
            name = {"zh": rule.name_zh, "en": rule.name_en}.get(
                lang, f"{rule.name_zh} {rule.name_en}"
            )
        lines.append(f"{n:>5}\t{code}\t{name}")
    return "\n".join(lines) + ("\n" if lines else "")


def run(args: argparse.Namespace) -> int:
    from .lint import FORMATTERS, format_text, lint_paths

    cfg = load_cli_config(args)
    report = lint_paths(args.paths, cfg, follow_links=args.follow_links)
    for err in report.errors:
        print(f"csstandards: error: {err}", file=sys.stderr)
    for sk in report.skipped:
        print(f"csstandards: warning: {sk}", file=sys.stderr)
    if args.statistics:
        out = statistics(report, lang=args.lang)
    elif args.format == "text":
        out = format_text(report, lang=args.lang)
    else:
        out = FORMATTERS[args.format](report)
    if args.output:
        try:
            Path(args.output).write_text(out, encoding="utf-8")
        except OSError as exc:
            raise ConfigError("command line", "--output", f"cannot write: {exc}") from None
    else:
        sys.stdout.write(out)
    return report.exit_code(cfg.fail_on)
