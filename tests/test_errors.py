from __future__ import annotations

import pytest

from csstandards import errors
from csstandards.errors import (
    CSStandardsError,
    EventOrderError,
    LexiconError,
    NaiveDatetimeError,
    RecordError,
    RuleNotFound,
    TemplateFileError,
    WorkflowError,
)


def test_every_error_is_a_csstandards_error() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        if issubclass(cls, Warning):  # warning categories (EstimatedCalendarWarning)
            assert issubclass(cls, UserWarning) and not issubclass(cls, CSStandardsError), name
            continue
        assert issubclass(cls, CSStandardsError), name


def test_messages_say_what_and_where() -> None:
    assert "lexicon/reply.toml, key 'lists.x'" in str(
        LexiconError("lexicon/reply.toml", "lists.x", "bad")
    )
    assert "row 7, field 'replied_at'" in str(RecordError(7, "replied_at", "unparseable time"))
    assert "templates/a.yaml:12" in str(TemplateFileError("templates/a.yaml", 12, "bad YAML"))
    assert "event #3" in str(EventOrderError(3, "resume without pause"))
    msg = str(WorkflowError("ACCEPT", "answer_given", ["agent_message", "auto_reply"]))
    assert "ACCEPT" in msg and "answer_given" in msg and "agent_message" in msg
    assert "带时区" in str(NaiveDatetimeError("replied_at", "2026-01-01"))


def test_rule_not_found_suggests_close_names() -> None:
    err = RuleNotFound("blame", ["reply.blame-shifting", "reply.jargon"])
    assert "reply.blame-shifting" in str(err)
    with pytest.raises(KeyError):
        raise err
