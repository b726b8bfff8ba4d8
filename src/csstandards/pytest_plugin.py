"""pytest plugin ``csstandards`` (registered through the ``pytest11`` entry point).

It stays out of the way until asked:

* the ``reply_checker`` fixture gives a :class:`~csstandards.testing.ReplyChecker` configured
  from the project's ``[tool.csstandards]`` / ``.csstandards.toml`` (or ``--csstandards-config``);
* ``--csstandards-templates DIR`` (repeatable) or the ini option ``csstandards_templates``
  collects every template file under ``DIR`` as test items, one per template and scenario
  (``templates/negative.yaml::物流延迟[negative]``).  A failing item prints each finding with
  carets under the offending text in the template file.

Nothing from csstandards is imported at pytest start-up unless one of these is used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .config import ProjectConfig
    from .lint import LintFinding, Scenario, Template
    from .testing import ReplyChecker

_SUFFIXES = (".txt", ".md", ".yaml", ".yml", ".json")
_CONFIG_KEY = pytest.StashKey["ProjectConfig"]()
_DIRS_KEY = pytest.StashKey[list[Path]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("csstandards", "reply-template checks (csstandards 话术检查)")
    group.addoption(
        "--csstandards-templates",
        action="append",
        default=[],
        metavar="DIR",
        help="collect reply-template files under DIR as test items (repeatable)",
    )
    group.addoption(
        "--csstandards-config",
        default=None,
        metavar="FILE",
        help="csstandards configuration (default: .csstandards.toml or pyproject.toml "
        "[tool.csstandards] found from the rootdir)",
    )
    parser.addini(
        "csstandards_templates",
        type="paths",
        default=[],
        help="reply-template directories collected as test items (csstandards)",
    )


#: markers this plugin puts on items (registered, so ``--strict-markers`` accepts them)
MARKERS = {
    "csstandards": "reply-template items collected by csstandards (select: -m csstandards)",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, doc in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {doc}")
    cli = [Path(d).resolve() for d in config.getoption("csstandards_templates") or []]
    ini = [Path(p).resolve() for p in config.getini("csstandards_templates") or []]
    dirs = cli + [d for d in ini if d not in cli]
    config.stash[_DIRS_KEY] = dirs
    if not dirs:
        return
    for d in cli:
        if not d.exists():
            raise pytest.UsageError(f"--csstandards-templates: no such directory: {d}")
    explicit = config.args_source == pytest.Config.ArgsSource.ARGS
    to_add = cli + ([] if explicit else [d for d in ini if d.exists() and d not in cli])
    for d in to_add:
        if not any(_under(d, Path(a).resolve()) for a in config.args):
            config.args.append(str(d))


def _under(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    dirs = parent.config.stash.get(_DIRS_KEY, [])
    if not dirs or file_path.suffix.lower() not in _SUFFIXES:
        return None
    resolved = file_path.resolve()
    if any(_under(resolved, d) for d in dirs):
        collector: pytest.Collector = TemplateFile.from_parent(parent, path=file_path)
        return collector
    return None


def project_config(config: pytest.Config) -> ProjectConfig:
    """The csstandards configuration of this test session (loaded once)."""
    cached = config.stash.get(_CONFIG_KEY, None)
    if cached is not None:
        return cached
    from .config import load_config, load_project_config

    path = config.getoption("csstandards_config")
    cfg = load_config(path) if path else load_project_config(config.rootpath)
    config.stash[_CONFIG_KEY] = cfg
    return cfg


@pytest.fixture
def reply_checker(request: pytest.FixtureRequest) -> ReplyChecker:
    """A :class:`~csstandards.testing.ReplyChecker` with the project's standard and settings."""
    from .testing import ReplyChecker

    cfg = project_config(request.config)
    return ReplyChecker(cfg.standard, fail_on=cfg.fail_on, min_score=cfg.min_score)


class TemplateFile(pytest.File):
    """A reply-template file: one item per template and scenario."""

    def collect(self) -> Iterator[pytest.Item]:
        from .errors import TemplateFileError
        from .lint import load_template_file

        display = _display(self.path, self.config.rootpath)
        try:
            templates = load_template_file(self.path, display=display)
        except TemplateFileError as exc:
            raise self.CollectError(f"csstandards: {exc}") from None
        for t in templates:
            for sc in t.scenarios:
                name = f"{t.name}[{sc.name}]"
                yield TemplateItem.from_parent(self, name=name, template=t, scenario=sc)


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class TemplateCheckFailed(Exception):
    """Raised by a template item; carries the findings to show."""

    def __init__(self, findings: list[LintFinding], text: str) -> None:
        super().__init__(text)
        self.findings = findings
        self.text = text


class TemplateItem(pytest.Item):
    """One template checked in one scenario."""

    def __init__(self, *, template: Template, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.template = template
        self.scenario = scenario
        self.add_marker("csstandards")

    def runtest(self) -> None:
        from .lint import LintReport, format_text, lint_template
        from .testing import check_template

        cfg = project_config(self.config)
        t = self.template.model_copy(update={"scenarios": (self.scenario,)})
        found = lint_template(t, cfg)
        report = LintReport(findings=found, files=[t.file], templates=1)
        with contextlib.suppress(OSError):  # the file was just read by collect()
            src = self.path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
            report.sources[t.file] = src
        bad = [f for f in report.active if f.severity.at_least(cfg.fail_on)]
        problems = []
        if cfg.min_score is not None:
            res = check_template(
                t.text,
                review=self.scenario.review,
                rating=self.scenario.rating,
                samples=self.scenario.samples,
                standard=cfg.standard,
                brand_voice=t.brand_voice,
            )
            if res.score is not None and res.score < cfg.min_score:
                problems.append(f"score {res.score:g} < min_score {cfg.min_score:g}")
        if bad or problems:
            report.findings = bad
            head = f"template {t.name!r} ({self.scenario.name}) does not meet the standard"
            head += " (模板不符合规范)"
            if problems:
                head += ": " + "; ".join(problems)
            raise TemplateCheckFailed(bad, head + "\n\n" + format_text(report))

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        if isinstance(excinfo.value, TemplateCheckFailed):
            return excinfo.value.text
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.template.line - 1, f"template {self.name}"
