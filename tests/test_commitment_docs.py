"""docs/commitments.md runs as written, and its worked example is what the code produces."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "commitments.md"
EXAMPLES = ROOT / "examples" / "commitments"


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(EXAMPLES))
    try:
        spec = importlib.util.spec_from_file_location(f"_cm_{name}", EXAMPLES / f"{name}.py")
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(EXAMPLES))


def test_python_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    ns: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), ns)


def test_history_is_what_the_seeded_script_generates() -> None:
    mh = _load("make_history")
    assert mh.render(mh.generate()) == (EXAMPLES / "history.jsonl").read_text(encoding="utf-8")


def test_worked_example_is_up_to_date_and_shows_kept_and_broken() -> None:
    run = _load("run_example")
    section = run.generated()
    assert DOC.read_text(encoding="utf-8") == run._page_with(section), (
        "docs/commitments.md is stale: python examples/commitments/run_example.py --write"
    )
    assert "| 达成 |" in section and "| 未达成 |" in section
    assert "主动回电" in section  # the recovery promised for the broken phone promise
