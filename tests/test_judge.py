"""The judgement layer: cue patterns over word classes, and the scope of a cue (negation,
quotation, question, condition), with the properties the negative speech-act rules keep."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards.config import config_from_mapping
from csstandards.errors import ConfigError, LexiconError
from csstandards.judge.patterns import compile_patterns, pattern_regex, shipped_classes
from csstandards.judge.scope import scope_of
from csstandards.lexicon import phrase_lists
from csstandards.standard import Standard
from csstandards.text.analysis import analyze
from csstandards.text.normalize import normalize_phrase
from csstandards.tone import check_reply

CLASSES = {"party": ["快递", "快递员", "物流"], "fault": ["问题", "原因"]}


def spans(patterns: list[str], text: str) -> list[str]:
    return [text[s:e] for s, e, _ in compile_patterns(patterns, CLASSES).finditer(text)]


def test_a_class_slot_reads_any_word_of_the_class_longest_first() -> None:
    assert spans(["{party}的{fault}"], "是快递员的问题,不是物流的原因") == [
        "快递员的问题",
        "物流的原因",
    ]


def test_inline_alternatives_optional_slots_and_gaps() -> None:
    assert spans(["请{您?}联系{party}"], "请联系快递,请您联系物流") == [
        "请联系快递",
        "请您联系物流",
    ]
    assert spans(["因{party}…4导致"], "因物流中转导致延误") == ["因物流中转导致"]
    # a gap stays inside its clause and within its length
    assert spans(["因{party}…4导致"], "因物流,导致") == []
    assert spans(["因{party}…2导致"], "因物流中转站导致") == []
    assert spans(["{与|和}{party}无关"], "和快递无关") == ["和快递无关"]


def test_the_compiled_regex_is_plain_re() -> None:
    rx = re.compile(pattern_regex("{party}的{fault}", CLASSES))
    assert rx.fullmatch("快递的原因") and not rx.fullmatch("我们的问题")


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{nosuchclass}的问题", "no word class"),
        ("{party", "unbalanced"),
        ("…3{party}", "cannot start with a gap"),
        ("{您?}", "empty string"),
        ("{party|}的", "empty alternative"),
    ],
)
def test_a_bad_pattern_is_a_lexicon_error_naming_it(pattern: str, problem: str) -> None:
    with pytest.raises(LexiconError, match=problem):
        compile_patterns([pattern], CLASSES)


def test_shipped_classes_and_patterns_compile() -> None:
    classes = shipped_classes()
    assert {"party", "self", "fault", "refuse", "remedy"} <= set(classes)
    for name, pl in phrase_lists().items():
        if pl.patterns or pl.exceptions:
            compile_patterns([*pl.patterns, *pl.exceptions], classes)  # raises if malformed
            assert pl.scope, f"{name}: a list with patterns declares its scope"


@pytest.mark.parametrize(
    ("text", "cue", "scope"),
    [
        ("这不是快递的问题", "快递的问题", "negation"),
        ("这并不是您操作不当", "是您操作", "negation"),
        ("您说“物流属于第三方”让您很失望", "物流属于第三方", "quotation"),
        ("请问是快递的问题吗?", "快递的问题", "question"),
        ("是快递的问题吗", "快递的问题", "question"),
        ("如果是快递的问题,我们来赔", "快递的问题", "conditional"),
        ("这是快递的问题", "快递的问题", None),
        ("不好意思不能退款", "不能退款", None),  # the 不 of 不好意思 negates nothing
        ("如果您不满意,我们无法退款", "无法退款", None),  # the condition is another clause
    ],
)
def test_scope_of_a_cue(text: str, cue: str, scope: str | None) -> None:
    a = analyze(text)
    s = a.text.index(cue)
    got = scope_of(a, s, s + len(cue), ["negation", "quotation", "question", "conditional"])
    assert got == scope


# -- properties: negating or quoting a cue never adds a finding of its rule ---------------

#: (rule, cue sentence, the same cue negated)
NEGATED = [
    ("reply.blame-shifting", "这是快递的问题", "这不是快递的问题"),
    ("reply.blame-shifting", "与我们无关", "并非与我们无关"),
    ("reply.blame-shifting", "因暴雨导致延误", "不是因暴雨导致延误"),
    ("reply.blame-shifting", "是骑手送餐时颠簸导致的", "不是骑手送餐时颠簸导致的"),
    ("reply.defensive", "是您自己操作不当", "并不是您自己操作不当"),
    ("reply.defensive", "您没有仔细看说明", "不是您没有仔细看说明"),
    ("reply.missing-reason", "无法为您退款", "并非无法为您退款"),
    ("reply.missing-reason", "不保修", "并非不保修"),
]
QUOTABLE = [(rule, cue) for rule, cue, _ in NEGATED] + [
    ("reply.deflect-to-manual", "请参考说明书第5页"),
    ("reply.blame-shifting", "物流属于第三方"),
]
_QUOTES = set("\"'《》")  # after normalisation (“ ” 「 」 « » … fold to these)
_FILLER = [
    "抱歉", "已为您补发", "明天", "快递", "破损", "谢谢", "期待", "。", ",", "\n", "我们", "您",
    "导致", "原因", "问题", "无关", "吗", "如果", "不", "?",
]  # fmt: skip
_text = st.lists(
    st.one_of(
        st.text(max_size=6).filter(lambda t: not (_QUOTES & set(normalize_phrase(t)))),
        st.sampled_from(_FILLER),
    ),
    max_size=8,
).map("".join)


def _count(rule: str, reply: str, review: str | None) -> int:
    return sum(f.rule_id == rule for f in check_reply(reply, review=review, stars=2).findings)


@settings(max_examples=60, deadline=None)
@given(head=_text, tail=_text, review=st.one_of(st.none(), _text), which=st.sampled_from(NEGATED))
def test_negating_a_cue_never_adds_a_finding_of_its_rule(
    head: str, tail: str, review: str | None, which: tuple[str, str, str]
) -> None:
    rule, cue, negated = which
    base = _count(rule, f"{head}。{tail}", review)
    assert _count(rule, f"{head}。{negated}。{tail}", review) <= base
    assert _count(rule, f"{head}。{cue}。{tail}", review) >= base


@settings(max_examples=60, deadline=None)
@given(head=_text, tail=_text, review=st.one_of(st.none(), _text), which=st.sampled_from(QUOTABLE))
def test_quoting_a_cue_never_adds_a_finding_of_its_rule(
    head: str, tail: str, review: str | None, which: tuple[str, str]
) -> None:
    rule, cue = which
    base = _count(rule, f"{head}。{tail}", review)
    assert _count(rule, f"{head}。您说之前客服回复“{cue}”。{tail}", review) <= base


@pytest.mark.parametrize(("rule", "cue", "negated"), NEGATED)
def test_each_cue_fires_and_its_negation_does_not(rule: str, cue: str, negated: str) -> None:
    assert _count(rule, cue + "。", "收到的东西坏了") >= 1
    assert _count(rule, negated + "。", "收到的东西坏了") == 0


@pytest.mark.parametrize(
    ("reply", "rule"),
    [
        ("我们没法控制街道上的噪音。", "reply.blame-shifting"),
        ("因天气导致配送延迟。", "reply.blame-shifting"),
        ("窗外的施工噪音跟酒店无关。", "reply.blame-shifting"),
        ("可能是亲的口味比较重呢。", "reply.defensive"),
        ("酒店空调符合行业标准。", "reply.defensive"),
        ("这台不保修。", "reply.missing-reason"),
        ("积分规则详见会员协议。", "reply.deflect-to-manual"),
    ],
)
def test_the_paraphrases_of_issue_16_are_read_by_their_class(reply: str, rule: str) -> None:
    assert _count(rule, reply, "不满意") >= 1


def test_the_customers_own_things_are_not_blamed() -> None:
    assert _count("reply.defensive", "可能是亲的订单还在路上,已为您催促。", "没收到") == 0


# -- a company's own classes, patterns and exceptions (Standard / [tool.csstandards]) --------
def _codes(reply: str, std: Standard | None = None, review: str = "外卖洒了") -> list[str]:
    return [f.rule_id for f in check_reply(reply, review=review, stars=2, standard=std).findings]


def test_a_word_added_to_a_shipped_class_reaches_every_pattern_that_uses_it() -> None:
    reply = "这单是跑腿小哥的问题,麻烦您谅解。"
    assert "reply.blame-shifting" not in _codes(reply)
    std = Standard(classes={"party": ["跑腿小哥"]})
    assert "reply.blame-shifting" in _codes(reply, std)
    # and the shipped scope still holds for it: negated, it is not blame
    assert "reply.blame-shifting" not in _codes("这不是跑腿小哥的问题,是我们出餐慢了。", std)


def test_a_company_pattern_over_its_own_class_extends_a_cue_list() -> None:
    reply = "我方无权受理。"
    assert "reply.missing-reason" not in _codes(reply)
    std = Standard(
        classes={"us": ["我方", "我们", "本店"]},
        patterns={"refusal": ["{us}无权{处理|受理}"]},
    )
    assert "reply.missing-reason" in _codes(reply, std)
    assert "reply.missing-reason" in _codes("本店无权处理。", std)
    # the default standard is untouched (caches are keyed by content, not shared wrongly)
    assert _codes(reply) == _codes(reply, Standard())


def test_a_company_exception_takes_a_cue_out() -> None:
    reply = "已为您查询延误的物流原因:包裹在中转站滞留,已为您补发。"
    assert "reply.blame-shifting" in _codes(reply)
    std = Standard(exceptions={"blame_shifting": ["查询…原因"]})
    assert "reply.blame-shifting" not in _codes(reply, std)
    assert "reply.blame-shifting" in _codes("是物流原因,我们也没办法。", std)


@pytest.mark.parametrize(
    ("kwargs", "key", "problem"),
    [
        (
            {"patterns": {"blame_shifting": ["{nope}的锅"]}},
            "patterns.blame_shifting",
            "no word class 'nope'",
        ),
        ({"patterns": {"no_such_list": ["x"]}}, "patterns.no_such_list", "no phrase list"),
        ({"patterns": {"empathy": ["理解您"]}}, "patterns.empathy", "cue lists"),
        ({"exceptions": {"refusal": ["{"]}}, "exceptions.refusal", "unbalanced"),
        ({"classes": {"第三方": ["x"]}}, "classes.第三方", "ASCII identifier"),
        ({"classes": {"party": [" "]}}, "classes.party", "non-blank"),
    ],
)
def test_a_bad_company_cue_is_an_error_where_the_standard_is_made(
    kwargs: dict[str, dict[str, list[str]]], key: str, problem: str
) -> None:
    with pytest.raises(LexiconError) as exc:
        Standard(**kwargs)  # type: ignore[arg-type]
    assert exc.value.key == key
    assert problem in exc.value.problem


def test_company_cues_from_the_configuration_file() -> None:
    cfg = config_from_mapping(
        {
            "classes": {"party": ["跑腿小哥"]},
            "patterns": {"blame_shifting": ["{party}{那边|方面?}的{问题|原因}"]},
        },
        source="pyproject.toml",
        prefix="tool.csstandards.",
    )
    assert "reply.blame-shifting" in _codes("是跑腿小哥那边的原因。", cfg.standard)
    with pytest.raises(ConfigError) as exc:
        config_from_mapping(
            {"patterns": {"refusal": ["{nope}"]}},
            source="pyproject.toml",
            prefix="tool.csstandards.",
        )
    assert "tool.csstandards.patterns.refusal" in str(exc.value)
    assert "nope" in str(exc.value)
