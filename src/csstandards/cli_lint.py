"""``csstandards lint PATHS…``: check reply-template files (话术库) in CI.

Exit codes: 0 clean, 1 findings at or above the failing severity, 2 usage or input errors
(unreadable or malformed template files, bad configuration).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .config import ConfigOverrides, ProjectConfig, find_config, load_config, resolve
from .errors import ConfigError, CSStandardsError
from .models import Severity
from .testing import coerce_severity


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
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: search upwards)")
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument("--enable", action="append", default=[], metavar="RULE",
                   help="re-enable a rule the configuration disables (repeatable)")  # fmt: skip
    p.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="disable a rule (id, code or short name; repeatable)")  # fmt: skip
    p.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL",
                   help="override a rule's severity (info, warning, error; repeatable)")  # fmt: skip
    p.add_argument("--brand-voice", metavar="VOICE", help="brand voice (品牌语调)")
    p.add_argument("--fail-on", metavar="LEVEL", help="failing severity: info, warning or error")
    p.add_argument("--lang", choices=["zh", "en", "both"], default="both", help="text output")
    p.add_argument(
        "--follow-links",
        action="store_true",
        help="follow symbolic links that lead outside the given paths (default: skip and "
        "report them, without naming their targets)",
    )
    p.set_defaults(func=run)


def _overrides(args: argparse.Namespace) -> ConfigOverrides:
    severity: dict[str, Severity] = {}
    for item in args.severity:
        rule, eq, level = item.partition("=")
        if not eq or not rule.strip():
            raise ConfigError("command line", "--severity", f"expected RULE=LEVEL, got {item!r}")
        try:
            severity[rule.strip()] = coerce_severity(level)
        except CSStandardsError as exc:
            raise ConfigError("command line", "--severity", str(exc)) from None
    fail_on = None
    if args.fail_on is not None:
        try:
            fail_on = coerce_severity(args.fail_on)
        except CSStandardsError as exc:
            raise ConfigError("command line", "--fail-on", str(exc)) from None
    return ConfigOverrides(
        enable=tuple(args.enable),
        disable=tuple(args.disable),
        severity=severity,
        brand_voice=args.brand_voice,
        fail_on=fail_on,
    )


def load_cli_config(args: argparse.Namespace) -> ProjectConfig:
    """The file configuration (``--config``, found upwards, or none) with CLI overrides."""
    file_cfg: ProjectConfig | None = None
    if args.config and args.no_config:
        raise ConfigError("command line", "--config", "--config and --no-config exclude each other")
    if args.config:
        file_cfg = load_config(args.config)
    elif not args.no_config:
        found = find_config(Path.cwd())
        file_cfg = load_config(found) if found else None
    return resolve(file_cfg, _overrides(args))


def run(args: argparse.Namespace) -> int:
    from .lint import FORMATTERS, format_text, lint_paths

    cfg = load_cli_config(args)
    report = lint_paths(args.paths, cfg, follow_links=args.follow_links)
    for err in report.errors:
        print(f"csstandards: error: {err}", file=sys.stderr)
    for sk in report.skipped:
        print(f"csstandards: warning: {sk}", file=sys.stderr)
    if args.format == "text":
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
