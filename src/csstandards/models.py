"""Shared vocabulary: enums, spans, findings and evidence used by every module.

All public objects here are frozen pydantic models (or ``str`` enums) that round-trip through
JSON losslessly::

    >>> f = Finding(rule_id="reply.blame-shifting", code="CS201", severity=Severity.ERROR,
    ...             message_zh="推诿", message_en="blame-shifting", clause="000 §2.2")
    >>> Finding.model_validate_json(f.model_dump_json()) == f
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import InputError

__all__ = [
    "Actor",
    "Channel",
    "Evidence",
    "Finding",
    "FrozenModel",
    "Lang",
    "Priority",
    "Rating",
    "Severity",
    "Span",
]

Lang = Literal["zh", "en"]


class FrozenModel(BaseModel):
    """Base of the library's public value objects: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __hash__(self) -> int:
        # pydantic's frozen hash fails on a dict or list field (CaseAssessment.raw); hash a
        # field by its contents instead, so equal objects hash equal and none is unhashable
        return hash((type(self), *map(frozen_value, self.__dict__.values())))


def frozen_value(v: Any) -> Any:
    """A hashable stand-in for a field value (dicts and lists by their contents)."""
    if isinstance(v, dict):
        return tuple(sorted(((k, frozen_value(x)) for k, x in v.items()), key=repr))
    if isinstance(v, (list, set)):
        items = tuple(map(frozen_value, v))
        return items if isinstance(v, list) else tuple(sorted(items, key=repr))
    return v


M = TypeVar("M", bound=BaseModel)
_setattr = object.__setattr__
_HOOKS = (
    "validators",
    "field_validators",
    "root_validators",
    "model_validators",
    "field_serializers",
    "model_serializers",
)


def trusted_builder(
    cls: type[M], *, required: Iterable[str] = (), validators_hold: bool = False
) -> Callable[..., M]:
    """A constructor of ``cls`` that skips validation, for values this library computed itself.

    The classifier builds a dozen evidence records per text; validating each costs more than
    the decision it records, and ``model_construct`` is slower still (it resolves aliases and
    defaults field by field on every call).  The builder resolves the defaults once and sets
    what ``model_construct`` sets: every field in declaration order, the fields given, no
    extras.  Missing required or unknown fields raise :class:`TypeError`; the values
    themselves are trusted, so callers keep their own tests that round-trip the result
    through validation.  Only for plain models (no aliases, default factories, private
    attributes, post-init hooks, validators or custom serializers).  ``validators_hold=True``
    admits a model with validators when the caller builds only values they accept (e.g. an
    SLA stage event always with its stage name).  A field with a default factory is accepted
    when named in ``required``, which makes it a required argument of the builder
    (``trusted_builder(Finding, required=["data"])``: no default dict shared by instances).
    """
    fields = cls.model_fields
    must = frozenset(required)
    if not must <= fields.keys():
        raise TypeError(f"{cls.__name__} has no fields {sorted(must - fields.keys())}")
    if not cls.model_config.get("frozen"):
        raise TypeError(f"{cls.__name__} is not frozen; its instances cannot share state")
    if (
        any(
            f.alias or f.validation_alias or (f.default_factory and n not in must)
            for n, f in fields.items()
        )
        or cls.__private_attributes__
        or cls.__pydantic_post_init__
        or (
            not validators_hold
            and any(getattr(cls.__pydantic_decorators__, h, None) for h in _HOOKS)
        )
    ):
        raise TypeError(f"{cls.__name__} is not a plain model; use model_construct")
    template = {n: None if f.is_required() or n in must else f.default for n, f in fields.items()}
    needed = must | frozenset(n for n, f in fields.items() if f.is_required())
    size = len(template)
    new = cls.__new__

    # The set of fields given is shared by every instance built with the same names: frozen
    # models never add to it (pydantic copies it before model_copy updates it), and one set
    # less per instance is one object less for the garbage collector to walk.
    given_sets: dict[tuple[str, ...], set[str]] = {}

    def build(**values: Any) -> M:
        d = {**template, **values}
        if len(d) != size or not needed <= values.keys():
            raise TypeError(f"{cls.__name__}: missing or unknown fields in {sorted(values)}")
        names = tuple(values)
        given = given_sets.get(names)
        if given is None:
            given = given_sets[names] = set(names)
        m = new(cls)
        _setattr(m, "__dict__", d)
        _setattr(m, "__pydantic_fields_set__", given)
        _setattr(m, "__pydantic_extra__", None)
        _setattr(m, "__pydantic_private__", None)
        return m

    return build


class LabelledEnum(str, Enum):
    """A ``str`` enum whose members carry a Chinese and an English label.

    Subclasses define ``_labels_`` as ``{value: (zh, en)}`` below the class body (see
    :func:`_label`).  ``str(member)`` is the stable machine value.
    """

    @property
    def label_zh(self) -> str:
        return _LABELS[type(self)][self.value][0]

    @property
    def label_en(self) -> str:
        return _LABELS[type(self)][self.value][1]

    def label(self, lang: Lang = "zh") -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def __str__(self) -> str:
        return str(self.value)


_LABELS: dict[type[LabelledEnum], dict[str, tuple[str, str]]] = {}


def _label(cls: type[LabelledEnum], labels: dict[str, tuple[str, str]]) -> None:
    missing = {m.value for m in cls} - labels.keys()
    if missing:  # pragma: no cover - guards the module itself
        raise RuntimeError(f"{cls.__name__} lacks labels for {sorted(missing)}")
    _LABELS[cls] = labels


class Channel(LabelledEnum):
    """Where a customer reached us (002 二(一) 反馈渠道)."""

    ONLINE_CHAT = "online_chat"  # 在线咨询
    PHONE = "phone"  # 电话
    EMAIL = "email"  # 电子邮件
    WEB_FORM = "web_form"  # 在线表单
    IM = "im"  # 即时通讯
    SOCIAL_MEDIA = "social_media"  # 社交媒体
    REVIEW_PLATFORM = "review_platform"  # 评价平台
    HOTLINE = "hotline"  # 客服热线
    IN_PERSON = "in_person"  # 服务网点面对面
    SUGGESTION_BOX = "suggestion_box"  # 意见箱
    THIRD_PARTY = "third_party"  # 第三方平台


_label(
    Channel,
    {
        "online_chat": ("在线咨询", "online chat"),
        "phone": ("电话", "phone"),
        "email": ("电子邮件", "e-mail"),
        "web_form": ("在线表单", "web form"),
        "im": ("即时通讯", "instant messaging"),
        "social_media": ("社交媒体", "social media"),
        "review_platform": ("评价平台", "review platform"),
        "hotline": ("客服热线", "hotline"),
        "in_person": ("面对面", "in person"),
        "suggestion_box": ("意见箱", "suggestion box"),
        "third_party": ("第三方平台", "third-party platform"),
    },
)


class Rating(LabelledEnum):
    """The class of a review: 好评 / 中评 / 差评 (000 §2.3).

    Stars map as the big Chinese platforms display them: 4–5 stars are 好评, 3 stars 中评,
    1–2 stars 差评 (see :meth:`from_stars`).
    """

    POSITIVE = "positive"  # 好评
    NEUTRAL = "neutral"  # 中评
    NEGATIVE = "negative"  # 差评

    @classmethod
    def from_stars(cls, stars: float) -> Rating:
        """Map a 1–5 star score to a rating: ≥4 好评, ≥3 中评, else 差评.

        Half stars are accepted (3.5 → 中评).  Anything outside 1–5 raises :class:`InputError`.
        """
        if isinstance(stars, bool) or not isinstance(stars, (int, float)):
            raise InputError(f"stars must be a number from 1 to 5, got {stars!r}")
        if not 1 <= stars <= 5:
            raise InputError(f"stars must be between 1 and 5 (星级 1–5), got {stars!r}")
        if stars >= 4:
            return cls.POSITIVE
        if stars >= 3:
            return cls.NEUTRAL
        return cls.NEGATIVE


_label(
    Rating,
    {
        "positive": ("好评", "positive"),
        "neutral": ("中评", "neutral"),
        "negative": ("差评", "negative"),
    },
)


class Severity(LabelledEnum):
    """How serious a finding is.  Ordered: ``INFO < WARNING < ERROR``."""

    INFO = "info"  # 提示
    WARNING = "warning"  # 警告
    ERROR = "error"  # 错误

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self.value]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
_label(
    Severity,
    {"info": ("提示", "info"), "warning": ("警告", "warning"), "error": ("错误", "error")},
)


class Priority(LabelledEnum):
    """Handling priority of a case, P1 (highest) to P4 (002 二(二)2 确定处理优先级)."""

    P1 = "P1"  # 紧急
    P2 = "P2"  # 高
    P3 = "P3"  # 中
    P4 = "P4"  # 低

    @property
    def rank(self) -> int:
        """1 for P1 … 4 for P4 (smaller is more urgent)."""
        return int(self.value[1])


_label(
    Priority,
    {"P1": ("紧急", "urgent"), "P2": ("高", "high"), "P3": ("中", "medium"), "P4": ("低", "low")},
)


class Actor(LabelledEnum):
    """Who produced an event in a conversation or case."""

    CUSTOMER = "customer"  # 客户
    AGENT = "agent"  # 客服
    BOT = "bot"  # 机器人/自动回复
    SYSTEM = "system"  # 系统


_label(
    Actor,
    {
        "customer": ("客户", "customer"),
        "agent": ("客服", "agent"),
        "bot": ("自动回复", "bot"),
        "system": ("系统", "system"),
    },
)


class Span(FrozenModel):
    """A half-open ``[start, end)`` range of character offsets into the caller's *original* text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")
        return self

    def of(self, text: str) -> str:
        """The text this span covers in ``text``."""
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


_SPAN_CACHE: dict[tuple[int, int], Span] = {}
_trusted_span = trusted_builder(Span, validators_hold=True)
# Small: a short text's offsets recur, a long text's are new (a cache of 65,536 spans kept
# ~130k objects alive for the life of the process, and every full collection walked them)
_SPAN_CACHE_LIMIT = 1 << 12


def span(start: int, end: int) -> Span:
    """The :class:`Span` ``[start, end)``, shared: spans are immutable and the same few offsets
    recur in every short text, so each is validated once instead of at every finding."""
    key = (start, end)
    sp = _SPAN_CACHE.get(key)
    if sp is None:
        if type(start) is int and type(end) is int and 0 <= start <= end:
            # what validation would build, without its cost and its own fields-set object
            # per span (one object less per span for the collector: issue #17)
            sp = _trusted_span(start=start, end=end)
        else:
            sp = Span(start=start, end=end)  # validates: negative or reversed offsets raise
        if len(_SPAN_CACHE) >= _SPAN_CACHE_LIMIT:
            _SPAN_CACHE.clear()
        _SPAN_CACHE[key] = sp
    return sp


class Evidence(FrozenModel):
    """Why a field of an assessment has its value: the cue that matched and where.

    ``field`` names what was decided (``"rating"``, ``"topics"``, ``"urgency"`` …), ``value``
    what the cue pointed to, ``cue`` the lexicon entry or feature, ``spans`` its places in the
    original text (empty for features such as star scores), ``weight`` its contribution.
    """

    field: str
    value: str
    cue: str
    spans: tuple[Span, ...] = ()
    weight: float | None = None
    source: str = ""
    note: str = ""


class Finding(FrozenModel):
    """One problem (or notice) a rule found in a text, with the evidence that triggered it."""

    rule_id: str
    code: str
    severity: Severity
    message_zh: str
    message_en: str
    clause: str = ""
    suggestion_zh: str = ""
    suggestion_en: str = ""
    spans: tuple[Span, ...] = ()
    cue: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    def message(self, lang: Lang = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def suggestion(self, lang: Lang = "zh") -> str:
        return self.suggestion_zh if lang == "zh" else self.suggestion_en


class SuppressedFinding(FrozenModel):
    """A finding a runtime suppression (运行时豁免) kept out of the verdict, with why and by
    which setting: reports record it rather than drop it silently."""

    finding: Finding
    reason: str
    setting: str
