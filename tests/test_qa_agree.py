"""Calibration: Cohen's kappa, agreement per item and overall, disagreements, provenance."""

from __future__ import annotations

import json

import pytest

from csstandards.errors import InputError
from csstandards.qa import agreement, cohen_kappa, default_scorecard


def test_cohen_kappa_known_values() -> None:
    assert cohen_kappa([1, 1, 0, 0], [1, 1, 0, 0]) == 1.0
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(0.5)
    # the textbook table: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> kappa 0.4
    a = [1] * 25 + [0] * 25
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa([1, 0, 1, 0], [0, 1, 0, 1]) == pytest.approx(-1.0)
    assert cohen_kappa([1, 1], [1, 1]) is None  # chance agreement is already perfect
    assert cohen_kappa([], []) is None
    with pytest.raises(InputError):
        cohen_kappa([1], [1, 0])


def auto_row(cid: str, score: float, items: dict[str, float], passed: bool) -> dict[str, object]:
    sc = default_scorecard()
    return {
        "id": cid,
        "score": score,
        "passed": passed,
        "items": items,
        "scorecard": sc.name,
        "scorecard_hash": sc.hash,
        "error": None,
    }


AUTO = [
    auto_row("c1", 85, {"attitude.blame": 15}, True),
    auto_row("c2", 100, {}, True),
    auto_row("c3", 0, {"attitude.privacy": 0}, False),
    auto_row("c4", 95, {"conduct.waits": 5}, True),
    auto_row("c5", 90, {}, True),
]


def test_agreement_per_item_overall_and_worst(tmp_path) -> None:  # type: ignore[no-untyped-def]
    auto = tmp_path / "auto.jsonl"
    auto.write_text("\n".join(json.dumps(r) for r in AUTO), encoding="utf-8")
    human = tmp_path / "human.csv"
    human.write_text(
        "id,推诿责任,waits,attitude.privacy,score\n"
        "c1,15,0,0,85\n"
        "c2,是,0,否,85\n"
        "c3,0,0,x,0\n"
        "c4,0,0,0,100\n"
        "c9,0,0,0,100\n",
        encoding="utf-8",
    )
    rep = agreement(auto, human)
    assert rep.compared == 4 and rep.only_auto == ("c5",) and rep.only_human == ("c9",)
    items = {it.item: it for it in rep.items}
    assert set(items) == {"attitude.blame", "attitude.privacy", "conduct.waits"}
    blame = items["attitude.blame"]
    assert (blame.n, blame.agree, blame.auto_hits, blame.human_hits) == (4, 3, 1, 2)
    assert blame.kappa == pytest.approx(0.5)
    assert items["attitude.privacy"].agreement == 1.0 and items["attitude.privacy"].kappa == 1.0
    waits = items["conduct.waits"]
    assert waits.agree == 3 and waits.kappa == 0.0
    assert rep.overall_agreement == pytest.approx(10 / 12)
    assert rep.pass_agreement == 1.0
    assert [d.id for d in rep.worst] == ["c2", "c4"]
    assert rep.worst[0].difference == 15 and rep.worst[0].items == ("attitude.blame",)
    assert "attitude.blame" in rep.describe() and "kappa" in rep.describe()
    assert "conduct.first-response" in rep.not_reviewed


def test_long_form_and_computed_human_score() -> None:
    human = [
        {"id": "c1", "item": "blame", "deduction": 15},
        {"id": "c2", "item": "blame", "deduction": 15},
        {"id": "c2", "item": "privacy", "deduction": 0},
    ]
    rep = agreement(AUTO, human)
    worst = {d.id: d for d in rep.worst}
    assert worst["c2"].human_score == 85 and worst["c2"].difference == 15
    assert rep.compared == 2


def test_scores_from_another_scorecard_are_refused() -> None:
    rows = [dict(AUTO[0], scorecard_hash="0123456789abcdef")]
    with pytest.raises(InputError, match="not comparable"):
        agreement(rows, [{"id": "c1", "blame": 1}])


def test_bad_human_cells_and_items() -> None:
    with pytest.raises(InputError, match="neither a number"):
        agreement(AUTO, [{"id": "c1", "blame": "maybe"}])
    with pytest.raises(InputError, match="unknown scorecard item"):
        agreement(AUTO, [{"id": "c1", "item": "nope", "deduction": 1}])
    with pytest.raises(InputError, match="no conversation id"):
        agreement(AUTO, [{"blame": 1}])
