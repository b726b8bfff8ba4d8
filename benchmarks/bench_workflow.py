"""Workflow benchmark: event application and checking, against baselines measured in the same run.

1. Applying a 200-event consultation log incrementally (``apply``, the state is carried along)
   against the naive event-sourcing baseline that replays the whole log after every event.
2. ``check_consultation`` on a typical 7-event consultation against the baseline of only
   analysing its texts (normalise + phrase matching, what any text check must pay).
3. ``case_clocks`` on a 10-event feedback case against calling ``compute_clocks`` on the
   already-mapped SLA events (the cost of the mapping).

Run: /work/venv/bin/python benchmarks/bench_workflow.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from csstandards.models import Channel, Priority
from csstandards.sla import compute_clocks
from csstandards.standard import Standard
from csstandards.text import analyze
from csstandards.workflow import (
    Acknowledged,
    AgentMessage,
    AnswerGiven,
    Assessed,
    Assigned,
    AutoReply,
    CaseAssessment,
    CaseClosed,
    Closed,
    Consultation,
    CustomerMessage,
    FeedbackCase,
    NeedConfirmed,
    ProgressUpdated,
    QuestionAsked,
    Recorded,
    Resolved,
    ResultCommunicated,
    WorkStarted,
    case_clocks,
    case_sla_policy,
    case_ticket_events,
    check_consultation,
    replay_consultation,
)

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def best(fn: Callable[[], object], repeat: int = 5, number: int = 1) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t) / number)
    return min(times)


def long_log(n: int) -> list[object]:
    evs: list[object] = [CustomerMessage(at=T0, text="你好")]
    for i in range(1, n):
        at = T0 + timedelta(seconds=i)
        evs.append(
            CustomerMessage(at=at, text="还有") if i % 2 else AgentMessage(at=at, text="好的")
        )
    return evs


def main() -> None:
    evs = long_log(200)

    def incremental() -> None:
        c = Consultation(id="b")
        for ev in evs:
            c = c.apply(ev)  # type: ignore[arg-type]

    def naive_replay() -> None:
        for k in range(1, len(evs) + 1):
            replay_consultation(evs[:k])  # type: ignore[arg-type]

    a, b = best(incremental, 3), best(naive_replay, 3)
    print(f"apply 200 events incrementally: {a * 1e3:8.2f} ms")
    print(f"baseline replay after each event: {b * 1e3:8.2f} ms   ratio {b / a:5.1f}x faster")

    texts = [
        "你们快递太慢了",
        "已收到您的问题,小X为您服务,马上为您解答",
        "让您着急了!您希望什么时候收到?这个快递对您很重要吗?",
        "明天要送礼,今天必须收到",
        "我马上为您加急,今天18点前送达;或者您也可以今天下午到门店自提。",
        "不客气,如有其他问题,随时联系我们。",
    ]
    c = Consultation(id="typ").extend(
        [
            CustomerMessage(at=T0, text=texts[0]),
            AutoReply(at=T0 + timedelta(seconds=3), text=texts[1]),
            QuestionAsked(at=T0 + timedelta(seconds=20), text=texts[2]),
            CustomerMessage(at=T0 + timedelta(seconds=60), text=texts[3]),
            NeedConfirmed(at=T0 + timedelta(seconds=70), need="明天送礼"),
            AnswerGiven(at=T0 + timedelta(seconds=90), text=texts[4]),
            Closed(at=T0 + timedelta(seconds=120), text=texts[5]),
        ]
    )
    check_consultation(c)  # warm caches (lexicon, registry)
    lex = Standard.default().lexicon()

    def analyse_only() -> None:
        for t in texts:
            analyze(t, lex).hits  # noqa: B018

    n = 50
    a, b = best(lambda: check_consultation(c), 3, n), best(analyse_only, 3, n)
    print(f"check_consultation (7 events): {a * 1e3:8.2f} ms   ({1 / a:6.0f} consultations/s)")
    print(f"baseline analyse texts only:   {b * 1e3:8.2f} ms   ratio {a / b:5.1f}x the baseline")

    case = FeedbackCase(id="c").extend(
        [
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
            Assigned(at=T0 + timedelta(minutes=10), department="质量部门"),
            WorkStarted(at=T0 + timedelta(hours=1)),
            ProgressUpdated(at=T0 + timedelta(hours=5)),
            Resolved(at=T0 + timedelta(hours=20), result="换新"),
            ResultCommunicated(at=T0 + timedelta(hours=21), text="已换新,感谢"),
            CaseClosed(at=T0 + timedelta(hours=22)),
        ]
    )
    tevs = case_ticket_events(case)
    pol = case_sla_policy()
    now = T0 + timedelta(days=2)
    a = best(lambda: case_clocks(case, now=now), 3, n)
    b = best(lambda: compute_clocks(tevs, now=now, policy=pol), 3, n)
    print(f"case_clocks (9 events):        {a * 1e3:8.2f} ms")
    print(f"baseline compute_clocks only:  {b * 1e3:8.2f} ms   ratio {a / b:5.1f}x the baseline")


if __name__ == "__main__":
    main()
