"""Every python block of docs/workflow.md runs, in order, in one namespace."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "workflow.md"
GUIDE = Path(__file__).resolve().parents[1] / "docs" / "helpdesk-guide.md"


def test_workflow_doc_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    ns: dict[str, object] = {"__name__": "workflow_doc"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for n, code in enumerate(blocks):
            exec(compile(code, f"{DOC}#block{n}", "exec"), ns)
    text = out.getvalue()
    assert "重要问题须先完成主动回访" in text
    assert "W107 回复称“保修期是半年”,但知识库记载为1年" in text
    assert "物流部门 logistics" in text
    assert "['W124']" in text


def test_helpdesk_guide_case_block_runs() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    m = re.search(r"<!-- helpdesk-guide:case.*?-->\n```python\n(.*?)```", text, re.S)
    assert m, "the marked feedback-case block is missing"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(m.group(1), f"{GUIDE}#case", "exec"), {"__name__": "guide_case"})
    assert out.getvalue().strip() == "物流部门 闭环 []"
