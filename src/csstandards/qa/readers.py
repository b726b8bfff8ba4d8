"""Reading transcripts: JSONL (one conversation per line) and flat tables (one turn per row).

Both go through :func:`csstandards.batch.iter_records`, so CSV, TSV, JSONL, Parquet, a pandas
DataFrame or an iterable of dicts all work.  A record with a ``messages`` (or ``turns``) list
is one conversation; any other record is one turn of a flat table, and consecutive rows with
the same conversation id form one conversation (sorted by ``turn`` when given).

A conversation that cannot be read — an unknown role, a bad time, a missing text — is one
:class:`TranscriptRecord` with ``error`` set (row, line, field, reason: the batch row
contract); reading goes on with the next one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..batch import DEFAULT_TZ, RawRecord, iter_records, parse_timestamp
from ..errors import CSStandardsError, InputError, RecordError
from .transcript import Message, Transcript, TurnAct, parse_channel, role_of

__all__ = ["FLAT_COLUMNS", "MESSAGE_KEYS", "TranscriptRecord", "read_transcripts"]

#: accepted column names of a flat table (one turn per row), first match wins
FLAT_COLUMNS: dict[str, tuple[str, ...]] = {
    "conversation": (
        "conversation_id",
        "conversation",
        "session_id",
        "chat_id",
        "dialog_id",
        "call_id",
        "id",
        "会话ID",
        "会话id",
        "会话编号",
        "对话ID",
    ),
    "turn": ("turn", "seq", "index", "turn_index", "序号", "轮次"),
    "role": ("role", "speaker", "sender", "from", "角色", "发送方", "说话人"),
    "text": ("text", "content", "message", "utterance", "内容", "消息", "消息内容", "对话内容"),
    "time": ("time", "at", "timestamp", "created_at", "sent_at", "时间", "发送时间"),
    "agent": ("agent", "agent_id", "staff_id", "客服", "客服ID", "客服工号", "坐席ID", "坐席"),
    "channel": ("channel", "渠道", "来源"),
    "team": ("team", "group", "班组", "组别", "团队"),
    "customer": ("customer", "customer_id", "客户", "客户ID"),
    "act": ("act", "turn_act", "动作"),
    "message_id": ("message_id", "msg_id", "消息ID"),
}
#: accepted keys of a message object inside a JSONL conversation
MESSAGE_KEYS: dict[str, tuple[str, ...]] = {
    "role": FLAT_COLUMNS["role"],
    "text": FLAT_COLUMNS["text"],
    "time": FLAT_COLUMNS["time"],
    "agent": FLAT_COLUMNS["agent"],
    "act": FLAT_COLUMNS["act"],
    "id": ("id", *FLAT_COLUMNS["message_id"]),
}
_CONVERSATION_KEYS = {
    "id": ("id", "conversation_id", "session_id", "chat_id", "会话ID", "会话id"),
    "messages": ("messages", "turns", "dialog", "对话", "消息"),
    "channel": FLAT_COLUMNS["channel"],
    "agent": FLAT_COLUMNS["agent"],
    "team": FLAT_COLUMNS["team"],
    "customer": FLAT_COLUMNS["customer"],
    "closed": ("closed", "ended", "已结束"),
}


@dataclass(frozen=True)
class TranscriptRecord:
    """One conversation read from a source, or why it could not be read.

    ``row`` is the record's 1-based row (its first row in a flat table), ``line`` its line;
    ``error`` follows the batch row contract: ``{"row", "line", "field", "reason"}``.
    """

    row: int
    line: int | None
    transcript: Transcript | None
    error: dict[str, Any] | None = None
    id: str | None = None


def _pick(rec: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for n in names:
        if n in rec:
            v = rec[n]
            if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v):
                return None
            return v
    return None


def _str(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _message(m: Any, where: str, tz: str, roles: Mapping[str, str] | None) -> Message:
    if not isinstance(m, Mapping):
        raise RecordError(None, where, f"a message must be an object, got {type(m).__name__}")
    role_v = _pick(m, MESSAGE_KEYS["role"])
    if role_v is None:
        raise RecordError(None, f"{where}.role", "missing role (角色)")
    try:
        role = role_of(role_v, roles)
    except InputError as exc:
        raise RecordError(None, f"{where}.role", str(exc)) from None
    text = _pick(m, MESSAGE_KEYS["text"])
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise RecordError(None, f"{where}.text", f"text must be a string, got {text!r}")
    try:
        at = parse_timestamp(_pick(m, MESSAGE_KEYS["time"]), tz)
    except InputError as exc:
        raise RecordError(None, f"{where}.time", str(exc)) from None
    act_v = _pick(m, MESSAGE_KEYS["act"])
    act = None
    if act_v is not None:
        try:
            act = TurnAct(str(act_v).strip().lower())
        except ValueError:
            raise RecordError(
                None,
                f"{where}.act",
                f"unknown act {act_v!r}; use one of {[a.value for a in TurnAct]}",
            ) from None
    return Message(
        role=role,
        text=text,
        at=at,
        agent=_str(_pick(m, MESSAGE_KEYS["agent"])),
        id=_str(_pick(m, MESSAGE_KEYS["id"])),
        act=act,
    )


def _bool(v: Any, where: str) -> bool:
    if v is None:
        return True
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("1", "true", "yes", "y", "是"):
        return True
    if s in ("0", "false", "no", "n", "否"):
        return False
    raise RecordError(None, where, f"expected true/false, got {v!r}")


def _transcript(
    ident: Any,
    head: Mapping[str, Any],
    messages: list[Message],
    keys: Mapping[str, tuple[str, ...]],
) -> Transcript:
    if ident is None:
        raise RecordError(None, "id", "missing conversation id (会话ID)")
    channel_v = _pick(head, keys["channel"])
    try:
        channel = parse_channel(channel_v) if channel_v is not None else None
    except InputError as exc:
        raise RecordError(None, "channel", str(exc)) from None
    if not messages:
        raise RecordError(None, "messages", "the conversation has no messages")
    fields: dict[str, Any] = {
        "id": _str(ident),
        "agent": _str(_pick(head, keys["agent"])),
        "team": _str(_pick(head, keys["team"])),
        "customer": _str(_pick(head, keys["customer"])),
        "messages": tuple(messages),
    }
    if channel is not None:
        fields["channel"] = channel
    if "closed" in keys:
        fields["closed"] = _bool(_pick(head, keys["closed"]), "closed")
    try:
        return Transcript(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise RecordError(None, ".".join(str(p) for p in err["loc"]) or None, err["msg"]) from None


def _nested(raw: RawRecord, tz: str, roles: Mapping[str, str] | None) -> Transcript:
    assert raw.data is not None
    rec = raw.data
    msgs = _pick(rec, _CONVERSATION_KEYS["messages"])
    if not isinstance(msgs, list | tuple):
        raise RecordError(None, "messages", "messages must be a list of {role, text, time}")
    out = [_message(m, f"messages[{k}]", tz, roles) for k, m in enumerate(msgs)]
    return _transcript(_pick(rec, _CONVERSATION_KEYS["id"]), rec, out, _CONVERSATION_KEYS)


def _is_nested(rec: Mapping[str, Any]) -> bool:
    return any(k in rec for k in _CONVERSATION_KEYS["messages"])


def _misnamed_messages(rec: Mapping[str, Any]) -> str | None:
    """The key of a list of dicts in a record that is not a flat turn (it has no role): a
    conversation whose messages are under a name we do not know, which read as a turn row
    would only say "missing role"."""
    if _pick(rec, FLAT_COLUMNS["role"]) is not None:
        return None
    for k, v in rec.items():
        if isinstance(v, list) and v and all(isinstance(m, Mapping) for m in v):
            return str(k)
    return None


def _error(row: int, line: int | None, field: str | None, reason: str) -> dict[str, Any]:
    return {"row": row, "line": line, "field": field, "reason": reason}


def read_transcripts(
    source: Any,
    *,
    format: str | None = None,
    tz: str = DEFAULT_TZ,
    encoding: str = "utf-8-sig",
    roles: Mapping[str, str] | None = None,
) -> Iterator[TranscriptRecord]:
    """Conversations from a file, DataFrame or iterable of dicts, one record each, lazily.

    ``tz`` is the zone of times without one; ``roles`` maps a company's own role names
    (``{"小蜜": "bot"}``).  Whole-source problems (no such file, bad header) raise
    :class:`~csstandards.errors.InputError`; a bad conversation is a record with ``error``.
    """
    group: list[RawRecord] = []
    group_id: Any = None
    done: set[str] = set()
    limbo: list[RawRecord] = []  # unreadable rows met inside a flat conversation

    def unreadable(raw: RawRecord) -> TranscriptRecord:
        return TranscriptRecord(
            raw.row, raw.line, None, _error(raw.row, raw.line, None, raw.problem or "")
        )

    def flush() -> Iterator[TranscriptRecord]:
        nonlocal group, limbo
        if group:
            yield _flat(group, tz, roles)
            done.add(_str(group_id))
            group = []
        for raw in limbo:
            yield unreadable(raw)
        limbo = []

    for raw in iter_records(source, format=format, encoding=encoding):
        if raw.data is None:
            if group:  # belongs to the open conversation if the next row continues it
                limbo.append(raw)
            else:
                yield unreadable(raw)
            continue
        if _is_nested(raw.data):
            yield from flush()
            try:
                t = _nested(raw, tz, roles)
            except RecordError as exc:
                ident = _pick(raw.data, _CONVERSATION_KEYS["id"])
                yield TranscriptRecord(
                    raw.row,
                    raw.line,
                    None,
                    _error(raw.row, raw.line, exc.field, exc.problem),
                    _str(ident) or None,
                )
            else:
                yield TranscriptRecord(raw.row, raw.line, t, None, t.id)
            continue
        odd = _misnamed_messages(raw.data)
        if odd is not None:  # a conversation whose list of messages has another name
            yield from flush()
            ident = _pick(raw.data, _CONVERSATION_KEYS["id"])
            names = ", ".join(_CONVERSATION_KEYS["messages"])
            reason = (
                f"{odd!r} holds a list but a conversation's messages must be under one of: "
                f"{names} (a list of {{role, text, time}}); a flat row is one turn with "
                "role and text columns"
            )
            yield TranscriptRecord(
                raw.row, raw.line, None, _error(raw.row, raw.line, odd, reason), _str(ident) or None
            )
            continue
        ident = _pick(raw.data, FLAT_COLUMNS["conversation"])
        key = _str(ident)
        if group and key == group_id and limbo:
            group.extend(limbo)  # a conversation with an unreadable turn is not scored
            limbo = []
        if group and key != group_id:
            yield from flush()
        if not group and key in done:
            yield TranscriptRecord(
                raw.row,
                raw.line,
                None,
                _error(
                    raw.row,
                    raw.line,
                    "conversation_id",
                    f"rows of conversation {key!r} are not contiguous; sort the table by "
                    "conversation id (and turn) first",
                ),
                key,
            )
            continue
        group_id = key
        group.append(raw)
    yield from flush()


def _flat(group: list[RawRecord], tz: str, roles: Mapping[str, str] | None) -> TranscriptRecord:
    first = group[0]
    assert first.data is not None
    ident = _pick(first.data, FLAT_COLUMNS["conversation"])
    msgs: list[tuple[float, int, Message]] = []
    for k, raw in enumerate(group):
        if raw.data is None:
            return TranscriptRecord(
                raw.row,
                raw.line,
                None,
                _error(
                    raw.row,
                    raw.line,
                    None,
                    f"a row of conversation {_str(ident)!r} could not be read ({raw.problem}); "
                    "the conversation is not scored without it",
                ),
                _str(ident) or None,
            )
        try:
            m = _message(raw.data, "row", tz, roles)
            turn_v = _pick(raw.data, FLAT_COLUMNS["turn"])
            try:
                turn = float(turn_v) if turn_v is not None else float(k)
            except (TypeError, ValueError):
                raise RecordError(None, "turn", f"turn must be a number, got {turn_v!r}") from None
        except RecordError as exc:
            field = (exc.field or "").removeprefix("row.") or None
            return TranscriptRecord(
                raw.row,
                raw.line,
                None,
                _error(raw.row, raw.line, field, exc.problem),
                _str(ident) or None,
            )
        msgs.append((turn, k, m))
    msgs.sort(key=lambda t: (t[0], t[1]))
    head: dict[str, Any] = {}
    for raw in group:  # the first non-empty value of each conversation-level column
        assert raw.data is not None
        for name in ("channel", "team", "customer"):
            if name not in head:
                v = _pick(raw.data, FLAT_COLUMNS[name])
                if v is not None:
                    head[name] = v
    keys = {
        "channel": ("channel",),
        "team": ("team",),
        "customer": ("customer",),
        "agent": ("agent",),
    }
    try:
        t = _transcript(ident, head, [m for _, _, m in msgs], keys)
    except (RecordError, CSStandardsError) as exc:
        field = exc.field if isinstance(exc, RecordError) else None
        problem = exc.problem if isinstance(exc, RecordError) else str(exc)
        return TranscriptRecord(
            first.row, first.line, None, _error(first.row, first.line, field, problem), None
        )
    return TranscriptRecord(first.row, first.line, t, None, t.id)
