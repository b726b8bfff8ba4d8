"""Generate docs/rules.md from the rule registry.

python scripts/gen_rules_doc.py          # write docs/rules.md
python scripts/gen_rules_doc.py --check  # exit 1 when docs/rules.md is stale (CI)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from csstandards.rules import get_registry

OUT = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    reg = get_registry()
    lines = [
        "# Rule catalogue (规则目录)",
        "",
        "Generated from the rule registry by `scripts/gen_rules_doc.py`; do not edit by hand.",
        "CI fails when this file is stale. Refer to a rule by its id, its code or its short name.",
        "",
    ]
    for family in reg.families:
        rules = reg.all(family)
        if not rules:
            continue
        lines += [f"## Family `{family}`", "", reg.family(family).description, ""]
        lines += ["| code | id | name | severity | clause |", "|---|---|---|---|---|"]
        for r in rules:
            lines.append(
                f"| {r.code} | `{r.id}` | {r.name_zh} / {r.name_en} | "
                f"{r.default_severity.value} | {r.clause} |"
            )
        lines.append("")
        for r in rules:
            lines += [
                f"### {r.code} `{r.id}` — {r.name_zh} ({r.name_en})",
                "",
                f"- clause: {r.clause}; default severity: {r.default_severity.value}",
                f"- message: {r.message_zh} — {r.message_en}",
            ]
            if r.suggestion_zh or r.suggestion_en:
                lines.append(f"- suggestion: {r.suggestion_zh} — {r.suggestion_en}")
            if r.applies_to:
                lines.append(f"- also applies to: {', '.join(r.applies_to)}")
            if r.examples:
                lines += ["", "| | example | context |", "|---|---|---|"]
                for ex in r.examples:
                    mark = "bad ✗" if ex.expect == "bad" else "good ✓"
                    ctx = []
                    if ex.rating is not None:
                        ctx.append(f"{ex.rating.label_zh}")
                    if ex.review:
                        ctx.append(f"review: {ex.review}")
                    ctx += [f"{k}: {v}" for k, v in sorted(ex.context.items())]
                    if ex.note:
                        ctx.append(f"({ex.note})")
                    lines.append(f"| {mark} | {_cell(ex.text)} | {_cell('; '.join(ctx))} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail if docs/rules.md is stale")
    args = ap.parse_args()
    text = render()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("docs/rules.md is stale: run python scripts/gen_rules_doc.py", file=sys.stderr)
            return 1
        print("docs/rules.md is up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
