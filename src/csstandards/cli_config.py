"""``csstandards config``: print the effective configuration and where each value came from."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .config_cli import add_config_options, load_cli_config
from .config_keys import effective_settings


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "config",
        help="print the effective configuration and the source of each value (生效配置)",
        description=(
            "Print every configuration key with its effective value and where it came from: "
            "'default', the configuration file and key, or the command-line option. The same "
            "configuration is used by lint, score, classify and the pytest plugin. Exit 0, "
            "2 on a bad configuration."
        ),
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    add_config_options(p, lint=True)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = load_cli_config(args)
    rows = effective_settings(cfg)
    if args.format == "json":
        doc = {
            "source": cfg.source,
            "settings": [r.model_dump(mode="json") for r in rows],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(f"# configuration file: {cfg.source or 'none (library defaults)'}")
    width = max(len(r.key) for r in rows)
    for r in rows:
        value = json.dumps(r.value, ensure_ascii=False)
        print(f"{r.key:<{width}} = {value}  # {r.origin}")
    return 0
