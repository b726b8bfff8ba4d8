"""One HTML renderer (HTML 渲染) for notebooks and the report.

``ReplyReport``, ``FeedbackAssessment`` and the batch result render inline in Jupyter through
``_repr_html_``, which calls the functions here; the analyst report (:mod:`csstandards.report`)
highlights its examples with the same :func:`highlight`.  Every piece of user text is escaped;
evidence spans are ``<mark>`` elements whose ``title`` names the rule or field they support.
No JavaScript, no external resources.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

__all__ = [
    "FONT_STACK",
    "MARK_CSS",
    "OBJECT_CSS",
    "assessment_html",
    "batch_html",
    "highlight",
    "reply_report_html",
]

#: CJK-capable fonts present on Windows (Microsoft YaHei, SimHei), macOS (PingFang SC, Hiragino
#: Sans GB, Heiti SC) and common Linux desktops (Noto Sans CJK SC / Source Han Sans SC,
#: WenQuanYi Micro Hei / Zen Hei, Droid Sans Fallback), then the generic family.
FONT_STACK = (
    "system-ui,-apple-system,'Segoe UI','PingFang SC','Hiragino Sans GB','Heiti SC',"
    "'Microsoft YaHei','SimHei','Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC',"
    "'WenQuanYi Micro Hei','WenQuanYi Zen Hei','Droid Sans Fallback',sans-serif"
)

MARK_CSS = "mark.cs-mark{background:#ffe08a;color:inherit;border-radius:2px;padding:0 1px}"

OBJECT_CSS = (
    f".cs-obj{{font-family:{FONT_STACK};font-size:13px;color:#222;line-height:1.5}}"
    ".cs-obj table{border-collapse:collapse;margin:4px 0}"
    ".cs-obj th,.cs-obj td{border-bottom:1px solid #e6e8eb;padding:3px 8px;text-align:left;"
    "vertical-align:top}.cs-obj th{background:#eef1f5}"
    ".cs-obj .cs-text{background:#fafbfc;border-left:3px solid #2f6db5;padding:6px 10px;"
    "white-space:pre-wrap;margin:4px 0}"
    + MARK_CSS
    + ".cs-obj .sev-error{color:#c94a4a}.cs-obj .sev-warning{color:#b58b2f}"
    ".cs-obj .muted{color:#888}.cs-obj .pass{color:#2e7d32}.cs-obj .fail{color:#c94a4a}"
)


def _bounds(span: Any) -> tuple[int, int]:
    if isinstance(span, Mapping):
        return int(span["start"]), int(span["end"])
    if isinstance(span, Sequence):
        return int(span[0]), int(span[1])
    return int(span.start), int(span.end)


def highlight(text: str, spans: Iterable[Any], *, titles: Iterable[str] | None = None) -> str:
    """``text`` escaped, with each span (``Span``, ``{"start", "end"}`` or ``(start, end)``)
    in a ``<mark class="cs-mark">``; overlapping spans merge (their titles join).  Spans
    outside the text are clipped; empty ones are skipped."""
    n = len(text)
    names = list(titles) if titles is not None else None
    marks: list[tuple[int, int, set[str]]] = []
    for i, sp in enumerate(spans):
        s, e = _bounds(sp)
        s, e = max(0, min(s, n)), max(0, min(e, n))
        if e > s:
            title = names[i] if names is not None and i < len(names) else ""
            marks.append((s, e, {title} if title else set()))
    marks.sort(key=lambda m: (m[0], m[1]))
    merged: list[tuple[int, int, set[str]]] = []
    for s, e, t in marks:
        if merged and s < merged[-1][1]:
            ps, pe, pt = merged[-1]
            merged[-1] = (ps, max(pe, e), pt | t)
        else:
            merged.append((s, e, set(t)))
    out: list[str] = []
    k = 0
    for s, e, t in merged:
        out.append(escape(text[k:s]))
        attr = f" title='{escape(', '.join(sorted(t)))}'" if t else ""
        out.append(f"<mark class='cs-mark'{attr}>{escape(text[s:e])}</mark>")
        k = e
    out.append(escape(text[k:]))
    return "".join(out)


def _wrap(body: str) -> str:
    return f"<div class='cs-obj'><style>{OBJECT_CSS}</style>{body}</div>"


def _label(value: Any) -> str:
    zh = getattr(value, "label_zh", None)
    raw = getattr(value, "value", value)
    return f"{raw} {zh}" if isinstance(zh, str) and zh != raw else str(raw)


def _findings_rows(findings: Iterable[Any], *, suppressed: bool = False) -> list[str]:
    rows = []
    for f in findings:
        finding = f.finding if suppressed else f
        sev = finding.severity.value
        extra = ""
        if suppressed:
            extra = f"<br><span class='muted'>suppressed: {escape(f.reason)} ({escape(f.setting)})</span>"
        rows.append(
            f"<tr><td>{escape(finding.code)}<br><span class='muted'>{escape(finding.rule_id)}"
            f"</span></td><td class='sev-{escape(sev)}'>{escape(sev)}</td>"
            f"<td>{escape(finding.message_zh)}<br><span class='muted'>"
            f"{escape(finding.message_en)}</span>{extra}</td>"
            f"<td>{escape(finding.clause)}</td></tr>"
        )
    return rows


def reply_report_html(report: Any) -> str:
    """A :class:`~csstandards.tone.ReplyReport`: verdict, sub-scores, the reply with every
    finding's spans marked, the findings and the suppressed findings."""
    spans: list[Any] = []
    titles: list[str] = []
    for f in report.findings:
        for sp in f.spans:
            spans.append(sp)
            titles.append(f"{f.code} {f.rule_id}")
    verdict = "pass 通过" if report.passed else "fail 未通过"
    dims = " · ".join(
        f"{escape(d.label_zh)} {d.name} {d.score if d.measured else '—'}" for d in report.dimensions
    )
    head = (
        f"<div><b>score 总分 {report.score}/100</b> "
        f"<span class='{'pass' if report.passed else 'fail'}'>{verdict}</span> "
        f"<span class='muted'>(pass mark {report.min_score}"
        + (f"; rating {escape(_label(report.rating))}" if report.rating is not None else "")
        + f")</span><br>{dims}</div>"
    )
    body = head + f"<div class='cs-text'>{highlight(report.reply, spans, titles=titles)}</div>"
    rows = _findings_rows(report.findings) + _findings_rows(report.suppressed, suppressed=True)
    if rows:
        body += (
            "<table><tr><th>rule</th><th>severity</th><th>message</th><th>clause</th></tr>"
            + "".join(rows)
            + "</table>"
        )
    else:
        body += "<div class='muted'>no findings 没有发现问题</div>"
    return _wrap(body)


_ASSESSMENT_FIELDS = (
    "kind", "rating", "sentiment", "emotion", "urgency", "severity", "scope", "priority", "hint",
)  # fmt: skip


def assessment_html(assessment: Any, text: str | None = None) -> str:
    """A :class:`~csstandards.feedback.FeedbackAssessment`: its fields, topics, key issues and
    evidence.  With ``text`` (the classified text: the assessment keeps only offsets) the
    evidence spans are marked in it; without, each evidence cue is marked in the table."""
    a = assessment
    cells = "".join(
        f"<tr><th>{escape(name)}</th><td>{escape(_label(getattr(a, name)))}</td></tr>"
        for name in _ASSESSMENT_FIELDS
    )
    topics = ", ".join(f"{t.label_zh} {t.label_en}" for t in a.topics) or "—"
    issues = ", ".join(f"{k.label} ({k.polarity})" for k in a.key_issues) or "—"
    cells += f"<tr><th>topics</th><td>{escape(topics)}</td></tr>"
    cells += f"<tr><th>key issues</th><td>{escape(issues)}</td></tr>"
    body = f"<table>{cells}</table>"
    if text is not None:
        spans: list[Any] = []
        titles: list[str] = []
        for e in a.evidence:
            for sp in e.spans:
                spans.append(sp)
                titles.append(f"{e.field}={e.value}")
        body = f"<div class='cs-text'>{highlight(text, spans, titles=titles)}</div>" + body
    ev = []
    for e in a.evidence:
        cue = f"<mark class='cs-mark'>{escape(e.cue)}</mark>" if e.spans else escape(e.cue)
        weight = "" if e.weight is None else f"{e.weight:g}"
        ev.append(
            f"<tr><td>{escape(e.field)}</td><td>{escape(str(e.value))}</td><td>{cue}</td>"
            f"<td>{escape(weight)}</td><td class='muted'>{escape(e.note or e.source)}</td></tr>"
        )
    if ev:
        body += (
            "<table><tr><th>field</th><th>value</th><th>cue</th><th>weight</th><th>note</th></tr>"
            + "".join(ev)
            + "</table>"
        )
    return _wrap(body)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return escape(json.dumps(value, ensure_ascii=False))
    return escape(str(value))


_BATCH_COLUMNS = ("row", "id", "rating", "score", "passed", "kind", "priority", "error")


def batch_html(rows: Sequence[Mapping[str, Any]], summary: Any, *, more: bool) -> str:
    """The first ``rows`` of a batch result: summary line, a few columns, and the reply (or
    feedback text) with the spans of its findings marked."""
    shown = [c for c in _BATCH_COLUMNS if any(c in r for r in rows)]
    text_col = "reply" if any("reply" in r for r in rows) else "text"
    head = "".join(f"<th>{escape(c)}</th>" for c in shown) + f"<th>{escape(text_col)}</th>"
    lines = []
    for r in rows:
        text = r.get(text_col) or r.get("review") or ""
        spans: list[Any] = []
        titles: list[str] = []
        for f in r.get("findings") or ():
            if "suppressed" in f:
                continue
            for sp in f.get("spans") or ():
                spans.append(sp)
                titles.append(f"{f.get('code', '')} {f.get('rule_id', '')}")
        text_html = highlight(str(text), spans, titles=titles)
        err = r.get("error")
        row_cells = "".join(
            f"<td>{_cell(err.get('reason') if c == 'error' and isinstance(err, Mapping) else r.get(c))}</td>"
            for c in shown
        )
        lines.append(f"<tr>{row_cells}<td>{text_html}</td></tr>")
    note = " … more rows: consume with to_list() / to_dataframe()" if more else ""
    desc = summary.describe() if hasattr(summary, "describe") else str(summary)
    body = (
        f"<div><b>{escape(desc)}</b><span class='muted'>{escape(note)}</span></div>"
        f"<table><tr>{head}</tr>{''.join(lines)}</table>"
    )
    return _wrap(body)
