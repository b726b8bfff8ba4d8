"""The rule model: metadata (id, code, clause, messages, examples) plus one small check function.

A rule is declared with :func:`rule` on its check function::

    @rule(
        id="reply.blame-shifting", code="R103", family="reply",
        name_zh="推诿", name_en="blame-shifting", severity=Severity.ERROR, clause="000 §2.2",
        message_zh="回复把责任推给第三方或客观原因", message_en="The reply shifts blame …",
        suggestion_zh="主动担责: 这是我们服务的疏漏 …", suggestion_en="Take responsibility …",
        examples=[bad("物流属于第三方,我们无法控制", review="物流太慢"), good(...)],
    )
    def blame_shifting(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
        ...
        yield r.finding(spans=..., cue=...)

The catalogue in ``docs/rules.md`` and one test per example are generated from this metadata.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from ..errors import RuleNotFound
from ..models import Finding, FrozenModel, Rating, Severity, Span, trusted_builder

__all__ = [
    "REGISTRY",
    "Family",
    "Rule",
    "RuleExample",
    "RuleRegistry",
    "bad",
    "good",
    "rule",
]

_ID = re.compile(r"^[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$")
_CODE = re.compile(r"^[A-Z]{1,3}\d{3}$")


_trusted_finding = trusted_builder(Finding, required=["data"])


class RuleExample(FrozenModel):
    """A good or bad example of a rule, with the context it is judged in."""

    text: str
    expect: Literal["bad", "good"]
    review: str | None = None
    rating: Rating | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    note: str = ""


def bad(text: str, *, review: str | None = None, rating: Rating | None = None,
        note: str = "", **context: Any) -> RuleExample:  # fmt: skip
    """An example the rule must flag."""
    return RuleExample(
        text=text, expect="bad", review=review, rating=rating, context=context, note=note
    )


def good(text: str, *, review: str | None = None, rating: Rating | None = None,
         note: str = "", **context: Any) -> RuleExample:  # fmt: skip
    """An example the rule must not flag."""
    return RuleExample(
        text=text, expect="good", review=review, rating=rating, context=context, note=note
    )


CheckFn = Callable[[Any, "Rule"], Iterable[Finding]]


class Rule(FrozenModel):
    """A check with its metadata.  ``check(ctx, rule)`` yields findings."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    id: str
    code: str
    family: str
    name_zh: str
    name_en: str
    default_severity: Severity
    clause: str
    message_zh: str
    message_en: str
    suggestion_zh: str = ""
    suggestion_en: str = ""
    examples: tuple[RuleExample, ...] = ()
    #: where the rule applies besides its family's own setting: ``"chat-turn"`` marks a reply
    #: rule that judges any single message of an agent in a conversation (对话中的一句客服回复),
    #: not only a reply to a review; conversation QA selects its rules by this.
    applies_to: tuple[str, ...] = ()
    check: CheckFn = Field(exclude=True, repr=False)

    @field_validator("id")
    @classmethod
    def _id_form(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"rule id {v!r} must look like 'family.kebab-name'")
        return v

    @field_validator("code")
    @classmethod
    def _code_form(cls, v: str) -> str:
        if not _CODE.match(v):
            raise ValueError(f"rule code {v!r} must look like 'R103'")
        return v

    @property
    def short_name(self) -> str:
        return self.id.split(".", 1)[1]

    def finding(
        self,
        *,
        spans: Sequence[Span] = (),
        cue: str | None = None,
        severity: Severity | None = None,
        message_zh: str | None = None,
        message_en: str | None = None,
        suggestion_zh: str | None = None,
        suggestion_en: str | None = None,
        data: dict[str, Any] | None = None,
        trusted: bool = False,
    ) -> Finding:
        """A finding of this rule; unspecified texts come from the rule's metadata.

        ``trusted=True`` skips validation (:func:`~csstandards.models.trusted_builder`), for a
        rule that yields many findings whose every value it computed itself: ``Span`` objects,
        ``str`` texts and a fresh ``data`` dict (issue #17: 16,000 findings of one long
        commitment text).
        """
        build = _trusted_finding if trusted else Finding
        return build(
            rule_id=self.id,
            code=self.code,
            severity=severity or self.default_severity,
            message_zh=message_zh or self.message_zh,
            message_en=message_en or self.message_en,
            clause=self.clause,
            suggestion_zh=self.suggestion_zh if suggestion_zh is None else suggestion_zh,
            suggestion_en=self.suggestion_en if suggestion_en is None else suggestion_en,
            spans=tuple(spans),
            cue=cue,
            data=data or {},
        )

    def run(self, ctx: Any, standard: Any = None) -> list[Finding]:
        """Run the check; honour ``standard`` (a :class:`~csstandards.standard.Standard`)
        for enabling and severity overrides."""
        if standard is not None and not standard.rule_enabled(self.id, self.code):
            return []
        found = list(self.check(ctx, self))
        if standard is not None and standard.rules.severity:
            found = [
                f.model_copy(
                    update={"severity": standard.severity_for(self.id, f.severity, self.code)}
                )
                for f in found
            ]
        return found


@dataclass(frozen=True)
class Family:
    """A family of rules and how to build the context its examples are judged in."""

    name: str
    description: str
    make_context: Callable[[RuleExample, Any], Any]


class RuleRegistry:
    """Rules by id, code and short name; families with their context factories."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._names: dict[str, str] = {}
        self._families: dict[str, Family] = {}

    def register(self, r: Rule) -> Rule:
        for name in (r.id, r.code):
            if name in self._names:
                raise ValueError(f"rule name {name!r} is registered twice")
        self._rules[r.id] = r
        self._names[r.id] = r.id
        self._names[r.code] = r.id
        self._names.setdefault(r.short_name, r.id)
        return r

    def register_family(self, family: Family) -> None:
        self._families[family.name] = family

    def family(self, name: str) -> Family:
        try:
            return self._families[name]
        except KeyError:
            raise RuleNotFound(f"family {name}", self._families) from None

    def get(self, name: str) -> Rule:
        """Look a rule up by id (``reply.blame-shifting``), code (``R103``) or short name."""
        rid = self._names.get(name)
        if rid is None:
            raise RuleNotFound(name, self._rules)
        return self._rules[rid]

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Any:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self._rules)

    def all(self, family: str | None = None) -> list[Rule]:
        """Rules ordered by code, optionally of one family."""
        rules = sorted(self._rules.values(), key=lambda r: r.code)
        return [r for r in rules if family is None or r.family == family]

    def applying_to(self, setting: str, family: str | None = None) -> list[Rule]:
        """Rules (ordered by code) whose metadata says they apply to ``setting``
        (e.g. ``"chat-turn"``, see :attr:`Rule.applies_to`)."""
        return [r for r in self.all(family) if setting in r.applies_to]

    @property
    def families(self) -> list[str]:
        return sorted(self._families)

    @property
    def names(self) -> dict[str, str]:
        """Every accepted name (id, code, short name) → rule id."""
        return dict(self._names)

    def run_example(self, r: Rule, example: RuleExample, standard: Any = None) -> list[Finding]:
        """Judge one example with the rule alone, in the context its family builds."""
        ctx = self.family(r.family).make_context(example, standard)
        return r.run(ctx, standard)


REGISTRY = RuleRegistry()


def rule(
    *,
    id: str,
    code: str,
    family: str,
    name_zh: str,
    name_en: str,
    severity: Severity,
    clause: str,
    message_zh: str,
    message_en: str,
    suggestion_zh: str = "",
    suggestion_en: str = "",
    examples: Sequence[RuleExample] = (),
    applies_to: Sequence[str] = (),
    registry: RuleRegistry | None = None,
) -> Callable[[CheckFn], Rule]:
    """Declare a rule on its check function and register it (in :data:`REGISTRY` by default)."""

    def wrap(fn: CheckFn) -> Rule:
        r = Rule(
            id=id,
            code=code,
            family=family,
            name_zh=name_zh,
            name_en=name_en,
            default_severity=severity,
            clause=clause,
            message_zh=message_zh,
            message_en=message_en,
            suggestion_zh=suggestion_zh,
            suggestion_en=suggestion_en,
            examples=tuple(examples),
            applies_to=tuple(applies_to),
            check=fn,
        )
        return (registry if registry is not None else REGISTRY).register(r)

    return wrap
