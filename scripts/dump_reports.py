"""Write ``check_reply`` reports over a wide spread of inputs, one JSON line each.

    python scripts/dump_reports.py OUT.jsonl

For changes meant to leave every verdict as it is (speed work, refactoring): run it before
and after the change and compare the two files byte for byte (``cmp``).  The inputs are every
dev-set pair (with stars, without stars, without a review, with the professional voice),
each reply paired with another pair's review at 1, 3 and 5 stars, replies spliced from two
replies, every reply rule's examples, and the batch form over the dev set.  Deterministic:
a fixed seed picks the pairings.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from csstandards.rules import get_registry
from csstandards.tone import ReplyReport, check_replies, check_reply

ROOT = Path(__file__).resolve().parent.parent
_CONTEXT_KEYS = ("reviewed_at", "replied_at", "brand_voice", "urgent", "stars")


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = ROOT / "devsets" / "replies.jsonl"
    rows = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    rnd = random.Random(7)
    with open(sys.argv[1], "w", encoding="utf-8") as out:

        def put(report: ReplyReport) -> None:
            out.write(report.model_dump_json() + "\n")

        for r in rows:
            put(check_reply(r["reply"], review=r.get("review"), stars=r.get("stars")))
            put(check_reply(r["reply"], review=r.get("review")))
            put(check_reply(r["reply"]))
            put(
                check_reply(
                    r["reply"],
                    review=r.get("review"),
                    stars=r.get("stars"),
                    brand_voice="professional",
                )
            )
        reviews = [r.get("review") for r in rows]
        for r in rows:
            other_review = rnd.choice(reviews)
            for stars in (1, 3, 5):
                put(check_reply(r["reply"], review=other_review, stars=stars))
            other = rnd.choice(rows)["reply"]
            spliced = r["reply"][: len(r["reply"]) // 2] + other[len(other) // 2 :]
            put(check_reply(spliced, review=r.get("review"), stars=r.get("stars")))
        for rule in get_registry().all("reply"):
            for ex in rule.examples:
                kw = {k: v for k, v in ex.context.items() if k in _CONTEXT_KEYS}
                put(check_reply(ex.text, review=ex.review, rating=ex.rating, **kw))
        batch = [
            {"reply": r["reply"], "review": r.get("review"), "stars": r.get("stars")} for r in rows
        ]
        for report in check_replies(batch):
            put(report)


if __name__ == "__main__":
    main()
