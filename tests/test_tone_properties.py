"""Properties of check_reply: total on Unicode, spans index the reply, blame never helps,
deterministic."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from csstandards.models import Rating
from csstandards.tone import check_reply

# Text mixing arbitrary Unicode with the cue words the rules react to, so that the rules
# actually fire on generated input.
CUES = [
    "抱歉", "已为您补发", "明天", "尽快", "物流属于第三方", "不是", "“", "”", "{eta}", "【客户名】",
    "感谢您的支持", "已收到", "您为什么要退?", "API接口", "无法退换", "13812345678", "我们会加强",
    "期待", "谢谢", "亲~", "!", "。", "\n", "快递", "破损", "保证永远不会", "请参考说明书",
]  # fmt: skip
pieces = st.one_of(st.text(max_size=8), st.sampled_from(CUES))
texts = st.lists(pieces, max_size=12).map("".join)
ratings = st.sampled_from([None, *Rating])
voices = st.sampled_from([None, "warm", "professional", "lively"])
BLAME = [
    "物流属于第三方,我们无法控制。",
    "这是供应商的问题,不归我们管。",
    "系统原因导致延迟,请联系快递。",
    "这是厂家的问题,请联系厂家。",
    "天气原因,我们也没办法!",
    "亲~这是正常现象哦!😊",
    "抱歉,物流属于第三方,我们无法控制,请耐心等待,明天再看。",
    "可能是骑手送餐时颠簸导致的,建议您联系骑手。",
]


@settings(max_examples=150, deadline=None)
@given(reply=texts, review=st.one_of(st.none(), texts), rating=ratings, voice=voices)
def test_never_raises_and_spans_index_the_reply(
    reply: str, review: str | None, rating: Rating | None, voice: str | None
) -> None:
    rep = check_reply(reply, review=review, rating=rating, brand_voice=voice)
    assert 0 <= rep.score <= 100
    for f in rep.findings:
        for s in f.spans:
            assert 0 <= s.start <= s.end <= len(reply)


@settings(max_examples=int(os.environ.get("TONE_BLAME_EXAMPLES", "150")), deadline=None)
@given(reply=texts, review=st.one_of(st.none(), texts), rating=ratings, voice=voices,
       blame=st.sampled_from(BLAME))  # fmt: skip
def test_adding_a_blame_sentence_never_raises_the_score(
    reply: str, review: str | None, rating: Rating | None, voice: str | None, blame: str
) -> None:
    before = check_reply(reply, review=review, rating=rating, brand_voice=voice)
    after = check_reply(reply + "\n" + blame, review=review, rating=rating, brand_voice=voice)
    assert after.score <= before.score
    assert "reply.blame-shifting" in after.rule_ids


@settings(max_examples=100, deadline=None)
@given(reply=texts, review=st.one_of(st.none(), texts), rating=ratings)
def test_deterministic(reply: str, review: str | None, rating: Rating | None) -> None:
    a = check_reply(reply, review=review, rating=rating)
    b = check_reply(reply, review=review, rating=rating)
    assert a == b and a.model_dump_json() == b.model_dump_json()
