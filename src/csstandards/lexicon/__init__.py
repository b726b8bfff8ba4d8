"""Curated data files (词库): phrase lists, cue words, tables, loaded and validated at first use.

Every ``*.toml`` file in this folder may hold phrase lists under ``[lists.NAME]``::

    [lists.blame_shifting]
    description = "推诿话术: 把责任推给第三方或系统"
    clause = "000 §2.2"
    phrases = ["第三方", "不归我们管", "供应商的问题"]

A list name is unique across files.  Other tables (the jargon table, topic taxonomy, voice
profiles, default policies) are read by the module that owns them through
:func:`load_table`, which validates them with a pydantic model and turns a validation error
into :class:`~csstandards.errors.LexiconError` naming the file, the key and the problem.

Callers add phrases without touching package files: ``Lexicon.default().extend({"jargon_terms":
["SKU"]})`` or ``Standard(phrases={...})``.  Added phrases are literals, never patterns; cue patterns over word
classes are added with ``Standard(classes=…, patterns=…, exceptions=…)`` (docs/extending.md).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError, field_validator, model_validator

from .._collector import pauses_collector, text_size
from .._toml import loads_toml
from ..errors import LexiconError
from ..models import FrozenModel
from ..text.normalize import NormalizedText, normalize_phrase
from ..text.phrases import PhraseMatcher

__all__ = [
    "Lexicon",
    "LexiconHit",
    "PhraseList",
    "data_file_names",
    "load_file",
    "load_table",
    "load_userdict",
    "phrase_lists",
]

M = TypeVar("M", bound=BaseModel)


class PhraseList(FrozenModel):
    """One named list of literal phrases."""

    name: str
    description: str = ""
    clause: str = ""
    phrases: tuple[str, ...] = ()
    #: compositional cues over word classes (csstandards.judge.patterns), e.g. "{link}{self}无关"
    patterns: tuple[str, ...] = ()
    #: patterns whose matches a hit of this list inside them does not count in (您着急也很正常)
    exceptions: tuple[str, ...] = ()
    #: where a cue is not the reply's own act (csstandards.judge.scope); empty: the caller's
    scope: tuple[
        Literal["negation", "quotation", "placeholder", "question", "conditional"], ...
    ] = ()
    source: str = ""

    @field_validator("phrases", "patterns", "exceptions")
    @classmethod
    def _non_empty(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for p in v:
            if not p.strip() or not normalize_phrase(p):
                raise ValueError(f"empty phrase {p!r}")
        return v

    @model_validator(mode="after")
    def _some_cue(self) -> PhraseList:
        if not self.phrases and not self.patterns:
            raise ValueError("a list needs phrases or patterns")
        return self


def data_file_names() -> list[str]:
    """Names of the TOML data files shipped in ``csstandards/lexicon``."""
    root = resources.files(__name__)
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".toml"))


@cache
def load_file(name: str) -> dict[str, Any]:
    """Parse one shipped data file (cached)."""
    res = resources.files(__name__).joinpath(name)
    try:
        text = res.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"lexicon/{name}", "", f"cannot read: {exc}") from exc
    return loads_toml(text, source=f"lexicon/{name}")


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc)


def validate_table(model: type[M], data: Any, *, file: str, key: str) -> M:
    """Validate ``data`` with ``model``; errors name the file and the full key path."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        sub = _loc(tuple(err.get("loc", ())))
        full = f"{key}.{sub}" if key and sub else (key or sub)
        extra = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise LexiconError(file, full, f"{err['msg']}{extra}") from exc


def load_table(name: str, key: str, model: type[M]) -> M:
    """Load ``[key]`` (dotted path allowed) of shipped file ``name`` validated as ``model``."""
    data: Any = load_file(name)
    for part in key.split(".") if key else ():
        if not isinstance(data, dict) or part not in data:
            raise LexiconError(f"lexicon/{name}", key, "missing table")
        data = data[part]
    return validate_table(model, data, file=f"lexicon/{name}", key=key)


_lists_lock = threading.Lock()
_lists_cache: dict[str, PhraseList] | None = None


def phrase_lists() -> dict[str, PhraseList]:
    """All phrase lists of all shipped files, by name (loaded once, validated)."""
    global _lists_cache
    if _lists_cache is not None:
        return _lists_cache
    with _lists_lock:
        if _lists_cache is None:
            found: dict[str, PhraseList] = {}
            for fname in data_file_names():
                data = load_file(fname)
                lists = data.get("lists", {})
                if not isinstance(lists, dict):
                    raise LexiconError(f"lexicon/{fname}", "lists", "must be a table")
                for lname, body in lists.items():
                    if lname in found:
                        raise LexiconError(
                            f"lexicon/{fname}",
                            f"lists.{lname}",
                            f"list name already defined in {found[lname].source}",
                        )
                    if not isinstance(body, dict):
                        raise LexiconError(f"lexicon/{fname}", f"lists.{lname}", "must be a table")
                    found[lname] = validate_table(
                        PhraseList,
                        {**body, "name": lname, "source": f"lexicon/{fname}"},
                        file=f"lexicon/{fname}",
                        key=f"lists.{lname}",
                    )
            _lists_cache = found
        return _lists_cache


def load_userdict() -> list[str]:
    """Domain words for the segmenter (``userdict.toml`` → ``[userdict] words``)."""
    data = load_file("userdict.toml")
    words = data.get("userdict", {}).get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise LexiconError("lexicon/userdict.toml", "userdict.words", "must be a list of words")
    return [w.strip() for w in words]


class LexiconHit(NamedTuple):
    """A phrase of a named list found in a text (offsets into the normalised text)."""

    list_name: str
    phrase: str
    start: int
    end: int


class Lexicon:
    """A set of named phrase lists with one matcher compiled over all of them.

    Immutable: :meth:`extend` returns a new lexicon.  Matchers are compiled lazily, once per
    lexicon, and shared between threads.
    """

    def __init__(self, lists: Mapping[str, tuple[str, ...]]) -> None:
        self._lists: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in lists.items()}
        self._matcher: PhraseMatcher[str] | None = None
        self._lock = threading.Lock()

    @classmethod
    def default(cls) -> Lexicon:
        """The shipped lists (shared instance)."""
        return _default_lexicon()

    @property
    def lists(self) -> Mapping[str, tuple[str, ...]]:
        return self._lists

    def phrases(self, name: str) -> tuple[str, ...]:
        try:
            return self._lists[name]
        except KeyError:
            raise LexiconError("<lexicon>", name, "no such phrase list") from None

    def extend(
        self, additions: Mapping[str, Iterable[str]], *, source: str = "<config>"
    ) -> Lexicon:
        """A new lexicon with ``additions`` appended to (or creating) the named lists."""
        if not additions:
            return self
        merged = dict(self._lists)
        for name, phrases in additions.items():
            if isinstance(phrases, str):
                raise LexiconError(source, name, "phrases must be a list of strings, not a string")
            items = tuple(phrases)
            for p in items:
                if not isinstance(p, str) or not normalize_phrase(p):
                    raise LexiconError(source, name, f"invalid phrase {p!r}")
            merged[name] = tuple(dict.fromkeys(merged.get(name, ()) + items))
        return Lexicon(merged)

    @property
    def matcher(self) -> PhraseMatcher[str]:
        m = self._matcher
        if m is None:
            with self._lock:
                if self._matcher is None:
                    # one payload per (normalised phrase, list), so matching needs no dedup
                    entries = dict.fromkeys(
                        (normalize_phrase(p), name) for name, ps in self._lists.items() for p in ps
                    )
                    self._matcher = PhraseMatcher(entries)
                m = self._matcher
        return m

    @pauses_collector(lambda self, text: text_size(getattr(text, "text", None)))
    def match(self, text: NormalizedText) -> dict[str, list[LexiconHit]]:
        """Hits per list name (lists with no hit are absent)."""
        out: dict[str, list[LexiconHit]] = {}
        new_hit = tuple.__new__  # LexiconHit is a NamedTuple: skip its Python-level __new__
        for start, end, phrase, names in self.matcher.scan(text.text):
            for name in names:
                hit = new_hit(LexiconHit, (name, phrase, start, end))
                got = out.get(name)
                if got is None:
                    out[name] = [hit]
                else:
                    got.append(hit)
        return out


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return Lexicon({name: pl.phrases for name, pl in phrase_lists().items()})
