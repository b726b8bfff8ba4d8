"""check_transcript: reply rules on agent turns, classified customer turns, consultation rules
on the timings, scores, and the property that blame-shifting never raises a score."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards import check_reply
from csstandards.errors import InputError
from csstandards.models import Actor, Channel
from csstandards.qa import (
    Message,
    Scorecard,
    Transcript,
    TranscriptReport,
    chat_turn_rules,
    check_transcript,
)
from csstandards.rules import get_registry
from csstandards.standard import Standard

TZ = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


def msg(role: str, s: float, text: str, agent: str = "") -> Message:
    return Message(role=Actor(role), text=text, at=T0 + timedelta(seconds=s), agent=agent)


def blame_chat() -> Transcript:
    return Transcript(
        id="c1",
        agent="A1",
        team="一组",
        messages=(
            msg("customer", 0, "在吗?快递三天了还没到"),
            msg("agent", 5, "您好,我帮您查一下。", "A1"),
            msg("customer", 20, "查到了吗?"),
            msg("agent", 30, "我们无法控制快递,这个不归我们管。", "A1"),
        ),
    )


def test_reply_rules_run_on_agent_turns_inside_a_chat() -> None:
    text = "我们无法控制快递,这个不归我们管。"
    assert check_reply(text).by_rule("R103")  # what the issue starts from
    rep = check_transcript(blame_chat())
    blame = rep.by_rule("reply.blame-shifting")
    assert blame and {f.turn for f in blame} == {3}
    cues = {f.finding.spans[0].of(rep.turns[3].text) for f in blame}
    assert {"我们无法控制", "不归我们管"} <= cues
    assert all(f.role is Actor.AGENT for f in blame)
    assert rep.by_turn()[3] and 3 in rep.flagged_turns
    assert rep.result.item("attitude.blame").deduction == 15 * len(blame)


def test_chat_turn_rules_come_from_rule_metadata() -> None:
    ids = {r.id for r in chat_turn_rules()}
    expected = {r.id for r in get_registry().all("reply") if "chat-turn" in r.applies_to}
    assert ids == expected
    assert {"reply.blame-shifting", "reply.privacy-leak", "reply.jargon"} <= ids
    assert "reply.missing-empathy" not in ids  # a review-reply structure rule
    off = Standard(rules={"disabled": ["R103"]})
    assert "reply.blame-shifting" not in {r.id for r in chat_turn_rules(off)}
    assert not check_transcript(blame_chat(), standard=off).by_rule("R103")


def test_customer_turns_are_classified() -> None:
    t = Transcript(
        id="c",
        messages=(
            msg("customer", 0, "我要投诉,订单一直没发货,太气人了"),
            msg("agent", 5, "已为您加急处理。"),
        ),
    )
    rep = check_transcript(t)
    view = rep.turns[0].customer
    assert view is not None and view.kind == "grievance"
    assert view.topics and all(t.isidentifier() for t in view.topics)  # ids, not reprs
    assert view.topics == check_transcript(t).turns[0].customer.topics  # type: ignore[union-attr]
    assert rep.turns[1].customer is None
    # the complaint drives W113 (not marked important, no follow-up promised)
    assert rep.by_rule("W113")[0].turn == 0


def test_follow_up_promise_satisfies_the_complaint_rule() -> None:
    t = Transcript(
        id="c",
        messages=(
            msg("customer", 0, "我要投诉,订单一直没发货"),
            msg("agent", 5, "非常抱歉,已为您加急,24小时内给您回电告知进展。"),
        ),
    )
    assert not check_transcript(t).by_rule("W113")


def test_timings_first_response_per_channel_and_long_waits() -> None:
    slow = Transcript(
        id="s",
        messages=(
            msg("customer", 0, "在吗?我想问下退货"),
            msg("agent", 40, "您好,我来帮您看一下退货的事。"),
            msg("customer", 50, "怎么退?"),
            msg("agent", 200, "在订单页点申请退货就可以了。"),
        ),
    )
    rep = check_transcript(slow)
    assert rep.by_rule("W101") and rep.by_rule("W101")[0].stage == "accept"
    # W101 points at the turn that answered late: turn 1, its whole text
    late = rep.by_rule("W101")[0]
    assert late.turn == 1 and late.role is Actor.AGENT
    assert [s.of(rep.turns[1].text) for s in late.finding.spans] == [rep.turns[1].text]
    assert 1 in rep.flagged_turns
    waits = rep.by_rule("W114")
    assert [w.turn for w in waits] == [3] and waits[0].finding.data["wait_s"] == 150
    email = slow.model_copy(update={"channel": Channel.EMAIL})
    assert not check_transcript(email).by_rule("W114")


def test_5w1h_options_and_closing() -> None:
    t = Transcript(
        id="c",
        messages=(
            msg("customer", 0, "维修需要多久?"),
            msg("agent", 5, "维修需要3天。"),
            msg("customer", 10, "好的"),
            msg("agent", 12, "好的,再见。"),
        ),
    )
    rep = check_transcript(t)
    for code in ("W106", "W109"):
        assert rep.by_rule(code), code
    unconfirmed = Transcript(
        id="u",
        messages=(msg("customer", 0, "你们快递太慢了"), msg("agent", 5, "我们会催一下快递。")),
    )
    assert check_transcript(unconfirmed).by_rule("W103")
    asked = Transcript(
        id="a",
        messages=(
            msg("customer", 0, "你们快递太慢了"),
            msg("agent", 5, "您希望什么时候收到呢?"),
            msg("customer", 9, "明天要送礼,今天必须收到"),
            msg("agent", 15, "明白,我这就为您加急,今天下午6点前送达。"),
        ),
    )
    assert not check_transcript(asked).by_rule("W103")
    good = Transcript(
        id="g",
        messages=(
            msg("customer", 0, "维修需要多久?"),
            msg(
                "agent",
                5,
                "普通故障今天就能修好,复杂问题可能需要2天,我们也可以优先处理您的订单,争取明天完成。",
            ),
            msg("customer", 10, "好的"),
            msg("agent", 12, "不客气,如有其他问题,随时联系我们。"),
        ),
    )
    rep2 = check_transcript(good)
    assert not rep2.by_rule("W106") and not rep2.by_rule("W109")
    assert rep2.score > rep.score


def test_by_stage_and_conversation_findings() -> None:
    rep = check_transcript(blame_chat())
    stages = rep.by_stage()
    assert set(stages) <= {"accept", "confirm", "answer", "follow_up", ""}
    assert sum(len(v) for v in stages.values()) == len(rep.findings)
    assert all(f.turn is None for f in rep.conversation_findings)


def test_untimed_transcript_is_checked_with_a_note() -> None:
    t = Transcript(
        id="u",
        messages=(
            Message(role=Actor.CUSTOMER, text="在吗?快递到哪了"),
            Message(role=Actor.AGENT, text="物流属于第三方,我们无法控制。"),
        ),
    )
    rep = check_transcript(t)
    assert rep.notes and "not measured" in rep.notes[0]
    assert rep.by_rule("R103") and not rep.by_rule("W101")


def test_scorecard_and_report_round_trip() -> None:
    card = Scorecard.from_toml(
        'name = "only-blame"\npass_mark = 90\n[[sections]]\nid = "a"\nname = "态度"\n'
        '[[sections.items]]\nid = "blame"\nname = "推诿"\nrules = ["R103"]\nfatal = true\n'
    )
    rep = check_transcript(blame_chat(), scorecard=card)
    assert rep.result.scorecard == "only-blame" and rep.fatal_items == ("a.blame",)
    assert rep.score == 0 and not rep.passed
    assert TranscriptReport.model_validate_json(rep.model_dump_json()) == rep
    assert "推诿" in rep.explain() or "R103" in rep.explain()


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="expected a Transcript"):
        check_transcript("在吗")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="standard must be"):
        check_transcript(blame_chat(), standard="strict")  # type: ignore[arg-type]


def test_repr_html_escapes_text_and_marks_spans() -> None:
    t = Transcript(
        id="<x>",
        messages=(
            msg("customer", 0, "<script>alert(1)</script> 快递呢"),
            msg("agent", 5, "物流属于第三方,我们无法控制。<b>"),
        ),
    )
    html = check_transcript(t)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;" in html and "&lt;x&gt;" in html
    assert "title='R103'>我们无法控制</mark>" in html


# -- the property -----------------------------------------------------------------------------
_CUSTOMER = st.sampled_from(
    ["在吗?", "快递到哪了?", "我要退款", "维修需要多久?", "好的,谢谢", "你们太慢了!", "我要投诉"]
)
_AGENT = st.sampled_from(
    [
        "您好,请问有什么可以帮您?",
        "稍等,我帮您查一下。",
        "已为您加急,明天送达。",
        "您为什么要退?",
        "不客气,如有其他问题,随时联系我们。",
        "非常抱歉让您久等了,已为您退款,1-3个工作日到账。",
        "请提供SN码。",
        "好的,再见。",
    ]
)
_BLAME = st.sampled_from(
    ["物流属于第三方,我们无法控制。", "这个不归我们管,您去找快递吧。", "这是供应商的问题。"]
)


@st.composite
def chats(draw: st.DrawFn) -> Transcript:
    n = draw(st.integers(1, 6))
    t = T0
    msgs: list[Message] = []
    for _ in range(n):
        msgs.append(Message(role=Actor.CUSTOMER, text=draw(_CUSTOMER), at=t))
        t += timedelta(seconds=draw(st.integers(1, 120)))
        if draw(st.booleans()):
            msgs.append(Message(role=Actor.AGENT, text=draw(_AGENT), at=t, agent="A1"))
            t += timedelta(seconds=draw(st.integers(1, 60)))
    channel = draw(st.sampled_from([Channel.ONLINE_CHAT, Channel.PHONE, Channel.EMAIL]))
    return Transcript(id="p", channel=channel, messages=tuple(msgs))


@st.composite
def with_blame_turn(draw: st.DrawFn) -> tuple[Transcript, Transcript]:
    """A chat and the same chat with a blame-shifting agent turn inserted at any position
    after the first customer turn (an agent answers someone), at a time between its
    neighbours' (times stay monotone; after the last turn, up to 90 s later)."""
    t = draw(chats())
    msgs = t.messages
    k = draw(st.integers(1, len(msgs)))
    prev = msgs[k - 1].at
    assert prev is not None
    if k < len(msgs):
        nxt = msgs[k].at
        assert nxt is not None
        gap = int((nxt - prev).total_seconds())
        at = prev + timedelta(seconds=draw(st.integers(0, gap)))
    else:
        at = prev + timedelta(seconds=draw(st.integers(0, 90)))
    turn = Message(role=Actor.AGENT, text=draw(_BLAME), at=at, agent="A1")
    after = t.model_copy(update={"messages": (*msgs[:k], turn, *msgs[k:])})
    return t, after


@settings(max_examples=150, deadline=None)
@given(with_blame_turn())
def test_adding_a_blame_shifting_agent_turn_never_raises_the_score(
    pair: tuple[Transcript, Transcript],
) -> None:
    t, with_blame = pair
    before = check_transcript(t)
    after = check_transcript(with_blame)
    assert after.score <= before.score
    assert after.by_rule("reply.blame-shifting")
    assert not (before.passed is False and after.passed is True)


def _leaky(channel: Channel) -> Transcript:
    return Transcript(
        id="p",
        channel=channel,
        messages=(
            msg("customer", 0, "没人联系我"),
            msg("agent", 5, "已按您留的电话13812345678联系您。", "A1"),
        ),
    )


@pytest.mark.parametrize(
    ("channel", "zh", "en"),
    [
        (Channel.ONLINE_CHAT, "会话消息中出现客户完整的电话号码", "chat message"),
        (Channel.IM, "会话消息中出现客户完整的电话号码", "chat message"),
        (Channel.PHONE, "通话中念出了客户完整的电话号码", "read out"),
        (Channel.SOCIAL_MEDIA, "公开回复中出现完整的电话号码", "public reply"),
    ],
)
def test_privacy_finding_on_a_turn_speaks_of_its_channel(
    channel: Channel, zh: str, en: str
) -> None:
    rep = check_transcript(_leaky(channel))
    (f,) = rep.by_rule("R112")
    assert f.turn == 1 and f.finding.message_zh == zh and en in f.finding.message_en
    assert ("公开回复" in f.finding.message_zh) is (channel is Channel.SOCIAL_MEDIA)
    assert "私信" not in f.finding.suggestion_zh or channel is Channel.SOCIAL_MEDIA
    # the reply check itself keeps the review-reply wording
    assert check_reply(rep.turns[1].text).by_rule("R112")[0].message_zh.startswith("公开回复")
