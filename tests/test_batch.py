"""Streaming batch scoring: readers, timestamps, bad rows, workers, summary (csstandards.batch)."""

from __future__ import annotations

import io
import json
import os
import signal
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards.batch import (
    REPLY_COLUMNS,
    ColumnMap,
    classify_records,
    iter_records,
    parse_column_spec,
    parse_timestamp,
    score_replies,
)
from csstandards.errors import InputError
from csstandards.models import Finding, Severity, Span

SH = timezone(timedelta(hours=8))


# ---- a small, deterministic fake scorer with check_reply's signature ----------------------------
def fake_check(
    reply: str,
    *,
    review: Any = None,
    rating: Any = None,
    reviewed_at: Any = None,
    replied_at: Any = None,
    standard: Any = None,
    **_: Any,
) -> Any:
    findings = []
    if "不归我们管" in reply:
        i = reply.index("不归我们管")
        findings.append(
            Finding(
                rule_id="reply.blame-shifting",
                code="R103",
                severity=Severity.ERROR,
                message_zh="推诿",
                message_en="blame-shifting",
                clause="000 §2.2",
                spans=(Span(start=i, end=i + 5),),
                cue="不归我们管",
            )
        )
    if reviewed_at and replied_at and replied_at - reviewed_at > timedelta(hours=24):
        findings.append(
            Finding(
                rule_id="reply.late-reply",
                code="R120",
                severity=Severity.WARNING,
                message_zh="回复超时",
                message_en="late reply",
                clause="000 §2.1",
            )
        )
    score = max(0.0, 100.0 - 30 * len(findings) - (len(reply) % 7))
    return SimpleNamespace(
        score=score,
        speed=100.0 if not any(f.rule_id == "reply.late-reply" for f in findings) else 40.0,
        warmth=float(len(reply) % 50 + 50),
        depth=float(len(review or "") % 50 + 50),
        findings=tuple(findings),
        passed=not findings,
        rating=rating,
    )


def fake_classify(
    text: str, *, stars: Any = None, channel: Any = None, standard: Any = None
) -> Any:
    topics = []
    if "物流" in text or "快递" in text:
        topics.append(SimpleNamespace(topic="logistics"))
    if "破" in text or "碎" in text:
        topics.append(SimpleNamespace(topic="product_quality"))
    return SimpleNamespace(
        kind="complaint" if topics else "praise",
        topics=tuple(topics),
        priority="P2" if topics else "P4",
        rating="negative" if topics else "positive",
        sentiment=-0.5 if topics else 0.6,
        key_issues=(),
    )


FAKES = {"checker": fake_check, "classifier": fake_classify}


def _rec(i: int, **kw: Any) -> dict[str, Any]:
    base = {
        "id": f"r{i}",
        "review": "物流太慢了" if i % 2 else "很好用",
        "reply": "这是快递的事,不归我们管" if i % 3 == 0 else f"抱歉,已为您补发{i}号订单",
        "stars": 1 + i % 5,
        "reviewed_at": "2026-11-11 10:00",
        "replied_at": "2026-11-11 12:00" if i % 4 else "2026-11-13 12:00",
        "channel": "评价平台",
        "agent": f"a{i % 3}",
    }
    base.update(kw)
    return base


# ---- timestamps --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-22 10:30", datetime(2026, 11, 22, 10, 30, tzinfo=SH)),
        ("2026/11/22 10:30:05", datetime(2026, 11, 22, 10, 30, 5, tzinfo=SH)),
        ("2026年11月22日 10时30分", datetime(2026, 11, 22, 10, 30, tzinfo=SH)),
        ("2026年11月22日 10点30分05秒", datetime(2026, 11, 22, 10, 30, 5, tzinfo=SH)),
        ("2026-11-22T02:30:00+00:00", datetime(2026, 11, 22, 10, 30, tzinfo=SH)),
        (1795314600, datetime(2026, 11, 22, 10, 30, tzinfo=SH)),
        ("1795314600", datetime(2026, 11, 22, 10, 30, tzinfo=SH)),
        ("1795314600000", datetime(2026, 11, 22, 10, 30, tzinfo=SH)),
        ("Nov 22 2026 10:30", datetime(2026, 11, 22, 10, 30, tzinfo=SH)),
    ],
)
def test_timestamp_forms(text: Any, expected: datetime) -> None:
    got = parse_timestamp(text)
    assert got is not None and got.tzinfo is not None
    assert got == expected


def test_naive_time_takes_callers_zone() -> None:
    utc = parse_timestamp("2026-11-22 10:30", tz="UTC")
    sh = parse_timestamp("2026-11-22 10:30")
    assert utc is not None and sh is not None
    assert utc - sh == timedelta(hours=8)
    assert parse_timestamp("2026-11-22T10:30+09:00", tz="UTC").utcoffset() == timedelta(hours=9)  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", ["昨天下午", "2026-13-01 10:00", "2026年2月30日", "not a date"])
def test_unreadable_times_raise_input_error(bad: str) -> None:
    with pytest.raises(InputError):
        parse_timestamp(bad)


def test_empty_times_are_none_and_unknown_zone_fails() -> None:
    assert parse_timestamp("") is None
    assert parse_timestamp(None) is None
    assert parse_timestamp(float("nan")) is None
    with pytest.raises(InputError, match="time zone"):
        parse_timestamp("2026-01-01", tz="Mars/Olympus")


@settings(max_examples=150, deadline=None)
@given(st.datetimes(min_value=datetime(1992, 1, 1), max_value=datetime(2100, 1, 1)))
def test_every_export_form_round_trips(dt: datetime) -> None:
    # from 1992 on China has no DST, so the fixed +08:00 equals Asia/Shanghai
    dt = dt.replace(microsecond=0)
    aware = dt.replace(tzinfo=SH)
    forms = [
        dt.strftime("%Y-%m-%d %H:%M:%S"),
        dt.strftime("%Y/%m/%d %H:%M:%S"),
        f"{dt.year}年{dt.month}月{dt.day}日 {dt.hour}时{dt.minute}分{dt.second}秒",
        int(aware.timestamp()),
    ]
    for f in forms:
        assert parse_timestamp(f) == aware, f


# ---- readers and column mapping ----------------------------------------------------------------
def test_csv_reader_reports_lines_and_bad_records(tmp_path: Path) -> None:
    p = tmp_path / "in.csv"
    p.write_text(
        'id,review,reply\n1,好,谢谢\n2,"多行\n评价",谢谢\n3,only-two\n\n4,差,抱歉\n',
        encoding="utf-8",
    )
    recs = list(iter_records(p))
    assert [(r.row, r.line) for r in recs] == [(1, 2), (2, 3), (3, 5), (4, 7)]
    assert recs[1].data is not None and recs[1].data["review"] == "多行\n评价"
    assert recs[2].data is None and "2 fields" in (recs[2].problem or "")


def test_gbk_exports_need_their_encoding(tmp_path: Path) -> None:
    p = tmp_path / "gbk.csv"
    p.write_bytes(
        "评价内容,回复内容,星级\n物流太慢,抱歉,已为您补发,1\n".replace("抱歉,", "抱歉，").encode(
            "gb18030"
        )
    )
    with pytest.raises(InputError, match="gb18030"):
        score_replies(p, **FAKES).to_list()
    rows = score_replies(p, encoding="gb18030", **FAKES).to_list()
    assert rows[0]["review"] == "物流太慢" and rows[0]["reply"] == "抱歉，已为您补发"


def test_jsonl_reader_reports_invalid_lines(tmp_path: Path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text('{"reply": "好"}\n\n{oops\n[1,2]\n{"reply": "行"}\n', encoding="utf-8")
    recs = list(iter_records(p))
    assert [(r.row, r.line, r.data is None) for r in recs] == [
        (1, 1, False),
        (2, 3, True),
        (3, 4, True),
        (4, 5, False),
    ]


def test_missing_file_and_unknown_format_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(iter_records(tmp_path / "nope.csv"))
    (tmp_path / "x.xlsx").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="format"):
        list(iter_records(tmp_path / "x.xlsx"))
    with pytest.raises(InputError):
        list(iter_records(42))


def test_column_mapping() -> None:
    cm = parse_column_spec("reply=回复内容, stars=星级")
    assert cm.names("reply") == ("回复内容",)
    assert "review" in cm.names("review")
    with pytest.raises(InputError, match="unknown field"):
        parse_column_spec({"replyy": "x"})
    with pytest.raises(InputError, match="field=column"):
        parse_column_spec("reply")
    rows = score_replies(
        [{"回复内容": "已为您补发", "星级": "2", "评价": "破了"}],
        columns=ColumnMap(reply="回复内容", stars="星级"),
        **FAKES,
    ).to_list()
    assert rows[0]["error"] is None
    assert rows[0]["stars"] == 2.0 and rows[0]["star_rating"] == "negative"
    assert rows[0]["review"] == "破了"  # found by its default Chinese alias


# ---- scoring -----------------------------------------------------------------------------------
def test_rows_have_scores_findings_and_state_the_zone() -> None:
    res = score_replies([_rec(i) for i in range(1, 13)], **FAKES)
    rows = res.to_list()
    assert len(rows) == 12
    assert set(rows[0]) == set(REPLY_COLUMNS)
    r3 = rows[2]
    assert r3["row"] == 3 and r3["id"] == "r3"
    assert r3["rule_ids"] == ["reply.blame-shifting"]
    f = r3["findings"][0]
    assert f["excerpt"] == "不归我们管" and f["spans"] == [[7, 12]]
    assert all(r["tz"] == "Asia/Shanghai" for r in rows)
    assert rows[0]["channel"] == "review_platform"  # Chinese label mapped to the enum value
    assert rows[0]["reviewed_at"] == "2026-11-11T10:00:00+08:00"
    assert rows[3]["response_hours"] == 50.0 and rows[3]["sla_met"] is False
    assert rows[0]["sla_met"] is True
    assert rows[0]["topics"] == ["logistics"] and rows[0]["kind"] == "complaint"
    s = res.summary
    assert (s.read, s.scored, s.failed) == (12, 12, 0)


def test_bad_rows_are_reported_counted_and_written(tmp_path: Path) -> None:
    recs = [
        _rec(1),
        _rec(2, reply=""),
        _rec(3, replied_at="昨天下午"),
        _rec(4, stars=9),
        _rec(5, rating="超好评"),
        _rec(6, replied_at="2026-11-10 10:00"),
        "not a record",
        _rec(8),
    ]
    errfile = tmp_path / "errors.jsonl"
    res = score_replies(recs, errors=errfile, **FAKES)
    rows = res.to_list()
    assert len(rows) == len(recs)  # nothing dropped
    errs = [r["error"] for r in rows]
    assert errs[0] is None and errs[7] is None
    assert [e["field"] for e in errs[1:7]] == [
        "reply",
        "replied_at",
        "stars",
        "rating",
        "replied_at",
        None,
    ]
    assert "昨天下午" in errs[2]["reason"]
    assert [e["row"] for e in errs[1:7]] == [2, 3, 4, 5, 6, 7]
    s = res.summary
    assert (s.read, s.scored, s.failed) == (8, 2, 6)
    assert s.failures == {"reply": 1, "replied_at": 2, "stars": 1, "rating": 1, "record": 1}
    written = [json.loads(x) for x in errfile.read_text(encoding="utf-8").splitlines()]
    assert [w["row"] for w in written] == [2, 3, 4, 5, 6, 7]
    assert "failed" in s.describe()


def test_errors_in_files_carry_file_lines(tmp_path: Path) -> None:
    p = tmp_path / "in.jsonl"
    lines = [
        json.dumps(_rec(1), ensure_ascii=False),
        "",
        "{broken",
        json.dumps(_rec(2, reply=None)),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    buf = io.StringIO()
    rows = score_replies(p, errors=buf, **FAKES).to_list()
    errs = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert [(e["row"], e["line"], e["source"]) for e in errs] == [(2, 3, str(p)), (3, 4, str(p))]
    assert rows[0]["line"] == 1


def test_workers_give_the_same_rows_in_order(tmp_path: Path) -> None:
    recs = [_rec(i) for i in range(1, 301)] + [_rec(301, reply="")]
    single = score_replies(recs, **FAKES).to_list()
    multi = score_replies(recs, workers=2, chunk_size=17, **FAKES)
    rows = multi.to_list()
    assert rows == single
    assert multi.summary.failed == 1 and multi.summary.read == 301


def test_streaming_reads_lazily() -> None:
    consumed = 0

    def gen() -> Any:
        nonlocal consumed
        for i in range(1, 10_000_000):
            consumed += 1
            yield _rec(i)

    res = score_replies(gen(), chunk_size=50, **FAKES)
    first = [next(res) for _ in range(10)]
    assert first[0]["row"] == 1
    assert consumed <= 100  # only the first chunk(s) were read


def test_output_writers(tmp_path: Path) -> None:
    recs = [_rec(i) for i in range(1, 6)]
    out = tmp_path / "o.jsonl"
    s = score_replies(recs, **FAKES).to_jsonl(out)
    back = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(back) == 5 and s.read == 5
    assert back[2]["findings"][0]["rule_id"] == "reply.blame-shifting"
    csvp = tmp_path / "o.csv"
    score_replies(recs, **FAKES).to_csv(csvp)
    import csv

    with open(csvp, encoding="utf-8") as fh:
        got = list(csv.DictReader(fh))
    assert len(got) == 5 and json.loads(got[2]["rule_ids"]) == ["reply.blame-shifting"]


def test_bad_arguments() -> None:
    with pytest.raises(InputError):
        score_replies([], workers=0, **FAKES)
    with pytest.raises(InputError):
        score_replies([], tz="Nowhere/Land", **FAKES)


def test_classify_records_rows() -> None:
    res = classify_records(
        [{"text": "快递把箱子压破了", "stars": 1}, {"text": ""}, {"content": "很好"}],
        classifier=fake_classify,
    )
    rows = res.to_list()
    assert rows[0]["topics"] == ["logistics", "product_quality"] and rows[0]["kind"] == "complaint"
    assert rows[1]["error"]["field"] == "text"
    assert rows[2]["kind"] == "praise"
    assert res.summary.failed == 1


def test_core_import_needs_no_pandas() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['pandas'] = None; sys.modules['dask'] = None\n"
        "import csstandards, csstandards.batch\n"
        "from csstandards.batch import score_replies, aggregate\n"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_parallel_reading_is_bounded_by_prefetch() -> None:
    consumed = 0

    def gen() -> Any:
        nonlocal consumed
        for i in range(1, 1_000_000):
            consumed += 1
            yield _rec(i)

    res = score_replies(gen(), workers=2, chunk_size=10, prefetch=2, **FAKES)
    got = [next(res) for _ in range(5)]
    assert [r["row"] for r in got] == [1, 2, 3, 4, 5]
    # at most workers * prefetch chunks in flight, plus the one being cut
    assert consumed <= (2 * 2 + 1) * 10
    res.close()


def test_progress_bar_is_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    recs = [_rec(i) for i in range(1, 40)]
    with_bar = score_replies(recs, progress=True, **FAKES).to_list()
    monkeypatch.setitem(sys.modules, "tqdm", None)  # the progress extra is not installed
    without = score_replies(recs, progress=True, **FAKES).to_list()
    assert with_bar == without and len(without) == 39


def test_each_review_is_classified_once_and_the_checker_reuses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The batch classifies a review for its output columns; the reply checker reuses that
    assessment instead of classifying the same review again (000 §2.2 needs its key issues)."""
    import csstandards.feedback as feedback
    import csstandards.feedback.classify as classify_module

    real = feedback.classify_feedback
    calls: list[str] = []

    def counting(text: Any, **kw: Any) -> Any:
        calls.append(text if isinstance(text, str) else getattr(text, "text", ""))
        return real(text, **kw)

    monkeypatch.setattr(feedback, "classify_feedback", counting)
    monkeypatch.setattr(classify_module, "classify_feedback", counting)
    records = [
        {
            "id": "a",
            "review": "你们产品能用多久",
            "reply": "您好,关于产品使用时长请参考说明书第5页。",
        },
        {"id": "b", "review": "袖子开线了,质量太差", "reply": "非常抱歉,我们会努力改进。"},
        {
            "id": "c",
            "review": "物流太慢了",
            "reply": "抱歉让您久等,已催促快递今天送达。",
            "stars": 2,
        },
    ]
    rows = score_replies(records).to_list()
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert all(r["error"] is None for r in rows)
    assert sorted(calls) == sorted(r["review"] for r in records)
    assert all(r["topics"] for r in rows)


def killing_check(reply: str, **kw: Any) -> Any:
    """A checker whose worker process dies (as under the out-of-memory killer) on one reply."""
    if "KILL" in reply:
        os.kill(os.getpid(), signal.SIGKILL)
    return fake_check(reply, **kw)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_worker_killed_mid_chunk_costs_that_chunk_not_the_run() -> None:
    recs = [_rec(i) for i in range(40)]
    recs[13]["reply"] = "KILL"
    done: list[list[dict[str, Any]]] = []
    t = threading.Thread(
        target=lambda: done.append(
            score_replies(
                recs, workers=2, chunk_size=5, checker=killing_check, classifier=fake_classify
            ).to_list()
        ),
        daemon=True,
    )
    t.start()
    t.join(60)
    assert done, "the run hung after a worker was killed"
    rows = done[0]
    assert len(rows) == 40
    failed = [i for i, r in enumerate(rows) if r.get("error")]
    assert failed == list(range(10, 15))  # the killed worker's chunk, row by row
    assert "exit code -9" in rows[13]["error"]["reason"]
    assert all(r["score"] is not None for i, r in enumerate(rows) if i not in failed)
