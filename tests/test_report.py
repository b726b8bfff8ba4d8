"""The analyst report: aggregations, self-contained HTML, and a real headless Chromium render."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from csstandards.batch import (
    compliance,
    finding_frequency,
    recurring_problems,
    score_distribution,
    score_replies,
    topic_trends,
)
from csstandards.batch.cli_support import sample_path
from csstandards.report import CHART_IDS, build_report
from test_batch import FAKES


def _row(i: int, **kw: Any) -> dict[str, Any]:
    r: dict[str, Any] = {
        "row": i,
        "error": None,
        "score": 50.0,
        "passed": False,
        "agent": "a",
        "rating": "negative",
        "channel": "im",
        "sla_met": True,
        "topics": ["logistics"],
        "findings": [],
        "reply": "r",
        "reviewed_at": "2026-11-01T10:00:00+08:00",
        "customer": "c1",
        "tz": "Asia/Shanghai",
    }
    r.update(kw)
    return r


def test_compliance_counts_only_measured_rows() -> None:
    rows = [
        _row(1, sla_met=True),
        _row(2, sla_met=False),
        _row(3, sla_met=None),
        _row(4, sla_met=False, error={"row": 4}),
        _row(5, sla_met=True, channel="email"),
    ]
    allr = compliance(rows)["all"]
    assert (allr.total, allr.met) == (3, 2)
    by = compliance(rows, "channel")
    assert by["im"].rate == 0.5 and by["email"].rate == 1.0


def test_score_distribution_by_agent() -> None:
    rows = [_row(i, agent="a", score=float(s)) for i, s in enumerate([10, 20, 30, 40, 100])]
    rows += [_row(10, agent="b", score=90.0, passed=True)]
    stats = {s.group: s for s in score_distribution(rows, "agent")}
    a = stats["a"]
    assert (a.n, a.mean, a.median, a.minimum, a.maximum) == (5, 40.0, 30.0, 10.0, 100.0)
    assert sum(a.histogram) == 5 and a.histogram[9] == 1 and a.histogram[1] == 1
    assert stats["b"].pass_rate == 1.0
    assert [s.group for s in score_distribution(rows, "agent")] == ["a", "b"]  # worst first


def test_finding_frequency_counts_rows_and_keeps_examples() -> None:
    f = {
        "rule_id": "reply.x",
        "code": "R1",
        "severity": "error",
        "message_zh": "m",
        "message_en": "m",
        "excerpt": "不归",
    }
    g = {**f, "rule_id": "reply.y", "code": "R2", "excerpt": "稍后"}
    rows = [_row(1, findings=[f, f]), _row(2, findings=[f, g]), _row(3, findings=[])]
    top = finding_frequency(rows)
    assert [(t.rule_id, t.count) for t in top] == [("reply.x", 2), ("reply.y", 1)]
    assert top[0].share == pytest.approx(2 / 3)
    assert top[0].examples[0][0] == "不归"


def test_topic_trends_by_month_and_week() -> None:
    rows = [
        _row(1, reviewed_at="2026-11-02T10:00:00+08:00"),
        _row(2, reviewed_at="2026-11-20T10:00:00+08:00", topics=["logistics", "refund"]),
        _row(3, reviewed_at="2026-12-01T10:00:00+08:00"),
        _row(4, reviewed_at="2026-12-01T10:00:00+08:00", rating="positive", kind="praise"),
    ]
    month = {(t.topic, t.period): t.count for t in topic_trends(rows)}
    assert month == {
        ("logistics", "2026-11"): 2,
        ("refund", "2026-11"): 1,
        ("logistics", "2026-12"): 1,
    }
    week = {(t.topic, t.period) for t in topic_trends(rows, period="week")}
    assert ("logistics", "2026-11-02") in week  # Monday of that week


def test_recurring_problems_after_closure() -> None:
    rows = [
        _row(1, reviewed_at="2026-11-01T10:00:00+08:00", closed_at="2026-11-03T10:00:00+08:00"),
        _row(2, reviewed_at="2026-11-02T10:00:00+08:00"),  # before closure: not a recurrence
        _row(3, reviewed_at="2026-11-10T10:00:00+08:00"),  # 7 days after closure
        _row(
            4,
            customer="c2",
            reviewed_at="2026-11-01T10:00:00+08:00",
            closed_at="2026-11-02T10:00:00+08:00",
        ),
        _row(5, customer="c2", reviewed_at="2027-01-20T10:00:00+08:00"),  # outside the window
    ]
    rec = recurring_problems(rows, window_days=30)
    assert [(r.key, r.closed_row, r.again_row, r.days_after) for r in rec] == [("c1", 1, 3, 7.0)]


@pytest.fixture(scope="module")
def sample_rows() -> list[dict[str, Any]]:
    return score_replies(sample_path(), **FAKES).to_list()


def test_report_is_self_contained_and_has_every_chart(
    sample_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    rep = build_report(sample_rows, source="sample")
    html = rep.to_html()
    for cid in CHART_IDS:
        assert f"id='{cid}'" in html, cid
    assert "<script" not in html.lower()
    links = re.findall(r"(?:src|href)\s*=\s*['\"]([^'\"]+)", html)
    assert links == []  # nothing external: no CDN, no fonts, no images
    assert "http://www.w3.org/2000/svg" in html and "https://" not in html
    assert "Asia/Shanghai" in html  # the zone of naive times is stated
    inline = rep._repr_html_()
    assert all(f"id='{cid}'" in inline for cid in CHART_IDS) and "<html" not in inline
    agg = rep.aggregates
    assert agg.rows == 600 and agg.failed == 3 and agg.scored == 597
    assert len(agg.failures) == 3 and {f[2] for f in agg.failures} == {
        "reply",
        "replied_at",
        "stars",
    }
    out = rep.save(tmp_path / "r.html")
    assert out.read_text(encoding="utf-8") == html


def test_report_of_nothing_still_renders() -> None:
    html = build_report([]).to_html()
    assert all(f"id='{cid}'" in html for cid in CHART_IDS)
    assert "no data" in html


# ---- real headless Chromium ------------------------------------------------------------------
def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _chrome_flags(tmp: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp / 'profile'}",
    ]


def _png_size_and_variety(png: bytes) -> tuple[int, int, int]:
    """(width, height, number of distinct byte values in the decompressed image data)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    width = height = 0
    idat = b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", data[:8])
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw = zlib.decompress(idat)
    return width, height, len(set(raw))


def render(html_path: Path, png: Path, tmp: Path, chrome: str) -> str:
    """Screenshot ``html_path`` into ``png`` and return the DOM Chromium built from it."""
    url = html_path.resolve().as_uri()
    flags = _chrome_flags(tmp)
    subprocess.run(
        [chrome, *flags, f"--screenshot={png}", "--window-size=1280,2000", url],
        check=True,
        capture_output=True,
        timeout=180,
    )
    dom = subprocess.run(
        [chrome, *flags, "--dump-dom", url], check=True, capture_output=True, text=True, timeout=180
    )
    return dom.stdout


@pytest.mark.slow
def test_report_renders_in_headless_chromium(
    sample_rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    chrome = _chromium()
    if chrome is None:
        pytest.skip(
            "chromium is not installed (apt-get install chromium); the screenshot test needs it"
        )
    html_path = tmp_path / "report.html"
    build_report(sample_rows, source="sample").save(html_path)
    png = tmp_path / "report.png"
    dom = render(html_path, png, tmp_path, chrome)
    for cid in CHART_IDS:
        m = re.search(rf'<svg id="{cid}"[^>]*>(.*?)</svg>', dom, re.S)
        assert m, f"chart {cid} missing from the rendered DOM"
        assert re.search(r"<(rect|polyline|circle)", m.group(1)), f"chart {cid} has no marks"
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    blank_png = tmp_path / "blank.png"
    render(blank, blank_png, tmp_path, chrome)
    w, h, variety = _png_size_and_variety(png.read_bytes())
    assert (w, h) == (1280, 2000)
    _, _, blank_variety = _png_size_and_variety(blank_png.read_bytes())
    assert variety > 100 > blank_variety  # charts and text make the image varied; blank is not
    assert png.stat().st_size > 5 * blank_png.stat().st_size
