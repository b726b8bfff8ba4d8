"""The collector pause of large calls (#17): only large inputs, state restored, nested and
threaded calls share one pause."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards import _collector
from csstandards._collector import (
    collector_paused,
    items_size,
    json_size,
    log_size,
    pauses_collector,
    text_size,
)


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pauses_collector(lambda text: text_size(text))
def _seen(text: str) -> bool:
    """Whether the collector was enabled while this ran."""
    return gc.isenabled()


def test_small_input_leaves_the_collector_alone() -> None:
    assert _seen("好" * 10) is True
    assert gc.isenabled()


def test_large_input_pauses_and_restores() -> None:
    assert _seen("好" * 20_000) is False
    assert gc.isenabled()


def test_a_collector_the_caller_disabled_stays_disabled() -> None:
    gc.disable()
    assert _seen("好" * 20_000) is False
    assert not gc.isenabled()


def test_an_exception_restores_the_collector() -> None:
    @pauses_collector(lambda n: n)
    def boom(n: int) -> None:
        assert not gc.isenabled()
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        boom(50_000)
    assert gc.isenabled()


def test_nested_pauses_reenable_only_at_the_outermost() -> None:
    with collector_paused():
        assert _seen("好" * 20_000) is False
        assert not gc.isenabled()  # the inner call ended; the outer pause holds
    assert gc.isenabled()


def test_threads_share_one_pause() -> None:
    inside = threading.Barrier(3)
    leave = threading.Event()
    seen: list[bool] = []

    @pauses_collector(lambda n: n)
    def hold(n: int) -> None:
        inside.wait(timeout=10)
        leave.wait(timeout=10)
        seen.append(gc.isenabled())

    workers = [threading.Thread(target=hold, args=(50_000,)) for _ in range(2)]
    for w in workers:
        w.start()
    inside.wait(timeout=10)
    assert not gc.isenabled()
    leave.set()
    for w in workers:
        w.join(timeout=10)
    assert gc.isenabled()
    assert seen == [False, False]  # neither ended the pause while the other was inside


def test_min_units_none_turns_the_pause_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_collector, "MIN_UNITS", None)
    assert _seen("好" * 50_000) is True


def test_size_helpers_are_total() -> None:
    assert text_size("ab", None, 3, "c") == 3
    assert items_size([1, 2]) == 2
    assert items_size("abc") == 0
    assert items_size(x for x in range(3)) == 0  # a generator is not consumed
    assert log_size(object()) == 0
    assert json_size("x" * 40) == 2
    assert json_size(None) == 0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30_000), max_size=5), st.booleans())
def test_state_after_any_sequence_of_calls_is_the_state_before(
    sizes: list[int], enabled: bool
) -> None:
    if enabled:
        gc.enable()
    else:
        gc.disable()

    @pauses_collector(lambda n: n)
    def f(n: int) -> int:
        return n

    for n in sizes:
        assert f(n) == n
    assert gc.isenabled() is enabled


def test_public_entry_points_pause_on_large_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """check_reply, classify_feedback and check_commitment run with the collector paused on a
    large text (their results are those of an unpaused call)."""
    from csstandards.commitment import check_commitment
    from csstandards.feedback import classify_feedback
    from csstandards.tone import check_reply

    during: list[int] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if _collector._depth:  # a collection while a pause is held
            during.append(info["generation"])

    paused: list[bool] = []
    real_disable = gc.disable

    def disable() -> None:
        paused.append(True)
        real_disable()

    monkeypatch.setattr(gc, "disable", disable)
    big = "物流太慢了," * 4000
    gc.callbacks.append(watch)
    try:
        check_reply(big)
        classify_feedback(big)
        check_commitment("3分钟内回复," * 4000)
    finally:
        gc.callbacks.remove(watch)
    assert paused == [True, True, True]  # each call paused the collector once
    assert during == []  # the deferred collection runs once the pause ends, not inside
    assert gc.isenabled()
