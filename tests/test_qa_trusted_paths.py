"""The fast paths of conversation QA build what validation would have built.

``check_transcript`` skips re-validating models the library built from validated values
(events of the log, SLA ticket events, clocks) and folds the consultation log once for both
its state and its stage history; these tests hold each shortcut to the validating path.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from csstandards.errors import EventOrderError, LexiconError
from csstandards.models import Actor, Channel, trusted_builder
from csstandards.qa import Message, Transcript, wording
from csstandards.sla import EventKind, TicketEvent
from csstandards.workflow import (
    AnswerGiven,
    Consultation,
    CustomerMessage,
    consultation_stages,
    replay_consultation,
)
from csstandards.workflow.sla_bridge import stage_history

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def chat(tz: object = None) -> Transcript:
    t0 = T0 if tz is None else datetime(2026, 3, 2, 10, 0, tzinfo=tz)  # type: ignore[arg-type]
    return Transcript(
        id="t",
        messages=(
            Message(role=Actor.CUSTOMER, text="快递到哪了?", at=t0),
            Message(role=Actor.AGENT, text="您希望什么时候收到呢?", at=t0 + timedelta(seconds=9)),
            Message(role=Actor.CUSTOMER, text="明天", at=t0 + timedelta(seconds=30)),
            Message(role=Actor.AGENT, text="已为您加急,明天送达。", at=t0 + timedelta(seconds=40)),
        ),
    )


@pytest.mark.parametrize("tz", [None, ZoneInfo("Asia/Shanghai")])
def test_log_events_equal_validated_events(tz: object) -> None:
    events, _ = chat(tz).event_log()
    for ev in events:
        again = type(ev).model_validate(ev.model_dump())
        assert again == ev and again.model_dump_json() == ev.model_dump_json()
        assert type(ev.at.tzinfo) is timezone  # a named zone is kept as its offset, as validated


def test_trusted_ticket_event_needs_the_callers_word() -> None:
    with pytest.raises(TypeError, match="not a plain model"):
        trusted_builder(TicketEvent)
    build = trusted_builder(TicketEvent, validators_hold=True)
    ev = build(kind=EventKind.STAGE_ENTERED, at=T0, stage="accept")
    assert ev == TicketEvent(kind=EventKind.STAGE_ENTERED, at=T0, stage="accept")


def test_one_fold_gives_the_state_and_the_stages() -> None:
    c = chat().to_consultation()
    fresh = Consultation(id=c.id, channel=c.channel).model_copy(update={"events": c.events})
    stages = stage_history(fresh)
    assert fresh._cache is not None and fresh._cache[2] == replay_consultation(c.events)
    assert stage_history(fresh) is stages  # folded once
    assert list(consultation_stages(fresh)) == list(stages)
    assert stages[-1] is c.stage
    # a copy with other events is folded again, never served the stale history
    longer = fresh.model_copy(update={"events": fresh.events[:2]})
    assert stage_history(longer) == stages[:2]


def test_an_illegal_log_still_raises_in_the_shared_fold() -> None:
    bad = Consultation(id="b").model_copy(
        update={
            "events": (
                CustomerMessage(at=T0, text="在吗"),
                AnswerGiven(at=T0 - timedelta(seconds=5), text="您好"),
            )
        }
    )
    with pytest.raises(EventOrderError, match="event #1"):
        stage_history(bad)


def test_turn_wording_table_errors_name_the_place(monkeypatch: pytest.MonkeyPatch) -> None:
    def table(rows: object) -> None:
        monkeypatch.setattr(wording, "load_file", lambda name: {"qa_turn_wording": rows})
        wording._table.cache_clear()

    try:
        table({"reply.privacy-leak": {"channels": ["*"]}})
        with pytest.raises(LexiconError, match="array of tables"):
            wording._table()
        table({"reply.privacy-leak": [{"channels": ["fax"]}]})
        with pytest.raises(LexiconError, match="unknown channel 'fax'"):
            wording._table()
        table({"reply.privacy-leak": [{"channels": ["*"], "mesage_zh": "x"}]})
        with pytest.raises(LexiconError, match="unknown key 'mesage_zh'"):
            wording._table()
    finally:
        monkeypatch.undo()
        wording._table.cache_clear()
    assert wording._table()["reply.privacy-leak"]  # the shipped table again
    assert Channel.PHONE.value in {
        c for chans, _ in wording._table()["reply.privacy-leak"] for c in chans
    }


def test_clocks_of_some_metrics_equal_those_of_a_full_run() -> None:
    from importlib import resources

    from csstandards.qa import read_transcripts
    from csstandards.sla import Metric
    from csstandards.workflow import check_consultation
    from csstandards.workflow.checks import ConsultationContext

    path = resources.files("csstandards") / "data" / "sample" / "transcripts.jsonl"
    some = (Metric.ACKNOWLEDGEMENT, Metric.FOLLOW_UP)
    seen = 0
    for rec in read_transcripts(str(path)):
        assert rec.transcript is not None
        c = rec.transcript.to_consultation(fill_times=True)
        full = ConsultationContext(consultation=c).clocks()
        part = ConsultationContext(consultation=c).rule_clocks()
        assert part.clocks == tuple(k for k in full.clocks if k.metric in some)
        seen += len(part.clocks)
        # once every clock is known, the rules read that set
        ctx = ConsultationContext(consultation=c)
        assert ctx.rule_clocks() is not ctx.clocks()
        assert ConsultationContext(consultation=c).clocks() == full
        both = ConsultationContext(consultation=c)
        assert both.clocks() is both.rule_clocks()
    assert seen > 100
    # check_consultation reports every clock, as before
    rep = check_consultation(c)
    assert rep.clocks is not None and {k.metric for k in rep.clocks.clocks} >= {
        Metric.FIRST_RESPONSE
    }
