"""What conversation QA gained from the shared batch machinery (#19 follow-up): atomic output
(``OUT.partial`` renamed on success), the row contract with malformed conversations mixed in,
the per-row time budget and a row that cannot be prepared or written becoming its error."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csstandards.cli import main
from csstandards.errors import InputError
from csstandards.qa import score_transcripts
from csstandards.qa import stream as qa_stream

SAMPLE = Path(str(resources.files("csstandards") / "data" / "sample" / "transcripts.jsonl"))
LINES = SAMPLE.read_text(encoding="utf-8").splitlines()


def _ids(lines: list[str]) -> list[str]:
    return [json.loads(x)["id"] for x in lines]


def _patch_check(monkeypatch: pytest.MonkeyPatch, bad_id: str, action: Any) -> None:
    real = qa_stream.check_transcript

    def check(t: Any, **kw: Any) -> Any:
        if t.id == bad_id:
            action()
        return real(t, **kw)

    monkeypatch.setattr(qa_stream, "check_transcript", check)


def _interrupt() -> None:
    raise KeyboardInterrupt


def test_an_interrupted_run_leaves_out_partial_not_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text("\n".join(LINES[:5]) + "\n", encoding="utf-8")
    _patch_check(monkeypatch, _ids(LINES)[3], _interrupt)
    out = tmp_path / "qa.jsonl"
    with pytest.raises(KeyboardInterrupt):
        score_transcripts(src, chunk_size=1).to_jsonl(out)
    assert not out.exists()
    partial = tmp_path / "qa.jsonl.partial"
    assert [json.loads(x)["row"] for x in partial.read_text(encoding="utf-8").splitlines()] == [
        1,
        2,
        3,
    ]
    monkeypatch.undo()
    summary = score_transcripts(src).to_jsonl(out)
    assert summary.read == 5 and len(out.read_text(encoding="utf-8").splitlines()) == 5
    assert not partial.exists()  # renamed into place


def test_the_cli_writes_out_only_when_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text("\n".join(LINES[:4]) + "\n", encoding="utf-8")
    _patch_check(monkeypatch, _ids(LINES)[2], _interrupt)
    out = tmp_path / "qa.jsonl"
    assert main(["qa", str(src), "-o", str(out)]) == 130
    assert not out.exists() and (tmp_path / "qa.jsonl.partial").exists()
    assert "qa.jsonl.partial" in capsys.readouterr().err


@pytest.mark.slow
def test_sigterm_leaves_a_partial_file_and_quiet_workers(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    src.write_text("\n".join(LINES * 40) + "\n", encoding="utf-8")
    out = tmp_path / "qa.jsonl"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "csstandards", "qa", str(src), "-o", str(out), "--workers", "2"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    partial = tmp_path / "qa.jsonl.partial"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not partial.exists() or partial.stat().st_size < 20_000):
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "Traceback" not in err and "SIGTERM" in err and ".partial" in err, err
    assert not out.exists()
    text = partial.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert all(json.loads(x)["row"] for x in text.splitlines())  # whole lines only


# ---- the row contract ------------------------------------------------------------------------
_BAD_LINES = st.one_of(
    st.sampled_from(
        [
            "not json at all",
            "[1, 2, 3]",
            '"a string"',
            '{"id": "x", "messages": []}',
            '{"id": "x", "messages": 5}',
            '{"id": "x", "messages": [{"role": "主管", "text": "x"}]}',
            '{"id": "x", "messages": [{"role": "customer", "text": "好", "time": "昨天"}]}',
        ]
    ),
    st.text(alphabet="{}[]:,\"'ab1 ", min_size=1, max_size=12).filter(
        lambda s: s.strip() and not s.strip().startswith("{") and s.strip() not in ("1",)
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(LINES[:8]).map(lambda x: (x, True)),
            _BAD_LINES.map(lambda x: (x, False)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_rows_in_equal_scored_plus_failed_with_malformed_conversations(
    mixed: list[tuple[str, bool]],
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "t.jsonl"
        src.write_text("\n".join(x for x, _ in mixed) + "\n", encoding="utf-8")
        res = score_transcripts(src, chunk_size=3)
        rows = res.to_list()
    s = res.summary
    assert s.read == len(rows) == len(mixed) == s.scored + s.failed
    assert [r["row"] for r in rows] == list(range(1, len(mixed) + 1))
    assert [r["error"] is None for r in rows] == [good for _, good in mixed]


def test_a_conversation_over_its_time_budget_is_that_rows_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _patch_check(monkeypatch, _ids(LINES)[1], lambda: time.sleep(5))
    errs = tmp_path / "errors.jsonl"
    t = time.perf_counter()
    res = score_transcripts(LINES_AS_DICTS[:3], row_timeout=0.5, errors=errs)
    rows = res.to_list()
    assert time.perf_counter() - t < 4  # stopped, not waited for
    assert [r["error"] is None for r in rows] == [True, False, True]
    err = rows[1]["error"]
    assert err["row"] == 2 and "0.5 s time budget per row" in err["reason"]
    assert rows[1]["id"] == _ids(LINES)[1] and rows[1]["score"] is None
    assert (res.summary.scored, res.summary.failed) == (2, 1)
    assert json.loads(errs.read_text(encoding="utf-8"))["row"] == 2


def test_row_timeout_is_checked_and_none_switches_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="row_timeout"):
        score_transcripts(LINES_AS_DICTS[:1], row_timeout=0)
    _patch_check(monkeypatch, _ids(LINES)[0], lambda: time.sleep(0.3))
    rows = score_transcripts(LINES_AS_DICTS[:1], row_timeout=None).to_list()
    assert rows[0]["error"] is None


def test_a_row_that_cannot_be_prepared_is_its_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = qa_stream.result_row
    target = _ids(LINES)[1]

    def broken(rep: Any, **kw: Any) -> dict[str, Any]:
        if rep.id == target:
            raise ValueError("boom")
        return real(rep, **kw)

    monkeypatch.setattr(qa_stream, "result_row", broken)
    res = score_transcripts(LINES_AS_DICTS[:3])
    rows = res.to_list()
    assert rows[1]["error"]["reason"] == "unexpected ValueError: boom"
    assert (res.summary.read, res.summary.failed) == (3, 1)


def test_a_row_that_cannot_be_written_becomes_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = qa_stream.result_row
    target = _ids(LINES)[0]

    def odd(rep: Any, **kw: Any) -> dict[str, Any]:
        row = real(rep, **kw)
        if rep.id == target:
            row["items"] = {"x": {1, 2}}  # a set: JSON cannot hold it
        return row

    monkeypatch.setattr(qa_stream, "result_row", odd)
    out, errs = tmp_path / "qa.jsonl", tmp_path / "e.jsonl"
    summary = score_transcripts(LINES_AS_DICTS[:3], errors=errs).to_jsonl(out)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert (summary.read, summary.scored, summary.failed) == (3, 2, 1)
    assert rows[0]["id"] == target and "cannot be written" in rows[0]["error"]["reason"]
    assert json.loads(errs.read_text(encoding="utf-8"))["row"] == 1


def test_workers_give_the_same_rows_and_counts(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text("\n".join([*LINES[:5], "broken", *LINES[5:9]]) + "\n", encoding="utf-8")
    one = score_transcripts(src)
    two = score_transcripts(src, workers=2, chunk_size=2)
    assert one.to_list() == two.to_list()
    assert (
        (one.summary.read, one.summary.failed)
        == (two.summary.read, two.summary.failed)
        == (
            10,
            1,
        )
    )


LINES_AS_DICTS = [json.loads(x) for x in LINES]
