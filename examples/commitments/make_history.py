"""Generate a month of synthetic ticket history for the 青禾家居 commitment example.

    python examples/commitments/make_history.py          # writes history.jsonl beside this file
    python examples/commitments/make_history.py --check  # exit 1 if history.jsonl is stale

Seeded, so the file is reproducible.  November 2026, Asia/Shanghai.  What the data is built to
show (see docs/commitments.md):

* online chat (在线咨询) is always answered within 30 s of *service* time (opened after hours →
  answered right after opening at 09:00);
* calls are answered in 1–3 rings, except in the Monday-morning rush (10:00–11:00), when about
  half of the calls ring 4–6 times: the "every call within 3 rings" promise is broken while
  "90% within 15 s" holds;
* e-mail and web forms get a first reply within 1–12 office hours, resolution within 1–20
  office hours, a follow-up within 1–6 office hours of resolution;
* negative reviews (差评) are answered 1–8 h after posting, but the ones posted on Saturday
  evening wait until Monday 10:00: the "12 hours, around the clock" promise is broken.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from csstandards.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
SEED = 20261101
OUT = Path(__file__).with_name("history.jsonl")
SERVICE_HOURS = WorkCalendar.custom({"daily": "09:00-21:00"}, name="qinghe_service_hours")
OFFICE = WorkCalendar.china_office_hours()


def _at(day: datetime, rng: random.Random, lo_h: float, hi_h: float) -> datetime:
    return day + timedelta(seconds=round(rng.uniform(lo_h, hi_h) * 3600))


def generate(seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    n = 0

    def add(**row: Any) -> None:
        nonlocal n
        n += 1
        rows.append({"id": f"QH{n:05d}", **row})

    for d in range(30):
        day = datetime(2026, 11, 1, tzinfo=TZ) + timedelta(days=d)
        # online chat: 20 a day, one in ten after hours
        for _ in range(20):
            opened = _at(day, rng, 7, 24) if rng.random() < 0.1 else _at(day, rng, 9, 20.9)
            reply = SERVICE_HOURS.add(opened, timedelta(seconds=rng.randint(3, 28)))
            add(channel="online_chat", opened_at=opened, first_response_at=reply)
        # hotline: 10 a day in service hours; Monday 10:00-11:00 rush
        for i in range(10):
            rush = day.weekday() == 0 and i < 4
            opened = _at(day, rng, 10, 11) if rush else _at(day, rng, 9, 20.9)
            rings = rng.randint(4, 6) if rush and rng.random() < 0.5 else rng.randint(1, 3)
            answered = opened + timedelta(seconds=rings * 5 - rng.randint(0, 4))
            add(channel="phone", opened_at=opened, first_response_at=answered, rings=rings)
        # e-mail (4 a day) and web forms (1 a day), any time of day
        for channel in ["email"] * 4 + ["web_form"]:
            opened = _at(day, rng, 0, 24)
            first = OFFICE.add(opened, timedelta(hours=rng.uniform(1, 12)))
            resolved = OFFICE.add(first, timedelta(hours=rng.uniform(1, 8)))
            followed = (
                OFFICE.add(resolved, timedelta(hours=rng.uniform(1, 6)))
                if rng.random() < 0.5
                else None
            )
            add(
                channel=channel,
                opened_at=opened,
                first_response_at=first,
                resolved_at=resolved,
                followed_up_at=followed,
            )
        # one negative review a day; Saturday-evening ones wait until Monday 10:00
        if day.weekday() == 5:
            opened = _at(day, rng, 19, 23)
            reply = (day + timedelta(days=2)).replace(hour=10, minute=rng.randint(0, 30))
        else:
            opened = _at(day, rng, 8, 22)
            reply = opened + timedelta(hours=rng.uniform(1, 8))
        add(
            channel="review_platform",
            rating="negative",
            opened_at=opened,
            first_response_at=reply,
        )
    return [
        {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r.items()} for r in rows
    ]


def render(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def load(path: Path = OUT) -> list[dict[str, Any]]:
    """Read history.jsonl back, timestamps as aware datetimes."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for k, v in r.items():
            if k.endswith("_at") and isinstance(v, str):
                r[k] = datetime.fromisoformat(v)
        out.append(r)
    return out


def main(argv: list[str]) -> int:
    text = render(generate())
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: run python {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10))} tickets)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
