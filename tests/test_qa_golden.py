"""QA reports of every shipped sample transcript (and the benchmark's chats) are pinned.

The speed work on :func:`~csstandards.qa.check_transcript` (shared SLA clocks, trusted
builders, one event log) must not change a single result: each report's canonical JSON is
hashed and compared with ``tests/data/qa_golden.json``, which also keeps each conversation's
score and finding codes so that a failure says what moved.  A deliberate change of results
regenerates the file with ``python tests/test_qa_golden.py --write`` and says why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from csstandards.qa import Transcript, check_transcript, read_transcripts

GOLDEN = Path(__file__).parent / "data" / "qa_golden.json"
ROOT = Path(__file__).resolve().parent.parent


def _transcripts() -> list[Transcript]:
    path = resources.files("csstandards") / "data" / "sample" / "transcripts.jsonl"
    out = [rec.transcript for rec in read_transcripts(str(path)) if rec.transcript is not None]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_qa import chats
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return out + chats(40)


def _entry(tr: Transcript) -> dict[str, Any]:
    report = check_transcript(tr)
    canon = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return {
        "sha256": hashlib.sha256(canon.encode("utf-8")).hexdigest(),
        "score": report.score,
        "findings": [
            f"{f.finding.code}@{f.turn if f.turn is not None else '-'}" for f in report.findings
        ],
    }


def current() -> dict[str, dict[str, Any]]:
    return {tr.id: _entry(tr) for tr in _transcripts()}


@pytest.fixture(scope="module")
def golden() -> dict[str, dict[str, Any]]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_sample_report_is_unchanged(golden: dict[str, dict[str, Any]]) -> None:
    now = current()
    assert sorted(now) == sorted(golden)
    assert len(now) >= 150  # 120 shipped samples and 40 benchmark chats
    moved = {
        cid: (golden[cid], got)
        for cid, got in now.items()
        if got["sha256"] != golden[cid]["sha256"]
    }
    assert not moved, f"{len(moved)} reports changed, e.g. {next(iter(moved.items()))}"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        data = current()
        GOLDEN.write_text(
            json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"wrote {len(data)} reports to {GOLDEN}")
