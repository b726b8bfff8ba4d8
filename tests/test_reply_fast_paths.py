"""The reply checker's shortcuts agree with the plain definitions they stand in for.

Each shortcut skips work that cannot change the answer (a pattern that cannot match, a
bigram that cannot be specific); these properties hold it equal to the definition on
arbitrary text mixed with the characters the definitions react to.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards.rules import reply_common as rc
from csstandards.rules import reply_phrases as rp
from csstandards.rules import reply_structure as rs
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


_SCANS = [
    (rc._TIME_SCAN, rc._TIME),
    (rs._SYSTEMIC_SCAN, rs._SYSTEMIC),
]


def _words_of(pattern: re.Pattern[str]) -> list[str]:
    """The literal runs of a pattern's source: the words its alternatives are made of."""
    return [w for w in re.split(r"[^\u4e00-\u9fff]+", pattern.pattern) if w]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_first_character_scans_find_what_finditer_finds(data: st.DataObject) -> None:
    for scan, pattern in _SCANS:
        alphabet = sorted(set(pattern.pattern) | set("0123456789,。!?您你的"))
        text = data.draw(
            st.lists(
                st.one_of(
                    st.text(alphabet=alphabet, max_size=4),
                    st.sampled_from(_words_of(pattern)),
                    st.text(max_size=3),
                ),
                max_size=12,
            ).map("".join)
        )
        assert [m.span() for m in scan.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def _sre_modules() -> tuple[Any, Any]:
    """The regex parser and its constants (``re._parser`` from Python 3.11, ``sre_parse``
    before)."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_constants as _constants
        import sre_parse as _parser
    return _parser, _constants


def _first_chars(items: object) -> tuple[set[str], bool]:
    """What a parsed (sub)pattern can begin with: ``(characters, can_match_empty)``.  Ranges
    are listed in full; ``\\d`` stands for the digit category.  Raises on constructs the
    patterns here do not use (so a new one cannot pass unexamined)."""
    c = _sre_modules()[1]

    out: set[str] = set()
    for op, av in items:  # type: ignore[attr-defined]
        if op is c.LITERAL:
            return out | {chr(av)}, False
        if op is c.IN:
            for iop, iav in av:
                if iop is c.LITERAL:
                    out.add(chr(iav))
                elif iop is c.RANGE:
                    out.update(chr(x) for x in range(iav[0], iav[1] + 1))
                elif iop is c.CATEGORY and iav is c.CATEGORY_DIGIT:
                    out.add("\\d")
                else:
                    raise AssertionError(f"unexpected set item {iop}")
            return out, False
        if op is c.BRANCH:
            nullable = False
            for branch in av[1]:
                chars, empty = _first_chars(branch)
                out |= chars
                nullable = nullable or empty
            if not nullable:
                return out, False
        elif op is c.SUBPATTERN:
            chars, empty = _first_chars(av[3])
            out |= chars
            if not empty:
                return out, False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            chars, empty = _first_chars(av[2])
            out |= chars
            if av[0] > 0 and not empty:
                return out, False
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue  # zero width: the next item supplies the first character
        else:
            raise AssertionError(f"unexpected pattern item {op}")
    return out, True


def test_first_character_sets_cover_every_possible_first_character() -> None:
    _parser = _sre_modules()[0]
    for scan, pattern in _SCANS:
        chars, empty = _first_chars(_parser.parse(pattern.pattern))
        assert not empty
        missing = {
            ch
            for ch in chars
            if not (scan.first.match(ch) if ch != "\\d" else "\\d" in scan.first.pattern)
        }
        assert not missing, (pattern.pattern[:20], missing)
