"""Conversation QA speed: check_transcript on 20-turn chats against its own parts.

python benchmarks/bench_qa.py [--chats 120] [--rounds 3]

The baseline, measured in the same run on the same chats, is what QA has to do anyway:
``classify_feedback`` on every customer turn plus ``check_reply`` on every agent turn (with
the customer's message before it as the review and that message's classification passed in,
so nothing is classified twice).  Target (issue #19): QA at most 1.3x the baseline.  Rounds
alternate QA and baseline and the best round of each is reported, so the ratio is fair on a
busy machine.
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


def run_qa(ts: list[Transcript]) -> float:
    t = time.perf_counter()
    for tr in ts:
        check_transcript(tr)
    return time.perf_counter() - t


def run_parts(ts: list[Transcript]) -> float:
    t = time.perf_counter()
    for tr in ts:
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
    run_qa(ts[:5])  # warm the lexicon, the registry and the classifier
    run_parts(ts[:5])
    qa = []
    parts = []
    for _ in range(args.rounds):
        qa.append(run_qa(ts))
        parts.append(run_parts(ts))
    best_qa, best_parts = min(qa), min(parts)
    n = len(ts)
    print(f"{n} chats of 20 turns (10 customer + 10 agent), best of {args.rounds} rounds")
    print(f"  check_transcript (QA):                  {n / best_qa:8.1f} conversations/s")
    print(f"  check_reply x10 + classify_feedback x10: {n / best_parts:8.1f} conversations/s")
    print(f"  ratio QA / parts: {best_qa / best_parts:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
