"""Checks of a feedback case (002 二(二), 003 二(三)–(四), 三(一)): routing, classifier
assessment, time limits from the SLA policy, progress cadence, thanks, recurrence.

:func:`check_case` runs every rule of the ``feedback-case`` family (codes W12x, in
``csstandards/rules/consult_case.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from pydantic import Field

from .._collector import log_size, pauses_collector
from ..errors import InputError
from ..lexicon import load_file, validate_table
from ..models import Actor, Channel, Finding, FrozenModel, Priority
from ..sla import SLAPolicy, TicketClocks
from ..standard import Standard
from ._time import instant
from .case import (
    Acknowledged,
    Assessed,
    Assigned,
    CaseAssessment,
    CaseClosed,
    CaseEvent,
    CaseReopened,
    CaseStage,
    FeedbackCase,
    ProgressUpdated,
    Recorded,
    Resolved,
    ResultCommunicated,
    WorkStarted,
)

__all__ = [
    "CaseContext",
    "CasePolicy",
    "CaseReport",
    "Classifier",
    "Recurrence",
    "Routing",
    "RoutingDecision",
    "assess_case",
    "assessment_from_feedback",
    "check_case",
    "default_routing",
    "detect_recurrence",
    "make_case_context",
    "route",
]


# -- routing (分派, 003 三(一)) -----------------------------------------------------------------
class Routing(FrozenModel):
    """Topic → responsible department (责任部门); unknown topics go to ``default``."""

    default: str = Field(min_length=1)
    table: dict[str, str] = Field(default_factory=dict)


class RoutingDecision(FrozenModel):
    department: str
    topic: str | None = None  # the topic that decided, None = default
    rule: str = ""


@lru_cache(maxsize=1)
def default_routing() -> Routing:
    """The shipped routing table (``lexicon/workflow.toml`` ``[wf_routing]``)."""
    raw = dict(load_file("workflow.toml").get("wf_routing", {}))
    default = raw.pop("default", "客服部门")
    return validate_table(
        Routing,
        {"default": default, "table": raw},
        file="lexicon/workflow.toml",
        key="wf_routing",
    )


def route(
    topics: CaseAssessment | Sequence[str], routing: Routing | None = None
) -> RoutingDecision:
    """The department for the first routed topic (topics are in the classifier's order)."""
    rt = routing or default_routing()
    keys = topics.topics if isinstance(topics, CaseAssessment) else tuple(topics)
    for t in keys:
        dept = rt.table.get(t)
        if dept:
            return RoutingDecision(department=dept, topic=t, rule=f"wf_routing.{t}")
    return RoutingDecision(department=rt.default, rule="wf_routing.default")


# -- assessment (分类评估) -----------------------------------------------------------------------
Classifier = Callable[[str, Channel | None], CaseAssessment]


def _val(x: Any) -> str:
    return str(getattr(x, "value", x)) if x is not None else ""


def assessment_from_feedback(fa: Any) -> CaseAssessment:
    """A :class:`CaseAssessment` from a ``csstandards.feedback.FeedbackAssessment`` (the full
    classifier output is kept in ``raw``)."""
    try:
        raw = fa.model_dump(mode="json")
    except AttributeError as exc:
        raise InputError(f"expected a FeedbackAssessment, got {type(fa).__name__}") from exc
    topics = tuple(getattr(t, "id", str(t)) for t in getattr(fa, "topics", ()))
    return CaseAssessment(
        kind=_val(fa.kind),
        priority=Priority(_val(fa.priority)),
        urgency=_val(getattr(fa, "urgency", None)),
        severity=_val(getattr(fa, "severity", None)),
        scope=_val(getattr(fa, "scope", None)),
        topics=topics,
        emotion=_val(getattr(fa, "emotion", None)),
        source="classifier",
        evidence=tuple(getattr(fa, "evidence", ())),
        raw=raw,
    )


def _feedback_classifier(text: str, channel: Channel | None) -> CaseAssessment:
    try:
        from .. import feedback as fb
    except ImportError as exc:  # pragma: no cover - feedback ships with the package
        raise InputError("csstandards.feedback is not available: pass classifier=") from exc
    classify = getattr(fb, "classify_feedback", None)
    if classify is None:
        raise InputError(
            "csstandards.feedback.classify_feedback is not available yet: pass classifier="
        )
    return assessment_from_feedback(classify(text, channel=channel))


def assess_case(
    case: FeedbackCase, *, at: datetime, classifier: Classifier | None = None
) -> Assessed:
    """The ``assessed`` event for a recorded case, from the feedback classifier (or
    ``classifier``).  A person corrects it later with ``AssessmentOverridden`` (both kept)."""
    rec = case.state.record
    if rec is None:
        raise InputError(f"case {case.id!r} has no record yet: record it before assessing")
    text = rec.text or f"{rec.description}。{rec.demand}"
    assessment = (classifier or _feedback_classifier)(text, rec.channel)
    return Assessed(at=at, actor=Actor.SYSTEM, assessment=assessment)


# -- policy, context, recurrence ------------------------------------------------------------
class CasePolicy(FrozenModel):
    """Numbers of the feedback loop that are not SLA targets (each configurable)."""

    progress_every: timedelta = timedelta(hours=24)  # complex cases: 定期通报进展 (003 二(三))
    recurrence_window: timedelta = timedelta(days=30)  # 防止类似问题再次发生 (002 二(二)6)
    same_product_counts: bool = True  # same product + same topic counts as recurrence


class Recurrence(FrozenModel):
    """An earlier closed case this one repeats (same customer or product, shared topic)."""

    case_id: str
    closed_at: datetime
    topics: tuple[str, ...]
    by: tuple[str, ...]  # "customer", "product"
    after: timedelta


def detect_recurrence(
    case: FeedbackCase, history: Iterable[FeedbackCase], *, window: timedelta
) -> list[Recurrence]:
    """Earlier cases closed at most ``window`` before this case was received, with the same
    customer or product and at least one shared topic (the loop did not really close)."""
    st = case.state
    if st.record is None or st.assessment is None:
        return []
    topics = set(st.assessment.topics)
    received = st.record.received_at
    out: list[Recurrence] = []
    for old in history:
        if old.id == case.id:
            continue
        os = old.state
        if os.record is None or os.assessment is None or not os.closures:
            continue
        # instants, not wall readings: cases may carry different zones, or one across DST
        closed = max((c for c in os.closures if instant(c) <= instant(received)), key=instant,
                     default=None)  # fmt: skip
        if closed is None or instant(received) - instant(closed) > window:
            continue
        shared = topics & set(os.assessment.topics)
        if not shared:
            continue
        by = []
        if os.record.customer == st.record.customer:
            by.append("customer")
        if st.record.product and os.record.product == st.record.product:
            by.append("product")
        if by:
            out.append(
                Recurrence(
                    case_id=old.id,
                    closed_at=closed,
                    topics=tuple(sorted(shared)),
                    by=tuple(by),
                    after=received - closed,
                )
            )
    return out


@dataclass
class CaseContext:
    """What a feedback-case rule sees."""

    case: FeedbackCase
    standard: Standard = field(default_factory=Standard.default)
    policy: CasePolicy = field(default_factory=CasePolicy)
    sla_policy: SLAPolicy | None = None
    now: datetime | None = None
    history: tuple[FeedbackCase, ...] = ()
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def clocks(self) -> TicketClocks:
        got = self._memo.get("clocks")
        if got is None and not self.case.events:
            from .checks import _no_clocks

            got = _no_clocks(self.now)
        if got is None:
            from .sla_bridge import case_clocks, case_sla_policy

            pol = (self.sla_policy or case_sla_policy()).with_holidays(*self.standard.holidays)
            got = case_clocks(self.case, now=self.now, policy=pol)
            self._memo["clocks"] = got
        assert isinstance(got, TicketClocks)
        return got

    @property
    def judged_at(self) -> datetime | None:
        return self.now or self.case.state.last_at


_KINDS: dict[str, type[Any]] = {
    "recorded": Recorded,
    "assessed": Assessed,
    "acknowledged": Acknowledged,
    "assigned": Assigned,
    "work_started": WorkStarted,
    "progress_updated": ProgressUpdated,
    "resolved": Resolved,
    "result_communicated": ResultCommunicated,
    "closed": CaseClosed,
    "reopened": CaseReopened,
}


def _example_case(
    cid: str,
    log: Sequence[Sequence[Any]],
    *,
    t0: datetime,
    text: str,
    review: str,
    kind: str,
    priority: str,
    topics: Sequence[str],
    customer: str,
    product: str,
    complex_: bool,
    channel: Channel,
) -> FeedbackCase:
    case = FeedbackCase(id=cid, complex=complex_)
    for step in log:
        name, hours = str(step[0]), float(step[1])
        at = t0 + timedelta(hours=hours)
        ev: CaseEvent
        if name == "recorded":
            ev = Recorded(
                at=at, customer=customer, received_at=at, description=review or "反馈",
                demand="处理", channel=channel, product=product, text=review,
            )  # fmt: skip
        elif name == "assessed":
            a = CaseAssessment(kind=kind, priority=Priority(priority), topics=tuple(topics))
            ev = Assessed(at=at, assessment=a)
        elif name == "assigned":
            ev = Assigned(at=at, department=route(topics).department)
        elif name == "resolved":
            ev = Resolved(at=at, result="已处理")
        elif name == "result_communicated":
            ev = ResultCommunicated(at=at, text=text)
        else:
            ev = _KINDS[name](at=at)
        case = case.apply(ev)
    return case


def make_case_context(example: Any, standard: Any = None) -> CaseContext:
    """Build the context a ``feedback-case`` rule example is judged in.

    ``review`` is the customer's feedback, ``text`` the result communicated to them; context:
    ``log`` = ``[[event kind, hours after the start], …]``, ``kind`` (default ``complaint``),
    ``priority`` (``P3``), ``topics`` (``["logistics"]``), ``complex``, ``now_h``,
    ``history`` = ``[{"log": [...], "topics": [...], "customer": ..., "product": ...}, …]``
    (earlier cases of the same customer by default, starting ``start_h`` hours from t0).
    """
    std = standard if isinstance(standard, Standard) else Standard.default()
    c: dict[str, Any] = dict(example.context)
    t0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    common = {
        "kind": c.get("kind", "complaint"),
        "priority": c.get("priority", "P3"),
        "channel": Channel(c.get("channel", "online_chat")),
    }
    case = _example_case(
        "example",
        c.get("log", [["recorded", 0]]),
        t0=t0,
        text=example.text,
        review=example.review or "",
        topics=c.get("topics", ["logistics"]),
        customer=c.get("customer", "王女士"),
        product=c.get("product", ""),
        complex_=bool(c.get("complex", False)),
        **common,
    )
    history = tuple(
        _example_case(
            f"earlier-{n}",
            h["log"],
            t0=t0 + timedelta(hours=float(h.get("start_h", -240))),
            text="已处理,感谢您的反馈",
            review=h.get("review", "之前的反馈"),
            topics=h.get("topics", ["logistics"]),
            customer=h.get("customer", "王女士"),
            product=h.get("product", ""),
            complex_=False,
            **common,
        )
        for n, h in enumerate(c.get("history", ()))
    )
    now = t0 + timedelta(hours=float(c["now_h"])) if "now_h" in c else None
    return CaseContext(case=case, standard=std, now=now, history=history)


class CaseReport(FrozenModel):
    """Where a case stands, what it owes and which standard was missed."""

    id: str
    stage: CaseStage
    allowed_events: tuple[str, ...]
    assessment: CaseAssessment | None = None
    classifier_assessment: CaseAssessment | None = None
    person_assessment: CaseAssessment | None = None
    routing: RoutingDecision | None = None
    findings: tuple[Finding, ...] = ()
    recurrences: tuple[Recurrence, ...] = ()
    clocks: TicketClocks | None = None
    next_progress_due: datetime | None = None


def next_progress_due(case: FeedbackCase, policy: CasePolicy) -> datetime | None:
    """When the next progress report is owed (complex, open, result not yet communicated)."""
    st = case.state
    if not case.complex or st.communicated_at is not None or st.stage is CaseStage.CLOSED:
        return None
    if st.stage not in (CaseStage.ASSIGNED, CaseStage.IN_PROGRESS, CaseStage.REOPENED):
        return None
    base = max(
        [t for t in (st.assigned_at, st.started_at, *st.progress_updates) if t], default=None
    )
    return base + policy.progress_every if base is not None else None


@pauses_collector(lambda case, **kw: log_size(case))
def check_case(
    case: FeedbackCase,
    *,
    standard: Standard | None = None,
    policy: CasePolicy | None = None,
    sla_policy: SLAPolicy | None = None,
    now: datetime | None = None,
    history: Iterable[FeedbackCase] = (),
    routing: Routing | None = None,
) -> CaseReport:
    """Check a feedback case against 002 二(二) and 003 二(三)–(四) as of ``now``."""
    from ..rules import get_registry

    if not isinstance(case, FeedbackCase):
        raise InputError(f"expected a FeedbackCase, got {type(case).__name__}")
    std = standard or Standard.default()
    pol = policy or CasePolicy()
    ctx = CaseContext(
        case=case, standard=std, policy=pol, sla_policy=sla_policy, now=now, history=tuple(history)
    )
    findings: list[Finding] = []
    for r in get_registry().all("feedback-case"):
        findings.extend(r.run(ctx, std))
    st = case.state
    a = st.assessment
    return CaseReport(
        id=case.id,
        stage=st.stage,
        allowed_events=tuple(k.value for k in case.allowed_events()),
        assessment=a,
        classifier_assessment=st.classifier_assessment,
        person_assessment=st.person_assessment,
        routing=route(a, routing) if a is not None else None,
        findings=tuple(findings),
        recurrences=tuple(detect_recurrence(case, ctx.history, window=pol.recurrence_window)),
        clocks=ctx.clocks() if st.last_at is not None else None,
        next_progress_due=next_progress_due(case, pol),
    )
