"""What the event-log models (:class:`FeedbackCase`, :class:`Consultation`) share: applying
many events and loading from JSON (the state machine itself is in :mod:`._machine`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError

__all__ = ["fold_events", "load_log"]

M = TypeVar("M", bound=BaseModel)
S = TypeVar("S")
E = TypeVar("E")


def fold_events(
    state: S, events: Iterable[E], first_index: int, step: Callable[[S, E, int], S]
) -> tuple[S, list[E]]:
    """``(final state, the events)`` after ``step(state, event, index)`` for each event,
    numbering them from ``first_index``.

    What ``extend`` runs: the log's tuple is copied once for the whole batch, not once per
    event as repeated ``apply`` must (an immutable log copies itself on every append, so n
    appends cost O(n²); issue #17).  The first illegal event raises and nothing is kept.
    """
    taken: list[E] = []
    for i, event in enumerate(events, first_index):
        state = step(state, event, i)
        taken.append(event)
    return state, taken


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
