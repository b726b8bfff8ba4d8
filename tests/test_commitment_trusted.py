"""C104 / C105 build their findings without validation and render each distinct target once
(issue #17: 16,000 findings of one long commitment text).  The findings must be exactly what
validation would build, one per target, with texts of that very target."""

from __future__ import annotations

from csstandards import check_commitment
from csstandards.models import Finding
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
