"""The Python examples of docs/analyst.md run as written (the PySpark one is marked ``py``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "analyst.md"


def test_analyst_guide_examples_run() -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("dask.dataframe")
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5
    ns: dict[str, object] = {}  # later examples continue from earlier ones, as the text says
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), ns)


def test_screenshot_is_referenced_and_present() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "(images/report.png)" in text
    png = DOC.parent / "images" / "report.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
