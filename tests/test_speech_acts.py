"""The learned speech-act signal (#16 item 5): the model file, its features and scoring,
its place in the reply rules, and the training script that makes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards import Standard, check_reply
from csstandards.errors import LexiconError
from csstandards.judge.acts import ActModel, default_model, features
from csstandards.standard import ReplySettings
from csstandards.tone import speech_acts

ROOT = Path(__file__).resolve().parent.parent
TINY = {
    "version": "tiny-1",
    "acts": ["apology", "blame"],
    "bias": {"apology": -2.0, "blame": -2.0},
    "threshold": {"apology": 0.5, "blame": 0.5},
    "weights": {"抱歉": {"apology": 9.0}, "快递": {"blame": 9.0}, "不": {"blame": -3.0}},
}
OFF = Standard(reply=ReplySettings(speech_acts="off"))


def test_features_are_the_distinct_framed_1_to_3_grams() -> None:
    assert features("ab") == ["a", "b", "^a", "ab", "b$", "^ab", "ab$"]
    assert features("a1 2") == features("a0 0") == features("a00")  # digits fold, spaces go
    assert features("") == ["^$"]


def test_a_tiny_model_scores_explains_and_thresholds() -> None:
    m = ActModel(TINY)
    assert m.fires("非常抱歉", "apology") and not m.fires("非常抱歉", "blame")
    assert m.fires("是快递的错", "blame")
    assert m.probability("不是快递的错", "blame") < m.probability("是快递的错", "blame")
    why = m.explain("非常抱歉", "apology")
    assert why.top[0][0] == "抱歉" and why.fires and why.threshold == 0.5
    assert m.explain("你好", "apology").top == ()


@pytest.mark.parametrize(
    "broken",
    [{}, {**TINY, "bias": {}}, {**TINY, "weights": {"x": {"nope": 1.0}}}, {**TINY, "acts": 3}],
)
def test_a_malformed_model_is_a_lexicon_error(broken: dict[str, object]) -> None:
    with pytest.raises(LexiconError, match="malformed speech-act model"):
        ActModel(broken, source="broken.json")


def test_the_shipped_model_is_readable_data_with_its_provenance() -> None:
    path = ROOT / "src" / "csstandards" / "lexicon" / "speech_acts.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    m = default_model()
    assert m.version == data["version"] and m.version.startswith("speech-acts-")
    assert set(m.acts) == set(data["threshold"]) == set(data["cv"])
    assert data["trained_on"]["sentences"] >= 100
    # trained on team-written sentences only: never a batch behind a reported figure
    assert all(f.startswith("s") and f.endswith(".jsonl") for f in data["trained_on"]["files"])
    assert all(0.2 <= t <= 0.95 for t in m.threshold.values())


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60))
def test_scoring_is_total_and_deterministic(text: str) -> None:
    m = default_model()
    a = m.probabilities(text)
    assert a == m.probabilities(text)
    assert all(0.0 <= p <= 1.0 for p in a.values())


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_speech_acts_spans_lie_in_the_reply(reply: str) -> None:
    for sa in speech_acts(reply):
        assert 0 <= sa.span.start <= sa.span.end <= len(reply)
        assert sa.act in default_model().acts and sa.model == default_model().version


def test_speech_acts_off_is_empty_and_rejects_non_text() -> None:
    assert speech_acts("非常抱歉,已为您退款。", standard=OFF) == ()
    from csstandards.errors import InputError

    with pytest.raises(InputError, match="reply must be str"):
        speech_acts(3)  # type: ignore[arg-type]


def test_reports_name_the_model_and_model_findings_say_so() -> None:
    rep = check_reply("好的")
    assert rep.speech_act_model == default_model().version
    assert check_reply("好的", standard=OFF).speech_act_model is None
    for f in rep.findings:
        if f.data.get("source") == "model":
            assert f.data["model"] == rep.speech_act_model and f.data["ngrams"]


def test_quotations_are_blanked_before_scoring() -> None:
    """The customer's words in quotation marks are theirs: the model does not read them."""
    inner = "都是快递的问题,跟我们没关系"
    quoted = f"您说客服回复“{inner}”,让您很失望。"
    acts = {sa.act for sa in speech_acts(quoted)}
    assert "blame" not in acts


def test_training_reproduces_the_shipped_model() -> None:
    """The shipped weights are what scripts/train_speech_acts.py makes of the team's data."""
    got = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_speech_acts.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert got.returncode == 0, got.stdout + got.stderr
