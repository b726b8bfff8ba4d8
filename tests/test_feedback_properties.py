"""Properties of the feedback classifier (hypothesis): total on any Unicode, deterministic,
monotone in negative cues, spans inside the text, lossless JSON."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csstandards.feedback import (
    FeedbackAssessment,
    classify_feedback,
    classify_many,
    find_key_issues,
)

# Chinese review fragments mixed with arbitrary Unicode, so that cues, negators, degree words,
# quotes and punctuation meet in every order.
FRAGMENTS = [
    "不",
    "没有",
    "很",
    "非常",
    "有点",
    "满意",
    "不错",
    "好",
    "差",
    "慢",
    "快递",
    "物流",
    "但是",
    "就是",
    "虽然",
    "这也叫",
    "?",
    "？",
    "!",
    "！",
    "，",
    "。",
    '"',
    "“",
    "”",
    "快",
    "了",
    "破损",
    "投诉",
    "😊",
    "😡",
    ":)",
    ":(",
    "呵呵",
    "每次都",
    "我们好几个人",
    "明天要",
    "盗刷",
    "建议",
    "不得不说",
    "想象中",
    "\n",
    " ",
    "\u200b",
    "ＡＢＣ",
    "\ud800",
    "\udfff",
    "\x00",
    "\u0301",
    "…",
    "~",
    "《",
    "》",
]
texts = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=25).map("".join),
)
NEGATIVE_CUES = ["。太差了!", "。垃圾!!", "。非常失望。", "。气死我了", "。再也不买了😡"]

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts, st.one_of(st.none(), st.sampled_from([1, 2, 3, 3.5, 4, 5])))
def test_never_raises_and_is_well_formed(text: str, stars: float | None) -> None:
    fa = classify_feedback(text, stars=stars)
    assert -1.0 <= fa.sentiment <= 1.0
    assert fa.topics
    for e in fa.evidence:
        for s in e.spans:
            assert 0 <= s.start <= s.end <= len(text)
    for k in fa.key_issues:
        for s in k.spans:
            assert 0 <= s.start <= s.end <= len(text)
    fields = {e.field for e in fa.evidence}
    assert {"kind", "rating", "emotion", "urgency", "severity", "scope", "priority"} <= fields


@SETTINGS
@given(texts)
def test_deterministic_and_json_lossless(text: str) -> None:
    a, b = classify_feedback(text), classify_feedback(text)
    assert a == b
    assert FeedbackAssessment.model_validate_json(a.model_dump_json()) == a
    assert classify_many([text, text]) == [a, a]


@SETTINGS
@given(texts)
def test_key_issues_alone_equal_the_full_assessments(text: str) -> None:
    assert find_key_issues(text) == classify_feedback(text).key_issues


@SETTINGS
@given(texts, st.sampled_from(NEGATIVE_CUES))
def test_adding_a_strong_negative_cue_never_raises_sentiment(text: str, cue: str) -> None:
    before = classify_feedback(text).sentiment
    after = classify_feedback(text + cue).sentiment
    assert after <= before + 1e-9


def _split_reference(text: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """Clause and sentence bounds the slow way: a clause break ends a sentence when
    SENTENCE_BREAK finds a delimiter in it."""
    from csstandards.text.analysis import CLAUSE_BREAK, SENTENCE_BREAK

    c_starts, c_ends, s_starts, s_ends = [], [], [], []
    pos, sent_open = 0, -1
    for m in CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            c_starts.append(pos)
            c_ends.append(m.start())
            sent_open = pos if sent_open < 0 else sent_open
        if sent_open >= 0 and SENTENCE_BREAK.search(m.group()):
            s_starts.append(sent_open)
            s_ends.append(m.start())
            sent_open = -1
        pos = m.end()
    if pos < len(text):
        c_starts.append(pos)
        c_ends.append(len(text))
        sent_open = pos if sent_open < 0 else sent_open
    if sent_open >= 0:
        s_starts.append(sent_open)
        s_ends.append(c_ends[-1])
    return c_starts, c_ends, s_starts, s_ends


@SETTINGS
@given(st.text(alphabet="好差1.。,!?;:、~\n 3", max_size=40))
def test_clause_and_sentence_split_matches_the_regex_definition(text: str) -> None:
    from csstandards.feedback.classify import _split_both
    from csstandards.text import normalize

    s = normalize(text).text
    assert _split_both(s) == _split_reference(s)


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12),
    st.integers(0, 32),
    st.integers(0, 32),
)
def test_cover_answers_like_a_character_bitmap(
    spans: list[tuple[int, int]], start: int, end: int
) -> None:
    """The classifier's span cover (merged intervals) agrees with marking every covered
    character: adjacent spans together cover a range that neither covers alone."""
    from csstandards.feedback.classify import _Cover

    marked = [False] * 40
    for s, e in spans:
        for i in range(s, e):
            marked[i] = True
    cover = _Cover(spans)
    assert cover.contains(start, end) == (end > start and all(marked[start:end]))
    assert cover.touches(start, end) == any(marked[start:end])


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=14))
def test_disjoint_claims_answer_like_a_character_bitmap(spans: list[tuple[int, int]]) -> None:
    """Claiming intervals in order keeps exactly those whose characters are all still free,
    as marking taken characters one by one does (an empty interval is always free)."""
    from csstandards._intervals import DisjointIntervals

    marked = [False] * 40
    taken = DisjointIntervals()
    for s, e in spans:
        free = not any(marked[s:e])
        assert taken.claim(s, e) == free
        if free:
            for i in range(s, e):
                marked[i] = True
