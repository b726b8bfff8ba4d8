"""Every ```python block of docs/tone.md runs, in order, in one namespace."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "tone.md"


def test_docs_tone_examples_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 7
    namespace: dict[str, object] = {}
    for i, block in enumerate(blocks):
        code = compile(block, f"docs/tone.md block {i + 1}", "exec")
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, namespace)
