"""#21 docs that run: every ```python block of every docs/*.md (and README.md) runs on its own,
in a fresh namespace, except a block whose first line is ``# (continued)``, which runs in the
namespace of the previous block of the same page.  Blocks not meant to run are ```text,
```console, ```bash or ```toml; a block needing pyspark (no extra of this package) is not a
python block."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
CONTINUED = "# (continued)"
PYTHON = ("python", "py", "python3")
_FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```", re.M | re.S)


def blocks(page: Path) -> list[tuple[int, str, str]]:
    """``(line, language, code)`` of each fenced block of ``page``."""
    text = page.read_text(encoding="utf-8")
    out = []
    for m in _FENCE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        out.append((line, m.group(1), m.group(2)))
    return out


def _python_blocks() -> list[tuple[Path, int, str]]:
    return [(p, ln, code) for p in PAGES for ln, lang, code in blocks(p) if lang in PYTHON]


def _runs(page: Path) -> list[list[tuple[int, str]]]:
    """The page's python blocks grouped into sequences: a block and its ``(continued)`` ones."""
    seqs: list[list[tuple[int, str]]] = []
    for ln, lang, code in blocks(page):
        if lang not in PYTHON:
            continue
        if code.startswith(CONTINUED):
            if not seqs:
                raise AssertionError(f"{page.name}:{ln}: '# (continued)' with nothing before")
            seqs[-1].append((ln, code))
        else:
            seqs.append([(ln, code)])
    return seqs


CASES = [
    pytest.param(page, seq, id=f"{page.name}:{seq[0][0]}") for page in PAGES for seq in _runs(page)
]


@pytest.mark.parametrize(("page", "seq"), CASES)
def test_docs_block_runs(
    page: Path, seq: list[tuple[int, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # blocks that write files write them here
    ns: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for ln, code in seq:
        compiled = compile(code, f"{page.relative_to(ROOT)}:{ln}", "exec")
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compiled, ns)


def test_there_are_python_blocks_and_none_needs_pyspark() -> None:
    found = _python_blocks()
    assert len(found) >= 40
    for page, ln, code in found:
        assert "pyspark" not in code, f"{page.name}:{ln}: pyspark is no extra; use ```text"


def test_the_runner_isolates_blocks(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text(
        "```python\nx = 1\n```\n\n```python\n# (continued)\nassert x == 1\n```\n\n"
        "```python\ny = 2\n```\n",
        encoding="utf-8",
    )
    seqs = _runs(page)
    assert [len(s) for s in seqs] == [2, 1]
    ns: dict[str, object] = {}
    exec(seqs[1][0][1], ns)
    assert "y" in ns and "x" not in ns  # a new sequence starts from nothing
