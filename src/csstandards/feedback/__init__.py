"""Feedback classification (反馈分类与评估, 002 二(二)2; 003 二(一)(二)).

::

    >>> from csstandards.feedback import classify_feedback
    >>> fa = classify_feedback("东西不错,就是物流太慢了")
    >>> fa.rating.value, fa.kind.value, [k.label for k in fa.issues()]
    ('neutral', 'complaint', ['物流慢'])

Lexicon-and-rules only: the cue lists are ``lexicon/feedback.toml`` (lists ``fb_*``) and the
topic taxonomy and priority matrix ``lexicon/feedback_taxonomy.toml``; every field of the
result is explained by its :class:`~csstandards.models.Evidence`.
"""

from __future__ import annotations

from .classify import classify_feedback, classify_many, find_key_issues
from .models import (
    EmotionLevel,
    FeedbackAssessment,
    FeedbackKind,
    FeedbackSettings,
    GroupDef,
    Hazard,
    Hint,
    IssueSeverity,
    KeyIssue,
    RootCause,
    Scope,
    Topic,
    TopicDef,
    Urgency,
)
from .taxonomy import Taxonomy, default_priority, default_taxonomy

__all__ = [
    "EmotionLevel",
    "FeedbackAssessment",
    "FeedbackKind",
    "FeedbackSettings",
    "GroupDef",
    "Hazard",
    "Hint",
    "IssueSeverity",
    "KeyIssue",
    "RootCause",
    "Scope",
    "Taxonomy",
    "Topic",
    "TopicDef",
    "Urgency",
    "classify_feedback",
    "classify_many",
    "default_priority",
    "default_taxonomy",
    "find_key_issues",
]
