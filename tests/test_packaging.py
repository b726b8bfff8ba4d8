"""#21 packaging: the LICENSE, one version, no dead project URLs, the report's CJK font stack,
integer axis ticks for counts."""

from __future__ import annotations

import itertools
import re
import sys
from importlib.metadata import version
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import csstandards
from csstandards.report import svg
from csstandards.report.render import FONT_STACK

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_license_is_the_full_apache_2_text() -> None:
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    assert "LICENSE" in PYPROJECT["project"]["license-files"]
    for part in (
        "Apache License",
        "Version 2.0, January 2004",
        "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
        "9. Accepting Warranty or Additional Liability.",
        "END OF TERMS AND CONDITIONS",
        "APPENDIX: How to apply the Apache License to your work.",
    ):
        assert part in text
    assert len(text) > 10_000


def test_the_version_is_in_one_place() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    dyn = PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]
    assert dyn == {"attr": "csstandards.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", csstandards.__version__)
    assert version("csstandards") == csstandards.__version__
    literal = re.compile(re.escape(csstandards.__version__))
    for path in [ROOT / "pyproject.toml", *(ROOT / "src").rglob("*.py")]:
        hits = literal.findall(path.read_text("utf-8"))
        allowed = 1 if path.name == "__init__.py" and path.parent.name == "csstandards" else 0
        assert len(hits) == allowed, path


def test_no_project_urls_that_do_not_resolve() -> None:
    for name, url in PYPROJECT["project"].get("urls", {}).items():
        assert url.startswith("https://"), name
        assert not re.search(r"example\.(invalid|com|org)|localhost", url), name


def test_the_font_stack_covers_windows_macos_and_linux() -> None:
    fonts = [f.strip().strip("'") for f in FONT_STACK.split(",")]
    assert {"Microsoft YaHei", "SimHei"} <= set(fonts)  # Windows
    assert {"PingFang SC", "Hiragino Sans GB"} <= set(fonts)  # macOS
    assert {"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC"} <= set(fonts)
    assert fonts[-1] == "sans-serif"
    assert FONT_STACK in svg.FONT
    from csstandards.batch.aggregate import aggregate
    from csstandards.report import Report

    html = Report(aggregate([])).to_html()
    assert f"font-family:{FONT_STACK}" in html


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_integer_ticks(vmax: float) -> None:
    ticks = svg.integer_ticks(vmax)
    assert ticks[0] == 0 and ticks[-1] >= vmax
    assert all(isinstance(t, int) for t in ticks)
    assert all(b > a for a, b in itertools.pairwise(ticks))
    assert 2 <= len(ticks) <= 7
    step = ticks[1]
    assert all(t % step == 0 for t in ticks)


_TICK = re.compile(r"<text [^>]*text-anchor='end' fill='#666'>([^<]*)</text>")


def test_count_charts_label_axes_with_integers() -> None:
    hist = svg.histogram("h", "t", [1, 3, 2], labels=["a", "b", "c"])
    line = svg.line_chart("l", "t", ["1月", "2月"], [("物流", [1.0, 3.0])])
    for chart in (hist, line):
        labels = _TICK.findall(chart)
        assert labels == ["0", "1", "2", "3"], labels
