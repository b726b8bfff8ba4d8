"""The topic taxonomy (主题分类) and priority matrix, shipped as data and extensible by callers."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import lru_cache

from pydantic import BaseModel

from ..errors import LexiconError
from ..lexicon import load_table
from ..models import Priority
from ..text.phrases import PhraseMatcher
from .models import GroupDef, IssueSeverity, Matrix, Scope, Topic, TopicDef, Urgency

__all__ = ["Taxonomy", "default_priority", "default_taxonomy"]

_FILE = "feedback_taxonomy.toml"

Payload = tuple[str, str]  # ("aspect", topic id) | ("cue", group id)


class _PriorityTable(BaseModel):
    model_config = {"extra": "forbid"}
    matrix: dict[IssueSeverity, dict[Urgency, Priority]]
    scope_raise: dict[Scope, int]


class Taxonomy:
    """Topics with Chinese labels and key-issue synonym groups, as data.

    ``group_phrases("damaged")`` → every phrase that names the group (its cues and synonyms), so
    a reply check can test whether a reply addresses the issue.  :meth:`extend` returns a new
    taxonomy with extra or replaced topics and groups.
    """

    def __init__(
        self, topics: Mapping[str, TopicDef], groups: Mapping[str, GroupDef], *, source: str
    ) -> None:
        self.topics: dict[str, TopicDef] = dict(topics)
        self.groups: dict[str, GroupDef] = dict(groups)
        self.source = source
        for gid, g in self.groups.items():
            if g.topic not in self.topics:
                raise LexiconError(source, f"groups.{gid}.topic", f"unknown topic {g.topic!r}")
        for tid, t in self.topics.items():
            for attr in ("issue_group", "slow_group", "praise_group"):
                ref = getattr(t, attr)
                if ref is not None and ref not in self.groups:
                    raise LexiconError(source, f"topics.{tid}.{attr}", f"unknown group {ref!r}")
        self._matcher: PhraseMatcher[Payload] | None = None
        self._topic_objs: dict[str, Topic] = {}
        self._lock = threading.Lock()

    # -- queries -----------------------------------------------------------------------
    def topic(self, topic_id: str) -> Topic:
        """The :class:`Topic` (id and labels) of ``topic_id`` (one shared object per topic)."""
        got = self._topic_objs.get(topic_id)
        if got is not None:
            return got
        try:
            t = self.topics[topic_id]
        except KeyError:
            raise LexiconError(self.source, f"topics.{topic_id}", "no such topic") from None
        got = self._topic_objs[topic_id] = Topic(
            id=topic_id, label_zh=t.label_zh, label_en=t.label_en
        )
        return got

    def group(self, group_id: str) -> GroupDef:
        try:
            return self.groups[group_id]
        except KeyError:
            raise LexiconError(self.source, f"groups.{group_id}", "no such group") from None

    def group_phrases(self, group_id: str) -> tuple[str, ...]:
        """All phrases of a key-issue group: its synonyms, then its cues (deduplicated)."""
        g = self.group(group_id)
        return tuple(dict.fromkeys(g.synonyms + g.cues))

    def topic_label(self, topic_id: str, lang: str = "zh") -> str:
        t = self.topic(topic_id)
        return t.label_zh if lang == "zh" else t.label_en

    @property
    def matcher(self) -> PhraseMatcher[Payload]:
        """One matcher over all aspects and cues (compiled once per taxonomy)."""
        m = self._matcher
        if m is None:
            with self._lock:
                if self._matcher is None:
                    self._matcher = PhraseMatcher(self._entries(), source=self.source)
                m = self._matcher
        return m

    def _entries(self) -> list[tuple[str, Payload]]:
        entries: list[tuple[str, Payload]] = []
        for tid, t in self.topics.items():
            entries.extend((a, ("aspect", tid)) for a in t.aspects)
        for gid, g in self.groups.items():
            entries.extend((c, ("cue", gid)) for c in g.cues)
        return entries

    # -- extension ---------------------------------------------------------------------
    def extend(
        self,
        topics: Mapping[str, TopicDef] | None = None,
        groups: Mapping[str, GroupDef] | None = None,
        *,
        source: str = "<config>",
    ) -> Taxonomy:
        """A new taxonomy with ``topics`` and ``groups`` added (same id replaces)."""
        if not topics and not groups:
            return self
        return Taxonomy(
            {**self.topics, **(topics or {})},
            {**self.groups, **(groups or {})},
            source=source,
        )


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The shipped taxonomy (``lexicon/feedback_taxonomy.toml``), loaded once."""
    data = load_table(_FILE, "", _TopicsAndPriority)
    return Taxonomy(data.topics, data.groups, source=f"lexicon/{_FILE}")


class _TopicsAndPriority(BaseModel):
    model_config = {"extra": "forbid"}
    topics: dict[str, TopicDef]
    groups: dict[str, GroupDef]
    priority: _PriorityTable


@lru_cache(maxsize=1)
def default_priority() -> tuple[Matrix, dict[Scope, int]]:
    """The shipped severity × urgency matrix and scope raise (validated: every cell present)."""
    data = load_table(_FILE, "priority", _PriorityTable)
    for sev in IssueSeverity:
        row = data.matrix.get(sev)
        if row is None or set(row) != set(Urgency):
            raise LexiconError(f"lexicon/{_FILE}", f"priority.matrix.{sev.value}", "incomplete row")
    return data.matrix, {s: data.scope_raise.get(s, 0) for s in Scope}
