"""The worked example of docs/commitments.md, produced by running the code.

    python examples/commitments/run_example.py           # print the generated section
    python examples/commitments/run_example.py --write   # refresh it in docs/commitments.md
    python examples/commitments/run_example.py --check   # exit 1 if docs/commitments.md is stale

Steps: check the 青禾家居 commitment document (findings and the eight-element table), parse
its measurable promises, and verify them on a month of synthetic tickets (history.jsonl from
make_history.py) with the company's service hours for chat and phone and China office hours
for everything else.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_history  # noqa: E402

from csstandards.commitment import check_commitment, verify_commitments  # noqa: E402
from csstandards.models import Channel  # noqa: E402

DOC = HERE / "qinghe_commitment.txt"
DOCS_PAGE = HERE.parent.parent / "docs" / "commitments.md"
BEGIN = "<!-- BEGIN GENERATED: examples/commitments/run_example.py -->"
END = "<!-- END GENERATED -->"


def generated() -> str:
    text = DOC.read_text(encoding="utf-8")
    report = check_commitment(text)
    calendars = {
        Channel.ONLINE_CHAT: make_history.SERVICE_HOURS,
        Channel.PHONE: make_history.SERVICE_HOURS,
        None: make_history.OFFICE,
    }
    history = make_history.load()
    verification = verify_commitments(report, history, calendar=calendars)
    out = [
        "### 1. Findings of `check_commitment` on the document",
        "",
        "| code | severity | text | message | suggestion |",
        "|---|---|---|---|---|",
    ]
    for f in report.findings:
        where = f.spans[0].of(text) if f.spans else ""
        out.append(
            f"| {f.code} | {f.severity.value} | {where} | {f.message_zh} | {f.suggestion_zh} |"
        )
    out += [
        "",
        "### 2. Eight-element coverage (002 一(二))",
        "",
        report.coverage.to_markdown("zh"),
        "",
        "### 3. Parsed targets (`parse_commitment`)",
        "",
        "| found in the text | canonical (`render_zh`) | English |",
        "|---|---|---|",
    ]
    for t in report.targets:
        found = t.span.of(text) if t.span else ""
        out.append(f"| {found} | {t.render_zh()} | {t.render_en()} |")
    out += [
        "",
        f"### 4. Verification on {len(history)} tickets of November 2026",
        "",
        verification.to_markdown("zh"),
        "",
        verification.to_markdown("en"),
        "",
        f"Kept: {len(verification.kept)}; broken: {len(verification.broken)}.",
    ]
    return "\n".join(out) + "\n"


def _page_with(section: str) -> str:
    page = DOCS_PAGE.read_text(encoding="utf-8")
    head, _, rest = page.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{section}{END}{tail}"


def main(argv: list[str]) -> int:
    section = generated()
    if "--write" in argv:
        DOCS_PAGE.write_text(_page_with(section), encoding="utf-8")
        print(f"updated {DOCS_PAGE}")
        return 0
    if "--check" in argv:
        if DOCS_PAGE.read_text(encoding="utf-8") != _page_with(section):
            print(f"{DOCS_PAGE} is stale: run {Path(__file__).name} --write", file=sys.stderr)
            return 1
        return 0
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
