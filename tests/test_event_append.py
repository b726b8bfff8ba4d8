"""Appending one event at a time is amortised O(1) (issue #17 item 2).

``apply`` used to copy the whole ``events`` tuple on every call, so n appends copied n²/2
events.  The log is now a :class:`Chain` that shares its prefix; these tests count the items
copied (not time) and check that such a log is indistinguishable from a tuple-held one.
"""

from __future__ import annotations

import copy
import importlib.util
import itertools
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from csstandards.errors import EventOrderError
from csstandards.workflow import Consultation, FeedbackCase, _chain

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location(
        "bench_growth", ROOT / "benchmarks" / "bench_growth.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_growth"] = mod
    spec.loader.exec_module(mod)
    return mod


LOGS = [(Consultation, "_consult_log"), (FeedbackCase, "_case_log")]


class _Copies:
    """Counts the items copied into tuples by Chain (construction and first reads)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.items = 0
        init, as_tuple = _chain.Chain.__init__, _chain.Chain.as_tuple

        def counting_init(chain: Any, items: Any = ()) -> None:
            self.items += len(items)
            init(chain, items)

        def counting_as_tuple(chain: Any) -> Any:
            if chain._tuple is None:
                self.items += len(chain)
            return as_tuple(chain)

        monkeypatch.setattr(_chain.Chain, "__init__", counting_init)
        monkeypatch.setattr(_chain.Chain, "as_tuple", counting_as_tuple)


@pytest.mark.parametrize(("cls", "maker"), LOGS)
def test_n_applies_copy_o_n_events(cls: Any, maker: str, monkeypatch: pytest.MonkeyPatch) -> None:
    events = getattr(_bench(), maker)(400)
    log = cls(id="g").extend(events[:100])  # a tuple-held log: the first apply copies it once
    copies = _Copies(monkeypatch)
    versions = []
    for ev in events[100:]:
        log = log.apply(ev)
        versions.append(log)
    assert copies.items <= 100  # the one copy of the 100-event prefix, nothing per event
    assert isinstance(log.events, _chain.Chain) and len(log.events) == 400
    assert all(v.events._prev is u.events for u, v in itertools.pairwise(versions))
    # earlier versions are unchanged
    assert [len(v.events) for v in versions] == list(range(101, 401))
    assert tuple(versions[0].events) == tuple(events[:101])
    copies.items = 0
    assert tuple(log.events) == tuple(events)  # the first full read builds the tuple once
    assert copies.items == 400
    assert log.events[-1] == events[-1] and log.events[3:5] == tuple(events[3:5])


@pytest.mark.parametrize(("cls", "maker"), LOGS)
def test_applied_log_is_indistinguishable_from_an_extended_one(cls: Any, maker: str) -> None:
    events = getattr(_bench(), maker)(60)
    applied = cls(id="g")
    for ev in events[:30]:
        applied = applied.apply(ev)
    applied = applied.extend(events[30:40])  # mixing extend and apply
    for ev in events[40:]:
        applied = applied.apply(ev)
    extended = cls(id="g").extend(events)
    assert type(applied.events) is _chain.Chain and type(extended.events) is tuple
    assert applied == extended and extended == applied
    assert applied.state == extended.state
    assert applied.model_dump() == extended.model_dump()
    assert applied.model_dump(mode="json") == extended.model_dump(mode="json")
    assert applied.to_json() == extended.to_json()
    assert cls.from_json(applied.to_json()) == applied
    assert cls.model_validate(applied.model_dump()) == applied
    assert pickle.loads(pickle.dumps(applied)) == extended
    assert copy.deepcopy(applied) == extended
    assert applied.events == tuple(events) and tuple(events) == applied.events
    assert applied != cls(id="g").extend(events[:-1])
    assert cls(id="g").extend(events[:-1]) != applied


def test_applied_consultation_hashes_like_an_extended_one() -> None:
    events = _bench()._consult_log(50)
    applied = Consultation(id="g")
    for ev in events:
        applied = applied.apply(ev)
    extended = Consultation(id="g").extend(events)
    assert hash(applied) == hash(extended)
    assert {applied: 1}[extended] == 1


def test_an_illegal_apply_keeps_the_chain_unchanged() -> None:
    events = _bench()._consult_log(20)
    log = Consultation(id="g")
    for ev in events:
        log = log.apply(ev)
    before = log.events
    with pytest.raises(EventOrderError):
        log.apply(events[0].model_copy(update={"at": events[0].at.replace(year=2000)}))
    assert log.events is before and len(log.events) == 20


@pytest.mark.parametrize(("cls", "maker"), LOGS)
def test_apply_copies_like_model_copy(cls: Any, maker: str) -> None:
    """``apply`` builds its copy without ``model_copy`` (#17: half its cost); the copy must
    be the one ``model_copy`` would make: same fields, fields-set, every private attribute."""
    events = getattr(_bench(), maker)(6)
    log = cls(id="g")
    for ev in events:
        new = log.apply(ev)
        ref = log.model_copy(update={"events": (*log.events, ev)})
        assert new == ref and new.model_dump() == ref.model_dump()
        assert new.model_fields_set == ref.model_fields_set | {"events"}
        assert set(new.__pydantic_private__) == set(cls.__private_attributes__)
        assert new.__pydantic_extra__ is None
        assert new.state == ref.state
        assert cls.model_validate(new.model_dump()) == new
        log = new
