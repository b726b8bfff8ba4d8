"""Channel-appropriate wording of reply-rule findings on a conversation turn (as data).

A reply rule speaks of a public review reply; the same finding on a turn of a private chat
or a phone call needs other words (``lexicon/qa.toml`` ``[[qa_turn_wording."<rule id>"]]``):
R112 says 公开回复中出现… on a review reply, 会话消息中出现… in a chat, 通话中念出了… on a call.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..errors import LexiconError
from ..lexicon import load_file
from ..models import Channel, Finding

__all__ = ["turn_wording"]

_FIELDS = ("message_zh", "message_en", "suggestion_zh", "suggestion_en")
_SOURCE = "lexicon/qa.toml"


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[tuple[frozenset[str], dict[str, str]], ...]]:
    raw = load_file("qa.toml").get("qa_turn_wording", {})
    out: dict[str, tuple[tuple[frozenset[str], dict[str, str]], ...]] = {}
    for rule_id, entries in raw.items():
        where = f"qa_turn_wording.{rule_id}"
        if not isinstance(entries, list):
            raise LexiconError(_SOURCE, where, "must be an array of tables ([[...]])")
        rows = []
        for k, e in enumerate(entries):
            chans = e.get("channels")
            if not isinstance(chans, list) or not chans:
                raise LexiconError(_SOURCE, f"{where}[{k}].channels", "a non-empty list")
            bad = [c for c in chans if c != "*" and c not in Channel._value2member_map_]
            if bad:
                raise LexiconError(_SOURCE, f"{where}[{k}].channels", f"unknown channel {bad[0]!r}")
            unknown = set(e) - {"channels", *_FIELDS}
            if unknown:
                raise LexiconError(_SOURCE, f"{where}[{k}]", f"unknown key {sorted(unknown)[0]!r}")
            rows.append((frozenset(chans), {f: str(e[f]) for f in _FIELDS if f in e}))
        out[rule_id] = tuple(rows)
    return out


def _fields(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = dict(finding.data)
    kind = data.get("kind")
    if isinstance(kind, str):
        from ..rules.reply_phrases import personal_data_label

        data["kind_zh"], data["kind_en"] = personal_data_label(kind)
    return data


def turn_wording(finding: Finding, channel: Channel) -> dict[str, str]:
    """The message and suggestion fields to replace on ``finding`` made on a turn of a
    ``channel`` conversation (empty: the rule's own wording is right there)."""
    rows = _table().get(finding.rule_id)
    if not rows:
        return {}
    for chans, words in rows:
        if channel.value in chans or "*" in chans:
            if not words:
                return {}
            data = _fields(finding)
            try:
                return {k: v.format_map(data) for k, v in words.items()}
            except (KeyError, IndexError, ValueError) as exc:
                raise LexiconError(
                    _SOURCE, f"qa_turn_wording.{finding.rule_id}", f"bad template: {exc}"
                ) from None
    return {}
