"""The configuration keys (配置项) read from models, and the effective configuration.

Every key of ``[tool.csstandards]`` maps to one field of :class:`~csstandards.standard.Standard`,
:class:`~csstandards.standard.RuleSettings` or :class:`~csstandards.config.ProjectConfig`; the
key's type, default and description are read from that field, so the table in docs/index.md
(``scripts/gen_config_doc.py``) and ``csstandards config`` cannot drift from the code.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import to_jsonable_python

from .config import _KNOWN_KEYS, ProjectConfig
from .models import FrozenModel
from .standard import RuleSettings, Standard

__all__ = ["ConfigKey", "EffectiveSetting", "config_keys", "effective_settings", "keys_table"]

# Keys whose field is not the Standard field of the same name.
_SPECIAL: dict[str, tuple[type[BaseModel], str]] = {
    "enable": (RuleSettings, "enabled"),
    "disable": (RuleSettings, "disabled"),
    "severity": (RuleSettings, "severity"),
    "fail_on": (ProjectConfig, "fail_on"),
    "min_score": (ProjectConfig, "min_score"),
}
_NESTED = ("reply", "feedback")  # tables whose own keys are listed one by one


class ConfigKey(FrozenModel):
    """One configuration key: its name, type, default and meaning."""

    key: str
    type: str
    default: str
    description: str
    field: str  # the model field that holds it, e.g. "Standard.reply.min_score"


class EffectiveSetting(FrozenModel):
    """A key's effective value and where it came from (default, a file, the command line)."""

    key: str
    value: Any
    origin: str


def _type_name(info: FieldInfo) -> str:
    ann = info.annotation
    text = getattr(ann, "__name__", None) if isinstance(ann, type) else None
    return text or re.sub(r"\b(?:\w+\.)+(?=\w)", "", str(ann))


def _show(value: Any) -> str:
    """``value`` as compact JSON (models, enums, sets and dates made plain; sets sorted)."""
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    return json.dumps(to_jsonable_python(value), ensure_ascii=False, default=str)


def _default(info: FieldInfo) -> Any:
    return info.get_default(call_default_factory=True)


_BULLET = re.compile(
    r"^\s*\*\s+((?:``\w+``(?:\s*/\s*)?)+):\s*(.+?)(?=^\s*\*|^\s*$|\Z)", re.M | re.S
)


def _description(info: FieldInfo, cls: type[BaseModel], name: str) -> str:
    """The field's ``description``, else its bullet (``* ``name``: …``) in the class docstring."""
    if info.description:
        return info.description
    for m in _BULLET.finditer(cls.__doc__ or ""):
        if f"``{name}``" in m.group(1):
            return " ".join(m.group(2).split()).rstrip(";.")
    return name


def _top_keys() -> list[str]:
    extra = set(Standard.model_fields) - {"rules"}
    return sorted(set(_KNOWN_KEYS) | extra)


def config_keys() -> tuple[ConfigKey, ...]:
    """Every configuration key, read from the settings models (sorted; the keys of the
    ``reply`` and ``feedback`` tables one by one)."""
    out: list[ConfigKey] = []
    for key in _top_keys():
        cls, field = _SPECIAL.get(key, (Standard, key))
        info = cls.model_fields[field]
        default = _default(info)
        shown = "the targets of 000 §2.1" if key == "sla" and default is None else _show(default)
        if key in _NESTED:
            sub_cls: type[BaseModel] = info.annotation  # type: ignore[assignment]
            for sub, sub_info in sub_cls.model_fields.items():
                out.append(
                    ConfigKey(
                        key=f"{key}.{sub}",
                        type=_type_name(sub_info),
                        default=_show(_default(sub_info)),
                        description=_description(sub_info, sub_cls, sub),
                        field=f"Standard.{key}.{sub}",
                    )
                )
            continue
        out.append(
            ConfigKey(
                key=key,
                type=_type_name(info),
                default=shown,
                description=_description(info, cls, key),
                field=f"{cls.__name__}.{field}",
            )
        )
    return tuple(out)


def _value(cfg: ProjectConfig, key: str) -> Any:
    std = cfg.standard
    if key == "enable":
        return cfg.lint_enabled
    if key == "disable":
        return std.rules.disabled | cfg.lint_disabled
    if key == "severity":
        return {**std.rules.severity, **cfg.lint_severity}
    if key in ("fail_on", "min_score"):
        return getattr(cfg, key)
    if "." in key:
        table, sub = key.split(".", 1)
        return getattr(getattr(std, table), sub)
    if key == "sla":
        return std.sla.label if std.sla is not None else None
    if key == "suppress":
        return {k: v.reason for k, v in std.suppress.items()}
    if key == "holidays":  # schedules: name, years and source, not every date
        return [
            {"name": h.name, "years": list(h.years), "source": h.source}
            for h in getattr(std, "holidays", ())
        ]
    return getattr(std, key)


def effective_settings(cfg: ProjectConfig) -> tuple[EffectiveSetting, ...]:
    """The value of every key in ``cfg`` and where it came from."""
    out = []
    for k in config_keys():
        origin = cfg.origins.get(k.key)
        value = _value(cfg, k.key)
        if isinstance(value, BaseModel):
            value = value.model_dump(mode="json")
        out.append(
            EffectiveSetting(key=k.key, value=json.loads(_show(value)), origin=origin or "default")
        )
    return tuple(out)


def keys_table() -> str:
    """The Markdown table of every key (docs/index.md, between the generated-table markers)."""
    lines = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    for k in config_keys():
        cells = [f"`{k.key}`", f"`{k.type}`", f"`{k.default}`", k.description]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
