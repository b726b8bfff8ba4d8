"""Growth benchmark (issue #17): per-unit cost of every public entry point as its input grows.

For each public entry point and several adversarial input families (digit runs, Chinese
numerals, one repeated character, repeated cues, long quotes, a long praise-then-complaint
review, many events) it prints the time per character (per event, per ticket) at 1k, 10k and
100k units, and at 1M where that finishes in seconds, and the growth ratio of the per-unit cost
from the smallest to the 100k size (1k→100k).  A linear entry point keeps the ratio near 1.
The target: every ratio ≤ 1.5, and for the rows marked ``*`` (issue #17's probes: digit runs
and repeated promises in a commitment, digits in a reply, a long praise-then-complaint review,
appending to an event log) no call above 1 s at 100k.  Other rows print their time at 100k
beside the ratio: a linear but costly entry point (a 100k-message consultation runs the reply
rules on every agent turn) is a figure to watch, not a growth defect.  Figures are noisy on a
busy machine; the ratio compares sizes measured back to back, best of interleaved rounds.

    python benchmarks/bench_growth.py                  # 1k, 10k, 100k, 1M where cheap
    python benchmarks/bench_growth.py --max 100000     # stop at 100k
    python benchmarks/bench_growth.py --max 2000 --only parse_commitment

The exit status is 0; ``--strict`` makes it 1 when a row misses the target (ratio > 1.5, or
a probe above 1 s at 100k).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

TZ = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)

# ---------------------------------------------------------------------------- text families


def _fill(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _praise_then_complaint(n: int) -> str:
    half = n // 2
    return _fill("衣服质量很好,面料舒服,很满意,", half) + _fill(
        "但是物流太慢了,客服态度很差,非常失望,", n - half
    )


TEXT_FAMILIES: dict[str, Callable[[int], str]] = {
    "digits": lambda n: "1" * n,
    "digits-dots": lambda n: _fill("1.", n),
    "cn-numerals": lambda n: _fill("三十五", n),
    "one-char": lambda n: "好" * n,
    "quote": lambda n: "“" + "好" * (n - 2) + "”",
    "praise>complaint": _praise_then_complaint,
    "mixed-punct": lambda n: _fill("退款?!。,;:“”‘’()【】……", n),
}
# the cue each entry point reacts to, repeated (in one sentence and across sentences)
CUES: dict[str, list[tuple[str, str]]] = {
    "commitment": [
        ("cue-3min", "3分钟内回复"),
        ("cue-3min,", "3分钟内回复,"),
        ("cue-3min.", "3分钟内回复。"),
        ("cue-cn", "三分钟内回复,"),
        ("cue-scope", "工作时间内电话3声内接听,"),
        ("cue-recovery", "未在24小时内回复的,我们将赔偿10元。"),
        ("cue-pct", "90%的邮件2个工作日内回复,"),
        ("cue-allhours", "7×24小时在线客服,"),
        ("cue-unitless", "不超过3,"),
    ],
    "reply": [
        ("cue-sorry", "非常抱歉,"),
        ("cue-refund", "已为您申请退款,"),
        ("cue-placeholder", "亲爱的{客户名},"),
        ("cue-time", "24小时内"),
    ],
    "feedback": [
        ("cue-complaint", "物流太慢了,"),
        ("cue-negated", "不是不好,"),
        ("cue-urgent", "急!!!"),
        ("cue-but", "但是"),
    ],
}


def text_cases(kind: str) -> list[tuple[str, Callable[[int], str]]]:
    cases = list(TEXT_FAMILIES.items())
    for name, unit in CUES[kind]:
        cases.append((name, lambda n, u=unit: _fill(u, n)))
    if kind == "commitment":  # one long sentence of targets that is not the whole text
        cases.append(("cue-cn-late", lambda n: "好。" + _fill("三分钟内回复,", n - 2)))
    return cases


# ---------------------------------------------------------------------------- entry points


@dataclass
class Case:
    entry: str
    family: str
    unit: str  # what n counts
    make: Callable[[int], Any]  # n -> prepared input (not timed)
    run: Callable[[Any], object]  # timed
    probe: bool = False  # one of issue #17's probes: also ≤ 1 s at 100k


def _cases() -> Iterator[Case]:
    from csstandards.commitment import check_commitment, parse_commitment, verify_commitments
    from csstandards.feedback import classify_feedback, find_key_issues
    from csstandards.text import analyze, normalize
    from csstandards.tone import check_replies, check_reply

    for fam, make in text_cases("commitment"):
        probe = fam == "digits" or fam.startswith("cue-3min")  # "1"*16000; many 3分钟内回复
        yield Case("parse_commitment", fam, "char", make, parse_commitment, probe)
        yield Case("check_commitment", fam, "char", make, check_commitment, probe)
    for fam, make in text_cases("reply"):
        yield Case("check_reply", fam, "char", make, check_reply, fam == "digits")
        yield Case(
            "check_reply+review",
            fam,
            "char",
            lambda n, m=make: (m(n // 2), _praise_then_complaint(n - n // 2)),
            lambda a: check_reply(a[0], review=a[1], stars=1),
            fam == "praise>complaint",
        )
        yield Case("check_replies", fam, "char", lambda n, m=make: [m(n)], check_replies)
    for fam, make in text_cases("feedback"):
        probe = fam == "praise>complaint"
        yield Case("classify_feedback", fam, "char", make, classify_feedback, probe)
        yield Case("find_key_issues", fam, "char", make, find_key_issues, probe)
    for fam, make in [
        *TEXT_FAMILIES.items(),
        ("cue-mixed", lambda n: _fill("Ｆｕｌｌ　ｗｉｄｔｈ，", n)),
    ]:
        yield Case("normalize", fam, "char", make, normalize)
        yield Case("analyze", fam, "char", make, lambda t: analyze(t).hits)
    yield Case("verify_commitments", "tickets", "ticket", _tickets, _verify(verify_commitments))
    yield from _workflow_cases()
    yield from _sla_cases()
    yield from _lint_cases()


def _tickets(n: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        start = T0 + timedelta(minutes=7 * i)
        rows.append(
            {
                "id": f"t{i}",
                "channel": "online_chat" if i % 2 else "phone",
                "opened_at": start.isoformat(),
                "first_response_at": (start + timedelta(seconds=5 + i % 30)).isoformat(),
            }
        )
    return rows


def _verify(fn: Callable[..., Any]) -> Callable[[Any], object]:
    promise = "在线咨询首次响应时间不超过15秒;电话3声内接听。"
    return lambda rows: fn(promise, rows)


def _consult_log(n: int) -> list[Any]:
    from csstandards.workflow import AgentMessage, CustomerMessage

    evs: list[Any] = [CustomerMessage(at=T0, text="你好")]
    for i in range(1, n):
        at = T0 + timedelta(seconds=i)
        evs.append(
            CustomerMessage(at=at, text="还有") if i % 2 else AgentMessage(at=at, text="好的")
        )
    return evs


def _case_log(n: int) -> list[Any]:
    from csstandards.models import Channel, Priority
    from csstandards.workflow import (
        Acknowledged,
        Assessed,
        Assigned,
        CaseAssessment,
        ProgressUpdated,
        Recorded,
        WorkStarted,
    )

    evs: list[Any] = [
        Recorded(
            at=T0,
            customer="王",
            received_at=T0,
            description="裂了",
            demand="换新",
            channel=Channel.ONLINE_CHAT,
        ),
        Acknowledged(at=T0 + timedelta(minutes=5)),
        Assessed(
            at=T0 + timedelta(minutes=6),
            assessment=CaseAssessment(kind="complaint", priority=Priority.P2),
        ),
        Assigned(at=T0 + timedelta(minutes=7), department="质量部门"),
        WorkStarted(at=T0 + timedelta(minutes=8)),
    ]
    for i in range(5, n):
        evs.append(ProgressUpdated(at=T0 + timedelta(minutes=6 + i)))
    return evs[:n]


def _workflow_cases() -> Iterator[Case]:
    from csstandards.workflow import (
        Consultation,
        FeedbackCase,
        case_clocks,
        check_case,
        check_consultation,
        replay_case,
        replay_consultation,
    )

    def apply_loop(cls: Any) -> Callable[[list[Any]], object]:
        def run(evs: list[Any]) -> object:
            log = cls(id="g")
            for ev in evs:
                log = log.apply(ev)
            return log.state

        return run

    yield Case("Consultation.extend", "messages", "event", _consult_log,
               lambda evs: Consultation(id="g").extend(evs).state)  # fmt: skip
    yield Case("Consultation.apply", "messages", "event", _consult_log, apply_loop(Consultation),
               probe=True)  # fmt: skip
    yield Case("replay_consultation", "messages", "event", _consult_log, replay_consultation)
    yield Case("Consultation.from_json", "messages", "event",
               lambda n: Consultation(id="g").extend(_consult_log(n)).to_json(),
               Consultation.from_json)  # fmt: skip
    yield Case("check_consultation", "messages", "event",
               lambda n: Consultation(id="g").extend(_consult_log(n)),
               lambda c: check_consultation(c, now=T0 + timedelta(days=1)))  # fmt: skip
    yield Case("FeedbackCase.extend", "progress", "event", _case_log,
               lambda evs: FeedbackCase(id="g").extend(evs).state)  # fmt: skip
    yield Case("FeedbackCase.apply", "progress", "event", _case_log, apply_loop(FeedbackCase),
               probe=True)  # fmt: skip
    yield Case("replay_case", "progress", "event", _case_log, replay_case)
    yield Case("check_case", "progress", "event",
               lambda n: FeedbackCase(id="g", complex=True).extend(_case_log(n)),
               lambda c: check_case(c, now=T0 + timedelta(days=300)))  # fmt: skip
    yield Case("case_clocks", "progress", "event",
               lambda n: FeedbackCase(id="g", complex=True).extend(_case_log(n)),
               lambda c: case_clocks(c, now=T0 + timedelta(days=300)))  # fmt: skip


def _sla_cases() -> Iterator[Case]:
    from csstandards.calendar import WorkCalendar
    from csstandards.sla import TicketEvent, compute_clocks

    def ticket_events(n: int) -> list[Any]:
        evs: list[Any] = [TicketEvent(at=T0, kind="opened")]
        for i in range(1, n):
            at = T0 + timedelta(minutes=3 * i)
            kind = ("customer_message", "agent_reply")[i % 2]
            evs.append(TicketEvent(at=at, kind=kind))
        return evs

    yield Case("compute_clocks", "messages", "event", ticket_events,
               lambda evs: compute_clocks(evs, now=evs[-1].at + timedelta(hours=1)))  # fmt: skip
    start = datetime(2012, 1, 4, 9, 0, tzinfo=TZ)  # n working minutes: 1M ≈ 8 years of office hours
    yield Case("WorkCalendar.add", "working-minutes", "minute", lambda n: timedelta(minutes=n),
               lambda d: WorkCalendar.china_office_hours().add(start, d))  # fmt: skip
    yield Case("WorkCalendar.between", "wall-minutes", "minute",
               lambda n: start + timedelta(minutes=3 * n),
               lambda end: WorkCalendar.china_office_hours().between(start, end))  # fmt: skip


def _lint_cases() -> Iterator[Case]:
    from csstandards.lint import Template, lint_template

    def template(body: str) -> Any:
        return Template(name="big", text=body, file="big.txt", line=1)

    yield Case("lint_template", "one-char", "char", lambda n: template("好" * n), lint_template)
    yield Case("lint_template", "cue-sorry", "char",
               lambda n: template(_fill("非常抱歉{客户名},", n)), lint_template)  # fmt: skip
    yield Case("lint_template", "digits", "char", lambda n: template("1" * n), lint_template)


# ---------------------------------------------------------------------------- measuring


def time_call(case: Case, arg: Any, min_time: float) -> float:
    """Seconds per call: the mean over as many calls as fill ``min_time`` (one call at least)."""
    calls, spent = 0, 0.0
    while calls == 0 or spent < min_time:
        t = time.process_time()
        case.run(arg)
        spent += time.process_time() - t
        calls += 1
    return spent / calls


def measure(
    case: Case, sizes: list[int], rounds: int, budget: float, min_time: float = 0.02
) -> dict[int, float]:
    """Seconds per call at each size: the best of ``rounds`` interleaved rounds (the sizes are
    timed back to back in each round, so a busy spell hits them alike).  A size whose
    predicted time (linear from the one before, times 1.5) is above ``budget`` is skipped."""
    args: dict[int, Any] = {}
    best: dict[int, float] = {}
    for r in range(rounds):
        for n in sizes:
            if n not in args:
                if best:
                    last = max(best)
                    if best[last] * (n / last) * 1.5 > budget:
                        break
                args[n] = case.make(n)
            t = time_call(case, args[n], min_time=min_time)
            best[n] = min(best.get(n, t), t)
            if r == 0 and t > budget / rounds:
                break
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--max", type=int, default=1_000_000, help="largest size (default 1M)")
    ap.add_argument("--sizes", help="comma-separated sizes (default 1000,10000,100000,1000000)")
    ap.add_argument("--only", help="comma-separated entry points to run")
    ap.add_argument("--budget", type=float, default=8.0,
                    help="skip a size whose predicted time is above this (seconds)")  # fmt: skip
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (best of)")
    ap.add_argument(
        "--min-time", type=float, default=0.02, help="repeat a call until this many seconds"
    )
    ap.add_argument(
        "--no-gc",
        action="store_true",
        help="time with the cyclic garbage collector paused (the algorithm's own growth)",
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object per row")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a row misses the target")
    args = ap.parse_args(argv)
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else [1000, 10_000, 100_000, 1_000_000]
    )
    sizes = [s for s in sizes if s <= args.max]
    only = set(args.only.split(",")) if args.only else None
    ref = 100_000 if 100_000 in sizes else sizes[-1]

    import jieba

    jieba.setLogLevel(60)
    cases = [c for c in _cases() if only is None or c.entry in only]
    if args.no_gc:
        gc.disable()
    for c in cases:  # warm every cache (lexicons, jieba, registry) before timing
        c.run(c.make(min(50, sizes[0])))
    if not args.json:
        head = " ".join(f"{_label(s):>9}" for s in sizes)
        print(f"{'entry point':24} {'family':17} {'unit':6} {head}   ratio  @100k s  (µs/unit)")
    missed = 0
    for c in cases:
        total = measure(c, sizes, args.rounds, args.budget, args.min_time)
        per = {n: t / n for n, t in total.items()}
        ratio = per[ref] / per[sizes[0]] if ref in per else float("nan")
        at_ref = total.get(ref, float("nan"))
        bad = not ratio <= 1.5 or (c.probe and not at_ref <= 1.0)
        missed += bad
        if args.json:
            row = {"entry": c.entry, "family": c.family, "unit": c.unit, "ratio": ratio, "probe": c.probe,
                   "seconds_at_ref": at_ref, "per_unit_us": {str(k): v * 1e6 for k, v in per.items()}}  # fmt: skip
            print(json.dumps(row), flush=True)
        else:
            cells = " ".join(f"{per[s] * 1e6:9.3f}" if s in per else f"{'-':>9}" for s in sizes)
            flag = "  <-- target missed" if bad else ""
            name = c.entry + ("*" if c.probe else "")
            print(f"{name:24} {c.family:17} {c.unit:6} {cells}   {ratio:5.2f}  {at_ref:7.3f}{flag}",
                  flush=True)  # fmt: skip
    if not args.json:
        print(
            f"rows: {len(cases)}, missing the target (ratio ≤ 1.5; rows marked * also ≤ 1 s at "
            f"{_label(ref)}): {missed}"
        )
    return 1 if (args.strict and missed) else 0


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n))  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
