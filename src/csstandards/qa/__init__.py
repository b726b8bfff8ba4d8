"""Conversation QA (智能质检): whole chat and call transcripts in, scorecards out.

* :mod:`.transcript` — :class:`Transcript` and :class:`Message` (roles 客户/客服/机器人/系统),
  conversion to and from the consultation event log;
* :mod:`.readers` — :func:`read_transcripts` for JSONL conversations and flat CSV/Parquet turns;
* :mod:`.scorecard` — TOML scorecards (sections, items, deductions, weights, fatal items,
  pass mark, severity overrides, hash) and the default scorecard;
* :mod:`.check` — :func:`check_transcript`: every turn, every stage, one score;
* :mod:`.stream` — :func:`score_transcripts`: files of conversations with workers and the
  batch row contract;
* :mod:`.agree` — agreement with human reviewers (Cohen's kappa);
* :mod:`.frames` — pandas adapter (imported lazily).
"""

from __future__ import annotations

from .agree import AgreementReport, ItemAgreement, agreement, cohen_kappa
from .check import (
    CustomerView,
    TranscriptReport,
    TurnFinding,
    TurnReport,
    chat_turn_rules,
    check_transcript,
)
from .readers import TranscriptRecord, read_transcripts
from .scorecard import (
    ItemResult,
    Scorecard,
    ScorecardItem,
    ScorecardSection,
    ScoredFinding,
    ScoreResult,
    default_scorecard,
    load_scorecard,
    rules_version,
)
from .stream import QA_COLUMNS, result_row, score_transcripts
from .transcript import Message, Transcript, TurnAct, infer_act, parse_channel, role_of

__all__ = [
    "QA_COLUMNS",
    "AgreementReport",
    "CustomerView",
    "ItemAgreement",
    "ItemResult",
    "Message",
    "ScoreResult",
    "Scorecard",
    "ScorecardItem",
    "ScorecardSection",
    "ScoredFinding",
    "Transcript",
    "TranscriptRecord",
    "TranscriptReport",
    "TurnAct",
    "TurnFinding",
    "TurnReport",
    "agreement",
    "chat_turn_rules",
    "check_transcript",
    "cohen_kappa",
    "default_scorecard",
    "infer_act",
    "load_scorecard",
    "parse_channel",
    "read_transcripts",
    "result_row",
    "role_of",
    "rules_version",
    "score_transcripts",
]
