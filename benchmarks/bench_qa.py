"""Conversation QA speed: check_transcript on 20-turn chats against its own parts.

python benchmarks/bench_qa.py [--chats 120] [--rounds 3]

The baseline, measured in the same run on the same chats, is what QA has to do anyway:
``classify_feedback`` on every customer turn plus ``check_reply`` on every agent turn (with
the customer's message before it as the review and that message's classification passed in,
so nothing is classified twice).  Target (issue #19): QA at most 1.3x the baseline.

Fairness on a shared machine: everything is warmed first (one pass of both over every chat,
so jieba's dictionary and every cache are loaded before timing); then each round times QA and
the baseline on the same chat back to back, chat by chat, and each chat keeps its best time of
the rounds on each side.  The ratio is the sum of those best times, QA over baseline.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from datetime import datetime, timedelta, timezone
from importlib import resources

from csstandards import check_reply
from csstandards.feedback import classify_feedback
from csstandards.models import Actor
from csstandards.qa import Message, Transcript, check_transcript


def _pairs() -> list[tuple[str, str]]:
    """(customer text, next agent text) pairs of the shipped sample transcripts."""
    path = resources.files("csstandards") / "data" / "sample" / "transcripts.jsonl"
    out: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        msgs = json.loads(line)["messages"]
        for a, b in itertools.pairwise(msgs):
            if a["role"] == "customer" and b["role"] == "agent":
                out.append((a["text"], b["text"]))
    return out


def chats(n: int, turns: int = 20) -> list[Transcript]:
    """``n`` chats of ``turns`` turns, customer and agent alternating, 10–70 s apart."""
    pairs = _pairs()
    t0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    out = []
    for c in range(n):
        msgs = []
        t = t0 + timedelta(hours=c)
        for k in range(turns // 2):
            customer, agent = pairs[(c * 7 + k * 13) % len(pairs)]
            msgs.append(Message(role="customer", text=customer, at=t))
            t += timedelta(seconds=10 + (c * 31 + k * 17) % 60)
            msgs.append(Message(role="agent", text=agent, at=t, agent=f"A{c % 8:02d}"))
            t += timedelta(seconds=15)
        out.append(Transcript(id=f"B{c:04d}", messages=tuple(msgs)))
    return out


def run_qa(tr: Transcript) -> float:
    t = time.perf_counter()
    check_transcript(tr)
    return time.perf_counter() - t


def run_parts(tr: Transcript) -> float:
    """The baseline for one chat: ``classify_feedback`` on each customer turn, then
    ``check_reply`` on each agent turn with the last customer text as the review and its
    classification passed in (what QA must do at the least; the consultation rules, the
    event log, the SLA clocks and the scorecard are QA's own cost)."""
    t = time.perf_counter()
    last = None
    fa = None
    for m in tr.messages:
        if m.role is Actor.CUSTOMER:
            fa = classify_feedback(m.text)
            last = m.text
        else:
            check_reply(m.text, review=last, assessment=fa)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--chats", type=int, default=120)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    ts = chats(args.chats)
    for tr in ts:  # warm everything both sides touch (lexicons, jieba, registry, caches)
        run_qa(tr)
        run_parts(tr)
    n = len(ts)
    best_qa = [float("inf")] * n
    best_parts = [float("inf")] * n
    for _ in range(args.rounds):
        for k, tr in enumerate(ts):  # interleaved chat by chat: both see the same load
            best_qa[k] = min(best_qa[k], run_qa(tr))
            best_parts[k] = min(best_parts[k], run_parts(tr))
    qa, parts = sum(best_qa), sum(best_parts)
    print(f"{n} chats of 20 turns (10 customer + 10 agent), best of {args.rounds} per chat")
    print(f"  check_transcript (QA):                   {n / qa:8.1f} conversations/s")
    print(f"  check_reply x10 + classify_feedback x10: {n / parts:8.1f} conversations/s")
    print(f"  ratio QA / parts: {qa / parts:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
