"""The conversation-QA section of the HTML report (会话质检): pass rate and fatal items per
agent and per team, the most frequent findings, and the worst conversations with their
flagged turns highlighted.

Built from the rows of :func:`csstandards.qa.score_transcripts` (or ``csstandards qa … -o``)::

    section = QASection.from_rows(rows)
    Report(aggregates, qa=section).save("report.html")   # inside the analyst report
    section.to_html()                                    # or a page of its own

Rows scored with different scorecards (different ``scorecard_hash``) are refused: their
scores are not comparable.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

from ..errors import InputError
from .render import OBJECT_CSS, highlight

__all__ = ["GroupStats", "QASection", "qa_section", "transcript_html"]


@dataclass(frozen=True)
class GroupStats:
    """Pass rate and fatal items of one agent or team."""

    group: str
    n: int
    passed: int
    mean: float
    fatal: int
    fatal_items: tuple[tuple[str, int], ...] = ()

    @property
    def pass_rate(self) -> float:
        return self.passed / self.n if self.n else 0.0


@dataclass(frozen=True)
class TopFinding:
    rule_id: str
    code: str
    message_zh: str
    count: int
    conversations: int
    example: str = ""


@dataclass
class QASection:
    """Aggregates of QA rows, rendered as an HTML section."""

    scorecard: str = ""
    scorecard_hash: str = ""
    rules_version: str = ""
    n: int = 0
    failed: int = 0
    passed: int = 0
    mean: float | None = None
    by_agent: list[GroupStats] = field(default_factory=list)
    by_team: list[GroupStats] = field(default_factory=list)
    findings: list[TopFinding] = field(default_factory=list)
    worst: list[Mapping[str, Any]] = field(default_factory=list)

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, Any]], *, top: int = 10, worst: int = 5
    ) -> QASection:
        ok: list[Mapping[str, Any]] = []
        failed = 0
        for r in rows:
            if r.get("error"):
                failed += 1
            else:
                ok.append(r)
        hashes = sorted({str(r.get("scorecard_hash")) for r in ok})
        if len(hashes) > 1:
            raise InputError(
                f"QA rows come from {len(hashes)} scorecards ({', '.join(hashes)}): their scores "
                "are not comparable; report each scorecard's rows separately"
            )
        sec = cls(n=len(ok), failed=failed)
        if not ok:
            return sec
        sec.scorecard = str(ok[0].get("scorecard") or "")
        sec.scorecard_hash = hashes[0]
        sec.rules_version = str(ok[0].get("rules_version") or "")
        sec.passed = sum(1 for r in ok if r.get("passed"))
        sec.mean = sum(float(r.get("score") or 0) for r in ok) / len(ok)
        sec.by_agent = _groups(ok, "agent")
        sec.by_team = _groups(ok, "team")
        counts: Counter[str] = Counter()
        convs: Counter[str] = Counter()
        meta: dict[str, tuple[str, str, str]] = {}
        for r in ok:
            seen: set[str] = set()
            for f in r.get("findings") or ():
                rid = f["rule_id"]
                counts[rid] += 1
                if rid not in seen:
                    convs[rid] += 1
                    seen.add(rid)
                if rid not in meta or (not meta[rid][2] and f.get("excerpt")):
                    meta[rid] = (f.get("code", ""), f.get("message_zh", ""), f.get("excerpt") or "")
        sec.findings = [
            TopFinding(rid, meta[rid][0], meta[rid][1], n, convs[rid], meta[rid][2])
            for rid, n in counts.most_common(top)
        ]
        sec.worst = sorted(ok, key=lambda r: (float(r.get("score") or 0), str(r.get("id"))))[:worst]
        return sec

    # -- rendering ----------------------------------------------------------------------------
    def body_html(self) -> str:
        rate = f"{100 * self.passed / self.n:.1f}%" if self.n else "–"
        mean = f"{self.mean:.1f}" if self.mean is not None else "–"
        cards = [
            ("conversations 会话", str(self.n)),
            ("not checked 未能质检", str(self.failed)),
            ("mean score 平均分", mean),
            ("pass rate 合格率", rate),
            ("fatal 一票否决", str(sum(g.fatal for g in self.by_agent))),
        ]
        cards_html = "".join(
            f"<div class='card'><b>{escape(v)}</b><span>{escape(k)}</span></div>" for k, v in cards
        )
        meta = (
            f"scorecard {escape(self.scorecard or '-')} · hash {escape(self.scorecard_hash or '-')}"
            f" · rules {escape(self.rules_version or '-')}"
        )
        return (
            "<section class='cs-qa' id='qa'>"
            "<h2>Conversation QA 会话质检 (001 §1–§2, 000 §2.2)</h2>"
            f"<div class='meta'>{meta}</div><div class='cards'>{cards_html}</div>"
            "<h3>By agent 按客服</h3>"
            f"{_group_table(self.by_agent, '客服 agent')}"
            "<h3>By team 按班组</h3>"
            f"{_group_table(self.by_team, '班组 team')}"
            "<h3>Top findings 常见问题</h3>"
            f"{self._findings_table()}"
            "<h3>Worst conversations 得分最低的会话</h3>"
            f"{''.join(_conversation_html(r) for r in self.worst) or _none()}"
            "</section>"
        )

    def _findings_table(self) -> str:
        if not self.findings:
            return _none()
        rows = "".join(
            f"<tr><td>{escape(f.code)}</td><td>{escape(f.rule_id)}</td>"
            f"<td>{escape(f.message_zh)}</td><td>{f.count}</td><td>{f.conversations}</td>"
            f"<td class='ex'>{escape(f.example)}</td></tr>"
            for f in self.findings
        )
        return (
            "<table><tr><th>code</th><th>rule</th><th>message 问题</th><th>findings</th>"
            f"<th>conversations 会话数</th><th>example 例</th></tr>{rows}</table>"
        )

    def to_html(self) -> str:
        """The section as a page of its own."""
        from . import _CSS

        return (
            "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>会话质检 Conversation QA</title><style>{_CSS}{QA_CSS}</style></head>"
            f"<body><div class='cs-report'>{self.body_html()}</div></body></html>"
        )

    def _repr_html_(self) -> str:
        from . import _CSS

        return f"<style>{_CSS}{QA_CSS}</style><div class='cs-report'>{self.body_html()}</div>"


QA_CSS = """
.cs-report .cs-qa h3{font-size:15px;margin:16px 0 6px}
.cs-report .qa-conv{background:#fff;border-radius:8px;padding:8px 12px;margin:8px 0;
box-shadow:0 1px 2px rgba(0,0,0,.08)}.cs-report .qa-turn{padding:3px 6px;margin:2px 0}
.cs-report .qa-flag{background:#fff3f3;border-left:3px solid #c94a4a}
.cs-report .qa-turn mark{background:#ffd6d6;color:#8a1c1c}
.cs-report .qa-note{color:#c94a4a;font-size:12px}
"""


def qa_section(rows: Iterable[Mapping[str, Any]], **kw: Any) -> QASection:
    """:meth:`QASection.from_rows`."""
    return QASection.from_rows(rows, **kw)


def _groups(rows: list[Mapping[str, Any]], key: str) -> list[GroupStats]:
    by: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        by[str(r.get(key) or "—")].append(r)
    out = []
    for g, rs in by.items():
        fatal_counts: Counter[str] = Counter(i for r in rs for i in (r.get("fatal_items") or ()))
        out.append(
            GroupStats(
                group=g,
                n=len(rs),
                passed=sum(1 for r in rs if r.get("passed")),
                mean=sum(float(r.get("score") or 0) for r in rs) / len(rs),
                fatal=sum(1 for r in rs if r.get("fatal_items")),
                fatal_items=tuple(fatal_counts.most_common()),
            )
        )
    return sorted(out, key=lambda s: (s.pass_rate, s.mean, s.group))


def _group_table(stats: list[GroupStats], label: str) -> str:
    if not stats:
        return _none()
    rows = "".join(
        f"<tr><td>{escape(s.group)}</td><td>{s.n}</td><td>{100 * s.pass_rate:.0f}%</td>"
        f"<td>{s.mean:.1f}</td><td>{s.fatal}</td>"
        f"<td>{escape(', '.join(f'{k} ×{v}' for k, v in s.fatal_items)) or '—'}</td></tr>"
        for s in stats
    )
    return (
        f"<table><tr><th>{escape(label)}</th><th>conversations</th><th>pass rate 合格率</th>"
        "<th>mean 平均分</th><th>fatal 一票否决</th><th>fatal items</th></tr>"
        f"{rows}</table>"
    )


_ROLE_ZH = {"customer": "客户", "agent": "客服", "bot": "机器人", "system": "系统"}


def _conversation_html(r: Mapping[str, Any]) -> str:
    by_turn: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    general: list[Mapping[str, Any]] = []
    for f in r.get("findings") or ():
        if f.get("turn") is None:
            general.append(f)
        else:
            by_turn[int(f["turn"])].append(f)
    head = (
        f"<b>{escape(str(r.get('id')))}</b> · {escape(str(r.get('channel') or ''))} · "
        f"{escape(str(r.get('agent') or '—'))} · {escape(str(r.get('team') or '—'))} · "
        f"score <b>{float(r.get('score') or 0):g}</b>"
        + (
            " · 一票否决 " + escape(", ".join(r.get("fatal_items") or ()))
            if r.get("fatal_items")
            else ""
        )
    )
    turns = []
    for t in r.get("turns") or ():
        fs = by_turn.get(int(t["turn"]), [])
        spans = [sp for f in fs for sp in f.get("spans") or ()]
        titles = [str(f.get("code", "")) for f in fs for _ in f.get("spans") or ()]
        cls = "qa-turn qa-flag" if fs else "qa-turn"
        notes = "".join(
            f"<div class='qa-note'>{escape(f.get('code', ''))} {escape(f.get('message_zh', ''))}</div>"
            for f in fs
        )
        turns.append(
            f"<div class='{cls}'><span class='muted'>#{int(t['turn'])} "
            f"{escape(_ROLE_ZH.get(str(t.get('role')), str(t.get('role'))))}</span> "
            f"{highlight(str(t.get('text') or ''), spans, titles=titles)}{notes}</div>"
        )
    if general:
        turns.append(
            "<div class='qa-note'>"
            + "<br>".join(
                f"{escape(f.get('code', ''))} {escape(f.get('message_zh', ''))}" for f in general
            )
            + "</div>"
        )
    return f"<div class='qa-conv'><div>{head}</div>{''.join(turns)}</div>"


def _none() -> str:
    return "<p class='muted'>none 无</p>"


def transcript_html(rep: Any) -> str:
    """One checked conversation (a :class:`~csstandards.qa.TranscriptReport`) as HTML: the
    verdict, every turn with the flagged spans marked (titles name the rules), the findings
    about the whole conversation.  All user text is escaped."""
    r = rep.result
    verdict = (
        "<span class='pass'>通过 pass</span>"
        if r.passed
        else "<span class='fail'>未通过 fail</span>"
    )
    head = (
        f"<div><b>{escape(rep.id)}</b> · {escape(rep.channel.label_zh)}"
        f"{' · ' + escape(rep.agent) if rep.agent else ''}"
        f"{' · ' + escape(rep.team) if rep.team else ''} · "
        f"<b>{r.score:g}</b>/{r.base:g} {verdict} "
        f"<span class='muted'>(及格线 pass mark {r.pass_mark:g}; {escape(r.scorecard)} "
        f"{escape(r.scorecard_hash)})</span>"
        + (f" · 一票否决 fatal: {escape(', '.join(r.fatal_items))}" if r.fatal_items else "")
        + "</div>"
    )
    by_turn = rep.by_turn()
    rows = []
    for t in rep.turns:
        fs = by_turn.get(t.turn, [])
        spans = [sp for f in fs for sp in f.spans]
        titles = [f.code for f in fs for _ in f.spans]
        notes = "".join(
            f"<div class='sev-{escape(f.severity.value)}'>{escape(f.code)} "
            f"{escape(f.message_zh)} — {escape(f.message_en)}</div>"
            for f in fs
        )
        who = escape(t.role.label_zh) + (f" {escape(t.agent)}" if t.agent else "")
        rows.append(
            f"<tr><td class='muted'>#{t.turn} {who}</td>"
            f"<td>{highlight(t.text, spans, titles=titles)}{notes}</td></tr>"
        )
    conv = "".join(
        f"<div class='sev-{escape(f.finding.severity.value)}'>{escape(f.finding.code)} "
        f"{escape(f.finding.message_zh)} — {escape(f.finding.message_en)}</div>"
        for f in rep.conversation_findings
    )
    items = "".join(
        f"<tr><td>{escape(it.section_name)}</td><td>{escape(it.name)}</td>"
        f"<td>-{it.deduction:g}{' (一票否决)' if it.fatal else ''}</td></tr>"
        for it in r.items
        if it.hit
    )
    return (
        f"<div class='cs-obj'><style>{OBJECT_CSS}</style>{head}"
        f"<table>{''.join(rows)}</table>{conv}"
        + (
            f"<table><tr><th>section</th><th>item 质检项</th><th>points</th></tr>{items}</table>"
            if items
            else ""
        )
        + "</div>"
    )
