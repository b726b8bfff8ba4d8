"""#17 item 3: lint on hostile files — alias bombs, recursive aliases, deep nesting, size, and
symbolic links out of the roots (regressions + hypothesis)."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csstandards.cli import main
from csstandards.errors import TemplateFileError, TemplateLimitError
from csstandards.lint import (
    LoadLimits,
    discover_template_files,
    format_github,
    format_json,
    format_sarif,
    format_text,
    lint_paths,
    load_template_file,
)
from csstandards.models import Severity

GOOD = "您好，已为您查询，订单明天送达。\n"
SECRET = "TOP_SECRET_TOKEN=hunter2"


def _bomb(levels: int = 10) -> str:
    src = 'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for n in "bcdefghijklmnop"[:levels]:
        src += f"x-{n}: &{n} [{', '.join(['*' + prev] * 9)}]\n"
        prev = n
    return src + f"templates:\n  - text: 您好\n    samples: *{prev}\n"


def _write(p: Path, text: str) -> Path:
    p.write_text(text, encoding="utf-8")
    return p


def test_billion_laughs_is_a_reported_limit_error_and_other_files_are_linted(
    tmp_path: Path,
) -> None:
    bomb = _write(tmp_path / "bomb.yaml", _bomb())
    assert bomb.stat().st_size < 1024
    _write(tmp_path / "ok.txt", GOOD)
    tracemalloc.start()
    try:
        report = lint_paths([tmp_path], base=tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024  # 9**10 expanded values would need gigabytes
    (err,) = report.errors
    assert isinstance(err, TemplateLimitError) and err.limit == "max_nodes"
    assert err.file == "bomb.yaml" and "aliases" in err.problem
    assert report.templates == 1 and report.files == ["bomb.yaml", "ok.txt"]
    assert report.exit_code(Severity.ERROR) == 2


def test_aliases_within_the_budget_still_work(tmp_path: Path) -> None:
    src = (
        "x-samples: &s {order: A123}\n"
        "templates:\n"
        "  - name: a\n    text: 您好\n    samples: *s\n"
        "  - name: b\n    text: 您好\n    samples: *s\n"
    )
    ts = load_template_file(_write(tmp_path / "a.yaml", src))
    assert [t.scenarios[0].samples for t in ts] == [{"order": "A123"}, {"order": "A123"}]


def test_the_alias_budget_counts_only_what_aliases_add(tmp_path: Path) -> None:
    # a document far larger than max_nodes but without aliases is not over the budget
    src = "templates:\n" + "".join(
        f"  - name: t{i}\n    text: 您好，订单{i}已发货。\n" for i in range(50)
    )
    f = _write(tmp_path / "big.yaml", src)
    assert len(load_template_file(f, limits=LoadLimits(max_nodes=10))) == 50
    shared = "x-s: &s {order: A123, when: 明天}\n" + src.replace(
        "    text:", "    samples: *s\n    text:"
    )
    g = _write(tmp_path / "shared.yaml", shared)
    assert len(load_template_file(g, limits=LoadLimits(max_nodes=49 * 20))) == 50
    with pytest.raises(TemplateLimitError, match="expand to more than 200"):
        load_template_file(g, limits=LoadLimits(max_nodes=200))


@pytest.mark.parametrize(
    "src",
    [
        "x-a: &a [*a]\ntemplates: []\n",
        "x-a: &a {k: *a}\ntemplates: []\n",
        "templates: &t [{text: hi, samples: {x: *t}}]\n",
    ],
)
def test_self_referencing_aliases_are_a_reported_error(tmp_path: Path, src: str) -> None:
    f = _write(tmp_path / "self.yaml", src)
    _write(tmp_path / "ok.txt", GOOD)
    with pytest.raises(TemplateFileError, match="contains it"):
        load_template_file(f)
    report = lint_paths([tmp_path], base=tmp_path)
    assert len(report.errors) == 1 and report.templates == 1
    assert report.exit_code(Severity.ERROR) == 2


@pytest.mark.parametrize(
    ("name", "src"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("deep2.json", '{"templates": [{"text": "hi", "x-n": ' + "[" * 50 + "]" * 50 + "}]}"),
        ("deep.yaml", "x-n: " + "[" * 200 + "]" * 200 + "\ntemplates: []\n"),
        ("block.yaml", "".join("  " * i + "- \n" for i in range(60)) + "  " * 60 + "- x\n"),
    ],
)
def test_deep_nesting_is_a_reported_limit_error(tmp_path: Path, name: str, src: str) -> None:
    f = _write(tmp_path / name, src)
    with pytest.raises(TemplateFileError) as info:
        load_template_file(f)
    assert "nest" in str(info.value)
    _write(tmp_path / "ok.txt", GOOD)
    report = lint_paths([tmp_path], base=tmp_path)
    assert report.templates == 1 and len(report.errors) == 1


def test_a_chain_of_aliases_cannot_nest_deeper_than_the_limit(tmp_path: Path) -> None:
    src = "x-0: &a0 [x]\n" + "".join(f"x-{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 200))
    f = _write(tmp_path / "chain.yaml", src + "templates: []\n")
    with pytest.raises(TemplateLimitError, match="nested deeper"):
        load_template_file(f)


def test_size_limit(tmp_path: Path) -> None:
    f = _write(tmp_path / "big.txt", GOOD * 100)
    with pytest.raises(TemplateLimitError, match="larger than 100 bytes"):
        load_template_file(f, limits=LoadLimits(max_bytes=100))
    assert load_template_file(f)  # the default limit is far larger
    report = lint_paths([f], base=tmp_path, limits=LoadLimits(max_bytes=100))
    assert report.exit_code(Severity.ERROR) == 2


def test_template_count_limit(tmp_path: Path) -> None:
    f = _write(tmp_path / "many.txt", "您好\n" + "---\n您好\n" * 30)
    with pytest.raises(TemplateLimitError, match="31 templates in one file, more than 30"):
        load_template_file(f, limits=LoadLimits(max_templates=30))
    assert len(load_template_file(f, limits=LoadLimits(max_templates=31))) == 31


def test_other_hostile_values_are_file_errors(tmp_path: Path) -> None:
    cases = {
        "long.json": '{"templates": [{"text": "hi"}], "x-n": ' + "1" * 5000 + "}",
        "long.yaml": "x-n: " + "1" * 5000 + "\ntemplates: [{text: hi}]\n",
        "merge.yaml": "x-d: &d {rating: 5}\ntemplates:\n  - <<: *d\n    text: 您好\n",
        "key.yaml": "templates:\n  - ? [a, b]\n    : x\n    text: hi\n",
        "date.yaml": "x-d: 2026-13-45\ntemplates: [{text: hi}]\n",
    }
    for name, src in cases.items():
        _write(tmp_path / name, src)
    report = lint_paths([tmp_path], base=tmp_path)
    assert sorted(e.file for e in report.errors if e.file != "date.yaml") == sorted(
        n for n in cases if n != "date.yaml"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(TemplateFileError, match="regular file"):
        load_template_file(fifo)
    report = lint_paths([fifo], base=tmp_path)
    assert report.exit_code(Severity.ERROR) == 2


# -- symbolic links ---------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    _write(outside / "secret.txt", SECRET + "\n")
    (outside / "sub").mkdir()
    _write(outside / "sub" / "x.txt", GOOD)
    root = tmp_path / "repo"
    (root / "templates").mkdir(parents=True)
    _write(root / "templates" / "ok.txt", GOOD)
    os.symlink(outside / "secret.txt", root / "templates" / "env.txt")
    os.symlink(outside / "sub", root / "templates" / "shared")
    os.symlink(root / "templates" / "ok.txt", root / "templates" / "alias.txt")  # inside
    return root, outside


def _all_outputs(report: object) -> str:
    return "".join(f(report) for f in (format_text, format_json, format_sarif, format_github))  # type: ignore[operator]


def test_links_out_of_the_roots_are_skipped_and_said_so(tree: tuple[Path, Path]) -> None:
    root, outside = tree
    report = lint_paths([root / "templates"], base=root)
    assert report.files == ["templates/ok.txt"]  # alias.txt is the same file, linted once
    assert sorted(s.path for s in report.skipped) == ["templates/env.txt", "templates/shared"]
    out = _all_outputs(report)
    assert "templates/env.txt" in out and "follow-links" in out
    assert str(outside) not in out and "secret" not in out and SECRET not in out
    assert report.exit_code(Severity.ERROR) == 0
    assert json.loads(format_json(report))["skipped"][0]["file"] == "templates/env.txt"


def test_follow_links_when_asked(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    report = lint_paths([root / "templates"], base=root, follow_links=True)
    assert not report.skipped
    assert set(report.files) == {"templates/ok.txt", "templates/env.txt", "templates/shared/x.txt"}


def test_a_link_cycle_ends(tmp_path: Path) -> None:
    root = tmp_path / "r"
    (root / "a").mkdir(parents=True)
    _write(root / "a" / "t.txt", GOOD)
    os.symlink(root, root / "a" / "loop")  # inside the root: followed, visited once
    assert [p.name for p in discover_template_files([root])] == ["t.txt"]
    report = lint_paths([root], base=tmp_path, follow_links=True)
    assert report.files == ["r/a/t.txt"]


def test_a_link_named_on_the_command_line_is_not_followed_out_of_base(
    tree: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, outside = tree
    monkeypatch.chdir(root)
    report = lint_paths(["templates/env.txt", "templates/alias.txt"])
    assert [s.path for s in report.skipped] == ["templates/env.txt"]
    assert report.files == ["templates/alias.txt"]
    code = main(["lint", "--no-config", "templates"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "templates/env.txt" in err and "not followed" in err
    assert str(outside) not in out + err and SECRET not in out + err
    code = main(["lint", "--no-config", "--follow-links", "--format", "json", "templates"])
    out, _ = capsys.readouterr()
    assert "templates/env.txt" in json.loads(out)["files"]


# -- hypothesis: random alias graphs and nesting parse within bounds --------------------------

LIMITS = LoadLimits(max_depth=8, max_nodes=3000)


@st.composite
def _alias_docs(draw: st.DrawFn) -> tuple[str, int, int, bool]:
    """A YAML document of anchored lists that refer to earlier anchors (or to themselves),
    with what its aliases add once expanded (values + characters), its expanded depth and
    whether it is cyclic — computed here independently of the loader."""
    n = draw(st.integers(1, 12))
    size: list[int] = []  # expanded size of anchor i: 1 + its items' sizes
    depth: list[int] = []
    lines = []
    extra = 0  # what the references add: each *aj stands for size[j] more
    cyclic = False
    for i in range(n):
        items = draw(
            st.lists(
                st.one_of(st.text("ab", min_size=1, max_size=5), st.integers(0, max(i - 1, 0))),
                min_size=1,
                max_size=8,
            )
        )
        parts, s, dep = [], 1, 1
        for it in items:
            if isinstance(it, str) or i == 0:
                word = it if isinstance(it, str) else "b"
                parts.append(word)
                s += 1 + len(word)
            else:
                parts.append(f"*a{it}")
                s += size[it]
                extra += size[it]
                dep = max(dep, 1 + depth[it])
        if i > 0 and draw(st.integers(0, 30)) == 0:
            parts.append(f"*a{i}")
            cyclic = True
        lines.append(f"x-{i}: &a{i} [{', '.join(parts)}]")
        size.append(s)
        depth.append(dep)
    text = "\n".join(lines) + "\ntemplates: []\n"
    return text, extra, 1 + max(depth), cyclic


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_alias_docs())
def test_random_alias_graphs_load_within_bounds(doc: tuple[str, int, int, bool]) -> None:
    text, extra, depth, cyclic = doc
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"csstandards-hyp-{os.getpid()}.yaml"
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    try:
        try:
            load_template_file(path, limits=LIMITS)
            err = None
        except TemplateFileError as exc:
            err = exc
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        path.unlink()
    assert peak < 16 * 1024 * 1024
    over = cyclic or extra > LIMITS.max_nodes or depth > LIMITS.max_depth
    assert (err is not None) == over, (err, extra, depth, cyclic)
    if err is not None and not cyclic:
        assert isinstance(err, TemplateLimitError)
        assert err.limit == ("max_depth" if depth > LIMITS.max_depth else "max_nodes") or (
            extra > LIMITS.max_nodes and depth > LIMITS.max_depth
        )


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.sampled_from(["json", "yaml"]), st.booleans())
def test_random_nesting_is_refused_iff_over_the_depth_limit(
    extra: int, kind: str, mapping: bool
) -> None:
    inner = '"hi"'
    for _ in range(extra):
        inner = f'{{"k": {inner}}}' if mapping else f"[{inner}]"
    text = '{"templates": [{"text": "hi", "x-n": ' + inner + "}]}"
    depth = 3 + extra  # root mapping, templates list, template mapping, then the nesting
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"csstandards-hyp-{os.getpid()}.{kind}"
    path.write_text(text, encoding="utf-8")
    try:
        try:
            ts = load_template_file(path, limits=LIMITS)
        except TemplateLimitError as exc:
            assert depth > LIMITS.max_depth and exc.limit == "max_depth"
        else:
            assert depth <= LIMITS.max_depth and ts[0].text == "hi"
    finally:
        path.unlink()


def test_link_loops_and_broken_links_do_not_crash(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    _write(d / "ok.txt", GOOD)
    os.symlink("b.txt", d / "a.txt")
    os.symlink("a.txt", d / "b.txt")  # a loop: resolving it raised RuntimeError
    os.symlink("missing.txt", d / "gone.txt")
    for follow in (False, True):
        report = lint_paths([d], base=tmp_path, follow_links=follow)
        assert report.files == ["d/ok.txt"] and not report.errors  # names nothing to lint
    report = lint_paths([d / "a.txt", d / "gone.txt", d / "ok.txt"], base=tmp_path)
    assert [e.file for e in report.errors] == [
        (d / "a.txt").as_posix(),
        (d / "gone.txt").as_posix(),
    ]
    assert all("broken symbolic link or link loop" in e.problem for e in report.errors)
    assert report.files == ["d/ok.txt"] and report.exit_code(Severity.ERROR) == 2


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(), st.text(max_size=8)
)
_values = st.recursive(
    _scalars,
    lambda c: st.one_of(
        st.lists(c, max_size=3), st.dictionaries(st.text(max_size=5), c, max_size=3)
    ),
    max_leaves=12,
)
_tpl_keys = st.sampled_from(
    [
        "name",
        "text",
        "rating",
        "stars",
        "scenario",
        "scenarios",
        "review",
        "samples",
        "brand_voice",
        "suppress",
        "csstandards",
        "x-a",
        "bogus",
    ]
)
_libraries = st.one_of(
    st.lists(st.dictionaries(_tpl_keys, _values, max_size=6), max_size=3),
    st.fixed_dictionaries(
        {"templates": st.lists(st.dictionaries(_tpl_keys, _values, max_size=6), max_size=3)},
        optional={"samples": _values, "rating": _values, "brand_voice": _values},
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_libraries, st.sampled_from(["json", "yaml"]))
def test_random_libraries_lint_without_escaping_errors(doc: object, kind: str) -> None:
    """Whatever the structure and value types, a file is linted or is one reported error."""
    text = json.dumps(doc, ensure_ascii=False)  # JSON is YAML too; NaN/inf are invalid JSON
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"csstandards-hyp-{os.getpid()}.{kind}"
    path.write_text(text, encoding="utf-8")
    try:
        report = lint_paths([path], base=path.parent)  # raises nothing but a bug
    finally:
        path.unlink()
    # one error for an unreadable file, else at most one per template that could not be checked
    assert len(report.errors) <= max(1, report.templates)
    assert report.files == [path.name]
