"""csstandards lint: template files, suppressions, output formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards.cli import main
from csstandards.config import ConfigOverrides, ProjectConfig, resolve
from csstandards.errors import TemplateFileError
from csstandards.lint import (
    LintReport,
    format_github,
    format_json,
    format_sarif,
    format_text,
    lint_paths,
    load_template_file,
    load_templates,
)
from csstandards.models import Rating, Severity

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "templates"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))

YAML_LIB = """\
name: 售后话术
brand_voice: warm
templates:
  - name: 物流延迟
    rating: negative
    review: 等了一周还没到
    samples: {eta: 明天18点前}
    text: |
      非常抱歉让您久等了。
      物流属于第三方,我们无法控制,预计${eta}送达。
  - name: 电话
    stars: 2
    text: "请拨打13812345678联系我们"
    suppress:
      - rule: reply.privacy-leak
        reason: 这是官方客服电话
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pos_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def only(report: LintReport, code: str) -> list:  # type: ignore[type-arg]
    return [f for f in report.active if f.finding.code == code]


# -- loading and positions -----------------------------------------------------------------


def test_yaml_library_positions_map_into_the_file(tmp_path: Path) -> None:
    f = write(tmp_path / "lib.yaml", YAML_LIB)
    t1, t2 = load_template_file(f)
    assert t1.name == "物流延迟" and t1.brand_voice == "warm"
    assert t1.scenarios[0].rating is Rating.NEGATIVE
    assert t1.scenarios[0].samples == {"eta": "明天18点前"}
    assert t2.scenarios[0].rating is Rating.NEGATIVE  # 2 stars
    assert t1.text == "非常抱歉让您久等了。\n物流属于第三方,我们无法控制,预计${eta}送达。\n"
    for i, ch in enumerate(t1.text):
        if ch != "\n":
            line, col = t1.position(i)
            assert YAML_LIB.split("\n")[line - 1][col - 1] == ch
    report = lint_paths([f], base=tmp_path)
    (blame, *_) = only(report, "R103")
    assert (blame.line, blame.col) == pos_of(YAML_LIB, "属于第三方")
    assert blame.end_col - blame.col == len("属于第三方")
    assert [lf.finding.code for lf in report.suppressed] == ["R112"]


def test_json_positions_handle_escapes(tmp_path: Path) -> None:
    src = (
        '{"templates": [\n'
        '  {"name": "j", "rating": "negative",\n'
        '   "text": "\\u4eb2\\n\\u7269\\u6d41\\u5c5e\\u4e8e第三方,😀我们无法控制。"}\n'
        "]}\n"
    )
    f = write(tmp_path / "lib.json", src)
    (t,) = load_template_file(f)
    assert t.text == "亲\n物流属于第三方,😀我们无法控制。"
    line, col = t.position(t.text.index("第三方"))
    assert src.split("\n")[line - 1][col - 1 : col + 2] == "第三方"
    line, col = t.position(t.text.index("属"))
    assert src.split("\n")[line - 1][col - 1 : col + 5] == "\\u5c5e"
    report = lint_paths([f], base=tmp_path)
    assert {lf.line for lf in only(report, "R103")} == {3}


def test_markdown_sections_fences_quotes_and_defaults(tmp_path: Path) -> None:
    src = (
        "# 话术库\n"
        "<!-- csstandards: rating=negative brand_voice=professional -->\n"
        "\n"
        "## 物流\n"
        '<!-- csstandards: scenario=物流 review="太慢了" sample.eta=明天 -->\n'
        "<!-- a plain comment -->\n"
        "> 非常抱歉,物流属于第三方。\n"
        "\n"
        "## 好评\n"
        "<!-- csstandards: rating=positive,neutral -->\n"
        "说明文字不算模板。\n"
        "```\n"
        "感谢{{name}}的好评!\n"
        "```\n"
    )
    f = write(tmp_path / "lib.md", src)
    t1, t2 = load_template_file(f)
    assert (t1.name, t1.text, t1.brand_voice) == (
        "物流",
        "非常抱歉,物流属于第三方。",
        "professional",
    )
    assert t1.scenarios[0].name == "物流" and t1.scenarios[0].review == "太慢了"
    assert t1.position(0) == (7, 3)  # after the "> " quote marker
    assert t2.text == "感谢{{name}}的好评!"
    assert [s.rating for s in t2.scenarios] == [Rating.POSITIVE, Rating.NEUTRAL]
    assert [s.name for s in t2.scenarios] == ["positive", "neutral"]
    report = lint_paths([f], base=tmp_path)
    (blame,) = {(lf.line, lf.col) for lf in only(report, "R103")}
    assert blame == pos_of(src, "属于第三方")


def test_txt_blocks_directives_and_comments(tmp_path: Path) -> None:
    src = (
        "# a comment\n"
        '# csstandards: name=退款 rating=差评 review="退款没到"\n'
        "退款已处理。\n"
        "这是供应商的问题。\n"
        "---\n"
        "\n"
        "谢谢亲的好评,欢迎再来!\n"
    )
    f = write(tmp_path / "quick.txt", src)
    t1, t2 = load_template_file(f)
    assert t1.name == "退款" and t1.text == "退款已处理。\n这是供应商的问题。"
    assert t1.scenarios[0].rating is Rating.NEGATIVE
    assert t2.name == "quick#2" and t2.scenarios[0].rating is None
    assert t2.position(0) == (7, 1)
    report = lint_paths([f], base=tmp_path)
    (blame,) = only(report, "R103")
    assert (blame.line, blame.col) == pos_of(src, "供应商的问题")


def test_multi_scenario_findings_are_merged(tmp_path: Path) -> None:
    src = (
        "templates:\n"
        "  - name: x\n"
        "    scenarios:\n"
        "      - {name: 差评, rating: negative, review: 太慢}\n"
        "      - {name: 中评, stars: 3}\n"
        "    text: 物流属于第三方。\n"
    )
    report = lint_paths([write(tmp_path / "s.yml", src)], base=tmp_path)
    (blame,) = only(report, "R103")
    assert blame.scenarios == ("差评", "中评")


def test_load_templates_from_a_directory() -> None:
    names = {t.name for t in load_templates([EXAMPLES / "good"])}
    assert {"物流延迟致歉", "尺码偏小", "礼盒包装好评", "退款到账说明"} <= names


# -- malformed files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body", "line", "problem"),
    [
        ("a.yaml", "templates:\n  - name: x\n    text: [oops\n", 4, "invalid YAML"),
        ("b.yaml", "templates:\n  - name: x\n    colour: red\n    text: hi\n", 3, "unknown key 'colour'"),
        ("c.yaml", "templates:\n  - name: x\n", 2, "needs a 'text'"),
        ("d.yaml", "templates:\n  - name: x\n    rating: great\n    text: hi\n", 2, "rating must be"),
        ("e.yaml", "templates: 3\n", 1, "must be a list"),
        ("f.yaml", "- text: a\n- text: b\n  samples: {eta: 5}\n", 2, "samples"),
        ("g.json", '{"templates": [\n  {"text": "x",}\n]}', 2, "invalid JSON"),
        ("h.json", '{"templates": [{"name": "n", "text": "   "}]}', 1, "no text"),
        ("i.md", "## t\n```\nabc\n", 2, "unclosed"),
        ("j.md", "just prose, no heading\n", 1, "no templates"),
        ("k.md", '<!-- csstandards: disable=R103 reason="x" -->\n## t\nhi\n', 1, "inside a template"),
        ("l.txt", "# csstandards: rating=negative\n", 1, "without template text"),
        ("m.txt", '# csstandards: name="unclosed\nhi\n', 1, "bad csstandards directive"),
        ("n.txt", "# csstandards: colour=red\nhi\n", 1, "unknown key 'colour'"),
        ("o.txt", "# csstandards: rating\nhi\n", 1, "expected key=value"),
        ("p.yaml", "templates:\n  - text: hi\n    suppress: [{reason: x}]\n", 3, "needs disable"),
    ],
)  # fmt: skip
def test_malformed_file_is_an_error_naming_file_and_line(
    tmp_path: Path, name: str, body: str, line: int, problem: str
) -> None:
    f = write(tmp_path / name, body)
    with pytest.raises(TemplateFileError) as exc:
        load_template_file(f, display=name)
    err = exc.value
    assert (err.file, err.line) == (name, line)
    assert problem in str(err)
    assert str(err).startswith(f"{name}:{line}: ")
    # lint collects it instead of crashing, and goes on with the other files
    good = write(tmp_path / "ok" / "fine.txt", "谢谢亲的好评!")
    report = lint_paths([f, good], base=tmp_path)
    assert [e.file for e in report.errors] == [name]
    assert report.templates == 1
    assert report.exit_code(Severity.ERROR) == 2


def test_unreadable_inputs(tmp_path: Path) -> None:
    bad = tmp_path / "x.txt"
    bad.write_bytes("好".encode() + b"\n\xff\xfe")
    with pytest.raises(TemplateFileError, match="UTF-8") as exc:
        load_template_file(bad)
    assert exc.value.line == 2
    with pytest.raises(TemplateFileError, match="unsupported"):
        load_template_file(write(tmp_path / "x.csv", "a"))
    report = lint_paths([tmp_path / "missing"], base=tmp_path)
    assert "no such file" in str(report.errors[0])


# -- suppressions --------------------------------------------------------------------------


SUPPRESS = {
    "s.yaml": (
        "templates:\n  - name: t\n    text: 这是供应商的问题。\n"
        "    suppress: [{rule: R103, reason: 引用客户原话}]\n"
    ),
    "s.json": (
        '{"templates": [{"name": "t", "text": "这是供应商的问题。",'
        ' "csstandards": "disable=reply.blame-shifting reason=\\"引用客户原话\\""}]}'
    ),
    "s.md": '## t\n<!-- csstandards: disable=blame-shifting reason="引用客户原话" -->\n这是供应商的问题。\n',
    "s.txt": '# csstandards: disable=R103 reason="引用客户原话"\n这是供应商的问题。\n',
}


@pytest.mark.parametrize("name", SUPPRESS)
def test_suppression_with_reason(tmp_path: Path, name: str) -> None:
    f = write(tmp_path / name, SUPPRESS[name])
    report = lint_paths([f], base=tmp_path)
    assert not only(report, "R103")
    (sup,) = [lf for lf in report.suppressed if lf.finding.code == "R103"]
    assert sup.suppressed_by is not None and sup.suppressed_by.reason == "引用客户原话"
    # the suppression covers this template only
    other = name.replace("s.", "o.")
    body = (
        SUPPRESS[name].replace('reason="引用客户原话"', "").replace('reason=\\"引用客户原话\\"', "")
    )
    if name == "s.yaml":
        body = body.replace(", reason: 引用客户原话", "")
    g = write(tmp_path / "o" / other, body)
    report2 = lint_paths([g], base=tmp_path)
    assert only(report2, "R103"), "a suppression without a reason must not take effect"
    (l001,) = only(report2, "L001")
    assert l001.finding.severity is Severity.ERROR
    assert report2.exit_code(Severity.ERROR) == 1


def test_unknown_and_unused_suppressions(tmp_path: Path) -> None:
    src = (
        "templates:\n"
        "  - name: t\n"
        "    text: 谢谢亲的好评,很高兴您喜欢这款杯子的颜色,期待下次再来!\n"
        "    rating: positive\n"
        "    review: 杯子颜色很好看\n"
        "    suppress:\n"
        "      - {rule: reply.nope, reason: typo}\n"
        "      - {rule: R103, reason: 以防万一}\n"
    )
    report = lint_paths([write(tmp_path / "u.yaml", src)], base=tmp_path)
    (l002,) = only(report, "L002")
    assert "reply.nope" in l002.finding.message_en and l002.line == 7
    (l003,) = only(report, "L003")
    assert l003.finding.severity is Severity.INFO and l003.line == 8
    assert report.exit_code(Severity.WARNING) == 1  # L002 is a warning
    quiet = resolve(ProjectConfig(), ConfigOverrides(disable=("L002",)))
    assert lint_paths([tmp_path / "u.yaml"], quiet, base=tmp_path).exit_code(Severity.WARNING) == 0


def test_min_score_is_reported(tmp_path: Path) -> None:
    f = write(tmp_path / "m.txt", '# csstandards: rating=negative review="太慢"\n已收到。\n')
    cfg = resolve(ProjectConfig(), ConfigOverrides(min_score=90))
    (l004,) = only(lint_paths([f], cfg, base=tmp_path), "L004")
    assert "below min_score 90" in l004.finding.message_en
    assert not only(lint_paths([f], base=tmp_path), "L004")


# -- output formats ------------------------------------------------------------------------


@pytest.fixture
def report(tmp_path: Path) -> LintReport:
    write(tmp_path / "lib.yaml", YAML_LIB)
    write(tmp_path / "目录 a,b" / "x:y.txt", "# csstandards: rating=negative\n这是供应商的问题。\n")
    write(tmp_path / "broken.json", '{"templates": [}')
    return lint_paths([tmp_path], base=tmp_path)


def test_text_format_has_locations_and_carets(report: LintReport) -> None:
    out = format_text(report)
    assert "lib.yaml:10:9: R103 error [reply.blame-shifting]" in out
    lines = out.splitlines()
    head = lines.index(next(ln for ln in lines if ln.startswith("lib.yaml:10:9: R103")))
    i = lines.index("    10 |       物流属于第三方,我们无法控制,预计${eta}送达。", head)
    assert lines[i + 1] == "       |           " + "^" * 10
    assert "clause 依据: 000 §2.2" in out and "建议:" in out and "suggestion:" in out
    assert "1 suppressed" in out and "1 file error(s)" in out
    assert "建议" not in format_text(report, lang="en")


def test_json_format(report: LintReport) -> None:
    data = json.loads(format_json(report))
    blame = [f for f in data["findings"] if f["code"] == "R103" and f["file"] == "lib.yaml"]
    assert blame[0]["line"] == 10 and blame[0]["column"] == 9
    assert blame[0]["excerpt"] == ["属于第三方"]
    assert data["suppressed"][0]["suppressed"]["reason"] == "这是官方客服电话"
    assert data["errors"][0]["file"] == "broken.json" and data["errors"][0]["line"] == 1
    assert data["summary"]["error"] == sum(1 for f in data["findings"] if f["severity"] == "error")


def test_sarif_validates_against_the_official_schema(report: LintReport) -> None:
    assert SCHEMA["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    log = json.loads(format_sarif(report))
    jsonschema.Draft4Validator(
        SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    ).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    blame = next(
        r for r in run["results"]
        if r["ruleId"] == "reply.blame-shifting"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "lib.yaml"
    )  # fmt: skip
    region = blame["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (10, 9, 14)
    assert region["snippet"]["text"] == "属于第三方"
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert "%E7%9B%AE%E5%BD%95%20a%2Cb/x%3Ay.txt" in uris
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert suppressed[0]["suppressions"][0]["justification"] == "这是官方客服电话"
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert "broken.json" in json.dumps(inv["toolExecutionNotifications"])


def test_sarif_of_a_clean_run_validates(tmp_path: Path) -> None:
    log = json.loads(format_sarif(lint_paths([EXAMPLES / "good"], base=ROOT)))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert [r for r in log["runs"][0]["results"] if "suppressions" not in r] == []


def test_github_annotations(report: LintReport) -> None:
    out = format_github(report).splitlines()
    blame = next(ln for ln in out if "lib.yaml" in ln and "R103" in ln)
    assert blame.startswith("::error file=lib.yaml,line=10,col=9,endLine=10,endColumn=14,")
    assert "title=R103 reply.blame-shifting::" in blame
    assert "%0A建议:" in blame and "\n" not in blame
    odd = next(ln for ln in out if "x%3Ay.txt" in ln)
    assert "file=目录 a%2Cb/x%3Ay.txt," in odd
    assert any(ln.startswith("::error file=broken.json,line=1::invalid JSON") for ln in out)
    assert not any("R112" in ln for ln in out)  # suppressed findings are not annotated


# -- the command line ----------------------------------------------------------------------


def test_cli_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["lint", str(EXAMPLES / "good")]) == 0
    assert "0 finding(s)" in capsys.readouterr().out
    assert main(["lint", str(EXAMPLES / "bad")]) == 1
    write(tmp_path / "broken.yaml", "templates: [\n")
    assert main(["lint", "broken.yaml"]) == 2
    assert "broken.yaml:" in capsys.readouterr().err
    assert main(["lint", "missing-dir"]) == 2
    assert main(["lint", str(EXAMPLES / "good"), "--severity", "R103"]) == 2
    assert main(["lint", str(EXAMPLES / "good"), "--fail-on", "fatal"]) == 2
    assert main(["lint", str(EXAMPLES / "good"), "--disable", "no-such-rule"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["lint"])
    assert exc.value.code == 2


def test_cli_precedence_cli_over_file_over_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "t.txt",
        '# csstandards: rating=positive review="杯子好看"\n谢谢亲的好评!很高兴您喜欢杯子的颜色,我们保证永远不会让您失望,期待下次再来!\n',
    )
    # defaults: over-promise is a warning and warnings fail
    assert main(["lint", "t.txt", "--format", "json"]) == 1
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert codes == {"R110"}
    # file over defaults: the configuration fails only on errors
    write(tmp_path / "pyproject.toml", '[tool.csstandards]\nfail_on = "error"\n')
    assert main(["lint", "t.txt"]) == 0
    # CLI over file
    assert main(["lint", "t.txt", "--fail-on", "warning"]) == 1
    assert main(["lint", "t.txt", "--severity", "reply.over-promise=error"]) == 1
    assert main(["lint", "t.txt", "--no-config"]) == 1
    write(tmp_path / "strict.toml", 'disable = ["R110"]\n')
    assert main(["lint", "t.txt", "--config", "strict.toml", "--fail-on", "info"]) == 0
    assert main(["lint", "t.txt", "--config", "strict.toml", "--enable", "R110"]) == 1
    assert main(["lint", "t.txt", "--config", "strict.toml", "--no-config"]) == 2
    capsys.readouterr()


def test_cli_output_file_and_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "t.txt", "这是供应商的问题。\n")
    assert main(["lint", "t.txt", "--format", "sarif", "-o", "out.sarif"]) == 1
    jsonschema.Draft4Validator(SCHEMA).validate(
        json.loads((tmp_path / "out.sarif").read_text("utf-8"))
    )
    assert main(["lint", "t.txt", "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::error file=t.txt,line=1,col=3,")


def test_examples_every_bad_template_is_flagged_and_good_ones_are_clean() -> None:
    good = lint_paths([EXAMPLES / "good"], base=ROOT)
    assert good.errors == [] and good.active == [] and good.templates >= 8
    assert len(good.suppressed) == 1  # the store hotline, with its reason
    bad = lint_paths([EXAMPLES / "bad"], base=ROOT)
    assert bad.errors == []
    flagged = {lf.template.name for lf in bad.active if lf.severity.at_least(Severity.WARNING)}
    assert flagged == {t.name for t in load_templates([EXAMPLES / "bad"])}
    ratings = {s.rating for t in load_templates([EXAMPLES]) for s in t.scenarios}
    assert ratings == {Rating.POSITIVE, Rating.NEUTRAL, Rating.NEGATIVE}
    suffixes = {p.suffix for p in EXAMPLES.rglob("*.*")}
    assert {".txt", ".md", ".yaml", ".json"} <= suffixes


# -- positions are robust for any text and any YAML/JSON style -----------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list("亲物流第三方您好ab c:#-'\"\\\n\t{}【】😀,。!")),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip())


@settings(max_examples=120, deadline=None)
@given(text=_TEXT, style=st.sampled_from([None, "'", '"', "|", ">"]), ascii_json=st.booleans())
def test_positions_point_into_the_file_for_any_text(
    tmp_path_factory: pytest.TempPathFactory, text: str, style: str | None, ascii_json: bool
) -> None:
    import yaml

    d = tmp_path_factory.mktemp("p")
    ydoc = yaml.safe_dump({"templates": [{"name": "t", "text": text}]}, allow_unicode=True,
                          default_style=style)  # fmt: skip
    jdoc = json.dumps({"templates": [{"name": "t", "text": text}]}, ensure_ascii=ascii_json)
    for name, src in (("t.yaml", ydoc), ("t.json", jdoc)):
        (t,) = load_template_file(write(d / name, src))
        assert t.text == text
        lines = src.split("\n")
        assert len(t.positions) == len(text) + 1
        for line, col in t.positions:
            assert 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1
        if name == "t.json" and not ascii_json:
            for i, ch in enumerate(text):
                if ch not in '\n\t"\\':
                    line, col = t.position(i)
                    assert lines[line - 1][col - 1] == ch


def test_unknown_template_brand_voice_is_an_input_error(tmp_path: Path) -> None:
    src = "templates:\n  - name: t\n    brand_voice: grumpy\n    text: 谢谢亲的好评!\n"
    report = lint_paths([write(tmp_path / "v.yaml", src)], base=tmp_path)
    (err,) = report.errors
    assert (err.file, err.line) == ("v.yaml", 4)
    assert "unknown brand voice" in str(err) and "grumpy" in str(err)
    assert report.exit_code(Severity.ERROR) == 2
