"""Half-open integer intervals merged into sorted, disjoint runs (shared by the business
calendar's working time and the feedback classifier's span covers)."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["merge_intervals"]


def merge_intervals(pairs: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """``(starts, ends)`` of the union of ``[start, end)`` pairs: sorted, with overlapping and
    touching intervals merged, so ``ends[i] < starts[i + 1]``."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(pairs):
        if ends and a <= ends[-1]:
            if b > ends[-1]:
                ends[-1] = b
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends
