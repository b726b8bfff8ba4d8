"""pandas and Dask adapters: DataFrame in -> DataFrame out; Dask equals single-process row for row."""

from __future__ import annotations

from typing import Any

import pytest

pd = pytest.importorskip("pandas")

from csstandards.batch import (  # noqa: E402
    aggregate,
    classify_dataframe,
    score_dataframe,
    score_replies,
)
from csstandards.batch.frames import frame_meta  # noqa: E402
from csstandards.errors import InputError  # noqa: E402
from test_batch import FAKES, _rec, fake_classify  # noqa: E402


def _frame(n: int = 40) -> Any:
    recs = [_rec(i) for i in range(1, n + 1)]
    recs[5]["reply"] = None
    recs[9]["replied_at"] = "下周一"
    return pd.DataFrame(recs)


def test_dataframe_in_dataframe_out() -> None:
    df = _frame()
    df.index = df.index + 100
    out = score_dataframe(df, **FAKES)
    assert list(out.index) == list(df.index)
    scored_cols = [c for c in frame_meta("reply").columns if c not in ("review", "reply")]
    assert list(out.columns) == [c for c in df.columns if c not in scored_cols] + scored_cols
    assert out["score"].dtype == "Float64" and out["n_findings"].dtype == "Int64"
    for col in ("speed", "warmth", "depth", "n_findings", "n_errors", "n_warnings", "n_info"):
        assert col in out.columns
    # findings as structured data
    f = out.loc[102, "findings"]
    assert isinstance(f, list) and f[0]["rule_id"] == "reply.blame-shifting"
    assert out.loc[102, "n_errors"] == 1
    # bad rows: error is the reason, error_field the field; scores missing, nothing dropped
    assert out.loc[105, "error_field"] == "reply" and "missing" in out.loc[105, "error"]
    assert out.loc[109, "error_field"] == "replied_at"
    assert pd.isna(out.loc[105, "score"])
    assert out["error"].notna().sum() == 2
    # the same numbers as the streaming API
    stream = score_replies(df.to_dict("records"), **FAKES).to_list()
    assert [r["score"] for r in stream if r["error"] is None] == out["score"].dropna().tolist()


def test_dataframe_input_to_streaming_api_and_aggregate() -> None:
    df = _frame(30)
    rows = score_replies(df, **FAKES).to_list()
    assert len(rows) == 30
    agg_rows = aggregate(rows)
    agg_frame = aggregate(score_dataframe(df, **FAKES))
    assert agg_rows.scored == agg_frame.scored == 28
    assert agg_rows.mean_score == pytest.approx(agg_frame.mean_score)
    assert [f.rule_id for f in agg_rows.findings] == [f.rule_id for f in agg_frame.findings]


def test_classify_dataframe() -> None:
    df = pd.DataFrame({"text": ["快递太慢了", "东西很好", None], "stars": [1, 5, 3]})
    out = classify_dataframe(df, classifier=fake_classify)
    assert out.loc[0, "topics"] == ["logistics"]
    assert out.loc[1, "kind"] == "praise"
    assert out.loc[2, "error_field"] == "text"


def test_not_a_dataframe() -> None:
    with pytest.raises(InputError):
        score_dataframe([{"reply": "x"}], **FAKES)


def test_parquet_roundtrip(tmp_path: Any) -> None:
    pytest.importorskip("pyarrow")
    df = _frame(25)
    df["stars"] = df["stars"].astype("int64")
    p = tmp_path / "in.parquet"
    df.to_parquet(p)
    from_parquet = score_replies(p, **FAKES).to_list()
    from_list = score_replies(df.to_dict("records"), **FAKES).to_list()
    strip = ("row", "line", "error")
    assert [{k: v for k, v in r.items() if k not in strip} for r in from_parquet] == [
        {k: v for k, v in r.items() if k not in strip} for r in from_list
    ]


def test_dask_equals_single_process_row_for_row() -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    from csstandards.batch import score_dask

    df = _frame(60)
    single = score_dataframe(df, **FAKES)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        ddf = dd.from_pandas(df, npartitions=4)
        lazy = score_dask(ddf, **FAKES)
        assert list(lazy.columns) == list(single.columns)
        assert dict(lazy.dtypes) == dict(score_dataframe(ddf.compute(), **FAKES).dtypes)
        got = lazy.compute()
    # Dask stores the input's text columns as string[pyarrow]: compare with the same input
    pd.testing.assert_frame_equal(got, score_dataframe(ddf.compute(), **FAKES))
    scored_only = [c for c in single.columns if c not in df.columns or c in ("id", "stars")]
    pd.testing.assert_frame_equal(got[scored_only], single[scored_only])
    with pytest.raises(InputError):
        score_dask(ddf, workers=2, **FAKES)
