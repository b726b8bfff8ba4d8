"""#21 runtime suppression with a reason: check_reply(suppress=…), the configuration's
suppress table, and the record of what was suppressed, why and by which setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csstandards.cli import main
from csstandards.config import config_from_mapping, load_config
from csstandards.errors import ConfigError, InputError
from csstandards.standard import Standard, Suppression
from csstandards.tone import ReplyReport, check_replies, check_reply

REPLY = "感谢您的反馈,我们会努力改进。"
REVIEW = "产品不错,但客服回复慢了半小时"


def _plain() -> ReplyReport:
    return check_reply(REPLY, review=REVIEW, rating="neutral")


def test_runtime_suppression_is_recorded_not_dropped() -> None:
    plain = _plain()
    assert "reply.missing-improvement" in plain.rule_ids
    rep = check_reply(REPLY, review=REVIEW, rating="neutral", suppress={"R116": "weekly digest"})
    assert "reply.missing-improvement" not in rep.rule_ids
    (sf,) = rep.suppressed
    assert sf.finding == plain.by_rule("R116")[0]
    assert sf.reason == "weekly digest"
    assert sf.setting == "check_reply(suppress=…)['R116']"
    assert rep.score > plain.score  # the suppressed finding no longer costs points
    assert "weekly digest" in rep.explain("en") and "已豁免" in rep.explain("zh")
    assert ReplyReport.model_validate_json(rep.model_dump_json()) == rep


@pytest.mark.parametrize("name", ["R116", "reply.missing-improvement", "missing-improvement"])
def test_suppression_accepts_codes_ids_and_short_names(name: str) -> None:
    rep = check_reply(REPLY, review=REVIEW, rating="neutral", suppress={name: "because"})
    assert [s.finding.code for s in rep.suppressed] == ["R116"]


def test_a_suppression_of_a_rule_that_does_not_fire_records_nothing() -> None:
    rep = check_reply(REPLY, review=REVIEW, rating="neutral", suppress={"R112": "no data here"})
    assert rep.suppressed == ()
    assert rep.findings == _plain().findings


@pytest.mark.parametrize(
    ("suppress", "match"),
    [({"R999": "x"}, "unknown rule 'R999'"), ({"R116": "  "}, "needs a reason"),
     ({"R116": None}, "needs a reason"), (["R116"], "mapping")],
)  # fmt: skip
def test_bad_runtime_suppressions_are_input_errors(suppress: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        check_reply(REPLY, suppress=suppress)  # type: ignore[arg-type]


def test_standard_suppression_names_its_setting() -> None:
    std = Standard(name="acme", suppress={"R116": "weekly digest"})
    rep = check_reply(REPLY, review=REVIEW, rating="neutral", standard=std)
    (sf,) = rep.suppressed
    assert sf.setting == "Standard(acme).suppress['R116']"
    with pytest.raises(ValueError, match="reason"):
        Suppression(reason=" ")


def test_runtime_suppression_adds_to_the_standards() -> None:
    std = Standard(suppress={"R101": "house style"})
    rep = check_reply(REPLY, review=REVIEW, rating="neutral", standard=std, suppress={"R116": "x"})
    assert sorted(s.finding.code for s in rep.suppressed) == ["R101", "R116"]


def test_check_replies_takes_suppress() -> None:
    reps = check_replies([(REPLY, REVIEW)], suppress={"R116": "digest"})
    assert [s.finding.code for s in reps[0].suppressed] == ["R116"]


def test_configuration_suppress_table(tmp_path: Path) -> None:
    f = tmp_path / "pyproject.toml"
    f.write_text('[tool.csstandards.suppress]\nR116 = "announced in the digest"\n', "utf-8")
    cfg = load_config(f)
    rep = check_reply(REPLY, review=REVIEW, rating="neutral", standard=cfg.standard)
    (sf,) = rep.suppressed
    assert sf.reason == "announced in the digest"
    assert sf.setting == f"{f} (tool.csstandards.suppress.R116)"


@pytest.mark.parametrize(
    ("table", "match"),
    [({"R116": ""}, "needs a reason"), ({"R999": "x"}, "unknown rule"),
     ({"L001": "x"}, "linter checks"), ("R116", "must be a table")],
)  # fmt: skip
def test_configuration_suppress_errors(table: object, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        config_from_mapping({"suppress": table}, prefix="tool.csstandards.")


def test_lint_reports_configured_suppressions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "t.txt").write_text("亲,这个不归我们管,是快递的问题。\n", "utf-8")
    (tmp_path / ".csstandards.toml").write_text('[suppress]\nR103 = "carrier cases"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "t.txt", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["findings"] == []
    assert {s["code"] for s in doc["suppressed"]} == {"R103"}
    assert all("carrier cases" in s["suppressed"]["reason"] for s in doc["suppressed"])


def test_batch_rows_mark_suppressed_findings(tmp_path: Path) -> None:
    from csstandards.batch import score_replies

    src = tmp_path / "in.jsonl"
    row = {"id": "1", "review": REVIEW, "reply": REPLY, "stars": 3}
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    std = Standard(suppress={"R116": "digest"})
    (out,) = list(score_replies(src, classify=False, standard=std))
    assert "reply.missing-improvement" not in out["rule_ids"]
    assert out["n_findings"] == len(out["rule_ids"])
    (marked,) = [f for f in out["findings"] if "suppressed" in f]
    assert marked["code"] == "R116"
    assert marked["suppressed"] == {
        "reason": "digest",
        "setting": "Standard(default).suppress['R116']",
    }
