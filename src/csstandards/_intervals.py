"""Half-open integer intervals: merged into sorted, disjoint runs (the business calendar's
working time, the feedback classifier's span covers) and claimed without overlap (cue
selection in the classifier and the commitment parser)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

__all__ = ["DisjointIntervals", "RangeIndex", "merge_intervals", "uncovered"]


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


def uncovered(runs: Iterable[tuple[int, int]], starts: list[int], ends: list[int]) -> int:
    """How many integers of ``runs`` (disjoint ``[start, end)`` pairs) lie outside the merged
    intervals ``(starts, ends)`` of :func:`merge_intervals`."""
    total = 0
    for s, e in runs:
        n = e - s
        for i in range(bisect_right(ends, s), len(starts)):
            cs = starts[i]
            if cs >= e:
                break
            n -= min(e, ends[i]) - max(s, cs)
        total += n
    return total


class DisjointIntervals:
    """Half-open intervals kept pairwise disjoint: :meth:`claim` takes ``[start, end)`` only
    when it overlaps none taken so far.  Offered longest first, this picks the longest
    non-overlapping matches (the cue selection of the classifier and the commitment parser).

    Offsets are non-negative text positions.  The taken characters are marked in a
    ``bytearray`` (one byte per position up to the furthest end claimed), so a claim costs
    its own length in C (a ``find`` and a slice assignment), whatever was claimed before.  It
    kept sorted lists of starts and ends and ``list.insert`` into them: a bisect per claim,
    but an O(n) shift per insert, quadratic for a long text whose shorter cues land between
    the longer ones already taken (issue #17)."""

    __slots__ = ("_taken",)

    def __init__(self) -> None:
        self._taken = bytearray()

    def claim(self, start: int, end: int) -> bool:
        """Take ``[start, end)`` if it is free; an empty interval overlaps nothing and is
        not recorded."""
        if end <= start:
            return True
        taken = self._taken
        if end > len(taken):
            taken.extend(bytes(max(end, 2 * len(taken)) - len(taken)))
        if taken.find(1, start, end) >= 0:
            return False
        taken[start:end] = b"\x01" * (end - start)
        return True


class RangeIndex:
    """A fixed set of half-open ranges (they may overlap) answering, in O(log n) each, the
    questions rules otherwise answer by scanning every range per cue (issue #17):

    * :meth:`covers` — ``any(s <= p < e for s, e in ranges)``
    * :meth:`overlaps` — ``any(s < b and a < e for s, e in ranges)``
    * :meth:`contains` — ``any(s <= a and b <= e for s, e in ranges)`` (one range holds all)

    Ranges sorted by start with the running maximum of their ends: of the ranges starting at
    or before a point, the furthest-reaching one decides each question."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        pairs = sorted(ranges)
        self._starts = [s for s, _ in pairs]
        self._reach: list[int] = []
        for _, e in pairs:
            self._reach.append(max(e, self._reach[-1]) if self._reach else e)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def _furthest(self, i: int) -> int:
        """The furthest end among the first ``i`` ranges (below any position when ``i`` is 0)."""
        return self._reach[i - 1] if i else -(2**62)

    def covers(self, p: int) -> bool:
        return self._furthest(bisect_right(self._starts, p)) > p

    def overlaps(self, a: int, b: int) -> bool:
        return self._furthest(bisect_left(self._starts, b)) > a

    def contains(self, a: int, b: int) -> bool:
        return self._furthest(bisect_right(self._starts, a)) >= b
