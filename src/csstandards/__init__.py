"""csstandards — Chinese customer-service standards as code (客服标准即代码).

Importing this package is cheap: jieba's dictionary, lexicon files and rule modules load on
first use, not at import time.
"""

from __future__ import annotations

from .errors import (
    CalendarDataMissing,
    ConfigError,
    CSStandardsError,
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

__all__ = [
    "Actor",
    "CSStandardsError",
    "CalendarDataMissing",
    "Channel",
    "ConfigError",
    "EventOrderError",
    "Evidence",
    "Finding",
    "InputError",
    "LexiconError",
    "NaiveDatetimeError",
    "PolicyError",
    "Priority",
    "Rating",
    "RecordError",
    "RuleNotFound",
    "Severity",
    "Span",
    "TemplateFileError",
    "WorkflowError",
    "__version__",
]
