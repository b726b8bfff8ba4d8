"""Service commitments (服务承诺, standard 002 一): check them, parse them, hold them to the data.

Three steps, each usable alone:

* :func:`check_commitment` reads one promise or a whole commitment document and reports
  vague promises (快速响应 with no number), numbers that lack a unit, metric, channel or scope,
  and over-promises (100%, 永远, 绝不, 保证零投诉), each with a concrete rewrite, plus the
  coverage of the eight elements of 002 一(二) as a table (present / weak / missing);
* :func:`parse_commitment` turns the measurable promises into typed
  :class:`CommitmentTarget` objects (metric, channel, threshold and unit, aggregate, scope);
  :meth:`CommitmentTarget.render_zh` is a canonical Chinese sentence that parses back to the
  same target;
* :func:`verify_commitments` measures each target on ticket history (records, pydantic models
  or a pandas DataFrame) on the right calendar and says which promises were kept, with the
  measured figure, the number of cases, the worst offenders and — for a broken promise — the
  service recovery (服务补救) the document promises.

    >>> [t.render_zh() for t in parse_commitment("电话3声内接听,邮件两个工作日内回复")]
    ['电话接听等待均不超过3声', '工作时间内,电子邮件首次响应时间均不超过2个工作日']
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from ._collector import items_size, pauses_collector, text_size
from ._intervals import DisjointIntervals
from ._times import IsoDatetime
from .errors import InputError, LexiconError, RecordError
from .lexicon import load_file
from .models import (
    Channel,
    Finding,
    FrozenModel,
    LabelledEnum,
    Lang,
    Rating,
    Span,
    _label,
    trusted_builder,
)
from .text.normalize import NormalizedText, normalize
from .text.phrases import PhraseMatcher

if TYPE_CHECKING:
    from .calendar import HolidaySchedule
    from .lexicon import LexiconHit
    from .standard import Standard
    from .text.analysis import Analysis

__all__ = [
    "BusinessClock",
    "CommitmentAggregate",
    "CommitmentContext",
    "CommitmentElement",
    "CommitmentMetric",
    "CommitmentReport",
    "CommitmentScope",
    "CommitmentTarget",
    "CoverageStatus",
    "CoverageTable",
    "ElementCoverage",
    "Offender",
    "RecoveryClause",
    "ThresholdUnit",
    "TicketRecord",
    "VerificationReport",
    "VerificationResult",
    "check_commitment",
    "commitment_coverage",
    "parse_chinese_number",
    "parse_commitment",
    "verify_commitments",
]

_DATA_FILE = "commitment.toml"


# ============================================================================ vocabulary


class CommitmentMetric(LabelledEnum):
    """What a commitment measures."""

    FIRST_RESPONSE = "first_response"  # 首次响应
    PHONE_ANSWER = "phone_answer"  # 电话接听
    NEGATIVE_REVIEW_REPLY = "negative_review_reply"  # 差评回复
    RESOLUTION = "resolution"  # 解决
    FOLLOW_UP = "follow_up"  # 回访


_label(
    CommitmentMetric,
    {
        "first_response": ("首次响应", "first response"),
        "phone_answer": ("电话接听", "phone answer"),
        "negative_review_reply": ("差评回复", "negative-review reply"),
        "resolution": ("问题解决", "resolution"),
        "follow_up": ("回访", "follow-up"),
    },
)


class ThresholdUnit(LabelledEnum):
    """Unit of a threshold.  ``RING`` (声) counts rings before a call is answered."""

    SECOND = "second"  # 秒
    MINUTE = "minute"  # 分钟
    HOUR = "hour"  # 小时
    DAY = "day"  # 天 (calendar day, 24 h)
    WORKING_DAY = "working_day"  # 个工作日
    RING = "ring"  # 声


_label(
    ThresholdUnit,
    {
        "second": ("秒", "s"),
        "minute": ("分钟", "min"),
        "hour": ("小时", "h"),
        "day": ("天", "days"),
        "working_day": ("个工作日", "working days"),
        "ring": ("声", "rings"),
    },
)

_UNIT_SECONDS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}


class CommitmentAggregate(LabelledEnum):
    """How cases are summarised: ``WITHIN`` means every single case (均/内)."""

    WITHIN = "within"  # 每一单都在时限内
    AVERAGE = "average"  # 平均
    MAXIMUM = "maximum"  # 最长
    PERCENTILE = "percentile"  # X%的


_label(
    CommitmentAggregate,
    {
        "within": ("每一单", "every case"),
        "average": ("平均", "average"),
        "maximum": ("最长", "maximum"),
        "percentile": ("百分位", "percentile"),
    },
)


class CommitmentScope(LabelledEnum):
    """When the clock runs: only in working hours, or around the clock."""

    WORKING_HOURS = "working_hours"  # 工作时间内
    ALL_HOURS = "all_hours"  # 全天候


_label(
    CommitmentScope,
    {"working_hours": ("工作时间内", "working hours"), "all_hours": ("全天候", "all hours")},
)


class CommitmentElement(LabelledEnum):
    """The eight elements of a service commitment (002 一(二))."""

    RESPONSIVENESS = "responsiveness"  # 响应及时
    COMPETENCE = "competence"  # 专业胜任
    INTEGRITY = "integrity"  # 诚信负责
    CONVENIENCE = "convenience"  # 便捷高效
    RESPECT = "respect"  # 尊重理解
    IMPROVEMENT = "improvement"  # 持续改进
    PRIVACY = "privacy"  # 隐私保护
    RECOVERY = "recovery"  # 服务补救


_label(
    CommitmentElement,
    {
        "responsiveness": ("响应及时", "responsiveness per channel"),
        "competence": ("专业胜任", "competence"),
        "integrity": ("诚信负责", "integrity"),
        "convenience": ("便捷高效", "convenience"),
        "respect": ("尊重理解", "respect"),
        "improvement": ("持续改进", "continuous improvement"),
        "privacy": ("隐私保护", "privacy"),
        "recovery": ("服务补救", "service recovery"),
    },
)


class CoverageStatus(LabelledEnum):
    PRESENT = "present"  # 已覆盖
    WEAK = "weak"  # 较弱
    MISSING = "missing"  # 缺失


_label(
    CoverageStatus,
    {"present": ("已覆盖", "present"), "weak": ("较弱", "weak"), "missing": ("缺失", "missing")},
)


# ============================================================================ the target


def _fmt(v: float) -> str:
    """Shortest text that reads back as ``v`` (integers without a decimal point)."""
    if float(v).is_integer():
        return str(int(v))
    return repr(float(v))


_RENDER_METRIC = {
    "first_response": "首次响应时间",
    "phone_answer": "接听等待",
    "negative_review_reply": "差评回复时间",
    "resolution": "问题解决时间",
    "follow_up": "回访时间",
}
_RENDER_METRIC_EN = {
    "first_response": "first response",
    "phone_answer": "call answered",
    "negative_review_reply": "negative-review reply",
    "resolution": "resolution",
    "follow_up": "follow-up",
}
_RENDER_SCOPE = {"working_hours": "工作时间内,", "all_hours": "全天候,"}


class CommitmentTarget(FrozenModel):
    """One measurable promise: ``metric`` on ``channel`` within ``value`` ``unit``.

    ``low`` is the lower end of a range (2至3个工作日 → low 2, value 3; the promise is the
    upper end).  ``percentile`` is set exactly when ``aggregate`` is ``PERCENTILE``
    (90%的在线咨询 … → 90).  A threshold in working days implies ``CommitmentScope.WORKING_HOURS``.

    ``span`` and ``text`` say where the promise was found; they are *not* part of equality,
    so a target equals the one parsed back from its :meth:`render_zh`.
    """

    metric: CommitmentMetric
    channel: Channel | None = None
    value: float = Field(gt=0, le=1_000_000)
    unit: ThresholdUnit
    low: float | None = Field(default=None, gt=0)
    aggregate: CommitmentAggregate = CommitmentAggregate.WITHIN
    percentile: float | None = Field(default=None, gt=0, le=100)
    scope: CommitmentScope | None = None
    span: Span | None = None
    text: str = ""

    @field_validator("value", "low", "percentile")
    @classmethod
    def _round(cls, v: float | None) -> float | None:
        if v is None:
            return None
        if not math.isfinite(v):
            raise ValueError("must be a finite number")
        return round(float(v), 3)

    @model_validator(mode="after")
    def _consistent(self) -> CommitmentTarget:
        if self.value <= 0:
            raise ValueError("threshold must be positive after rounding to 3 decimals")
        if self.low is not None and not self.low < self.value:
            raise ValueError(f"range low {self.low} must be below the threshold {self.value}")
        if (self.percentile is None) != (self.aggregate is not CommitmentAggregate.PERCENTILE):
            raise ValueError("percentile is given exactly when aggregate is 'percentile'")
        if self.unit is ThresholdUnit.RING and self.metric is not CommitmentMetric.PHONE_ANSWER:
            raise ValueError("a threshold in rings (声) only fits the phone-answer metric")
        if self.unit is ThresholdUnit.WORKING_DAY:
            if self.scope is CommitmentScope.ALL_HOURS:
                raise ValueError("a threshold in working days cannot run in all-hours scope")
            if self.scope is None:
                object.__setattr__(self, "scope", CommitmentScope.WORKING_HOURS)
        return self

    # -- identity ignores where the promise was found -----------------------------------
    def key(self) -> tuple[Any, ...]:
        """The semantic content: what equality and hashing use."""
        return (
            self.metric,
            self.channel,
            self.value,
            self.unit,
            self.low,
            self.aggregate,
            self.percentile,
            self.scope,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CommitmentTarget):
            return NotImplemented
        return self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    # -- rendering -------------------------------------------------------------------------
    def threshold_zh(self) -> str:
        num = _fmt(self.value) if self.low is None else f"{_fmt(self.low)}至{_fmt(self.value)}"
        return f"{num}{self.unit.label_zh}"

    def threshold_en(self) -> str:
        num = _fmt(self.value) if self.low is None else f"{_fmt(self.low)}–{_fmt(self.value)}"
        return f"{num} {self.unit.label_en}"

    def render_zh(self) -> str:
        """The canonical Chinese sentence; :func:`parse_commitment` reads it back to ``self``."""
        scope = _RENDER_SCOPE[self.scope.value] if self.scope is not None else ""
        ch = self.channel.label_zh if self.channel is not None else ""
        metric = _RENDER_METRIC[self.metric.value]
        bound = f"不超过{self.threshold_zh()}"
        if self.aggregate is CommitmentAggregate.AVERAGE:
            return f"{scope}{ch}平均{metric}{bound}"
        if self.aggregate is CommitmentAggregate.MAXIMUM:
            return f"{scope}{ch}{metric}最长{bound}"
        if self.aggregate is CommitmentAggregate.PERCENTILE:
            assert self.percentile is not None
            return f"{scope}{_fmt(self.percentile)}%的{ch}{metric}{bound}"
        return f"{scope}{ch}{metric}均{bound}"

    def render_en(self) -> str:
        parts = []
        if self.aggregate is CommitmentAggregate.PERCENTILE:
            parts.append(f"{_fmt(self.percentile or 0)}% of")
        elif self.aggregate is CommitmentAggregate.AVERAGE:
            parts.append("average")
        elif self.aggregate is CommitmentAggregate.MAXIMUM:
            parts.append("longest")
        else:
            parts.append("every")
        if self.channel is not None:
            parts.append(self.channel.label_en)
        parts.append(_RENDER_METRIC_EN[self.metric.value])
        parts.append(f"≤ {self.threshold_en()}")
        if self.scope is not None:
            parts.append(f"({self.scope.label_en})")
        return " ".join(parts)

    def render(self, lang: Lang = "zh") -> str:
        return self.render_zh() if lang == "zh" else self.render_en()


_trusted_target = trusted_builder(CommitmentTarget, validators_hold=True)


def _parsed_target(
    metric: CommitmentMetric,
    channel: Channel | None,
    value: float,
    low: float | None,
    unit: ThresholdUnit,
    aggregate: CommitmentAggregate,
    percentile: float | None,
    scope: CommitmentScope | None,
    span: Span,
    text: str,
) -> CommitmentTarget:
    """A target the parser found: built without validation when the values are already what
    :class:`CommitmentTarget`'s validators would make of them (rounded to 3 decimals, within
    their bounds, consistent), else validated (which may raise :class:`ValidationError`).

    Validating every target was a fifth of :func:`parse_commitment` on a long text of
    promises (issue #17: 14k targets in 100k characters).  Every field is given, as the
    validating call gives them, so ``model_fields_set`` is the same too."""
    r_low = None if low is None else round(float(low), 3)
    r_pct = None if percentile is None else round(float(percentile), 3)
    # the field bounds hold on the given value, the model's checks on the rounded one
    low_ok = low is None or (low > 0 and r_low is not None and 0 < r_low < value)
    pct_ok = percentile is None or (0 < percentile <= 100 and r_pct is not None and r_pct > 0)
    if (
        type(value) is float
        and 0 < value <= 1_000_000
        and round(value, 3) == value
        and low_ok
        and pct_ok
        and (percentile is None) == (aggregate is not CommitmentAggregate.PERCENTILE)
        and (unit is not ThresholdUnit.RING or metric is CommitmentMetric.PHONE_ANSWER)
        and (unit is not ThresholdUnit.WORKING_DAY or scope is CommitmentScope.WORKING_HOURS)
    ):
        return _trusted_target(
            metric=metric,
            channel=channel,
            value=value,
            low=r_low,
            unit=unit,
            aggregate=aggregate,
            percentile=r_pct,
            scope=scope,
            span=span,
            text=text,
        )
    return CommitmentTarget(
        metric=metric,
        channel=channel,
        value=value,
        low=low,
        unit=unit,
        aggregate=aggregate,
        percentile=percentile,
        scope=scope,
        span=span,
        text=text,
    )


# ============================================================================ data


@dataclass(frozen=True)
class _Data:
    units: dict[str, tuple[str, str | None]]
    digits: dict[str, int]
    multipliers: dict[str, int]
    cues: PhraseMatcher[tuple[str, str]]
    defaults: dict[str, tuple[str, str]]
    rewrites: dict[str, tuple[str, str]]
    qty: re.Pattern[str]
    placeholder: re.Pattern[str]
    unitless: re.Pattern[str]


def _table(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    val = raw.get(key)
    if not isinstance(val, Mapping):
        raise LexiconError(f"lexicon/{_DATA_FILE}", key, "missing table")
    return val


@lru_cache(maxsize=1)
def _data() -> _Data:
    raw = load_file(_DATA_FILE)
    src = f"lexicon/{_DATA_FILE}"
    units: dict[str, tuple[str, str | None]] = {}
    for form, spec in _table(raw, "units").items():
        if not isinstance(spec, Mapping) or spec.get("unit") not in {
            u.value for u in ThresholdUnit
        }:
            raise LexiconError(src, f"units.{form}", "needs unit = one of ThresholdUnit values")
        scope = spec.get("scope")
        if scope is not None and scope not in {s.value for s in CommitmentScope}:
            raise LexiconError(src, f"units.{form}.scope", f"unknown scope {scope!r}")
        units[form] = (str(spec["unit"]), scope)
    nums = _table(raw, "numerals")
    digits = {str(k): int(v) for k, v in _table(nums, "digits").items()}
    mults = {str(k): int(v) for k, v in _table(nums, "multipliers").items()}
    entries: list[tuple[str, tuple[str, str]]] = []
    cues = _table(raw, "cues")
    valid = {
        "metric": {m.value for m in CommitmentMetric},
        "channel": {c.value for c in Channel},
        "scope": {s.value for s in CommitmentScope},
        "other": {"activity"},
    }
    for kind, allowed in valid.items():
        for name, body in _table(cues, kind).items():
            if name not in allowed:
                raise LexiconError(src, f"cues.{kind}.{name}", f"unknown {kind}")
            phrases = body.get("phrases") if isinstance(body, Mapping) else None
            if not isinstance(phrases, list) or not phrases:
                raise LexiconError(src, f"cues.{kind}.{name}.phrases", "must be a list")
            entries.extend((str(p), (kind, name)) for p in phrases)
    defaults: dict[str, tuple[str, str]] = {}
    for k, v in _table(raw, "defaults").items():
        if not isinstance(v, Mapping) or not isinstance(v.get("text"), str):
            raise LexiconError(src, f"defaults.{k}", "needs text")
        defaults[k] = (v["text"], str(v.get("clause", "")))
    rewrites: dict[str, tuple[str, str]] = {}
    for k, v in _table(raw, "over_promise_rewrites").items():
        if not isinstance(v, Mapping) or not isinstance(v.get("zh"), str):
            raise LexiconError(src, f"over_promise_rewrites.{k}", "needs zh and en")
        rewrites[k] = (v["zh"], str(v.get("en", "")))

    cn = "".join(sorted(set(digits) | set(mults)))
    cn_digits = "".join(sorted(digits))
    # A number starts where its run starts (never inside a run of digits or numerals): a
    # match from inside a run ends where one from its start would, so the lookbehinds change
    # no match and keep the scan linear (without them a long digit run is rescanned from
    # every offset, issue #17).
    num = rf"(?:(?<!\d)\d+(?:\.\d+)?|(?<![{cn}])[{cn}]+(?:点[{cn_digits}]+)?)"
    unit_alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    qty = re.compile(
        rf"(?P<n1>{num})(?:(?P<sep>-|~|至|到)(?P<n2>{num}))?(?P<ge>个)?(?P<half>半)?(?P<unit>{unit_alt})"
        rf"|(?P<h>半)(?:个)?(?P<hunit>{unit_alt})"
        rf"|(?P<q>{num})?个?(?P<qu>刻钟)"
    )
    placeholder = re.compile(rf"(?<![a-z0-9])(?:x{{1,3}}|n)(?=个?(?:{unit_alt}))")
    unitless = re.compile(
        rf"(?:不超过|不超出|不多于|不长于|最多|最长|少于|小于|低于|≤|<=)(?P<a>\d+(?:\.\d+)?|[{cn}]+)"
        r"(?=以内|之内|内|[,。;!?\n的就即]|回复|响应|接听|解决|处理|回访|$)"
        rf"|(?<![\d.{cn}])(?P<b>\d+(?:\.\d+)?)(?=以内|之内|内)"
    )
    return _Data(
        units=units,
        digits=digits,
        multipliers=mults,
        cues=PhraseMatcher(entries, source=src),
        defaults=defaults,
        rewrites=rewrites,
        qty=qty,
        placeholder=placeholder,
        unitless=unitless,
    )


# ============================================================================ numerals


def parse_chinese_number(text: str) -> float | None:
    """Value of a number written in Arabic digits or Chinese numerals, else ``None``.

    ``十五`` → 15, ``两`` → 2, ``一百零五`` → 105, ``二十四`` → 24, ``一点五`` → 1.5,
    ``1.5`` → 1.5, ``半`` → 0.5.  Digit strings without multipliers read positionally
    (``二四`` → 24).  Never raises on a string.
    """
    if not isinstance(text, str) or not text:
        return None
    d = _data()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text == "半":
        return 0.5
    whole, dot, frac = text.partition("点")
    if dot and not frac:
        return None
    if frac:
        if not all(c in d.digits for c in frac):
            return None
        head = parse_chinese_number(whole) if whole else None
        if head is None:
            return None
        return head + float("0." + "".join(str(d.digits[c]) for c in frac))
    if not all(c in d.digits or c in d.multipliers for c in whole):
        return None
    if not any(c in d.multipliers for c in whole):
        return float("".join(str(d.digits[c]) for c in whole))
    total = 0
    section = 0
    digit: int | None = None
    last_mult = 10**9
    for c in whole:
        if c in d.digits:
            if digit is not None and d.digits[c] != 0 and digit != 0:
                return None  # two digits in a row: 三四十
            digit = d.digits[c]
        else:
            m = d.multipliers[c]
            if m == 10000:
                section += digit or 0
                if section == 0:
                    return None
                total += section * m
                section, digit, last_mult = 0, None, 10**9
                continue
            if m >= last_mult or (digit is None and m != 10):
                return None  # 十百, 百十: only 十 may stand without a digit before it
            section += (digit if digit is not None else 1) * m
            digit, last_mult = None, m
    section += digit or 0
    return float(total + section)


# ============================================================================ scanning


@dataclass(frozen=True)
class _Cue:
    kind: str  # metric / channel / scope
    name: str
    start: int
    end: int
    phrase: str


@dataclass
class _Quantity:
    start: int
    end: int
    value: float
    low: float | None
    unit: ThresholdUnit
    implied_scope: CommitmentScope | None
    bounded: bool
    sentence: int


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    clauses: tuple[tuple[int, int], ...]
    # the clauses' starts, made with the sentence (a cached property gave every sentence an
    # instance dict: two objects more per sentence for the collector, issue #17)
    clause_starts: tuple[int, ...] = field(compare=False, repr=False)

    def clause_index(self, pos: int) -> int:
        """Index of the clause containing ``pos`` (0 when none does: ``pos`` on a comma)."""
        i = bisect_right(self.clause_starts, pos) - 1
        return i if i >= 0 and pos < self.clauses[i][1] else 0


class _KindIndex:
    """The cues of one kind, sorted by start and pairwise disjoint (see :func:`_longest`), so
    their ends are sorted too and the cues inside any range are one slice, found by bisecting;
    per-name prefix counts answer "how many … inside" in O(log n) (issue #17: no scan of the
    cue list per quantity or per sentence)."""

    def __init__(self, cues: list[_Cue]) -> None:
        self.cues = cues
        self.starts = [c.start for c in cues]
        self.ends = [c.end for c in cues]
        self._counts: dict[str, list[int]] = {}

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """``(i, j)``: ``cues[i:j]`` are the cues lying inside ``[start, end)``."""
        i = bisect_left(self.starts, start)
        j = bisect_right(self.ends, end)
        return i, max(i, j)

    def prefix(self, name: str) -> list[int]:
        got = self._counts.get(name)
        if got is None:
            got = [0]
            for c in self.cues:
                got.append(got[-1] + (c.name == name))
            self._counts[name] = got
        return got

    def count(self, i: int, j: int, name: str | None = None) -> int:
        """Cues among ``cues[i:j]`` (named ``name`` when given)."""
        if name is None:
            return j - i
        p = self.prefix(name)
        return p[j] - p[i]


@dataclass(frozen=True, slots=True)
class _SentenceFacts:
    """Per sentence (:meth:`CommitmentParse.facts`): a negative-review-reply metric cue in
    it; the slice of its scope cues and how many there are (all-hours ones apart); the same
    counts from the start of its line to the sentence (a scope at the head of a line covers
    its later sentences)."""

    negative_review_reply: bool
    scopes: tuple[int, int]
    n_scopes: int
    n_all_hours: int
    line_scopes: int
    line_all_hours: int


@dataclass
class _Orphan:
    """A bounded quantity that names no metric (C103)."""

    start: int
    end: int
    sentence: int


@dataclass
class CommitmentParse:
    """Everything the commitment rules need to know about one text (normalised offsets)."""

    norm: NormalizedText
    sentences: tuple[_Sentence, ...]
    cues: tuple[_Cue, ...]
    quantities: list[_Quantity] = field(default_factory=list)
    targets: list[tuple[CommitmentTarget, int]] = field(default_factory=list)  # (target, sent)
    orphans: list[_Orphan] = field(default_factory=list)
    unitless: list[tuple[int, int, str]] = field(default_factory=list)
    placeholders: list[tuple[int, int, str]] = field(default_factory=list)
    # what has been worked out for one sentence (its facts, text, nearest-clause tables),
    # kept for the sentence last asked about only: quantities are attached in sentence order,
    # so this serves each sentence's quantities alike without objects per sentence
    _memo_sentence: int = field(default=-1, repr=False, compare=False)
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.norm.text

    def span(self, start: int, end: int) -> Span:
        return self.norm.span(start, end)

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence containing normalised ``pos`` (-1 on a delimiter)."""
        i = bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and pos < self.sentences[i].end:
            return i
        return -1

    def _memo_of(self, si: int) -> dict[Any, Any]:
        if si != self._memo_sentence:
            self._memo.clear()
            self._memo_sentence = si
        return self._memo

    def facts(self, si: int) -> _SentenceFacts:
        """What every quantity of sentence ``si`` asks of it, worked out once per sentence."""
        memo = self._memo_of(si)
        got = memo.get("facts")
        if got is None:
            sent = self.sentences[si]
            k = self._kind("scope")
            i, j = k.bounds(sent.start, sent.end)
            line_start = self.line_start(sent.start)
            li, lj = k.bounds(line_start, sent.start)
            got = memo["facts"] = _SentenceFacts(
                negative_review_reply=bool(
                    self.count_cues("metric", sent.start, sent.end, "negative_review_reply")
                ),
                scopes=(i, j),
                n_scopes=k.count(i, j),
                n_all_hours=k.count(i, j, "all_hours"),
                line_scopes=k.count(li, lj),
                line_all_hours=k.count(li, lj, "all_hours"),
            )
        return got

    def sentence_text(self, si: int) -> str:
        """The original text of sentence ``si``, sliced once and shared by all its targets
        (issue #17: a slice per target copied a long sentence once per target, O(n²) time
        and memory for a sentence of many promises)."""
        memo = self._memo_of(si)
        got: str | None = memo.get("text")
        if got is None:
            sent = self.sentences[si]
            sp = self.span(sent.start, sent.end)
            got = memo["text"] = self.norm.original[sp.start : sp.end]
        return got

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def _kinds(self) -> dict[str, _KindIndex]:
        by_kind: dict[str, list[_Cue]] = {}
        for c in self.cues:
            by_kind.setdefault(c.kind, []).append(c)
        return {k: _KindIndex(v) for k, v in by_kind.items()}

    def _kind(self, kind: str) -> _KindIndex:
        k = self._kinds.get(kind)
        if k is None:
            k = self._kinds[kind] = _KindIndex([])
        return k

    def cues_in(self, kind: str, start: int, end: int) -> list[_Cue]:
        """Cues of ``kind`` lying inside ``[start, end)``, in order (O(log n + found))."""
        k = self._kind(kind)
        i, j = k.bounds(start, end)
        return k.cues[i:j]

    def count_cues(self, kind: str, start: int, end: int, name: str | None = None) -> int:
        """How many cues of ``kind`` (named ``name``) lie inside ``[start, end)``."""
        k = self._kind(kind)
        return k.count(*k.bounds(start, end), name)

    @cached_property
    def _quantity_starts(self) -> list[int]:
        return [q.start for q in self.quantities]

    def quantities_of(self, si: int) -> list[_Quantity]:
        """The quantities of sentence ``si`` (bisected: quantities are sorted)."""
        sent = self.sentences[si]
        st = self._quantity_starts
        return self.quantities[bisect_left(st, sent.start) : bisect_left(st, sent.end)]

    def quantity_starting_in(self, start: int, end: int) -> bool:
        """Whether a quantity starts in ``[start, end)`` (quantities are sorted)."""
        st = self._quantity_starts
        i = bisect_left(st, start)
        return i < len(st) and st[i] < end

    @cached_property
    def _newlines(self) -> list[int]:
        return [i for i, ch in enumerate(self.text) if ch == "\n"]

    def line_start(self, pos: int) -> int:
        """Start of the line holding ``pos`` (``text.rfind("\\n", 0, pos) + 1``)."""
        nl = self._newlines
        i = bisect_left(nl, pos)
        return nl[i - 1] + 1 if i else 0

    def nearest_clause_with(self, kind: str, si: int, ci: int, skip: str | None = None) -> int:
        """Index of the nearest clause before clause ``ci`` of sentence ``si`` holding a cue of
        ``kind`` (other than ``skip``), or -1; a table per sentence, built once."""
        memo = self._memo_of(si)
        key = (kind, skip)
        table: list[int] | None = memo.get(key)
        if table is None:
            sent = self.sentences[si]
            clauses, starts = sent.clauses, sent.clause_starts
            # the clauses holding such a cue: the sentence's cues once, each in the one
            # clause that can hold it (clauses are sorted and disjoint), not a count per clause
            held = bytearray(len(clauses))
            k = self._kind(kind)
            i, j = k.bounds(sent.start, sent.end)
            for c in k.cues[i:j]:
                if c.name == skip:
                    continue
                x = bisect_right(starts, c.start) - 1
                if x >= 0 and c.end <= clauses[x][1]:
                    held[x] = 1
            table, last = [], -1
            for x, h in enumerate(held):
                table.append(last)
                if h:
                    last = x
            memo[key] = table
        return table[ci] if ci < len(table) else -1


_SENT_BREAK = re.compile(r"[。;!?\n]+|(?<!\d)\.+|\.+(?!\d)")
_CLAUSE_BREAK = re.compile(r"[,:]+")


def _split(text: str, pat: re.Pattern[str], lo: int, hi: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = lo
    for m in pat.finditer(text, lo, hi):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < hi:
        out.append((pos, hi))
    return out


def _longest(cues: Iterable[_Cue]) -> list[_Cue]:
    """Non-overlapping cues, longer first at each position (per kind)."""
    chosen: list[_Cue] = []
    taken: dict[str, DisjointIntervals] = {}
    for c in sorted(cues, key=lambda c: (-(c.end - c.start), c.start)):
        kind = taken.get(c.kind)
        if kind is None:
            kind = taken[c.kind] = DisjointIntervals()
        if kind.claim(c.start, c.end):
            chosen.append(c)
    return sorted(chosen, key=lambda c: (c.start, c.end))


_BOUND_AFTER = re.compile(r"(?:铃响|铃声|响铃|钟)?(?:以内|之内|内|以下|之下)")
_BOUND_BEFORE = re.compile(
    r"(?:不超过|不超出|不多于|不长于|不高于|不大于|最多|最长|最迟|少于|小于|低于|控制在|≤|<=|<)"
    r"(?:在)?$"
)
_VERB_AFTER = re.compile(r"(?:回复|响应|接听|解决|回访|答复|回电|办结|处理|受理|回应)")
_PCT_BEFORE = re.compile(
    r"(?P<p>\d+(?:\.\d+)?)%(?:以上)?(?:的)?|百分之(?P<q>[零〇一二两三四五六七八九十百点]+)(?:以上)?(?:的)?"
)
_PCT_AFTER = re.compile(
    r"率(?:不低于|达到|达|≥|>=|高于|在|为)?(?P<p>\d+(?:\.\d+)?)%"
    r"|率(?:不低于|达到|达|≥|>=|高于|在|为)?百分之(?P<q>[零〇一二两三四五六七八九十百点]+)"
)
_MAX_BEFORE = re.compile(r"(?:最长|最多|最慢|最迟)(?:不超过|不超出|不多于|为|在)?$")
_LATIN_UNITS = frozenset({"s", "h", "min"})
_CONDITION_BEFORE = re.compile(r"(?:未能|未|没有|没能|(?<!不)超过|(?<!不)超出)(?:在)?$")


def _scan(text: str) -> CommitmentParse:
    """Find sentences, cues, quantities, targets and loose numbers in ``text``."""
    d = _data()
    nt = normalize(text)
    s = nt.text
    sentences = tuple(
        _Sentence(a, b, cl, tuple(c for c, _ in cl))
        for a, b in _split(s, _SENT_BREAK, 0, len(s))
        for cl in (tuple(_split(s, _CLAUSE_BREAK, a, b)),)
    )
    raw = [
        _Cue(kind, name, m.start, m.end, m.phrase)
        for m in d.cues.find(nt)
        if m.end - m.start == len(m.phrase)  # guard: matcher may overrun the text's end
        for kind, name in dict.fromkeys(m.payloads)
    ]
    all_hours = sorted((c.start, c.end) for c in raw if c.kind == "scope" and c.name == "all_hours")
    ah_starts = [a for a, _ in all_hours]
    ah_reach: list[int] = []  # ah_reach[i]: the furthest end among the first i + 1 of them
    for _, b in all_hours:
        ah_reach.append(max(b, ah_reach[-1]) if ah_reach else b)

    def in_all_hours(a: int, b: int) -> bool:
        """Whether ``[a, b)`` overlaps an all-hours cue (bisect, not a scan per match)."""
        i = bisect_left(ah_starts, b)  # the cues starting before b
        return i > 0 and ah_reach[i - 1] > a

    quantities: list[_Quantity] = []
    q_starts: list[int] = []
    placeholders: list[tuple[int, int, str]] = []
    unitless: list[tuple[int, int, str]] = []
    for si, sent in enumerate(sentences):
        for m in d.qty.finditer(s, sent.start, sent.end):
            if in_all_hours(m.start(), m.end()):
                continue  # 7×24小时, 24小时在线: a scope, not a threshold
            q = _quantity(m, s, si)
            if q is not None:
                quantities.append(q)
                q_starts.append(q.start)
        for m in d.placeholder.finditer(s, sent.start, sent.end):
            placeholders.append((m.start(), m.end(), m.group(0)))
        for m in d.unitless.finditer(s, sent.start, sent.end):
            g = "a" if m.group("a") is not None else "b"
            a, b = m.start(g), m.end(g)
            k = bisect_right(q_starts, a) - 1  # quantities are sorted and disjoint
            if k >= 0 and a < quantities[k].end:
                continue
            if parse_chinese_number(m.group(g)) is None:
                continue
            unitless.append((a, b, m.group(g)))
    in_qty = bytearray(len(s))
    for q in quantities:
        in_qty[q.start : q.end] = b"\x01" * (q.end - q.start)
    kept = [
        c
        for c in raw
        # 24小时在线 is a scope, not the online-chat channel
        if not (c.kind == "channel" and in_all_hours(c.start, c.end))
        # 工作日 inside 2个工作日 is the unit, not a scope statement for the sentence
        and not (c.kind == "scope" and c.name == "working_hours" and any(in_qty[c.start : c.end]))
    ]
    doc = CommitmentParse(
        nt,
        sentences,
        tuple(_longest(kept)),
        quantities=quantities,
        unitless=unitless,
        placeholders=placeholders,
    )
    for qi, q in enumerate(doc.quantities):
        if q.bounded:
            _attach(doc, qi)
    return doc


def _quantity(m: re.Match[str], s: str, sentence: int) -> _Quantity | None:
    d = _data()
    low: float | None = None
    if m.group("qu"):
        n = parse_chinese_number(m.group("q")) if m.group("q") else 1.0
        if n is None:
            return None
        value, unit, scope = n * 15, "minute", None
    elif m.group("h"):
        unit, scope = d.units[m.group("hunit")]
        value = 0.5
    else:
        form = m.group("unit")
        unit, scope = d.units[form]
        n1 = m.group("n1")
        if form in _LATIN_UNITS and (
            not re.fullmatch(r"\d+(?:\.\d+)?", n1) or re.match(r"[a-z]", s[m.end() : m.end() + 1])
        ):
            return None
        hi = parse_chinese_number(m.group("n2")) if m.group("n2") else None
        lo = parse_chinese_number(n1)
        if lo is None or (m.group("n2") and hi is None):
            return None
        if hi is not None:
            value, low = hi, lo
            if not low < value:
                low = None
        else:
            value = lo
        if m.group("half"):
            value += 0.5
            if low is not None:
                low += 0.5
    value = round(value, 3)
    if not 0 < value <= 1_000_000:
        return None
    if low is not None and (round(low, 3) <= 0 or round(low, 3) >= value):
        low = None
    start, end = m.start(), m.end()
    before = s[max(0, start - 8) : start]
    after = s[end : end + 6]
    bounded = bool(
        _BOUND_AFTER.match(after) or _BOUND_BEFORE.search(before) or _VERB_AFTER.match(after)
    ) and not _CONDITION_BEFORE.search(before)  # 未能在3声内接听: a breach condition
    return _Quantity(
        start=start,
        end=end,
        value=value,
        low=low,
        unit=ThresholdUnit(unit),
        implied_scope=CommitmentScope(scope) if scope else None,
        bounded=bounded,
        sentence=sentence,
    )


def _clause_of(sent: _Sentence, pos: int) -> int:
    return sent.clause_index(pos)


def _attach(doc: CommitmentParse, qi: int) -> None:
    """Turn bounded quantity ``qi`` into targets using the cues of its clause and sentence."""
    s = doc.text
    q = doc.quantities[qi]
    sent = doc.sentences[q.sentence]
    ci = _clause_of(sent, q.start)
    ca, cb = sent.clauses[ci]
    # quantities are sorted and disjoint: the neighbours bound the region
    prev_q, next_q = ca, cb
    if qi > 0:
        o = doc.quantities[qi - 1]
        if o.sentence == q.sentence and ca <= o.end <= q.start:
            prev_q = o.end
    if qi + 1 < len(doc.quantities):
        o = doc.quantities[qi + 1]
        if o.sentence == q.sentence and q.end <= o.start < cb:
            next_q = o.start
    region = (prev_q, next_q)

    # metric: the cue nearest the quantity in its region, else in earlier clauses
    metric: CommitmentMetric | None = None
    if q.unit is ThresholdUnit.RING:
        metric = CommitmentMetric.PHONE_ANSWER
    else:
        ms = [c for c in doc.cues_in("metric", *region) if c.name != "negative_review_reply"]
        if not ms:
            pi = doc.nearest_clause_with("metric", q.sentence, ci, skip="negative_review_reply")
            if pi >= 0:
                pa, pb = sent.clauses[pi]
                ms = [c for c in doc.cues_in("metric", pa, pb) if c.name != "negative_review_reply"]
        if ms:

            def dist(c: _Cue) -> int:
                return c.start - q.end if c.start >= q.end else (q.start - c.end) + 2

            metric = CommitmentMetric(min(ms, key=dist).name)
    if metric is None:
        if not doc.cues_in("other", *region):  # 3个工作日内到账 measures a refund, not service
            doc.orphans.append(_Orphan(q.start, q.end, q.sentence))
        return
    facts = doc.facts(q.sentence)
    if metric is CommitmentMetric.FIRST_RESPONSE and facts.negative_review_reply:
        metric = CommitmentMetric.NEGATIVE_REVIEW_REPLY

    # channels: before the quantity in its region, else after, else nearest earlier clause
    chans = [c for c in doc.cues_in("channel", region[0], q.start)]
    if not chans:
        chans = [c for c in doc.cues_in("channel", q.end, region[1])]
    if not chans:
        pi = doc.nearest_clause_with("channel", q.sentence, ci)
        if pi >= 0:
            chans = doc.cues_in("channel", *sent.clauses[pi])
    channels: list[Channel | None] = list(dict.fromkeys(Channel(c.name) for c in chans)) or [None]

    # aggregate
    clause_before = s[region[0] : q.start]
    aggregate = CommitmentAggregate.WITHIN
    pct: float | None = None
    before = list(_PCT_BEFORE.finditer(clause_before))
    pm = before[-1] if before else None
    if pm is None:
        pm = _PCT_AFTER.search(s, q.end, region[1])
    if pm is not None:
        raw = pm.group("p") if pm.group("p") is not None else pm.group("q")
        val = parse_chinese_number(raw) if raw else None
        if val is not None and 0 < round(val, 3) <= 100:
            aggregate, pct = CommitmentAggregate.PERCENTILE, val
    if pct is None:
        if "平均" in clause_before:
            aggregate = CommitmentAggregate.AVERAGE
        elif _MAX_BEFORE.search(clause_before):
            aggregate = CommitmentAggregate.MAXIMUM

    # scope: explicit cue in the sentence, else implied by the unit
    # scope: counted, not listed (a long sentence of many scopes and quantities stays linear)
    scope: CommitmentScope | None = q.implied_scope
    n_scopes, n_all = _scopes_beside(doc, facts, q)
    if not n_scopes:  # a scope stated at the head of the line covers its later sentences
        n_scopes, n_all = facts.line_scopes, facts.line_all_hours
    if scope is None and n_scopes:
        scope = CommitmentScope.ALL_HOURS if n_all else CommitmentScope.WORKING_HOURS
    if q.unit is ThresholdUnit.WORKING_DAY:
        scope = CommitmentScope.WORKING_HOURS

    span = doc.span(q.start, q.end)
    sent_text = doc.sentence_text(q.sentence)
    for ch in channels:
        try:
            t = _parsed_target(
                metric=metric,
                channel=ch,
                value=q.value,
                low=q.low,
                unit=q.unit,
                aggregate=aggregate,
                percentile=pct,
                scope=scope,
                span=span,
                text=sent_text,
            )
        except ValidationError:  # pragma: no cover - guarded above; never raise from parsing
            continue
        doc.targets.append((t, q.sentence))


def _scopes_beside(doc: CommitmentParse, facts: _SentenceFacts, q: _Quantity) -> tuple[int, int]:
    """(scope cues, all-hours scope cues) in ``q``'s sentence that do not overlap ``q``."""
    k = doc._kind("scope")
    i, j = facts.scopes
    total, all_hours = facts.n_scopes, facts.n_all_hours
    if not total:
        return 0, 0
    # the overlapping ones are a run of the sorted, disjoint cues around q
    lo = max(i, bisect_right(k.ends, q.start))
    hi = min(j, bisect_left(k.starts, q.end))
    for c in k.cues[lo:hi]:
        total -= 1
        all_hours -= c.name == "all_hours"
    return total, all_hours


@pauses_collector(text_size)
def parse_commitment(text: str) -> list[CommitmentTarget]:
    """The measurable promises in ``text``, in order of appearance.

    Reads Arabic and Chinese numerals (三分钟, 两个工作日, 半小时, 一刻钟, 十五秒, 一个半小时),
    ranges (2-3个工作日, 两到三天), bounds (不超过, 以内, 内, X声内接听), aggregates (平均, 最长,
    90%的 …, 接通率不低于95%) and scope (工作时间内, 全天候 / 7×24小时; 个工作日 implies working
    hours).  A clause listing several channels (电子邮件/在线表单 …) gives one target per channel.
    Never raises on a string; a non-string raises :class:`InputError`.
    """
    if not isinstance(text, str):
        raise InputError(f"commitment text must be str, got {type(text).__name__}")
    return [t for t, _ in _scan(text).targets]


# ============================================================================ coverage


class ElementCoverage(FrozenModel):
    """How a document covers one element of 002 一(二)."""

    element: CommitmentElement
    status: CoverageStatus
    clause: str = ""
    span: Span | None = None
    cues: tuple[str, ...] = ()
    note_zh: str = ""
    note_en: str = ""


class CoverageTable(FrozenModel):
    """The eight elements, each present (with the covering clause), weak or missing."""

    rows: tuple[ElementCoverage, ...]

    def __getitem__(self, element: CommitmentElement | str) -> ElementCoverage:
        el = CommitmentElement(element)
        for r in self.rows:
            if r.element is el:
                return r
        raise KeyError(element)  # pragma: no cover - every element has a row

    def status(self, element: CommitmentElement | str) -> CoverageStatus:
        return self[element].status

    @property
    def missing(self) -> tuple[CommitmentElement, ...]:
        return tuple(r.element for r in self.rows if r.status is CoverageStatus.MISSING)

    @property
    def weak(self) -> tuple[CommitmentElement, ...]:
        return tuple(r.element for r in self.rows if r.status is CoverageStatus.WEAK)

    def to_markdown(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            head = "| 要素 | 状态 | 条款 | 依据 |\n|---|---|---|---|"
        else:
            head = "| element | status | clause | cues |\n|---|---|---|---|"
        lines = [head]
        for r in self.rows:
            clause = _cell(r.clause) or "—"
            cues = ", ".join(r.cues) or (r.note_zh if lang == "zh" else r.note_en) or "—"
            lines.append(
                f"| {r.element.label(lang)} | {r.status.label(lang)} | {clause} | {_cell(cues)} |"
            )
        return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _in_quote(a: Analysis, start: int, end: int) -> bool:
    return a.in_quote(start, end)


def _element_coverage(a: Analysis, doc: CommitmentParse) -> CoverageTable:
    rows: list[ElementCoverage] = []
    for el in CommitmentElement:
        if el is CommitmentElement.RESPONSIVENESS:
            rows.append(_responsiveness(a, doc))
        elif el is CommitmentElement.RECOVERY:
            rows.append(_recovery_coverage(a, doc))
        else:
            rows.append(_plain_element(a, doc, el))
    return CoverageTable(rows=tuple(rows))


def _sentence_of(doc: CommitmentParse, pos: int) -> tuple[str, Span | None]:
    i = doc.sentence_index(pos)
    if i < 0:
        return "", None
    s = doc.sentences[i]
    sp = doc.span(s.start, s.end)
    return sp.of(doc.norm.original).strip(), sp


def _plain_element(a: Analysis, doc: CommitmentParse, el: CommitmentElement) -> ElementCoverage:
    strong = [h for h in a.hits_of(f"cm_el_{el.value}") if not _in_quote(a, h.start, h.end)]
    weak = [h for h in a.hits_of(f"cm_el_{el.value}_weak") if not _in_quote(a, h.start, h.end)]
    if strong:
        clause, span = _sentence_of(doc, strong[0].start)
        i = doc.sentence_index(strong[0].start)
        cues = tuple(dict.fromkeys(h.phrase for h in strong if doc.sentence_index(h.start) == i))
        return ElementCoverage(
            element=el, status=CoverageStatus.PRESENT, clause=clause, span=span, cues=cues
        )
    if weak:
        clause, span = _sentence_of(doc, weak[0].start)
        return ElementCoverage(
            element=el,
            status=CoverageStatus.WEAK,
            clause=clause,
            span=span,
            cues=tuple(dict.fromkeys(h.phrase for h in weak)),
            note_zh="只有笼统表述,缺少具体、可核查的做法",
            note_en="only general wording, no concrete, checkable practice",
        )
    return ElementCoverage(
        element=el,
        status=CoverageStatus.MISSING,
        note_zh=f"文件未涉及“{el.label_zh}”",
        note_en=f"the document does not address {el.label_en}",
    )


_IMPLIED_CHANNEL = {CommitmentMetric.PHONE_ANSWER: Channel.PHONE}


def _responsiveness(a: Analysis, doc: CommitmentParse) -> ElementCoverage:
    el = CommitmentElement.RESPONSIVENESS
    timed = [
        (t, si)
        for t, si in doc.targets
        if t.metric
        in (
            CommitmentMetric.FIRST_RESPONSE,
            CommitmentMetric.PHONE_ANSWER,
            CommitmentMetric.NEGATIVE_REVIEW_REPLY,
        )
    ]
    with_channel = [
        (t, si)
        for t, si in timed
        if t.channel is not None or t.metric is not CommitmentMetric.FIRST_RESPONSE
    ]
    if with_channel:
        _, si = with_channel[0]
        chans = sorted(
            {
                (t.channel or _IMPLIED_CHANNEL.get(t.metric, Channel.REVIEW_PLATFORM)).label_zh
                for t, _ in with_channel
            }
        )
        chans_en = sorted(
            {
                (t.channel or _IMPLIED_CHANNEL.get(t.metric, Channel.REVIEW_PLATFORM)).label_en
                for t, _ in with_channel
            }
        )
        s = doc.sentences[si]
        sp = doc.span(s.start, s.end)
        return ElementCoverage(
            element=el,
            status=CoverageStatus.PRESENT,
            clause=sp.of(doc.norm.original).strip(),
            span=sp,
            cues=tuple(t.render_zh() for t, _ in with_channel),
            note_zh=f"可衡量的响应时限覆盖 {len(chans)} 个渠道: {'、'.join(chans)}",
            note_en=f"measurable response targets for {len(chans)} channel(s): {', '.join(chans_en)}",
        )
    vague: list[LexiconHit] = []
    taken = DisjointIntervals()  # longest first, no overlap (a bisect per hit, not a scan)
    for h in sorted(a.hits_of("cm_vague_time"), key=lambda h: (-(h.end - h.start), h.start)):
        if a.in_quote(h.start, h.end):
            continue
        if taken.claim(h.start, h.end):
            vague.append(h)
    vague.sort(key=lambda h: h.start)
    if timed or vague or doc.orphans:
        first = (
            doc.sentences[timed[0][1]].start
            if timed
            else (vague[0].start if vague else doc.orphans[0].start)
        )
        clause, span = _sentence_of(doc, first)
        return ElementCoverage(
            element=el,
            status=CoverageStatus.WEAK,
            clause=clause,
            span=span,
            cues=tuple(
                dict.fromkeys([t.render_zh() for t, _ in timed] + [h.phrase for h in vague])
            ),
            note_zh="有响应承诺,但没有按渠道给出可衡量的时限",
            note_en="a responsiveness promise, but no measurable time per channel",
        )
    return ElementCoverage(
        element=el,
        status=CoverageStatus.MISSING,
        note_zh="没有任何响应时限承诺",
        note_en="no response-time commitment at all",
    )


def _recovery_sentences(a: Analysis, doc: CommitmentParse) -> list[int]:
    """Sentences that say what the customer gets when a commitment is missed."""
    triggers = {doc.sentence_index(h.start) for h in a.hits_of("cm_recovery_trigger")}
    remedies = {
        doc.sentence_index(h.start) for h in a.hits_of("cm_el_recovery", "cm_el_recovery_weak")
    }
    return sorted(i for i in triggers & remedies if i >= 0)


def _recovery_coverage(a: Analysis, doc: CommitmentParse) -> ElementCoverage:
    el = CommitmentElement.RECOVERY
    strong_sents = {doc.sentence_index(h.start) for h in a.hits_of("cm_el_recovery")}
    full = [i for i in _recovery_sentences(a, doc) if i in strong_sents]
    if full:
        s = doc.sentences[full[0]]
        sp = doc.span(s.start, s.end)
        cues = tuple(
            dict.fromkeys(
                h.phrase
                for h in a.hits_in(("cm_recovery_trigger", "cm_el_recovery"), s.start, s.end)
            )
        )
        return ElementCoverage(
            element=el,
            status=CoverageStatus.PRESENT,
            clause=sp.of(doc.norm.original).strip(),
            span=sp,
            cues=cues,
        )
    hits = a.hits_of("cm_el_recovery", "cm_el_recovery_weak", "cm_recovery_trigger")
    if hits:
        clause, span = _sentence_of(doc, hits[0].start)
        return ElementCoverage(
            element=el,
            status=CoverageStatus.WEAK,
            clause=clause,
            span=span,
            cues=tuple(dict.fromkeys(h.phrase for h in hits)),
            note_zh="未同时写明“未达承诺时”与具体补偿/补救措施",
            note_en="does not state both when a promise is missed and the concrete remedy",
        )
    return ElementCoverage(
        element=el,
        status=CoverageStatus.MISSING,
        note_zh="未说明承诺未兑现时客户可获得的补偿或补救",
        note_en="no remedy when a commitment is missed",
    )


class RecoveryClause(FrozenModel):
    """A clause promising service recovery (服务补救) when a commitment is missed.

    ``metrics``/``channels`` name what it is about; empty means it applies to every promise.
    """

    text: str
    span: Span | None = None
    metrics: tuple[CommitmentMetric, ...] = ()
    channels: tuple[Channel, ...] = ()
    cues: tuple[str, ...] = ()

    def applies_to(self, target: CommitmentTarget) -> bool:
        if self.metrics and target.metric not in self.metrics:
            return False
        return not (
            self.channels
            and target.channel is not None
            and not (set(_channel_group(target.channel)) & set(self.channels))
        )

    @property
    def general(self) -> bool:
        return not self.metrics and not self.channels


def _recovery_clauses(a: Analysis, doc: CommitmentParse) -> tuple[RecoveryClause, ...]:
    out: list[RecoveryClause] = []
    for i in _recovery_sentences(a, doc):
        s = doc.sentences[i]
        sp = doc.span(s.start, s.end)
        # what it is about: cues before the remedy (the trigger part of the sentence)
        remedies = a.hits_in(("cm_el_recovery", "cm_el_recovery_weak"), s.start, s.end)
        remedy_at = remedies[0].start if remedies else s.end
        metrics = tuple(
            dict.fromkeys(
                CommitmentMetric(c.name)
                for c in doc.cues_in("metric", s.start, remedy_at)
                if c.name != "negative_review_reply"
            )
        )
        if doc.count_cues("metric", s.start, s.end, "negative_review_reply"):
            metrics = tuple(
                CommitmentMetric.NEGATIVE_REVIEW_REPLY
                if m is CommitmentMetric.FIRST_RESPONSE
                else m
                for m in metrics
            )
        channels = tuple(
            dict.fromkeys(Channel(c.name) for c in doc.cues_in("channel", s.start, remedy_at))
        )
        if any(q.unit is ThresholdUnit.RING for q in doc.quantities_of(i)):
            metrics = tuple(dict.fromkeys((*metrics, CommitmentMetric.PHONE_ANSWER)))
        cues = tuple(
            dict.fromkeys(
                h.phrase
                for h in a.hits_in(
                    ("cm_recovery_trigger", "cm_el_recovery", "cm_el_recovery_weak"),
                    s.start,
                    s.end,
                )
            )
        )
        out.append(
            RecoveryClause(
                text=sp.of(doc.norm.original).strip(),
                span=sp,
                metrics=metrics,
                channels=channels,
                cues=cues,
            )
        )
    return tuple(out)


# ============================================================================ checking


@dataclass(frozen=True)
class CommitmentContext:
    """What a commitment rule sees: the shared analysis and the commitment parse."""

    analysis: Analysis
    doc: CommitmentParse
    standard: Standard

    @property
    def targets(self) -> list[CommitmentTarget]:
        return [t for t, _ in self.doc.targets]

    def default_example(
        self, metric: CommitmentMetric | None, channel: Channel | None
    ) -> tuple[str, str]:
        """A canonical measurable promise for ``metric``/``channel`` (text, clause)."""
        d = _data().defaults
        m = metric or CommitmentMetric.FIRST_RESPONSE
        if channel is not None and f"{m.value}.{channel.value}" in d:
            return d[f"{m.value}.{channel.value}"]
        if m is CommitmentMetric.FIRST_RESPONSE and channel is not None:
            text, clause = d["first_response"]
            return text.replace(Channel.ONLINE_CHAT.label_zh, channel.label_zh), clause
        return d.get(m.value, d["first_response"])

    def rewrite(self, kind: str) -> tuple[str, str]:
        return _data().rewrites.get(kind, ("", ""))


def make_commitment_context(text: str, standard: Standard | None = None) -> CommitmentContext:
    from .standard import Standard
    from .text.analysis import analyze

    std = standard if isinstance(standard, Standard) else Standard.default()
    a = analyze(text, std.lexicon())
    return CommitmentContext(analysis=a, doc=_scan(text), standard=std)


class CommitmentReport(FrozenModel):
    """Result of :func:`check_commitment`."""

    findings: tuple[Finding, ...]
    targets: tuple[CommitmentTarget, ...]
    coverage: CoverageTable
    recovery: tuple[RecoveryClause, ...] = ()

    @property
    def ok(self) -> bool:
        """No findings of warning severity or above."""
        return not any(f.severity.rank >= 1 for f in self.findings)

    def by_code(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.code == code or f.rule_id == code]


@pauses_collector(lambda text, **kw: text_size(text))
def check_commitment(text: str, *, standard: Standard | None = None) -> CommitmentReport:
    """Check one promise or a whole commitment document (002 一).

    Findings come from the ``commitment`` rule family (C101 vague, C102 number without unit,
    C103 without metric, C104 without channel, C105 without scope, C106 over-promise), each
    with a rewrite.  ``coverage`` is the eight-element table of 002 一(二); ``targets`` the
    parsed measurable promises; ``recovery`` the service-recovery clauses.
    """
    if not isinstance(text, str):
        raise InputError(f"commitment text must be str, got {type(text).__name__}")
    from .rules import get_registry

    ctx = make_commitment_context(text, standard)
    findings: list[Finding] = []
    for r in get_registry().all("commitment"):
        findings.extend(r.run(ctx, ctx.standard))
    findings.sort(key=lambda f: (f.spans[0].start if f.spans else -1, f.code))
    # every value is the library's own (findings of its rules, targets of its parser): no
    # validation of ~40k nested models for a long text of promises (issue #17)
    return _trusted_report(
        findings=tuple(findings),
        targets=tuple(ctx.targets),
        coverage=_element_coverage(ctx.analysis, ctx.doc),
        recovery=_recovery_clauses(ctx.analysis, ctx.doc),
    )


_trusted_report = trusted_builder(CommitmentReport)


def commitment_coverage(text: str, *, standard: Standard | None = None) -> CoverageTable:
    """Only the eight-element coverage table of a commitment document."""
    if not isinstance(text, str):
        raise InputError(f"commitment text must be str, got {type(text).__name__}")
    ctx = make_commitment_context(text, standard)
    return _element_coverage(ctx.analysis, ctx.doc)


# ============================================================================ verification


@runtime_checkable
class BusinessClock(Protocol):
    """What verification needs from a calendar: business time between two aware datetimes.

    :class:`csstandards.calendar.WorkCalendar` satisfies it; its ``standard_day`` (when present)
    is the length of one working day (工作日).
    """

    def between(self, a: datetime, b: datetime) -> timedelta: ...


_CHANNEL_VALUES = frozenset(c.value for c in Channel)
_CHANNEL_BY_LABEL = {c.label_zh: c for c in Channel}


class TicketRecord(FrozenModel):
    """One case of history, as verification reads it.

    Times are timezone-aware.  ``first_response_at`` is the first reply (for a call: the moment
    it was answered; for a review: the shop's reply).  ``rings`` is the ring count of a call when
    the phone system logs it.  ``rating`` marks reviews (差评 → negative).
    """

    id: str
    channel: Channel
    opened_at: IsoDatetime
    first_response_at: IsoDatetime | None = None
    resolved_at: IsoDatetime | None = None
    followed_up_at: IsoDatetime | None = None
    rings: int | None = Field(default=None, ge=0)
    rating: Rating | None = None

    @field_validator("opened_at", "first_response_at", "resolved_at", "followed_up_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is not None and (v.tzinfo is None or v.tzinfo.utcoffset(v) is None):
            raise ValueError("must be timezone-aware (带时区)")
        return v

    @field_validator("channel", mode="before")
    @classmethod
    def _channel(cls, v: Any) -> Any:
        if isinstance(v, str) and v not in _CHANNEL_VALUES:
            return _CHANNEL_BY_LABEL.get(v, v)
        return v


_TICKET_FIELDS = frozenset(TicketRecord.model_fields)


class Offender(FrozenModel):
    """A case that missed a target, worst first."""

    id: str
    opened_at: IsoDatetime
    measured: float
    channel: Channel


class VerificationResult(FrozenModel):
    """One target held against history."""

    target: CommitmentTarget
    promise_zh: str
    met: bool | None  # None: no measurable case
    measured: float | None  # in the target's unit; the aggregate's figure
    unit: ThresholdUnit
    cases: int
    within: int
    unmeasured: int
    worst: tuple[Offender, ...] = ()
    recovery: tuple[RecoveryClause, ...] = ()

    @property
    def rate(self) -> float | None:
        """Share of cases within the threshold."""
        return self.within / self.cases if self.cases else None

    def status_zh(self) -> str:
        return {True: "达成", False: "未达成", None: "无数据"}[self.met]

    def status_en(self) -> str:
        return {True: "met", False: "not met", None: "no data"}[self.met]


class VerificationReport(FrozenModel):
    results: tuple[VerificationResult, ...]

    @property
    def kept(self) -> tuple[VerificationResult, ...]:
        return tuple(r for r in self.results if r.met is True)

    @property
    def broken(self) -> tuple[VerificationResult, ...]:
        return tuple(r for r in self.results if r.met is False)

    def to_markdown(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            lines = [
                "| 承诺 | 结果 | 实测 | 案例数 | 达标率 | 最差案例 | 服务补救 |",
                "|---|---|---|---|---|---|---|",
            ]
        else:
            lines = [
                "| promise | result | measured | cases | within | worst cases | recovery |",
                "|---|---|---|---|---|---|---|",
            ]
        for r in self.results:
            unit = r.unit.label_zh if lang == "zh" else f" {r.unit.label_en}"
            measured = "—" if r.measured is None else f"{r.measured:.1f}{unit}"
            rate = "—" if r.rate is None else f"{r.rate:.1%}"
            worst = ", ".join(f"{o.id} ({o.measured:.1f})" for o in r.worst[:3]) or "—"
            rec = " / ".join(c.text for c in r.recovery) or "—"
            promise = r.promise_zh if lang == "zh" else r.target.render_en()
            status = r.status_zh() if lang == "zh" else r.status_en()
            lines.append(
                f"| {_cell(promise)} | {status} | {measured} | {r.cases} | {rate} | "
                f"{_cell(worst)} | {_cell(rec)} |"
            )
        return "\n".join(lines)


_EVENT_FIELDS = {  # event kind → ticket field (the sla.EventKind values are included)
    "opened": "opened_at",
    "auto_reply": "first_response_at",  # an acknowledging auto-reply counts (001 §2.1)
    "created": "opened_at",
    "first_response": "first_response_at",
    "agent_reply": "first_response_at",
    "reply": "first_response_at",
    "answered": "first_response_at",
    "resolved": "resolved_at",
    "followed_up": "followed_up_at",
    "follow_up": "followed_up_at",
}


def _is_dataframe(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] == "pandas" and hasattr(obj, "to_dict")


def _plain(value: Any) -> Any:
    """pandas scalars → Python (NaT/NaN → None, Timestamp → datetime)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    mod = type(value).__module__.split(".")[0]
    if mod in ("pandas", "numpy"):
        try:
            import pandas as pd

            if pd.isna(value):
                return None
        except (ImportError, TypeError, ValueError):
            pass
        if hasattr(value, "to_pydatetime"):
            return value.to_pydatetime()
        if hasattr(value, "item"):
            return value.item()
    return value


def _rows(history: Any) -> list[dict[str, Any]]:
    if _is_dataframe(history):
        raw = history.to_dict("records")
    elif isinstance(history, (Mapping, str, bytes)):
        raise InputError(
            "history must be a sequence of records (dicts or pydantic models) or a pandas "
            f"DataFrame (历史工单), got {type(history).__name__}"
        )
    else:
        try:
            raw = list(history)
        except TypeError:
            raise InputError(
                "history must be a sequence of records or a pandas DataFrame, got "
                f"{type(history).__name__}"
            ) from None
    out: list[dict[str, Any]] = []
    for i, r in enumerate(raw):
        if isinstance(r, BaseModel):
            r = r.model_dump()
        if not isinstance(r, Mapping):
            raise RecordError(
                i, None, f"a record must be a dict or pydantic model, got {type(r).__name__}"
            )
        out.append({str(k): _plain(v) for k, v in r.items()})
    return out


def _tickets(history: Any) -> list[TicketRecord]:
    rows = _rows(history)
    if rows and all(
        ("type" in r or "kind" in r or "event" in r) and "opened_at" not in r for r in rows
    ):
        rows = _events_to_tickets(rows)
    rows = [
        _nested_events(r, i) if "events" in r and "opened_at" not in r else r
        for i, r in enumerate(rows)
    ]
    out: list[TicketRecord] = []
    for i, r in enumerate(rows):
        r = dict(r)
        if "id" not in r:
            for alt in ("ticket_id", "case_id", "ticket"):
                if alt in r:
                    r["id"] = r.pop(alt)
                    break
        if "id" in r and r["id"] is not None:
            r["id"] = str(r["id"])
        fields = {k: v for k, v in r.items() if k in _TICKET_FIELDS}
        try:
            out.append(TicketRecord.model_validate(fields))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err.get("loc", ()))
            raise RecordError(i, loc or None, err["msg"]) from None
    return out


def _event_kind(e: Mapping[str, Any]) -> str:
    return str(e.get("type", e.get("kind", e.get("event", ""))))


def _fold_event(t: dict[str, Any], kind: str, at: Any, row: int) -> None:
    """Record an event on ticket ``t``: the earliest event of each kind wins."""
    fname = _EVENT_FIELDS.get(kind)
    if fname is None or at is None:
        return
    old = t.get(fname)
    try:
        if old is None or at < old:
            t[fname] = at
    except TypeError:
        raise RecordError(
            row, "at", "cannot order event times: mix of naive and aware datetimes"
        ) from None


def _events_to_tickets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat events ``{ticket_id, type, at, channel}`` → one ticket row per ticket id."""
    tickets: dict[str, dict[str, Any]] = {}
    for i, r in enumerate(rows):
        tid = r.get("ticket_id", r.get("id", r.get("case_id")))
        if tid is None:
            raise RecordError(i, "ticket_id", "an event needs the ticket it belongs to")
        t = tickets.setdefault(str(tid), {"id": str(tid)})
        for k in ("channel", "rating", "rings"):
            if r.get(k) is not None:
                t.setdefault(k, r[k])
        _fold_event(t, _event_kind(r), r.get("at", r.get("time")), i)
    return list(tickets.values())


def _nested_events(row: dict[str, Any], i: int) -> dict[str, Any]:
    """A ticket row carrying its own event log (``events``: dicts or sla.TicketEvent)."""
    out = {k: v for k, v in row.items() if k != "events"}
    events = row["events"]
    if not isinstance(events, (list, tuple)):
        raise RecordError(i, "events", "must be a list of events")
    for e in events:
        if isinstance(e, BaseModel):
            e = e.model_dump()
        if not isinstance(e, Mapping):
            raise RecordError(
                i, "events", f"an event must be a dict or model, got {type(e).__name__}"
            )
        _fold_event(out, _event_kind(e), e.get("at", e.get("time")), i)
    return out


_VOICE = (Channel.PHONE, Channel.HOTLINE)


def _channel_group(ch: Channel) -> tuple[Channel, ...]:
    return _VOICE if ch in _VOICE else (ch,)


def _span_of(t: CommitmentTarget, rec: TicketRecord) -> tuple[datetime | None, datetime | None]:
    if t.metric is CommitmentMetric.RESOLUTION:
        return rec.opened_at, rec.resolved_at
    if t.metric is CommitmentMetric.FOLLOW_UP:
        return rec.resolved_at or rec.opened_at, rec.followed_up_at
    return rec.opened_at, rec.first_response_at


def _percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (the value p% of cases do not exceed)."""
    ordered = sorted(values)
    k = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[k - 1]


@pauses_collector(lambda targets, history, **kw: items_size(history))
def verify_commitments(
    targets: Sequence[CommitmentTarget] | CommitmentReport | str,
    history: Any,
    *,
    calendar: BusinessClock | Mapping[Channel | None, BusinessClock] | None = None,
    recovery: Sequence[RecoveryClause] | None = None,
    now: datetime | None = None,
    seconds_per_ring: float = 5.0,
    worst: int = 5,
    standard: Standard | None = None,
) -> VerificationReport:
    """Hold each target against ticket history.

    ``history``: records (dicts or pydantic models with the fields of :class:`TicketRecord`,
    or events ``{ticket_id, type, at, channel}`` with types opened / first_response /
    resolved / followed_up), or a pandas DataFrame of either (pandas is imported only then).

    Targets in working-hours scope (工作时间内, 个工作日) are measured in business time with
    ``calendar.between`` (default: ``WorkCalendar.china_office_hours()`` with the holiday
    schedules of ``standard`` — the ``holidays`` setting — applied); all-hours and
    unscoped targets in wall-clock time.  ``calendar`` may be a mapping from channel to
    calendar (key ``None``: every other channel) when channels keep different hours.  A working day is ``calendar.standard_day`` (8 h if
    the calendar does not say).  Ring targets use ``rings`` when logged, else the wait in
    seconds divided by ``seconds_per_ring``.  Cases with no end time are *unmeasured*, unless
    ``now`` is given: then an open case already past its threshold counts as a miss.

    ``recovery`` (or the clauses of a :class:`CommitmentReport` / document text) is attached
    to each broken promise: clauses about its metric or channel, else the general ones.
    """
    if isinstance(targets, str):
        targets = check_commitment(targets)
    if isinstance(targets, CommitmentReport):
        if recovery is None:
            recovery = targets.recovery
        targets = list(targets.targets)
    tlist = list(targets)
    for i, t in enumerate(tlist):
        if not isinstance(t, CommitmentTarget):
            raise InputError(f"targets[{i}] must be a CommitmentTarget, got {type(t).__name__}")
    if isinstance(worst, bool) or not isinstance(worst, int) or worst < 0:
        raise InputError(f"worst must be a non-negative int, got {worst!r}")
    if not seconds_per_ring > 0:
        raise InputError(f"seconds_per_ring must be positive, got {seconds_per_ring!r}")
    if now is not None and (now.tzinfo is None or now.tzinfo.utcoffset(now) is None):
        from .errors import NaiveDatetimeError

        raise NaiveDatetimeError("now", now)
    records = _tickets(history)
    clauses = tuple(recovery or ())
    results = []
    schedules = _schedules_of(standard)
    for t in tlist:
        cal = _calendar_for(t, calendar, schedules)
        results.append(_verify_one(t, records, cal, clauses, now, seconds_per_ring, worst))
    return VerificationReport(results=tuple(results))


@lru_cache(maxsize=8)
def _default_calendar(schedules: tuple[HolidaySchedule, ...] = ()) -> BusinessClock:
    from .calendar import WorkCalendar

    return WorkCalendar.china_office_hours(schedules=schedules)


def _schedules_of(standard: Standard | None) -> tuple[HolidaySchedule, ...]:
    if standard is None:
        return ()
    from .standard import Standard

    if not isinstance(standard, Standard):
        raise InputError(f"standard must be a Standard, got {type(standard).__name__}")
    return tuple(standard.holidays)


def _calendar_for(
    t: CommitmentTarget,
    calendar: BusinessClock | Mapping[Channel | None, BusinessClock] | None,
    schedules: tuple[HolidaySchedule, ...] = (),
) -> BusinessClock | None:
    """The clock a working-hours target runs on (None for wall-clock targets)."""
    if t.scope is not CommitmentScope.WORKING_HOURS or t.unit is ThresholdUnit.RING:
        return None
    if calendar is None:
        return _default_calendar(schedules)
    if isinstance(calendar, Mapping):
        for key in (t.channel, None):
            if key in calendar:
                return calendar[key]
        if t.channel is not None:
            for ch in _channel_group(t.channel):
                if ch in calendar:
                    return calendar[ch]
        raise InputError(
            f"no calendar for channel {t.channel} (渠道日历) in the calendar mapping; "
            "add an entry for it or a default under the key None"
        )
    if not isinstance(calendar, BusinessClock):
        raise InputError(
            f"calendar must have between(a, b) -> timedelta, got {type(calendar).__name__}"
        )
    return calendar


def _measurer(
    t: CommitmentTarget, cal: BusinessClock | None, seconds_per_ring: float
) -> Callable[[TicketRecord, datetime, datetime], float]:
    """A function measuring one case in the target's unit (set up once per target)."""
    if t.unit is ThresholdUnit.RING:

        def rings(rec: TicketRecord, start: datetime, end: datetime) -> float:
            if rec.rings is not None and end is rec.first_response_at:
                return float(rec.rings)
            return float(math.ceil((end - start).total_seconds() / seconds_per_ring))

        return rings
    if t.unit is ThresholdUnit.WORKING_DAY:
        day = getattr(cal, "standard_day", None)
        length = day if isinstance(day, timedelta) and day > timedelta(0) else timedelta(hours=8)
        divisor = length.total_seconds()
    else:
        divisor = _UNIT_SECONDS[t.unit.value]
    if cal is not None:
        between = cal.between

        def business(rec: TicketRecord, start: datetime, end: datetime) -> float:
            return between(start, end).total_seconds() / divisor

        return business

    def wall(rec: TicketRecord, start: datetime, end: datetime) -> float:
        return (end - start).total_seconds() / divisor

    return wall


def _verify_one(
    t: CommitmentTarget,
    records: Sequence[TicketRecord],
    cal: BusinessClock | None,
    clauses: tuple[RecoveryClause, ...],
    now: datetime | None,
    seconds_per_ring: float,
    worst_n: int,
) -> VerificationResult:
    values: list[tuple[float, TicketRecord]] = []
    unmeasured = 0
    measure = _measurer(t, cal, seconds_per_ring)
    if t.channel is not None:
        allowed: frozenset[Channel] | None = frozenset(_channel_group(t.channel))
    elif t.metric is CommitmentMetric.PHONE_ANSWER:
        allowed = frozenset(_VOICE)
    else:
        allowed = None
    negative_only = t.metric is CommitmentMetric.NEGATIVE_REVIEW_REPLY
    for rec in records:
        if allowed is not None and rec.channel not in allowed:
            continue
        if negative_only and rec.rating is not Rating.NEGATIVE:
            continue
        start, end = _span_of(t, rec)
        if start is None:
            unmeasured += 1
            continue
        if end is None:
            if now is None:
                unmeasured += 1
                continue
            v = measure(rec, start, now)
            if v <= t.value:
                unmeasured += 1  # still within its time: not judged yet
                continue
        else:
            if end < start:
                raise RecordError(
                    None, "times", f"ticket {rec.id}: end before start for {t.metric}"
                )
            v = measure(rec, start, end)
        values.append((v, rec))
    nums = [v for v, _ in values]
    within = sum(1 for v in nums if v <= t.value + 1e-9)
    measured: float | None
    if not nums:
        measured, met = None, None
    elif t.aggregate is CommitmentAggregate.AVERAGE:
        measured = sum(nums) / len(nums)
        met = measured <= t.value + 1e-9
    elif t.aggregate is CommitmentAggregate.PERCENTILE:
        measured = _percentile(nums, t.percentile or 100.0)
        met = measured <= t.value + 1e-9
    else:
        measured = max(nums)
        met = measured <= t.value + 1e-9
    offenders = sorted(
        ((v, r) for v, r in values if v > t.value + 1e-9), key=lambda x: (-x[0], x[1].id)
    )[:worst_n]
    rec_clauses: tuple[RecoveryClause, ...] = ()
    if met is False:
        specific = tuple(c for c in clauses if not c.general and c.applies_to(t))
        rec_clauses = specific or tuple(c for c in clauses if c.general)
    return VerificationResult(
        target=t,
        promise_zh=t.render_zh(),
        met=met,
        measured=None if measured is None else round(measured, 3),
        unit=t.unit,
        cases=len(nums),
        within=within,
        unmeasured=unmeasured,
        worst=tuple(
            Offender(id=r.id, opened_at=r.opened_at, measured=round(v, 3), channel=r.channel)
            for v, r in offenders
        ),
        recovery=rec_clauses,
    )
