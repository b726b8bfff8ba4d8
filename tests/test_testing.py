"""csstandards.testing: assertions, caret rendering, placeholders and sample values."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards import testing
from csstandards.errors import InputError, RuleNotFound
from csstandards.models import Rating, Severity, Span
from csstandards.standard import RuleSettings, Standard
from csstandards.testing import (
    ReplyChecker,
    assert_reply_flags,
    assert_reply_ok,
    check_template,
    coerce_rating,
    coerce_severity,
    find_template_placeholders,
    format_findings,
    render_underline,
    substitute,
    text_width,
)

GOOD_NEGATIVE = (
    "非常抱歉让您久等了,这是我们的疏漏。已为您补发,预计明天下午送达,我们已加强出库复核。"
)
REVIEW = "等了一周还没到"
BLAME = "物流属于第三方,我们无法控制。"

STYLES: dict[str, Callable[[str], str]] = {
    "{name}": lambda n: "{" + n + "}",
    "{{name}}": lambda n: "{{" + n + "}}",
    "${name}": lambda n: "${" + n + "}",
    "【name】": lambda n: "【" + n + "】",
}

# (inner text, the rule that flags it when it is NOT a placeholder)
PLACEHOLDER_CASES = [
    ("SKU", "reply.jargon"),
    ("13812345678", "reply.privacy-leak"),
    ("北京市朝阳区建国路88号3栋1201室", "reply.privacy-leak"),
    ("第三方物流", "reply.blame-shifting"),
]


# -- placeholders --------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("inner", "rule_id"), PLACEHOLDER_CASES)
def test_placeholders_are_not_flagged_in_any_style(style: str, inner: str, rule_id: str) -> None:
    bare = f"已为您核对{inner},我们马上处理。"
    templ = f"已为您核对{STYLES[style](inner)},我们马上处理。"
    # control: the same words outside a placeholder are flagged ...
    flagged = assert_reply_flags(bare, rule_id)
    assert flagged and all(
        inner in s.of(bare) or s.of(bare) in inner for f in flagged for s in f.spans
    )
    # ... and inside a placeholder they are not
    res = assert_reply_ok(templ)
    assert not [f for f in res.findings if f.rule_id == rule_id]


@pytest.mark.parametrize("eta", ["{eta}", "{{eta}}", "${eta}", "【送达时间】"])
def test_time_placeholder_counts_as_a_concrete_time(eta: str) -> None:
    text = f"非常抱歉让您久等了,这是我们的疏漏。已为您补发,预计{eta}送达,我们已加强出库复核。"
    assert_reply_ok(text, review=REVIEW, rating="negative")
    vague = text.replace(eta, "尽快")
    assert_reply_flags(vague, "reply.missing-eta", review=REVIEW, rating="negative")


@pytest.mark.parametrize("style", STYLES)
def test_find_template_placeholders_names(style: str) -> None:
    text = f"您好{STYLES[style]('order_id')},欢迎"
    (ph,) = find_template_placeholders(text)
    assert ph.name == "order_id"
    assert ph.span.of(text) == STYLES[style]("order_id")


def test_samples_fill_placeholders_and_findings_map_back_to_the_template() -> None:
    text = "已按您留的电话{phone}联系您,预计{eta}到。"
    res = check_template(text, samples={"phone": "13812345678", "eta": "明天"})
    assert res.checked == "已按您留的电话13812345678联系您,预计明天到。"
    (leak,) = [f for f in res.findings if f.rule_id == "reply.privacy-leak"]
    # the span points at the placeholder in the template, not into the filled text
    assert [s.of(text) for s in leak.spans] == ["{phone}"]
    # without the sample the placeholder is not personal data
    assert not [f for f in check_template(text).findings if f.rule_id == "reply.privacy-leak"]


def test_substitute_keeps_unfilled_and_maps_offsets() -> None:
    text = "{{name}}您好,${eta}送达,【客户名】"
    sub = substitute(text, {"name": "王女士", "eta": "明天"})
    assert sub.text == "王女士您好,明天送达,【客户名】"
    assert sub.filled == ("name", "eta")
    assert sub.unfilled == ("客户名",)
    assert sub.to_template(Span(start=0, end=3)).of(text) == "{{name}}"
    i = sub.text.index("送达")
    assert sub.to_template(Span(start=i, end=i + 2)).of(text) == "送达"
    with pytest.raises(InputError):
        substitute("{x}", {"x": 5})  # type: ignore[dict-item]


@settings(max_examples=150, deadline=None)
@given(
    before=st.text(alphabet="您好亲abc,。 ", max_size=8),
    value=st.text(alphabet="明天18点前xyz", min_size=1, max_size=6),
    after=st.text(alphabet="送达谢谢!", max_size=8),
)
def test_substitution_offsets_round_trip(before: str, value: str, after: str) -> None:
    text = f"{before}{{eta}}{after}"
    sub = substitute(text, {"eta": value})
    assert sub.text == before + value + after
    assert len(sub.origin) == len(sub.text)
    for i, ch in enumerate(sub.text):
        s = sub.to_template(Span(start=i, end=i + 1))
        if i < len(before) or i >= len(before) + len(value):
            assert s.of(text) == ch
        else:
            assert s.of(text) == "{eta}"


# -- assertions ----------------------------------------------------------------------------


def test_assert_reply_ok_passes_a_good_reply_and_returns_the_result() -> None:
    res = assert_reply_ok(GOOD_NEGATIVE, review=REVIEW, rating=Rating.NEGATIVE, min_score=90)
    assert res.findings == ()
    assert res.score is not None and res.score >= 90


def test_assert_reply_ok_message_shows_carets_clause_and_suggestion() -> None:
    with pytest.raises(AssertionError) as exc:
        assert_reply_ok(BLAME, review="物流太慢", rating="差评")
    msg = str(exc.value)
    assert "R103 reply.blame-shifting" in msg
    assert "000 §2.2" in msg
    assert "建议:" in msg and "suggestion:" in msg
    lines = msg.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("R103 reply.blame-shifting"))
    row = next(i for i, ln in enumerate(lines) if i > head and ln.endswith(f"| {BLAME}"))
    carets = lines[row + 1]
    bar = carets.index("|") + 2
    start = BLAME.index("属于第三方")
    assert carets[bar:].index("^") == text_width(BLAME[:start])
    assert carets[bar:].count("^") >= text_width("属于第三方")


def test_allow_and_fail_on() -> None:
    text = "非常抱歉,我们保证以后永远不会再出现这种问题!已为您补发,预计明天送达,已加强出库复核。"
    with pytest.raises(AssertionError, match=r"reply\.over-promise"):
        assert_reply_ok(text, review="又发错货了", rating="negative")
    assert_reply_ok(text, review="又发错货了", rating="negative", allow=["R110"])
    assert_reply_ok(text, review="又发错货了", rating="negative", fail_on="error")
    with pytest.raises(RuleNotFound):
        assert_reply_ok(text, allow=["no-such-rule"])


def test_min_score_failure_names_the_score() -> None:
    with pytest.raises(AssertionError, match=r"score \d+ < min_score 99"):
        assert_reply_ok(
            "亲,已为您补发,预计尽快送达。", review=REVIEW, rating="negative", min_score=99,
            fail_on="error",
        )  # fmt: skip


def test_assert_reply_flags_on_and_count() -> None:
    found = assert_reply_flags(BLAME, "R103", on="属于第三方")
    assert {f.rule_id for f in found} == {"reply.blame-shifting"}
    assert_reply_flags(BLAME, "blame-shifting", count=len(found))
    with pytest.raises(AssertionError, match="not '我们'"):
        assert_reply_flags(BLAME, "R103", on="我们")
    with pytest.raises(AssertionError, match="expected 9"):
        assert_reply_flags(BLAME, "R103", count=9)
    with pytest.raises(AssertionError, match="did not flag") as exc:
        assert_reply_flags(GOOD_NEGATIVE, "reply.blame-shifting", review=REVIEW, rating="negative")
    assert "(no findings)" in str(exc.value)
    with pytest.raises(RuleNotFound):
        assert_reply_flags(BLAME, "reply.no-such-rule")


def test_standard_is_honoured() -> None:
    std = Standard(rules=RuleSettings(disabled=frozenset({"reply.blame-shifting"})))
    assert not [f for f in check_template(BLAME, standard=std).findings if f.code == "R103"]
    std2 = Standard(rules=RuleSettings(severity={"R103": Severity.INFO}))
    sev = {f.severity for f in check_template(BLAME, standard=std2).findings if f.code == "R103"}
    assert sev == {Severity.INFO}


def test_reply_checker_binds_settings() -> None:
    checker = ReplyChecker(
        Standard(rules=RuleSettings(disabled=frozenset({"R103"}))), fail_on="warning"
    )
    assert "fail_on='warning'" in repr(checker)
    assert not [f for f in checker.check(BLAME).findings if f.code == "R103"]
    with pytest.raises(AssertionError, match="did not flag"):
        checker.assert_flags(BLAME, "R103")


def test_registry_fallback_engine_gives_the_same_phrase_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "亲,{第三方物流}已取件,物流属于第三方,电话13812345678。"
    with_tone = {(f.code, f.spans) for f in check_template(text).findings}
    monkeypatch.setattr(testing, "_tone_attr", lambda name: None)
    res = check_template(text)
    assert res.score is None and res.report is None
    fallback = {(f.code, f.spans) for f in res.findings}
    assert {c for c, _ in fallback} >= {"R103", "R112"}
    assert {x for x in fallback if x[0] in ("R103", "R112")} <= with_tone
    # the placeholder is protected in the fallback too
    ph = text.index("{")
    assert all(
        not (s.start >= ph and s.end <= text.index("}") + 1) for _, sp in fallback for s in sp
    )
    with pytest.raises(InputError, match="min_score needs"):
        assert_reply_ok(GOOD_NEGATIVE, min_score=50)


# -- rendering -----------------------------------------------------------------------------


def test_text_width_counts_wide_characters_twice() -> None:
    assert text_width("abc") == 3
    assert text_width("物流") == 4
    assert text_width("\uff0c\uff01") == 4  # full-width comma and exclamation mark
    assert text_width("e\u0301") == 1  # e + combining accent


def test_render_underline_multiline_and_empty_span() -> None:
    text = "第一行\n物流属于第三方\nend"
    i = text.index("属于")
    out = render_underline(text, [Span(start=i, end=i + 2)], prefix="")
    assert out == ["2 | 物流属于第三方", "  |     ^^^^"]
    out = render_underline(text, [Span(start=len(text), end=len(text))], prefix="")
    assert out[-1].rstrip().endswith("^")
    both = render_underline(text, [Span(start=1, end=6)], prefix="")
    assert [ln.split(" | ")[0].strip() for ln in both[::2]] == ["1", "2"]


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="ab 亲物流,。!Ａ１", min_size=1, max_size=20),
    data=st.data(),
)
def test_carets_sit_under_the_span(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    row, marks = render_underline(text, [Span(start=start, end=end)], prefix="")
    shown = row.split(" | ", 1)[1]
    under = marks.split(" | ", 1)[1] if " | " in marks else ""
    assert shown == text
    assert under == " " * text_width(text[:start]) + "^" * text_width(text[start:end])
    assert all(unicodedata.east_asian_width(c) in "WFNaHA" for c in text)


def test_format_findings_languages() -> None:
    res = check_template(BLAME)
    zh = format_findings(BLAME, res.findings, lang="zh")
    en = format_findings(BLAME, res.findings, lang="en")
    assert "建议" in zh and "suggestion" not in zh
    assert "suggestion" in en and "建议" not in en


def test_coercions() -> None:
    assert coerce_rating("差评") is Rating.NEGATIVE
    assert coerce_rating(5) is Rating.POSITIVE
    assert coerce_rating(" Neutral ") is Rating.NEUTRAL
    assert coerce_rating(None) is None
    assert coerce_severity("警告") is Severity.WARNING
    with pytest.raises(InputError):
        coerce_rating("great")
    with pytest.raises(InputError):
        coerce_severity("fatal")
    with pytest.raises(InputError):
        check_template(123)  # type: ignore[arg-type]
