"""The analyst report (分析报告): one self-contained HTML file with inline SVG charts.

No JavaScript, no CDN, no web fonts: the file opens offline in any browser and the same object
renders inline in Jupyter through ``_repr_html_``::

    from csstandards.batch import score_replies
    from csstandards.report import build_report
    rows = score_replies("replies.jsonl").to_list()
    build_report(rows, title="2026 Q4").save("report.html")

Charts (their SVG ids): ``chart-sla`` SLA compliance by rating and channel, ``chart-scores``
score histogram, ``chart-subscores`` mean sub-scores, ``chart-agents`` and ``chart-templates``
score distributions, ``chart-findings`` top findings, ``chart-topics`` problem topics over time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

from ..batch.aggregate import Aggregates, Period, _rows, aggregate
from . import svg
from .render import FONT_STACK, MARK_CSS, highlight

__all__ = ["CHART_IDS", "Report", "build_report"]

CHART_IDS = (
    "chart-sla",
    "chart-scores",
    "chart-subscores",
    "chart-agents",
    "chart-templates",
    "chart-findings",
    "chart-topics",
)

_RATING_ZH = {"positive": "好评", "neutral": "中评", "negative": "差评"}
_SUB_ZH = {"speed": "速度 speed", "warmth": "温度 warmth", "depth": "深度 depth"}

_CSS = (
    """
body{margin:0;background:#f5f6f8;color:#222;font-family:FONT_STACK;}
.cs-report{max-width:1200px;margin:0 auto;padding:20px 28px;background:#f5f6f8;}
.cs-report h1{font-size:24px;margin:6px 0 4px}.cs-report h2{font-size:18px;margin:26px 0 10px;
border-left:4px solid #2f6db5;padding-left:8px}.cs-report .meta{color:#666;font-size:13px}
.cs-report .estimated{background:#fff4e0;border-left:4px solid #d98a00;padding:6px 10px}
.cs-report .cards{display:flex;gap:12px;flex-wrap:wrap;margin:14px 0}
.cs-report .card{background:#fff;border-radius:8px;padding:10px 16px;min-width:130px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}.cs-report .card b{display:block;font-size:22px}
.cs-report .card span{color:#666;font-size:12px}.cs-report .grid{display:flex;flex-wrap:wrap;gap:14px}
.cs-report .panel{background:#fff;border-radius:8px;padding:8px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.cs-report table{border-collapse:collapse;background:#fff;font-size:13px;width:100%}
.cs-report th,.cs-report td{border-bottom:1px solid #e6e8eb;padding:5px 8px;text-align:left;vertical-align:top}
.cs-report th{background:#eef1f5}.cs-report .ex{color:#c94a4a;font-weight:bold}
.cs-report .muted{color:#888}.cs-report .sev-error{color:#c94a4a}.cs-report .sev-warning{color:#b58b2f}
""".replace("FONT_STACK", FONT_STACK)
    + MARK_CSS
)


def _topic_label(topic_id: str) -> str:
    """``物流 logistics`` from the feedback taxonomy; the bare id when it has no entry."""
    try:
        from ..feedback.taxonomy import default_taxonomy

        return f"{default_taxonomy().topic_label(topic_id, 'zh')} {topic_id}"
    except Exception:  # unknown or caller-defined topic: show the id
        return topic_id


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None, nd: int = 1) -> str:
    return "–" if x is None else f"{x:.{nd}f}"


class Report:
    """An analyst report built from scored rows; ``to_html()`` is one self-contained page."""

    def __init__(
        self,
        aggregates: Aggregates,
        *,
        title: str = "客服质量分析报告 · Customer-service quality report",
        source: str = "",
        generated_at: datetime | None = None,
        estimated_years: Iterable[int] = (),
        qa: Any = None,
    ) -> None:
        self.aggregates = aggregates
        self.qa = qa  # a report.qa.QASection: the conversation-QA section, when given
        self.title = title
        self.source = source
        self.generated_at = generated_at or datetime.now(timezone.utc)
        self.estimated_years = tuple(sorted(set(estimated_years)))

    def _estimated_note(self) -> str:
        """A line naming the years whose SLA due times rest on estimated holidays (估算)."""
        if not self.estimated_years:
            return ""
        years = ", ".join(str(y) for y in self.estimated_years)
        return (
            "<p class='estimated'><b>估算 Estimated:</b> SLA due times for "
            f"{escape(years)} use estimated public holidays (statutory days only, no 调休): no "
            "official notice was loaded. Import it with <code>csstandards calendar import</code>"
            " and list it under <code>[tool.csstandards] holidays</code>.</p>"
        )

    # -- charts -------------------------------------------------------------------------------
    def _sla_chart(self) -> str:
        a = self.aggregates
        items: list[tuple[str, float, str]] = []
        colors: list[str] = []
        for key, rate in a.compliance.get("metric", {}).items():
            items.append(
                (
                    f"全部 all · {key}",
                    rate.rate or 0.0,
                    f"{_pct(rate.rate)} ({rate.met}/{rate.total})",
                )
            )
            colors.append(svg.PALETTE[0])
        for key, rate in a.compliance.get("rating", {}).items():
            label = f"评价 · {_RATING_ZH.get(key, key)} {key}"
            items.append((label, rate.rate or 0.0, f"{_pct(rate.rate)} ({rate.met}/{rate.total})"))
            colors.append(svg.PALETTE[1])
        for key, rate in a.compliance.get("channel", {}).items():
            items.append(
                (f"渠道 · {key}", rate.rate or 0.0, f"{_pct(rate.rate)} ({rate.met}/{rate.total})")
            )
            colors.append(svg.PALETTE[2])
        return svg.hbar_chart(
            "chart-sla",
            "回复时效达标率 SLA compliance (000 §2.1)",
            items,
            max_value=1.0,
            colors=colors,
            width=1120,
            label_width=260,
        )

    def _score_charts(self) -> str:
        a = self.aggregates
        hist = a.scores.histogram if a.scores else (0,) * 10
        labels = [f"{10 * i}–{10 * i + 9}" if i < 9 else "90–100" for i in range(10)]
        h = svg.histogram("chart-scores", "得分分布 Score distribution", hist, labels=labels)
        subs = [
            (_SUB_ZH[k], v or 0.0, _num(v)) for k, v in a.mean_sub_scores.items() if k in _SUB_ZH
        ]
        s = svg.hbar_chart(
            "chart-subscores",
            "平均分项得分 Mean sub-scores (000 §1.3)",
            subs,
            max_value=100.0,
            label_width=120,
            colors=svg.PALETTE[3:6],
        )
        return f"<div class='panel'>{h}</div><div class='panel'>{s}</div>"

    def _group_chart(self, chart_id: str, title: str, stats: Iterable[Any], limit: int = 14) -> str:
        items = [
            (s.group, s.p10, s.median, s.p90, s.mean, s.n)
            for s in sorted(stats, key=lambda s: (-s.n, s.group))[:limit]
        ]
        items.sort(key=lambda t: t[4])
        return svg.range_chart(chart_id, title, items)

    def _findings(self) -> str:
        a = self.aggregates
        items = [
            (
                f"{f.code} {f.rule_id.split('.', 1)[-1]}",
                float(f.count),
                f"{f.count} ({_pct(f.share)})",
            )
            for f in a.findings
        ]
        chart = svg.hbar_chart(
            "chart-findings",
            "最常见问题 Most frequent findings",
            items,
            width=1120,
            label_width=260,
            color=svg.PALETTE[3],
        )
        rows = []
        for f in a.findings:
            ex = []
            for excerpt, reply in f.examples[:2]:
                spans = []
                if excerpt and excerpt in reply:
                    i = reply.index(excerpt)
                    spans.append((i, i + len(excerpt)))
                html = highlight(reply, spans, titles=[f.code])
                ex.append(f"<div>“{html}”</div>")
            rows.append(
                f"<tr><td>{escape(f.code)}<br><span class='muted'>{escape(f.rule_id)}</span></td>"
                f"<td class='sev-{escape(f.severity)}'>{escape(f.severity)}</td>"
                f"<td>{escape(f.message_zh)}<br><span class='muted'>{escape(f.message_en)}</span></td>"
                f"<td>{f.count}</td><td>{''.join(ex)}</td></tr>"
            )
        table = (
            "<table id='table-findings'><tr><th>rule</th><th>severity</th><th>message</th>"
            "<th>count</th><th>examples (flagged text marked)</th></tr>"
            + "".join(rows)
            + "</table>"
        )
        return f"<div class='panel'>{chart}</div>{table}"

    def _topics(self) -> str:
        a = self.aggregates
        top = [t for t, _ in a.topics[:8]]
        periods = sorted({p.period for p in a.topic_trend})
        counts = {(p.topic, p.period): p.count for p in a.topic_trend}
        series = [(_topic_label(t), [float(counts.get((t, p), 0)) for p in periods]) for t in top]
        return svg.line_chart(
            "chart-topics",
            f"问题主题趋势 Problem topics over time (per {a.period}; 003 二(五))",
            periods,
            series,
        )

    def _recurring(self) -> str:
        rec = self.aggregates.recurring
        if not rec:
            return "<p class='muted'>No recurring problems found (未发现闭环后复发的问题).</p>"
        rows = "".join(
            f"<tr><td>{escape(r.key)}</td><td>{escape(_topic_label(r.topic))}</td><td>{escape(str(r.closed_row))}"
            f"</td><td>{escape(r.closed_at[:16])}</td><td>{escape(str(r.again_row))}</td>"
            f"<td>{escape(r.again_at[:16])}</td><td>{r.days_after:.1f}</td></tr>"
            for r in rec[:30]
        )
        more = f"<p class='muted'>… and {len(rec) - 30} more</p>" if len(rec) > 30 else ""
        return (
            "<table id='table-recurring'><tr><th>customer</th><th>topic</th><th>closed row</th>"
            "<th>closed at</th><th>again row</th><th>again at</th><th>days after</th></tr>"
            + rows
            + "</table>"
            + more
        )

    def _failures(self) -> str:
        a = self.aggregates
        if not a.failed:
            return "<p class='muted'>Every row was scored.</p>"
        rows = "".join(
            f"<tr><td>{escape(str(r))}</td><td>{escape(str(line or ''))}</td><td>{escape(f)}</td>"
            f"<td>{escape(reason)}</td></tr>"
            for r, line, f, reason in a.failures
        )
        return (
            f"<p>{a.failed} row(s) could not be scored; first {len(a.failures)}:</p>"
            "<table id='table-failures'><tr><th>row</th><th>line</th><th>field</th><th>reason</th></tr>"
            + rows
            + "</table>"
        )

    # -- assembly -----------------------------------------------------------------------------
    def body_html(self) -> str:
        a = self.aggregates
        sla = a.compliance.get("metric", {}).get("reply_time")
        cards = [
            ("rows read 读取", str(a.rows)),
            ("scored 已评分", str(a.scored)),
            ("failed 失败", str(a.failed)),
            ("mean score 平均分", _num(a.mean_score)),
            ("SLA met 时效达标", _pct(sla.rate if sla is not None else None)),
            ("pass rate 合格率", _pct(a.scores.pass_rate if a.scores else None)),
        ]
        cards_html = "".join(
            f"<div class='card'><b>{escape(v)}</b><span>{escape(k)}</span></div>" for k, v in cards
        )
        meta = (
            f"source {escape(self.source or '-')} · generated {self.generated_at:%Y-%m-%d %H:%M} UTC"
            f" · naive times read as {escape(a.tz)}"
        )
        return (
            f"<div class='cs-report'><h1>{escape(self.title)}</h1><div class='meta'>{meta}</div>"
            f"<div class='cards'>{cards_html}</div>"
            "<h2>SLA compliance 时效达标 (000 §2.1, 002 二(二)5)</h2>"
            f"{self._estimated_note()}"
            f"<div class='panel'>{self._sla_chart()}</div>"
            "<h2>Scores 得分</h2>"
            f"<div class='grid'>{self._score_charts()}</div>"
            "<div class='grid' style='margin-top:14px'>"
            f"<div class='panel'>{self._group_chart('chart-agents', '按客服 By agent (p10–p90, ● median)', a.by_agent)}</div>"
            f"<div class='panel'>{self._group_chart('chart-templates', '按模板 By template (p10–p90, ● median)', a.by_template)}</div>"
            "</div>"
            "<h2>Top findings 常见问题 (003 二(五))</h2>"
            f"{self._findings()}"
            "<h2>Topics over time 问题主题趋势 (002 二(二)5)</h2>"
            f"<div class='panel'>{self._topics()}</div>"
            "<h2>Recurring after closure 闭环后复发 (002 二(二)6)</h2>"
            f"{self._recurring()}"
            "<h2>Rows not scored 未能评分的记录</h2>"
            f"{self._failures()}"
            f"{self.qa.body_html() if self.qa is not None else ''}"
            "</div>"
        )

    def to_html(self) -> str:
        """The whole report as one HTML document (UTF-8, no external resources)."""
        return (
            "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{escape(self.title)}</title><style>{_CSS}{self._qa_css()}</style></head>"
            f"<body>{self.body_html()}</body></html>"
        )

    def _repr_html_(self) -> str:
        return f"<style>{_CSS}{self._qa_css()}</style>{self.body_html()}"

    def _qa_css(self) -> str:
        if self.qa is None:
            return ""
        from .qa import QA_CSS

        return QA_CSS

    def save(self, path: str | os.PathLike[str]) -> Path:
        p = Path(path)
        p.write_text(self.to_html(), encoding="utf-8")
        return p


def build_report(
    rows: Any,
    *,
    title: str = "客服质量分析报告 · Customer-service quality report",
    source: str = "",
    period: Period = "month",
    top: int = 10,
) -> Report:
    """A :class:`Report` from scored rows (iterable of dicts, a DataFrame or a BatchResult)."""
    if isinstance(rows, Mapping):
        raise TypeError("build_report takes rows (an iterable of dicts or a DataFrame)")
    data = _rows(rows)
    return Report(
        aggregate(data, period=period, top=top),
        title=title,
        source=source,
        estimated_years=_estimated_years(data),
    )


def _estimated_years(rows: Iterable[Mapping[str, Any]]) -> set[int]:
    """Years of the reviews whose SLA column says ``sla_estimated``."""
    years: set[int] = set()
    for r in rows:
        flag = r.get("sla_estimated") if isinstance(r, Mapping) else None
        if flag is None or not bool(flag):
            continue
        at = r.get("reviewed_at")
        year = getattr(at, "year", None)
        if year is None and isinstance(at, str) and at[:4].isdigit():
            year = int(at[:4])
        if isinstance(year, int):
            years.add(year)
    return years
