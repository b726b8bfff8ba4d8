"""An immutable sequence with O(1) append, for the lists a workflow state grows per event.

A frozen state that holds a tuple must copy it to add one item, so a log of n such events
replays in O(n²) (issue #17: 100k progress updates).  :class:`Chain` shares its prefix with
the version it was appended to (a persistent cons list) and builds the tuple it stands for
only when read, once; reading or comparing it behaves like that tuple.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

__all__ = ["Chain", "appended", "serialize_as_tuple"]

T = TypeVar("T")


class Chain(Sequence[T], Generic[T]):
    """``Chain()`` is empty; ``c.append(x)`` is a new chain, ``c`` is unchanged.  Equal to (and
    hashing like) the tuple of its items, so ``state.closures == (t,)`` holds as it did."""

    __slots__ = ("_head", "_len", "_prev", "_tuple")

    def __init__(self, items: Sequence[T] = ()) -> None:
        self._head: T | None = None
        self._prev: Chain[T] | None = None
        self._tuple: tuple[T, ...] | None = tuple(items)
        self._len = len(self._tuple)

    def append(self, item: T) -> Chain[T]:
        new: Chain[T] = object.__new__(Chain)
        new._head = item
        new._prev = self
        new._tuple = None
        new._len = self._len + 1
        return new

    def as_tuple(self) -> tuple[T, ...]:
        """The items, built on first read by walking back to the nearest built version."""
        got = self._tuple
        if got is None:
            tail: list[T] = []
            node: Chain[T] = self
            while node._tuple is None:
                tail.append(node._head)  # type: ignore[arg-type]
                node = node._prev  # type: ignore[assignment]
            tail.reverse()
            # (the link to the prefix stays: another thread may be walking through it)
            got = self._tuple = node._tuple + tuple(tail)
        return got

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[T, ...]: ...
    def __getitem__(self, i: int | slice) -> T | tuple[T, ...]:
        return self.as_tuple()[i]

    def __iter__(self) -> Iterator[T]:
        return iter(self.as_tuple())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Chain):
            return self._len == other._len and self.as_tuple() == other.as_tuple()
        if isinstance(other, tuple):
            return self.as_tuple() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.as_tuple())

    def __repr__(self) -> str:
        return repr(self.as_tuple())

    def __reduce__(self) -> tuple[Any, ...]:
        return (Chain, (self.as_tuple(),))


def appended(items: Sequence[T], item: T) -> Chain[T]:
    """``items`` with ``item`` added, as a :class:`Chain`: O(1) when ``items`` already is one
    (a log that was appended to), one copy of ``items`` otherwise (the first append)."""
    base = items if isinstance(items, Chain) else Chain(items)
    return base.append(item)


def serialize_as_tuple(value: Any, handler: Any) -> Any:
    """A pydantic ``WrapSerializer`` for a tuple field that may hold a :class:`Chain`: dumps
    it as the tuple it stands for, so ``model_dump`` / JSON are unchanged."""
    return handler(value.as_tuple() if isinstance(value, Chain) else value)
