"""Analysts at scale (#20): typed frames, kept input columns, the findings table, progress,
star_rating vs text_rating, chunked conversion."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

from csstandards.batch import (  # noqa: E402
    classify_dataframe,
    classify_records,
    score_dataframe,
    score_replies,
)
from csstandards.batch.cli_support import sample_path  # noqa: E402
from csstandards.batch.frames import ScoredFrames, findings_table, frame_meta  # noqa: E402
from csstandards.cli import main  # noqa: E402
from csstandards.errors import InputError  # noqa: E402
from csstandards.tone import check_reply  # noqa: E402

SH = "datetime64[ns, Asia/Shanghai]"
STR = "string[pyarrow]"
LIST = "list<item: string>[pyarrow]"

REPLY_DTYPES = {
    "id": STR,
    "channel": "category",
    "agent": STR,
    "template_id": STR,
    "customer": STR,
    "product": STR,
    "star_rating": "category",
    "text_rating": "category",
    "stars": "Float64",
    "reviewed_at": SH,
    "replied_at": SH,
    "closed_at": SH,
    "tz": "category",
    "response_hours": "Float64",
    "score": "Float64",
    "speed": "Float64",
    "warmth": "Float64",
    "depth": "Float64",
    "passed": "boolean",
    "n_findings": "Int64",
    "n_errors": "Int64",
    "n_warnings": "Int64",
    "n_info": "Int64",
    "sla_met": "boolean",
    "sla_due": SH,
    "sla_target_hours": "Float64",
    "sla_estimated": "boolean",
    "peak_window": STR,
    "rule_ids": LIST,
    "findings": "findings",
    "kind": "category",
    "topics": LIST,
    "priority": "category",
    "review": STR,
    "reply": STR,
    "error_field": "category",
    "error": STR,
}

FEEDBACK_DTYPES = {
    "id": STR,
    "channel": "category",
    "agent": STR,
    "customer": STR,
    "product": STR,
    "stars": "Float64",
    "created_at": SH,
    "closed_at": SH,
    "tz": "category",
    "kind": "category",
    "text_rating": "category",
    "star_rating": "category",
    "sentiment": "Float64",
    "emotion": "category",
    "urgency": "category",
    "severity": "category",
    "scope": "category",
    "topics": LIST,
    "key_issues": LIST,
    "priority": "category",
    "hint": "category",
    "root_cause": "category",
    "stars_disagree": "boolean",
    "text": STR,
    "error_field": "category",
    "error": STR,
}


def _name(dtype: Any) -> str:
    arrow = dtype.pyarrow_dtype if isinstance(dtype, pd.ArrowDtype) else None
    if arrow is not None and pa.types.is_list(arrow) and pa.types.is_struct(arrow.value_type):
        return "findings"
    if isinstance(dtype, pd.StringDtype):
        return f"string[{dtype.storage}]"
    return str(dtype)


def _sample(n: int) -> Any:
    return pd.read_json(sample_path(), lines=True, dtype=False).head(n)


@pytest.fixture(scope="module")
def sample_scored() -> tuple[Any, Any]:
    df = _sample(60)
    return df, score_dataframe(df, keep=False)


def test_every_scored_column_has_its_arrow_dtype(sample_scored: tuple[Any, Any]) -> None:
    _, out = sample_scored
    assert {c: _name(t) for c, t in out.dtypes.items()} == REPLY_DTYPES
    assert {c: _name(t) for c, t in frame_meta("reply").dtypes.items()} == REPLY_DTYPES
    assert list(out["star_rating"].cat.categories) == ["positive", "neutral", "negative"]
    assert "review_platform" in out["channel"].cat.categories
    assert out["reviewed_at"].notna().sum() > 50  # the sample's four timestamp forms all parse
    assert out["sla_target_hours"].isna().sum() + out["sla_target_hours"].notna().sum() == 60
    finding = out["findings"].dropna().iloc[0][0]
    assert set(finding) >= {"rule_id", "code", "severity", "spans", "cue", "excerpt"}


def test_every_classified_column_has_its_arrow_dtype() -> None:
    df = pd.DataFrame(
        {
            "text": ["快递太慢了，三天都没到", "东西很好", None],
            "stars": [1, 5, 3],
            "note": list("abc"),
        }
    )
    out = classify_dataframe(df, keep=False)
    assert {c: _name(t) for c, t in out.dtypes.items()} == FEEDBACK_DTYPES
    assert {c: _name(t) for c, t in frame_meta("feedback").dtypes.items()} == FEEDBACK_DTYPES
    assert out.loc[2, "error_field"] == "text"
    kept = classify_dataframe(df)
    assert kept["note"].tolist() == ["a", "b", "c"] and "text" in kept.columns


def test_input_columns_are_kept_and_never_mutated() -> None:
    df = _sample(20)
    df["campaign"] = [f"c{i % 3}" for i in range(20)]
    df.index = [f"r{i}" for i in range(20)]
    before = df.copy(deep=True)
    out = score_dataframe(df)
    pd.testing.assert_frame_equal(df, before)  # nothing changed in place
    assert out["campaign"].tolist() == df["campaign"].tolist()
    assert list(out.index) == list(df.index)
    # the text columns are the input's own (not copied); typed fields replace their input
    assert out["review"].dtype == df["review"].dtype and out["reviewed_at"].dtype == SH
    assert list(out.columns).count("review") == 1
    only = score_dataframe(df, keep=["campaign"])
    assert "campaign" in only.columns and "review" in only.columns  # scored text copy
    assert only["review"].tolist() == [None if pd.isna(v) else v for v in df["review"]]
    none = score_dataframe(df, keep=False)
    assert "campaign" not in none.columns
    with pytest.raises(InputError, match="keep="):
        score_dataframe(df, keep=["nope"])


def test_findings_table_equals_the_per_row_reports() -> None:
    df = _sample(40)
    res = score_dataframe(df, findings="table")
    assert isinstance(res, ScoredFrames)
    rows, table = res
    assert "findings" not in rows.columns
    assert list(table.columns) == [
        "row",
        "id",
        "rule_id",
        "code",
        "severity",
        "dimension",
        "start",
        "end",
        "cue",
        "excerpt",
        "message",
        "message_en",
        "clause",
    ]
    assert str(table["severity"].dtype) == "category" and table["row"].dtype == "Int64"
    assert len(table) == int(rows["n_findings"].sum()) > 40
    compared = 0
    for label, rec in df.iterrows():
        if not isinstance(rec["reply"], str) or pd.notna(rows.loc[label, "error"]):
            assert (table["row"] == label).sum() == 0
            continue
        report = check_reply(
            rec["reply"],
            review=rec["review"] if isinstance(rec["review"], str) else None,
            stars=rec["stars"],
            reviewed_at=rows.loc[label, "reviewed_at"].to_pydatetime()
            if pd.notna(rows.loc[label, "reviewed_at"])
            else None,
            replied_at=rows.loc[label, "replied_at"].to_pydatetime()
            if pd.notna(rows.loc[label, "replied_at"])
            else None,
        )
        mine = table[table["row"] == label]
        expected = [
            (
                f.rule_id,
                f.code,
                f.severity.value,
                f.spans[0].start if f.spans else None,
                f.cue,
                f.message_zh,
            )
            for f in report.findings
        ]
        got = [
            (
                r.rule_id,
                r.code,
                r.severity,
                None if pd.isna(r.start) else r.start,
                None if pd.isna(r.cue) else r.cue,
                r.message,
            )
            for r in mine.itertuples()
        ]
        assert got == expected, label
        compared += len(got)
    assert compared == len(table)
    by_rule = table.groupby("rule_id", observed=True).size()
    assert by_rule.sum() == len(table)


def test_findings_table_from_stream_rows_and_chunking_change_nothing() -> None:
    df = _sample(30)
    big = score_dataframe(df, findings="table")
    small = score_dataframe(df, findings="table", chunk_rows=7)
    pd.testing.assert_frame_equal(big.rows, small.rows)
    pd.testing.assert_frame_equal(big.findings, small.findings)
    stream = findings_table(score_replies(df).to_list())
    assert (stream["row"] - 1).tolist() == big.findings["row"].tolist()
    assert stream["rule_id"].tolist() == big.findings["rule_id"].tolist()
    with pytest.raises(InputError, match="findings="):
        score_dataframe(df, findings="dicts")  # type: ignore[arg-type]


def test_cli_findings_parquet_matches_the_frame_table(tmp_path: Path) -> None:
    df = _sample(30)
    src = tmp_path / "in.jsonl"
    df.to_json(src, orient="records", lines=True, force_ascii=False)
    out, found = tmp_path / "out.jsonl", tmp_path / "findings.parquet"
    main(["score", str(src), "-o", str(out), "--findings", str(found), "--no-progress"])
    table = pd.read_parquet(found)
    frame = score_dataframe(df, findings="table").findings
    assert (table["row"] - 1).tolist() == frame["row"].tolist()
    assert table["rule_id"].astype(str).tolist() == frame["rule_id"].astype(str).tolist()
    assert table["message"].tolist() == frame["message"].tolist()
    assert not (tmp_path / "findings.parquet.partial").exists()
    assert main(["score", str(src), "-o", str(out), "--findings", str(tmp_path / "f.csv")]) == 2


def test_star_rating_and_text_rating_are_two_columns() -> None:
    rec = {
        "review": "质量太差了，用了两天就坏了，客服也不理人",
        "stars": 3,
        "reply": "抱歉给您带来不便",
    }
    scored = score_replies([rec]).to_list()[0]
    assert scored["star_rating"] == "neutral" and scored["text_rating"] == "negative"
    assert "rating" not in scored
    classified = classify_records([{"text": rec["review"], "stars": 3}]).to_list()[0]
    assert classified["star_rating"] == "neutral" and classified["text_rating"] == "negative"


def test_progress_shows_total_rate_and_a_final_summary(tmp_path: Path) -> None:
    recs = [{"reply": "感谢您的支持！"}] * 300 + [{"reply": None}]
    buf = io.StringIO()
    score_replies(recs, progress=buf, classify=False).to_list()
    text = buf.getvalue()
    assert "301/301" in text and "row/s" in text and "100%" in text
    assert text.rstrip().endswith("301 rows in, 300 scored, 1 failed]")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    buf = io.StringIO()
    score_replies(src, progress=buf, classify=False).to_list()
    text = buf.getvalue()  # a file: the total is its size in bytes, with an ETA
    assert "100%" in text and "B/s" in text and "301 rows in" in text and "<" in text
    pq = tmp_path / "in.parquet"
    pd.DataFrame({"reply": ["好"] * 10}).to_parquet(pq)
    buf = io.StringIO()
    score_replies(pq, progress=buf, classify=False).to_list()
    assert "10/10" in buf.getvalue()


def test_dask_meta_keeps_input_columns() -> None:
    dd = pytest.importorskip("dask.dataframe")
    from csstandards.batch import score_dask

    df = _sample(12)
    df["campaign"] = "spring"
    ddf = dd.from_pandas(df, npartitions=3)
    lazy = score_dask(ddf, warm=False)
    assert "campaign" in lazy.columns and str(lazy.dtypes["reviewed_at"]) == SH
    got = lazy.compute(scheduler="sync")
    pd.testing.assert_frame_equal(got, score_dataframe(ddf.compute()))


def test_dask_findings_table_equals_the_single_process_table_and_scores_each_part_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    from csstandards.batch import frames, score_dask

    df = _sample(12)
    df["campaign"] = "spring"
    ddf = dd.from_pandas(df, npartitions=3)
    want = score_dataframe(ddf.compute(), findings="table")
    assert len(want.findings) > 0
    calls: list[int] = []
    real = frames._score_partition

    def counted(part: Any, kw: dict[str, Any]) -> Any:
        calls.append(len(part))
        return real(part, kw)

    monkeypatch.setattr(frames, "_score_partition", counted)
    lazy = score_dask(ddf, warm=False, findings="table")
    assert "findings" not in lazy.rows.columns and "campaign" in lazy.rows.columns
    rows, found = dask.compute(lazy.rows, lazy.findings, scheduler="sync")
    assert sorted(calls) == sorted(len(p) for p in (df.iloc[0:4], df.iloc[4:8], df.iloc[8:12]))
    pd.testing.assert_frame_equal(rows, want.rows)
    pd.testing.assert_frame_equal(found.reset_index(drop=True), want.findings)


@pytest.mark.filterwarnings("ignore::csstandards.errors.EstimatedCalendarWarning")
def test_times_a_frame_cannot_hold_are_row_errors_not_a_crash() -> None:
    df = pd.DataFrame(
        {
            "reply": ["谢谢", "好的", "行", "好"],
            "reviewed_at": [
                "1830-01-01 10:00",
                "2026-01-01 10:00",
                "2300-05-05 10:00",
                "1600-01-01",
            ],
            "stars": [5, 5, 5, 5],
        }
    )
    out = score_dataframe(df)
    assert out["error_field"].tolist()[2:] == ["reviewed_at", "reviewed_at"]
    assert "1678–2261" in out.loc[2, "error"] and pd.isna(out.loc[2, "score"])
    # before 1901 Asia/Shanghai is local mean time, an offset with seconds (+08:05:43)
    assert out.loc[0, "reviewed_at"].utcoffset().total_seconds() == 8 * 3600 + 5 * 60 + 43
    res = score_replies(df.to_dict("records"))
    frame = res.to_dataframe()
    assert frame["error"].notna().sum() == 2
    assert (res.summary.read, res.summary.scored, res.summary.failed) == (4, 2, 2)


_CELL = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(-5, 10),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["2026-03-10 10:00 +25:00", "1500-01-01", "2026-03-10 10:00", "2999-01-01"]),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {c: _CELL for c in ("reply", "review", "stars", "reviewed_at", "replied_at", "agent")}
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_frame_gives_one_typed_row_per_input_row(recs: list[dict[str, Any]]) -> None:
    df = pd.DataFrame(recs, dtype=object)
    out = score_dataframe(df, classify=False, checker=_fake_check)
    assert len(out) == len(df) and list(out.index) == list(df.index)
    assert int(out["score"].notna().sum() + out["error"].notna().sum()) == len(df)
    assert {c: _name(t) for c, t in out[list(REPLY_DTYPES)[:-4]].dtypes.items()} == {
        c: t for c, t in list(REPLY_DTYPES.items())[:-4]
    }


def _fake_check(reply: str, **_: Any) -> Any:
    from types import SimpleNamespace

    return SimpleNamespace(score=50.0, findings=(), passed=True, speed=1.0, warmth=1.0, depth=1.0)
