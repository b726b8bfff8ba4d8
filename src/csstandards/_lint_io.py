"""Reading template files safely (话术库文件的安全读取): limits, nesting, symbolic links.

Template files are data that may come from anyone (a pull request, a shared drive).  Reading
one never costs more than its limits (:class:`LoadLimits`): its size, its nesting depth and, for
YAML, how far aliases may expand.  A file over a limit raises
:class:`~csstandards.errors.TemplateLimitError`, which the linter reports for that file while
it goes on with the others.

Discovery (:func:`discover`) does not follow a symbolic link whose target lies outside the
roots it was given unless asked (``follow_links=True``); a link it skips is reported as a
:class:`SkippedLink` that names the link and never its target.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field

from .errors import TemplateFileError, TemplateLimitError
from .models import FrozenModel

__all__ = [
    "LoadLimits",
    "SkippedLink",
    "check_json_depth",
    "check_yaml_events",
    "discover",
    "read_text",
]


class LoadLimits(FrozenModel):
    """Bounds on reading one template file (模板文件的加载限制); each is a reported error."""

    max_bytes: int = Field(default=2 * 1024 * 1024, ge=1, description="file size in bytes")
    max_depth: int = Field(default=32, ge=1, description="nesting of lists and mappings")
    max_nodes: int = Field(
        default=200_000,
        ge=1,
        description="values and characters that YAML aliases add once expanded",
    )
    max_templates: int = Field(
        default=10_000, ge=1, description="templates per file (each one is checked)"
    )


DEFAULT_LIMITS = LoadLimits()


@dataclass(frozen=True)
class SkippedLink:
    """A symbolic link that discovery did not follow: the link's own path and why, never the
    path it points to (a link to ``/proc/self/environ`` must not echo it into CI logs)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _resolve(path: Path) -> Path | None:
    """``path`` with every link resolved, or ``None`` for a broken link or a link loop."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" before Python 3.13
        return None
    return real


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == r or path.is_relative_to(r) for r in roots)


def _skip(link: Path, is_dir: bool) -> SkippedLink:
    what = "directory" if is_dir else "file"
    return SkippedLink(
        link.as_posix(),
        f"symbolic link to a {what} outside the linted paths not followed "
        "(符号链接指向检查范围之外, 未跟随); pass --follow-links to follow it",
    )


def discover(
    paths: Iterable[str | Path],
    suffixes: tuple[str, ...],
    *,
    follow_links: bool = False,
    base: Path | None = None,
) -> tuple[list[tuple[Path, Path]], list[SkippedLink], list[TemplateFileError]]:
    """Template files under ``paths``: ``([(path as found, real path)], skipped, errors)``.

    Directories are searched (iteratively) for files with ``suffixes``; hidden names (``.x``)
    are skipped.  A symbolic link found inside a directory is followed only when its target
    lies inside that directory or another directory of ``paths`` (or ``follow_links``); a path
    named in ``paths`` that is itself a link only when its target lies inside ``base``
    (default: the working directory).  Each real file and directory is visited once, so link
    cycles end; broken links and link loops inside directories name nothing and are passed
    over, named ones are errors.
    """
    base_real = (base or Path.cwd()).resolve()
    files: list[tuple[Path, Path]] = []
    skipped: list[SkippedLink] = []
    errors: list[TemplateFileError] = []
    seen_files: set[Path] = set()
    seen_dirs: set[Path] = set()

    def add_file(found: Path, real: Path) -> None:
        if real not in seen_files:
            seen_files.add(real)
            files.append((found, real))

    given = [Path(raw) for raw in paths]
    roots: list[Path] = []
    for p in given:
        real = None if p.is_symlink() or not p.is_dir() else _resolve(p)
        if real is not None:
            roots.append(real)
    for p in given:
        link = p.is_symlink()
        real = _resolve(p)
        if real is None:
            problem = "broken symbolic link or link loop" if link else "no such file or directory"
            errors.append(TemplateFileError(p.as_posix(), None, problem))
            continue
        if link and not follow_links and not _inside(real, [base_real]):
            skipped.append(_skip(p, real.is_dir()))
            continue
        if real.is_file():
            add_file(p, real)
            continue
        if not real.is_dir():
            errors.append(TemplateFileError(p.as_posix(), None, "not a regular file"))
            continue
        roots_here = [real, *roots]
        found_files: list[tuple[Path, Path]] = []
        stack: list[tuple[Path, Path]] = [(p, real)]
        while stack:
            found_dir, real_dir = stack.pop()
            if real_dir in seen_dirs:
                continue
            seen_dirs.add(real_dir)
            try:
                entries = sorted(os.scandir(found_dir), key=lambda e: e.name)
            except OSError as exc:
                errors.append(
                    TemplateFileError(
                        found_dir.as_posix(), None, f"cannot list: {exc.strerror or exc}"
                    )
                )
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                found = Path(entry.path)
                try:
                    if entry.is_symlink():
                        target = _resolve(found)
                        if target is None:
                            continue  # a broken link (or a loop) names nothing to lint
                        is_dir = target.is_dir()
                        if not is_dir and found.suffix.lower() not in suffixes:
                            continue
                        if not follow_links and not _inside(target, roots_here):
                            skipped.append(_skip(found, is_dir))
                            continue
                        if is_dir:
                            stack.append((found, target))
                        elif target.is_file():
                            found_files.append((found, target))
                    elif entry.is_dir(follow_symlinks=False):
                        stack.append((found, _resolve(found) or found))
                    elif entry.is_file(follow_symlinks=False) and found.suffix.lower() in suffixes:
                        found_files.append((found, _resolve(found) or found))
                except OSError as exc:
                    errors.append(TemplateFileError(found.as_posix(), None, f"cannot read: {exc}"))
        # a file reached both directly and through a link is reported by its own path
        for found, real_file in sorted(found_files, key=lambda fr: (fr[0].is_symlink(), fr[0])):
            add_file(found, real_file)
    return files, skipped, errors


def read_text(
    path: Path, name: str, limits: LoadLimits = DEFAULT_LIMITS, *, follow_links: bool = True
) -> str:
    """The UTF-8 text of the regular file ``path`` (at most ``limits.max_bytes``), CRLF → LF.

    With ``follow_links=False`` a symbolic link as the last component is refused at open time
    (``O_NOFOLLOW``), so a file swapped for a link after discovery is not read through it.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise TemplateFileError(name, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise TemplateFileError(name, None, "not a regular file (不是普通文件)")
        if info.st_size > limits.max_bytes:
            raise _too_big(name, limits)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(limits.max_bytes + 1)
    except OSError as exc:
        raise TemplateFileError(name, None, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > limits.max_bytes:  # the file grew while being read
        raise _too_big(name, limits)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TemplateFileError(name, line, "not UTF-8 text (请以 UTF-8 保存)") from None
    return text.replace("\r\n", "\n")


def _too_big(name: str, limits: LoadLimits) -> TemplateLimitError:
    return TemplateLimitError(
        name,
        None,
        "max_bytes",
        f"file is larger than {limits.max_bytes} bytes (模板文件过大); split the library",
    )


def depth_error(name: str, line: int | None, limits: LoadLimits) -> TemplateLimitError:
    return TemplateLimitError(
        name,
        line,
        "max_depth",
        f"lists and mappings nested deeper than {limits.max_depth} levels (嵌套层级过深)",
    )


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}]')


def check_json_depth(text: str, name: str, limits: LoadLimits = DEFAULT_LIMITS) -> None:
    """Refuse JSON nested deeper than ``limits.max_depth`` (one linear scan, before parsing:
    a deep document would otherwise exhaust the parser's recursion)."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limits.max_depth:
                raise depth_error(name, text.count("\n", 0, m.start()) + 1, limits)
        elif c in "]}":
            depth = max(depth - 1, 0)


def check_yaml_events(
    yaml: Any, loader: Any, text: str, name: str, limits: LoadLimits = DEFAULT_LIMITS
) -> None:
    """Refuse YAML nested deeper than ``limits.max_depth``, walking the parser's event stream
    (the parser keeps an explicit stack; composing a deep document would recurse)."""
    depth = 0
    for ev in yaml.parse(text, Loader=loader):
        if isinstance(ev, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth:
                mark = ev.start_mark
                raise depth_error(name, mark.line + 1 if mark is not None else None, limits)
        elif isinstance(ev, yaml.CollectionEndEvent):
            depth -= 1
