"""The row contract of batch jobs (#17 items 1, 6, 7 and the per-row time budget).

Whatever goes wrong while a record is read, prepared, checked or written becomes that row's
error (row number, field, reason) and the job goes on: rows in == scored + failed, always.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csstandards.batch import classify_records, score_replies
from csstandards.batch.cli_support import sample_path
from csstandards.cli import main
from csstandards.errors import InputError, RowTimeoutError


def fake_check(reply: str, **_: Any) -> Any:
    if "SLOW" in reply:  # a pure-Python stall the timer can interrupt
        end = time.perf_counter() + 30
        while time.perf_counter() < end:
            pass
    if "BOOM" in reply:
        raise KeyError("a bug in a checker")
    return SimpleNamespace(
        score=90.0, speed=1.0, warmth=1.0, depth=1.0, findings=(), passed=True, rating=None
    )


def fake_classify(text: str, **_: Any) -> Any:
    return SimpleNamespace(kind="praise", topics=(), priority="low", rating="positive")


FAKES: dict[str, Any] = {"checker": fake_check, "classifier": fake_classify}


def _check_counts(summary: Any, rows: list[dict[str, Any]]) -> None:
    assert summary.read == len(rows) == summary.scored + summary.failed
    assert summary.failed == sum(r["error"] is not None for r in rows)


# ---- item 1: one row cannot end a batch --------------------------------------------------------
@pytest.mark.parametrize("workers", [1, 2])
def test_offset_of_25_hours_is_a_row_error_not_a_crash(tmp_path: Path, workers: int) -> None:
    src = tmp_path / "in.jsonl"
    recs = [
        {"reply": "谢谢", "reviewed_at": "2026-03-10 10:00"},
        {"reply": "谢谢", "reviewed_at": "2026-03-10 10:00 +25:00"},
        {"reply": "谢谢", "replied_at": "2026-03-10 10:00 -24:00"},
        {"reply": "谢谢", "reviewed_at": "2026-03-10 09:00 +08:00"},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    res = score_replies(src, workers=workers, chunk_size=1, **FAKES)
    rows = res.to_list()
    _check_counts(res.summary, rows)
    assert [r["error"] is None for r in rows] == [True, False, False, True]
    assert rows[1]["error"]["field"] == "reviewed_at" and "offset" in rows[1]["error"]["reason"]
    assert rows[2]["error"]["field"] == "replied_at" and rows[2]["error"]["row"] == 3


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_keeps_every_row_when_one_has_a_bad_offset(tmp_path: Path, workers: str) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        {
            "reply": "感谢您的反馈，已为您补发。",
            "review": "少发了一件",
            "stars": 2,
            "reviewed_at": "2026-03-10 10:00 +25:00",
            "replied_at": "2026-03-10 11:00",
        },
        {
            "reply": "感谢您的支持！",
            "review": "很好",
            "stars": 5,
            "reviewed_at": "2026-03-10 10:00",
            "replied_at": "2026-03-10 11:00",
        },
    ]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    out, errs = tmp_path / "out.jsonl", tmp_path / "bad.jsonl"
    code = main(
        [
            "score",
            str(src),
            "-o",
            str(out),
            "--errors",
            str(errs),
            "--workers",
            workers,
            "--no-progress",
        ]
    )
    assert code == 1
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2 and rows[0]["error"]["field"] == "reviewed_at"
    assert rows[1]["error"] is None and rows[1]["score"] is not None
    assert len(errs.read_text(encoding="utf-8").splitlines()) == 1


def test_a_checker_bug_is_that_rows_error(tmp_path: Path) -> None:
    rows = score_replies([{"reply": "好"}, {"reply": "BOOM"}, {"reply": "行"}], **FAKES).to_list()
    assert [r["error"] is None for r in rows] == [True, False, True]
    assert rows[1]["error"]["field"] == "reply" and "KeyError" in rows[1]["error"]["reason"]


def test_an_unpicklable_record_costs_its_chunk_not_the_job() -> None:
    recs: list[dict[str, Any]] = [{"reply": "好"}, {"reply": "行", "extra": lambda: 1}]
    recs += [{"reply": "好"}] * 3
    res = score_replies(recs, workers=2, chunk_size=2, **FAKES)
    rows = res.to_list()
    _check_counts(res.summary, rows)
    assert [r["row"] for r in rows] == [1, 2, 3, 4, 5]
    assert [r["error"] is None for r in rows] == [False, False, True, True, True]
    assert "worker process" in rows[0]["error"]["reason"]


# ---- undecodable lines: decoded one by one ----------------------------------------------------
def test_invalid_utf8_line_in_jsonl_costs_one_row_and_names_its_byte(tmp_path: Path) -> None:
    good = '{"reply": "谢谢"}\n'.encode()
    bad = b'{"reply": "\xff\xfe"}\n'
    p = tmp_path / "in.jsonl"
    p.write_bytes(good + good + bad + good)
    res = score_replies(p, **FAKES)
    rows = res.to_list()
    _check_counts(res.summary, rows)
    assert [r["error"] is None for r in rows] == [True, True, False, True]
    err = rows[2]["error"]
    offset = 2 * len(good) + bad.index(b"\xff")
    assert err["line"] == 3 and err["row"] == 3
    assert f"line 3: byte {offset} of the file" in err["reason"]


def test_invalid_utf8_line_in_csv_costs_one_row(tmp_path: Path) -> None:
    head = b"reply,stars\n"
    rows_b = [
        "好的,5\n".encode(),
        b"\xc3\x28bad,4\n",
        '"多行\n回复",3\n'.encode(),
        "行,2\n".encode(),
    ]
    p = tmp_path / "in.csv"
    p.write_bytes(head + b"".join(rows_b))
    res = score_replies(p, **FAKES)
    rows = res.to_list()
    _check_counts(res.summary, rows)
    assert [(r["row"], r["line"], r["error"] is None) for r in rows] == [
        (1, 2, True),
        (2, 3, False),
        (3, 4, True),
        (4, 6, True),
    ]
    offset = len(head) + len(rows_b[0])
    assert f"byte {offset} of the file" in rows[1]["error"]["reason"]
    assert rows[2]["reply"] == "多行\n回复"


def test_invalid_byte_inside_a_quoted_multiline_field_costs_that_record(tmp_path: Path) -> None:
    p = tmp_path / "in.csv"
    p.write_bytes(b"reply,stars\n" + b'"first\n\xffsecond",3\n' + "好,5\n".encode())
    rows = score_replies(p, **FAKES).to_list()
    assert [(r["line"], r["error"] is None) for r in rows] == [(2, False), (4, True)]
    assert "line 3" in rows[0]["error"]["reason"]


def test_a_gbk_header_is_still_a_file_level_error(tmp_path: Path) -> None:
    p = tmp_path / "gbk.csv"
    p.write_bytes("回复内容,星级\n好,5\n".encode("gb18030"))
    with pytest.raises(InputError, match="gb18030"):
        score_replies(p, **FAKES).to_list()


# ---- item 7: wrong types are row errors, not str() ----------------------------------------------
@pytest.mark.parametrize(
    ("value", "shown"),
    [(42, "int"), (3.5, "float"), (["谢谢"], "list"), ({"t": "谢谢"}, "dict"), (True, "bool")],
)
def test_a_reply_that_is_not_text_is_a_row_error(value: Any, shown: str) -> None:
    rows = score_replies([{"reply": value}, {"reply": "好"}], **FAKES).to_list()
    err = rows[0]["error"]
    assert err["field"] == "reply" and shown in err["reason"] and "not text" not in rows[1]
    assert rows[1]["error"] is None


def test_wrong_types_in_other_fields_are_row_errors() -> None:
    recs = [
        {"reply": "好", "review": 5},
        {"reply": "好", "agent": ["kf1"]},
        {"reply": "好", "channel": 3},
        {"reply": "好", "stars": [5]},
        {"reply": "好", "stars": True},
        {"reply": "好", "rating": 1},
        {"reply": "好", "id": 7, "agent": 12.0},  # numbers are fine ids
    ]
    rows = score_replies(recs, **FAKES).to_list()
    fields = [r["error"]["field"] if r["error"] else None for r in rows]
    assert fields == ["review", "agent", "channel", "stars", "stars", "rating", None]
    assert rows[-1]["id"] == "7" and rows[-1]["agent"] == "12"
    feedback = classify_records([{"text": {"a": 1}}, {"text": "好"}], classifier=fake_classify)
    frows = feedback.to_list()
    assert frows[0]["error"]["field"] == "text" and frows[1]["error"] is None


def test_parquet_binary_column_is_a_row_error(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    p = tmp_path / "in.parquet"
    table = pa.table(
        {"reply": pa.array([b"\xff\xfe", "谢谢".encode()], pa.binary()), "stars": [5, 4]}
    )
    pq.write_table(table, p)
    rows = score_replies(p, **FAKES).to_list()
    assert all(r["error"]["field"] == "reply" for r in rows)
    assert "binary" in rows[0]["error"]["reason"] and "b'\\xff" in rows[0]["error"]["reason"]


def test_lone_surrogate_in_a_reply_is_a_row_error_and_the_file_is_written(tmp_path: Path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text('{"reply": "\\ud800好"}\n{"reply": "行"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = score_replies(p, **FAKES).to_jsonl(out)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert (summary.read, summary.failed) == (2, 1) and "surrogate" in rows[0]["error"]["reason"]


def test_a_row_that_cannot_be_written_becomes_its_error(tmp_path: Path) -> None:
    def odd_check(reply: str, **_: Any) -> Any:
        finding = SimpleNamespace(
            rule_id="x",
            code="X1",
            severity="error",
            message_zh="",
            message_en="",
            spans=(),
            cue={1, 2} if reply == "odd" else None,
        )
        return SimpleNamespace(score=1.0, findings=(finding,), passed=False)

    res = score_replies(
        [{"reply": "好"}, {"reply": "odd"}, {"reply": "行"}], checker=odd_check, classify=False
    )
    out, errs = tmp_path / "o.jsonl", tmp_path / "e.jsonl"
    res._errors_target = errs
    summary = res.to_jsonl(out)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert (summary.read, summary.scored, summary.failed) == (3, 2, 1)
    assert rows[1]["error"]["row"] == 2 and "cannot be written" in rows[1]["error"]["reason"]
    assert json.loads(errs.read_text(encoding="utf-8"))["row"] == 2
    csv_summary = score_replies([{"reply": "odd"}], checker=odd_check, classify=False).to_csv(
        tmp_path / "o.csv"
    )
    assert (csv_summary.read, csv_summary.failed) == (1, 1)  # the findings cell is JSON, too


# ---- the per-row time budget ------------------------------------------------------------------
@pytest.mark.parametrize("workers", [1, 2])
def test_a_row_over_its_time_budget_fails_with_a_clear_error(workers: int) -> None:
    recs = [{"reply": "好"}, {"reply": "SLOW"}, {"reply": "行"}]
    t = time.perf_counter()
    res = score_replies(recs, row_timeout=0.3, workers=workers, chunk_size=1, **FAKES)
    rows = res.to_list()
    assert time.perf_counter() - t < 20  # not the 30 s stall
    _check_counts(res.summary, rows)
    assert [r["error"] is None for r in rows] == [True, False, True]
    err = rows[1]["error"]
    assert err["field"] == "reply" and "0.3 s time budget per row" in err["reason"]


def test_the_budget_outside_the_main_thread_still_fails_the_row() -> None:
    def slowish(reply: str, **_: Any) -> Any:
        time.sleep(0.3 if reply == "slow" else 0)
        return fake_check("x")

    box: list[list[dict[str, Any]]] = []
    recs = [{"reply": "slow"}, {"reply": "好"}]
    th = threading.Thread(
        target=lambda: box.append(
            score_replies(recs, row_timeout=0.1, checker=slowish, classify=False).to_list()
        )
    )
    th.start()
    th.join()
    assert [r["error"] is None for r in box[0]] == [False, True]
    assert "time budget" in box[0][0]["error"]["reason"]


def test_budget_arguments_are_checked_and_none_switches_it_off() -> None:
    with pytest.raises(InputError, match="row_timeout"):
        score_replies([{"reply": "好"}], row_timeout=0, **FAKES)
    with pytest.raises(InputError, match="row_timeout"):
        score_replies([{"reply": "好"}], row_timeout=float("nan"), **FAKES)
    assert score_replies([{"reply": "好"}], row_timeout=None, **FAKES).to_list()[0]["score"] == 90
    err = RowTimeoutError(3, "reply", 2.0)
    assert (err.row, err.field, err.seconds) == (3, "reply", 2.0) and "row 3" in str(err)


def test_the_alarm_handler_is_restored_after_a_run() -> None:
    before = signal.getsignal(signal.SIGALRM)
    score_replies([{"reply": "好"}], row_timeout=5, **FAKES).to_list()
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# ---- item 6: an interrupted file cannot pass for a finished one ---------------------------------
def test_output_appears_only_when_complete(tmp_path: Path) -> None:
    def interrupting(reply: str, **_: Any) -> Any:
        if reply == "stop":
            raise KeyboardInterrupt
        return fake_check(reply)

    out = tmp_path / "scored.jsonl"
    recs = [{"reply": "好"}, {"reply": "行"}, {"reply": "stop"}, {"reply": "好"}]
    with pytest.raises(KeyboardInterrupt):
        score_replies(recs, checker=interrupting, classify=False, chunk_size=1).to_jsonl(out)
    assert not out.exists()
    partial = tmp_path / "scored.jsonl.partial"
    assert len(partial.read_text(encoding="utf-8").splitlines()) == 2
    score_replies(recs[:2], **FAKES).to_jsonl(out)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert not partial.exists()  # renamed into place


@pytest.mark.slow
def test_sigterm_leaves_a_partial_file_and_quiet_workers(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    lines = sample_path().read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join(lines * 20) + "\n", encoding="utf-8")  # 12,000 rows
    out = tmp_path / "scored.jsonl"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [
        sys.executable,
        "-m",
        "csstandards",
        "score",
        str(src),
        "-o",
        str(out),
        "--workers",
        "2",
        "--no-progress",
    ]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    partial = tmp_path / "scored.jsonl.partial"
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


# ---- the property: random malformed rows mixed into valid ones ---------------------------------
_GOOD = st.fixed_dictionaries(
    {"reply": st.text(min_size=1, max_size=20).filter(str.strip)},
    optional={
        "stars": st.integers(1, 5),
        "reviewed_at": st.sampled_from(["2026-03-10 10:00", "2026-03-10T10:00:00+08:00"]),
    },
)
_BAD_VALUE = st.one_of(
    st.integers(),
    st.floats(allow_nan=True),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.booleans(),
    st.binary(max_size=4),
    st.sampled_from(
        ["2026-03-10 10:00 +25:00", "2026-13-45", "9999-12-31 23:59 -23:00", "\ud800", ""]
    ),
)
_BAD = st.builds(
    lambda field, value: {"reply": "好", field: value} if field != "reply" else {"reply": value},
    st.sampled_from(
        [
            "reply",
            "review",
            "stars",
            "rating",
            "reviewed_at",
            "replied_at",
            "agent",
            "channel",
            "id",
        ]
    ),
    _BAD_VALUE,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_GOOD, _BAD, st.integers(), st.none()), min_size=1, max_size=25))
def test_rows_in_equal_scored_plus_failed_for_any_mix(records: list[Any]) -> None:
    res = score_replies(records, chunk_size=4, **FAKES)
    rows = res.to_list()
    _check_counts(res.summary, rows)
    assert [r["row"] for r in rows] == list(range(1, len(records) + 1))


def _as_feedback(rec: Any) -> Any:
    if isinstance(rec, dict) and "reply" in rec:
        rec = {("text" if k == "reply" else k): v for k, v in rec.items()}
    return rec


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_GOOD, _BAD, st.integers(), st.none()), min_size=1, max_size=25))
def test_classify_keeps_the_count_for_any_mix(records: list[Any]) -> None:
    res = classify_records([_as_feedback(r) for r in records], classifier=fake_classify)
    rows = res.to_list()
    _check_counts(res.summary, rows)
    assert [r["row"] for r in rows] == list(range(1, len(records) + 1))


_LINE = st.one_of(
    _GOOD.map(lambda d: json.dumps(d, ensure_ascii=False).encode()),
    _BAD.map(lambda d: json.dumps(d, default=repr).encode()),
    st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"\n", b"")),
    st.just(b'{"reply": "\xe4\xbd"}'),  # a cut UTF-8 sequence
    st.just(b"[1, 2]"),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=1, max_size=20))
def test_files_with_random_bad_lines_keep_the_count(lines: list[bytes]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "in.jsonl"
        p.write_bytes(b"\n".join(lines) + b"\n")
        out = Path(d) / "out.jsonl"
        summary = score_replies(p, **FAKES).to_jsonl(out)
        written = out.read_text(encoding="utf-8").split("\n")[:-1]  # U+0085 is in a text
    expected = sum(1 for x in lines if not _decodes(x) or x.decode("utf-8").strip())
    assert summary.read == len(written) == expected == summary.scored + summary.failed


def _decodes(b: bytes) -> bool:
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
