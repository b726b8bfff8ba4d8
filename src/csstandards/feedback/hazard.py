"""Hazards (危害) in feedback: what decides severity and urgency, whatever the tone.

The word classes are phrase lists of ``lexicon/feedback_hazard.toml`` (``fb_hz_*``, scanned with
the other feedback lists in the classifier's single pass); the classes of that file say which
lists are a hazard on their own (``words``) and which pairs of lists make one when their phrases
occur in this order in one clause (``pairs``: 手指 + 红肿, 手机号 + 泄露, 莫名 + 转走; a pair may
be a chain of three lists: 体重 + 旁边的人 + 看到).

A hazard occurrence is kept unless it is negated (没有过敏) or hypothetical (担心会漏电, 万一
起火); the sentence around it says who it happened to (a minor, an elderly person, a pet), whether
it is still going on (还在, 正在, 现在) and whether it is attributed to what was sold or done
(吃了你们的…, 用了…后).  Whether a past harm of a care class is the reason for a service the text
praises (孩子发烧去急诊, 医生特别耐心) is decided by the classifier, which knows the opinions.
"""

from __future__ import annotations

from collections.abc import Callable, KeysView, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal, Protocol

from pydantic import BaseModel, Field, field_validator

from ..lexicon import LexiconHit, load_table
from .models import IssueSeverity, Urgency

__all__ = ["HazardClass", "HazardHit", "find_hazards", "hazard_classes", "hazard_lists"]

_FILE = "feedback_hazard.toml"
_PAIR_GAP = 8  # characters allowed between the two words of a pair (same clause)
_SENTENCE_GAP = 30  # … of a pair whose class reads pairs across the clauses of a sentence
_HYPOTHETICAL_REACH = 8  # a hypothetical marker this close before a hazard, same clause


class HazardClass(BaseModel):
    """One hazard class of ``feedback_hazard.toml`` (``[hazard.classes.NAME]``)."""

    model_config = {"extra": "forbid", "frozen": True}
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    severity: IssueSeverity
    urgency: Urgency = Urgency.NORMAL
    group: str = Field(min_length=1)
    topic: str | None = None
    care: bool = False
    words: tuple[str, ...] = ()
    # each a chain of two or three lists whose phrases occur in this order (手指 + 红肿;
    # 体重 + 旁边的人 + 看到): a class of wordings composed of short members, not a literal
    pairs: tuple[tuple[str, ...], ...] = ()
    pair_scope: Literal["clause", "sentence"] = "clause"

    @field_validator("pairs")
    @classmethod
    def _chain_length(cls, v: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        for chain in v:
            if not 2 <= len(chain) <= 3:
                raise ValueError(f"a hazard pair names two or three lists, not {list(chain)}")
        return v


class _Victims(BaseModel):
    model_config = {"extra": "forbid", "frozen": True}
    lists: tuple[str, ...] = ()


class _HazardTable(BaseModel):
    model_config = {"extra": "forbid", "frozen": True}
    classes: dict[str, HazardClass]
    victims: _Victims = _Victims()


@lru_cache(maxsize=1)
def _table() -> _HazardTable:
    return load_table(_FILE, "hazard", _HazardTable)


def hazard_classes() -> dict[str, HazardClass]:
    """The shipped hazard classes by name (body, fire, machine, gas, water, money, privacy)."""
    return dict(_table().classes)


def hazard_lists() -> frozenset[str]:
    """Every list name the hazard classes use (for the classifier's scan)."""
    tab = _table()
    names: set[str] = set(tab.victims.lists)
    names.update(("fb_hz_ongoing", "fb_hz_hypothetical", "fb_hz_attribution", "fb_hz_recovered"))
    for c in tab.classes.values():
        names.update(c.words)
        for chain in c.pairs:
            names.update(chain)
    return frozenset(names)


@lru_cache(maxsize=1)
def _triggers() -> frozenset[str]:
    """The lists one of whose hits is needed for any hazard (words, and pairs' second words)."""
    names: set[str] = set()
    for c in _table().classes.values():
        names.update(c.words)
        names.update(chain[-1] for chain in c.pairs)
    return frozenset(names)


class _TextLike(Protocol):
    s: str

    def hits_of(self, name: str) -> list[LexiconHit]: ...

    def list_names(self) -> KeysView[str]: ...

    def clause_bounds(self, pos: int) -> tuple[int, int]: ...

    def sentence_index(self, pos: int) -> int: ...

    def sentence_start(self, pos: int) -> int: ...


@dataclass(slots=True)
class HazardHit:
    """One hazard occurrence: its class, where (normalised offsets) and its context."""

    name: str
    cls: HazardClass
    start: int
    end: int
    phrase: str
    victim: str | None = None  # the victim phrase in the same sentence (孩子, 老人, 狗)
    ongoing: str | None = None  # the ongoing marker in the same sentence (还在, 正在)
    attributed: str | None = None  # the attribution marker in the same sentence (吃了你们的)
    spans: tuple[tuple[int, int], ...] = ()


def _in_sentence(t: _TextLike, hits: Sequence[LexiconHit], si: int) -> LexiconHit | None:
    for h in hits:
        if t.sentence_index(h.start) == si:
            return h
    return None


def find_hazards(t: _TextLike, negated: Callable[[int], bool]) -> list[HazardHit]:
    """The hazards of a text whose lists were scanned, in text order; ``negated(pos)`` says
    whether a word starting at ``pos`` is negated (the classifier's negation rule)."""
    tab = _table()
    present = t.list_names()
    if _triggers().isdisjoint(present):
        return []
    raw: list[HazardHit] = []
    for name, cls in tab.classes.items():
        for lst in cls.words:
            if lst not in present:
                continue
            for h in t.hits_of(lst):
                if not negated(h.start):
                    raw.append(
                        HazardHit(name, cls, h.start, h.end, h.phrase, spans=((h.start, h.end),))
                    )
        for chain in cls.pairs:
            if any(lst not in present for lst in chain):
                continue
            wide = cls.pair_scope == "sentence"
            gap = _SENTENCE_GAP if wide else _PAIR_GAP
            earlier = [t.hits_of(lst) for lst in chain[:-1]]
            for b in t.hits_of(chain[-1]):
                cs = t.sentence_start(b.start) if wide else t.clause_bounds(b.start)[0]
                links = [b]
                for firsts in reversed(earlier):
                    nxt = links[-1]
                    a = next(
                        (
                            a
                            for a in reversed(firsts)
                            if cs <= a.start and a.end <= nxt.start and nxt.start - a.end <= gap
                        ),
                        None,
                    )
                    if a is None:
                        break
                    links.append(a)
                if len(links) < len(chain) or any(negated(h.start) for h in links):
                    continue
                links.reverse()
                phrase = links[0].phrase
                for prev, h in pairwise(links):
                    phrase += ("…" if h.start > prev.end else "") + h.phrase
                raw.append(
                    HazardHit(
                        name,
                        cls,
                        links[0].start,
                        b.end,
                        phrase,
                        spans=tuple((h.start, h.end) for h in links),
                    )
                )
    if not raw:
        return raw
    hypo = t.hits_of("fb_hz_hypothetical")
    victims = [h for lst in tab.victims.lists for h in t.hits_of(lst)]
    ongoing = t.hits_of("fb_hz_ongoing")
    attrib = t.hits_of("fb_hz_attribution")
    recovered = t.hits_of("fb_hz_recovered")
    out: list[HazardHit] = []
    raw.sort(key=lambda x: (x.start, x.start - x.end))
    last_end: dict[str, int] = {}
    for hz in raw:
        if last_end.get(hz.name, -1) > hz.start:
            continue  # inside a longer occurrence of the same class
        cs, _ = t.clause_bounds(hz.start)
        if any(cs <= m.start and m.end <= hz.start <= m.end + _HYPOTHETICAL_REACH for m in hypo):
            continue
        last_end[hz.name] = hz.end
        si = t.sentence_index(hz.start)
        v = _in_sentence(t, victims, si)
        o = _in_sentence(t, ongoing, si)
        if o is not None and _in_sentence(t, recovered, si) is not None:
            o = None  # 现在已经恢复了: the harm is over
        a = _in_sentence(t, attrib, si)
        hz.victim = v.phrase if v else None
        hz.ongoing = o.phrase if o else None
        hz.attributed = a.phrase if a else None
        out.append(hz)
    return out
