"""``csstandards demo``: the whole pipeline on the bundled sample data set."""

from __future__ import annotations

import argparse
import time
from typing import Any

from .batch import aggregate, score_replies
from .batch.cli_support import sample_path
from .cli_calendar import add_config_option, project_config

_RATING_ZH = {"positive": "好评", "neutral": "中评", "negative": "差评"}


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "demo",
        help="score the bundled sample of 600 reviews and replies and summarise (演示)",
        description=(
            "Run the analyst pipeline on the bundled sample data set (600 review/reply rows "
            "across ratings, channels, agents, templates, holidays and 双11): score every reply, "
            "classify every review, aggregate, score the 120 sample chat transcripts on the "
            "default QA scorecard (会话质检), and optionally write the HTML report."
        ),
    )
    p.add_argument("-o", "--report", metavar="HTML", help="also write the HTML report here")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    add_config_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = sample_path()
    t0 = time.perf_counter()
    res = score_replies(path, workers=args.workers, standard=project_config(args).standard)
    rows = res.to_list()
    s = res.summary
    agg = aggregate(rows)
    secs = time.perf_counter() - t0
    print(f"csstandards demo — bundled sample {path.name}")
    print(
        f"  {s.read} rows in, {s.scored} scored, {s.failed} failed in {secs:.1f} s (naive times read as {s.tz})"
    )
    for row, line, fieldname, reason in agg.failures[:5]:
        print(f"    {path.name}:{line}: row {row}: {fieldname}: {reason}")
    subs = ", ".join(f"{k} {v:.1f}" for k, v in agg.mean_sub_scores.items() if v is not None)
    mean = f"{agg.mean_score:.1f}" if agg.mean_score is not None else "–"
    pass_rate = f"{100 * agg.scores.pass_rate:.1f}%" if agg.scores else "–"
    print(f"\nScores 得分: mean {mean} ({subs}); passed {pass_rate}")
    comp = agg.compliance
    overall = comp["metric"].get("reply_time")
    if overall is not None and overall.total:
        parts = ", ".join(
            f"{_RATING_ZH.get(k, k)} {100 * (r.rate or 0):.0f}%" for k, r in comp["rating"].items()
        )
        print(
            f"SLA reply time 回复时效: {100 * (overall.rate or 0):.1f}% met of {overall.total} ({parts})"
        )
    if agg.by_agent:
        worst, best = agg.by_agent[0], agg.by_agent[-1]
        print(
            f"Agents 客服: lowest {worst.group} mean {worst.mean:.1f}, highest {best.group} mean {best.mean:.1f}"
        )
    if agg.findings:
        print("\nMost frequent findings 最常见问题:")
        for f in agg.findings[:6]:
            ex = f" e.g. “{f.examples[0][0]}”" if f.examples and f.examples[0][0] else ""
            print(f"  {f.count:4d}  {f.code} {f.rule_id:<28} {f.message_zh}{ex}")
    if agg.topics:
        from .report import _topic_label

        tops = ", ".join(f"{_topic_label(t)} {n}" for t, n in agg.topics[:6])
        print(f"\nProblem topics 问题主题: {tops}")
    if agg.recurring:
        print(
            f"Recurring after closure 闭环后复发: {len(agg.recurring)} (same customer, same topic within 30 days)"
        )
    qa_rows = _demo_qa(args.workers, project_config(args).standard)
    if args.report:
        from .report import Report
        from .report.qa import QASection

        out = Report(agg, source=str(path.name), qa=QASection.from_rows(qa_rows)).save(args.report)
        print(f"\nHTML report written to {out}")
    else:
        print("\nWrite the HTML report with: csstandards demo --report demo.html")
    return 0


def _demo_qa(workers: int, standard: Any = None) -> list[dict[str, Any]]:
    """Conversation QA on the bundled sample transcripts (会话质检), summarised."""
    from .qa import score_transcripts
    from .report.qa import QASection

    path = sample_path().with_name("transcripts.jsonl")
    res = score_transcripts(path, workers=workers, standard=standard)
    rows = res.to_list()
    sec = QASection.from_rows(rows)
    rate = f"{100 * sec.passed / sec.n:.1f}%" if sec.n else "–"
    mean = f"{sec.mean:.1f}" if sec.mean is not None else "–"
    print(
        f"\nConversation QA 会话质检 — {path.name}, scorecard {sec.scorecard} {sec.scorecard_hash}"
    )
    print(f"  {sec.n} conversations checked, {sec.failed} failed; mean {mean}; passed {rate}")
    if sec.by_agent:
        worst, best = sec.by_agent[0], sec.by_agent[-1]
        print(
            f"  Agents 客服: lowest {worst.group} pass {100 * worst.pass_rate:.0f}% "
            f"(fatal {worst.fatal}), highest {best.group} pass {100 * best.pass_rate:.0f}%"
        )
    for f in sec.findings[:4]:
        print(f"  {f.count:4d}  {f.code} {f.rule_id:<34} {f.message_zh}")
    return rows
