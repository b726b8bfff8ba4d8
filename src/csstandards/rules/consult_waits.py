"""Waits inside a live conversation (001 §2.1): the customer writes again and waits over a minute.

W101 judges the first response of a contact; this rule judges every later customer message of
a synchronous channel (chat, IM, phone): 001 §2.1 cites that 78% of customers turn negative
after waiting over one minute (等待超过1分钟), so a later wait beyond that is flagged at the
response that ended it, or at the unanswered message when nobody answered.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ..models import Channel, Finding, Severity
from ..workflow.checks import ConsultationContext
from ..workflow.consultation import (
    AgentMessage,
    AnswerGiven,
    ConsultStage,
    CustomerMessage,
    QuestionAsked,
)
from .base import Rule, bad, good, rule

__all__ = ["LIVE_CHANNELS", "LONG_WAIT", "slow_next_response"]

#: channels where the customer waits on the line (同步渠道); e-mail and forms are judged by
#: their own SLA clocks instead
LIVE_CHANNELS = frozenset({Channel.ONLINE_CHAT, Channel.IM, Channel.PHONE, Channel.HOTLINE})
#: 001 §2.1: “等待超过1分钟” is where customers turn negative
LONG_WAIT = timedelta(minutes=1)
_HUMAN = (AgentMessage, QuestionAsked, AnswerGiven)


def _ev(kind: str, seconds: int, text: str) -> dict[str, str]:
    return {"kind": kind, "at": f"2026-03-02T10:{seconds // 60:02d}:{seconds % 60:02d}+08:00",
            "text": text}  # fmt: skip


@rule(
    id="consult.slow-next-response",
    code="W114",
    family="consultation",
    name_zh="后续响应等待过久",
    name_en="long wait for the next response",
    severity=Severity.WARNING,
    clause="001 §2.1",
    message_zh="客户再次发消息后等待超过1分钟才得到回复",
    message_en="The customer waited over a minute for a response to a later message",
    suggestion_zh="需要查询时先告知:“我帮您查一下,大约需要2分钟,请稍等”,并按时回来",
    suggestion_en="Say how long a lookup takes ('about 2 minutes, please hold') and come back in time",
    examples=[
        bad(
            "查到了,明天送达。",
            review="快递到哪了",
            events=[
                _ev("customer_message", 0, "在吗?我的快递到哪了"),
                _ev("agent_message", 5, "您好,我帮您查一下。"),
                _ev("customer_message", 20, "查到了吗?"),
                _ev("agent_message", 200, "查到了,明天送达。"),
            ],
        ),
        good(
            "查到了,明天送达。",
            review="快递到哪了",
            events=[
                _ev("customer_message", 0, "在吗?我的快递到哪了"),
                _ev("agent_message", 5, "您好,我帮您查一下。"),
                _ev("customer_message", 20, "查到了吗?"),
                _ev("agent_message", 50, "查到了,明天送达。"),
            ],
        ),
        good(
            "查到了,明天送达。",
            review="快递到哪了",
            channel="email",
            events=[
                _ev("customer_message", 0, "我的快递到哪了"),
                _ev("agent_message", 5, "您好,我帮您查一下。"),
                _ev("customer_message", 20, "查到了吗?"),
                _ev("agent_message", 500, "查到了,明天送达。"),
            ],
            note="e-mail is not a live channel: its SLA clocks judge it",
        ),
    ],
)
def slow_next_response(ctx: ConsultationContext, r: Rule) -> Iterator[Finding]:
    if ctx.consultation.channel not in LIVE_CHANNELS:
        return
    events = ctx.events
    for cycle in ctx.cycles():
        first = ctx.first_response(cycle)
        if first is None:
            continue
        waiting: int | None = None  # index of the customer message not yet answered
        for i in cycle:
            if i <= first:
                continue
            ev = events[i]
            if isinstance(ev, CustomerMessage):
                if waiting is None:
                    waiting = i
            elif isinstance(ev, _HUMAN) and waiting is not None:
                wait = ev.at - events[waiting].at
                if wait > LONG_WAIT:
                    yield _finding(r, i, waiting, wait.total_seconds(), answered=True)
                waiting = None
        if waiting is not None and ctx.now is not None:
            wait = ctx.now - events[waiting].at
            if wait > LONG_WAIT:
                yield _finding(r, waiting, waiting, wait.total_seconds(), answered=False)


def _finding(r: Rule, at: int, since: int, secs: float, *, answered: bool) -> Finding:
    shown = f"{secs:.0f}秒" if secs < 120 else f"{secs / 60:.0f}分钟"
    return r.finding(
        message_zh=f"客户等待{shown}才得到回复(超过1分钟)"
        if answered
        else f"客户已等待{shown},仍未得到回复",
        message_en=f"the customer waited {secs:.0f} s for a response (over a minute)"
        if answered
        else f"the customer has waited {secs:.0f} s without a response",
        data={
            "stage": ConsultStage.ACCEPT.value,
            "event": at,
            "since_event": since,
            "wait_s": secs,
            "answered": answered,
        },
    )
