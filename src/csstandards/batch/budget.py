"""Per-row time budget of batch jobs (每行时限): one pathological field cannot stall a run.

In the main thread of a process on a POSIX system the budget is enforced: an interval timer
(``signal.setitimer``) interrupts the row when its time is up and the row fails with a
:class:`~csstandards.errors.RowTimeoutError`.  Elsewhere (a non-main thread, Windows) the row
cannot be interrupted; it is timed and fails the same way once it returns late, so the result of
a run does not depend on where it ran — only how long a slow row can hold it up.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from ..errors import RowTimeoutError

__all__ = ["RowBudget"]


class _Expired(BaseException):
    """Raised by the timer inside the row; a BaseException so ``except Exception`` in a
    checker cannot swallow it."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Expired


class RowBudget:
    """Seconds one row may take (``None``: unlimited); use :meth:`armed` around a chunk and
    :meth:`row` around each row."""

    def __init__(self, seconds: float | None) -> None:
        if seconds is not None and not seconds > 0:
            raise ValueError("the row time budget must be a positive number of seconds or None")
        self.seconds = seconds
        self._hard = False
        self.stage: str | None = None  # the field being worked on, named in the error

    @contextmanager
    def armed(self) -> Iterator[RowBudget]:
        """Install the timer's handler for the duration of a chunk (main thread only)."""
        hard = (
            self.seconds is not None
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )
        previous: Any = None
        if hard:
            previous = signal.signal(signal.SIGALRM, _on_alarm)
        self._hard = hard
        try:
            yield self
        finally:
            if hard:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            self._hard = False

    @contextmanager
    def row(self, row: int | None) -> Iterator[None]:
        """Run one row within the budget; raises :class:`RowTimeoutError` when it is spent."""
        if self.seconds is None:
            yield
            return
        self.stage = None
        start = time.perf_counter()
        if self._hard:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            try:
                yield
            finally:
                if self._hard:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except _Expired:  # also when the timer fires between the row's end and the reset
            raise RowTimeoutError(row, self.stage, self.seconds) from None
        if time.perf_counter() - start > self.seconds:  # soft mode, or a late return
            raise RowTimeoutError(row, self.stage, self.seconds)
