"""Pausing CPython's cyclic garbage collector while one call works on a large input (#17).

A call on a 100k-character text or a 100k-event log builds hundreds of thousands of small
containers (lexicon hits, spans, events) that all stay alive until the call returns.  Every
one of them counts towards the collector's thresholds, so the collector runs full
collections over the whole heap again and again although nothing is garbage yet: on a
100k-character text that was half of the time spent, and it is why the cost per character
grew with the input (1.0 µs at 1k, 2.2 µs at 100k) while the algorithms themselves are
linear.  What the library builds is acyclic and freed by reference counting, so pausing the
collector for the duration of such a call loses nothing (the same remedy as Mercurial's
``util.nogc``).

Rules: only inputs of at least :data:`MIN_UNITS` units are affected (small calls never touch
the collector's global state); a collector the caller disabled stays disabled; nested and
concurrent calls share one pause (a counter under a lock) and the last one out re-enables it;
an exception re-enables it too.  The cost is that cyclic garbage *other threads* create
during such a call waits until the call ends.  Set ``MIN_UNITS`` to ``None`` to turn the
pause off.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator, Sized
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = [
    "MIN_UNITS",
    "collector_paused",
    "items_size",
    "json_size",
    "log_size",
    "pauses_collector",
    "text_size",
]

P = ParamSpec("P")
R = TypeVar("R")

MIN_UNITS: int | None = 10_000
"""Inputs with fewer units (characters, events, tickets) than this leave the collector alone."""

_lock = threading.Lock()
_depth = 0
_we_disabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector (if it is enabled) until the outermost pause ends."""
    global _depth, _we_disabled
    with _lock:
        if _depth == 0:
            _we_disabled = gc.isenabled()
            if _we_disabled:
                gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _we_disabled:
                _we_disabled = False
                gc.enable()


def pauses_collector(size: Callable[..., int]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate an entry point so that a call whose ``size(*args, **kwargs)`` is at least
    :data:`MIN_UNITS` runs with the collector paused.  ``size`` takes the entry point's
    arguments and must be total (0 for arguments it does not understand: the entry point
    reports those itself)."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            limit = MIN_UNITS
            if limit is None or size(*args, **kwargs) < limit:
                return fn(*args, **kwargs)
            with collector_paused():
                return fn(*args, **kwargs)

        return wrapper

    return decorate


def text_size(*texts: object) -> int:
    """The characters of the arguments that are strings (0 for anything else)."""
    return sum(len(t) for t in texts if isinstance(t, str))


def items_size(items: object) -> int:
    """``len(items)`` for a sized collection that is not a string (0 for anything else, a
    generator included: it is not consumed here)."""
    if isinstance(items, Sized) and not isinstance(items, (str, bytes)):
        return len(items)
    return 0


def log_size(log: object) -> int:
    """The events of a workflow log (anything with an ``events`` collection)."""
    return items_size(getattr(log, "events", None))


def json_size(text: object) -> int:
    """Roughly the records of a JSON text: one unit per 20 characters (an event is longer)."""
    return len(text) // 20 if isinstance(text, (str, bytes)) else 0
