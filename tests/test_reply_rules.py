"""Reply rules beyond their registry examples: hard cases and the helpers they share."""

from __future__ import annotations

import pytest

from csstandards.models import Rating
from csstandards.rules import get_registry
from csstandards.rules.reply_common import find_placeholder_ranges, time_placeholder
from csstandards.tone import check_reply

NEG = Rating.NEGATIVE
POS = Rating.POSITIVE
NEU = Rating.NEUTRAL


def fired(reply: str, **kw: object) -> set[str]:
    return set(check_reply(reply, **kw).rule_ids)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reply", "flagged"),
    [
        ("物流属于第三方,我们无法控制。", True),
        ("这不是快递的问题,是我们打包的疏漏。", False),  # negated + owned
        ("您说“物流属于第三方”让您很失望。", False),  # quoted
        ("难免有疏漏,这是我们的责任。", False),  # owned in the same sentence
        ("亲,新衣服有味道是正常的。", True),
        ("这不是正常现象,是我们的质检漏了。", False),
    ],
)
def test_blame_shifting_cases(reply: str, flagged: bool) -> None:
    assert ("reply.blame-shifting" in fired(reply)) is flagged


@pytest.mark.parametrize(
    ("reply", "flagged"),
    [
        ("可能是您拆包装时弄丢了,请仔细找找。", True),
        ("油耗和个人驾驶习惯有关。", True),
        ("您家的网络可能有问题。", True),
        ("这并不是您操作不当,是开关的设计问题。", False),
        ("客服说“是您自己没看说明”,这样回答很不应该。", False),
    ],
)
def test_defensive_cases(reply: str, flagged: bool) -> None:
    assert ("reply.defensive" in fired(reply)) is flagged


def test_interrogative_needs_a_question_aimed_at_the_customer() -> None:
    assert "reply.interrogative" in fired("您为什么要退?")
    assert "reply.interrogative" not in fired("我们也在查为什么会发错货。")
    assert "reply.interrogative" not in fired("方便和我说说为什么想退吗?")
    assert "reply.interrogative" not in fired("我们负责到底。")


def test_jargon_respects_word_boundaries_and_explanations() -> None:
    assert "reply.jargon" in fired("请稍后,API接口异常。")
    assert "reply.jargon" not in fired("已上传到rapid系统。")  # 'api' inside a word
    assert "reply.jargon" not in fired("我们用LBS定位(也就是根据您的位置)找门店。")
    f = check_reply("服务器响应时长偏高。").by_rule("jargon")[0]
    assert f.cue == "服务器响应时长" and f.data["plain"] in f.suggestion_zh


def test_privacy_leak_validates_numbers() -> None:
    assert "reply.privacy-leak" in fired("已按13812345678联系您。")
    assert "reply.privacy-leak" not in fired("已按138****5678联系您。")
    assert "reply.privacy-leak" not in fired("卡号尾号6222020200112233445。")  # fails Luhn
    assert "reply.privacy-leak" in fired("卡号6222020200112233446。")  # passes Luhn
    assert "reply.privacy-leak" not in fired("身份证11010119900307451X已登记。")  # bad check digit


def test_vague_commitment_is_fine_with_any_concrete_time() -> None:
    assert "reply.vague-commitment" in fired("我们会尽快处理。")
    for ok in ("我们会尽快处理,今天18点前回电。", "尽快处理,预计3个工作日内到账。",
               "我们会尽快处理,【预计送达时间】前给您答复。"):  # fmt: skip
        assert "reply.vague-commitment" not in fired(ok), ok
    assert "reply.vague-commitment" not in fired("近期咨询量较大,感谢您的耐心等待。")


def test_missing_reason_accepts_a_reason_or_a_next_step() -> None:
    assert "reply.missing-reason" in fired("无法退换。")
    assert "reply.missing-reason" not in fired("因为已过保修期,无法免费维修。")
    assert "reply.missing-reason" not in fired("无法退换,但可以为您免费维修。")


def test_negative_review_structure() -> None:
    review = "少发了一件"
    full = "非常抱歉给您添麻烦了。已为您补发,明天送到。我们已加强出库复核。"
    assert fired(full, review=review, rating=NEG) == set()
    assert "reply.missing-empathy" in fired("已为您补发,明天送到。我们已加强出库复核。",
                                            review=review, rating=NEG)  # fmt: skip
    assert "reply.missing-eta" in fired("非常抱歉,已为您补发。我们已加强出库复核。",
                                        review=review, rating=NEG)  # fmt: skip
    assert "reply.wrong-order" in fired("已为您补发,明天送到。非常抱歉。我们已加强出库复核。",
                                        review=review, rating=NEG)  # fmt: skip
    generic = fired("非常抱歉,已为您补发,明天送到。我们会努力改进。", review=review, rating=NEG)
    assert "reply.missing-improvement" in generic


def test_refund_named_as_topic_is_not_a_plan() -> None:
    got = fired("您好,退款流程需要时间,请耐心等待。", review="退款两周没到", rating=NEG)
    assert "reply.missing-solution" in got and "reply.missing-eta" not in got


def test_positive_and_neutral_rules() -> None:
    review = "包装很用心,拆箱像拆礼物"
    assert fired("感谢您的支持,欢迎再次光临!", review=review, rating=POS) >= {
        "reply.missing-echo", "reply.generic-template"}  # fmt: skip
    assert fired("您说包装像礼物,我们的包装团队特别感动,期待下次为您服务!",
                 review=review, rating=POS) == set()  # fmt: skip
    assert "reply.missing-invitation" in fired("谢谢您喜欢我们的包装!", review=review, rating=POS)
    assert "reply.missing-thanks" in fired("我们已优化排班,下次5分钟内回复。",
                                           review="客服回复慢", rating=NEU)  # fmt: skip


def test_synonym_groups_count_as_addressing() -> None:
    got = fired("配送慢让您久等了,非常抱歉,已联系站点今天优先派送,并更换了这条线路的合作方。",
                review="快递太慢了", rating=NEG)  # fmt: skip
    assert "reply.ignores-specifics" not in got
    got = fired("非常抱歉,我们会加强管理。", review="快递太慢了", rating=NEG)
    assert "reply.ignores-specifics" in got


def test_placeholders() -> None:
    text = "{{name}}您好,${eta}前送达,【客户名】,%(order)s"
    ranges = find_placeholder_ranges(text)
    assert [text[s:e] for s, e in ranges] == ["{{name}}", "${eta}", "【客户名】", "%(order)s"]
    assert time_placeholder("{eta}") and time_placeholder("【送达时间】")
    assert not time_placeholder("{name}")
    assert "reply.jargon" not in fired("您的{API接口}已开通。")


def test_brand_voice_features_are_reported() -> None:
    rep = check_reply("经核查,该问题已处理。特此告知。", brand_voice="warm")
    f = rep.by_rule("brand-voice")[0]
    assert f.data["features"]["bureaucratic"] >= 2
    assert "bureaucratic" in f.data["violations"] and "require_any" in f.data["violations"]
    assert not check_reply("我们亲自检查了,您放心。", brand_voice="professional").by_rule("R123")


def test_every_reply_rule_documents_a_clause_and_hard_cases() -> None:
    rules = get_registry().all("reply")
    for r in rules:
        assert r.clause and r.message_zh and r.message_en and r.suggestion_zh, r.id
    # hard cases (negated cue, quotation, unusual words …) are annotated good examples
    hard = [r.id for r in rules if any(e.note for e in r.examples if e.expect == "good")]
    assert len(hard) >= 20, sorted({r.id for r in rules} - set(hard))


def test_jargon_only_on_word_boundaries() -> None:
    assert "reply.jargon" not in fired("已为您重新开具并发送到您的邮箱。")  # 并发 inside 并发送
    assert "reply.jargon" in fired("系统并发量太高,请稍后再试。")


def test_review_given_as_a_classifier_assessment() -> None:
    feedback = pytest.importorskip("csstandards.feedback")
    fa = feedback.classify_feedback("物流太慢了,等了一周还没到", stars=1)
    rep = check_reply("感谢您的支持!", review=fa)
    assert rep.rating is Rating.NEGATIVE
    assert {"reply.ignores-specifics", "reply.missing-solution"} <= set(rep.rule_ids)
    good = check_reply(
        "非常抱歉,配送太慢让您久等,已联系站点今天优先派送,我们已更换合作快递。", review=fa
    )
    assert good.findings == ()


def test_rating_accepts_chinese_labels() -> None:
    assert check_reply("谢谢", rating="差评").rating is Rating.NEGATIVE
    assert check_reply("谢谢", rating="好评").rating is Rating.POSITIVE


def test_a_question_is_a_consultation_not_a_review() -> None:
    # no rating given and the customer asks: the 000 §2.3 review structure does not apply
    got = fired("正常使用大概能用5年左右,说明书第5页有保养方法。", review="你们产品能用多久")
    assert got == set()
    assert "reply.deflect-to-manual" in fired("请参考说明书第5页。", review="你们产品能用多久")
    # a complaint phrased as a question is still a review
    got = fired("已收到。", review="怎么还不发货?太慢了")
    assert "reply.dismissive" in got
