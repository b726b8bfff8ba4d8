"""Per-stage standard checks of a consultation (001 §1–§2) and their shared facts.

:func:`check_consultation` runs every rule of the ``consultation`` family (codes W1xx, in
``csstandards/rules/consult_*.py``) plus the reply rules that apply to any agent message
(R106 deflect-to-manual, R108 jargon — when registered; R107 interrogative is reused
by W104), and reports the
5W1H slots the conversation established.  A finding about one message carries
``data["event"]`` (the index in the log) and spans into *that event's* text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Literal

from pydantic import Field

from .._collector import log_size, pauses_collector
from ..errors import InputError, RuleNotFound
from ..lexicon import load_file
from ..models import Channel, Finding, FrozenModel, Span, trusted_builder
from ..sla import SLAPolicy, TicketClocks, default_policy
from ..standard import Standard
from ..text.analysis import Analysis, analyze
from .consultation import (
    AgentMessage,
    AnswerGiven,
    AutoReply,
    Closed,
    Consultation,
    ConsultEvent,
    ConsultStage,
    CustomerMessage,
    FollowUpDone,
    Importance,
    NeedConfirmed,
    QuestionAsked,
    Reopened,
    Slot,
)

__all__ = [
    "Claim",
    "ConsultationContext",
    "ConsultationReport",
    "FactCheck",
    "KnowledgeBase",
    "SlotEvidence",
    "auto_reply_acknowledges",
    "check_consultation",
    "extract_claims",
    "fact_table",
    "interrogation_rewrite",
    "make_consultation_context",
]

_AGENT_TEXT = (AgentMessage, QuestionAsked, AnswerGiven, FollowUpDone, Closed, AutoReply)
_RESPONSES = (AutoReply, AgentMessage, QuestionAsked, AnswerGiven)
_HUMAN = (AgentMessage, QuestionAsked, AnswerGiven)


# -- knowledge base hook (001 §2.3 信息准确) ---------------------------------------------------
class Claim(FrozenModel):
    """A factual claim found in an agent's message, e.g. a warranty period (保修期)."""

    topic: Literal["warranty", "return_window"]
    text: str  # the claim as written
    value: str  # the period as written: "半年", "12个月"
    days: int  # the period in days (年 = 365, 月 = 30, 周 = 7)
    event: int
    span: Span


class FactCheck(FrozenModel):
    """What the knowledge base says about a claim: ``ok`` or the correct value and source."""

    ok: bool
    expected: str = ""
    source: str = ""
    note: str = ""


KnowledgeBase = Callable[[Claim], "FactCheck | None"]

_NUM = r"(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)"
_UNIT = r"(?P<unit>年|个月|个星期|月|周|天|日)(?P<half>半)?"
_CLAIMS: tuple[tuple[Literal["warranty", "return_window"], re.Pattern[str]], ...] = (
    (
        "warranty",
        re.compile(rf"(?:保修|质保|包修)(?:期|期限|时间)?(?:是|为|有|只有|仅|就|:)?{_NUM}{_UNIT}"),
    ),
    ("warranty", re.compile(rf"{_NUM}{_UNIT}(?:内)?(?:的)?(?:保修|质保|包修)")),
    ("return_window", re.compile(rf"{_NUM}{_UNIT}(?:内)?(?:无理由)?(?:退货|退换|可退)")),
)
_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNIT_DAYS = {"年": 365, "个月": 30, "月": 30, "周": 7, "个星期": 7, "天": 1, "日": 1}


def _cn_number(s: str) -> float:
    if s == "半":
        return 0.5
    try:
        return float(s)
    except ValueError:
        pass
    if s.endswith("半"):
        return _cn_number(s[:-1]) + 0.5
    if "十" in s:
        head, _, tail = s.partition("十")
        return (_CN_DIGITS.get(head, 1) if head else 1) * 10 + (_CN_DIGITS.get(tail, 0))
    return float(_CN_DIGITS.get(s, 0))


def period_days(text: str) -> int | None:
    """``"1年"`` → 365, ``"半年"`` → 182, ``"12个月"`` → 360, ``"7天"`` → 7; else ``None``."""
    m = re.fullmatch(rf"\s*{_NUM}\s*{_UNIT}\s*", text)
    if not m:
        return None
    n = _cn_number(m.group("num")) + (0.5 if m.group("half") else 0)
    return int(n * _UNIT_DAYS[m.group("unit")])


def extract_claims(a: Analysis, event: int = 0) -> list[Claim]:
    """Warranty and return-window claims in a text (normalised offsets mapped back)."""
    out: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    for topic, pat in _CLAIMS:
        for m in pat.finditer(a.text):
            key = (m.start("num"), m.end("unit"))
            if key in seen:
                continue
            seen.add(key)
            value = m.group("num") + m.group("unit") + (m.group("half") or "")
            days = period_days(value)
            if days is None:  # pragma: no cover - the pattern guarantees a period
                continue
            span = a.span(m.start(), m.end())
            out.append(
                Claim(
                    topic=topic,
                    text=span.of(a.original),
                    value=value,
                    days=days,
                    event=event,
                    span=span,
                )
            )
    return sorted(out, key=lambda c: c.span.start)


def fact_table(facts: Mapping[str, str], *, source: str = "知识库") -> KnowledgeBase:
    """A knowledge base from a table ``{"warranty": "1年", "return_window": "7天"}``.

    Periods are compared in days, so ``"12个月"`` agrees with ``"1年"`` (±5 days).
    """
    table: dict[str, tuple[str, int]] = {}
    for topic, value in facts.items():
        days = period_days(value)
        if days is None:
            raise InputError(f"fact_table: {topic}={value!r} is not a period like '1年' or '7天'")
        table[topic] = (value, days)

    def kb(claim: Claim) -> FactCheck | None:
        known = table.get(claim.topic)
        if known is None:
            return None
        value, days = known
        return FactCheck(ok=abs(days - claim.days) <= 5, expected=value, source=source)

    return kb


# -- phrase facts ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _rewrites() -> dict[str, str]:
    data = load_file("workflow.toml").get("wf_interrogation_rewrites", {})
    return {str(k): str(v) for k, v in data.items()}


def interrogation_rewrite(phrase: str) -> str:
    """The softer rewrite of an interrogation phrase (001 §2.2)."""
    table = _rewrites()
    return table.get(phrase, table.get("default", "方便和我说说具体情况吗?"))


def auto_reply_acknowledges(text: str, standard: Standard | None = None) -> bool:
    """An auto-reply counts as acceptance (受理) when it acknowledges the question and is not a
    mechanical canned line (001 §2.1)."""
    a = analyze(text, (standard or Standard.default()).lexicon())
    return a.has("wf_ack_receipt") and not a.has("wf_mechanical")


class SlotEvidence(FrozenModel):
    """Why a 5W1H slot counts as established: the cue and where."""

    slot: Slot
    cue: str
    event: int
    span: Span | None = None
    source: Literal["customer", "confirmed"] = "customer"


#: slots found by :meth:`ConsultationContext.slots` in validated events and analyses
_slot_evidence = trusted_builder(SlotEvidence)


# -- context ---------------------------------------------------------------------------------
@dataclass
class ConsultationContext:
    """What a consultation rule sees: the consultation, its analysed texts and settings."""

    consultation: Consultation
    standard: Standard = field(default_factory=Standard.default)
    kb: KnowledgeBase | None = None
    sla_policy: SLAPolicy | None = None
    now: datetime | None = None
    history: tuple[Consultation, ...] = ()
    _analyses: dict[int, Analysis] = field(default_factory=dict, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def events(self) -> tuple[ConsultEvent, ...]:
        return self.consultation.events

    def analysis(self, i: int) -> Analysis:
        """The analysis of event ``i``'s text (computed once per distinct text: an analysis
        depends only on the text and the lexicon, and computes its parts lazily, once)."""
        a = self._analyses.get(i)
        if a is None:
            text = getattr(self.events[i], "text", "")
            text = text if isinstance(text, str) else ""
            by_text: dict[str, Analysis] = self._memo.setdefault("analysis-of", {})
            a = by_text.get(text)
            if a is None:
                a = by_text[text] = analyze(text, self.standard.lexicon())
            self._analyses[i] = a
        return a

    def assessment(self, i: int) -> Any:
        """The feedback classifier's assessment of customer message ``i`` (computed once and
        shared: W113 and conversation QA ask the same question of the same text).  The
        assessment depends only on the text, the channel and the standard, so a text the
        customer sends again ("好的", "还有", "谢谢") is classified once per consultation."""
        key = f"assessment:{i}"
        got = self._memo.get(key)
        if got is None:
            text = getattr(self.events[i], "text", "")
            by_text = f"assessment-of:{text}" if isinstance(text, str) else None
            got = self._memo.get(by_text) if by_text else None
            if got is None:
                got = self._classify(i)
                if by_text:
                    self._memo[by_text] = got
            self._memo[key] = got
        return got

    def _classify(self, i: int) -> Any:
        from ..feedback import classify_feedback

        a = self.analysis(i)
        # the text itself when the analysis used the standard's lexicon: the classifier
        # then scans it with its own combined matcher (cheaper than reading the hits)
        arg = a.original if a.lexicon is self.standard.lexicon() else a
        return classify_feedback(arg, channel=self.consultation.channel, standard=self.standard)

    def cycles(self) -> list[range]:
        """Index ranges of the contact cycles (a reopen starts a new one)."""
        starts = [0] + [i for i, e in enumerate(self.events) if isinstance(e, Reopened)]
        ends = [*starts[1:], len(self.events)]
        return [range(s, e) for s, e in zip(starts, ends, strict=True)]

    def first_response(self, cycle: range) -> int | None:
        seen_customer = False
        for i in cycle:
            ev = self.events[i]
            if isinstance(ev, CustomerMessage | Reopened):
                seen_customer = True
            elif seen_customer and isinstance(ev, _RESPONSES):
                return i
        return None

    def first_human_response(self, cycle: range) -> int | None:
        for i in cycle:
            if isinstance(self.events[i], _HUMAN):
                return i
        return None

    def customer_before(self, i: int, cycle: range) -> list[int]:
        return [j for j in cycle if j < i and isinstance(self.events[j], CustomerMessage)]

    def rule_clocks(self) -> TicketClocks:
        """The clocks the consultation rules read (acknowledgement for W101, follow-up for
        W108), computed once; the full set when :meth:`clocks` was computed already."""
        got = self._memo.get("clocks") or self._memo.get("rule_clocks")
        if got is None:
            from ..sla import Metric

            got = self._clocks((Metric.ACKNOWLEDGEMENT, Metric.FOLLOW_UP))
            self._memo["rule_clocks"] = got
        assert isinstance(got, TicketClocks)
        return got

    def clocks(self) -> TicketClocks:
        got = self._memo.get("clocks")
        if got is None:
            got = self._clocks(None)
            self._memo["clocks"] = got
        assert isinstance(got, TicketClocks)
        return got

    def _clocks(self, metrics: Any) -> TicketClocks:
        got: TicketClocks | None = None
        if not self.events:
            got = _no_clocks(self.now)
        if got is None:
            from .sla_bridge import consultation_clocks

            index = {id(e): i for i, e in enumerate(self.events)}

            def counts(ev: AutoReply) -> bool:  # reuse the analysis every rule shares
                a = self.analysis(index[id(ev)])
                return a.has("wf_ack_receipt") and not a.has("wf_mechanical")

            got = consultation_clocks(
                self.consultation,
                now=self.now,
                policy=(self.sla_policy or default_policy()).with_holidays(*self.standard.holidays),
                auto_reply_counts=counts,
                metrics=metrics,
            )
        return got

    def slots(self) -> list[SlotEvidence]:
        """5W1H slots established by the customer's messages and the confirmed need."""
        got = self._memo.get("slots")
        if got is None:
            found: dict[Slot, SlotEvidence] = {}
            for i, ev in enumerate(self.events):
                if isinstance(ev, NeedConfirmed):
                    for slot, val in ev.slots.items():
                        found[slot] = _slot_evidence(
                            slot=slot, cue=val, event=i, source="confirmed"
                        )
                elif isinstance(ev, CustomerMessage) and len(found) < len(_SLOT_LISTS):
                    a = self.analysis(i)
                    for slot, name in _SLOT_LISTS:
                        if slot in found:
                            continue
                        # one list's hits are in position order already: no merge, no copy
                        hits = a.hits.get(name)
                        if hits:
                            h = hits[0]
                            found[slot] = _slot_evidence(
                                slot=slot, cue=h.phrase, event=i, span=a.hit_span(h)
                            )
            got = [found[s] for s in Slot if s in found]
            self._memo["slots"] = got
        return list(got)


_SLOT_LISTS: tuple[tuple[Slot, str], ...] = tuple((s, f"wf_5w1h_{s.value}") for s in Slot)


def _no_clocks(now: datetime | None) -> TicketClocks:
    """The clocks of an empty log: none."""
    from ..sla import TicketContext

    return TicketClocks(
        context=TicketContext(), now=now or datetime(1970, 1, 1, tzinfo=timezone.utc)
    )


def make_consultation_context(example: Any, standard: Any = None) -> ConsultationContext:
    """Build the context a rule example is judged in (``RuleExample`` of family
    ``consultation``).  The example's ``review`` is the customer's message, ``text`` the
    response under judgement; ``context`` keys:

    * ``channel`` (default ``online_chat``), ``wait_s`` seconds before the response (5);
    * ``response``: the response's event kind — ``agent_message`` (default), ``auto_reply``,
      ``question_asked``, ``answer_given``, ``follow_up_done``;
    * ``options`` (answer options), ``need`` (fields of a :class:`NeedConfirmed` logged before
      the response), ``kb`` (a fact table for :func:`fact_table`);
    * ``follow_up_h`` (hours after the answer until the follow-up), ``close_text`` (the
      closing message; the consultation is then closed), ``now_h`` (hours after the start);
    * ``events``: a full event list (JSON form) instead of all the above.
    """
    std = standard if isinstance(standard, Standard) else Standard.default()
    ctx: dict[str, Any] = dict(example.context)
    channel = Channel(ctx.get("channel", "online_chat"))
    t0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    if "events" in ctx:
        c = Consultation.model_validate(
            {"id": "example", "channel": channel, "events": ctx["events"]}
        )
    else:
        evs: list[Any] = [CustomerMessage(at=t0, text=example.review or "你好")]
        t = t0 + timedelta(seconds=float(ctx.get("wait_s", 5)))
        if "need" in ctx:
            evs.append(NeedConfirmed(at=t, **ctx["need"]))
        kind = ctx.get("response", "agent_message")
        if kind == "auto_reply":
            evs.append(AutoReply(at=t, text=example.text))
        elif kind == "question_asked":
            evs.append(QuestionAsked(at=t, text=example.text))
        elif kind == "answer_given":
            evs.append(AnswerGiven(at=t, text=example.text, options=tuple(ctx.get("options", ()))))
        elif kind == "follow_up_done":
            evs.append(AnswerGiven(at=t, text="已为您处理好了。"))
            evs.append(FollowUpDone(at=t + timedelta(hours=1), text=example.text))
        else:
            evs.append(AgentMessage(at=t, text=example.text))
        if "follow_up_h" in ctx:
            if not any(isinstance(e, AnswerGiven) for e in evs):
                evs.append(AnswerGiven(at=t, text="好的,已为您处理。"))
            evs.append(FollowUpDone(at=t + timedelta(hours=float(ctx["follow_up_h"]))))
        if "close_text" in ctx:
            if not any(isinstance(e, AnswerGiven) for e in evs):
                evs.append(AnswerGiven(at=evs[-1].at, text="好的,已为您处理。"))
            evs.append(Closed(at=evs[-1].at + timedelta(minutes=1), text=ctx["close_text"]))
        c = Consultation(id="example", channel=channel).extend(evs)
    now = t0 + timedelta(hours=float(ctx["now_h"])) if "now_h" in ctx else None
    kb = fact_table(ctx["kb"]) if "kb" in ctx else None
    return ConsultationContext(consultation=c, standard=std, kb=kb, now=now)


# -- the report ------------------------------------------------------------------------------
class ConsultationReport(FrozenModel):
    """Where a consultation stands and which standard was missed."""

    id: str
    stage: ConsultStage
    importance: Importance
    allowed_events: tuple[str, ...]
    slots: tuple[SlotEvidence, ...] = ()
    missing_slots: tuple[Slot, ...] = ()
    findings: tuple[Finding, ...] = ()
    follow_up_due: datetime | None = None
    clocks: TicketClocks | None = None
    notes: tuple[str, ...] = Field(default=())

    def by_stage(self) -> dict[str, list[Finding]]:
        """Findings grouped by the stage they concern (``data["stage"]``)."""
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(str(f.data.get("stage", "")), []).append(f)
        return out


# R107 (interrogative) is reused inside W104, which adds the rewrite; not run twice here.
REPLY_RULES_FOR_AGENTS = ("R106", "R108")


def _reply_rule_findings(ctx: ConsultationContext, notes: list[str]) -> list[Finding]:
    from ..rules import get_registry
    from ..rules.context import ReplyContext

    reg = get_registry()
    rules = []
    for code in REPLY_RULES_FOR_AGENTS:
        try:
            rules.append(reg.get(code))
        except RuleNotFound:
            notes.append(f"reply rule {code} not registered: not checked")
    out: list[Finding] = []
    last_customer: Analysis | None = None
    for i, ev in enumerate(ctx.events):
        if isinstance(ev, CustomerMessage):
            last_customer = ctx.analysis(i)
            continue
        if not isinstance(ev, _AGENT_TEXT) or not getattr(ev, "text", ""):
            continue
        rctx = ReplyContext(reply=ctx.analysis(i), review=last_customer, standard=ctx.standard)
        for r in rules:
            for f in r.run(rctx, ctx.standard):
                out.append(f.model_copy(update={"data": {**f.data, "event": i}}))
    return out


@pauses_collector(lambda consultation, **kw: log_size(consultation))
def check_consultation(
    consultation: Consultation,
    *,
    standard: Standard | None = None,
    kb: KnowledgeBase | None = None,
    sla_policy: SLAPolicy | None = None,
    now: datetime | None = None,
    history: Iterable[Consultation] = (),
    reply_rules: bool = True,
) -> ConsultationReport:
    """Check a consultation against standard 001 stage by stage.

    ``kb`` checks factual claims (保修期 …); ``sla_policy`` gives the response targets (default
    :func:`csstandards.sla.default_policy`); ``now`` judges clocks still running (default: the
    last event); ``history`` are the customer's earlier consultations (their record notes should
    be mentioned, 001 §2.4).
    """
    from ..rules import get_registry

    if not isinstance(consultation, Consultation):
        raise InputError(f"expected a Consultation, got {type(consultation).__name__}")
    std = standard or Standard.default()
    ctx = ConsultationContext(
        consultation=consultation,
        standard=std,
        kb=kb,
        sla_policy=sla_policy,
        now=now,
        history=tuple(history),
    )
    notes: list[str] = []
    findings: list[Finding] = []
    st = consultation.state
    # the report shows every clock: computed before the rules, which then read the same set
    clocks = ctx.clocks() if st.last_at is not None else None
    for r in get_registry().all("consultation"):
        findings.extend(r.run(ctx, std))
    if reply_rules:
        findings.extend(_reply_rule_findings(ctx, notes))
    slots = ctx.slots()
    due = None
    if clocks is not None:
        fu = clocks.latest(_metric_follow_up())
        due = fu.due if fu is not None else None
    return ConsultationReport(
        id=consultation.id,
        stage=st.stage,
        importance=st.importance,
        allowed_events=tuple(k.value for k in consultation.allowed_events()),
        slots=tuple(slots),
        missing_slots=tuple(s for s in Slot if s not in {e.slot for e in slots}),
        findings=tuple(findings),
        follow_up_due=due,
        clocks=clocks,
        notes=tuple(notes),
    )


def _metric_follow_up() -> Any:
    from ..sla import Metric

    return Metric.FOLLOW_UP
