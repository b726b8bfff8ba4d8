"""csstandards — Chinese customer-service standards as code (客服标准即代码).

The most used entry points are available here; every module keeps its full API
(``csstandards.tone``, ``csstandards.sla``, ``csstandards.calendar``, ``csstandards.feedback``,
``csstandards.workflow``, ``csstandards.commitment``, ``csstandards.batch``,
``csstandards.testing``, ``csstandards.text``, ``csstandards.rules``).

Importing this package is cheap: the domain modules load on first use of one of their names
(PEP 562), jieba's dictionary on the first segmentation, lexicon files on first match.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    CalendarDataMissing,
    CalendarNoticeError,
    ConfigError,
    CSStandardsError,
    EstimatedCalendarWarning,
    EventOrderError,
    InputError,
    LexiconError,
    NaiveDatetimeError,
    PolicyError,
    RecordError,
    RuleNotFound,
    TemplateFileError,
    WorkflowError,
)
from .models import Actor, Channel, Evidence, Finding, Priority, Rating, Severity, Span

__version__ = "0.1.0"

# name -> module that defines it; loaded on first attribute access.
_LAZY: dict[str, str] = {
    # configuration and rules
    "Standard": "standard",
    "RuleSettings": "standard",
    "get_registry": "rules",
    "get_rule": "rules",
    "analyze": "text",
    # replies (tone)
    "check_reply": "tone",
    "check_replies": "tone",
    "ReplyReport": "tone",
    "find_placeholders": "tone",
    # feedback classification
    "classify_feedback": "feedback",
    "classify_many": "feedback",
    "FeedbackAssessment": "feedback",
    # calendars and SLA
    "WorkCalendar": "calendar",
    "HolidaySchedule": "calendar",
    "SLAPolicy": "sla",
    "Metric": "sla",
    "TicketEvent": "sla",
    "compute_clocks": "sla",
    "compliance": "sla",
    "default_policy": "sla",
    "review_reply_deadline": "sla",
    "is_late": "sla",
    # workflows
    "Consultation": "workflow",
    "FeedbackCase": "workflow",
    "check_consultation": "workflow",
    "check_case": "workflow",
    # conversation QA
    "Transcript": "qa",
    "check_transcript": "qa",
    "score_transcripts": "qa",
    # commitments
    "check_commitment": "commitment",
    "parse_commitment": "commitment",
    "verify_commitments": "commitment",
    # batch
    "score_replies": "batch",
    "classify_records": "batch",
    # template testing
    "assert_reply_ok": "testing",
    "assert_reply_flags": "testing",
}

if TYPE_CHECKING:
    from .batch import classify_records, score_replies
    from .calendar import HolidaySchedule, WorkCalendar
    from .commitment import check_commitment, parse_commitment, verify_commitments
    from .feedback import FeedbackAssessment, classify_feedback, classify_many
    from .qa import Transcript, check_transcript, score_transcripts
    from .rules import get_registry, get_rule
    from .sla import (
        Metric,
        SLAPolicy,
        TicketEvent,
        compliance,
        compute_clocks,
        default_policy,
        is_late,
        review_reply_deadline,
    )
    from .standard import RuleSettings, Standard
    from .testing import assert_reply_flags, assert_reply_ok
    from .text import analyze
    from .tone import ReplyReport, check_replies, check_reply, find_placeholders
    from .workflow import Consultation, FeedbackCase, check_case, check_consultation


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'csstandards' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Actor",
    "CSStandardsError",
    "CalendarDataMissing",
    "CalendarNoticeError",
    "Channel",
    "ConfigError",
    "Consultation",
    "EstimatedCalendarWarning",
    "EventOrderError",
    "Evidence",
    "FeedbackAssessment",
    "FeedbackCase",
    "Finding",
    "HolidaySchedule",
    "InputError",
    "LexiconError",
    "Metric",
    "NaiveDatetimeError",
    "PolicyError",
    "Priority",
    "Rating",
    "RecordError",
    "ReplyReport",
    "RuleNotFound",
    "RuleSettings",
    "SLAPolicy",
    "Severity",
    "Span",
    "Standard",
    "TemplateFileError",
    "TicketEvent",
    "Transcript",
    "WorkCalendar",
    "WorkflowError",
    "__version__",
    "analyze",
    "assert_reply_flags",
    "assert_reply_ok",
    "check_case",
    "check_commitment",
    "check_consultation",
    "check_replies",
    "check_reply",
    "check_transcript",
    "classify_feedback",
    "classify_many",
    "classify_records",
    "compliance",
    "compute_clocks",
    "default_policy",
    "find_placeholders",
    "get_registry",
    "get_rule",
    "is_late",
    "parse_commitment",
    "review_reply_deadline",
    "score_replies",
    "score_transcripts",
    "verify_commitments",
]
