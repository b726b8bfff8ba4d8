"""Configuration options shared by the commands (``lint``, ``score``, ``classify``, ``config``).

Every command loads one :class:`~csstandards.config.ProjectConfig` the same way: ``--config
FILE``, else the nearest ``.csstandards.toml`` / ``pyproject.toml`` with ``[tool.csstandards]``
upwards from the working directory, else the defaults; then the command-line options on top
(rule selection like ruff: ``--select``, ``--extend-select``, ``--ignore``; ``--enable``,
``--disable``, ``--severity``, ``--brand-voice``, ``--fail-on``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .config import ConfigOverrides, ProjectConfig, find_config, load_config, resolve
from .errors import ConfigError, CSStandardsError
from .models import Severity

__all__ = ["add_config_options", "load_cli_config", "overrides_from_args"]


def _csv_list(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def add_config_options(p: argparse.ArgumentParser, *, lint: bool = False) -> None:
    """``--config``/``--no-config`` and the rule-selection options (``lint`` adds
    ``--fail-on``, which only the linter uses)."""
    g = p.add_argument_group("configuration")
    g.add_argument("--config", metavar="FILE", help="configuration file (default: search upwards)")
    g.add_argument("--no-config", action="store_true", help="ignore configuration files")
    g.add_argument("--select", action="append", metavar="RULES",
                   help="only these rules: codes, ids or prefixes, comma-separated (R1,C101,ALL)")  # fmt: skip
    g.add_argument("--extend-select", action="append", default=[], metavar="RULES",
                   help="add rules to the selection (codes, ids or prefixes)")  # fmt: skip
    g.add_argument("--ignore", action="append", default=[], metavar="RULES",
                   help="leave out these rules (codes, ids or prefixes)")  # fmt: skip
    g.add_argument("--enable", action="append", default=[], metavar="RULE",
                   help="re-enable a rule the configuration disables (repeatable)")  # fmt: skip
    g.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="disable a rule (id, code or short name; repeatable)")  # fmt: skip
    g.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL",
                   help="override a rule's severity (info, warning, error; repeatable)")  # fmt: skip
    g.add_argument("--brand-voice", metavar="VOICE", help="brand voice (品牌语调)")
    if lint:
        g.add_argument(
            "--fail-on", metavar="LEVEL", help="failing severity: info, warning or error"
        )


def overrides_from_args(args: argparse.Namespace) -> ConfigOverrides:
    """The :class:`ConfigOverrides` of the options :func:`add_config_options` added."""
    from .testing import coerce_severity

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
    if getattr(args, "fail_on", None) is not None:
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
        select=_csv_list(args.select) if args.select is not None else None,
        extend_select=_csv_list(args.extend_select),
        ignore=_csv_list(args.ignore),
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
    return resolve(file_cfg, overrides_from_args(args))
