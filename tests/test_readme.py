"""The README's examples run as written, and its quick start matches .ci/run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_python_examples_run() -> None:
    pytest.importorskip("pandas")
    blocks = _blocks("python")
    assert len(blocks) == 3  # one per kind of user
    for block in blocks:
        ns: dict[str, object] = {}
        exec(compile(block, "README.md", "exec"), ns)
        for name, value in ns.items():
            if name.startswith("test_") and callable(value):
                value()


def test_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [b.strip() for b in re.findall(r"```bash\n(.*?)```", quick, re.S)]
    assert len(commands) == 2
    assert "csstandards demo" in commands[0]
    assert "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
