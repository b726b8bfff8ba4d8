"""docs/templates.md stays true: its Python runs, its sample output and CI job match the tool."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from csstandards.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", DOC, re.S | re.M)


def test_python_blocks_run() -> None:
    code = blocks("python")
    assert len(code) >= 3
    ns: dict[str, object] = {}
    for block in code:
        exec(compile(block, "docs/templates.md", "exec"), ns)


def test_sample_output_matches_the_linter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = next(b for b in blocks("text") if b.startswith("examples/templates/bad/"))
    monkeypatch.chdir(ROOT)
    assert main(["lint", "examples/templates/bad/negative.yaml"]) == 1
    out = capsys.readouterr().out.splitlines()
    for line in sample.rstrip("\n").split("\n"):
        assert line in out, line


def test_ci_job_commands_behave_as_documented(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    job = yaml.safe_load(next(b for b in blocks("yaml") if "jobs:" in b))
    steps = job["jobs"]["lint-templates"]["steps"]
    commands = [
        shlex.split(line.strip())
        for s in steps
        for line in str(s.get("run", "")).splitlines()
        if line.strip().startswith("csstandards lint")
    ]
    assert len(commands) == 2
    monkeypatch.chdir(ROOT)
    good, bad = commands
    assert main(good[1:]) == 0
    out = tmp_path / "templates.sarif"
    bad = [str(out) if a == "templates.sarif" else a for a in bad]
    assert main(bad[1:]) == 1
    assert out.read_text(encoding="utf-8").lstrip().startswith("{")
    capsys.readouterr()
