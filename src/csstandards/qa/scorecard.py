"""Scorecards (质检评分表) as data: sections of items that name rules, deducting from 100.

A scorecard is a TOML file a QA team owns::

    name = "售后质检"
    version = "2026-11"
    pass_mark = 80              # 及格线

    [overrides]                 # severity overrides: rule → info / warning / error / off
    "reply.jargon" = "info"

    [[sections]]
    id = "attitude"
    name = "服务态度"

    [[sections.items]]
    id = "no-blame"
    name = "不推诿"
    rules = ["reply.blame-shifting"]   # rule ids, codes or short names; or groups
    deduct = 15                        # points per finding (``max`` caps the item) …

    [[sections.items]]
    id = "privacy"
    name = "不泄露隐私"
    rules = ["R112"]
    fatal = true                       # 一票否决: any finding fails the conversation

An item either *deducts* points per finding (``deduct``, capped by ``max``) or is *weighted*
(``weight``: the whole weight is lost when the item is hit, as on a paper checklist).
``min_severity`` counts only findings at or above it.  Groups name several rules at once:
``family:consultation`` (a rule family) or ``applies:chat-turn`` (rules whose metadata
says they apply there); a rule named explicitly belongs to that item, a group takes the
rules nobody names, first group first.

Every :class:`ScoreResult` carries the scorecard's name, its :attr:`Scorecard.hash` and the
rule pack's version, so scores from different configurations are never mixed silently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from .._toml import loads_toml
from ..errors import ConfigError, LexiconError
from ..models import Actor, Finding, FrozenModel, Severity, trusted_builder

__all__ = [
    "DEFAULT_SCORECARD",
    "ItemResult",
    "ScoreResult",
    "Scorecard",
    "ScorecardItem",
    "ScorecardSection",
    "ScoredFinding",
    "default_scorecard",
    "load_scorecard",
    "rules_version",
]

#: where the library's default scorecard lives (package data)
DEFAULT_SCORECARD = "data/qa/default_scorecard.toml"
Override = Literal["info", "warning", "error", "off"]


def rules_version() -> str:
    """The version of the rule pack the findings come from (the package's version)."""
    from .. import __version__

    return __version__


class ScorecardItem(FrozenModel):
    """One line of the scorecard (质检项): the rules it counts and what a hit costs."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    name_en: str = ""
    rules: tuple[str, ...] = Field(min_length=1)
    deduct: float | None = Field(default=None, gt=0)
    max: float | None = Field(default=None, gt=0)
    weight: float | None = Field(default=None, gt=0)
    fatal: bool = False
    min_severity: Severity = Severity.INFO
    clause: str = ""

    @model_validator(mode="after")
    def _one_way(self) -> ScorecardItem:
        if self.fatal and self.deduct is None and self.weight is None:
            return self
        if (self.deduct is None) == (self.weight is None):
            raise ValueError(
                f"item {self.id!r}: give either deduct (points per finding) or weight (points "
                "lost when hit), not both and not neither"
            )
        if self.max is not None and self.deduct is None:
            raise ValueError(f"item {self.id!r}: max caps a deduct item; a weight is its own cap")
        return self


class ScorecardSection(FrozenModel):
    """A section of the scorecard (e.g. 服务态度, 业务规范, 解决能力)."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    name_en: str = ""
    items: tuple[ScorecardItem, ...] = Field(min_length=1)


class Scorecard(FrozenModel):
    """A QA scorecard: sections of items, a pass mark, severity overrides (see module doc)."""

    name: str = Field(min_length=1)
    version: str = ""
    description: str = ""
    base: float = Field(default=100, gt=0)
    pass_mark: float = Field(default=80, ge=0)
    overrides: dict[str, Override] = Field(default_factory=dict)
    sections: tuple[ScorecardSection, ...] = Field(min_length=1)

    @field_validator("overrides", mode="before")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        if isinstance(v, Mapping):
            return {k: str(x).strip().lower() if isinstance(x, str) else x for k, x in v.items()}
        return v

    @model_validator(mode="after")
    def _unique(self) -> Scorecard:
        seen: set[str] = set()
        for s in self.sections:
            for it in s.items:
                key = f"{s.id}.{it.id}"
                if key in seen:
                    raise ValueError(f"item {key!r} is defined twice")
                seen.add(key)
        if self.pass_mark > self.base:
            raise ValueError(f"pass_mark {self.pass_mark} is above the base score {self.base}")
        return self

    # -- identity ---------------------------------------------------------------------------
    @property
    def hash(self) -> str:
        """A short SHA-256 of the scorecard's content (canonical JSON): equal hashes, equal
        scoring; any change of an item, weight, mark or override changes it."""
        hit = _HASHES.get(id(self))
        if hit is not None and hit[0] is self:
            return hit[1]
        canon = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]
        if len(_HASHES) > 256:
            _HASHES.clear()
        _HASHES[id(self)] = (self, digest)
        return digest

    def items(self) -> list[tuple[ScorecardSection, ScorecardItem]]:
        return [(s, it) for s in self.sections for it in s.items]

    # -- rules ------------------------------------------------------------------------------
    def plan(self, registry: Any = None) -> dict[str, str]:
        """Rule id → ``section.item`` that counts its findings (validated against the
        registry: an unknown rule name raises :class:`~csstandards.errors.ConfigError`)."""
        return dict(_plan(self, registry))

    def severity_for(self, f: Finding) -> Severity | None:
        """The severity a finding counts with (``None``: the rule is switched off)."""
        for name in (f.rule_id, f.code, f.rule_id.split(".", 1)[-1]):
            o = self.overrides.get(name)
            if o is not None:
                return None if o == "off" else Severity(o)
        return f.severity

    def score(self, findings: Iterable[ScoredFinding], registry: Any = None) -> ScoreResult:
        """Score the findings of one conversation against this scorecard."""
        plan = _plan(self, registry)
        per_item: dict[str, list[ScoredFinding]] = {f"{s.id}.{it.id}": [] for s, it in self.items()}
        unscored: list[str] = []
        for f in findings:
            key = plan.get(f.rule_id)
            if key is None:
                unscored.append(f.rule_id)
                continue
            per_item[key].append(f)
        results: list[ItemResult] = []
        total = 0.0
        fatal: list[str] = []
        for s, it in self.items():
            key = f"{s.id}.{it.id}"
            floor = _RANK[it.min_severity]
            hits = [f for f in per_item[key] if _RANK[f.severity] >= floor]
            deduction = 0.0
            if hits:
                if it.weight is not None:
                    deduction = it.weight
                elif it.deduct is not None:
                    deduction = it.deduct * len(hits)
                    if it.max is not None:
                        deduction = min(deduction, it.max)
                if it.fatal:
                    fatal.append(key)
            total += deduction
            results.append(
                _item_result(
                    section=s.id,
                    item=it.id,
                    key=key,
                    name=it.name,
                    section_name=s.name,
                    deduction=round(deduction, 4),
                    fatal=it.fatal,
                    hit=bool(hits),
                    findings=tuple(hits),
                )
            )
        raw = max(0.0, self.base - total)
        digest = self.hash
        score = 0.0 if fatal else raw
        return _score_result(
            scorecard=self.name,
            scorecard_version=self.version,
            scorecard_hash=digest,
            rules_version=rules_version(),
            base=self.base,
            score=round(score, 4),
            raw_score=round(raw, 4),
            pass_mark=self.pass_mark,
            passed=not fatal and score >= self.pass_mark,
            fatal_items=tuple(fatal),
            items=tuple(results),
            unscored=tuple(dict.fromkeys(unscored)),
        )

    # -- loading ----------------------------------------------------------------------------
    @classmethod
    def from_toml(cls, text: str, *, source: str = "<scorecard>") -> Scorecard:
        try:
            data = loads_toml(text, source=source)
        except LexiconError as exc:
            raise ConfigError(source, "", exc.problem) from None
        return cls.from_mapping(data, source=source)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "<scorecard>") -> Scorecard:
        try:
            sc = cls.model_validate(dict(data))
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in err["loc"])
            raise ConfigError(source, key, err["msg"]) from None
        try:
            _plan(sc, None)
        except ConfigError as exc:
            raise ConfigError(source, exc.key, exc.problem) from None
        return sc


class ScoredFinding(FrozenModel):
    """A finding as the scorecard counts it: which rule, which turn, how serious."""

    rule_id: str
    code: str
    severity: Severity
    turn: int | None = None
    role: Actor | None = None
    message_zh: str = ""
    message_en: str = ""

    @classmethod
    def of(cls, f: Finding, turn: int | None, role: Actor | None = None) -> ScoredFinding:
        """From a finding this library computed (trusted: not validated again)."""
        return _scored(
            rule_id=f.rule_id,
            code=f.code,
            severity=f.severity,
            turn=turn,
            role=role,
            message_zh=f.message_zh,
            message_en=f.message_en,
        )


class ItemResult(FrozenModel):
    """What one scorecard item cost, and the findings behind it."""

    section: str
    item: str
    key: str
    name: str
    section_name: str = ""
    deduction: float = 0
    fatal: bool = False
    hit: bool = False
    findings: tuple[ScoredFinding, ...] = ()


class ScoreResult(FrozenModel):
    """A conversation's score on one scorecard (质检得分), with its provenance."""

    scorecard: str
    scorecard_version: str = ""
    scorecard_hash: str
    rules_version: str
    base: float = 100
    score: float
    raw_score: float
    pass_mark: float
    passed: bool
    fatal_items: tuple[str, ...] = ()
    items: tuple[ItemResult, ...] = ()
    unscored: tuple[str, ...] = ()

    def item(self, key: str) -> ItemResult:
        """One item's result by ``section.item`` or item id."""
        for it in self.items:
            if key in (it.key, it.item):
                return it
        raise KeyError(key)


_RANK = {sev: sev.rank for sev in Severity}
_scored = trusted_builder(ScoredFinding)
_score_result = trusted_builder(ScoreResult)
_item_result = trusted_builder(ItemResult)


def _resolve_group(group: str, registry: Any) -> list[str]:
    kind, _, value = group.partition(":")
    if kind == "family":
        return [r.id for r in registry.all(value)]
    if kind == "applies":
        return [r.id for r in registry.applying_to(value)]
    raise KeyError(group)


def _plan(sc: Scorecard, registry: Any) -> dict[str, str]:
    if registry is None:
        registry = _registry()
    cache_key = (sc.hash, id(registry))
    hit = _PLANS.get(cache_key)
    if hit is not None:
        return hit
    explicit: dict[str, str] = {}
    groups: list[tuple[str, str]] = []
    for s, it in sc.items():
        key = f"{s.id}.{it.id}"
        for name in it.rules:
            where = f"sections.{s.id}.items.{it.id}.rules"
            if ":" in name:
                try:
                    ids = _resolve_group(name, registry)
                except KeyError:
                    raise ConfigError(
                        "scorecard",
                        where,
                        f"unknown group {name!r}; use family:<name> or applies:<setting>",
                    ) from None
                if not ids:
                    raise ConfigError("scorecard", where, f"group {name!r} names no rule")
                groups.extend((rid, key) for rid in ids)
                continue
            if name not in registry:
                raise ConfigError("scorecard", where, f"no rule {name!r} (规则不存在)")
            rid = registry.get(name).id
            if rid in explicit and explicit[rid] != key:
                raise ConfigError(
                    "scorecard", where, f"rule {rid} is already counted by item {explicit[rid]!r}"
                )
            explicit[rid] = key
    plan = dict(explicit)
    for rid, key in groups:
        plan.setdefault(rid, key)
    for name in sc.overrides:
        if name not in registry:
            raise ConfigError("scorecard", f"overrides.{name}", f"no rule {name!r} (规则不存在)")
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[cache_key] = plan
    return plan


_PLANS: dict[tuple[str, int], dict[str, str]] = {}
#: hashes by scorecard object (kept alive with it, so ids stay unique): frozen, computed once
_HASHES: dict[int, tuple[Scorecard, str]] = {}


def _registry() -> Any:
    from ..rules import get_registry

    return get_registry()


@lru_cache(maxsize=1)
def default_scorecard() -> Scorecard:
    """The library's default scorecard, following the four standards (``data/qa/``)."""
    res = resources.files("csstandards").joinpath(DEFAULT_SCORECARD)
    return Scorecard.from_toml(res.read_text(encoding="utf-8"), source=DEFAULT_SCORECARD)


def load_scorecard(source: str | Path | Scorecard | Mapping[str, Any] | None = None) -> Scorecard:
    """A scorecard from a TOML file, a mapping, or ``None`` for the default."""
    if source is None:
        return default_scorecard()
    if isinstance(source, Scorecard):
        return source
    if isinstance(source, Mapping):
        return Scorecard.from_mapping(source)
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "", "no such scorecard file (找不到质检评分表)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc}") from None
    return Scorecard.from_toml(text, source=str(path))
