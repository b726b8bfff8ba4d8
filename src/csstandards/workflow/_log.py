"""What the event-log models (:class:`FeedbackCase`, :class:`Consultation`) share: applying
many events and loading from JSON (the state machine itself is in :mod:`._machine`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError

__all__ = ["apply_all", "load_log"]

L = TypeVar("L")
M = TypeVar("M", bound=BaseModel)


def apply_all(log: L, events: Iterable[Any], apply: Callable[[L, Any], L]) -> L:
    """``log`` with every event applied in order (each ``apply`` returns a new log)."""
    for event in events:
        log = apply(log, event)
    return log


def load_log(cls: type[M], text: str | bytes, what: str) -> M:
    """Load an event-log model from JSON and replay it now, so that a bad log fails here.

    A malformed document raises :class:`~csstandards.errors.InputError` naming ``what`` (e.g.
    ``"feedback case (反馈工单)"``); an illegal log raises what replaying it raises
    (:class:`~csstandards.errors.WorkflowError`, :class:`~csstandards.errors.EventOrderError`).
    """
    try:
        log = cls.model_validate_json(text)
    except ValidationError as exc:
        raise InputError(f"not a valid {what} JSON: {exc}") from exc
    _ = getattr(log, "state")  # noqa: B009 - the log models derive .state by replaying
    return log
