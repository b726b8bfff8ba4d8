"""Feedback classification (002 二(二)2, 003 二(一)(二)): one example test per field and per
language phenomenon, plus the API contract (Analysis reuse, batch, settings, errors)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csstandards.errors import InputError, LexiconError
from csstandards.feedback import (
    EmotionLevel,
    FeedbackAssessment,
    FeedbackKind,
    FeedbackSettings,
    GroupDef,
    Hint,
    IssueSeverity,
    RootCause,
    Scope,
    TopicDef,
    Urgency,
    classify_feedback,
    classify_many,
    default_taxonomy,
    find_key_issues,
)
from csstandards.models import Channel, Priority, Rating
from csstandards.standard import Standard
from csstandards.text import analyze


def fb(text: str, **kw: object) -> FeedbackAssessment:
    return classify_feedback(text, **kw)  # type: ignore[arg-type]


def groups(fa: FeedbackAssessment, polarity: str = "negative") -> set[str]:
    return {k.group for k in fa.key_issues if k.polarity == polarity}


# ------------------------------------------------------------------------------- kind
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("质量很好，客服也很热情，下次还会来买。", FeedbackKind.PRAISE),
        ("挺好用的，建议增加夜间模式，晚上看着有点刺眼。", FeedbackKind.SUGGESTION),
        ("刚用三天就坏了，开不了机。", FeedbackKind.COMPLAINT),
        ("买到假货了，不处理我就打12315。", FeedbackKind.GRIEVANCE),
        ("再不退款我就找律师起诉你们。", FeedbackKind.GRIEVANCE),
        ("要求三倍赔偿，否则就去消协。", FeedbackKind.GRIEVANCE),
    ],
)
def test_kind(text: str, kind: FeedbackKind) -> None:
    fa = fb(text)
    assert fa.kind is kind
    assert fa.evidence_for("kind")


def test_cancelled_grievance_is_not_a_grievance() -> None:
    fa = fb("本来想投诉的，后来客服处理得很快，很满意。")
    assert fa.kind is FeedbackKind.PRAISE


def test_not_a_suggestion_when_warning_others() -> None:
    assert fb("质量太差了，不建议购买。").kind is FeedbackKind.COMPLAINT


# ------------------------------------------------------------------------------- rating and sentiment
def test_rating_and_sentiment_signs() -> None:
    pos, neg = fb("非常满意，强烈推荐！"), fb("太差了，非常失望。")
    assert pos.rating is Rating.POSITIVE and pos.sentiment > 0.3
    assert neg.rating is Rating.NEGATIVE and neg.sentiment < -0.3
    assert -1.0 <= neg.sentiment <= pos.sentiment <= 1.0


def test_neutral_wording_is_neutral() -> None:
    fa = fb("一般般吧，没什么特别的。")
    assert fa.rating is Rating.NEUTRAL


def test_no_opinion_is_neutral_with_evidence() -> None:
    fa = fb("收到了。")
    assert fa.rating is Rating.NEUTRAL and fa.sentiment == 0.0
    assert fa.evidence_for("sentiment")


# ------------------------------------------------------------------------------- negation
@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("不满意", Rating.NEGATIVE),
        ("不是很好", Rating.NEGATIVE),
        ("没有想象中差", Rating.POSITIVE),
        ("不得不说很好", Rating.POSITIVE),
        ("一点都不新鲜", Rating.NEGATIVE),
        ("袖口的线头没剪干净", Rating.NEGATIVE),  # 没 + verb + result complement
        ("师傅来了两次都没修好", Rating.NEGATIVE),
        ("没想到这么好用", Rating.POSITIVE),  # 没想到 is surprise, not negation of 好用
    ],
)
def test_negation(text: str, rating: Rating) -> None:
    assert fb(text).rating is rating


def test_negation_is_recorded_in_evidence() -> None:
    fa = fb("不是很好")
    assert any("否定" in e.note for e in fa.evidence_for("sentiment"))


def test_negated_issue_is_not_a_key_issue() -> None:
    assert "damaged" not in groups(fb("包装完好，没有破损，好评。"))
    assert "damaged" in groups(fb("包装破损了。"))


def test_rhetorical_bushi_ma_affirms() -> None:
    # 这不是强制消费吗? asserts 强制消费, it does not negate it
    assert fb("不办就不能办别的业务，这不是强制消费吗？").rating is Rating.NEGATIVE


# ------------------------------------------------------------------------------- degree
def test_degree_words_scale_the_score() -> None:
    strong, plain, weak = fb("非常慢"), fb("慢"), fb("有点慢")
    assert strong.sentiment < plain.sentiment < weak.sentiment < 0
    assert fb("非常满意").sentiment > fb("满意").sentiment > fb("稍微满意").sentiment > 0


def test_post_degree_complement() -> None:
    assert fb("慢死了").sentiment < fb("慢").sentiment


# ------------------------------------------------------------------------------- contrast
def test_contrast_goods_fine_logistics_slow_is_neutral_with_logistics_issue() -> None:
    fa = fb("东西不错就是物流太慢")
    assert fa.rating is Rating.NEUTRAL
    assert fa.kind is FeedbackKind.COMPLAINT
    assert "logistics_slow" in groups(fa)
    assert "logistics" in fa.topic_ids
    issue = next(k for k in fa.key_issues if k.group == "logistics_slow")
    assert issue.spans and all(s.of("东西不错就是物流太慢") for s in issue.spans)


def test_concession_then_but_favours_the_second_half() -> None:
    a = fb("虽然价格贵了点，但是质量真的很好")
    b = fb("虽然质量很好，但是价格太贵了")
    assert a.sentiment > b.sentiment
    assert a.rating is Rating.POSITIVE


# ------------------------------------------------------------------------------- rhetoric and sarcasm
def test_rhetorical_question() -> None:
    fa = fb("这也叫新品?")
    assert fa.rating is Rating.NEGATIVE and fa.kind is FeedbackKind.COMPLAINT


def test_positive_word_in_ironic_question_flips() -> None:
    fa = fb("这就是你们说的优质服务？")
    assert fa.rating is Rating.NEGATIVE
    assert any("反问" in e.note for e in fa.evidence_for("sentiment"))


def test_sarcasm_in_quotes() -> None:
    text = '真是太"快"了,一个星期才到'
    fa = fb(text)
    assert fa.rating is Rating.NEGATIVE
    assert "logistics_slow" in groups(fa)
    assert any("引号反语" in e.note for e in fa.evidence_for("sentiment"))
    # curly quotes are folded to the same form
    assert fb("真是太“快”了，一个星期才到").rating is Rating.NEGATIVE


def test_plain_quote_of_praise_is_not_sarcasm() -> None:
    assert fb('老板说"欢迎下次再来",服务很热情').rating is Rating.POSITIVE


# ------------------------------------------------------------------------------- emoji and width
def test_emoji_and_emoticons() -> None:
    assert fb("👍👍😊").rating is Rating.POSITIVE
    assert fb("😡😡👎").rating is Rating.NEGATIVE
    assert fb("收到了 :)").sentiment > 0 > fb("又没货了 :(").sentiment
    assert fb("😡😡").emotion.rank >= EmotionLevel.ANGRY.rank


def test_full_and_half_width_punctuation_agree() -> None:
    a = fb("太慢了！！！气死了！！！")
    b = fb("太慢了!!!气死了!!!")
    assert (a.rating, a.emotion, a.sentiment) == (b.rating, b.emotion, b.sentiment)
    assert fb("ＡＰＰ一直闪退").key_issues[0].group == "app_crash"


# ------------------------------------------------------------------------------- mixed long text
def test_mixed_topic_long_text() -> None:
    text = (
        "这次住了三晚，说说感受。位置很好，离地铁站很近，前台小姐姐也很热情。"
        "但是房间隔音太差了，隔壁说话听得一清二楚；卫生间还有股霉味，毛巾也不干净。"
        "退房的时候又多收了我八十块，找了半天才退回来。"
    )
    fa = fb(text)
    found = groups(fa)
    assert {"room_facility", "hygiene_poor", "billing_wrong"} <= found
    assert "attitude_good" in groups(fa, "positive")
    # a complaining text is about its problems: the praised reception stays a positive key
    # issue but is not one of the text's topics
    assert {"quality", "hygiene", "billing"} <= set(fa.topic_ids)
    assert "service_attitude" not in fa.topic_ids
    assert fa.rating is Rating.NEGATIVE
    for k in fa.key_issues:
        assert all(0 <= s.start < s.end <= len(text) for s in k.spans)


# ------------------------------------------------------------------------------- stars
def test_stars_disagreement_is_flagged() -> None:
    fa = fb("五星是给司机的，但是绕了远路还多收了钱，太坑了。", stars=5)
    assert fa.star_rating is Rating.POSITIVE and fa.stars == 5.0
    assert fa.rating is not Rating.POSITIVE
    assert fa.stars_disagree
    assert not fb("非常满意", stars=5).stars_disagree
    assert fb("非常满意", stars=1).stars_disagree
    assert fb("非常满意").star_rating is None


def test_bad_stars_raise_input_error() -> None:
    with pytest.raises(InputError):
        fb("好", stars=7)


# ------------------------------------------------------------------------------- emotion
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("物流有点慢。", EmotionLevel.CALM),
        ("等了一个星期还没到，真是无语。", EmotionLevel.ANNOYED),
        ("气死我了！！坏了也没人管！！", EmotionLevel.ANGRY),
        ("什么垃圾东西，妈的骗子！！！", EmotionLevel.FURIOUS),
    ],
)
def test_emotion(text: str, level: EmotionLevel) -> None:
    fa = fb(text)
    assert fa.emotion is level
    assert fa.evidence_for("emotion")


def test_happy_exclamations_are_calm() -> None:
    assert fb("太好吃了！！！").emotion is EmotionLevel.CALM


# ------------------------------------------------------------------------------- urgency
@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("包装破损了，明天要送礼，赶紧补发！", Urgency.HIGH),
        ("信用卡被盗刷了三笔，帮我冻结！", Urgency.HIGH),
        ("快递有点慢。", Urgency.NORMAL),
        ("物流太慢了，不过我不着急。", Urgency.LOW),
        ("很好用，五星好评。", Urgency.LOW),
    ],
)
def test_urgency(text: str, urgency: Urgency) -> None:
    assert fb(text).urgency is urgency


def test_public_channel_raises_urgency_of_a_complaint() -> None:
    text = "快递有点慢。"
    assert fb(text, channel=Channel.SOCIAL_MEDIA).urgency is Urgency.HIGH
    assert fb(text, channel="hotline").urgency is Urgency.NORMAL  # type: ignore[arg-type]
    with pytest.raises(InputError):
        fb(text, channel="pigeon")


# ------------------------------------------------------------------------------- severity
@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("很满意。", IssueSeverity.LOW),
        ("味道有点咸。", IssueSeverity.LOW),
        ("送错了，麻烦处理一下，太差了。", IssueSeverity.MEDIUM),
        ("买到假货了，太气人了。", IssueSeverity.HIGH),
        ("充电宝冒烟了，太危险了。", IssueSeverity.CRITICAL),
        ("吃完全家都拉肚子了。", IssueSeverity.CRITICAL),
        ("我的个人信息被泄露了，天天接到骚扰电话。", IssueSeverity.CRITICAL),
    ],
)
def test_severity(text: str, severity: IssueSeverity) -> None:
    fa = fb(text)
    assert fa.severity is severity
    assert fa.evidence_for("severity")


# ------------------------------------------------------------------------------- scope
@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("快递太慢了。", Scope.INDIVIDUAL),
        ("每次都延误，又晚点了。", Scope.REPEATED),
        ("我们好几个人都拉肚子了。", Scope.WIDESPREAD),
        ("大家都说好吃。", Scope.INDIVIDUAL),  # no problem, no scope
    ],
)
def test_scope(text: str, scope: Scope) -> None:
    assert fb(text).scope is scope


# ------------------------------------------------------------------------------- topics and key issues
def test_topics_have_chinese_labels() -> None:
    fa = fb("包装破损，客服态度也很差。")
    assert {"packaging", "service_attitude"} <= set(fa.topic_ids)
    labels = {t.id: t.label_zh for t in fa.topics}
    assert labels["packaging"] == "包装" and labels["service_attitude"] == "服务态度"


def test_key_issues_with_requests_and_spans() -> None:
    text = "收到的杯子碎了两个，麻烦尽快补发。"
    fa = fb(text)
    by_group = {k.group: k for k in fa.key_issues}
    assert by_group["damaged"].label == "破损" and by_group["damaged"].polarity == "negative"
    assert by_group["resend_request"].polarity == "request"
    assert by_group["damaged"].spans[0].of(text) == "碎了"


def test_aspect_plus_opinion_composes_an_issue() -> None:
    fa = fb("骑手的态度太凶了")
    assert "attitude_bad" in groups(fa)
    fa = fb("房价贵得离谱")
    assert "price_high" in groups(fa)


def test_group_phrases_cover_synonyms() -> None:
    tax = default_taxonomy()
    assert {"快递", "物流", "配送"} <= set(tax.group_phrases("logistics_slow"))
    assert {"破损", "坏了", "磕碰"} <= set(tax.group_phrases("damaged"))
    assert tax.topic_label("logistics") == "物流配送"
    with pytest.raises(LexiconError):
        tax.group_phrases("no_such_group")


# ------------------------------------------------------------------------------- priority
def test_priority_from_matrix() -> None:
    assert fb("很满意").priority is Priority.P4
    assert fb("太慢了，非常失望").priority is Priority.P3
    assert fb("信用卡被盗刷了，赶紧冻结").priority is Priority.P1
    # repeated raises one step: medium × normal = P3 → P2
    assert fb("又坏了，每次都这样，太差了").priority is Priority.P2
    ev = fb("太慢了，非常失望").evidence_for("priority")
    assert ev and "matrix[medium][normal]=P3" in ev[0].note


def test_priority_matrix_is_configurable() -> None:
    std = Standard(
        feedback=FeedbackSettings(
            priority_matrix={IssueSeverity.MEDIUM: {Urgency.NORMAL: Priority.P1}},
            scope_raise={Scope.REPEATED: 0},
        )
    )
    assert fb("太慢了，非常失望", standard=std).priority is Priority.P1
    assert fb("很满意", standard=std).priority is Priority.P4  # other cells unchanged


# ------------------------------------------------------------------------------- hint and root cause
def test_hint_and_root_cause() -> None:
    mis = fb("是不是我不会用？找不到在哪里设置。")
    assert mis.hint is Hint.MISUNDERSTANDING and mis.likely_misunderstanding
    assert mis.root_cause is RootCause.COMMUNICATION
    act = fb("快递太慢了，一个星期才到。")
    assert act.hint is Hint.ACTIONABLE and act.actionable
    assert act.root_cause is RootCause.LOGISTICS
    assert fb("用了三天就坏了，质量太差。").root_cause is RootCause.PRODUCT
    assert fb("扣了年费也没人告诉我，太坑了。").root_cause is RootCause.COMMUNICATION
    praise = fb("非常满意！")
    assert praise.hint is Hint.NO_ACTION and praise.root_cause is None


# ------------------------------------------------------------------------------- evidence, JSON
def test_every_field_has_evidence() -> None:
    fa = fb("包装破损了，明天要送礼！！我们好几个人都买了，气死了", stars=5, channel=Channel.IM)
    fields = {e.field for e in fa.evidence}
    for f in (
        "kind", "rating", "sentiment", "emotion", "urgency", "severity", "scope", "topics",
        "key_issues", "priority", "hint", "root_cause", "stars", "stars_disagree", "channel",
    ):  # fmt: skip
        assert f in fields, f


def test_lossless_json_round_trip() -> None:
    fa = fb("东西不错就是物流太慢，希望改进。", stars=3.5)
    assert FeedbackAssessment.model_validate_json(fa.model_dump_json()) == fa


def test_spans_point_into_the_original_text() -> None:
    text = "东西  不错，就是 物流 太慢"  # spaces are removed by normalisation
    fa = fb(text)
    for e in fa.evidence:
        for s in e.spans:
            assert 0 <= s.start <= s.end <= len(text)
    issue = next(k for k in fa.key_issues if k.group == "logistics_slow")
    assert "物流" in issue.spans[0].of(text)


# ------------------------------------------------------------------------------- API contract
def test_accepts_a_shared_analysis() -> None:
    a = analyze("东西不错就是物流太慢")
    assert classify_feedback(a) == classify_feedback("东西不错就是物流太慢")


def _parking_standard() -> Standard:
    """A standard whose taxonomy adds a parking topic and its 没车位 group."""
    return Standard(
        feedback=FeedbackSettings(
            topics={"parking": TopicDef(label_zh="停车", label_en="parking", aspects=("车位",))},
            groups={
                "no_parking": GroupDef(
                    topic="parking", label_zh="没车位", label_en="no parking", cues=("没车位",)
                )
            },
        )
    )


def test_key_issues_alone_match_the_full_classification() -> None:
    # find_key_issues stops where the key issues are known: on every dev-set text (and the
    # replies' reviews), as text and as a shared analysis, they equal the assessment's
    root = Path(__file__).resolve().parent.parent / "devsets"
    texts = [
        json.loads(x)["text"] for x in (root / "feedback.jsonl").read_text("utf-8").split("\n") if x
    ]
    texts += [
        json.loads(x)["review"]
        for x in (root / "replies.jsonl").read_text("utf-8").split("\n")
        if x
    ]
    assert sum(bool(classify_feedback(t).key_issues) for t in texts) > len(texts) // 2
    for t in texts:
        assert find_key_issues(t) == classify_feedback(t).key_issues, t
    a = analyze("东西不错就是物流太慢")
    assert find_key_issues(a) == classify_feedback(a).key_issues != ()
    std = _parking_standard()
    assert [k.group for k in find_key_issues("没车位,太差了", standard=std)] == ["no_parking"]


def test_classify_many_matches_single_calls() -> None:
    texts = ["很满意", "太慢了", "这也叫新品?"]
    assert classify_many(texts) == [classify_feedback(t) for t in texts]
    many = classify_many(texts, stars=[5, 1, None])
    assert [m.stars for m in many] == [5.0, 1.0, None]
    with pytest.raises(InputError):
        classify_many(texts, stars=[5])


def test_bad_text_raises_input_error() -> None:
    with pytest.raises(InputError):
        classify_feedback(123)  # type: ignore[arg-type]


def test_caller_extends_taxonomy_through_the_standard() -> None:
    std = _parking_standard()
    fa = fb("到了酒店发现没车位，太差了", standard=std)
    assert "no_parking" in groups(fa)
    assert "parking" in fa.topic_ids
    assert "no_parking" not in groups(fb("到了酒店发现没车位，太差了"))


def test_taxonomy_rejects_dangling_group() -> None:
    with pytest.raises(LexiconError):
        default_taxonomy().extend(
            groups={"x": GroupDef(topic="nope", label_zh="x", label_en="x", cues=("x",))}
        )


def test_caller_phrases_extend_cue_lists() -> None:
    std = Standard(phrases={"fb_neg_strong": ["拉胯"]})
    assert fb("这手机太拉胯", standard=std).rating is Rating.NEGATIVE
    assert fb("这手机太拉胯").rating is Rating.NEUTRAL


def test_long_text_is_handled_in_reasonable_time() -> None:
    import time

    text = "东西不错就是物流太慢，客服态度很差，不是很好，没有破损。真是太“快”了" * 600
    t0 = time.perf_counter()
    fa = classify_feedback(text)
    assert time.perf_counter() - t0 < 15  # linear work: ~0.5 s here; quadratic would be minutes
    assert fa.rating is Rating.NEGATIVE
    assert all(s.end <= len(text) for k in fa.key_issues for s in k.spans)


def test_problem_then_praise_is_positive() -> None:
    fa = fb("虽然排队的人多，但是工作人员一直在引导，很暖心。")
    assert fa.rating is Rating.POSITIVE and fa.kind is FeedbackKind.PRAISE


def test_pain_point_behind_a_suggestion_weighs_less() -> None:
    fa = fb("营业厅的服务很好，建议周末多开几个窗口，人太多了。")
    assert fa.kind is FeedbackKind.SUGGESTION
    assert fa.rating is not Rating.NEGATIVE
    assert any("建议的理由" in e.note for e in fa.evidence_for("sentiment"))
    # the same pain point without the proposal is a complaint
    assert fb("营业厅人太多了。").kind is FeedbackKind.COMPLAINT


def test_resolved_problem_then_praise() -> None:
    fa = fb("光猫坏了，打电话报修，当天下午师傅就上门换好了，很给力。")
    assert fa.kind is FeedbackKind.PRAISE
    assert fa.hint is Hint.NO_ACTION
    assert any("已解决" in e.note for e in fa.evidence_for("sentiment"))


def test_every_devset_assessment_survives_validation() -> None:
    """The classifier builds its evidence and key issues without validation (for speed):
    every assessment of the development set must still pass pydantic's checks unchanged."""
    import json
    from pathlib import Path

    devset = Path(__file__).resolve().parents[1] / "devsets" / "feedback.jsonl"
    rows = [json.loads(x) for x in devset.read_text("utf-8").splitlines() if x.strip()]
    assert len(rows) >= 400
    for row in rows:
        fa = fb(row["text"], stars=row.get("stars"))
        again = FeedbackAssessment.model_validate(fa.model_dump())
        assert again == fa, row["text"]
        assert FeedbackAssessment.model_validate_json(fa.model_dump_json()) == fa
