"""Train the speech-act model (csstandards/lexicon/speech_acts.json) from team-written data.

    python scripts/train_speech_acts.py                 # train, cross-validate, write the model
    python scripts/train_speech_acts.py --check         # exit 1 if the shipped model is stale

Data: every ``training/speech_acts/*.jsonl`` file, one sentence a line:
``{"id": ..., "text": ..., "acts": ["apology", "remedy"], "domain": ...}`` (``none`` or an
empty list: no act).  These sentences were written by the team for training only; the batches
behind the reported figures (docs/eval/) are never read here.

Model: one-vs-rest logistic regression over the binary character 1–3-grams of
:func:`csstandards.judge.acts.features` (scaled by 1/√n), trained by AdaGrad with an L1 proximal
step (sparse weights) in a fixed order (deterministic: the same data gives the same file, byte for byte).  n-grams seen
in fewer than ``--min-count`` sentences are not features (an n-gram of one sentence is that
sentence's, not the act's).  Thresholds come from 5-fold cross-validation: per act the lowest
threshold ≥ 0.2 whose out-of-fold precision is ≥ ``--precision``, or the best-F1 threshold
when none reaches it; the file records the out-of-fold precision and recall at the threshold.
Pure Python; takes about a minute and a half on one core.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections import Counter
from operator import add
from pathlib import Path

from csstandards.judge.acts import features
from csstandards.text import normalize

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "training" / "speech_acts"
OUT = ROOT / "src" / "csstandards" / "lexicon" / "speech_acts.json"
ACTS = (
    "empathy",
    "apology",
    "thanks",
    "remedy",
    "time_given",
    "improvement",
    "vague_improvement",
    "invitation",
    "reason",
    "blame",
    "defensive",
    "refusal",
    "deflection",
    "rhetorical_question",
    "over_promise",
)


def load(paths: list[Path]) -> tuple[list[tuple[str, frozenset[str]]], str]:
    """Deduplicated ``(normalised sentence, acts)`` pairs and a digest of the data."""
    seen: dict[str, frozenset[str]] = {}
    digest = hashlib.sha256()
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            acts = frozenset(a for a in row.get("acts", []) if a != "none")
            unknown = acts - set(ACTS)
            if unknown:
                raise SystemExit(f"{path.name}:{n}: unknown act(s) {sorted(unknown)}")
            text = normalize(row["text"]).text.strip()
            if not text:
                continue
            digest.update(f"{text}\t{','.join(sorted(acts))}\n".encode())
            seen[text] = seen.get(text, frozenset()) | acts
    return sorted(seen.items()), digest.hexdigest()


def vocabulary(rows: list[tuple[str, frozenset[str]]], min_count: int) -> set[str]:
    df: Counter[str] = Counter()
    for text, _ in rows:
        df.update(features(text))
    return {g for g, c in df.items() if c >= min_count}


def train(
    rows: list[tuple[str, frozenset[str]]],
    vocab: set[str],
    *,
    epochs: int,
    rate: float,
    l1: float,
    seed: int,
) -> tuple[dict[str, list[float]], list[float]]:
    k = len(ACTS)
    w: dict[str, list[float]] = {}
    g2: dict[str, list[float]] = {}
    b = [0.0] * k
    gb = [1e-8] * k
    data = []
    for text, acts in rows:
        feats = [g for g in features(text) if g in vocab]
        y = [1.0 if a in acts else 0.0 for a in ACTS]
        data.append((feats, 1.0 / math.sqrt(len(feats)) if feats else 0.0, y))
    order = list(range(len(data)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for idx in order:
            feats, x, y = data[idx]
            acc = [0.0] * k  # the sum of the sentence's weight vectors (map: one C loop each)
            for g in feats:
                wg = w.get(g)
                if wg is not None:
                    acc = list(map(add, acc, wg))
            z = [bi + ai * x for bi, ai in zip(b, acc, strict=True)]
            err = [_sigmoid(z[i]) - y[i] for i in range(k)]
            # acts the sentence is already scored right for (|error| < 1e-3) are not updated:
            # after the first epochs most of them, which keeps training to about a minute
            active = [i for i in range(k) if abs(err[i]) >= 1e-3]
            for i in active:
                gb[i] += err[i] * err[i]
                b[i] -= rate * err[i] / math.sqrt(gb[i])
            if not active:
                continue
            for g in feats:
                wg = w.get(g)
                if wg is None:
                    wg = w[g] = [0.0] * k
                    g2[g] = [1e-8] * k
                gg = g2[g]
                for i in active:
                    grad = err[i] * x
                    gg[i] += grad * grad
                    step = rate / math.sqrt(gg[i])
                    v = wg[i] - step * grad
                    # L1 by a proximal step (AdaGrad-FOBOS): a weight the data does not keep
                    # pushing away from zero goes to zero, so the shipped file stays small
                    shrink = step * l1
                    wg[i] = v - shrink if v > shrink else (v + shrink if v < -shrink else 0.0)
    return w, b


def predict(w: dict[str, list[float]], b: list[float], text: str) -> list[float]:
    feats = features(text)
    x = 1.0 / math.sqrt(len(feats)) if feats else 0.0
    acc = [0.0] * len(b)
    for g in feats:
        wg = w.get(g)
        if wg is not None:
            acc = list(map(add, acc, wg))
    return [_sigmoid(bi + ai * x) for bi, ai in zip(b, acc, strict=True)]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def choose_threshold(scored: list[tuple[float, bool]], precision: float) -> dict[str, float]:
    """The lowest threshold ≥ 0.2 with precision ≥ ``precision``, else the best-F1 one."""
    pos = sum(1 for _, y in scored if y)
    best_f1: tuple[float, float, float, float] = (-1.0, 0.2, 0.0, 0.0)
    for t in [0.2 + i / 100 for i in range(76)]:
        tp = sum(1 for p, y in scored if p >= t and y)
        fp = sum(1 for p, y in scored if p >= t and not y)
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / pos if pos else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f1 > best_f1[0]:
            best_f1 = (f1, t, prec, rec)
        if prec >= precision and tp:
            return {"threshold": round(t, 2), "precision": round(prec, 3), "recall": round(rec, 3)}
    _, t, prec, rec = best_f1
    return {"threshold": round(t, 2), "precision": round(prec, 3), "recall": round(rec, 3)}


def build(args: argparse.Namespace) -> dict[str, object]:
    paths = sorted(DATA.glob("*.jsonl"))
    if not paths:
        raise SystemExit(f"no training data under {DATA}")
    rows, digest = load(paths)
    hyper = {"epochs": args.epochs, "rate": args.rate, "l1": args.l1, "seed": 7}
    # 5-fold cross-validation (folds by position in the sorted, deduplicated data)
    folds = 5
    oof: list[list[float]] = [[] for _ in rows]
    for f in range(folds):
        tr = [r for i, r in enumerate(rows) if i % folds != f]
        vocab = vocabulary(tr, args.min_count)
        w, b = train(tr, vocab, **hyper)  # type: ignore[arg-type]
        for i, (text, _) in enumerate(rows):
            if i % folds == f:
                oof[i] = predict(w, b, text)
    cv: dict[str, dict[str, float]] = {}
    for i, act in enumerate(ACTS):
        scored = [(oof[j][i], act in acts) for j, (_, acts) in enumerate(rows)]
        cv[act] = choose_threshold(scored, args.precision)
        cv[act]["support"] = sum(1 for _, y in scored if y)
    vocab = vocabulary(rows, args.min_count)
    w, b = train(rows, vocab, **hyper)  # type: ignore[arg-type]
    weights: dict[str, dict[str, float]] = {}
    for g in sorted(w):
        ws = {a: round(v, 3) for a, v in zip(ACTS, w[g], strict=True) if abs(v) >= args.prune}
        if ws:
            weights[g] = ws
    return {
        "version": f"speech-acts-1+{digest[:8]}",
        "about": "One-vs-rest logistic regression over character 1-3-grams; see "
        "scripts/train_speech_acts.py and csstandards/judge/acts.py.",
        "acts": list(ACTS),
        "bias": {a: round(v, 3) for a, v in zip(ACTS, b, strict=True)},
        "threshold": {a: cv[a]["threshold"] for a in ACTS},
        "cv": cv,
        "trained_on": {
            "files": [p.name for p in paths],
            "sentences": len(rows),
            "sha256": digest,
            "min_count": args.min_count,
            **hyper,
        },
        "weights": weights,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--rate", type=float, default=0.5)
    ap.add_argument("--l1", type=float, default=0.003, help="L1 strength (sparsity)")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--prune", type=float, default=0.02, help="drop weights below this")
    ap.add_argument("--precision", type=float, default=0.9, help="target CV precision")
    ap.add_argument("--check", action="store_true", help="exit 1 if the shipped file differs")
    args = ap.parse_args(argv)
    model = build(args)
    text = json.dumps(model, ensure_ascii=False, indent=0, sort_keys=False) + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("speech_acts.json is up to date" if same else "speech_acts.json is stale")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(model['weights'])} n-grams")  # type: ignore[arg-type]
    for act, m in model["cv"].items():  # type: ignore[attr-defined]
        print(f"  {act:20} sup {m['support']:4}  thr {m['threshold']:.2f}  "
              f"P {m['precision']:.3f}  R {m['recall']:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
