"""Measure the reply checker on a batch written per LABELS.md (``violations`` labels).

    python scripts/eval_fresh_replies.py batch.jsonl [more.jsonl ...] [--errors]
    python scripts/eval_fresh_replies.py batch.jsonl --speech-acts off    # rules alone
    python scripts/eval_fresh_replies.py batch.jsonl --speech-acts only   # model alone

Micro precision and recall over (pair, rule) on LABELS.md's label vocabulary only (findings of
other rules — missing-echo, missing-thanks, wrong-order — are listed, not counted), per rule,
and the share of clean replies left clean.  Rows already converted to rule ids (``expect``, as
in ``devsets/replies_fresh.jsonl``) are read too.

``--speech-acts`` is the ablation of docs/tone.md: ``assist`` (the default: rules and the
speech-act model), ``off`` (rules alone), ``only`` (the model alone decides the labels it has
an act for — blame, defensive, deflection, interrogative, over-promise, missing empathy and
missing invitation — from :func:`csstandards.tone.speech_acts`; the other labels are the
rules').
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from csstandards import Standard
from csstandards.models import Rating
from csstandards.standard import ReplySettings
from csstandards.tone import check_reply, speech_acts

VOCAB = (
    "generic_template",
    "ignores_specifics",
    "blame_shifting",
    "defensive",
    "dismissive",
    "deflect_to_manual",
    "interrogative",
    "jargon",
    "vague_commitment",
    "over_promise",
    "privacy_leak",
    "missing_reason",
    "missing_empathy",
    "missing_solution",
    "missing_eta",
    "missing_improvement",
    "missing_invitation",
)
RULE_ID = {v: "reply." + v.replace("_", "-") for v in VOCAB}
#: labels the model alone decides in ``--speech-acts only``: presence labels by their act,
#: missing-X labels by the absence of their acts in a reply to a review of that rating
PRESENCE = {
    "blame_shifting": "blame",
    "defensive": "defensive",
    "deflect_to_manual": "deflection",
    "interrogative": "rhetorical_question",
    "over_promise": "over_promise",
}
ABSENCE = {
    "missing_empathy": (("empathy", "apology"), Rating.NEGATIVE),
    "missing_invitation": (("invitation",), Rating.POSITIVE),
}


def model_only(reply: str, fired: set[str], rating: Rating | None) -> set[str]:
    """The labels with the model deciding those it has an act for."""
    acts = {sa.act for sa in speech_acts(reply)}
    out = {x for x in fired if x not in {RULE_ID[v] for v in (*PRESENCE, *ABSENCE)}}
    out |= {RULE_ID[v] for v, act in PRESENCE.items() if act in acts}
    out |= {RULE_ID[v] for v, (need, r) in ABSENCE.items() if rating is r and not acts & set(need)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--errors", action="store_true", help="print every disagreement")
    ap.add_argument("--speech-acts", choices=("assist", "off", "only"), default="assist")
    args = ap.parse_args(argv)
    mode = args.speech_acts
    std = Standard(reply=ReplySettings(speech_acts="assist" if mode == "assist" else "off"))
    rows = [
        json.loads(line)
        for p in args.paths
        for line in p.read_text("utf-8").splitlines()
        if line.strip()
    ]
    vocab = set(RULE_ID.values())
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    other: Counter[str] = Counter()
    clean = clean_ok = 0
    for r in rows:
        if "violations" in r:
            want = {RULE_ID[v] for v in r["violations"] if v in RULE_ID}
        else:
            want = set(r.get("expect", ())) & vocab
        rep = check_reply(r["reply"], review=r.get("review"), stars=r.get("stars"), standard=std)
        fired = set(rep.rule_ids)
        if mode == "only":
            fired = model_only(r["reply"], fired, rep.rating)
        got = fired & vocab
        other.update(fired - vocab)
        for x in got & want:
            tp[x] += 1
        for kind, diff, count in (("FP", got - want, fp), ("FN", want - got, fn)):
            for x in diff:
                count[x] += 1
                if args.errors:
                    print(kind, r["id"], x, "|", r.get("review", "")[:60], "->", r["reply"][:90])
        if not want:
            clean += 1
            clean_ok += not got
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(
        f"{len(rows)} pairs; micro P {t / max(1, t + f):.3f} R {t / max(1, t + n):.3f}; "
        f"clean left clean {clean_ok}/{clean} = {clean_ok / max(1, clean):.3f}"
    )
    for v in VOCAB:
        x = RULE_ID[v]
        a, b, c = tp[x], fp[x], fn[x]
        if a + b + c:
            prec = a / (a + b) if a + b else 1.0
            rec = a / (a + c) if a + c else 1.0
            print(
                f"  {v:<22} sup {a + c:>3} tp {a:>3} fp {b:>3} fn {c:>3}  P {prec:.2f} R {rec:.2f}"
            )
    print("  other rules fired (not in the vocabulary):", dict(other))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
