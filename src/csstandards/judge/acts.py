"""A learned speech-act signal beside the rules (#16 item 5).

A small linear model per speech act (言语行为: empathy 共情, apology 道歉, remedy 解决方案,
blame 推卸责任, defensive 辩解, deflection 推给别处 …) over the character 1–3-grams of one
sentence.  It is trained by ``scripts/train_speech_acts.py`` only on sentences the team wrote
(``training/speech_acts/*.jsonl``; never on the batches behind the reported figures) and
shipped as a readable JSON file (``lexicon/speech_acts.json``): a weight per n-gram and act, a
bias and a decision threshold per act, and the cross-validated precision and recall each
threshold was chosen at.  Scoring is pure Python and deterministic.

What the model says is explainable: :meth:`ActModel.explain` lists the n-grams of the
sentence that weighed most for an act, and a finding the model contributes to carries them
with the model's version.

Features (the same function trains and scores, so the two cannot drift): the sentence is
normalised (:func:`csstandards.text.normalize`), digits fold to ``0``, spaces go, and the
sentence is framed by ``^`` and ``$``; every distinct 1-, 2- and 3-gram is a binary feature,
scaled by ``1/√n`` so long and short sentences weigh alike.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import LexiconError

__all__ = ["ActModel", "ActScore", "default_model", "features"]

ORDERS = (1, 2, 3)
_DIGITS = str.maketrans("0123456789", "0000000000")


def features(sentence: str) -> list[str]:
    """The distinct character n-grams (1–3) of a normalised sentence, framed by ``^`` / ``$``,
    in order of first appearance."""
    s = "^" + sentence.translate(_DIGITS).replace(" ", "") + "$"
    seen: dict[str, None] = {}
    n = len(s)
    for k in ORDERS:
        for i in range(n - k + 1):
            g = s[i : i + k]
            if k == 1 and g in "^$":
                continue
            seen[g] = None
    return list(seen)


@dataclass(frozen=True)
class ActScore:
    """The model's view of one sentence for one act."""

    act: str
    probability: float
    threshold: float
    top: tuple[tuple[str, float], ...]  # the n-grams that weighed most, with their weight

    @property
    def fires(self) -> bool:
        """At or above the threshold with some n-gram of the sentence for it."""
        return bool(self.top) and self.probability >= self.threshold


class ActModel:
    """One-vs-rest logistic regression over character n-grams, loaded from a JSON file."""

    def __init__(self, data: dict[str, Any], source: str = "<data>") -> None:
        try:
            self.version: str = str(data["version"])
            self.acts: tuple[str, ...] = tuple(data["acts"])
            self.bias: dict[str, float] = {a: float(data["bias"][a]) for a in self.acts}
            self.threshold: dict[str, float] = {a: float(data["threshold"][a]) for a in self.acts}
            index = {a: i for i, a in enumerate(self.acts)}
            self._weights: dict[str, tuple[tuple[int, float], ...]] = {
                g: tuple((index[a], float(w)) for a, w in ws.items())
                for g, ws in data["weights"].items()
            }
            self.cv: dict[str, Any] = dict(data.get("cv", {}))
            self.trained_on: dict[str, Any] = dict(data.get("trained_on", {}))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LexiconError(source, "", f"malformed speech-act model ({exc!r})") from None
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, ...]] = {}

    def logits(self, sentence: str) -> tuple[float, ...]:
        """The linear score of each act (in :attr:`acts` order) for a normalised sentence."""
        got = self._cache.get(sentence)
        if got is not None:
            return got
        feats = features(sentence)
        z = [self.bias[a] for a in self.acts]
        weights = self._weights
        scale = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        for g in feats:
            ws = weights.get(g)
            if ws is not None:
                for i, w in ws:
                    z[i] += w * scale
        out = tuple(z)
        if len(self._cache) < 4096:
            with self._lock:
                self._cache[sentence] = out
        return out

    def probabilities(self, sentence: str) -> dict[str, float]:
        """P(act | sentence) per act."""
        return {a: _sigmoid(z) for a, z in zip(self.acts, self.logits(sentence), strict=True)}

    def probability(self, sentence: str, act: str) -> float:
        return _sigmoid(self.logits(sentence)[self.acts.index(act)])

    def fires(self, sentence: str, act: str) -> bool:
        """Whether the model says ``sentence`` performs ``act``: probability at or above the
        act's threshold *and* raised by the sentence's own n-grams (above the bias alone).
        A sentence with no evidence for an act never has it, however low the threshold."""
        i = self.acts.index(act)
        z = self.logits(sentence)[i]
        return z > self.bias[act] and _sigmoid(z) >= self.threshold[act]

    def explain(self, sentence: str, act: str, k: int = 3) -> ActScore:
        """The act's probability with the ``k`` n-grams that raised it most (two- and
        three-character ones before single characters)."""
        i = self.acts.index(act)
        feats = features(sentence)
        scale = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        contrib = []
        for g in feats:
            for j, w in self._weights.get(g, ()):
                if j == i and w > 0:
                    contrib.append((g.strip("^$") or g, round(w * scale, 3)))
        contrib.sort(key=lambda t: (-t[1], t[0]))
        # a person reads words, not single characters: n-grams of two or three characters
        # first, single characters only when nothing longer weighed for the act
        longer = [c for c in contrib if len(c[0]) > 1]
        contrib = longer + [c for c in contrib if len(c[0]) == 1] if longer else contrib
        return ActScore(
            act=act,
            probability=round(self.probability(sentence, act), 3),
            threshold=self.threshold[act],
            top=tuple(contrib[:k]),
        )


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@lru_cache(maxsize=1)
def default_model() -> ActModel:
    """The shipped model (``csstandards/lexicon/speech_acts.json``)."""
    ref = resources.files("csstandards.lexicon").joinpath("speech_acts.json")
    try:
        data = json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LexiconError(
            "speech_acts.json", "", f"cannot load the speech-act model ({exc})"
        ) from None
    return ActModel(data, source="speech_acts.json")
