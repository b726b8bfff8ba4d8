"""C104 / C105 build their findings without validation and render each distinct target once
(issue #17: 16,000 findings of one long commitment text).  The findings must be exactly what
validation would build, one per target, with texts of that very target."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from csstandards import check_commitment
from csstandards.commitment import (
    CommitmentAggregate,
    CommitmentMetric,
    CommitmentReport,
    CommitmentScope,
    CommitmentTarget,
    ThresholdUnit,
    _parsed_target,
)
from csstandards.models import Channel, Finding, Span
from csstandards.rules.commitment_rules import _rewrite

TEXT = (
    "在线咨询3分钟内回复。所有咨询5分钟内回复。" * 3
    + "电话3分钟内接听。"
    + "所有咨询3分钟内回复。" * 4
)


def test_trusted_findings_equal_validated_ones_and_share_no_dict() -> None:
    report = check_commitment(TEXT)
    found = [f for f in report.findings if f.code in ("C104", "C105")]
    assert {f.code for f in found} == {"C104", "C105"}
    for f in found:
        again = Finding.model_validate(f.model_dump())
        assert again == f and again.model_dump_json() == f.model_dump_json()
    assert len({id(f.data) for f in found}) == len(found)


def test_memoised_texts_are_those_of_each_target() -> None:
    from csstandards.commitment import CommitmentScope
    from csstandards.models import Channel

    report = check_commitment(TEXT)
    by_span = {t.span: t for t in report.targets}
    for f in report.findings:
        if f.code not in ("C104", "C105"):
            continue
        t = by_span[f.spans[0]]
        fixed = (
            _rewrite(t, channel=Channel.ONLINE_CHAT, span=None)
            if f.code == "C104"
            else _rewrite(t, scope=CommitmentScope.WORKING_HOURS, span=None)
        )
        assert f.cue == t.threshold_zh()
        assert f.data == {"target": t.render_zh(), "rewrite": fixed.render_zh()}
        assert fixed.render_en() in f.suggestion_en


# ------------------------------------------------------------------ targets (issue #17)

_TARGET_TEXTS = [
    TEXT,
    "工作时间内电话3声内接听,在线客服15秒内响应;7×24小时邮件2个工作日内回复。差评12小时内回复。",
    "90%的邮件2个工作日内回复,在线咨询平均30秒内回复,投诉最长不超过2至3个工作日办结。",
    "一个半小时内回电;两到三天内回访;百分之九十五的电话15秒内接听。接通率不低于95%的热线3声内接听。",
    "电子邮件/在线表单1.5-2.25小时内回复,半小时内响应,一刻钟内答复,0.0004至3分钟内回复。",
]


def _kwargs_of(t: Any) -> dict[str, Any]:
    return {name: getattr(t, name) for name in type(t).model_fields}


@given(
    value=st.one_of(st.floats(allow_nan=True), st.sampled_from([0.5, 3.0, 1e6, 1e6 + 1, 2.0004])),
    low=st.one_of(st.none(), st.floats(-1, 10), st.sampled_from([0.0004, 0.0006, 2.9999])),
    pct=st.one_of(st.none(), st.floats(-1, 101), st.sampled_from([100.0004, 100.0, 0.0004])),
    unit=st.sampled_from(list(ThresholdUnit)),
    metric=st.sampled_from(list(CommitmentMetric)),
    aggregate=st.sampled_from(list(CommitmentAggregate)),
    scope=st.sampled_from([None, *CommitmentScope]),
)
@settings(max_examples=400, deadline=None)
def test_parsed_target_is_what_validation_builds(
    value: float,
    low: float | None,
    pct: float | None,
    unit: ThresholdUnit,
    metric: CommitmentMetric,
    aggregate: CommitmentAggregate,
    scope: CommitmentScope | None,
) -> None:
    kw: dict[str, Any] = dict(
        metric=metric, channel=Channel.EMAIL, value=value, low=low, unit=unit,
        aggregate=aggregate, percentile=pct, scope=scope, span=Span(start=0, end=3), text="x",
    )  # fmt: skip
    try:
        want = CommitmentTarget(**kw)
    except ValidationError:
        with pytest.raises(ValidationError):
            _parsed_target(**kw)
        return
    got = _parsed_target(**kw)
    assert got.__dict__ == want.__dict__
    assert got.model_fields_set == want.model_fields_set
    assert got.model_dump_json() == want.model_dump_json()


def test_parsed_targets_equal_validated_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    from csstandards import commitment

    fast = [commitment._scan(t).targets for t in _TARGET_TEXTS]
    monkeypatch.setattr(commitment, "_trusted_target", CommitmentTarget)
    slow = [commitment._scan(t).targets for t in _TARGET_TEXTS]
    assert sum(map(len, fast)) > 20
    for f, s in zip(fast, slow, strict=True):
        assert [(_kwargs_of(a), si, a.model_fields_set) for a, si in f] == [
            (_kwargs_of(b), si, b.model_fields_set) for b, si in s
        ]


def test_report_is_what_validation_builds() -> None:
    report = check_commitment(TEXT)
    again = CommitmentReport.model_validate(report.model_dump())
    assert again == report and again.model_dump_json() == report.model_dump_json()
    assert report.model_fields_set == again.model_fields_set
