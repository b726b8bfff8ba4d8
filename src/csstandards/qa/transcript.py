"""Transcripts (会话记录): whole chats and calls, role-tagged, and their consultation event log.

A :class:`Transcript` is what helpdesks export: messages with a role (customer 客户, agent
客服, bot 机器人, system 系统), text, time, the agent's id and the channel.  It converts to the
:class:`~csstandards.workflow.Consultation` event log (受理 → 确认 → 解答 → 跟进) that the
consultation rules judge, and back::

    t = Transcript(id="c1", messages=[Message(role="customer", text="在吗", at=t0), ...])
    c = t.to_consultation()          # CustomerMessage, AgentMessage, QuestionAsked, ...
    Transcript.from_consultation(c) == t.resolved()

An agent turn's *act* (:class:`TurnAct`: message, question 提问, answer 解答, close 结束语)
decides its event kind; exports rarely say it, so :meth:`Transcript.resolved` infers it from
the text with the cues of ``lexicon/qa.toml`` (a turn that only greets, holds the line or closes with an
invitation is a message, one whose last sentence asks is a question, any other gives an
answer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from pydantic import Field, field_validator, model_validator

from ..errors import InputError
from ..lexicon import Lexicon, load_file, phrase_lists
from ..models import Actor, Channel, FrozenModel, LabelledEnum, _label, trusted_builder
from ..text.analysis import Analysis, analyze
from ..workflow.consultation import (
    AgentMessage,
    AnswerGiven,
    AutoReply,
    Closed,
    CloseReason,
    Consultation,
    ConsultEvent,
    CustomerMessage,
    NeedConfirmed,
    QuestionAsked,
)

__all__ = [
    "Message",
    "Transcript",
    "TurnAct",
    "infer_act",
    "parse_channel",
    "role_aliases",
    "role_of",
]


class TurnAct(LabelledEnum):
    """What an agent's (or bot's) turn does in the consultation flow (001 §2)."""

    MESSAGE = "message"  # 一般消息 (问候、稍等)
    QUESTION = "question"  # 提问 (确认需求)
    ANSWER = "answer"  # 解答
    CLOSE = "close"  # 结束语


_label(
    TurnAct,
    {
        "message": ("一般消息", "message"),
        "question": ("提问", "question"),
        "answer": ("解答", "answer"),
        "close": ("结束语", "closing"),
    },
)


def _aware_or_none(v: datetime | None, what: str) -> datetime | None:
    if v is not None and (v.tzinfo is None or v.utcoffset() is None):
        raise ValueError(f"{what} must be timezone-aware (带时区的时间), got naive {v.isoformat()}")
    return v


class Message(FrozenModel):
    """One turn of a conversation (一轮对话): who, what, when.

    ``act`` is the turn's role in the flow when the export says it (``None``: inferred, see
    :func:`infer_act`); ``agent`` the agent's id (工号) for agent turns; ``id`` the helpdesk's
    own message id.
    """

    role: Actor
    text: str
    at: datetime | None = None
    agent: str = ""
    id: str = ""
    act: TurnAct | None = None

    @field_validator("at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        return _aware_or_none(v, "'at'")


class Transcript(FrozenModel):
    """A whole conversation (会话): its messages in order, the channel, the agent and team.

    ``closed`` says the conversation has ended (a historical export: default); the
    consultation log then ends with a :class:`~csstandards.workflow.Closed` event so the
    closing rules (W109 结束邀请) judge it.
    """

    id: str
    channel: Channel = Channel.ONLINE_CHAT
    agent: str = ""
    team: str = ""
    customer: str = ""
    closed: bool = True
    messages: tuple[Message, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Transcript:
        last: datetime | None = None
        last_i = 0
        for i, m in enumerate(self.messages):
            if m.at is None:
                continue
            if last is not None and m.at < last:
                raise ValueError(
                    f"turn {i} ({m.at.isoformat()}) is earlier than turn {last_i} "
                    f"({last.isoformat()}): messages must be in time order"
                )
            last, last_i = m.at, i
        return self

    # -- derived ----------------------------------------------------------------------------
    @property
    def agent_id(self) -> str:
        """The conversation's agent: :attr:`agent`, else the first agent turn's id."""
        if self.agent:
            return self.agent
        return next((m.agent for m in self.messages if m.role is Actor.AGENT and m.agent), "")

    @property
    def timed(self) -> bool:
        """Every customer, agent and bot turn has a time (the timing rules need them)."""
        return all(m.at is not None for m in self.messages if m.role is not Actor.SYSTEM)

    def turns(self, role: Actor) -> list[int]:
        """Indices of the turns of one role."""
        return [i for i, m in enumerate(self.messages) if m.role is role]

    def resolved(self) -> Transcript:
        """The transcript with every agent turn's act stated (inferred where missing)."""
        msgs = tuple(
            m.model_copy(update={"act": infer_act(m.text)})
            if m.role is Actor.AGENT and m.act is None
            else m
            for m in self.messages
        )
        return self if msgs == self.messages else self.model_copy(update={"messages": msgs})

    # -- event log --------------------------------------------------------------------------
    def event_log(
        self, *, fill_times: bool = False, analyses: Mapping[int, Analysis] | None = None
    ) -> tuple[list[ConsultEvent], list[int]]:
        """The consultation events of this transcript and, for each, the turn it came from
        (``-1`` for the closing event the log adds when :attr:`closed`).

        System turns and staff turns before the customer's first message have no event in
        001's workflow and are left out.  ``fill_times`` gives turns without a time the time
        of the turn before (no wait is then measured) instead of raising.  ``analyses``
        (turn → analysis with the full lexicon) are reused to infer the acts.
        """
        events: list[ConsultEvent] = []
        turns: list[int] = []
        seen_customer = False
        answers = 0
        closed_by_turn = False
        important = False
        last_at: datetime | None = None
        for i, m in enumerate(self.messages):
            if m.role is Actor.SYSTEM:
                continue
            if m.role is Actor.CUSTOMER:
                seen_customer = True
            elif not seen_customer:
                continue
            if closed_by_turn:
                raise InputError(
                    f"transcript {self.id!r}: turn {i} comes after the closing turn; "
                    "only the last staff turn may have act 'close'"
                )
            at = m.at
            if at is None:
                if not fill_times:
                    raise InputError(
                        f"transcript {self.id!r}: turn {i} has no time; the consultation log "
                        "needs a time on every customer, agent and bot turn"
                    )
                at = last_at or _NO_TIME
            last_at = at
            a = analyses.get(i) if analyses else None
            if m.role is Actor.AGENT and not important and promises_follow_up(a or m.text):
                important = True
                events.append(NeedConfirmed(at=at, need=m.text, important=True, ref=m.id))
                turns.append(i)
            ev = _event(m, at, answers, a, important)
            if isinstance(ev, AnswerGiven):
                answers += 1
            if isinstance(ev, Closed):
                closed_by_turn = True
            events.append(ev)
            turns.append(i)
        if self.closed and not closed_by_turn and events:
            reason = _close_reason(answers, important)
            events.append(Closed(at=events[-1].at, actor=Actor.SYSTEM, reason=reason))
            turns.append(-1)
        return events, turns

    def to_consultation(self, *, fill_times: bool = False) -> Consultation:
        """The :class:`~csstandards.workflow.Consultation` event log of this transcript."""
        events, _ = self.event_log(fill_times=fill_times)
        c = Consultation(id=self.id, channel=self.channel, customer=self.customer)
        return c.extend(events)

    @classmethod
    def from_consultation(
        cls, consultation: Consultation, *, agent: str = "", team: str = ""
    ) -> Transcript:
        """The transcript of a consultation's messages (events that carry no message, such as
        :class:`~csstandards.workflow.NeedConfirmed`, are not turns and are left out)."""
        msgs: list[Message] = []
        closed = False
        for ev in consultation.events:
            if isinstance(ev, CustomerMessage):
                msgs.append(Message(role=Actor.CUSTOMER, text=ev.text, at=ev.at, id=ev.ref))
            elif isinstance(ev, AutoReply):
                msgs.append(Message(role=Actor.BOT, text=ev.text, at=ev.at, id=ev.ref))
            elif isinstance(ev, AgentMessage | QuestionAsked | AnswerGiven):
                act = (
                    TurnAct.QUESTION
                    if isinstance(ev, QuestionAsked)
                    else TurnAct.ANSWER
                    if isinstance(ev, AnswerGiven)
                    else TurnAct.MESSAGE
                )
                role = Actor.BOT if ev.actor is Actor.BOT else Actor.AGENT
                msgs.append(
                    Message(role=role, text=ev.text, at=ev.at, agent=ev.agent, id=ev.ref, act=act)
                )
            elif isinstance(ev, Closed):
                closed = True
                if ev.text:
                    role = Actor.BOT if ev.actor is Actor.BOT else Actor.AGENT
                    msgs.append(
                        Message(role=role, text=ev.text, at=ev.at, id=ev.ref, act=TurnAct.CLOSE)
                    )
        if not msgs:
            raise InputError(f"consultation {consultation.id!r} has no messages to transcribe")
        return cls(
            id=consultation.id,
            channel=consultation.channel,
            agent=agent,
            team=team,
            customer=consultation.customer,
            closed=closed,
            messages=tuple(msgs),
        )

    # -- JSON -------------------------------------------------------------------------------
    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> Transcript:
        return cls.model_validate_json(text)


#: the clock of a transcript without times: an ordinary working day inside the calendar data,
#: so no estimated-calendar warning is raised for a time that means nothing
_NO_TIME = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def _close_reason(answers: int, important: bool) -> CloseReason:
    """Resolved after an answer; handed over (转跟进) when a follow-up was promised; else the
    customer left."""
    if important:
        return CloseReason.TRANSFERRED
    return CloseReason.RESOLVED if answers else CloseReason.ABANDONED


#: events of the log built from a transcript's validated messages (text, ids, an aware time)
# The builders of each event type: trusted (no validation of values the transcript already
# validated) for fixed-offset times, the models themselves (validating) for a time on a named
# zone or at a DST fold, which the event model checks and keeps as its UTC offset exactly as
# an event applied by hand.
_TRUSTED: tuple[Callable[..., ConsultEvent], ...] = (
    trusted_builder(CustomerMessage),
    trusted_builder(AutoReply),
    trusted_builder(QuestionAsked),
    trusted_builder(AnswerGiven),
    trusted_builder(Closed),
    trusted_builder(AgentMessage),
)
_VALIDATING: tuple[Callable[..., ConsultEvent], ...] = (
    CustomerMessage,
    AutoReply,
    QuestionAsked,
    AnswerGiven,
    Closed,
    AgentMessage,
)


def _event(
    m: Message, at: datetime, answers: int, a: Analysis | None = None, important: bool = False
) -> ConsultEvent:
    trusted = type(at.tzinfo) is timezone and 1 < at.year < 9999 and not at.fold
    customer, auto_reply, question, answer, closed, agent_message = (
        _TRUSTED if trusted else _VALIDATING
    )
    if m.role is Actor.CUSTOMER:
        return customer(at=at, text=m.text, ref=m.id)
    act = m.act
    if m.role is Actor.BOT:
        if act is None:
            return auto_reply(at=at, text=m.text, ref=m.id)
        actor = Actor.BOT
    else:
        act = act or infer_act(a if a is not None else m.text)
        actor = Actor.AGENT
    if act is TurnAct.QUESTION:
        return question(at=at, text=m.text, actor=actor, agent=m.agent, ref=m.id)
    if act is TurnAct.ANSWER:
        return answer(at=at, text=m.text, actor=actor, agent=m.agent, ref=m.id)
    if act is TurnAct.CLOSE:
        reason = _close_reason(answers, important)
        return closed(at=at, text=m.text, actor=actor, reason=reason, ref=m.id)
    return agent_message(at=at, text=m.text, actor=actor, agent=m.agent, ref=m.id)


# -- act inference --------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"[。!！;；\n]+")
_PUNCT = re.compile(r"[\s,，、。.!！?？~～:：;；…\-—()（）\"“”'‘’]+")


@lru_cache(maxsize=1)
def _act_lexicon() -> Lexicon:
    lists = phrase_lists()
    names = ("qa_holding", "qa_greeting", "qa_follow_up_promise", "wf_closing_invitation")
    return Lexicon({n: lists[n].phrases for n in names})


def promises_follow_up(text: str | Analysis) -> bool:
    """Whether an agent's turn promises to come back (回电、回访、告知进展, 001 §2.4)."""
    if isinstance(text, Analysis) and "qa_follow_up_promise" in text.lexicon.lists:
        return text.has("qa_follow_up_promise")
    return analyze(text if isinstance(text, str) else text.original, _act_lexicon()).has(
        "qa_follow_up_promise"
    )


@lru_cache(maxsize=1)
def _question_ends() -> tuple[str, ...]:
    return phrase_lists()["qa_question_end"].phrases


def infer_act(text: str | Analysis) -> TurnAct:
    """What an agent's turn does, from its text (cues in ``lexicon/qa.toml``).

    >>> infer_act("您好,请问有什么可以帮您?").value, infer_act("您希望什么时候收到呢?").value
    ('message', 'question')
    >>> infer_act("已为您加急,明天送达。").value, infer_act("不客气,如有其他问题,随时联系我们。").value
    ('answer', 'message')
    """
    if isinstance(text, Analysis) and "qa_holding" in text.lexicon.lists:
        a = text  # an analysis the caller made anyway (with the full lexicon): reused
    else:
        a = analyze(text if isinstance(text, str) else text.original, _act_lexicon())
    norm = a.text
    greetings = a.hits_of("qa_greeting")
    if greetings:
        keep = [True] * len(norm)
        for h in greetings:
            keep[h.start : h.end] = [False] * (h.end - h.start)
        rest = _PUNCT.sub("", "".join(ch for ch, k in zip(norm, keep, strict=True) if k))
    else:  # nothing to cut out (most turns)
        rest = _PUNCT.sub("", norm)
    if not rest:
        return TurnAct.MESSAGE
    if a.has("wf_closing_invitation") and len(rest) <= 24:
        return TurnAct.MESSAGE  # a closing line (结束语) that invites more questions
    sentences = [s for s in _SENTENCE_END.split(norm) if _PUNCT.sub("", s)]
    last = sentences[-1].rstrip() if sentences else ""
    if last.endswith(("?", "?")) or last.rstrip("~～").endswith(_question_ends()):
        return TurnAct.QUESTION
    if a.has("qa_holding") and len(rest) <= 16:
        return TurnAct.MESSAGE
    return TurnAct.ANSWER


# -- roles and channels ---------------------------------------------------------------------
@lru_cache(maxsize=1)
def _default_roles() -> dict[str, Actor]:
    table = load_file("qa.toml").get("qa_roles", {})
    out: dict[str, Actor] = {}
    for role, names in table.items():
        actor = Actor(role)
        for name in names:
            out[_role_key(name)] = actor
    return out


def _role_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


def role_aliases() -> dict[str, Actor]:
    """Every role name the readers accept (客服/坐席/agent/staff → agent …)."""
    return dict(_default_roles())


def role_of(value: Any, roles: Mapping[str, str] | None = None) -> Actor:
    """The role a name stands for: ``"坐席"`` → agent, ``"用户"`` → customer.

    ``roles`` adds a company's own names (``{"小蜜": "bot"}``).  An unknown name raises
    :class:`~csstandards.errors.InputError` listing the known ones.
    """
    if isinstance(value, Actor):
        return value
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"role must be a non-empty name, got {value!r}")
    key = _role_key(value)
    if roles:
        for name, target in roles.items():
            if _role_key(name) == key:
                try:
                    return Actor(str(target).strip().lower())
                except ValueError:
                    raise InputError(
                        f"role mapping {name!r} → {target!r}: the target must be one of "
                        f"{[a.value for a in Actor]}"
                    ) from None
    actor = _default_roles().get(key)
    if actor is None:
        known = sorted({a.value for a in Actor})
        raise InputError(
            f"unknown role {value!r} (未知角色); use one of {known} or a usual name such as "
            "客服/坐席/agent, 客户/用户/customer, 机器人/bot, 系统/system, or map it with roles="
        )
    return actor


_CHANNEL_ALIASES = {
    "chat": Channel.ONLINE_CHAT,
    "在线": Channel.ONLINE_CHAT,
    "在线客服": Channel.ONLINE_CHAT,
    "web": Channel.ONLINE_CHAT,
    "app": Channel.ONLINE_CHAT,
    "微信": Channel.IM,
    "wechat": Channel.IM,
    "企业微信": Channel.IM,
    "call": Channel.PHONE,
    "voice": Channel.PHONE,
    "热线": Channel.HOTLINE,
    "邮件": Channel.EMAIL,
    "mail": Channel.EMAIL,
}


@lru_cache(maxsize=1)
def _channels() -> dict[str, Channel]:
    out = {k.lower(): v for k, v in _CHANNEL_ALIASES.items()}
    for c in Channel:
        for name in (c.value, c.label_zh, c.label_en, c.name):
            out[name.lower()] = c
    return out


def parse_channel(value: Any) -> Channel:
    """A channel from its value, Chinese or English label or a usual alias (微信 → im)."""
    if isinstance(value, Channel):
        return value
    got = _channels().get(str(value).strip().lower())
    if got is None:
        raise InputError(
            f"unknown channel {value!r}; use one of {[c.value for c in Channel]} "
            "(or 在线咨询, 电话, 微信 …)"
        )
    return got
