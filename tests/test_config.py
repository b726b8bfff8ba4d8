"""csstandards.config: [tool.csstandards] / .csstandards.toml and CLI > file > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from csstandards.config import (
    ConfigOverrides,
    ProjectConfig,
    config_from_mapping,
    find_config,
    load_config,
    load_project_config,
    resolve,
)
from csstandards.errors import ConfigError
from csstandards.models import Severity
from csstandards.testing import check_template

BLAME = "物流属于第三方,我们无法控制。"

PYPROJECT = """
[project]
name = "shop"

[tool.csstandards]
name = "acme"
brand_voice = "professional"
fail_on = "error"
min_score = 60
disable = ["reply.over-promise", "L003"]

[tool.csstandards.severity]
"R103" = "warning"

[tool.csstandards.phrases]
blame_shifting = ["合作方的锅"]
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    cfg = ProjectConfig()
    assert cfg.fail_on is Severity.WARNING
    assert cfg.min_score is None
    assert cfg.standard.rules.disabled == frozenset()
    assert cfg.lint_rule_enabled("lint.unused-suppression")


def test_pyproject_table(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path / "pyproject.toml", PYPROJECT))
    std = cfg.standard
    assert std.name == "acme"
    assert std.brand_voice == "professional"
    assert cfg.fail_on is Severity.ERROR
    assert cfg.min_score == 60
    assert not std.rule_enabled("reply.over-promise", "R110")
    assert std.severity_for("reply.blame-shifting", Severity.ERROR, "R103") is Severity.WARNING
    assert not cfg.lint_rule_enabled("lint.unused-suppression")
    assert cfg.source and cfg.source.endswith("pyproject.toml")
    # the extra phrase takes effect
    found = check_template("这是合作方的锅。", standard=std).findings
    assert any(f.rule_id == "reply.blame-shifting" for f in found)


def test_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path / "pyproject.toml", "[project]\nname='x'\n"))
    assert cfg.standard.rules.disabled == frozenset()


def test_dot_file_top_level_keys(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path / ".csstandards.toml", 'enable = ["R103", "R112"]\n'))
    std = cfg.standard
    assert std.rule_enabled("reply.blame-shifting", "R103")
    assert not std.rule_enabled("reply.over-promise", "R110")
    assert not cfg.lint_rule_enabled("lint.suppression-without-reason")


def test_find_config_prefers_dot_file_and_walks_up(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", PYPROJECT)
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    write(tmp_path / "a" / ".csstandards.toml", 'fail_on = "info"\n')
    assert find_config(sub) == tmp_path / "a" / ".csstandards.toml"
    assert load_project_config(sub).fail_on is Severity.INFO
    # a pyproject.toml without [tool.csstandards] is passed over
    write(sub / "pyproject.toml", "[project]\nname='inner'\n")
    assert find_config(sub) == tmp_path / "a" / ".csstandards.toml"


def test_no_config_anywhere_gives_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(Path, "parents", property(lambda self: ()), raising=False)
    assert load_project_config(empty) == ProjectConfig()


# -- precedence ----------------------------------------------------------------------------


def test_precedence_cli_over_file_over_defaults(tmp_path: Path) -> None:
    file_cfg = load_config(write(tmp_path / "pyproject.toml", PYPROJECT))
    defaults = resolve(None, None)
    assert defaults == ProjectConfig()
    # defaults: R103 is an error, over-promise enabled, fail on warning
    assert defaults.standard.severity_for("reply.blame-shifting", Severity.ERROR, "R103") is (
        Severity.ERROR
    )
    # file over defaults
    merged = resolve(file_cfg, ConfigOverrides())
    assert merged.fail_on is Severity.ERROR
    assert merged.standard.severity_for("reply.blame-shifting", Severity.ERROR, "R103") is (
        Severity.WARNING
    )
    # CLI over file
    cli = ConfigOverrides(
        enable=("reply.over-promise",),
        disable=("reply.privacy-leak",),
        severity={"R103": Severity.INFO},
        brand_voice="warm",
        fail_on=Severity.INFO,
        min_score=90,
    )
    top = resolve(file_cfg, cli)
    std = top.standard
    assert top.fail_on is Severity.INFO
    assert top.min_score == 90
    assert std.brand_voice == "warm"
    assert std.rule_enabled("reply.over-promise", "R110")  # re-enabled over the file
    assert not std.rule_enabled("reply.privacy-leak", "R112")
    assert std.severity_for("reply.blame-shifting", Severity.ERROR, "R103") is Severity.INFO
    assert std.phrases == file_cfg.standard.phrases  # untouched file settings survive
    # enable by code re-enables a rule the file disabled by id
    assert resolve(file_cfg, ConfigOverrides(enable=("R110",))).standard.rule_enabled(
        "reply.over-promise", "R110"
    )
    # the findings follow the resolved settings
    sev = {f.severity for f in check_template(BLAME, standard=std).findings if f.code == "R103"}
    assert sev == {Severity.INFO}


def test_cli_enable_extends_an_allow_list(tmp_path: Path) -> None:
    file_cfg = load_config(write(tmp_path / ".csstandards.toml", 'enable = ["R103"]\n'))
    top = resolve(file_cfg, ConfigOverrides(enable=("R112", "L001")))
    assert top.standard.rule_enabled("reply.privacy-leak", "R112")
    assert top.lint_rule_enabled("lint.suppression-without-reason")
    assert not top.standard.rule_enabled("reply.over-promise", "R110")


def test_lint_rule_settings(tmp_path: Path) -> None:
    cfg = config_from_mapping(
        {"disable": ["lint.unused-suppression"], "severity": {"L001": "warning"}}
    )
    assert not cfg.lint_rule_enabled("lint.unused-suppression")
    assert cfg.lint_severity_for("lint.suppression-without-reason", Severity.ERROR) is (
        Severity.WARNING
    )
    top = resolve(cfg, ConfigOverrides(enable=("L003",), severity={"L001": Severity.INFO}))
    assert top.lint_rule_enabled("lint.unused-suppression")
    assert top.lint_severity_for("L001", Severity.ERROR) is Severity.INFO


# -- errors name the file and the key ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ('colour = "red"', "tool.csstandards.colour", "unknown key"),
        ('disable = ["reply.no-such"]', "tool.csstandards.disable", "unknown rule"),
        ('disable = "R103"', "tool.csstandards.disable", "list of strings"),
        ('enable = ["R9999"]', "tool.csstandards.enable", "unknown rule"),
        ('fail_on = "fatal"', "tool.csstandards.fail_on", "severity"),
        ("min_score = 150", "tool.csstandards.min_score", "0–100"),
        ('brand_voice = "grumpy"', "tool.csstandards.brand_voice", "unknown brand voice"),
        ("[tool.csstandards.severity]\nR103 = 'loud'", "tool.csstandards.severity.R103", "severity"),
        ("[tool.csstandards.severity]\nR999 = 'error'", "tool.csstandards.severity.R999", "unknown"),
        ("[tool.csstandards.phrases]\nblame_shifting = 'x'", "tool.csstandards.phrases.blame_shifting", "list"),
        ("[tool.csstandards.phrases]\nblame_shifting = ['']", "tool.csstandards.phrases.blame_shifting", ""),
        ("[tool.csstandards.reply]\nmin_score = 'high'", "tool.csstandards.reply.min_score", ""),
    ],
)  # fmt: skip
def test_errors_name_file_and_key(tmp_path: Path, body: str, key: str, problem: str) -> None:
    lines = body.split("\n")
    head = "[tool.csstandards]\n" if not lines[0].startswith("[") else ""
    path = write(tmp_path / "pyproject.toml", head + body + "\n")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    err = exc.value
    assert err.source == str(path)
    assert err.key == key
    assert problem in str(err)
    assert str(path) in str(err)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    bad = write(tmp_path / ".csstandards.toml", "fail_on = \n")
    with pytest.raises(ConfigError, match=r"\.csstandards\.toml"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_cli_overrides_are_validated() -> None:
    with pytest.raises(ConfigError, match="--disable"):
        resolve(None, ConfigOverrides(disable=("nope",)))
    with pytest.raises(ConfigError, match="--brand-voice"):
        resolve(None, ConfigOverrides(brand_voice="grumpy"))
