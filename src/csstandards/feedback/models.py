"""Value objects of feedback classification (反馈分类): enums, key issues, settings, assessment.

Nothing here imports :mod:`csstandards.standard`, so ``Standard`` can hold a
:class:`FeedbackSettings` without an import cycle.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..models import Channel, Evidence, FrozenModel, LabelledEnum, Priority, Rating, Span, _label

__all__ = [
    "EmotionLevel",
    "FeedbackAssessment",
    "FeedbackKind",
    "FeedbackSettings",
    "GroupDef",
    "Hazard",
    "Hint",
    "IssueSeverity",
    "KeyIssue",
    "Polarity",
    "RootCause",
    "Scope",
    "Topic",
    "TopicDef",
    "Urgency",
]


class FeedbackKind(LabelledEnum):
    """The four classes of 002 二(二)2 (表扬 / 建议 / 抱怨 / 投诉), plus 咨询 (a plain question or
    request for information, 001) and 未识别 (no evidence for any kind: a person reads it)."""

    PRAISE = "praise"
    SUGGESTION = "suggestion"
    COMPLAINT = "complaint"
    GRIEVANCE = "grievance"
    ENQUIRY = "enquiry"
    UNKNOWN = "unknown"


_label(
    FeedbackKind,
    {
        "praise": ("表扬", "praise"),
        "suggestion": ("建议", "suggestion"),
        "complaint": ("抱怨", "complaint"),
        "grievance": ("投诉", "grievance"),
        "enquiry": ("咨询", "enquiry"),
        "unknown": ("未识别", "unknown"),
    },
)


class _Ranked(LabelledEnum):
    @property
    def rank(self) -> int:
        """Position in declaration order (0 = lowest)."""
        return _RANKS[self]


class EmotionLevel(_Ranked):
    """Intensity of the customer's negative emotion (003 二(一) 情感反应), calm … furious."""

    CALM = "calm"
    ANNOYED = "annoyed"
    ANGRY = "angry"
    FURIOUS = "furious"


_label(
    EmotionLevel,
    {
        "calm": ("平静", "calm"),
        "annoyed": ("不满", "annoyed"),
        "angry": ("生气", "angry"),
        "furious": ("愤怒", "furious"),
    },
)


class Urgency(_Ranked):
    """紧急性 (002 二(二)2): deadlines and ongoing harm make feedback urgent."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


_label(Urgency, {"low": ("不急", "low"), "normal": ("一般", "normal"), "high": ("紧急", "high")})


class IssueSeverity(_Ranked):
    """严重程度 (002 二(二)2): critical = safety, health, legal, data breach, money lost."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


_label(
    IssueSeverity,
    {
        "low": ("轻微", "low"),
        "medium": ("一般", "medium"),
        "high": ("严重", "high"),
        "critical": ("危急", "critical"),
    },
)


class Scope(_Ranked):
    """影响范围 (002 二(二)2): one customer once, repeatedly, or many customers."""

    INDIVIDUAL = "individual"
    REPEATED = "repeated"
    WIDESPREAD = "widespread"


_label(
    Scope,
    {
        "individual": ("个别", "individual"),
        "repeated": ("反复出现", "repeated"),
        "widespread": ("普遍", "widespread"),
    },
)


class Hint(LabelledEnum):
    """003 二(二) 客观分析: a reasonable, actionable point, or a likely misunderstanding."""

    ACTIONABLE = "actionable"
    MISUNDERSTANDING = "misunderstanding"
    NO_ACTION = "no_action"


_label(
    Hint,
    {
        "actionable": ("合理意见,可改进", "actionable"),
        "misunderstanding": ("可能是误解或沟通不畅", "likely misunderstanding"),
        "no_action": ("无需处理", "no action needed"),
    },
)


class RootCause(LabelledEnum):
    """Root-cause category (003 二(二) 找出问题的根源)."""

    PRODUCT = "product"
    PROCESS = "process"
    LOGISTICS = "logistics"
    COMMUNICATION = "communication"


_label(
    RootCause,
    {
        "product": ("产品", "product"),
        "process": ("流程", "process"),
        "logistics": ("物流", "logistics"),
        "communication": ("沟通", "communication"),
    },
)

_RANKS: dict[LabelledEnum, int] = {
    m: i for cls in (EmotionLevel, Urgency, IssueSeverity, Scope) for i, m in enumerate(cls)
}

Polarity = Literal["negative", "positive", "request"]


class TopicDef(FrozenModel):
    """A topic of the taxonomy as data (see ``lexicon/feedback_taxonomy.toml``)."""

    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    root_cause: RootCause = RootCause.PROCESS
    aspects: tuple[str, ...] = ()
    issue_group: str | None = None
    slow_group: str | None = None
    praise_group: str | None = None


class GroupDef(FrozenModel):
    """A key-issue group (synonym group): the cues that raise it and the words that address it."""

    topic: str = Field(min_length=1)
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    polarity: Polarity = "negative"
    severity: IssueSeverity | None = None
    cues: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()


class Topic(FrozenModel):
    """A topic found in a text: id plus its Chinese and English labels."""

    id: str
    label_zh: str
    label_en: str


class KeyIssue(FrozenModel):
    """A concrete point the customer raised (破损, 补发, 物流慢 …) and where.

    ``group`` is the synonym-group id: ``Taxonomy.group_phrases(group)`` lists every phrase a
    reply may use to address it.  ``polarity`` says whether it is a problem, a request or a
    point of praise.
    """

    label: str
    topic: str
    group: str
    cue: str
    spans: tuple[Span, ...] = ()
    polarity: Polarity = "negative"


class Hazard(FrozenModel):
    """A hazard (危害) the text reports: its class (body, fire, machine, gas, water, money,
    privacy), the cue and where, who it happened to and whether it is still going on."""

    name: str
    label_zh: str
    label_en: str
    cue: str
    spans: tuple[Span, ...] = ()
    victim: str | None = None
    ongoing: str | None = None


Matrix = dict[IssueSeverity, dict[Urgency, Priority]]


class FeedbackSettings(FrozenModel):
    """Configuration of the feedback classifier, held by ``Standard.feedback``.

    * ``priority_matrix``: severity → urgency → priority, replacing the shipped matrix cell by
      cell (cells not given keep the default);
    * ``scope_raise``: how many steps a repeated / widespread scope raises the priority;
    * ``topics`` / ``groups``: extra (or replacing) taxonomy entries, as data;
    * ``rating_threshold``: |sentiment| from which a text is 好评 / 差评 (default 0.2);
    * ``public_channels``: channels where a complaint is public, which raises its urgency.
    """

    priority_matrix: dict[IssueSeverity, dict[Urgency, Priority]] = Field(default_factory=dict)
    scope_raise: dict[Scope, int] = Field(default_factory=dict)
    topics: dict[str, TopicDef] = Field(default_factory=dict)
    groups: dict[str, GroupDef] = Field(default_factory=dict)
    rating_threshold: float = Field(default=0.2, gt=0.0, lt=1.0)
    public_channels: frozenset[Channel] = frozenset({Channel.SOCIAL_MEDIA})

    @field_validator("scope_raise")
    @classmethod
    def _steps(cls, v: dict[Scope, int]) -> dict[Scope, int]:
        for k, n in v.items():
            if not 0 <= n <= 3:
                raise ValueError(f"scope_raise[{k.value}] must be 0..3, got {n}")
        return v

    def is_default(self) -> bool:
        return self == _DEFAULT_SETTINGS


_DEFAULT_SETTINGS = FeedbackSettings()


class FeedbackAssessment(FrozenModel):
    """The classification of one feedback text (002 二(二)2, 003 二(一)(二)).

    Every field is explained by :attr:`evidence` (``evidence_for("urgency")`` …); spans point
    into the caller's original text.  ``kind``, ``rating`` and ``severity`` carry a confidence
    in [0, 1] (置信度): low when little evidence decided them (``kind`` is ``UNKNOWN`` 未识别 when
    none did).  ``hazards`` lists what decided a critical/high severity; ``language`` is
    ``"zh"`` or ``"en"`` (English text is read with a small English lexicon).
    """

    kind: FeedbackKind
    rating: Rating
    sentiment: float = Field(ge=-1.0, le=1.0)
    stars: float | None = None
    star_rating: Rating | None = None
    stars_disagree: bool = False
    emotion: EmotionLevel
    urgency: Urgency
    severity: IssueSeverity
    scope: Scope
    topics: tuple[Topic, ...] = ()
    key_issues: tuple[KeyIssue, ...] = ()
    priority: Priority
    hint: Hint
    root_cause: RootCause | None = None
    channel: Channel | None = None
    hazards: tuple[Hazard, ...] = ()
    kind_confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    rating_confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    severity_confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    language: str = "zh"
    evidence: tuple[Evidence, ...] = ()

    @model_validator(mode="after")
    def _stars_consistent(self) -> FeedbackAssessment:
        if (self.stars is None) != (self.star_rating is None):
            raise ValueError("stars and star_rating are given together")
        return self

    @property
    def actionable(self) -> bool:
        """003 二(二): a reasonable point the company can act on."""
        return self.hint is Hint.ACTIONABLE

    @property
    def likely_misunderstanding(self) -> bool:
        return self.hint is Hint.MISUNDERSTANDING

    @property
    def topic_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.topics)

    def issues(self, polarity: Polarity = "negative") -> tuple[KeyIssue, ...]:
        """Key issues of one polarity (problems by default)."""
        return tuple(k for k in self.key_issues if k.polarity == polarity)

    def to_html(self, text: str | None = None) -> str:
        """HTML of the assessment; with the classified ``text`` its evidence spans are marked."""
        from ..report.render import assessment_html

        return assessment_html(self, text)

    def _repr_html_(self) -> str:
        return self.to_html()

    def evidence_for(self, field: str) -> tuple[Evidence, ...]:
        """The evidence that decided ``field``."""
        return tuple(e for e in self.evidence if e.field == field)
