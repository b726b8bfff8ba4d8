from __future__ import annotations

import random
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csstandards.errors import InputError, LexiconError
from csstandards.lexicon import Lexicon
from csstandards.text import (
    PhraseMatcher,
    analyze,
    normalize,
    normalize_phrase,
    segment,
    tokenize,
)

PHRASES = [
    "第三方",
    "不归我们管",
    "物流",
    "快递",
    "补发",
    "破损",
    "ABC",
    "100%满意",
    "已收到",
    "😀",
]
MATCHER: PhraseMatcher[str] = PhraseMatcher((p, p) for p in PHRASES)

# Any Unicode text except lone surrogates (which cannot be encoded): letters, marks, emoji …
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
# Text built from phrases plus noise, so that matches actually happen.
mixed = st.lists(
    st.sampled_from(PHRASES)
    | st.sampled_from(["，", " ", "\u3000", "！", "Ａ", "\u0301", "…"])
    | texts,
    max_size=12,
).map("".join)


def test_fullwidth_case_and_whitespace_fold() -> None:
    nt = normalize("ＡＢＣ，您好！ 已 收到\u3000")
    assert nt.text == "abc,您好!已收到"
    assert normalize_phrase("已收到") in nt.text


def test_variant_quotes_fold_and_newlines_stay() -> None:
    assert normalize("“快”「慢」").text == '"快""慢"'
    assert normalize("第一句\n第二句").text == "第一句\n第二句"


def test_span_maps_back_to_original() -> None:
    original = "  物 流  太慢，ＡＢＣ！"
    nt = normalize(original)
    i = nt.text.index("物流")
    span = nt.span(i, i + 2)
    assert original[span.start : span.end] == "物 流"
    j = nt.text.index("abc")
    assert nt.span(j, j + 3).of(original) == "ＡＢＣ"


def test_expanding_characters_map_to_their_source() -> None:
    original = "好…㈱"
    nt = normalize(original)
    assert nt.text == "好...(株)"
    assert nt.span(1, 4).of(original) == "…"
    assert nt.span(4, 7).of(original) == "㈱"


def test_normalize_rejects_non_strings() -> None:
    with pytest.raises(InputError, match="str"):
        normalize(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        analyze(None)  # type: ignore[arg-type]


def test_matcher_reports_every_overlapping_match() -> None:
    m: PhraseMatcher[int] = PhraseMatcher([("物流", 1), ("物流慢", 2), ("流", 3)])
    hits = [(h.start, h.end, h.payloads) for h in m.find("物流慢")]
    assert hits == [(0, 3, (2,)), (0, 2, (1,)), (1, 2, (3,))]


def test_matcher_phrases_are_literals_not_patterns() -> None:
    m: PhraseMatcher[str] = PhraseMatcher([(".*", "dot-star"), ("[a-z]+", "class"), ("a|b", "alt")])
    assert m.find("abc") == []
    assert [h.phrase for h in m.find("x.*y[a-z]+a|b")] == [".*", "[a-z]+", "a|b"]


def test_matcher_rejects_empty_phrases() -> None:
    with pytest.raises(LexiconError, match="empty"):
        PhraseMatcher([("  ", 1)])


def test_user_dictionary_keeps_domain_terms_whole() -> None:
    words = segment("已为您补发,退款三天内到账,差评我们很重视,客服会联系物流")
    for term in ("补发", "退款", "差评", "客服", "物流"):
        assert term in words


def test_tokens_cover_the_normalised_text() -> None:
    nt = normalize("物流太慢了！！包装也破损了 😡")
    toks = tokenize(nt)
    assert "".join(t.text for t in toks) == nt.text
    assert all(nt.text[t.start : t.end] == t.text for t in toks)


def test_analysis_shares_one_segmentation_and_lexicon_scan() -> None:
    a = analyze("物流属于第三方,我们无法控制。已为您补发!")
    assert a.tokens is a.tokens
    assert a.has("blame_shifting")
    hit = a.hits_of("blame_shifting")[0]
    assert a.hit_span(hit).of(a.original) == hit.phrase
    assert [c.text for c in a.sentences] == ["物流属于第三方,我们无法控制", "已为您补发"]
    assert a.clause_at(0) is not None and a.clause_at(0).text == "物流属于第三方"  # type: ignore[union-attr]


def test_quotes_and_negation_helpers() -> None:
    a = analyze("您说“物流属于第三方”,这不是第三方负责")
    quoted = a.hits_of("blame_shifting")[0]
    assert a.in_quote(quoted.start, quoted.end)
    neg = next(h for h in a.hits_of("blame_shifting") if h.phrase == "第三方负责")
    assert a.preceded_by(neg.start, ["negators"], window=3) is not None


def test_numbers_do_not_split_clauses() -> None:
    a = analyze("预计3.5天到账,请留意")
    assert [c.text for c in a.clauses] == ["预计3.5天到账", "请留意"]


def test_lexicon_extension_is_literal_and_new() -> None:
    base = Lexicon.default()
    ext = base.extend({"blame_shifting": ["合作方的锅"], "custom": ["(a+)+$"]})
    assert ext is not base and "合作方的锅" not in base.phrases("blame_shifting")
    a = analyze("这是合作方的锅 (a+)+$", ext)
    assert a.has("custom") and a.has("blame_shifting")
    with pytest.raises(LexiconError):
        base.extend({"x": "not a list"})


def test_segmentation_is_thread_safe_and_deterministic() -> None:
    text = "东西不错就是物流太慢,客服态度也一般,希望改进"
    expected = segment(text)
    results: list[list[str]] = []

    def work() -> None:
        for _ in range(20):
            results.append(segment(text))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed)
def test_spans_index_the_original(text: str) -> None:
    nt = normalize(text)
    for m in MATCHER.find(nt):
        span = nt.span(m.start, m.end)
        assert 0 <= span.start <= span.end <= len(text)
        assert normalize_phrase(text[span.start : span.end]) == m.phrase


@settings(max_examples=150, deadline=None)
@given(texts)
def test_pipeline_never_raises_and_is_deterministic(text: str) -> None:
    a1, a2 = analyze(text), analyze(text)
    assert a1.text == a2.text
    assert a1.tokens == a2.tokens
    assert a1.hits == a2.hits
    assert "".join(t.text for t in a1.tokens) == a1.text
    for c in a1.clauses:
        span = a1.span(c.start, c.end)
        assert 0 <= span.start <= span.end <= len(text)


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(), max_size=50))
def test_lone_surrogates_do_not_crash(text: str) -> None:
    a = analyze(text)
    a.hits  # noqa: B018 - evaluate the lazy scan
    assert len(a.tokens) >= 0


def test_one_megabyte_of_random_unicode() -> None:
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x20, 0x2FFF)] + [
        "😀",
        "👍🏽",
        "\u0301",
        "物流",
        "第三方",
        " ",
    ]
    text = "".join(rng.choice(alphabet) for _ in range(1_000_000))[:1_000_000]
    nt = normalize(text)
    hits = MATCHER.find(nt)
    assert hits, "phrases were planted"
    for m in hits[:200]:
        assert normalize_phrase(nt.span(m.start, m.end).of(text)) == m.phrase
    toks = tokenize(nt)
    assert "".join(t.text for t in toks) == nt.text


def test_matcher_does_not_report_phantom_matches_at_the_end() -> None:
    m: PhraseMatcher[str] = PhraseMatcher([("解决", "short"), ("解决方案", "long")])
    hits = [(h.start, h.end, h.phrase) for h in m.find("已经帮您解决")]
    assert hits == [(4, 6, "解决")]
    for h in m.find("解决方案和解决"):
        assert h.end <= len("解决方案和解决")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([*PHRASES, "a", "aa", "物流慢", "快", ":)", "…"]),
        min_size=1,
        max_size=10,
        unique=True,
    ),
    mixed,
)
def test_matcher_finds_exactly_the_brute_force_matches(phrases: list[str], text: str) -> None:
    entries = [(p, i) for i, p in enumerate(phrases)]
    norm = normalize(text).text
    table: dict[str, list[int]] = {}
    for p, i in entries:
        table.setdefault(normalize_phrase(p), []).append(i)
    oracle = {
        (s, s + len(p), p, tuple(pl))
        for p, pl in table.items()
        for s in range(len(norm))
        if norm.startswith(p, s)
    }
    found = [(m.start, m.end, m.phrase, m.payloads) for m in PhraseMatcher(entries).find(norm)]
    assert set(found) == oracle and len(found) == len(oracle)
    assert found == sorted(found, key=lambda h: (h[0], -h[1]))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once
    assert normalize_phrase(text) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="好差1.。,，!?;:、~\n 3a", max_size=40) | st.text(max_size=40))
def test_fast_break_finders_equal_the_published_patterns(text: str) -> None:
    """Without a "." in the text the punctuation class alone is used: same breaks."""
    from csstandards.text.analysis import (
        CLAUSE_BREAK,
        SENTENCE_BREAK,
        clause_breaks,
        sentence_breaks,
    )

    assert [m.span() for m in clause_breaks(text)] == [
        m.span() for m in CLAUSE_BREAK.finditer(text)
    ]
    assert [m.span() for m in sentence_breaks(text)] == [
        m.span() for m in SENTENCE_BREAK.finditer(text)
    ]


@pytest.mark.parametrize("text", ["\ud800溳", "這是\udfff供應商", "\ud800軟體"])
def test_traditional_text_with_a_lone_surrogate_converts(text: str) -> None:
    # hypothesis found OpenCC (UTF-8 only) raising on a lone surrogate beside a Traditional
    # character; the surrogate stays in place and the rest is converted
    once = normalize(text).text
    assert normalize(once).text == once
    assert [i for i, ch in enumerate(once) if "\ud800" <= ch <= "\udfff"] == [
        i for i, ch in enumerate(text) if "\ud800" <= ch <= "\udfff"
    ]
    assert once != text  # the Traditional characters were converted
