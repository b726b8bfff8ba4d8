"""The rule registry, and one generated test per example of every rule."""

from __future__ import annotations

import pytest

from csstandards.errors import RuleNotFound
from csstandards.models import Severity
from csstandards.rules import RuleExample, get_registry, get_rule
from csstandards.rules.base import RuleRegistry, rule
from csstandards.standard import RuleSettings, Standard

REG = get_registry()
EXAMPLES = [
    pytest.param(r, ex, id=f"{r.code}-{r.short_name}-{ex.expect}-{i}")
    for r in REG.all()
    for i, ex in enumerate(r.examples)
]


@pytest.mark.parametrize(("r", "example"), EXAMPLES)
def test_rule_example(r: object, example: RuleExample) -> None:
    from csstandards.rules import Rule

    assert isinstance(r, Rule)
    findings = REG.run_example(r, example)
    if example.expect == "bad":
        assert findings, f"{r.id} should flag: {example.text!r}"
        for f in findings:
            assert f.rule_id == r.id
            for span in f.spans:
                assert 0 <= span.start <= span.end <= len(example.text)
    else:
        assert not findings, f"{r.id} should not flag: {example.text!r} -> {findings}"


def test_every_rule_has_good_and_bad_examples_and_metadata() -> None:
    assert len(REG) >= 4
    for r in REG.all():
        kinds = {ex.expect for ex in r.examples}
        assert kinds == {"good", "bad"}, r.id
        assert r.clause and r.message_zh and r.message_en, r.id
        assert r.family in REG.families


def test_lookup_by_id_code_and_short_name() -> None:
    r = get_rule("reply.blame-shifting")
    assert get_rule("R103") is r and get_rule("blame-shifting") is r
    with pytest.raises(RuleNotFound):
        get_rule("reply.no-such-rule")


def test_duplicate_registration_is_refused() -> None:
    reg = RuleRegistry()

    def check(ctx: object, r: object) -> list[object]:
        return []

    kwargs = dict(
        family="x", name_zh="测", name_en="t", severity=Severity.INFO, clause="000 §1",
        message_zh="测", message_en="t", registry=reg,
    )  # fmt: skip
    rule(id="x.one", code="X001", **kwargs)(check)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="twice"):
        rule(id="x.one", code="X002", **kwargs)(check)  # type: ignore[arg-type]


def test_bad_rule_ids_are_refused() -> None:
    with pytest.raises(ValueError):
        rule(
            id="NoFamily", code="X001", family="x", name_zh="", name_en="", severity=Severity.INFO,
            clause="", message_zh="", message_en="", registry=RuleRegistry(),
        )(lambda c, r: [])  # fmt: skip


def test_standard_disables_and_overrides_severity() -> None:
    r = get_rule("reply.over-promise")
    bad = next(ex for ex in r.examples if ex.expect == "bad")
    assert REG.run_example(r, bad)
    off = Standard(rules=RuleSettings(disabled=frozenset({"over-promise"})))
    assert REG.run_example(r, bad, off) == []
    only_other = Standard(rules=RuleSettings(enabled=frozenset({"R103"})))
    assert REG.run_example(r, bad, only_other) == []
    louder = Standard(rules=RuleSettings(severity={"R110": Severity.ERROR}))
    assert {f.severity for f in REG.run_example(r, bad, louder)} == {Severity.ERROR}


def test_standard_phrases_extend_a_rule_without_touching_package_files() -> None:
    r = get_rule("reply.blame-shifting")
    text = RuleExample(text="这是合作方的锅。", expect="bad")
    assert REG.run_example(r, text) == []
    std = Standard(phrases={"blame_shifting": ("合作方的锅",)})
    found = REG.run_example(r, text, std)
    assert [f.cue for f in found] == ["合作方的锅"]
    assert found[0].spans[0].of(text.text) == "合作方的锅"


def test_standard_validates_rule_names() -> None:
    from csstandards.errors import ConfigError

    std = Standard(rules=RuleSettings(disabled=frozenset({"reply.nope"})))
    with pytest.raises(ConfigError, match=r"reply\.nope"):
        std.validate_rule_names(REG.names)
    Standard(rules=RuleSettings(disabled=frozenset({"R103"}))).validate_rule_names(REG.names)


def test_standard_phrases_must_be_lists() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="list of strings"):
        Standard(phrases={"blame_shifting": "第三方"})  # type: ignore[dict-item]


def test_privacy_checks() -> None:
    from csstandards.rules.reply_phrases import id_checksum_ok, luhn_ok

    assert id_checksum_ok("11010519491231002X")
    assert not id_checksum_ok("110105194912310021")
    assert luhn_ok("6222021234567890128") and not luhn_ok("6222021234567890123")
