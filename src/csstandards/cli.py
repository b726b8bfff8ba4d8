"""The ``csstandards`` command line.

Sub-commands live in modules named ``cli_<name>.py`` in this package, each exposing
``register(subparsers)`` that adds its parser and sets ``func`` (taking the parsed namespace,
returning an exit code).  Exit codes: 0 success/clean, 1 findings at or above the failing
severity, 2 usage or input errors.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from . import __version__
from .errors import CSStandardsError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csstandards",
        description="Chinese customer-service standards as code (客服标准即代码).",
    )
    parser.add_argument("--version", action="version", version=f"csstandards {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = importlib.import_module(__package__ or "csstandards")
    for mod in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if mod.name.startswith("cli_"):
            module = importlib.import_module(f"{package.__name__}.{mod.name}")
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        code: int = func(args)
    except CSStandardsError as exc:
        print(f"csstandards: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover - interactive
        return 130
    except BrokenPipeError:
        # The reader went away (``csstandards demo | head``): stop quietly, as Unix tools do.
        _silence_stdout()
        return 0
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
