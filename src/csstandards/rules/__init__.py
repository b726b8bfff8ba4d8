"""The rule registry (规则注册表).

``get_registry()`` returns the registry with every built-in rule loaded: each module in this
package (other than ``base`` and ``context``) declares its rules with :func:`rule` when imported,
and is imported on first call, so ``import csstandards`` stays cheap.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading

from .base import REGISTRY, Family, Rule, RuleExample, RuleRegistry, bad, good, rule

__all__ = [
    "Family",
    "Rule",
    "RuleExample",
    "RuleRegistry",
    "bad",
    "get_registry",
    "get_rule",
    "good",
    "rule",
]

_loaded = False
_lock = threading.Lock()
_INFRA = {"base", "context"}


def get_registry() -> RuleRegistry:
    """The default registry with all built-in rule families loaded."""
    global _loaded
    if not _loaded:
        with _lock:
            if not _loaded:
                importlib.import_module(f"{__name__}.context")
                for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
                    if mod.name.startswith("_") or mod.name in _INFRA:
                        continue
                    importlib.import_module(f"{__name__}.{mod.name}")
                _loaded = True
    return REGISTRY


def get_rule(name: str) -> Rule:
    """Look a built-in rule up by id, code or short name."""
    return get_registry().get(name)
