"""Issue #17 item 2: every matcher and log operation is linear in its input.

No timing here (speed lives in benchmarks/bench_growth.py, which one test runs at small
sizes).  The tests pin the structure that keeps the cost linear — patterns that cannot start
inside a run, bisected indexes equal to the scans they replaced, logs copied once per batch,
O(1) appends — and run each input that used to take seconds to minutes at the size that did,
checking its result.
"""

from __future__ import annotations

import importlib.util
import pickle
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards import check_commitment, check_reply, classify_feedback, parse_commitment
from csstandards._intervals import DisjointIntervals, RangeIndex
from csstandards.commitment import _data, _scan
from csstandards.feedback import find_key_issues
from csstandards.models import Channel
from csstandards.rules import reply_common
from csstandards.rules.context import ReplyContext
from csstandards.text import analyze
from csstandards.workflow import (
    Acknowledged,
    AgentMessage,
    Assessed,
    Assigned,
    CaseAssessment,
    Consultation,
    CustomerMessage,
    FeedbackCase,
    ProgressUpdated,
    Recorded,
    WorkStarted,
    replay_case,
    replay_consultation,
)
from csstandards.workflow._chain import Chain

ROOT = Path(__file__).resolve().parent.parent
TZ = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location(
        "bench_growth", ROOT / "benchmarks" / "bench_growth.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_growth"] = mod
    spec.loader.exec_module(mod)
    return mod


# ------------------------------------------------------------------ the benchmark itself


def test_bench_growth_runs_at_small_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench()
    assert bench.main(["--sizes", "10,30", "--rounds", "1", "--min-time", "0"]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = [line for line in out[1:] if not line.startswith("rows:")]
    entries = {line.split()[0].rstrip("*") for line in rows}
    probes = {line.split()[0] for line in rows if line.split()[0].endswith("*")}
    assert {"parse_commitment*", "check_reply*", "FeedbackCase.apply*"} <= probes
    for entry in (
        "parse_commitment",
        "check_commitment",
        "check_reply",
        "check_replies",
        "classify_feedback",
        "find_key_issues",
        "normalize",
        "analyze",
        "verify_commitments",
        "Consultation.extend",
        "FeedbackCase.apply",
        "check_consultation",
        "check_case",
        "compute_clocks",
        "WorkCalendar.add",
        "lint_template",
    ):
        assert entry in entries
    assert out[-1].startswith(f"rows: {len(rows)},")


def test_bench_growth_json_and_only(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    bench = _bench()
    bench.main(
        [
            "--sizes",
            "20,40",
            "--rounds",
            "1",
            "--min-time",
            "0",
            "--only",
            "parse_commitment",
            "--json",
        ]
    )
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows and all(r["entry"] == "parse_commitment" for r in rows)
    assert {r["family"] for r in rows} >= {"digits", "cn-numerals", "one-char", "quote"}
    assert all(set(r["per_unit_us"]) == {"20", "40"} for r in rows)


# ------------------------------------------------------------------ commitment numbers


def _old_qty() -> re.Pattern[str]:
    """The quantity pattern as it was, without the run-start lookbehinds."""
    pat = _data().qty.pattern
    cn = "".join(sorted(set(_data().digits) | set(_data().multipliers)))
    old = pat.replace(r"(?<!\d)", "").replace(f"(?<![{cn}])", "")
    assert old != pat
    return re.compile(old)


_NUMBERY = st.text(alphabet="1234.-~至到个半三十五两百点分钟小时天工作日内秒声刻x,", max_size=40)


@settings(max_examples=400, deadline=None)
@given(_NUMBERY)
def test_quantity_pattern_finds_what_it_found_before(s: str) -> None:
    old = _old_qty()
    new = _data().qty
    assert [m.span() for m in new.finditer(s)] == [m.span() for m in old.finditer(s)]
    assert [m.groupdict() for m in new.finditer(s)] == [m.groupdict() for m in old.finditer(s)]


def test_quantity_pattern_never_starts_inside_a_run() -> None:
    qty = _data().qty
    for run in ("1" * 200 + "分钟", "三" * 200 + "分钟", "十五" * 100 + "天"):
        assert qty.match(run, 0) is not None or run.startswith("十五")
        assert all(qty.match(run, i) is None for i in range(1, len(run) - 3))


def test_long_digit_and_numeral_runs_parse_and_check() -> None:
    # 40 s before (each offset of the run rescanned it to its end)
    assert parse_commitment("1" * 16_000) == []
    assert parse_commitment("三" * 16_000) == []
    assert check_commitment("1" * 16_000).targets == ()
    t = parse_commitment("1" * 5000 + "在线客服3分钟内回复")
    assert [(x.value, x.unit.value) for x in t] == [(3.0, "minute")]


def test_many_repeated_targets_in_one_sentence() -> None:
    # ~160 s for 100k characters before: neighbours, scopes and clauses scanned per quantity
    text = "工作时间内在线客服3分钟内回复," * 2000
    targets = parse_commitment(text)
    assert len(targets) == 2000
    assert {(t.value, t.scope.value if t.scope else None) for t in targets} == {
        (3.0, "working_hours")
    }
    assert len(parse_commitment("3分钟内回复" * 3000)) == 3000


def test_targets_of_one_long_sentence_share_its_text() -> None:
    # each target sliced its sentence from the original text: 10k targets in a 70k-character
    # sentence took 4 s and 1.5 GB (a whole-text sentence hid it: that slice is the text)
    text = "好。" + "三分钟内回复," * 10_000
    targets = parse_commitment(text)
    assert len(targets) == 10_000
    assert targets[0].text == text[2:]
    assert all(t.text is targets[0].text for t in targets)


def test_cue_index_equals_a_scan() -> None:
    text = (
        "工作时间内电话3声内接听,在线客服15秒内响应;7×24小时邮件2个工作日内回复。差评12小时内回复。"
        * 8
    )
    doc = _scan(text)
    n = len(doc.text)
    for kind in ("metric", "channel", "scope", "other"):
        for a in range(0, n, 7):
            for b in range(a, n + 1, 11):
                scan = [c for c in doc.cues if c.kind == kind and a <= c.start and c.end <= b]
                assert doc.cues_in(kind, a, b) == scan
                assert doc.count_cues(kind, a, b) == len(scan)
                for name in {c.name for c in scan}:
                    assert doc.count_cues(kind, a, b, name) == sum(c.name == name for c in scan)
    for pos in range(n):
        assert doc.line_start(pos) == doc.text.rfind("\n", 0, pos) + 1
    for si, sent in enumerate(doc.sentences):
        for kind in ("metric", "channel", "scope"):
            for skip in (None, "negative_review_reply", "phone"):
                for ci in range(len(sent.clauses) + 1):
                    held = [
                        p
                        for p, (a, b) in enumerate(sent.clauses[:ci])
                        if any(
                            c.name != skip
                            for c in doc.cues
                            if c.kind == kind and a <= c.start and c.end <= b
                        )
                    ]
                    want = held[-1] if held and ci < len(sent.clauses) else -1
                    assert doc.nearest_clause_with(kind, si, ci, skip) == want
    for sent in doc.sentences:
        for pos in range(sent.start, sent.end):
            brute = next((i for i, (a, b) in enumerate(sent.clauses) if a <= pos < b), 0)
            assert sent.clause_index(pos) == brute


def test_many_recovery_sentences() -> None:
    text = "未在24小时内回复的,我们将赔偿10元。" * 1500
    report = check_commitment(text)
    assert len(report.recovery) == 1500
    assert report.recovery[0].cues and report.recovery[-1].text == report.recovery[0].text


# ------------------------------------------------------------------ shared text analysis


_TEXTY = st.text(alphabet='好很不差"《》,。!?非常抱歉退款物流慢', max_size=60)


@settings(max_examples=200, deadline=None)
@given(_TEXTY, st.integers(0, 60), st.integers(0, 8))
def test_analysis_lookups_equal_their_scans(text: str, pos: int, width: int) -> None:
    a = analyze(text)
    start, end = pos, pos + width
    assert a.in_quote(start, end) == any(qs < start and end <= qe for qs, qe in a.quoted)
    lists = ["negators", "fb_neg"]
    merged = sorted(
        (h for name in lists for h in a.hits.get(name, ())), key=lambda h: (h.start, -h.end)
    )
    assert a.hits_of(*lists) == merged
    assert a.hits_in(lists, start, end) == [h for h in merged if start <= h.start < end]
    clause = a.clause_at(pos)
    lo = max(pos - 3, clause.start if clause else 0)
    brute = next(
        (h for h in merged if lo <= h.end <= pos and h.start >= (clause.start if clause else 0)),
        None,
    )
    assert a.preceded_by(pos, lists, window=3) == brute
    sent = next((s for s in a.sentences if s.start <= pos < s.end), None)
    assert a.sentence_at(pos) == sent


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12),
    st.integers(-2, 32),
    st.integers(-2, 32),
)
def test_range_index_equals_its_scans(ranges: list[tuple[int, int]], a: int, b: int) -> None:
    idx = RangeIndex(ranges)
    assert idx.covers(a) == any(s <= a < e for s, e in ranges)
    assert idx.overlaps(a, b) == any(s < b and a < e for s, e in ranges)
    assert idx.contains(a, b) == any(s <= a and b <= e for s, e in ranges)
    assert bool(idx) == bool(ranges)


def test_disjoint_claims_do_not_shift_a_sorted_list() -> None:
    # claims kept sorted lists and list.insert-ed into them: offered back to front (each one
    # landing before all the others) n claims shifted O(n^2) entries, ~16 s for these 200k;
    # the bitmap costs each claim its own length
    taken = DisjointIntervals()
    n = 200_000
    assert all(taken.claim(2 * i, 2 * i + 2) for i in reversed(range(n)))
    assert not any(taken.claim(2 * i + 1, 2 * i + 2) for i in range(n))
    assert taken.claim(4 * n, 4 * n + 1)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab好差", max_size=30), st.text(alphabet="ab好差", max_size=10))
def test_substrings_equal_in(text: str, p: str) -> None:
    assert (p in reply_common._Substrings(text)) == (p in text)
    assert reply_common._any_in([p], text) == (p in text)


def _live_hits_reference(ctx: ReplyContext, name: str) -> list[tuple[int, int, str]]:
    """live_hits as it was (pairwise containment tests)."""
    a = ctx.reply
    out: list[tuple[int, int, str]] = []
    negate = bool(a.hits.get("negators"))
    for h in a.hits.get(name, ()):
        st_, en = h.start, h.end
        if reply_common.excluded(ctx, st_, en):
            continue
        if negate and a.preceded_by(st_, ["negators"], window=3):
            continue
        if any(s <= st_ and en <= e for s, e, _ in out):
            continue
        if any(st_ <= s and e <= en for s, e, _ in out):
            out = [t for t in out if not (st_ <= t[0] and t[1] <= en)]
        out.append((st_, en, h.phrase))
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["非常抱歉", "抱歉", "很抱歉", "不", "{名}", '"抱歉"', ","]), max_size=20
    )
)
def test_live_hits_equal_the_pairwise_reference(parts: list[str]) -> None:
    text = "".join(parts)
    reply = analyze(text)
    ctx = ReplyContext(reply=reply, placeholders=reply_common.find_placeholder_ranges(reply.text))
    for name in ("apology", "sorry", "defensive"):
        assert reply_common.live_hits(ctx, name) == _live_hits_reference(ctx, name)


def test_long_replies_and_reviews() -> None:
    # ~5 s at 10k before; many live hits and quotes were tested pairwise
    assert check_reply("1" * 10_000).findings is not None
    r = check_reply("非常抱歉," * 3000)
    assert r.findings is not None
    quoted = check_reply("“" + "好" * 20_000 + "”")
    assert quoted.findings is not None
    review = "衣服质量很好,面料舒服," * 500 + "但是物流太慢了,客服态度很差," * 500
    report = check_reply("好" * 20_000, review=review, stars=1)
    assert any(f.code for f in report.findings)


_TIMEY = st.text(alphabet="123.:点时天日号月周三一半十个小时内前", max_size=40)


@settings(max_examples=400, deadline=None)
@given(_TIMEY)
def test_time_scan_after_a_miss_finds_what_finditer_finds(s: str) -> None:
    # the after-miss pattern (no count from inside a run whose earlier offset failed) must
    # change nothing, also where a match ends inside a run (周三|三天, 1:23|4天)
    scan = reply_common._TIME_SCAN
    assert scan.after_miss is not scan.pattern
    assert [m.span() for m in scan.finditer(s)] == [
        m.span() for m in reply_common._TIME.finditer(s)
    ]


def test_long_digit_runs_in_a_reply_with_a_review() -> None:
    # every offset of a digit run retried the count pattern to the run's end before
    review = "衣服质量很好," * 300 + "但是物流太慢了," * 300
    report = check_reply("1" * 20_000, review=review, stars=1)
    assert report.findings
    refund = check_reply("已为您申请退款," * 2000, review=review, stars=1)
    assert refund.findings is not None


def test_long_praise_then_complaint_reply() -> None:
    # acknowledgements were tested against every filler phrase and blamed sentence
    text = "衣服质量很好,面料舒服,很满意," * 1000 + "但是物流太慢了,客服态度很差," * 1000
    assert check_reply(text).findings is not None


def test_long_praise_then_complaint_review() -> None:
    # grew quadratically before: markers × cues per sentence, a set per bigram
    text = "衣服质量很好,面料舒服,很满意," * 600 + "但是物流太慢了,客服态度很差," * 600
    fa = classify_feedback(text)
    assert fa.kind.value == "complaint"
    issues = find_key_issues(text)
    assert issues


# ------------------------------------------------------------------ event logs


def _consult_events(n: int) -> list[Any]:
    evs: list[Any] = [CustomerMessage(at=T0, text="你好")]
    for i in range(1, n):
        at = T0 + timedelta(seconds=i)
        evs.append(
            CustomerMessage(at=at, text="还有") if i % 2 else AgentMessage(at=at, text="好的")
        )
    return evs


def _case_events(n: int) -> list[Any]:
    evs: list[Any] = [
        Recorded(
            at=T0,
            customer="王",
            received_at=T0,
            description="裂了",
            demand="换新",
            channel=Channel.ONLINE_CHAT,
        ),
        Acknowledged(at=T0 + timedelta(minutes=5)),
        Assessed(
            at=T0 + timedelta(minutes=6),
            assessment=CaseAssessment(kind="complaint"),
        ),
        Assigned(at=T0 + timedelta(minutes=7), department="质量部门"),
        WorkStarted(at=T0 + timedelta(minutes=8)),
    ]
    evs += [ProgressUpdated(at=T0 + timedelta(minutes=9 + i)) for i in range(n)]
    return evs


def test_extend_copies_the_log_once(monkeypatch: pytest.MonkeyPatch) -> None:
    copies = {"n": 0}
    original = Consultation.model_copy

    def counting(self: Any, *args: Any, **kw: Any) -> Any:
        copies["n"] += 1
        return original(self, *args, **kw)

    monkeypatch.setattr(Consultation, "model_copy", counting)
    evs = _consult_events(500)
    c = Consultation(id="x").extend(evs)
    assert copies["n"] == 1
    assert c.events == tuple(evs)
    assert c.state == replay_consultation(evs)
    c2 = c.extend([])
    assert c2 is c


def test_extend_is_all_or_nothing() -> None:
    c = Consultation(id="x").extend(_consult_events(3))
    bad = [
        AgentMessage(at=T0 + timedelta(seconds=10), text="好"),
        CustomerMessage(at=T0, text="早"),
    ]
    with pytest.raises(Exception, match="earlier"):
        c.extend(bad)
    assert len(c.events) == 3


def test_case_extend_and_apply_agree_with_replay() -> None:
    evs = _case_events(2000)
    by_extend = FeedbackCase(id="c").extend(evs)
    by_apply = FeedbackCase(id="c")
    for ev in evs[:50]:
        by_apply = by_apply.apply(ev)
    assert by_extend.state == replay_case(evs)
    assert by_apply.state == replay_case(evs[:50])
    assert len(by_extend.state.progress_updates) == 2000
    assert by_extend.state.progress_updates == tuple(e.at for e in evs[5:])
    assert FeedbackCase.from_json(by_extend.to_json()).state == by_extend.state


def test_chain_appends_without_copying_and_reads_like_a_tuple() -> None:
    empty: Chain[int] = Chain()
    c = empty
    for i in range(10_000):
        c = c.append(i)
    assert c._tuple is None  # nothing was built while appending
    assert len(c) == 10_000 and c[0] == 0 and c[-1] == 9_999 and c[2:4] == (2, 3)
    assert c == tuple(range(10_000)) and tuple(range(10_000)) == c
    assert hash(c) == hash(tuple(range(10_000)))
    # persistent: a branch from an older version does not see the newer items
    a = empty.append(1).append(2)
    b1, b2 = a.append(3), a.append(4)
    assert (a, b1, b2) == ((1, 2), (1, 2, 3), (1, 2, 4))
    assert list(b2) == [1, 2, 4] and 4 in b2 and 3 not in b2
    assert not empty and repr(b1) == "(1, 2, 3)"
    assert pickle.loads(pickle.dumps(b1)) == b1
    assert Chain([1, 2]) == a != (1,)
