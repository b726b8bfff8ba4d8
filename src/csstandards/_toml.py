"""TOML loading for Python 3.10 (tomli) and 3.11+ (tomllib), with errors that name the file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .errors import LexiconError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["load_toml", "loads_toml"]


def loads_toml(text: str, *, source: str = "<string>") -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes :class:`LexiconError` naming ``source``."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(source, "", f"invalid TOML: {exc}") from exc
    return data


def load_toml(path: str | Path) -> dict[str, Any]:
    """Read and parse a TOML file (UTF-8)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(str(p), "", f"cannot read file: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise LexiconError(str(p), "", f"not UTF-8 text: {exc}") from exc
    return loads_toml(text, source=str(p))
