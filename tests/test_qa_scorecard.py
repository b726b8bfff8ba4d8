"""Scorecards: weights, deductions, caps, fatal items, pass mark, overrides, groups, hash."""

from __future__ import annotations

import pytest

from csstandards.errors import ConfigError
from csstandards.models import Severity
from csstandards.qa import Scorecard, ScoredFinding, default_scorecard, load_scorecard
from csstandards.qa.check import chat_turn_rules
from csstandards.rules import get_registry

CARD = """
name = "test"
version = "7"
pass_mark = 80

[[sections]]
id = "attitude"
name = "服务态度"

[[sections.items]]
id = "blame"
name = "推诿"
rules = ["reply.blame-shifting"]
deduct = 15

[[sections.items]]
id = "jargon"
name = "术语"
rules = ["R108"]
deduct = 4
max = 8

[[sections.items]]
id = "privacy"
name = "隐私"
rules = ["privacy-leak"]
fatal = true

[[sections]]
id = "flow"
name = "流程"

[[sections.items]]
id = "closing"
name = "结束邀请"
rules = ["W109"]
weight = 10

[[sections.items]]
id = "warnings-only"
name = "只计警告以上"
rules = ["reply.vague-commitment"]
deduct = 6
min_severity = "warning"
"""


def f(rule: str, severity: Severity | None = None, turn: int | None = 1) -> ScoredFinding:
    r = get_registry().get(rule)
    return ScoredFinding(
        rule_id=r.id, code=r.code, severity=severity or r.default_severity, turn=turn
    )


@pytest.fixture
def card() -> Scorecard:
    return Scorecard.from_toml(CARD, source="test.toml")


def test_no_findings_scores_the_base(card: Scorecard) -> None:
    res = card.score([])
    assert res.score == 100 and res.passed and not res.fatal_items
    assert res.scorecard == "test" and res.scorecard_version == "7"
    assert res.scorecard_hash == card.hash and res.rules_version


def test_deduction_per_finding(card: Scorecard) -> None:
    res = card.score([f("R103"), f("R103", turn=3)])
    assert res.score == 70
    blame = res.item("attitude.blame")
    assert blame.deduction == 30 and blame.hit and len(blame.findings) == 2
    assert [x.turn for x in blame.findings] == [1, 3]


def test_max_caps_an_item(card: Scorecard) -> None:
    res = card.score([f("R108")] * 3)
    assert res.item("jargon").deduction == 8 and res.score == 92


def test_weight_is_lost_once_whatever_the_count(card: Scorecard) -> None:
    one = card.score([f("W109", turn=None)])
    three = card.score([f("W109", turn=None)] * 3)
    assert one.item("closing").deduction == three.item("closing").deduction == 10
    assert one.score == three.score == 90


def test_fatal_item_fails_the_conversation(card: Scorecard) -> None:
    res = card.score([f("R112")])
    assert res.fatal_items == ("attitude.privacy",)
    assert res.score == 0 and res.raw_score == 100 and not res.passed


def test_pass_mark_boundary(card: Scorecard) -> None:
    assert card.score([f("R103")]).passed  # 85
    at_mark = card.score([f("R108"), f("R108"), f("W109", turn=None), f("R108")])
    assert at_mark.score == 82 and at_mark.passed
    below = card.score([f("R103"), f("R108"), f("R108")])
    assert below.score == 77 and not below.passed


def test_min_severity_counts_only_serious_findings(card: Scorecard) -> None:
    assert card.score([f("R109", Severity.INFO)]).score == 100
    assert card.score([f("R109", Severity.WARNING)]).score == 94


def test_findings_of_rules_without_an_item_are_listed_not_scored(card: Scorecard) -> None:
    res = card.score([f("R104")])
    assert res.score == 100 and res.unscored == ("reply.defensive",)


def test_overrides_change_severity_or_switch_off(card: Scorecard) -> None:
    from csstandards.models import Finding

    on = Scorecard.from_toml(CARD + '\n[overrides]\n"reply.jargon" = "ERROR"\nR103 = "off"\n')
    jargon = Finding(
        rule_id="reply.jargon", code="R108", severity=Severity.WARNING, message_zh="", message_en=""
    )
    blame = jargon.model_copy(update={"rule_id": "reply.blame-shifting", "code": "R103"})
    assert on.severity_for(jargon) is Severity.ERROR
    assert on.severity_for(blame) is None
    assert card.severity_for(jargon) is Severity.WARNING
    with pytest.raises(ConfigError, match="overrides"):
        Scorecard.from_toml(CARD + '\n[overrides]\n"reply.nope" = "info"\n')
    with pytest.raises(ConfigError):
        Scorecard.from_toml(CARD + '\n[overrides]\n"R108" = "fatal"\n')


def test_hash_is_stable_and_changes_with_any_content(card: Scorecard) -> None:
    again = Scorecard.from_toml(CARD)
    assert again.hash == card.hash and len(card.hash) == 16
    for old, new in [
        ("deduct = 15", "deduct = 16"),
        ("pass_mark = 80", "pass_mark = 81"),
        ('version = "7"', 'version = "8"'),
        ("fatal = true", "fatal = true\nmin_severity = 'error'"),
    ]:
        assert Scorecard.from_toml(CARD.replace(old, new)).hash != card.hash, old
    res = Scorecard.from_toml(CARD.replace("deduct = 15", "deduct = 16")).score([])
    assert res.scorecard_hash != card.score([]).scorecard_hash


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("deduct = 15", "deduct = 15\nweight = 5"), "either deduct"),
        (("deduct = 15", ""), "either deduct"),
        (('rules = ["R108"]', 'rules = ["R999"]'), "no rule 'R999'"),
        (('rules = ["W109"]', 'rules = ["R103"]'), "already counted"),
        (("pass_mark = 80", "pass_mark = 120"), "above the base"),
        (('rules = ["W109"]', 'rules = ["kind:reply"]'), "unknown group"),
        (("weight = 10", "weight = 10\nmax = 3"), "max caps"),
    ],
)
def test_bad_scorecards_are_config_errors(change: tuple[str, str], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        Scorecard.from_toml(CARD.replace(*change), source="bad.toml")


def test_invalid_toml_and_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="invalid TOML"):
        Scorecard.from_toml("name = ", source="x.toml")
    with pytest.raises(ConfigError, match="no such scorecard"):
        load_scorecard(tmp_path / "nope.toml")
    p = tmp_path / "qa.toml"
    p.write_text(CARD, encoding="utf-8")
    assert load_scorecard(p) == Scorecard.from_toml(CARD)


def test_groups_take_the_rules_nobody_names() -> None:
    text = CARD + (
        '\n[[sections]]\nid = "rest"\nname = "其他"\n\n[[sections.items]]\nid = "chat"\n'
        'name = "对话规则"\nrules = ["applies:chat-turn"]\ndeduct = 1\n'
        '\n[[sections.items]]\nid = "flow"\nname = "流程规则"\nrules = ["family:consultation"]\n'
        "deduct = 2\n"
    )
    sc = Scorecard.from_toml(text)
    plan = sc.plan()
    assert plan["reply.blame-shifting"] == "attitude.blame"  # named explicitly
    assert plan["reply.defensive"] == "rest.chat"
    assert plan["consult.missing-closing-invitation"] == "flow.closing"
    assert plan["consult.slow-first-response"] == "rest.flow"
    assert sc.score([f("R104")]).score == 99


def test_default_scorecard_covers_the_chat_and_consultation_rules() -> None:
    sc = default_scorecard()
    plan = sc.plan()
    wanted = {r.id for r in chat_turn_rules()} | {r.id for r in get_registry().all("consultation")}
    assert wanted <= plan.keys()
    assert [s.name for s in sc.sections] == ["服务态度", "业务规范", "解决能力"]
    fatal = [it.id for _, it in sc.items() if it.fatal]
    assert fatal == ["privacy"]
    assert load_scorecard(None) is sc
    assert Scorecard.model_validate_json(sc.model_dump_json()) == sc
