"""The code in docs/text-and-rules.md runs as written."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "text-and-rules.md"


def test_python_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    ns: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), ns)
