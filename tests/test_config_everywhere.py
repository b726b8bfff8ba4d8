"""#21 one configuration everywhere: Standard(sla=…), public contacts, precedence, origins,
`csstandards config`, and score / classify honouring [tool.csstandards]."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from csstandards.cli import main
from csstandards.config import ConfigOverrides, config_from_mapping, load_config, resolve
from csstandards.config_keys import config_keys, effective_settings
from csstandards.errors import ConfigError
from csstandards.sla import SLAPolicy, policy_from_mapping
from csstandards.standard import Standard
from csstandards.tone import check_reply

CN = timezone(timedelta(hours=8))

# A company policy: negative reviews within 2 hours, every other review within 4 hours.
POLICY = """
[policy]
name = "acme"
version = "7"
calendar = "24x7"

[[metrics.first_response.rules]]
name = "review.negative-2h"
when = { channels = ["review_platform"], ratings = ["negative"] }
target = "2h"

[[metrics.first_response.rules]]
name = "review.other-4h"
when = { channels = ["review_platform"] }
target = "4h"

[metrics.first_response.default]
target = "none"
"""


def _policy() -> SLAPolicy:
    import tomllib

    return policy_from_mapping(tomllib.loads(POLICY), source="test")


REPLY = "非常抱歉,包装磕坏了,已为您补发,明天送达;我们已加固纸箱,后续避免类似情况。"
REVIEW = "包装太简陋,磕坏了"


def test_standard_accepts_an_sla_policy_and_round_trips() -> None:
    std = Standard(sla=_policy())
    assert std.sla is not None and std.sla.label == "acme@7"
    assert Standard.model_validate_json(std.model_dump_json()) == std


def test_check_reply_uses_the_standards_sla_policy() -> None:
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=CN)
    t1 = t0 + timedelta(hours=5)  # within the default 12 h, late for the company's 2 h
    kw = {"review": REVIEW, "rating": "negative", "reviewed_at": t0, "replied_at": t1}
    default = check_reply(REPLY, **kw)  # type: ignore[arg-type]
    company = check_reply(REPLY, standard=Standard(sla=_policy()), **kw)  # type: ignore[arg-type]
    assert "reply.late-reply" not in default.rule_ids
    assert "reply.late-reply" in company.rule_ids


def test_batch_uses_the_standards_sla_policy(tmp_path: Path) -> None:
    from csstandards.batch import score_replies

    row = {
        "id": "1",
        "review": REVIEW,
        "reply": REPLY,
        "stars": 1,
        "reviewed_at": "2026-03-02T09:00:00+08:00",
        "replied_at": "2026-03-02T14:00:00+08:00",
    }
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (default,) = list(score_replies(src, classify=False))
    (company,) = list(score_replies(src, classify=False, standard=Standard(sla=_policy())))
    assert default["sla_target_hours"] == 12 and default["sla_met"] is True
    assert company["sla_target_hours"] == 2 and company["sla_met"] is False


def test_sla_key_reads_a_policy_file_relative_to_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "acme.toml").write_text(POLICY, encoding="utf-8")
    cfg_file = tmp_path / ".csstandards.toml"
    cfg_file.write_text('sla = "policy/acme.toml"\n', encoding="utf-8")
    cfg = load_config(cfg_file)
    assert cfg.standard.sla is not None and cfg.standard.sla.label == "acme@7"
    assert cfg.origins["sla"].endswith("(sla)")


def test_sla_key_errors_name_the_file_and_key(tmp_path: Path) -> None:
    cfg_file = tmp_path / "pyproject.toml"
    cfg_file.write_text('[tool.csstandards]\nsla = "missing.toml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tool\.csstandards\.sla.*not found"):
        load_config(cfg_file)
    with pytest.raises(ConfigError, match="policy file name or a policy table"):
        config_from_mapping({"sla": 3})


def test_sla_key_accepts_an_inline_table() -> None:
    import tomllib

    cfg = config_from_mapping({"sla": tomllib.loads(POLICY)})
    assert cfg.standard.sla == _policy()


# -- the company's public contacts ----------------------------------------------------------

STORE = "门店电话021-64881234,您可直接来电,我们今天为您安排补发。"


@pytest.mark.parametrize(
    ("contacts", "leak"),
    [((), True), (("021-64881234",), False), (("021 6488 1234",), False), (("010-1",), True)],
)
def test_public_contacts_are_not_privacy_leaks(contacts: tuple[str, ...], leak: bool) -> None:
    report = check_reply(STORE, review="没人联系我", standard=Standard(public_contacts=contacts))
    assert ("reply.privacy-leak" in report.rule_ids) is leak


def test_public_contacts_only_exempt_the_listed_contact() -> None:
    std = Standard(public_contacts=("service@acme.cn",))
    ours = check_reply("发票已由 service@acme.cn 发出,请查收。", standard=std)
    theirs = check_reply("发票已发到 zhang.san@example.com,请查收。", standard=std)
    assert "reply.privacy-leak" not in ours.rule_ids
    assert "reply.privacy-leak" in theirs.rule_ids


def test_public_contacts_must_be_a_list() -> None:
    with pytest.raises(ConfigError, match="public_contacts"):
        config_from_mapping({"public_contacts": "400-800-1234"})


# -- precedence and origins -----------------------------------------------------------------


def test_precedence_cli_over_file_over_defaults(tmp_path: Path) -> None:
    f = tmp_path / ".csstandards.toml"
    f.write_text('disable = ["R116"]\nbrand_voice = "warm"\n[reply]\nmin_score = 80\n', "utf-8")
    file_cfg = load_config(f)
    cfg = resolve(file_cfg, ConfigOverrides(brand_voice="professional", enable=("R116",)))
    assert file_cfg.standard.brand_voice == "warm"
    assert cfg.standard.brand_voice == "professional"
    assert cfg.standard.rule_enabled("reply.missing-improvement", "R116")
    assert cfg.standard.reply.min_score == 80
    eff = {e.key: e for e in effective_settings(cfg)}
    assert eff["brand_voice"].value == "professional"
    assert eff["brand_voice"].origin.startswith("command line (--brand-voice) over ")
    assert eff["reply.min_score"].value == 80
    assert eff["reply.min_score"].origin == f"{f} (reply.min_score)"
    assert eff["reply.penalty"].origin == "default"
    assert eff["fail_on"] == eff["fail_on"].model_copy(update={"value": "warning"})
    assert eff["fail_on"].origin == "default"


def test_every_config_key_is_described_by_the_model() -> None:
    keys = {k.key: k for k in config_keys()}
    for name in ("sla", "public_contacts", "suppress", "enable", "reply.min_score"):
        assert name in keys
    for k in keys.values():
        assert k.description and k.description != k.key.split(".")[-1], k.key


def test_config_command_prints_values_and_origins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.csstandards]\ndisable = ["R116"]\npublic_contacts = ["400-800-1234"]\n', "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["config", "--fail-on", "error"]) == 0
    out = capsys.readouterr().out
    lines = {ln.split("=")[0].strip(): ln for ln in out.splitlines() if "=" in ln}
    assert '["R116"]' in lines["disable"] and "(tool.csstandards.disable)" in lines["disable"]
    assert '"error"' in lines["fail_on"] and "command line (--fail-on)" in lines["fail_on"]
    assert lines["name"].endswith("# default")
    assert main(["config", "--format", "json", "--no-config"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["source"] is None
    assert {s["origin"] for s in doc["settings"]} == {"default"}


def test_config_command_rejects_a_bad_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".csstandards.toml").write_text("colour = 1\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["config"]) == 2
    assert "colour" in capsys.readouterr().err


# -- score and classify read the same configuration ------------------------------------------


def _records(tmp_path: Path) -> Path:
    src = tmp_path / "in.jsonl"
    row = {"id": "1", "review": "没人联系我", "reply": STORE, "stars": 2}
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    return src


def test_score_honours_the_project_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _records(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["score", str(src), "--no-classify", "--no-progress"]) in (0, 1)
    before = json.loads(capsys.readouterr().out)
    assert "reply.privacy-leak" in before["rule_ids"]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.csstandards]\ndisable = ["R116"]\npublic_contacts = ["021-64881234"]\n', "utf-8"
    )
    assert main(["score", str(src), "--no-classify", "--no-progress"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert "reply.privacy-leak" not in after["rule_ids"]
    assert "reply.missing-improvement" not in after["rule_ids"]
    # the command line still wins over the file
    assert main(["score", str(src), "--no-classify", "--no-progress", "--no-config"]) in (0, 1)
    assert "reply.privacy-leak" in json.loads(capsys.readouterr().out)["rule_ids"]


def test_classify_reads_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _records(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text("[feedback]\nrating_threshold = 5\n", "utf-8")
    assert main(["classify", str(src), "--no-progress", "--config", str(bad)]) == 2
    assert "rating_threshold" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main(["classify", str(src), "--no-progress"]) == 0


def test_the_keys_table_in_docs_index_is_current() -> None:
    import runpy

    root = Path(__file__).resolve().parent.parent
    mod = runpy.run_path(str(root / "scripts" / "gen_config_doc.py"))
    index = root / "docs" / "index.md"
    text = index.read_text("utf-8")
    assert mod["render"](text) == text, "run python scripts/gen_config_doc.py"
    for k in config_keys():
        assert f"| `{k.key}` |" in text


def test_company_policy_keeps_its_targets_with_extra_holidays() -> None:
    from csstandards.calendar import HolidaySchedule

    notice = HolidaySchedule.from_toml_text(
        'year = 2027\nsource = "example"\n[holidays]\n2027-01-01 = "元旦"\n[workdays]\n'
    )
    std = Standard(sla=_policy(), holidays=(notice,))
    t0 = datetime(2027, 3, 2, 9, 0, tzinfo=CN)
    kw = {"review": REVIEW, "rating": "negative", "reviewed_at": t0}
    late = check_reply(REPLY, standard=std, replied_at=t0 + timedelta(hours=3), **kw)  # type: ignore[arg-type]
    on_time = check_reply(REPLY, standard=std, replied_at=t0 + timedelta(hours=1), **kw)  # type: ignore[arg-type]
    assert "reply.late-reply" in late.rule_ids  # the company's 2 h, not the default 12 h
    assert "reply.late-reply" not in on_time.rule_ids
