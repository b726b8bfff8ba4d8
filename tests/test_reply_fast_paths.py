"""The reply checker's shortcuts agree with the plain definitions they stand in for.

Each shortcut skips work that cannot change the answer (a pattern that cannot match, a
bigram that cannot be specific); these properties hold it equal to the definition on
arbitrary text mixed with the characters the definitions react to.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards.rules import reply_common as rc
from csstandards.rules import reply_phrases as rp
from csstandards.rules.context import ReplyContext
from csstandards.text.analysis import analyze

PIECES = [
    "13812345678", "138****5678", "010-12345678", "0755-1234567", "11010519491231002x", "6222021234567890128",
    "4111111111111111", "zhang.san@qq.com", "a@b.cn", "@", "号", "中山路88号3栋", "人民大道12号",
    "0", "1", "9", "*", "-", ".", "x", "很", "的", "满意", "质量", "快递", "破损", "物流", "好",
]  # fmt: skip
texts = st.lists(
    st.one_of(st.text(max_size=6), st.sampled_from(PIECES), st.sampled_from("0123456789")),
    max_size=16,
).map("".join)


def _personal_data_reference(text: str) -> list[tuple[int, int, str]]:
    """find_personal_data without its shortcuts: every pattern on every text."""
    found: list[tuple[int, int, str]] = []
    for m in rp._ID18.finditer(text):
        if rp.id_checksum_ok(m.group()):
            found.append((m.start(), m.end(), "id_number"))
    for m in rp._CARD.finditer(text):
        if rp.luhn_ok(m.group()) and not any(s <= m.start() < e for s, e, _ in found):
            found.append((m.start(), m.end(), "bank_card"))
    for pattern, kind in (
        (rp._PHONE, "phone"),
        (rp._LANDLINE, "phone"),
        (rp._EMAIL, "email"),
        (rp._ADDRESS, "address"),
    ):
        found.extend((m.start(), m.end(), kind) for m in pattern.finditer(text))
    return sorted(found)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_personal_data_shortcuts_change_nothing(text: str) -> None:
    norm = analyze(text).text
    assert rp.find_personal_data(norm) == _personal_data_reference(norm)


def test_personal_data_found_past_the_shortcuts() -> None:
    # each kind the shortcuts gate still comes through
    kinds = {k for _, _, k in rp.find_personal_data("电话13812345678,邮箱zhang.san@qq.com")}
    assert kinds == {"phone", "email"}
    assert [k for _, _, k in rp.find_personal_data("座机0755-1234567")] == ["phone"]
    assert [k for _, _, k in rp.find_personal_data("寄到中山路88号3栋")] == ["address"]
    assert rp.find_personal_data("已为您补发,3天内送达") == []


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _bigrams_reference(review: str, generic: frozenset[str]) -> frozenset[str]:
    """Every overlapping CJK bigram of the review without a function character, minus
    ``generic``: the definition review_bigrams implements."""
    out = set()
    for m in _CJK_RUN.finditer(review):
        run = m.group()
        for i in range(len(run) - 1):
            b = run[i : i + 2]
            if b not in generic and rc._BIGRAM_STOP.isdisjoint(b):
                out.add(b)
    return frozenset(out)


@settings(max_examples=300, deadline=None)
@given(review=texts)
def test_review_bigrams_match_their_definition(review: str) -> None:
    ctx = ReplyContext(reply=analyze("谢谢"), review=analyze(review))
    norm = ctx.review.text  # type: ignore[union-attr]
    assert rc.review_bigrams(ctx) == _bigrams_reference(norm, rc._generic_bigrams())
    assert rc.review_bigrams(ctx, praise=False) == _bigrams_reference(norm, rc._common_bigrams())


def _content_residual_reference(ctx: ReplyContext, lists: tuple[str, ...]) -> tuple[int, int]:
    """content_residual as a character-by-character count over bitmaps."""
    a = ctx.reply
    text = a.text
    covered = bytearray(len(text))
    for s, e in rc.blamed_sentences(ctx):
        covered[s:e] = b"\x01" * (e - s)
    skip_blame = bytes(covered)
    for h in a.hits_of(*lists):
        covered[h.start : h.end] = b"\x01" * (h.end - h.start)
    content = residual = 0
    for i, ch in enumerate(text):
        if skip_blame[i] or ch in rc._STOP_CHARS:
            continue
        if not ("\u4e00" <= ch <= "\u9fff" or "a" <= ch <= "z" or "0" <= ch <= "9"):
            continue
        content += 1
        if not covered[i] and not ctx.in_placeholder(i, i + 1):
            residual += 1
    return content, residual


REPLY_PIECES = [
    "感谢您的支持", "非常抱歉给您带来不便", "我们会努力改进", "物流属于第三方,我们无法控制。",
    "{name}", "【客户名】", "${eta}", "已收到", "谢谢", "的", "了", "您", "ab", "Z9", "。", ",", "\n",
]  # fmt: skip
replies = st.lists(st.one_of(st.text(max_size=6), st.sampled_from(REPLY_PIECES)), max_size=14).map(
    "".join
)


@settings(max_examples=300, deadline=None)
@given(reply=replies)
def test_content_residual_matches_a_character_count(reply: str) -> None:
    from csstandards.rules.reply_content import _ACK_COVER, _TEMPLATE_COVER

    a = analyze(reply)
    ctx = ReplyContext(reply=a, placeholders=rc.find_placeholder_ranges(a.text))
    for lists in (tuple(_ACK_COVER), tuple(_TEMPLATE_COVER)):
        assert rc.content_residual(ctx, lists) == _content_residual_reference(ctx, lists)


@settings(max_examples=300, deadline=None)
@given(
    runs=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)), max_size=8),
    cover=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10)), max_size=8),
)
def test_uncovered_counts_like_a_bitmap(
    runs: list[tuple[int, int]], cover: list[tuple[int, int]]
) -> None:
    from csstandards._intervals import merge_intervals, uncovered

    # disjoint runs, as the function requires
    taken: set[int] = set()
    disjoint = []
    for s, n in runs:
        span = set(range(s, s + n))
        if not span & taken:
            taken |= span
            disjoint.append((s, s + n))
    covered = {i for s, n in cover for i in range(s, s + n)}
    pairs = [(s, s + n) for s, n in cover]
    assert uncovered(disjoint, *merge_intervals(pairs)) == len(taken - covered)
