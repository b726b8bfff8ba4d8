"""Transcripts: models, role mapping, readers (JSONL, flat CSV/Parquet, DataFrame), event log."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from csstandards.errors import InputError
from csstandards.models import Actor, Channel
from csstandards.qa import (
    Message,
    Transcript,
    TurnAct,
    infer_act,
    parse_channel,
    read_transcripts,
    role_of,
)
from csstandards.qa.transcript import role_aliases
from csstandards.workflow import (
    AgentMessage,
    AnswerGiven,
    AutoReply,
    Closed,
    CloseReason,
    Consultation,
    CustomerMessage,
    NeedConfirmed,
    QuestionAsked,
)

TZ = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


def msg(role: str, s: float, text: str, **kw: object) -> Message:
    return Message(role=Actor(role), text=text, at=T0 + timedelta(seconds=s), **kw)


# -- roles ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("客服", Actor.AGENT),
        ("坐席", Actor.AGENT),
        ("agent", Actor.AGENT),
        ("Staff", Actor.AGENT),
        ("客户", Actor.CUSTOMER),
        ("用户", Actor.CUSTOMER),
        ("customer", Actor.CUSTOMER),
        (" USER ", Actor.CUSTOMER),
        ("机器人", Actor.BOT),
        ("bot", Actor.BOT),
        ("系统", Actor.SYSTEM),
        ("system", Actor.SYSTEM),
    ],
)
def test_usual_role_names_map(name: str, role: Actor) -> None:
    assert role_of(name) is role


def test_every_alias_maps_to_a_role_and_unknown_role_is_an_error() -> None:
    aliases = role_aliases()
    assert {a for a in aliases.values()} == set(Actor)
    with pytest.raises(InputError, match="unknown role '主管'"):
        role_of("主管")
    with pytest.raises(InputError):
        role_of("")


def test_company_role_names_can_be_mapped() -> None:
    assert role_of("小蜜", {"小蜜": "bot"}) is Actor.BOT
    with pytest.raises(InputError, match="target must be one of"):
        role_of("小蜜", {"小蜜": "manager"})


def test_channels_from_values_labels_and_aliases() -> None:
    assert parse_channel("微信") is Channel.IM
    assert parse_channel("在线咨询") is Channel.ONLINE_CHAT
    assert parse_channel("phone") is Channel.PHONE
    with pytest.raises(InputError, match="unknown channel"):
        parse_channel("信鸽")


# -- the model --------------------------------------------------------------------------------
def test_transcript_is_frozen_and_round_trips_json() -> None:
    t = Transcript(id="c1", agent="A1", messages=(msg("customer", 0, "在吗"),))
    assert Transcript.from_json(t.to_json()) == t
    with pytest.raises(ValidationError):
        t.id = "x"  # type: ignore[misc]


def test_transcript_refuses_naive_times_and_time_travel() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Message(role=Actor.CUSTOMER, text="x", at=datetime(2026, 3, 2, 10, 0))
    with pytest.raises(ValueError, match="earlier than turn 0"):
        Transcript(id="c", messages=(msg("customer", 10, "a"), msg("agent", 0, "b")))
    with pytest.raises(ValueError):
        Transcript(id="c", messages=())


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("您好,请问有什么可以帮您?", TurnAct.MESSAGE),
        ("稍等,我帮您查一下", TurnAct.MESSAGE),
        ("您希望什么时候收到呢?", TurnAct.QUESTION),
        ("方便告诉我订单号吗", TurnAct.QUESTION),
        ("已为您加急,明天送达。", TurnAct.ANSWER),
        ("物流属于第三方,我们无法控制。", TurnAct.ANSWER),
    ],
)
def test_act_inference(text: str, act: TurnAct) -> None:
    assert infer_act(text) is act


@pytest.mark.parametrize("text", ["我帮您查一下", "这边帮您查询", "好的,为您查询中"])
def test_holding_lines_are_a_class_not_one_wording(text: str) -> None:
    # 帮您查 / 为您查 cover the family (帮您查一下, 帮您查询, 为您查询 …): a holding line,
    # while the same length of text that says what was done is an answer
    assert infer_act(text) is TurnAct.MESSAGE
    assert infer_act("已为您改好地址") is TurnAct.ANSWER


# -- event log --------------------------------------------------------------------------------
def chat() -> Transcript:
    return Transcript(
        id="c1",
        channel=Channel.IM,
        agent="A1",
        messages=(
            msg("agent", 0, "您好,欢迎光临"),  # before the customer: not in the log
            msg("customer", 5, "在吗?我的快递到哪了"),
            msg("bot", 7, "已收到您的问题,马上为您解答。"),
            msg("agent", 12, "您好,请问订单号是多少呢?", agent="A1"),
            msg("system", 13, "客户已上传图片"),
            msg("customer", 20, "123456"),
            msg("agent", 40, "查到了,明天送达。", agent="A1"),
        ),
    )


def test_transcript_to_event_log() -> None:
    events, turns = chat().event_log()
    kinds = [type(e) for e in events]
    assert kinds == [
        CustomerMessage,
        AutoReply,
        QuestionAsked,
        CustomerMessage,
        AnswerGiven,
        Closed,
    ]
    assert turns == [1, 2, 3, 5, 6, -1]
    closed = events[-1]
    assert isinstance(closed, Closed) and closed.reason is CloseReason.RESOLVED
    c = chat().to_consultation()
    assert c.channel is Channel.IM and c.stage.value == "closed"


def test_untimed_turns_need_fill_times() -> None:
    t = Transcript(id="c", messages=(Message(role=Actor.CUSTOMER, text="在吗"),))
    with pytest.raises(InputError, match="turn 0 has no time"):
        t.to_consultation()
    assert len(t.to_consultation(fill_times=True).events) == 2


def test_follow_up_promise_marks_the_need_important() -> None:
    t = Transcript(
        id="c",
        messages=(
            msg("customer", 0, "我要投诉,订单一直没发货"),
            msg("agent", 5, "非常抱歉,已记录,24小时内给您回电。"),
        ),
    )
    events, turns = t.event_log()
    assert isinstance(events[1], NeedConfirmed) and events[1].important
    assert turns[1] == turns[2] == 1
    assert t.to_consultation().state.close_reason is CloseReason.TRANSFERRED


def test_round_trip_of_a_chat_with_only_logged_turns() -> None:
    t = chat().model_copy(update={"messages": chat().messages[1:4] + chat().messages[5:]})
    back = Transcript.from_consultation(t.to_consultation(), agent="A1")
    assert back == t.resolved()
    assert back.to_consultation().events == t.to_consultation().events


def test_from_consultation_of_a_workflow_log() -> None:
    c = Consultation(id="w1").extend(
        [
            CustomerMessage(at=T0, text="运费多少?"),
            AgentMessage(at=T0 + timedelta(seconds=5), text="您好", agent="A9"),
            AnswerGiven(at=T0 + timedelta(seconds=9), text="运费是10元。", agent="A9"),
            Closed(at=T0 + timedelta(seconds=30), text="不客气,如有其他问题,随时联系我们。"),
        ]
    )
    t = Transcript.from_consultation(c)
    assert [m.role for m in t.messages] == [Actor.CUSTOMER, Actor.AGENT, Actor.AGENT, Actor.AGENT]
    assert [m.act for m in t.messages] == [None, TurnAct.MESSAGE, TurnAct.ANSWER, TurnAct.CLOSE]
    assert t.agent_id == "A9" and t.closed
    assert t.to_consultation().events == c.events


_texts = st.sampled_from(
    ["在吗", "快递到哪了?", "好的", "我要退款", "您好", "请问订单号是多少?", "已为您退款。", "稍等"]
)


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    n = draw(st.integers(1, 12))
    roles = [Actor.CUSTOMER] + [
        draw(st.sampled_from([Actor.CUSTOMER, Actor.AGENT, Actor.BOT])) for _ in range(n - 1)
    ]
    gaps = draw(st.lists(st.integers(0, 600), min_size=n, max_size=n))
    t, msgs = T0, []
    for role, gap in zip(roles, gaps, strict=True):
        t += timedelta(seconds=gap)
        act = draw(st.sampled_from([None, TurnAct.MESSAGE, TurnAct.QUESTION, TurnAct.ANSWER]))
        msgs.append(
            Message(
                role=role,
                text=draw(_texts),
                at=t,
                agent="A1" if role is Actor.AGENT else "",
                act=act if role is not Actor.CUSTOMER else None,
            )
        )
    channel = draw(st.sampled_from([Channel.ONLINE_CHAT, Channel.PHONE, Channel.EMAIL]))
    return Transcript(id="h", channel=channel, closed=draw(st.booleans()), messages=tuple(msgs))


@settings(max_examples=60, deadline=None)
@given(transcripts())
def test_transcript_event_log_round_trip(t: Transcript) -> None:
    c = t.to_consultation()
    back = Transcript.from_consultation(c)
    expected = t.resolved()
    # bot turns with act 'message' become AgentMessage(actor=bot) and come back as such
    assert back == expected
    assert Consultation.from_json(c.to_json()).events == c.events


# -- readers ----------------------------------------------------------------------------------
def conversation(cid: str, *msgs: tuple[str, str, str], **kw: object) -> dict[str, object]:
    return {
        "id": cid,
        **kw,
        "messages": [{"role": r, "text": x, "time": tm} for r, x, tm in msgs],
    }


def test_jsonl_reader(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "t.jsonl"
    lines = [
        conversation(
            "a",
            ("用户", "在吗", "2026-03-02 10:00:00"),
            ("坐席", "您好", "2026-03-02 10:00:05"),
            channel="微信",
            team="一组",
        ),
        conversation("b", ("主管", "你好", "2026-03-02 10:00:00")),
        "not json",
        conversation("c", ("客户", "在吗", "2026-03-02 10:00:00"), ("客服", "您好", "昨天")),
    ]
    p.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines),
        encoding="utf-8",
    )
    recs = list(read_transcripts(p))
    assert [r.row for r in recs] == [1, 2, 3, 4]
    a = recs[0].transcript
    assert a is not None and a.channel is Channel.IM and a.team == "一组"
    assert [m.role for m in a.messages] == [Actor.CUSTOMER, Actor.AGENT]
    assert a.messages[0].at == datetime(2026, 3, 2, 10, 0, tzinfo=a.messages[0].at.tzinfo)
    assert recs[1].transcript is None and recs[1].error is not None
    assert recs[1].error["field"] == "messages[0].role" and "主管" in recs[1].error["reason"]
    assert recs[1].id == "b"
    assert recs[2].error is not None and "invalid JSON" in recs[2].error["reason"]
    assert recs[3].error is not None and recs[3].error["field"] == "messages[1].time"


def test_a_conversation_with_its_messages_under_an_unknown_key_is_named_as_such() -> None:
    recs = list(
        read_transcripts(
            [
                {"id": "x", "channel": "在线咨询", "msgs": [{"role": "客户", "text": "在吗"}]},
                conversation("y", ("客户", "在吗", "2026-03-02 10:00:00")),
            ]
        )
    )
    assert recs[0].transcript is None and recs[0].error is not None
    assert recs[0].error["field"] == "msgs" and "messages, turns" in recs[0].error["reason"]
    assert recs[0].id == "x"  # not read as a flat turn row with a "missing role"
    assert recs[1].transcript is not None and recs[1].error is None


FLAT = (
    "conversation_id,turn,role,text,time,agent,channel\n"
    "c1,1,客户,在吗?快递到哪了,2026-03-02 10:00:00,,在线咨询\n"
    'c1,2,客服,"您好,我帮您查一下",2026-03-02 10:00:05,A1,在线咨询\n'
    "c2,2,客服,运费是10元。,2026-03-02 11:00:09,A2,电话\n"
    "c2,1,用户,运费多少?,2026-03-02 11:00:00,,电话\n"
    "c3,1,访客,在吗,2026-03-02 12:00:00,,\n"
    "c3,2,外包,您好,2026-03-02 12:00:03,A3,\n"
    "c4,1,客户,你好,2026-03-02 13:00:00,,\n"
)


def test_flat_csv_reader_groups_sorts_and_reports_bad_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "turns.csv"
    p.write_text(FLAT, encoding="utf-8")
    recs = list(read_transcripts(p))
    assert [r.id for r in recs] == ["c1", "c2", "c3", "c4"]
    c2 = recs[1].transcript
    assert c2 is not None and c2.channel is Channel.PHONE
    assert [m.text for m in c2.messages] == ["运费多少?", "运费是10元。"]  # sorted by turn
    assert c2.agent_id == "A2"
    bad = recs[2]
    assert bad.transcript is None and bad.error is not None
    assert bad.error["row"] == 6 and bad.error["field"] == "role"
    assert "外包" in bad.error["reason"]
    assert recs[3].transcript is not None  # the job goes on after a bad conversation


def test_flat_rows_must_be_contiguous(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "turns.csv"
    p.write_text(
        "conversation_id,role,text,time\n"
        "a,客户,在吗,2026-03-02 10:00:00\n"
        "b,客户,在吗,2026-03-02 10:00:00\n"
        "a,客服,您好,2026-03-02 10:00:05\n",
        encoding="utf-8",
    )
    recs = list(read_transcripts(p))
    assert recs[2].error is not None and "not contiguous" in recs[2].error["reason"]


def test_parquet_and_dataframe_readers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    import io

    df = pd.read_csv(io.StringIO(FLAT))
    p = tmp_path / "turns.parquet"
    df.to_parquet(p)
    from_parquet = [r.transcript for r in read_transcripts(p)]
    from_frame = [r.transcript for r in read_transcripts(df)]
    assert from_parquet == from_frame
    assert from_frame[0] is not None and from_frame[0].messages[1].agent == "A1"
    assert from_frame[2] is None


def test_an_unreadable_row_inside_a_flat_conversation_fails_that_conversation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "turns.csv"
    p.write_text(
        "conversation_id,role,text,time\n"
        "a,客户,在吗,2026-03-02 10:00:00\n"
        "a,客服,您好,稍等,2026-03-02 10:00:05\n"  # one field too many
        "a,客服,查到了,2026-03-02 10:00:09\n"
        "b,客户,在吗,2026-03-02 11:00:00\n"
        "b,客服,x,y,z\n"  # the last row of b: not attributed to b
        "c,客户,在吗,2026-03-02 12:00:00\n",
        encoding="utf-8",
    )
    recs = list(read_transcripts(p))
    assert [(r.row, r.id, r.transcript is not None) for r in recs] == [
        (2, "a", False),
        (4, "b", True),
        (5, None, False),
        (6, "c", True),
    ]
    assert (
        recs[0].error is not None
        and "conversation 'a' could not be read" in recs[0].error["reason"]
    )
