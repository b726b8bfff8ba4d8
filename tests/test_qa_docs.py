"""Every python block of docs/qa.md runs on its own, and what it prints is what it says."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "qa.md"


def test_python_blocks_run_in_fresh_namespaces() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    for block in blocks:
        assert not block.startswith("# (continued)")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(DOC), "exec"), {})
        printed = out.getvalue().splitlines()
        # the comments beside print(...) calls state their output
        claims = [
            c.strip()
            for line in block.splitlines()
            if line.startswith("print(") and "#" in line
            for c in [line.split("#", 1)[1]]
        ]
        for claim in claims:
            assert any(claim in p for p in printed), (claim, printed)
