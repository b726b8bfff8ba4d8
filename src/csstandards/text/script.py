"""Traditional → Simplified Chinese (繁体转简体) before matching, with an offset map.

Every lexicon is written in Simplified Chinese; a text in Traditional characters (一打開就閃退,
這是供應商的問題) is converted with OpenCC (``tw2sp``: Traditional characters plus the Taiwan
phrase table, 軟體 → 软件, 滑鼠 → 鼠标) before it is matched.  Spans must still point at what the
caller wrote, so the conversion returns, beside the Simplified text, the original range each
converted character came from.

* The check whether a text needs converting is a set test over its characters (no OpenCC call
  for the common Simplified text): the set is every character that OpenCC's character table
  (``t2s``) changes on its own, computed once from OpenCC's own tables.
* When the converted text has the length of the original (character-for-character conversion,
  by far the usual case), character ``i`` came from character ``i``.
* When a phrase conversion changed the length (埠 → 端口), the two strings are aligned with
  :class:`difflib.SequenceMatcher`: unchanged runs map one to one, a replaced run maps every
  converted character to the whole original run it replaced.
"""

from __future__ import annotations

import re
import threading
from difflib import SequenceMatcher
from typing import Any

__all__ = ["needs_conversion", "to_simplified"]

_OPENCC_CONFIG = "tw2sp"
_TRIGGER_CONFIG = "t2s"
# CJK Unified Ideographs, Extension A and the compatibility block: where OpenCC's tables live
_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))

_SURROGATE = re.compile("[\ud800-\udfff]")
_lock = threading.Lock()
_state: list[Any] = []  # [converter, frozenset of characters that convert]


def _load() -> tuple[Any, frozenset[str]]:
    if _state:
        return _state[0], _state[1]
    with _lock:
        if not _state:
            try:
                import opencc
            except ImportError as exc:  # pragma: no cover - a core dependency
                from ..errors import CSStandardsError

                raise CSStandardsError(
                    "Traditional Chinese (繁体) conversion needs the 'opencc' package, a core "
                    "dependency of csstandards: pip install opencc"
                ) from exc
            conv = opencc.OpenCC(_OPENCC_CONFIG)
            chars = [chr(c) for lo, hi in _RANGES for c in range(lo, hi + 1)]
            # the trigger set comes from the character table alone (t2s): a phrase table
            # entry of one character (tw2sp turns a lone 么 into 幺) is no sign of Traditional
            out = opencc.OpenCC(_TRIGGER_CONFIG).convert("\n".join(chars)).split("\n")
            if len(out) == len(chars):
                changed = frozenset(a for a, b in zip(chars, out, strict=True) if a != b)
            else:  # pragma: no cover - OpenCC kept the line breaks in every version tried
                changed = frozenset(
                    a for a in chars if opencc.OpenCC(_TRIGGER_CONFIG).convert(a) != a
                )
            _state.extend((conv, changed))
    return _state[0], _state[1]


def needs_conversion(text: str) -> bool:
    """Whether ``text`` holds a character that OpenCC converts to Simplified."""
    changed = _state[1] if _state else _load()[1]
    return not changed.isdisjoint(text)


def to_simplified(text: str) -> tuple[str, tuple[tuple[int, int], ...] | None]:
    """``(simplified, origin)``: the converted text and, per converted character, the
    ``(start, end)`` range of ``text`` it came from; ``origin`` is ``None`` when every
    character stayed in place (same length).  Text without Traditional characters is returned
    as is, without calling OpenCC."""
    conv, changed = (_state[0], _state[1]) if _state else _load()
    if changed.isdisjoint(text):
        return text, None
    surrogates = _SURROGATE.search(text) is not None
    # OpenCC takes UTF-8: a lone surrogate (valid in a str, not in UTF-8) goes in as U+FFFD
    out: str = conv.convert(_SURROGATE.sub("\ufffd", text) if surrogates else text)
    if len(out) == len(text):
        if surrogates:  # character-for-character: each surrogate back in its place
            out = "".join(a if _SURROGATE.match(a) else b for a, b in zip(text, out, strict=True))
        return out, None
    origin: list[tuple[int, int]] = []
    sm = SequenceMatcher(None, text, out, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            origin.extend((i1 + k, i1 + k + 1) for k in range(j2 - j1))
        elif tag in ("replace", "insert"):
            lo, hi = (i1, i2) if i2 > i1 else (max(0, i1 - 1), max(i1, 1) if text else 0)
            origin.extend((lo, hi) for _ in range(j2 - j1))
        # "delete": original characters with no converted counterpart map to nothing
    return out, tuple(origin)
