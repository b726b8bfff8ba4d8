"""#21 notebook habits: _repr_html_ of ReplyReport, FeedbackAssessment and the batch result,
through the one renderer in report/render.py that the HTML report also uses."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from csstandards.feedback import classify_feedback
from csstandards.report.render import FONT_STACK, highlight
from csstandards.tone import check_reply

_MARK = re.compile(r"<mark class='cs-mark'(?: title='[^']*')?>(.*?)</mark>", re.S)


def _marked(html: str) -> list[str]:
    return [unescape(m) for m in _MARK.findall(html)]


def test_highlight_escapes_and_merges() -> None:
    html = highlight("a<b>c&d", [(1, 4), (3, 5), (6, 99), (2, 2)], titles=["x", "y", "z", "w"])
    assert html == (
        "a<mark class='cs-mark' title='x, y'>&lt;b&gt;c</mark>&amp;"
        "<mark class='cs-mark' title='z'>d</mark>"
    )


@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-5, 50), st.integers(-5, 50))))
def test_highlight_keeps_the_text(text: str, pairs: list[tuple[int, int]]) -> None:
    html = highlight(text, pairs)
    assert unescape(re.sub(r"</?mark[^>]*>", "", html)) == text
    assert "<" not in re.sub(r"</?mark[^>]*>", "", html)  # user text never becomes markup


REPLY = "亲,这个不归我们管<script>alert(1)</script>,是快递的问题。"


def test_reply_report_repr_html_marks_every_finding_span() -> None:
    report = check_reply(REPLY, review="物流太慢", suppress={"R116": "digest <b>"})
    html = report._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    marked = "".join(_marked(html))
    for f in report.findings:
        for sp in f.spans:
            if len(sp):
                assert sp.of(REPLY) in marked or any(sp.of(REPLY) in m for m in _marked(html))
    assert "R103" in html and "reply.blame-shifting" in html
    assert f"score 总分 {report.score}/100" in html
    assert "suppressed: digest &lt;b&gt;" in html  # the record, escaped
    assert FONT_STACK in html


def test_reply_report_without_findings() -> None:
    report = check_reply(
        "谢谢您的认可!杯子每只单独裹膜是我们坚持的做法,期待您再次光临。",
        review="包装很用心,杯子一个没碎",
        rating="positive",
    )
    assert not report.findings
    assert "no findings" in report._repr_html_()


TEXT = "快递太慢了,盒子还压坏了!<img src=x>"


def test_feedback_assessment_repr_html() -> None:
    a = classify_feedback(TEXT)
    html = a._repr_html_()
    assert "<img" not in html
    assert f">{a.priority.value}" in html and a.kind.value in html
    cues = {e.cue for e in a.evidence if e.spans}
    assert cues and cues <= set(_marked(html))
    with_text = a.to_html(TEXT)
    spans = {sp.of(TEXT) for e in a.evidence for sp in e.spans}
    marked = "".join(_marked(with_text))
    assert all(s in marked for s in spans)
    assert "&lt;img src=x&gt;" in with_text


def test_batch_result_repr_html_shows_rows_and_loses_none(tmp_path: Path) -> None:
    from csstandards.batch import score_replies

    src = tmp_path / "in.jsonl"
    rows = [
        {"id": f"r{i}", "review": "物流太慢", "reply": REPLY if i % 2 else "谢谢", "stars": 2}
        for i in range(13)
    ]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    res = score_replies(src, classify=False)
    html = res._repr_html_()

    def table(h: str) -> str:  # the summary line has a running clock; the rows must not move
        return h.split("<table>", 1)[1]

    assert table(html) == table(res._repr_html_())  # looking twice reads nothing more
    assert html.count("<tr>") == 1 + 10  # header + the first ten rows
    assert "more rows" in html and "&lt;script&gt;" in html and "<script>" not in html
    r103 = re.findall(r"<mark class='cs-mark' title='[^']*R103[^']*'>(.*?)</mark>", html)
    # every R103 mark holds one of its cues (不归我们管, 快递的问题), text escaped
    assert r103 and all(any(c in unescape(m) for c in ("不归我们管", "快递的问题")) for m in r103)
    assert {"不归我们管", "快递的问题"} <= {unescape(m) for m in r103}
    out = res.to_list()
    assert [r["id"] for r in out] == [r["id"] for r in rows]
    assert res.summary.read == 13


def test_small_batch_result_says_no_more(tmp_path: Path) -> None:
    from csstandards.batch import classify_records

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "1", "text": TEXT}, ensure_ascii=False) + "\n", "utf-8")
    res = classify_records(src)
    html = res._repr_html_()
    assert "more rows" not in html and "1 rows in" in html
    assert len(res.to_list()) == 1


def test_the_report_uses_the_same_renderer(tmp_path: Path) -> None:
    from csstandards.batch import score_replies
    from csstandards.report import build_report

    src = tmp_path / "in.jsonl"
    row = {"id": "1", "review": "物流太慢", "reply": REPLY, "stars": 2}
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", "utf-8")
    html = build_report(score_replies(src, classify=False).to_list()).to_html()
    assert "<mark class='cs-mark' title='R103'>" in html
    assert FONT_STACK in html
