"""The template linter (话术库检查): load reply-template libraries, check them, report.

Template files (see ``docs/templates.md``):

* ``.txt`` — one or more templates separated by a line ``---``; ``# csstandards: key=value``
  lines carry metadata (``name``, ``rating``, ``stars``, ``scenario``, ``review``,
  ``brand_voice``, ``sample.<placeholder>``) or a suppression
  (``# csstandards: disable=reply.over-promise reason="..."``); other ``#`` lines are comments.
* ``.md`` — each ``## heading`` is a template; metadata and suppressions in
  ``<!-- csstandards: ... -->`` comments; the text is the section's first fenced block, or
  its other lines.  Directives before the first heading are file-wide defaults.
* ``.yaml``/``.yml``/``.json`` — a library: ``{name, brand_voice, rating, scenario, review,
  samples, templates: [{name, text, rating|stars|scenarios, scenario, review, samples,
  brand_voice, suppress: [{rule, reason}]}]}`` (or a bare list of templates).

Every finding carries the file, line and column of the offending text in the template file.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import shlex
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from pydantic import Field

from ._collector import pauses_collector, text_size
from ._lint_io import (
    DEFAULT_LIMITS,
    LoadLimits,
    SkippedLink,
    check_json_depth,
    check_yaml_events,
    depth_error,
    discover,
    read_text,
)
from .config import LINT_RULES, ProjectConfig
from .errors import CSStandardsError, TemplateFileError, TemplateLimitError
from .models import Finding, FrozenModel, Rating, Severity, Span
from .testing import check_template, coerce_rating, render_underline

__all__ = [
    "TEMPLATE_SUFFIXES",
    "LintFinding",
    "LintReport",
    "LoadLimits",
    "Scenario",
    "SkippedLink",
    "Suppression",
    "Template",
    "discover_template_files",
    "format_github",
    "format_json",
    "format_sarif",
    "format_text",
    "lint_paths",
    "lint_template",
    "load_template_file",
    "load_templates",
]

TEMPLATE_SUFFIXES = (".txt", ".md", ".yaml", ".yml", ".json")
TOOL_URI = "https://example.invalid/csstandards/docs/templates"


class Scenario(FrozenModel):
    """A situation a template is declared for: rating, a sample review and sample values."""

    name: str = "default"
    rating: Rating | None = None
    review: str | None = None
    samples: dict[str, str] = Field(default_factory=dict)


class Suppression(FrozenModel):
    """``csstandards: disable=RULE[,RULE] reason="..."`` for one template."""

    rules: tuple[str, ...]
    reason: str = ""
    line: int = 1
    col: int = 1


class Template(FrozenModel):
    """One reply template from a file, with the position of every character of its text."""

    name: str
    text: str
    file: str
    line: int
    col: int = 1
    scenarios: tuple[Scenario, ...] = (Scenario(),)
    brand_voice: str | None = None
    suppressions: tuple[Suppression, ...] = ()
    positions: tuple[tuple[int, int], ...] = Field(default=(), repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, in the file of character ``offset`` of the text."""
        if not self.positions:
            return (self.line, self.col)
        return self.positions[max(0, min(offset, len(self.positions) - 1))]


# -- shared helpers -------------------------------------------------------------------------


class _Lines:
    """Offset → (line, column) for one file (1-based, columns in code points)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def pos(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return (i + 1, offset - self.starts[i] + 1)


def _parse_directive(body: str, file: str, line: int) -> dict[str, str]:
    try:
        tokens = shlex.split(body, posix=True)
    except ValueError as exc:
        raise TemplateFileError(file, line, f"bad csstandards directive: {exc}") from None
    out: dict[str, str] = {}
    for tok in tokens:
        key, eq, value = tok.partition("=")
        if not eq or not key:
            raise TemplateFileError(
                file, line, f"bad csstandards directive item {tok!r}: expected key=value"
            )
        if key in out:
            raise TemplateFileError(file, line, f"key {key!r} given twice in one directive")
        out[key] = value
    return out


_META_KEYS = {"name", "rating", "stars", "scenario", "review", "brand_voice"}


def _suppression(items: Mapping[str, Any], file: str, line: int, col: int) -> Suppression:
    rules_raw = items.get("disable", items.get("rule", items.get("rules")))
    if isinstance(rules_raw, str):
        rules = tuple(r.strip() for r in rules_raw.split(",") if r.strip())
    elif isinstance(rules_raw, list) and all(isinstance(r, str) for r in rules_raw):
        rules = tuple(r.strip() for r in rules_raw if r.strip())
    else:
        raise TemplateFileError(file, line, "a suppression needs disable=<rule id or code>")
    if not rules:
        raise TemplateFileError(file, line, "a suppression needs disable=<rule id or code>")
    extra = set(items) - {"disable", "rule", "rules", "reason"}
    if extra:
        raise TemplateFileError(
            file, line, f"unknown key(s) {', '.join(sorted(extra))} in a suppression"
        )
    reason = items.get("reason", "")
    if not isinstance(reason, str):
        raise TemplateFileError(file, line, "suppression reason must be a string")
    return Suppression(rules=rules, reason=reason.strip(), line=line, col=col)


def _meta_from_directive(d: Mapping[str, str], meta: dict[str, Any], file: str, line: int) -> None:
    for key, value in d.items():
        if key.startswith("sample."):
            meta.setdefault("samples", {})[key[len("sample.") :]] = value
        elif key in _META_KEYS:
            meta[key] = value
        else:
            raise TemplateFileError(
                file,
                line,
                f"unknown key {key!r} in csstandards directive; known: "
                f"{', '.join(sorted(_META_KEYS))}, sample.<name>, disable=… reason=…",
            )


def _scenarios(meta: Mapping[str, Any], file: str, line: int) -> tuple[Scenario, ...]:
    """Scenarios from metadata: ``scenarios`` list, or ``rating``/``stars`` + ``scenario``."""
    review = meta.get("review")
    samples = meta.get("samples") or {}
    label = meta.get("scenario")
    if review is not None and not isinstance(review, str):
        raise TemplateFileError(file, line, "review must be a string")
    if label is not None and not isinstance(label, str):
        raise TemplateFileError(file, line, "scenario must be a string")
    _check_samples(samples, file, line)
    try:
        if meta.get("scenarios") is not None:
            items = meta["scenarios"]
            if not isinstance(items, list) or not items:
                raise TemplateFileError(file, line, "scenarios must be a non-empty list")
            out = []
            for i, item in enumerate(items):
                if not isinstance(item, Mapping):
                    raise TemplateFileError(file, line, f"scenarios[{i}] must be a mapping")
                extra = set(item) - {"name", "scenario", "rating", "stars", "review", "samples"}
                if extra:
                    raise TemplateFileError(
                        file, line, f"scenarios[{i}]: unknown key(s) {', '.join(sorted(extra))}"
                    )
                rating = coerce_rating(item.get("rating", item.get("stars", meta.get("rating"))))
                s = {**samples, **(item.get("samples") or {})}
                _check_samples(s, file, line)
                name = item.get("name", item.get("scenario")) or (
                    rating.value if rating else f"scenario-{i + 1}"
                )
                out.append(
                    Scenario(
                        name=str(name),
                        rating=rating,
                        review=item.get("review", review),
                        samples=s,
                    )
                )
            return tuple(out)
        raw = meta.get("rating", meta.get("stars"))
        if isinstance(raw, str) and "," in raw:
            raw = [r.strip() for r in raw.split(",") if r.strip()]
        if isinstance(raw, list):
            ratings = [coerce_rating(r) for r in raw]
            return tuple(
                Scenario(
                    name=f"{label}/{r.value}" if label and r else (r.value if r else "default"),
                    rating=r,
                    review=review,
                    samples=dict(samples),
                )
                for r in ratings
            )
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw)
        rating = coerce_rating(raw)
    except CSStandardsError as exc:
        if isinstance(exc, TemplateFileError):
            raise
        raise TemplateFileError(file, line, str(exc)) from None
    name = label or (rating.value if rating else "default")
    return (Scenario(name=name, rating=rating, review=review, samples=dict(samples)),)


def _check_samples(samples: Any, file: str, line: int) -> None:
    if not isinstance(samples, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in samples.items()
    ):
        raise TemplateFileError(file, line, "samples must map placeholder names to strings")


def _text_from_lines(
    lines: Sequence[tuple[int, int, str]],
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Join (line, start column, content) triples; trim blank lines at both ends."""
    items = list(lines)
    while items and not items[0][2].strip():
        items.pop(0)
    while items and not items[-1][2].strip():
        items.pop()
    pieces: list[str] = []
    pos: list[tuple[int, int]] = []
    for k, (ln, col, content) in enumerate(items):
        content = content.rstrip("\r")
        if k:
            pieces.append("\n")
            prev_ln, prev_col, prev = items[k - 1]
            pos.append((prev_ln, prev_col + len(prev.rstrip("\r"))))
        pieces.append(content)
        pos.extend((ln, col + j) for j in range(len(content)))
    if items:
        ln, col, content = items[-1]
        pos.append((ln, col + len(content.rstrip("\r"))))
    return "".join(pieces), tuple(pos)


def _make_template(
    meta: Mapping[str, Any],
    lines: Sequence[tuple[int, int, str]],
    suppressions: Sequence[Suppression],
    *,
    file: str,
    line: int,
    default_name: str,
) -> Template:
    text, positions = _text_from_lines(lines)
    name = str(meta.get("name") or default_name)
    if not text.strip():
        raise TemplateFileError(file, line, f"template {name!r} has no text (模板内容为空)")
    bv = meta.get("brand_voice")
    return Template(
        name=name,
        text=text,
        file=file,
        line=positions[0][0],
        col=positions[0][1],
        scenarios=_scenarios(meta, file, line),
        brand_voice=bv if isinstance(bv, str) else None,
        suppressions=tuple(suppressions),
        positions=positions,
    )


# -- .txt -----------------------------------------------------------------------------------

_TXT_DIRECTIVE = re.compile(r"^\s*#\s*csstandards\s*:(.*)$")


def _load_txt(text: str, file: str) -> list[Template]:
    out: list[Template] = []
    blocks: list[list[tuple[int, str]]] = [[]]
    for i, raw in enumerate(text.split("\n"), start=1):
        if raw.strip() == "---":
            blocks.append([])
        else:
            blocks[-1].append((i, raw))
    stem = Path(file).stem
    for block in blocks:
        meta: dict[str, Any] = {}
        sups: list[Suppression] = []
        lines: list[tuple[int, int, str]] = []
        first = block[0][0] if block else 1
        for ln, raw in block:
            m = _TXT_DIRECTIVE.match(raw)
            if m:
                d = _parse_directive(m.group(1), file, ln)
                if "disable" in d or "reason" in d:
                    sups.append(_suppression(d, file, ln, raw.index("#") + 1))
                else:
                    _meta_from_directive(d, meta, file, ln)
            elif raw.lstrip().startswith("#"):
                continue
            else:
                lines.append((ln, 1, raw))
        if not any(c.strip() for _, _, c in lines):
            if meta or sups:
                raise TemplateFileError(file, first, "csstandards directives without template text")
            continue
        out.append(
            _make_template(
                meta, lines, sups, file=file, line=first, default_name=f"{stem}#{len(out) + 1}"
            )
        )
    return out


# -- .md ------------------------------------------------------------------------------------

_MD_DIRECTIVE = re.compile(r"^\s*<!--\s*csstandards\s*:(.*?)-->\s*$")
_MD_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_FENCE = re.compile(r"^\s*(```|~~~)")


def _load_md(text: str, file: str) -> list[Template]:
    defaults: dict[str, Any] = {}
    sections: list[tuple[int, str, list[tuple[int, str]]]] = []
    fence: str | None = None
    fence_line = 0
    for i, raw in enumerate(text.split("\n"), start=1):
        fm = _MD_FENCE.match(raw)
        if fm and fence is None:
            fence_line = i
        if fence is None and not fm:
            hm = _MD_HEADING.match(raw)
            if hm and len(hm.group(1)) == 2:
                sections.append((i, hm.group(2), []))
                continue
            if hm:
                continue
        if fm:
            fence = None if fence == fm.group(1) else (fence or fm.group(1))
        if sections:
            sections[-1][2].append((i, raw))
        else:
            dm = _MD_DIRECTIVE.match(raw)
            if dm:
                d = _parse_directive(dm.group(1), file, i)
                if "disable" in d or "reason" in d:
                    raise TemplateFileError(
                        file, i, "a suppression must be inside a template (## heading) section"
                    )
                _meta_from_directive(d, defaults, file, i)
    if fence is not None:
        raise TemplateFileError(file, fence_line, "unclosed fenced code block")
    out: list[Template] = []
    for head_line, title, body in sections:
        meta = {**defaults, "samples": dict(defaults.get("samples", {})), "name": title}
        sups: list[Suppression] = []
        plain: list[tuple[int, int, str]] = []
        fenced: list[tuple[int, int, str]] | None = None
        in_fence = False
        done_fence = False
        for ln, raw in body:
            if _MD_FENCE.match(raw):
                if not in_fence and not done_fence:
                    in_fence, fenced = True, []
                elif in_fence:
                    in_fence, done_fence = False, True
                continue
            if in_fence and fenced is not None:
                fenced.append((ln, 1, raw))
                continue
            dm = _MD_DIRECTIVE.match(raw)
            if dm:
                d = _parse_directive(dm.group(1), file, ln)
                if "disable" in d or "reason" in d:
                    sups.append(_suppression(d, file, ln, raw.index("<") + 1))
                else:
                    _meta_from_directive(d, meta, file, ln)
                continue
            if _MD_COMMENT.match(raw):
                continue
            qm = re.match(r"^(\s*>\s?)", raw)
            if qm:
                plain.append((ln, len(qm.group(1)) + 1, raw[len(qm.group(1)) :]))
            else:
                plain.append((ln, 1, raw))
        lines = fenced if fenced is not None else plain
        out.append(_make_template(meta, lines, sups, file=file, line=head_line, default_name=title))
    if not out and text.strip():
        raise TemplateFileError(
            file, 1, "no templates found: start each one with a '## name' heading"
        )
    return out


# -- structured (YAML / JSON) ---------------------------------------------------------------


@dataclass
class _Node:
    """A parsed value with its position: mappings hold ``dict[str, _Node]``."""

    value: Any
    start: int
    end: int
    offsets: tuple[int, ...] | None = None  # per character of a string value (+ end)


def _align(value: str, source: str, start: int, end: int) -> tuple[int, ...]:
    """Map each character of a YAML scalar to an offset in ``source[start:end]``."""
    skippable = " \t\r\n\\\"'"
    out: list[int] = []
    p = start
    for ch in value:
        q = p
        while q < end and source[q] != ch and source[q] in skippable:
            q += 1
        if q < end and source[q] == ch:
            out.append(q)
            p = q + 1
            continue
        ahead = source.find(ch, p, min(end, p + 8))
        if ahead >= 0:
            out.append(ahead)
            p = ahead + 1
        else:
            out.append(min(p, max(start, end - 1)))
    out.append(p)
    return tuple(out)


def _yaml_loader(yaml: Any) -> Any:
    """libyaml's loader when its C module uses this ``yaml`` module's node classes (it keeps
    those of the first import if ``yaml`` was re-imported), else the pure-Python one."""
    fast = getattr(yaml, "CSafeLoader", None)
    cmod = sys.modules.get("yaml._yaml")
    if (
        fast is not None
        and cmod is not None
        and getattr(cmod, "ScalarNode", None) is yaml.ScalarNode
    ):
        return fast
    return yaml.SafeLoader


def _load_yaml(text: str, file: str, limits: LoadLimits = DEFAULT_LIMITS) -> _Node | None:
    try:
        import yaml
    except ImportError:  # pragma: no cover - pyyaml is in the test extra
        raise TemplateFileError(
            file, None, "YAML template files need PyYAML: pip install 'csstandards[yaml]'"
        ) from None
    loader_cls = _yaml_loader(yaml)
    try:
        check_yaml_events(yaml, loader_cls, text, file, limits)
        root = yaml.compose(text, Loader=loader_cls)
    except Exception as exc:  # yaml.YAMLError; duck-typed: libyaml may raise another copy
        if not isinstance(exc, yaml.YAMLError) and not type(exc).__module__.startswith("yaml"):
            raise
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = f"invalid YAML: {getattr(exc, 'problem', None) or exc}"
        ctx = getattr(exc, "context_mark", None)
        context = getattr(exc, "context", None)
        if context and ctx is not None and ctx.line + 1 != line:
            problem += f" ({context} on line {ctx.line + 1})"
        raise TemplateFileError(file, line, problem) from None
    if root is None:
        return None
    loader = yaml.SafeLoader("")
    # Aliases (*name) share one composed node. Each node is converted once and shared; what a
    # reference *adds* to the document (its expanded size: values and characters) is paid for
    # out of a budget, so a 1 KB "billion laughs" file is refused instead of filling memory in
    # whatever walks the tree later.  A collection that contains itself is refused (it would
    # recurse forever), and so is an alias that nests deeper than the depth limit.
    budget = [limits.max_nodes]
    open_nodes: set[int] = set()
    done: dict[int, tuple[_Node, int, int]] = {}  # id → (converted, expanded size, height)
    bad_value = (yaml.YAMLError, ValueError, OverflowError, TypeError)

    def spend(n: int, node: Any) -> None:
        budget[0] -= n
        if budget[0] < 0:
            raise TemplateLimitError(
                file,
                node.start_mark.line + 1,
                "max_nodes",
                f"YAML aliases (*name) expand to more than {limits.max_nodes} further values and "
                "characters (别名展开过多); write the shared parts out or use fewer aliases",
            )

    def conv(node: Any, depth: int) -> tuple[_Node, int, int]:
        line = node.start_mark.line + 1
        hit = done.get(id(node))
        if hit is not None:  # a second reference: the expansion it stands for is paid for
            spend(hit[1], node)
            if depth + hit[2] - 1 > limits.max_depth:
                raise depth_error(file, line, limits)
            return hit
        out = convert(node, depth, line)
        done[id(node)] = out
        return out

    def convert(node: Any, depth: int, line: int) -> tuple[_Node, int, int]:
        s, e = node.start_mark.index, node.end_mark.index
        if node.id in ("mapping", "sequence"):
            if depth > limits.max_depth:
                raise depth_error(file, line, limits)
            if id(node) in open_nodes:
                raise TemplateFileError(
                    file,
                    line,
                    "a YAML alias refers to a list or mapping that contains it "
                    "(循环引用的别名); template files cannot be recursive",
                )
            open_nodes.add(id(node))
            size, height = 1, 1
            try:
                if node.id == "sequence":
                    items = []
                    for v in node.value:
                        n, vs, vh = conv(v, depth + 1)
                        items.append(n)
                        size, height = size + vs, max(height, vh + 1)
                    return _Node(items, s, e), size, height
                d: dict[str, _Node] = {}
                for k, v in node.value:
                    kl = k.start_mark.line + 1
                    if k.tag == "tag:yaml.org,2002:merge":
                        raise TemplateFileError(
                            file, kl, "YAML merge keys (<<) are not supported; write the keys out"
                        )
                    if k.id != "scalar":
                        raise TemplateFileError(file, kl, "a mapping key must be a string")
                    try:
                        key = loader.construct_object(k, deep=True)
                    except bad_value as exc:
                        raise TemplateFileError(file, kl, f"invalid key: {exc}") from None
                    if not isinstance(key, str):
                        raise TemplateFileError(file, kl, f"mapping key {key!r} must be a string")
                    if key in d:
                        raise TemplateFileError(file, kl, f"duplicate key {key!r}")
                    n, vs, vh = conv(v, depth + 1)
                    d[key] = n
                    size, height = size + len(key) + vs, max(height, vh + 1)
                return _Node(d, s, e), size, height
            finally:
                open_nodes.discard(id(node))
        try:
            val = loader.construct_object(node, deep=True)
        except bad_value as exc:
            raise TemplateFileError(file, line, f"invalid value: {exc}") from None
        offsets = None
        size = 1
        if isinstance(val, str):
            size += len(val)
            a = s
            if node.style in ("|", ">"):
                nl = text.find("\n", s, e)
                a = nl + 1 if nl >= 0 else s
            elif node.style in ('"', "'"):
                a = s + 1
            offsets = _align(val, text, a, e)
        return _Node(val, s, e, offsets), size, 0

    return conv(root, 1)[0]


class _JsonParser:
    """A small JSON parser that keeps the offset of every value and string character."""

    _NUM = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
    _WS = re.compile(r"[ \t\r\n]*")
    _ESC: ClassVar[dict[str, str]] = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        "b": "\b",
        "f": "\f",
        "n": "\n",
        "r": "\r",
        "t": "\t",
    }

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.lines = _Lines(text)

    def fail(self, i: int, problem: str) -> TemplateFileError:
        return TemplateFileError(self.file, self.lines.pos(i)[0], f"invalid JSON: {problem}")

    def ws(self, i: int) -> int:
        m = self._WS.match(self.text, i)
        return m.end() if m else i

    def parse(self) -> _Node:
        i = self.ws(0)
        node, i = self.value(i)
        i = self.ws(i)
        if i != len(self.text):
            raise self.fail(i, "extra data after the top-level value")
        return node

    def value(self, i: int) -> tuple[_Node, int]:
        t = self.text
        if i >= len(t):
            raise self.fail(i, "unexpected end of file")
        c = t[i]
        if c == "{":
            d: dict[str, _Node] = {}
            j = self.ws(i + 1)
            if t.startswith("}", j):
                return _Node(d, i, j + 1), j + 1
            while True:
                if not t.startswith('"', j):
                    raise self.fail(j, "expected a string key")
                key, j = self.value(j)
                j = self.ws(j)
                if not t.startswith(":", j):
                    raise self.fail(j, "expected ':'")
                val, j = self.value(self.ws(j + 1))
                if key.value in d:
                    raise self.fail(key.start, f"duplicate key {key.value!r}")
                d[key.value] = val
                j = self.ws(j)
                if t.startswith(",", j):
                    j = self.ws(j + 1)
                    continue
                if t.startswith("}", j):
                    return _Node(d, i, j + 1), j + 1
                raise self.fail(j, "expected ',' or '}'")
        if c == "[":
            items: list[_Node] = []
            j = self.ws(i + 1)
            if t.startswith("]", j):
                return _Node(items, i, j + 1), j + 1
            while True:
                val, j = self.value(j)
                items.append(val)
                j = self.ws(j)
                if t.startswith(",", j):
                    j = self.ws(j + 1)
                    continue
                if t.startswith("]", j):
                    return _Node(items, i, j + 1), j + 1
                raise self.fail(j, "expected ',' or ']'")
        if c == '"':
            return self.string(i)
        for word, lit in (("true", True), ("false", False), ("null", None)):
            if t.startswith(word, i):
                return _Node(lit, i, i + len(word)), i + len(word)
        m = self._NUM.match(t, i)
        if m and m.end() > i:
            num = m.group()
            v: Any = float(num) if any(ch in num for ch in ".eE") else int(num)
            return _Node(v, i, m.end()), m.end()
        raise self.fail(i, f"unexpected character {c!r}")

    def string(self, i: int) -> tuple[_Node, int]:
        t = self.text
        chars: list[str] = []
        offs: list[int] = []
        j = i + 1
        while True:
            if j >= len(t):
                raise self.fail(i, "unterminated string")
            c = t[j]
            if c == '"':
                offs.append(j)
                return _Node("".join(chars), i, j + 1, tuple(offs)), j + 1
            if c == "\\":
                e = t[j + 1 : j + 2]
                if e in self._ESC:
                    chars.append(self._ESC[e])
                    offs.append(j)
                    j += 2
                    continue
                if e == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", t[j + 2 : j + 6]):
                    code = int(t[j + 2 : j + 6], 16)
                    k = j + 6
                    if 0xD800 <= code < 0xDC00 and re.fullmatch(
                        r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", t[k : k + 6]
                    ):
                        low = int(t[k + 2 : k + 6], 16)
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                    chars.append(chr(code))
                    offs.append(j)
                    j = k
                    continue
                raise self.fail(j, "invalid escape in string")
            if c == "\n" or ord(c) < 0x20:
                raise self.fail(j, "control character in string")
            chars.append(c)
            offs.append(j)
            j += 1


def _load_json(text: str, file: str, limits: LoadLimits = DEFAULT_LIMITS) -> _Node | None:
    check_json_depth(text, file, limits)  # before any parser recurses into it
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateFileError(file, exc.lineno, f"invalid JSON: {exc.msg}") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise TemplateFileError(file, None, f"invalid JSON: {exc}") from None
    if not text.strip():
        return None
    return _JsonParser(text, file).parse()


_LIB_KEYS = {"name", "library", "description", "brand_voice", "rating", "stars", "scenario",
             "review", "samples", "templates"}  # fmt: skip
_TPL_KEYS = {"name", "id", "text", "rating", "stars", "scenario", "scenarios", "review", "samples",
             "brand_voice", "suppress", "csstandards", "description", "tags", "channel", "notes"}  # fmt: skip


def _plain(node: _Node) -> Any:
    v = node.value
    if isinstance(v, dict):
        return {k: _plain(n) for k, n in v.items()}
    if isinstance(v, list):
        return [_plain(n) for n in v]
    return v


def _templates_from_tree(root: _Node | None, text: str, file: str) -> list[Template]:
    lines = _Lines(text)

    def line_of(n: _Node) -> int:
        return lines.pos(n.start)[0]

    if root is None:
        return []
    defaults: dict[str, Any] = {}
    if isinstance(root.value, list):
        items = root.value
    elif isinstance(root.value, dict):
        lib = root.value
        for key, n in lib.items():
            if key not in _LIB_KEYS and not key.startswith("x-"):
                raise TemplateFileError(
                    file,
                    line_of(n),
                    f"unknown library key {key!r}; known: {', '.join(sorted(_LIB_KEYS))}",
                )
        if "templates" not in lib:
            raise TemplateFileError(
                file, line_of(root), "a template library needs a 'templates' list"
            )
        tn = lib["templates"]
        if not isinstance(tn.value, list):
            raise TemplateFileError(file, line_of(tn), "'templates' must be a list")
        items = tn.value
        for key in ("brand_voice", "rating", "stars", "scenario", "review", "samples"):
            if key in lib:
                defaults[key] = _plain(lib[key])
    else:
        raise TemplateFileError(
            file, line_of(root), "a template library must be a mapping or a list"
        )
    out: list[Template] = []
    for idx, item in enumerate(items):
        ln = line_of(item)
        if not isinstance(item.value, dict):
            raise TemplateFileError(file, ln, f"templates[{idx}] must be a mapping with a 'text'")
        d: dict[str, _Node] = item.value
        for key, n in d.items():
            if key not in _TPL_KEYS and not key.startswith("x-"):
                raise TemplateFileError(
                    file,
                    line_of(n),
                    f"templates[{idx}]: unknown key {key!r}; known: {', '.join(sorted(_TPL_KEYS))}",
                )
        tnode = d.get("text")
        if tnode is None or not isinstance(tnode.value, str):
            raise TemplateFileError(file, ln, f"templates[{idx}] needs a 'text' string")
        meta: dict[str, Any] = dict(defaults)
        if "samples" in defaults and "samples" in d:
            meta["samples"] = {**defaults["samples"], **(_plain(d["samples"]) or {})}
        for key in ("name", "rating", "stars", "scenario", "scenarios", "review", "brand_voice"):
            if key in d:
                meta[key] = _plain(d[key])
                if key == "stars":
                    meta.pop("rating", None)
                if key == "rating":
                    meta.pop("stars", None)
        if "samples" in d and "samples" not in defaults:
            meta["samples"] = _plain(d["samples"])
        if meta.get("name") is not None and not isinstance(meta["name"], str):
            meta["name"] = str(meta["name"])
        sups: list[Suppression] = []
        if "suppress" in d:
            sn = d["suppress"]
            entries = sn.value if isinstance(sn.value, list) else [sn]
            for e in entries:
                if not isinstance(e.value, dict):
                    raise TemplateFileError(
                        file, line_of(e), "suppress entries are {rule, reason} mappings"
                    )
                pos = lines.pos(e.start)
                sups.append(_suppression(_plain(e), file, pos[0], pos[1]))
        if "csstandards" in d:
            cn = d["csstandards"]
            pos = lines.pos(cn.start)
            if not isinstance(cn.value, str):
                raise TemplateFileError(file, pos[0], "'csstandards' must be a directive string")
            dd = _parse_directive(cn.value, file, pos[0])
            if "disable" in dd or "reason" in dd:
                sups.append(_suppression(dd, file, pos[0], pos[1]))
            else:
                _meta_from_directive(dd, meta, file, pos[0])
        tv: str = tnode.value
        offs = tnode.offsets or tuple(range(tnode.start, tnode.start + len(tv) + 1))
        positions = tuple(lines.pos(o) for o in offs)
        name = meta.get("name") or f"{Path(file).stem}#{idx + 1}"
        if not tv.strip():
            raise TemplateFileError(file, ln, f"template {name!r} has no text (模板内容为空)")
        bv = meta.get("brand_voice")
        if bv is not None and not isinstance(bv, str):
            raise TemplateFileError(file, ln, "brand_voice must be a string")
        out.append(
            Template(
                name=str(name),
                text=tv,
                file=file,
                line=positions[0][0],
                col=positions[0][1],
                scenarios=_scenarios(meta, file, ln),
                brand_voice=bv,
                suppressions=tuple(sups),
                positions=positions,
            )
        )
    return out


# -- loading --------------------------------------------------------------------------------


def load_template_file(
    path: str | Path,
    *,
    display: str | None = None,
    limits: LoadLimits | None = None,
    follow_links: bool = True,
) -> list[Template]:
    """Read one template file; a malformed file raises :class:`TemplateFileError` (file, line),
    one over a limit of ``limits`` (size, nesting, YAML alias expansion) the subclass
    :class:`~csstandards.errors.TemplateLimitError`.  With ``follow_links=False`` a symbolic
    link is refused rather than read through."""
    p = Path(path)
    name = display or str(p)
    _check_suffix(p.suffix, name)
    return _parse_file(read_text(p, name, limits or DEFAULT_LIMITS, follow_links=follow_links),
                       name, p.suffix, limits or DEFAULT_LIMITS)  # fmt: skip


def _check_suffix(suffix: str, name: str) -> None:
    if suffix.lower() not in TEMPLATE_SUFFIXES:
        raise TemplateFileError(
            name,
            None,
            f"unsupported template file type {suffix or '(none)'}; use {', '.join(TEMPLATE_SUFFIXES)}",
        )


def _parse_file(text: str, name: str, suffix: str, limits: LoadLimits) -> list[Template]:
    suffix = suffix.lower()
    if suffix == ".txt":
        out = _load_txt(text, name)
    elif suffix == ".md":
        out = _load_md(text, name)
    elif suffix == ".json":
        out = _templates_from_tree(_load_json(text, name, limits), text, name)
    else:
        out = _templates_from_tree(_load_yaml(text, name, limits), text, name)
    if len(out) > limits.max_templates:
        raise TemplateLimitError(
            name,
            None,
            "max_templates",
            f"{len(out)} templates in one file, more than {limits.max_templates} "
            "(模板数量过多); split the library",
        )
    return out


def discover_template_files(
    paths: Iterable[str | Path], *, follow_links: bool = False
) -> list[Path]:
    """Template files named by ``paths`` (directories are searched recursively).

    Symbolic links that lead outside ``paths`` are left out unless ``follow_links`` (see
    :func:`lint_paths`, which also reports them); a missing path raises
    :class:`TemplateFileError`.
    """
    files, _skipped, errors = discover(paths, TEMPLATE_SUFFIXES, follow_links=follow_links)
    if errors:
        raise errors[0]
    return [found for found, _real in files]


def load_templates(paths: Iterable[str | Path]) -> list[Template]:
    """Every template of every file under ``paths`` (first malformed file raises)."""
    return [t for f in discover_template_files(paths) for t in load_template_file(f)]


# -- linting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LintFinding:
    """A finding located in a template file."""

    finding: Finding
    template: Template
    scenarios: tuple[str, ...]
    line: int
    col: int
    end_line: int
    end_col: int
    suppressed_by: Suppression | None = None

    @property
    def file(self) -> str:
        return self.template.file

    @property
    def severity(self) -> Severity:
        return self.finding.severity


@dataclass
class LintReport:
    """Everything ``csstandards lint`` found: findings, unreadable files, counts."""

    findings: list[LintFinding] = field(default_factory=list)
    errors: list[TemplateFileError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    templates: int = 0
    sources: dict[str, str] = field(default_factory=dict, repr=False)
    skipped: list[SkippedLink] = field(default_factory=list)  # links not followed

    @property
    def active(self) -> list[LintFinding]:
        return [f for f in self.findings if f.suppressed_by is None]

    @property
    def suppressed(self) -> list[LintFinding]:
        return [f for f in self.findings if f.suppressed_by is not None]

    def exit_code(self, fail_on: Severity) -> int:
        """2 when a file could not be read, 1 for findings at or above ``fail_on``, else 0."""
        if self.errors:
            return 2
        return 1 if any(f.severity.at_least(fail_on) for f in self.active) else 0


def _meta_finding(
    rule_id: str, severity: Severity, zh: str, en: str, suggestion_zh: str, suggestion_en: str
) -> Finding:
    return Finding(
        rule_id=rule_id,
        code=LINT_RULES[rule_id],
        severity=severity,
        message_zh=zh,
        message_en=en,
        clause="",
        suggestion_zh=suggestion_zh,
        suggestion_en=suggestion_en,
    )


@pauses_collector(lambda template, *a, **kw: text_size(getattr(template, "text", None)))
def lint_template(template: Template, config: ProjectConfig | None = None) -> list[LintFinding]:
    """Check ``template`` in each of its scenarios; apply its suppressions."""
    from .rules import get_registry

    cfg = config or ProjectConfig()
    names = get_registry().names
    merged: dict[tuple[str, tuple[Span, ...], str], tuple[Finding, list[str]]] = {}
    by_config: dict[tuple[str, tuple[Span, ...], str], tuple[Finding, list[str], Suppression]] = {}
    low: list[tuple[str, float]] = []
    for sc in template.scenarios:
        res = check_template(
            template.text,
            review=sc.review,
            rating=sc.rating,
            samples=sc.samples,
            standard=cfg.standard,
            brand_voice=template.brand_voice,
        )
        if cfg.min_score is not None and res.score is not None and res.score < cfg.min_score:
            low.append((sc.name, res.score))
        for f in res.findings:
            key = (f.rule_id, f.spans, f.message_zh)
            if key in merged:
                merged[key][1].append(sc.name)
            else:
                merged[key] = (f, [sc.name])
        for sf in getattr(res.report, "suppressed", ()):  # the configuration's suppress table
            f = sf.finding
            if res.substitution is not None and res.substitution.filled:
                spans = tuple(res.substitution.to_template(x) for x in f.spans)
                f = f.model_copy(update={"spans": spans})
            key = (f.rule_id, f.spans, f.message_zh)
            if key in by_config:
                by_config[key][1].append(sc.name)
            else:
                reason = f"{sf.reason} ({sf.setting})"
                by_config[key] = (f, [sc.name], Suppression(rules=(f.code,), reason=reason))
    out: list[LintFinding] = []
    used: set[int] = set()

    def locate(f: Finding, scen: Sequence[str], sup: Suppression | None) -> LintFinding:
        if f.spans:
            s = min(f.spans, key=lambda x: x.start)
            e = max(f.spans, key=lambda x: x.end)
            (l1, c1), (l2, c2) = template.position(s.start), template.position(e.end)
            if e.end > s.start:  # end column: just after the last character
                l2, c2 = template.position(e.end - 1)
                c2 += 1
        else:
            l1, c1 = l2, c2 = template.line, template.col
        return LintFinding(f, template, tuple(scen), l1, c1, l2, c2, sup)

    for f, scen in merged.values():
        sup = None
        for i, s in enumerate(template.suppressions):
            if s.reason and any(names.get(r, r) == f.rule_id for r in s.rules):
                sup = s
                used.add(i)
                break
        out.append(locate(f, scen, sup))
    for f, scen, cfg_sup in by_config.values():
        out.append(locate(f, scen, cfg_sup))
    for i, s in enumerate(template.suppressions):
        meta: list[Finding] = []
        if not s.reason and cfg.lint_rule_enabled("lint.suppression-without-reason"):
            meta.append(
                _meta_finding(
                    "lint.suppression-without-reason",
                    cfg.lint_severity_for("lint.suppression-without-reason", Severity.ERROR),
                    "抑制规则必须写明原因(reason),未写原因的抑制不生效",
                    "A suppression needs a reason; without one it is ignored",
                    '补充原因,例如 reason="客户原话引用,非推诿"',
                    'Add a reason, e.g. reason="quotes the customer, not blame-shifting"',
                )
            )
        unknown = [r for r in s.rules if r not in names]
        if unknown and cfg.lint_rule_enabled("lint.suppression-unknown-rule"):
            meta.append(
                _meta_finding(
                    "lint.suppression-unknown-rule",
                    cfg.lint_severity_for("lint.suppression-unknown-rule", Severity.WARNING),
                    f"抑制中的规则不存在: {', '.join(unknown)}",
                    f"The suppression names unknown rule(s): {', '.join(unknown)}",
                    "用 `csstandards rules` 查看规则编号",
                    "List rule ids with `csstandards rules`",
                )
            )
        elif (
            s.reason
            and i not in used
            and not unknown
            and cfg.lint_rule_enabled("lint.unused-suppression")
        ):
            meta.append(
                _meta_finding(
                    "lint.unused-suppression",
                    cfg.lint_severity_for("lint.unused-suppression", Severity.INFO),
                    f"抑制未生效: {', '.join(s.rules)} 在此模板中没有发现问题",
                    f"Unused suppression: {', '.join(s.rules)} found nothing in this template",
                    "删除这条抑制",
                    "Remove the suppression",
                )
            )
        for mf in meta:
            out.append(LintFinding(mf, template, (), s.line, s.col, s.line, s.col + 1))
    if low and cfg.lint_rule_enabled("lint.score-below-minimum"):
        worst = min(score for _, score in low)
        mf = _meta_finding(
            "lint.score-below-minimum",
            cfg.lint_severity_for("lint.score-below-minimum", Severity.ERROR),
            f"模板得分 {worst:g} 低于最低分 {cfg.min_score:g}",
            f"Template score {worst:g} is below min_score {cfg.min_score:g}",
            "按上面的问题修改模板",
            "Fix the findings above",
        )
        out.append(
            LintFinding(
                mf,
                template,
                tuple(n for n, _ in low),
                template.line,
                template.col,
                template.line,
                template.col + 1,
            )
        )
    out.sort(key=lambda lf: (lf.line, lf.col, lf.finding.code))
    return out


def lint_paths(
    paths: Iterable[str | Path],
    config: ProjectConfig | None = None,
    *,
    base: Path | None = None,
    follow_links: bool = False,
    limits: LoadLimits | None = None,
) -> LintReport:
    """Lint every template file under ``paths``; unreadable files are collected, not raised.

    A file that is malformed or over a limit of ``limits`` becomes an entry of
    :attr:`LintReport.errors` (exit status 2) and the other files are still linted.  Symbolic
    links leading outside ``paths`` (or, for a path given as a link, outside ``base``) are not
    followed unless ``follow_links``; each one skipped is listed in :attr:`LintReport.skipped`
    by its own path, never by its target.
    """
    report = LintReport()
    base = base or Path.cwd()
    limits = limits or DEFAULT_LIMITS
    config = config or ProjectConfig()  # one Standard object: the tone engine caches per object
    files, skipped, errors = discover(
        paths, TEMPLATE_SUFFIXES, follow_links=follow_links, base=base
    )
    report.errors.extend(errors)
    report.skipped.extend(SkippedLink(_display(Path(sk.path), base), sk.reason) for sk in skipped)
    for found, real in files:
        display = _display(found, base)
        if display in report.files:
            continue
        report.files.append(display)
        try:
            _check_suffix(found.suffix, display)
            # read the resolved path without following links: discovery already decided
            text = read_text(real, display, limits, follow_links=False)
            templates = _parse_file(text, display, found.suffix, limits)
        except TemplateFileError as exc:
            report.errors.append(exc)
            continue
        report.sources[display] = text
        report.templates += len(templates)
        for t in templates:
            try:
                report.findings.extend(lint_template(t, config))
            except CSStandardsError as exc:
                report.errors.append(
                    TemplateFileError(display, t.line, f"template {t.name!r}: {exc}")
                )
    return report


def _display(p: Path, base: Path) -> str:
    # the path as found (links are not resolved: the output never names a link's target)
    found = Path(os.path.abspath(p))
    for b in (Path(os.path.abspath(base)), base.resolve()):
        if found.is_relative_to(b):
            return found.relative_to(b).as_posix()
    return p.as_posix()


# -- output ---------------------------------------------------------------------------------


def _excerpt(report: LintReport, lf: LintFinding) -> list[str]:
    """The template-file lines of a finding with carets under exactly its characters."""
    src = report.sources.get(lf.file)
    if src is None:
        return render_underline(lf.template.text, list(lf.finding.spans) or [Span(start=0, end=0)])
    lines = src.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)

    def offset(line: int, col: int) -> int:
        return starts[min(line, len(starts)) - 1] + col - 1

    spans: list[Span] = []
    for s in lf.finding.spans:
        for i in range(s.start, s.end):
            o = offset(*lf.template.position(i))
            spans.append(Span(start=o, end=o + 1))
    if not spans:
        o = offset(lf.line, lf.col)
        spans = [Span(start=o, end=o)]
    return render_underline(src, spans, prefix="    ")


def format_text(report: LintReport, *, lang: str = "both") -> str:
    """Human-readable report with carets under the offending text in the template file."""
    blocks: list[str] = []
    for lf in report.active:
        f = lf.finding
        scen = (
            f" ({', '.join(lf.scenarios)})" if lf.scenarios and lf.scenarios != ("default",) else ""
        )
        msg = f.message_zh if lang in ("zh", "both") else f.message_en
        head = f"{lf.file}:{lf.line}:{lf.col}: {f.code} {f.severity.value} [{f.rule_id}] {msg}"
        label = {"zh": ("模板", "依据"), "en": ("template", "clause")}.get(
            lang, ("template 模板", "clause 依据")
        )  # --lang en: every label in English
        lines = [head, f"    {label[0]}: {lf.template.name}{scen}"]
        if lang == "both" and f.message_en:
            lines.append(f"    {f.message_en}")
        lines.extend(_excerpt(report, lf))
        if f.clause:
            lines.append(f"    {label[1]}: {f.clause}")
        if f.suggestion_zh and lang in ("zh", "both"):
            lines.append(f"    建议: {f.suggestion_zh}")
        if f.suggestion_en and lang in ("en", "both"):
            lines.append(f"    suggestion: {f.suggestion_en}")
        blocks.append("\n".join(lines))
    counts = {s: sum(1 for f in report.active if f.severity is s) for s in Severity}
    summary = (
        f"{len(report.active)} finding(s) ({counts[Severity.ERROR]} error, "
        f"{counts[Severity.WARNING]} warning, {counts[Severity.INFO]} info) in "
        f"{report.templates} template(s), {len(report.files)} file(s)"
    )
    if report.suppressed:
        summary += f"; {len(report.suppressed)} suppressed"
    if report.errors:
        summary += f"; {len(report.errors)} file error(s)"
    if report.skipped:
        blocks.append("\n".join(f"{sk.path}: skipped 已跳过: {sk.reason}" for sk in report.skipped))
        summary += f"; {len(report.skipped)} symbolic link(s) not followed"
    blocks.append(summary)
    return "\n\n".join(blocks) + "\n"


def _finding_dict(lf: LintFinding) -> dict[str, Any]:
    f = lf.finding
    d: dict[str, Any] = {
        "file": lf.file,
        "line": lf.line,
        "column": lf.col,
        "end_line": lf.end_line,
        "end_column": lf.end_col,
        "template": lf.template.name,
        "scenarios": list(lf.scenarios),
        "rule_id": f.rule_id,
        "code": f.code,
        "severity": f.severity.value,
        "message_zh": f.message_zh,
        "message_en": f.message_en,
        "clause": f.clause,
        "suggestion_zh": f.suggestion_zh,
        "suggestion_en": f.suggestion_en,
        "excerpt": [s.of(lf.template.text) for s in f.spans],
    }
    if lf.suppressed_by is not None:
        d["suppressed"] = {"rules": list(lf.suppressed_by.rules), "reason": lf.suppressed_by.reason}
    return d


def format_json(report: LintReport) -> str:
    """Machine-readable JSON: findings, suppressed findings, file errors and a summary."""
    data = {
        "version": 1,
        "tool": "csstandards",
        "files": report.files,
        "templates": report.templates,
        "findings": [_finding_dict(lf) for lf in report.active],
        "suppressed": [_finding_dict(lf) for lf in report.suppressed],
        "errors": [{"file": e.file, "line": e.line, "message": e.problem} for e in report.errors],
        "skipped": [{"file": sk.path, "message": sk.reason} for sk in report.skipped],
        "summary": {s.value: sum(1 for f in report.active if f.severity is s) for s in Severity},
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/@-._~")


def format_sarif(report: LintReport) -> str:
    """SARIF 2.1.0 for code-scanning tools (columns in Unicode code points)."""
    from . import __version__
    from .rules import get_registry

    reg = get_registry()
    rule_ids = sorted({lf.finding.rule_id for lf in report.findings})
    rules: list[dict[str, Any]] = []
    for rid in rule_ids:
        if rid in LINT_RULES:
            sample = next(lf.finding for lf in report.findings if lf.finding.rule_id == rid)
            rules.append(
                {
                    "id": rid,
                    "name": rid.split(".", 1)[1],
                    "shortDescription": {"text": sample.message_en},
                    "fullDescription": {"text": f"{sample.message_zh} / {sample.message_en}"},
                    "defaultConfiguration": {"level": _SARIF_LEVEL[sample.severity]},
                    "properties": {"code": LINT_RULES[rid], "tags": ["csstandards", "lint"]},
                }
            )
            continue
        r = reg.get(rid)
        rules.append(
            {
                "id": r.id,
                "name": r.short_name,
                "shortDescription": {"text": f"{r.name_zh} ({r.name_en})"},
                "fullDescription": {"text": f"{r.message_zh} / {r.message_en}"},
                "help": {
                    "text": f"{r.suggestion_zh} / {r.suggestion_en} (clause {r.clause})",
                },
                "helpUri": f"{TOOL_URI}#{r.code.lower()}",
                "defaultConfiguration": {"level": _SARIF_LEVEL[r.default_severity]},
                "properties": {
                    "code": r.code,
                    "clause": r.clause,
                    "tags": ["csstandards", r.family],
                },
            }
        )
    index = {rid: i for i, rid in enumerate(rule_ids)}
    results: list[dict[str, Any]] = []
    for lf in report.findings:
        f = lf.finding
        region: dict[str, Any] = {
            "startLine": lf.line,
            "startColumn": lf.col,
            "endLine": lf.end_line,
            "endColumn": max(lf.end_col, lf.col + (1 if lf.end_line == lf.line else 0)),
        }
        if f.spans:
            region["snippet"] = {"text": " … ".join(s.of(lf.template.text) for s in f.spans)}
        res: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": _SARIF_LEVEL[f.severity],
            "message": {
                "text": f"{f.message_zh} / {f.message_en}"
                + (f" — 建议: {f.suggestion_zh}" if f.suggestion_zh else "")
            },
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(lf.file), "uriBaseId": "%SRCROOT%"},
                        "region": region,
                    },
                    "logicalLocations": [{"name": lf.template.name, "kind": "member"}],
                }
            ],
            "partialFingerprints": {
                "csstandards/v1": f"{f.rule_id}:{lf.template.name}:{':'.join(s.of(lf.template.text) for s in f.spans)}"
            },
            "properties": {
                "template": lf.template.name,
                "scenarios": list(lf.scenarios),
                "code": f.code,
                "clause": f.clause,
            },
        }
        if lf.suppressed_by is not None:
            res["suppressions"] = [{"kind": "inSource", "justification": lf.suppressed_by.reason}]
        results.append(res)
    notifications = [
        {
            "level": "error",
            "message": {"text": e.problem},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(e.file), "uriBaseId": "%SRCROOT%"},
                        **({"region": {"startLine": e.line}} if e.line else {}),
                    }
                }
            ],
        }
        for e in report.errors
    ] + [
        {
            "level": "warning",
            "message": {"text": sk.reason},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(sk.path), "uriBaseId": "%SRCROOT%"}
                    }
                }
            ],
        }
        for sk in report.skipped
    ]
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "csstandards",
                        "version": __version__,
                        "informationUri": TOOL_URI,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _uri(Path.cwd().as_uri() + "/")}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(report: LintReport) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…,col=…::message``)."""
    out: list[str] = []
    for lf in report.active:
        f = lf.finding
        props = [
            f"file={_gh_escape(lf.file, True)}",
            f"line={lf.line}",
            f"col={lf.col}",
            f"endLine={lf.end_line}",
            f"endColumn={lf.end_col}",
            f"title={_gh_escape(f'{f.code} {f.rule_id}', True)}",
        ]
        msg = f"{f.message_zh} / {f.message_en} [{lf.template.name}]"
        if f.suggestion_zh:
            msg += f"\n建议: {f.suggestion_zh}"
        out.append(f"::{_GH_LEVEL[f.severity]} {','.join(props)}::{_gh_escape(msg)}")
    for e in report.errors:
        props = [f"file={_gh_escape(e.file, True)}"] + ([f"line={e.line}"] if e.line else [])
        out.append(f"::error {','.join(props)}::{_gh_escape(e.problem)}")
    for sk in report.skipped:
        out.append(f"::warning file={_gh_escape(sk.path, True)}::{_gh_escape(sk.reason)}")
    return "\n".join(out) + ("\n" if out else "")


FORMATTERS = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "github": format_github,
}
