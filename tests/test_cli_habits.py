"""#21 linter habits: --select / --ignore / --extend-select with codes and prefixes,
--lang en, --statistics, --output-file, exit codes; rules --family; score/classify --format."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from csstandards.cli import main
from csstandards.config import ConfigOverrides, expand_selectors, resolve
from csstandards.errors import ConfigError
from csstandards.rules import get_registry

# blame-shifting (R103), and a template without the improvement the review asks for
BLAME = "亲,这个不归我们管,是快递的问题。\n"


@pytest.fixture
def tpl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no configuration file above tmp_path
    (tmp_path / ".csstandards.toml").write_text("", "utf-8")
    f = tmp_path / "t.txt"
    f.write_text(BLAME, "utf-8")
    return f


def _codes(capsys: pytest.CaptureFixture[str]) -> set[str]:
    doc = json.loads(capsys.readouterr().out)
    return {f["code"] for f in doc["findings"]}


def test_expand_selectors_codes_ids_prefixes_all() -> None:
    reg = get_registry()
    reply = {r.id for r in reg.all("reply")}
    assert expand_selectors(["R103"]) == {"reply.blame-shifting"}
    assert expand_selectors(["blame-shifting"]) == {"reply.blame-shifting"}
    assert expand_selectors(["reply"]) == reply == expand_selectors(["reply."])
    assert expand_selectors(["r1"]) == {r.id for r in reg.all() if r.code.startswith("R1")}
    assert "lint.unused-suppression" in expand_selectors(["L"])
    assert expand_selectors(["ALL"]) >= reply | {"lint.suppression-without-reason"}
    with pytest.raises(ConfigError, match="'Z9' selects no rule"):
        expand_selectors(["Z9"])


def test_select_replaces_the_file_allow_list_and_ignore_wins() -> None:
    cfg = resolve(None, ConfigOverrides(select=("R10",), ignore=("R103",)))
    std = cfg.standard
    assert std.rule_enabled("reply.dismissive", "R104")
    assert not std.rule_enabled("reply.blame-shifting", "R103")
    assert not std.rule_enabled("reply.missing-improvement", "R116")
    assert not cfg.lint_rule_enabled("lint.unused-suppression")  # not selected


def test_extend_select_adds_and_re_enables() -> None:
    from csstandards.config import config_from_mapping

    file_cfg = config_from_mapping({"enable": ["R104"], "disable": ["R103"]})
    cfg = resolve(file_cfg, ConfigOverrides(extend_select=("R103", "R116")))
    for rid, code in (("reply.dismissive", "R104"), ("reply.blame-shifting", "R103"),
                      ("reply.missing-improvement", "R116")):  # fmt: skip
        assert cfg.standard.rule_enabled(rid, code), code
    assert not cfg.standard.rule_enabled("reply.privacy-leak", "R112")


def test_lint_select_and_ignore_on_the_command_line(
    tpl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", str(tpl), "--format", "json"]) == 1
    assert "R103" in _codes(capsys)
    assert main(["lint", str(tpl), "--format", "json", "--ignore", "R1"]) == 0
    assert not {c for c in _codes(capsys) if c.startswith("R1")}
    assert main(["lint", str(tpl), "--format", "json", "--select", "R103,R116"]) == 1
    assert _codes(capsys) <= {"R103", "R116"}
    assert main(["lint", str(tpl), "--select", "R116", "--extend-select", "R103",
                 "--format", "json"]) == 1  # fmt: skip
    assert "R103" in _codes(capsys)
    assert main(["lint", str(tpl), "--select", "nope"]) == 2
    assert "'nope' selects no rule" in capsys.readouterr().err


def test_lint_lang_en_renders_every_label_in_english(
    tpl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["lint", str(tpl), "--lang", "en"])
    out = capsys.readouterr().out
    template_text = BLAME.strip()
    rest = "\n".join(ln for ln in out.splitlines() if template_text not in ln)
    assert "template: t#1" in out and "clause: 000" in out
    assert not re.search(r"[\u4e00-\u9fff]", rest.replace("不归我们管", "")), rest


def test_lint_statistics_and_output_file(tpl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tpl.parent / "stats.txt"
    assert (
        main(["lint", str(tpl), "--statistics", "--lang", "en", "--output-file", str(report)]) == 1
    )
    assert capsys.readouterr().out == ""
    rows = [ln.split("\t") for ln in report.read_text("utf-8").splitlines()]
    assert ["2", "R103", "blame-shifting"] in [[c.strip() for c in r] for r in rows]
    counts = [int(r[0]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_lint_exit_codes(tpl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tpl.parent / "good.txt"
    good.write_text("感谢您的认可!包装我们会继续用加厚纸箱,期待您再次光临。\n", "utf-8")
    assert main(["lint", str(good), "--select", "R103"]) == 0
    assert main(["lint", str(tpl)]) == 1
    assert main(["lint", str(tpl), "--fail-on", "loud"]) == 2
    assert main(["lint", str(tpl.parent / "missing.txt")]) == 2
    capsys.readouterr()


def test_rules_unknown_family_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--family", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no such rule family" in err and "reply" in err
    assert main(["rules", "--family", "reply", "--format", "json"]) == 0
    assert {r["family"] for r in json.loads(capsys.readouterr().out)} == {"reply"}


def _rows(tmp_path: Path) -> Path:
    src = tmp_path / "in.jsonl"
    row = {"id": "1", "review": "物流太慢了", "reply": BLAME.strip(), "stars": 2}
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", "utf-8")
    return src


def test_score_format_overrides_the_file_name(
    tpl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _rows(tpl.parent)
    assert main(["score", str(src), "--no-classify", "--no-progress", "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert table[0]["id"] == "1" and "reply.blame-shifting" in table[0]["rule_ids"]
    out = tpl.parent / "result.out"
    argv = ["score", str(src), "--no-classify", "--no-progress", "-o", str(out)]
    assert main(argv) == 2  # the name says nothing and no --format
    assert main([*argv, "--format", "jsonl"]) == 0
    assert json.loads(out.read_text("utf-8"))["id"] == "1"
    assert main([*argv, "--format", "jsonl", "--ignore", "R103"]) == 0
    assert "reply.blame-shifting" not in json.loads(out.read_text("utf-8"))["rule_ids"]


def test_classify_takes_format(tpl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _rows(tpl.parent)
    out = tpl.parent / "topics.txt"
    assert main(["classify", str(src), "--no-progress", "-o", str(out), "--format", "csv"]) == 0
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert row["kind"]
