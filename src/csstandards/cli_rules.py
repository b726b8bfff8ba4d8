"""``csstandards rules``: print the rule catalogue."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .errors import InputError
from .models import Lang
from .rules import get_registry


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "rules", help="list the rule catalogue (规则目录)", description="List every rule."
    )
    p.add_argument("--family", help="only rules of this family (reply, commitment, …)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the messages")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    reg = get_registry()
    rules = reg.all(args.family)
    if args.family is not None and not rules:
        families = sorted({r.family for r in reg.all()})
        raise InputError(
            f"--family {args.family!r}: no such rule family (规则族); known: {', '.join(families)}"
        )
    if args.format == "json":
        print(json.dumps([r.model_dump(mode="json") for r in rules], ensure_ascii=False, indent=2))
        return 0
    lang: Lang = args.lang
    for r in rules:
        name = r.name_zh if lang == "zh" else r.name_en
        msg = r.message_zh if lang == "zh" else r.message_en
        print(f"{r.code}  {r.id:<32} {r.default_severity.value:<8} {r.clause:<12} {name}: {msg}")
    return 0
