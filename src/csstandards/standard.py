"""The ``Standard``: one explicit object with everything a check may be configured by.

Defaults come from the four standards documents; a company changes what it needs::

    std = Standard(
        rules=RuleSettings(disabled=frozenset({"reply.missing-invitation"})),
        phrases={"blame_shifting": ["合作方的锅"]},
        brand_voice="professional",
    )
    check_reply(text, review=review, standard=std)

Nothing here is global: pass the object to the functions that take ``standard=``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .calendar import HolidaySchedule
from .errors import ConfigError, LexiconError
from .feedback.models import FeedbackSettings
from .judge.patterns import CuePatterns, shipped_classes, shipped_patterns
from .lexicon import Lexicon, phrase_lists
from .models import FrozenModel, Severity
from .sla import SLAPolicy
from .text.normalize import normalize_phrase

__all__ = ["ReplySettings", "RuleSettings", "Standard", "Suppression", "VoiceProfile"]


class RuleSettings(FrozenModel):
    """Which rules run and how severe their findings are.

    ``enabled`` (when given) is the complete allow-list of rule ids or codes; ``disabled``
    is removed from whatever is enabled; ``severity`` overrides the default per rule.
    """

    enabled: frozenset[str] | None = Field(
        default=None,
        description="allow-list of rules (ids, codes or short names); unset = every rule runs",
    )
    disabled: frozenset[str] = Field(
        default=frozenset(), description="rules switched off (ids, codes or short names)"
    )
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="severity overrides, rule = info | warning | error"
    )


VOICE_FEATURES = frozenset(
    {"nin", "qin", "ni", "particle", "exclamation", "emoji", "warm_words", "bureaucratic",
     "length", "sentence_length"}
)  # fmt: skip


class VoiceProfile(FrozenModel):
    """A brand-voice profile (品牌调性, 000 §2.4): bounds on features measured on a reply.

    ``min``/``max`` bound a feature's value; ``require_any`` needs at least one of the named
    features present.  Features: see ``VOICE_FEATURES`` and docs/tone.md.
    """

    description: str = ""
    require_any: tuple[str, ...] = ()
    min: dict[str, float] = Field(default_factory=dict)
    max: dict[str, float] = Field(default_factory=dict)

    @field_validator("require_any", "min", "max")
    @classmethod
    def _known_features(cls, v: Any) -> Any:
        unknown = sorted(set(v) - VOICE_FEATURES)
        if unknown:
            raise ValueError(f"unknown voice feature(s) {unknown}; known: {sorted(VOICE_FEATURES)}")
        return v


class ReplySettings(FrozenModel):
    """Settings of the reply checker (回复检查, ``csstandards.tone``).

    ``min_score`` is the pass mark; ``penalty`` the points a finding of each severity takes
    from its dimension (速度/温度/深度); ``weights`` the share of each dimension in the score;
    ``voices`` adds or overrides brand-voice profiles; ``jargon`` adds term → plain wording.
    """

    min_score: int = Field(
        default=70, ge=0, le=100, description="pass mark of a reply (合格分), 0–100"
    )
    penalty: dict[Severity, int] = Field(
        default_factory=lambda: {Severity.ERROR: 35, Severity.WARNING: 20, Severity.INFO: 8},
        description="points a finding of each severity takes from its dimension",
    )
    weights: dict[str, float] = Field(
        default_factory=lambda: {"speed": 0.2, "warmth": 0.4, "depth": 0.4},
        description="share of speed (速度), warmth (温度) and depth (深度) in the score",
    )
    dismissive_max_chars: int = Field(
        default=12, ge=1, description="a reply this short or shorter can be dismissive (敷衍)"
    )
    template_residual_chars: int = Field(
        default=6,
        ge=0,
        description="characters beyond a stock phrase under which a reply is a bare template",
    )
    voices: dict[str, VoiceProfile] = Field(
        default_factory=dict, description="extra or overriding brand-voice profiles (品牌调性)"
    )
    jargon: dict[str, str] = Field(
        default_factory=dict, description="extra jargon (行话): term = plain wording"
    )
    speech_acts: Literal["assist", "off"] = Field(
        default="assist",
        description="the learned speech-act model (言语行为模型) beside the cue lists: "
        "assist = rules and model, off = rules alone",
    )

    @field_validator("weights")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        if set(v) != {"speed", "warmth", "depth"} or any(w < 0 for w in v.values()):
            raise ValueError("weights needs non-negative 'speed', 'warmth' and 'depth'")
        if sum(v.values()) <= 0:
            raise ValueError("weights must not all be zero")
        return v


class Suppression(FrozenModel):
    """Why a rule is suppressed at run time (运行时豁免) and which setting says so.

    ``reason`` is required (as for the linter's inline directives); ``setting`` names where the
    suppression was configured (a configuration file and key, ``Standard(…).suppress`` or
    ``check_reply(suppress=…)``) so a report can say who switched the rule off.
    """

    reason: str = Field(min_length=1)
    setting: str = ""

    @field_validator("reason")
    @classmethod
    def _reason_text(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a suppression needs a reason (豁免理由), not blank text")
        return v.strip()


class Standard(FrozenModel):
    """Configuration of every check (thresholds, rules, voice, lexicon additions)."""

    name: str = Field(default="default", description="name of the Standard (标准名称)")
    rules: RuleSettings = RuleSettings()
    phrases: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="extra phrases for the shipped phrase lists (词表扩充), list name = [phrases]",
    )
    classes: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="extra words for the word classes of cue patterns (词类扩充), class = "
        "[words]: a shipped class (party, self, remedy …) gains the words in every pattern "
        "that uses it; a new name is a class for this standard's own patterns",
    )
    patterns: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="extra cue patterns (句式扩充) for the cue lists (those with a scope: "
        'blame_shifting, defensive, refusal …), list = [patterns], e.g. "{link}{self}无关"',
    )
    exceptions: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="extra exception patterns (例外) for the cue lists: a cue inside a match "
        "of one does not count, list = [patterns]",
    )
    brand_voice: str | None = Field(
        default=None,
        description="brand voice (品牌调性): warm, professional, lively or a reply.voices profile",
    )
    reply: ReplySettings = Field(
        default=ReplySettings(),
        description="reply-checker settings (回复检查): min_score, penalty, weights, voices, "
        "jargon …",
    )
    feedback: FeedbackSettings = Field(
        default=FeedbackSettings(), description="feedback-classifier settings (反馈分类)"
    )
    sla: SLAPolicy | None = Field(
        default=None,
        description="the company's SLA policy (服务时限): a policy file path (relative to the "
        "configuration file) or an inline policy table; default: the targets of standard 000 §2.1",
    )
    public_contacts: tuple[str, ...] = Field(
        default=(),
        description="the company's own public contacts (公开联系方式: hotline, service e-mail, "
        "store landline); a reply giving one of them is not a privacy leak",
    )
    suppress: dict[str, Suppression] = Field(
        default_factory=dict,
        description="rules suppressed at run time (运行时豁免), rule = reason; every suppressed "
        "finding is recorded in the report with the reason and the setting",
    )
    holidays: tuple[HolidaySchedule, ...] = Field(
        default=(),
        description="extra official holiday schedules (节假日安排), e.g. next year's notice "
        "imported with `csstandards calendar import`; the SLA code applies them with "
        'SLAPolicy.with_holidays (config key: holidays = ["cn_2027.toml"])',
    )

    @field_validator("suppress", mode="before")
    @classmethod
    def _suppress_reasons(cls, v: Any) -> Any:
        if isinstance(v, Mapping):
            return {
                k: {"reason": r, "setting": "Standard.suppress"} if isinstance(r, str) else r
                for k, r in v.items()
            }
        return v

    @field_validator("public_contacts", mode="before")
    @classmethod
    def _contacts_are_list(cls, v: Any) -> Any:
        if isinstance(v, str):
            raise ValueError("public_contacts must be a list of strings, not a string")
        return v

    @field_validator("public_contacts")
    @classmethod
    def _contacts_not_blank(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(not c.strip() for c in v):
            raise ValueError("public_contacts must not contain blank strings")
        return tuple(c.strip() for c in v)

    def is_public_contact(self, text: str) -> bool:
        """Whether ``text`` is one of the company's own public contacts (compared without
        spaces, hyphens and case, so ``021-6488 1234`` matches ``02164881234``)."""
        if not self.public_contacts:
            return False
        return _contact_key(text) in {_contact_key(c) for c in self.public_contacts}

    @field_validator("phrases", "classes", "patterns", "exceptions", mode="before")
    @classmethod
    def _phrases_are_lists(cls, v: Any, info: Any) -> Any:
        if isinstance(v, Mapping):
            for key, val in v.items():
                if isinstance(val, str):
                    raise ValueError(
                        f"{info.field_name}[{key!r}] must be a list of strings, not a string"
                    )
        return v

    @model_validator(mode="after")
    def _cues_compile(self) -> Standard:
        # compiled now, so a bad class or pattern is an error where the Standard is made
        # (LexiconError naming the key), not on the first reply checked
        if self.classes or self.patterns or self.exceptions:
            _cue_tables(self)
        return self

    @classmethod
    def default(cls) -> Standard:
        return _DEFAULT

    # -- derived, cached -------------------------------------------------------------------
    def lexicon(self) -> Lexicon:
        """The shipped lexicon extended with this standard's ``phrases`` (compiled once)."""
        if not self.phrases:
            return Lexicon.default()
        key = tuple(sorted((k, tuple(v)) for k, v in self.phrases.items()))
        with _cache_lock:
            lex = _lexicon_cache.get(key)
            if lex is None:
                lex = Lexicon.default().extend(
                    self.phrases, source=f"Standard({self.name}).phrases"
                )
                if len(_lexicon_cache) > 64:
                    _lexicon_cache.clear()
                _lexicon_cache[key] = lex
        return lex

    def cue_patterns(self, list_name: str, field: str = "patterns") -> CuePatterns:
        """The compiled ``patterns`` (or ``exceptions``) of the cue list ``list_name``: the
        shipped ones plus this standard's, over the shipped word classes extended with
        :attr:`classes` (compiled once per distinct configuration)."""
        if not (self.classes or self.patterns or self.exceptions):
            return shipped_patterns(list_name, field)
        got = _cue_tables(self)[field].get(list_name)
        return got if got is not None else shipped_patterns(list_name, field)

    def rule_enabled(self, rule_id: str, code: str = "") -> bool:
        s = self.rules
        names = {rule_id, code, rule_id.split(".", 1)[-1]} - {""}
        if s.enabled is not None and not names & s.enabled:
            return False
        return not names & s.disabled

    def severity_for(self, rule_id: str, default: Severity, code: str = "") -> Severity:
        sev = self.rules.severity
        for key in (rule_id, code, rule_id.split(".", 1)[-1]):
            if key and key in sev:
                return sev[key]
        return default

    def validate_rule_names(self, known: Mapping[str, str]) -> None:
        """Raise :class:`ConfigError` for rule names in the settings that no rule has.

        ``known`` maps every accepted name (id, code, short name) to the rule id.
        """
        s = self.rules
        for field, names in (
            ("rules.enabled", s.enabled or frozenset()),
            ("rules.disabled", s.disabled),
            ("rules.severity", frozenset(s.severity)),
        ):
            for n in sorted(names):
                if n not in known:
                    raise ConfigError(f"Standard({self.name})", field, f"unknown rule {n!r}")


def _contact_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch not in " -()\u3000")


def _cue_tables(std: Standard) -> dict[str, dict[str, CuePatterns]]:
    """Every cue list's patterns and exceptions under ``std``'s additions (cached by content:
    equal configurations share one compilation)."""
    key = (
        tuple(sorted(std.classes.items())),
        tuple(sorted(std.patterns.items())),
        tuple(sorted(std.exceptions.items())),
    )
    with _cache_lock:
        got = _cue_cache.get(key)
    if got is not None:
        return got
    src = f"Standard({std.name})"
    classes = dict(shipped_classes())
    for name, words in std.classes.items():
        where = f"classes.{name}"
        if not (name.isascii() and name.isidentifier()):
            raise LexiconError(
                src, where, "a class name is an ASCII identifier ({name} in a pattern)"
            )
        if not words or not all(normalize_phrase(w) for w in words):
            raise LexiconError(src, where, "must be a non-empty list of non-blank words")
        classes[name] = tuple(dict.fromkeys((*classes.get(name, ()), *words)))
    lists = phrase_lists()
    cue_lists = sorted(n for n, pl in lists.items() if pl.scope)
    out: dict[str, dict[str, CuePatterns]] = {"patterns": {}, "exceptions": {}}
    for field, added in (("patterns", std.patterns), ("exceptions", std.exceptions)):
        for name, pats in added.items():
            if name not in lists:
                raise LexiconError(src, f"{field}.{name}", f"no phrase list {name!r}")
            if not lists[name].scope:
                raise LexiconError(
                    src,
                    f"{field}.{name}",
                    "patterns extend the cue lists read through the scope layer only: "
                    + ", ".join(cue_lists)
                    + " (other lists take literal phrases: Standard.phrases)",
                )
            CuePatterns(pats, classes, where=(src, f"{field}.{name}"))  # errors name this key
        for name in cue_lists:
            pl = lists[name]
            shipped = pl.patterns if field == "patterns" else pl.exceptions
            both = (*shipped, *added.get(name, ()))
            out[field][name] = CuePatterns(
                both, classes, where=(pl.source, f"lists.{name}.{field}")
            )
    with _cache_lock:
        if len(_cue_cache) > 64:
            _cue_cache.clear()
        _cue_cache[key] = out
    return out


_cue_cache: dict[Any, dict[str, dict[str, CuePatterns]]] = {}
_DEFAULT = Standard()
_cache_lock = threading.Lock()
_lexicon_cache: dict[tuple[tuple[str, tuple[str, ...]], ...], Lexicon] = {}
