"""Import cost, the CLI catalogue and the generated docs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from csstandards.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_import_does_not_load_jieba_or_optional_dependencies() -> None:
    code = (
        "import sys, csstandards, csstandards.text, csstandards.rules;"
        "print(sorted(m for m in ('jieba', 'pandas', 'dask') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rules_command_lists_the_catalogue(capsys: object) -> None:
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    ids = {r["id"] for r in data}
    assert "reply.blame-shifting" in ids
    assert all("check" not in r for r in data)


def test_cli_without_command_is_a_usage_error(capsys: object) -> None:
    assert main([]) == 2


def test_rules_doc_is_up_to_date() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_rules_doc.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


def test_report_dump_covers_its_inputs_and_is_deterministic(tmp_path: Path) -> None:
    # the before/after comparison of speed work relies on this script writing every report,
    # the same way each run
    from csstandards.tone import ReplyReport

    outs = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    for out in outs:
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "dump_reports.py"), str(out)], check=True
        )
    lines = outs[0].read_text("utf-8").splitlines()
    assert outs[0].read_bytes() == outs[1].read_bytes()
    pairs = len((ROOT / "devsets" / "replies.jsonl").read_text("utf-8").split("\n")) - 1
    assert len(lines) > 9 * pairs  # 4 + 4 per pair, examples, then the batch
    reports = [ReplyReport.model_validate_json(x) for x in lines[:50]]
    assert any(r.findings for r in reports) and any(r.passed for r in reports)


def test_lazy_top_level_names_resolve_and_are_listed() -> None:
    import csstandards

    for name in csstandards._LAZY:
        assert name in csstandards.__all__
        assert getattr(csstandards, name) is not None
    assert set(csstandards.__all__) <= set(dir(csstandards))


def test_closed_pipe_ends_quietly() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m csstandards rules --format json | head -c 10 > /dev/null",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert "BrokenPipeError" not in proc.stderr
    assert "Traceback" not in proc.stderr
