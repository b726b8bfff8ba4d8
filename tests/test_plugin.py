"""The pytest plugin (pytest11 entry point ``csstandards``), exercised with pytester."""

from __future__ import annotations

import re
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from csstandards.testing import text_width

pytest_plugins = ["pytester"]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

LIB = """\
rating: negative
templates:
  - name: 补发
    scenarios:
      - {name: 破损, review: 杯子碎了}
      - {name: 少件, review: 少发了一个}
    text: |
      非常抱歉给您添麻烦了,这是我们的疏漏。已为您补发,预计{eta}送达,我们已加强出库复核。
  - name: 推诿
    review: 物流太慢了
    text: |
      亲,物流属于第三方,我们无法控制。
"""

BLAME = "物流属于第三方,我们无法控制。"


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    """Import and initialise csstandards (and jieba) once in this process: pytester's
    in-process runs keep modules that were loaded before them, so each run stays fast."""
    import yaml  # noqa: F401  (libyaml's C parser keeps the classes of the first import)

    import csstandards.cli_lint
    import csstandards.lint
    import csstandards.pytest_plugin  # noqa: F401
    from csstandards.testing import check_template

    check_template(BLAME, review="物流太慢了", rating="negative")


def _installed() -> bool:
    return any(ep.name == "csstandards" for ep in entry_points(group="pytest11"))


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run pytest in-process; load the plugin by module name only if it is not installed."""
    extra = [] if _installed() else ["-p", "csstandards.pytest_plugin"]
    # hypothesis' plugin would be re-imported (and assertion-rewritten) by every in-process run
    quiet = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest"]
    return pytester.runpytest(*extra, *quiet, *args)


def test_entry_point_is_declared() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert data["project"]["entry-points"]["pytest11"] == {
        "csstandards": "csstandards.pytest_plugin"
    }


def test_off_unless_enabled(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", **{"templates/lib": LIB})
    pytester.makepyfile(test_plain="def test_ok():\n    assert True\n")
    result = run(pytester)
    result.assert_outcomes(passed=1)
    assert "lib.yaml" not in result.stdout.str()


def test_templates_collected_one_item_per_template_and_scenario(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", **{"templates/lib": LIB})
    result = run(pytester, "--csstandards-templates", "templates", "-v")
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    assert "templates/lib.yaml::补发[破损] PASSED" in out
    assert "templates/lib.yaml::补发[少件] PASSED" in out
    assert "templates/lib.yaml::推诿[negative] FAILED" in out
    # the failure shows the finding located in the template file, with carets
    result.stdout.fnmatch_lines(
        [
            "*template '推诿' (negative) does not meet the standard*",
            "templates/lib.yaml:12:11: R103 error [[]reply.blame-shifting[]]*",
            "*12 |       亲,物流属于第三方,我们无法控制。",
            "       | " + " " * text_width("      亲,物流") + "^" * 10,
            "*建议:*",
        ]
    )


def test_ini_option_collects_without_arguments(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", **{"templates/lib": LIB})
    pytester.makepyfile(test_plain="def test_ok():\n    assert True\n")
    pytester.makeini("[pytest]\ncsstandards_templates = templates\n")
    run(pytester).assert_outcomes(passed=3, failed=1)
    # with explicit paths only those are collected
    run(pytester, "test_plain.py").assert_outcomes(passed=1)


def test_project_config_applies_to_items_and_fixture(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", **{"templates/lib": LIB})
    pytester.makepyprojecttoml(
        '[tool.csstandards]\ndisable = ["reply.blame-shifting"]\nfail_on = "error"\n'
    )
    pytester.makepyfile(
        test_fixture=f'''
from csstandards.models import Severity

def test_fixture_uses_project_settings(reply_checker):
    assert not reply_checker.standard.rule_enabled("reply.blame-shifting", "R103")
    assert reply_checker.fail_on is Severity.ERROR
    res = reply_checker.check("{BLAME}")
    assert not [f for f in res.findings if f.code == "R103"]

def test_assert_ok_with_project_settings(reply_checker):
    reply_checker.assert_ok("{BLAME}", fail_on="error", rating="negative", allow=["R114"])
'''
    )
    result = run(pytester, "--csstandards-templates", "templates", "-v")
    result.assert_outcomes(passed=4, failed=1)
    # blame-shifting is off; the remaining failure is the missing handling plan (an error)
    out = result.stdout.str()
    assert "R103" not in out
    assert "R114 error [reply.missing-solution]" in out


def test_config_option_overrides_discovery(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml('[tool.csstandards]\ndisable = ["reply.blame-shifting"]\n')
    pytester.makefile(".toml", strict='fail_on = "info"\n')
    pytester.makepyfile(
        test_cfg=f'''
def test_flags(reply_checker):
    reply_checker.assert_flags("{BLAME}", "R103")
'''
    )
    run(pytester).assert_outcomes(failed=1)
    run(pytester, "--csstandards-config", "strict.toml").assert_outcomes(passed=1)


def test_fixture_failure_message_has_carets(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_msg=f'''
def test_bad(reply_checker):
    reply_checker.assert_ok("{BLAME}")
'''
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*R103 reply.blame-shifting*", "*1 | " + BLAME, "*|     ^^^^*"])


def test_suppressions_are_honoured_by_items(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".txt",
        **{
            "templates/q": (
                '# csstandards: disable=R103 reason="客户原话引用"\n'
                "您说“这是供应商的问题”,这个说法不对,我们会负责到底,谢谢您的反馈!\n"
                "---\n"
                "# csstandards: disable=R103\n"
                "这是供应商的问题。\n"
            )
        },
    )
    result = run(pytester, "--csstandards-templates", "templates", "-v")
    out = result.stdout.str()
    assert "q.txt::q#1[default] PASSED" in out
    assert "q.txt::q#2[default] FAILED" in out
    assert "L001" in out and "R103" in out


def test_malformed_template_is_a_collection_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", **{"templates/bad": "templates:\n  - name: x\n    text: [oops\n"})
    result = run(pytester, "--csstandards-templates", "templates")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*csstandards: templates/bad.yaml:*: invalid YAML*"])
    assert "Traceback" not in result.stdout.str()


def test_missing_templates_directory_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--csstandards-templates", "nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no such directory*nowhere*"])


# -- #21 pytest habits ------------------------------------------------------------------------

_FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def _plugin_example() -> dict[str, str]:
    """The files of the plugin section of docs/templates.md, by the path on their first line."""
    text = (ROOT / "docs" / "templates.md").read_text("utf-8")
    section = text.split("## pytest plugin", 1)[1].split("\n## ", 1)[0]
    files = {}
    for lang, body in _FENCE.findall(section):
        first, _, rest = body.partition("\n")
        if lang in ("python", "toml", "yaml") and first.startswith("# ") and "." in first:
            files[first[2:].strip()] = rest
    return files


def test_documented_plugin_example_passes_as_written(pytester: pytest.Pytester) -> None:
    files = _plugin_example()
    assert set(files) == {"test_replies.py", "pyproject.toml", "templates/refund.yaml"}
    for name, body in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    result = run(pytester, "-v", "--strict-markers")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*退款到账说明*退款慢* PASSED*", "*test_refund_reply PASSED*"])
    only = run(pytester, "-m", "csstandards", "--strict-markers")
    only.assert_outcomes(passed=2, deselected=1)


def test_markers_are_registered(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.csstandards: reply-template items*"])


@pytest.mark.parametrize(
    "call",
    [
        f'assert_reply_ok("{BLAME}")',
        'assert_reply_flags("谢谢您的好评!", "R103")',
        f'ReplyChecker().assert_ok("{BLAME}")',
        'ReplyChecker().assert_flags("谢谢您的好评!", "R103")',
    ],
)
def test_assertion_helpers_hide_their_frames(pytester: pytest.Pytester, call: str) -> None:
    pytester.makepyfile(
        test_hide=(
            "from csstandards.testing import ReplyChecker, assert_reply_flags, assert_reply_ok\n"
            f"def test_it():\n    {call}\n"
        )
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "__tracebackhide__" not in out and "def assert_reply" not in out
    assert "testing.py" not in out  # no frame of the helper module
    assert f">       {call}" in out  # the test's own line is the one shown
    if "ok" in call:
        result.stdout.fnmatch_lines(["*R103 reply.blame-shifting*", "*|     ^^^^*"])
    else:
        result.stdout.fnmatch_lines(["*did not flag the reply*"])
