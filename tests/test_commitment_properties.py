"""Properties of commitment parsing: it never raises, and canonical renderings round-trip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards.commitment import (
    CommitmentAggregate,
    CommitmentMetric,
    CommitmentScope,
    CommitmentTarget,
    ThresholdUnit,
    check_commitment,
    parse_chinese_number,
    parse_commitment,
)
from csstandards.models import Channel

# Characters that reach every branch of the parser: numerals, units, bounds, cues, breaks.
ALPHABET = list(
    "0123456789.-~%xX零〇一二两三四五六七八九十百千万半点个刻钟秒分小时天日工作声铃响内以之不超过最长平均的"
    "在线咨询电话来电热线邮件表单微信差评回复响应接听解决回访全候×24未能,:;。\n 率低于达到"
)
PHRASES = [
    "工作时间内",
    "全天候",
    "7×24小时",
    "在线咨询",
    "电话",
    "客服热线",
    "电子邮件",
    "差评",
    "平均",
    "最长",
    "不超过",
    "以内",
    "内",
    "声铃响内接听",
    "个工作日",
    "一个半小时",
    "一刻钟",
    "90%的",
    "百分之",
    "未能在",
    "回复",
    "解决",
    "回访",
    "接通率不低于",
]
noisy = st.lists(
    st.one_of(st.sampled_from(PHRASES), st.text(alphabet=ALPHABET, max_size=4)), max_size=25
).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=80), noisy))
def test_parse_never_raises(text: str) -> None:
    targets = parse_commitment(text)
    for t in targets:
        assert t.span is not None and 0 <= t.span.start <= t.span.end <= len(text)
        assert t.value > 0


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=60), noisy))
def test_check_never_crashes(text: str) -> None:
    report = check_commitment(text)
    for f in report.findings:
        for sp in f.spans:
            assert 0 <= sp.start <= sp.end <= len(text)
    assert len(report.coverage.rows) == 8


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万点半", max_size=8))
def test_chinese_numbers_never_raise(text: str) -> None:
    v = parse_chinese_number(text)
    assert v is None or v >= 0


@st.composite
def targets(draw: st.DrawFn) -> CommitmentTarget:
    metric = draw(st.sampled_from(list(CommitmentMetric)))
    units = [u for u in ThresholdUnit if u is not ThresholdUnit.RING]
    if metric is CommitmentMetric.PHONE_ANSWER:
        units.append(ThresholdUnit.RING)
    unit = draw(st.sampled_from(units))
    value = draw(st.integers(1, 1_000_000_000)) / 1000
    low = None
    if draw(st.booleans()) and value > 0.002:
        low = draw(st.integers(1, int(value * 1000) - 1)) / 1000
    aggregate = draw(st.sampled_from(list(CommitmentAggregate)))
    pct = (
        draw(st.integers(1, 100_000)) / 1000
        if aggregate is CommitmentAggregate.PERCENTILE
        else None
    )
    scopes: list[CommitmentScope | None] = [None, *CommitmentScope]
    if unit is ThresholdUnit.WORKING_DAY:
        scopes = [CommitmentScope.WORKING_HOURS]
    return CommitmentTarget(
        metric=metric,
        channel=draw(st.one_of(st.none(), st.sampled_from(list(Channel)))),
        value=min(value, 1_000_000),
        unit=unit,
        low=low,
        aggregate=aggregate,
        percentile=pct,
        scope=draw(st.sampled_from(scopes)),
    )


@settings(max_examples=200, deadline=None)
@given(targets())
def test_render_round_trip(t: CommitmentTarget) -> None:
    text = t.render_zh()
    assert parse_commitment(text) == [t], text
    # and again after a round trip through JSON
    assert CommitmentTarget.model_validate_json(t.model_dump_json()) == t


@settings(max_examples=100, deadline=None)
@given(st.lists(targets(), min_size=1, max_size=4))
def test_documents_of_rendered_targets_round_trip(ts: list[CommitmentTarget]) -> None:
    text = "\n".join(t.render_zh() + "。" for t in ts)
    assert parse_commitment(text) == ts
