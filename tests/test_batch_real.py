"""Batch scoring with the real tone and feedback modules (no fakes)."""

from __future__ import annotations

import json
from itertools import islice
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csstandards.batch import score_replies
from csstandards.batch.cli_support import sample_path
from csstandards.tone import check_reply


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    with open(sample_path(), encoding="utf-8") as fh:
        return [json.loads(x) for x in islice(fh, 160)]


def test_batch_matches_check_reply(sample: list[dict[str, Any]]) -> None:
    rows = score_replies(sample[:40]).to_list()
    for rec, row in zip(sample[:40], rows, strict=True):
        if row["error"] is not None:
            continue
        from csstandards.batch import parse_timestamp

        rep = check_reply(
            rec["reply"],
            review=rec["review"],
            stars=rec["stars"],
            reviewed_at=parse_timestamp(rec["reviewed_at"]),
            replied_at=parse_timestamp(rec["replied_at"]),
        )
        assert row["score"] == rep.score
        assert row["rule_ids"] == [f.rule_id for f in rep.findings]
        assert (row["speed"], row["warmth"], row["depth"]) == (
            rep.speed.score,
            rep.warmth.score,
            rep.depth.score,
        )


def test_two_workers_equal_one_worker(sample: list[dict[str, Any]]) -> None:
    one = score_replies(sample[:80]).to_list()
    two = score_replies(sample[:80], workers=2, chunk_size=15).to_list()
    assert two == one
    assert any(r["error"] is not None for r in one)  # the sample's broken row 42 is in range
    assert sum(r["n_findings"] or 0 for r in one) > 0


def test_dask_equals_single_process_with_the_real_scorer(sample: list[dict[str, Any]]) -> None:
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    from csstandards.batch import score_dask, score_dataframe

    df = pd.DataFrame(sample[:48])
    single = score_dataframe(df)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        ddf = dd.from_pandas(df, npartitions=3)
        got = score_dask(ddf).compute()
    pd.testing.assert_frame_equal(got, score_dataframe(ddf.compute()))  # same (Arrow) input
    scored_only = [c for c in single.columns if c not in df.columns or c in ("id", "stars")]
    pd.testing.assert_frame_equal(got[scored_only], single[scored_only])
    assert single["score"].notna().sum() == 47


_times = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-(10**12), max_value=10**14),
    st.sampled_from(["2026-11-22 10:30", "2026年11月22日 10时30分", "2026/02/30 10:00", "昨天"]),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "reply": st.one_of(st.none(), st.text(max_size=40)),
                "review": st.one_of(st.none(), st.text(max_size=40)),
                "stars": st.one_of(st.none(), st.integers(-2, 8), st.text(max_size=3)),
                "reviewed_at": _times,
                "replied_at": _times,
                "channel": st.one_of(st.none(), st.text(max_size=8)),
            }
        ),
        max_size=4,
    )
)
def test_any_record_is_scored_or_reported_never_raises(recs: list[dict[str, Any]]) -> None:
    res = score_replies(recs)
    rows = res.to_list()
    s = res.summary
    assert len(rows) == len(recs) == s.read
    assert s.scored + s.failed == s.read
    for r in rows:
        assert (r["error"] is None) == (r["score"] is not None)
        if r["error"] is not None:
            assert r["error"]["reason"]
