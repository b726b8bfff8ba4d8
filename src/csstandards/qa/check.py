"""Check a whole conversation (整通会话质检): every turn, every stage, one scorecard.

:func:`check_transcript` runs, on one :class:`~csstandards.qa.Transcript`:

* on every staff turn (agent 客服 and bot 机器人) the reply rules whose metadata says they
  apply to a chat turn (``applies_to = ("chat-turn",)``: blame-shifting, defensive,
  dismissive, deflection, interrogation, jargon, vague and over-promises, missing reason,
  privacy leak), each judged against the customer's last message;
* on every customer turn the feedback classifier (emotion, urgency, kind, severity …), whose
  result the context rules share (W111 emotion first, W112 urgent question first, W113 a
  complaint treated as important);
* on the consultation event log of the transcript every consultation rule (W1xx): first
  response per channel, waits of over a minute, 5W1H before the answer, options, closing.

Findings are reported per turn (turn index, role, spans into that turn's text, rule), per
stage and for the conversation, and scored on a :class:`~csstandards.qa.Scorecard`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..errors import InputError
from ..lexicon import Lexicon, phrase_lists
from ..models import Actor, Channel, Finding, FrozenModel, trusted_builder
from ..standard import Standard
from ..text.analysis import analyze
from ..workflow.checks import ConsultationContext, KnowledgeBase
from ..workflow.consultation import Consultation, ConsultStage
from ..workflow.sla_bridge import stage_history
from .scorecard import Scorecard, ScoredFinding, ScoreResult, load_scorecard
from .transcript import Transcript, TurnAct
from .wording import turn_wording

__all__ = [
    "CHAT_TURN",
    "CustomerView",
    "TranscriptReport",
    "TurnFinding",
    "TurnReport",
    "chat_turn_rules",
    "check_transcript",
]

#: reply rules a consultation rule runs itself on every agent turn (W104 reports R107's
#: findings with a softer rewrite, as :func:`~csstandards.workflow.check_consultation` does)
REUSED_BY = {"reply.interrogative": "consult.interrogation"}
#: the setting reply rules declare (``Rule.applies_to``) to be run on every staff turn
CHAT_TURN = "chat-turn"
_STAFF = (Actor.AGENT, Actor.BOT)


class TurnFinding(FrozenModel):
    """A finding with where it is: the turn (``None``: the whole conversation), the turn's
    role, the consultation stage it concerns; its spans point into that turn's text."""

    turn: int | None
    role: Actor | None = None
    stage: str = ""
    finding: Finding


class CustomerView(FrozenModel):
    """What the feedback classifier read in one customer turn (客户消息分类)."""

    kind: str
    emotion: str
    urgency: str
    severity: str
    priority: str
    sentiment: float
    hazards: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


class TurnReport(FrozenModel):
    """One turn as QA sees it: its text, act, the findings on it, the customer's view."""

    turn: int
    role: Actor
    text: str
    at: datetime | None = None
    agent: str = ""
    act: TurnAct | None = None
    findings: tuple[Finding, ...] = ()
    customer: CustomerView | None = None


class TranscriptReport(FrozenModel):
    """The QA verdict on one conversation: score, items, findings per turn and per stage."""

    id: str
    channel: Channel
    agent: str = ""
    team: str = ""
    stage: ConsultStage | None = None
    turns: tuple[TurnReport, ...]
    findings: tuple[TurnFinding, ...] = ()
    result: ScoreResult
    notes: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        return self.result.score

    @property
    def passed(self) -> bool:
        return self.result.passed

    @property
    def fatal_items(self) -> tuple[str, ...]:
        return self.result.fatal_items

    @property
    def conversation_findings(self) -> list[TurnFinding]:
        """Findings about the whole conversation rather than one turn."""
        return [f for f in self.findings if f.turn is None]

    def by_turn(self) -> dict[int, list[Finding]]:
        out: dict[int, list[Finding]] = {}
        for f in self.findings:
            if f.turn is not None:
                out.setdefault(f.turn, []).append(f.finding)
        return out

    def by_stage(self) -> dict[str, list[TurnFinding]]:
        """Findings grouped by the consultation stage they concern (受理/确认/解答/跟进;
        ``""`` for reply-rule findings on a turn outside the log)."""
        out: dict[str, list[TurnFinding]] = {}
        for f in self.findings:
            out.setdefault(f.stage, []).append(f)
        return out

    def by_rule(self, name: str) -> list[TurnFinding]:
        return [
            f
            for f in self.findings
            if name in (f.finding.rule_id, f.finding.code, f.finding.rule_id.split(".", 1)[-1])
        ]

    @property
    def flagged_turns(self) -> tuple[int, ...]:
        return tuple(sorted({f.turn for f in self.findings if f.turn is not None}))

    def explain(self, lang: str = "zh") -> str:
        zh = lang == "zh"
        r = self.result
        verdict = ("通过" if r.passed else "未通过") if zh else ("pass" if r.passed else "fail")
        lines = [
            f"{'会话' if zh else 'Conversation'} {self.id}: {r.score:g}/{r.base:g} ({verdict}, "
            f"{'及格线' if zh else 'pass mark'} {r.pass_mark:g})"
        ]
        if r.fatal_items:
            lines.append(("一票否决: " if zh else "fatal: ") + ", ".join(r.fatal_items))
        for it in r.items:
            if it.hit:
                lines.append(f"- {it.section_name}/{it.name}: -{it.deduction:g}")
        for f in self.findings:
            where = f"#{f.turn}" if f.turn is not None else "—"
            text = self.turns[f.turn].text if f.turn is not None else ""
            ev = [f"“{s.of(text)}”" for s in f.finding.spans if 0 < len(s) <= 40]
            msg = f.finding.message_zh if zh else f.finding.message_en
            lines.append(
                f"  [{f.finding.code} {where}] {msg}" + (" " + ", ".join(ev) if ev else "")
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Jupyter: the verdict and every turn, the flagged words marked, user text escaped."""
        from ..report.qa import transcript_html

        return transcript_html(self)


_turn_finding = trusted_builder(TurnFinding)
_turn_report = trusted_builder(TurnReport)
_customer_view_of = trusted_builder(CustomerView)


#: the data files whose phrase lists the rules read on a staff turn: the reply rules'
#: (``reply*``), the consultation rules' (``workflow``) and QA's own (``qa``); the
#: classifier's lists are only needed on customer turns
_STAFF_SOURCES = ("lexicon/reply", "lexicon/workflow", "lexicon/qa")
_staff_cache: dict[int, tuple[Lexicon, Lexicon]] = {}


def _staff_lexicon(standard: Standard) -> Lexicon:
    """The phrase lists a staff turn is matched against (a scan of fewer lists is cheaper,
    as :func:`~csstandards.check_reply` matches a reply against the reply lists only)."""
    full = standard.lexicon()
    hit = _staff_cache.get(id(full))
    if hit is not None and hit[0] is full:
        return hit[1]
    names = {n for n, pl in phrase_lists().items() if pl.source.startswith(_STAFF_SOURCES)}
    names |= set(standard.phrases)
    lex = Lexicon({n: ps for n, ps in full.lists.items() if n in names})
    if len(_staff_cache) > 32:
        _staff_cache.clear()
    _staff_cache[id(full)] = (full, lex)
    return lex


# -- the check ------------------------------------------------------------------------------
def chat_turn_rules(standard: Standard | None = None) -> list[Any]:
    """The reply rules run on every staff turn: those whose metadata applies to a chat turn,
    enabled in ``standard``."""
    from ..rules import get_registry

    std = standard or Standard.default()
    hit = _rules_cache.get(id(std))
    if hit is not None and hit[0] is std:
        return list(hit[1])
    rules = [
        r for r in get_registry().applying_to(CHAT_TURN, "reply") if std.rule_enabled(r.id, r.code)
    ]
    if len(_rules_cache) > 32:
        _rules_cache.clear()
    _rules_cache[id(std)] = (std, tuple(rules))
    return rules


_rules_cache: dict[int, tuple[Standard, tuple[Any, ...]]] = {}


def _customer_view(fa: Any) -> CustomerView:
    hazards = tuple(
        dict.fromkeys(e.value for e in fa.evidence if e.field in ("hazard", "hazards") and e.value)
    )
    extra = getattr(fa, "hazards", ())
    if extra:
        hazards = tuple(dict.fromkeys((*hazards, *(str(getattr(h, "value", h)) for h in extra))))
    return _customer_view_of(
        kind=fa.kind.value,
        emotion=fa.emotion.value,
        urgency=fa.urgency.value,
        severity=fa.severity.value,
        priority=fa.priority.value,
        sentiment=fa.sentiment,
        hazards=hazards,
        topics=fa.topic_ids,
    )


def check_transcript(
    transcript: Transcript,
    *,
    scorecard: Scorecard | str | None = None,
    standard: Standard | None = None,
    kb: KnowledgeBase | None = None,
    now: datetime | None = None,
) -> TranscriptReport:
    """Check one conversation turn by turn and score it on ``scorecard`` (default: the
    library's, :func:`~csstandards.qa.default_scorecard`).

    ``standard`` gives thresholds, enabled rules and lexicon additions as for
    :func:`~csstandards.check_reply`; ``kb`` checks factual claims (W107); ``now`` judges a
    customer still waiting (default: the last turn).  A transcript whose log the consultation
    workflow refuses raises :class:`~csstandards.errors.WorkflowError`.
    """
    from ..rules import get_registry
    from ..rules.context import ReplyContext

    if not isinstance(transcript, Transcript):
        raise InputError(f"expected a Transcript, got {type(transcript).__name__}")
    if standard is not None and not isinstance(standard, Standard):
        raise InputError(f"standard must be a csstandards Standard, got {type(standard).__name__}")
    std = standard or Standard.default()
    sc = load_scorecard(scorecard)
    reg = get_registry()
    notes: list[str] = []
    if not transcript.timed:
        notes.append("some turns have no time: waits and response times are not measured")
    msgs = transcript.messages
    lexicon = std.lexicon()
    # every turn is analysed once (customer turns with the full lexicon, staff turns with the
    # lists their rules read) and shared by the act inference, the consultation rules, the
    # reply rules and the classifier
    staff_lexicon = _staff_lexicon(std)
    analyses = {
        i: analyze(m.text, lexicon if m.role is Actor.CUSTOMER else staff_lexicon)
        for i, m in enumerate(msgs)
        if m.role is not Actor.SYSTEM
    }
    events, turn_of = transcript.event_log(fill_times=True, analyses=analyses)
    # the whole log at once, replayed once (each event is legal or WorkflowError says why)
    # the events are the library's own (built from validated messages): not validated again
    consultation = Consultation.model_construct(
        id=transcript.id,
        channel=transcript.channel,
        customer=transcript.customer,
        events=tuple(events),
    )
    # replays the log once (an illegal event raises here); the stage after each event and the
    # final state are kept on the consultation for the SLA clocks and the rules
    stage_history(consultation)
    event_of = {t: i for i, t in enumerate(turn_of) if t >= 0}
    ctx = ConsultationContext(
        consultation=consultation,
        standard=std,
        kb=kb,
        now=now,
        _analyses={e: analyses[t] for t, e in event_of.items()},
    )

    # customer turns: classified once, shared with the context rules (W113 reads ctx)
    views: dict[int, CustomerView] = {}
    assessments: dict[int, Any] = {}
    for turn, m in enumerate(msgs):
        if m.role is Actor.CUSTOMER and m.text.strip():
            ev = event_of.get(turn)
            if ev is None:  # pragma: no cover - every customer turn is in the log
                continue
            fa = ctx.assessment(ev)
            assessments[turn] = fa
            views[turn] = _customer_view(fa)

    found: list[TurnFinding] = []
    # consultation rules on the log
    for r in reg.all("consultation"):
        for f in r.run(ctx, std):
            ev = f.data.get("event")
            at: int | None = None
            if isinstance(ev, int) and 0 <= ev < len(turn_of) and turn_of[ev] >= 0:
                at = turn_of[ev]
            found.append(
                _turn_finding(
                    turn=at,
                    role=msgs[at].role if at is not None else None,
                    stage=str(f.data.get("stage", "")),
                    finding=f,
                )
            )
    taken = {
        (f.turn, f.finding.spans, f.finding.cue) for f in found if f.turn is not None
    }  # a consultation rule that reuses a reply rule (W104 ← R107) reports it once
    # reply rules on staff turns (not those a consultation rule already runs on every turn)
    rules = chat_turn_rules(std)
    reused = {rid for rid, by in REUSED_BY.items() if by in reg and std.rule_enabled(by)}
    last_customer: int | None = None
    for turn, m in enumerate(msgs):
        if m.role is Actor.CUSTOMER:
            last_customer = turn
            continue
        if m.role not in _STAFF or not m.text.strip():
            continue
        review = analyses[last_customer] if last_customer is not None else None
        rctx = ReplyContext(
            reply=analyses[turn],
            review=review,
            standard=std,
            assessment=assessments.get(last_customer) if last_customer is not None else None,
        )
        ev = event_of.get(turn)
        stage = _stage_at(consultation, ev)
        for r in rules:
            if r.id in reused:
                continue
            for f in r.run(rctx, std):
                if (turn, f.spans, f.cue) in taken:
                    continue
                found.append(
                    _turn_finding(
                        turn=turn,
                        role=m.role,
                        stage=stage,
                        finding=f.model_copy(
                            update={
                                "data": {**f.data, "turn": turn},
                                **turn_wording(f, transcript.channel),
                            }
                        ),
                    )
                )
    # scorecard severity overrides, then the score
    kept: list[TurnFinding] = []
    for tf in found:
        sev = sc.severity_for(tf.finding)
        if sev is None:
            continue
        if sev is not tf.finding.severity:
            tf = tf.model_copy(update={"finding": tf.finding.model_copy(update={"severity": sev})})
        kept.append(tf)
    kept.sort(key=lambda tf: (tf.turn if tf.turn is not None else len(msgs), tf.finding.code))
    result = sc.score((ScoredFinding.of(tf.finding, tf.turn, tf.role) for tf in kept), reg)
    per_turn: dict[int, list[Finding]] = {}
    for tf in kept:
        if tf.turn is not None:
            per_turn.setdefault(tf.turn, []).append(tf.finding)
    turns = tuple(
        _turn_report(
            turn=i,
            role=m.role,
            text=m.text,
            at=m.at,
            agent=m.agent,
            act=_act_of(m, events[event_of[i]] if i in event_of else None),
            findings=tuple(per_turn.get(i, ())),
            customer=views.get(i),
        )
        for i, m in enumerate(msgs)
    )
    return TranscriptReport(
        id=transcript.id,
        channel=transcript.channel,
        agent=transcript.agent_id,
        team=transcript.team,
        stage=consultation.stage if events else None,
        turns=turns,
        findings=tuple(kept),
        result=result,
        notes=tuple(notes),
    )


_STAGE_OF_KIND = {
    "agent_message": ConsultStage.CONFIRM,
    "question_asked": ConsultStage.CONFIRM,
    "answer_given": ConsultStage.ANSWER,
    "auto_reply": ConsultStage.ACCEPT,
    "closed": ConsultStage.FOLLOW_UP,
}


def _stage_at(c: Consultation, ev: int | None) -> str:
    """The stage a staff turn belongs to, by its event kind (受理/确认/解答/跟进)."""
    if ev is None:
        return ConsultStage.ACCEPT.value
    kind = str(c.events[ev].kind)
    got = _STAGE_OF_KIND.get(kind)
    return got.value if got is not None else ""


def _act_of(m: Any, ev: Any) -> TurnAct | None:
    if m.act is not None or ev is None:
        return m.act  # type: ignore[no-any-return]
    kind = str(ev.kind)
    return {
        "question_asked": TurnAct.QUESTION,
        "answer_given": TurnAct.ANSWER,
        "agent_message": TurnAct.MESSAGE,
        "closed": TurnAct.CLOSE,
    }.get(kind)
