"""Text-layer benchmark: segmentation + phrase matching vs bare ``jieba.lcut``.

Measures, in one run and on the same ~70-character texts:

* baseline: ``jieba.lcut(text)`` (jieba's global tokenizer, already initialised);
* ours: ``analyze(text)`` then its tokens and its phrase hits over the whole shipped lexicon
  (normalisation + segmentation + one scan for all lists), as every rule shares them;
* ours with 3,000 extra phrases in the lexicon, to show matching cost stays small;
* phrase matching alone.

Target (issue #2): ours ≤ 1.3 × baseline.  Run: ``python benchmarks/bench_text.py``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

import jieba

from csstandards.lexicon import Lexicon
from csstandards.text import analyze, normalize
from csstandards.text.segment import get_tokenizer

SENTENCES = [
    "东西收到了,包装有点破损,但客服及时补发了,态度很好",
    "物流太慢了,下单五天才到,催了好几次都没人理",
    "质量不错,和描述一致,就是价格稍微贵了一点",
    "客服回复很快,问题当天就解决了,给个好评",
    "明天要送礼,今天必须收到,麻烦帮忙加急处理一下",
    "APP老是闪退,登录不上去,已经影响到正常使用了",
    "酒店房间很干净,前台服务热情,早餐种类也多",
    "外卖送到都凉了,汤还洒了一半,骑手态度也差",
    "话费莫名其妙多扣了二十块,打客服电话一直占线",
    "维修师傅很专业,半小时就修好了,还教我怎么保养",
    "航班延误三个小时,没有任何通知,太让人失望了",
    "银行卡被盗刷了,请尽快帮我冻结账户并处理",
    "衣服尺码偏大,颜色和图片有色差,申请退货",
    "第二次买了,一如既往的好,推荐给朋友们",
]


def make_texts(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        s = ",".join(rng.choice(SENTENCES) for _ in range(3))
        out.append(s[:70])
    return out


def rate(fn: Callable[[str], object], texts: list[str], repeat: int) -> float:
    """Best-of-``repeat`` texts per second."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--texts", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5, help="runs per variant per round (best)")
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds (median ratio)")
    args = ap.parse_args()
    texts = make_texts(args.texts)
    jieba.setLogLevel(60)
    jieba.initialize()
    get_tokenizer()
    lex = Lexicon.default()
    rng = random.Random(2)
    extra = [
        "".join(
            rng.choice("的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年")
            for _ in range(rng.randint(2, 6))
        )
        for _ in range(3000)
    ]
    big = lex.extend({"bench_extra": extra})
    n_phrases = sum(len(v) for v in lex.lists.values())
    for t in texts[:50]:  # warm caches (normalisation table, matchers)
        analyze(t, big).hits  # noqa: B018

    def ours(t: str) -> object:
        a = analyze(t, lex)
        return a.words, a.hits

    def ours_big(t: str) -> object:
        a = analyze(t, big)
        return a.words, a.hits

    matcher = big.matcher

    def match_only(t: str) -> object:
        return matcher.find(normalize(t))

    rates = {}
    # Interleave runs so that machine noise hits every variant alike; each round measures every
    # variant back to back, so a round's ratio compares runs made under the same conditions.
    results: dict[str, list[float]] = {k: [] for k in ("jieba", "ours", "ours_big", "match")}
    for _ in range(args.rounds):
        results["jieba"].append(rate(jieba.lcut, texts, args.repeat))
        results["ours"].append(rate(ours, texts, args.repeat))
        results["ours_big"].append(rate(ours_big, texts, args.repeat))
        results["match"].append(rate(match_only, texts, args.repeat))
    rates = {k: statistics.median(v) for k, v in results.items()}
    avg_len = sum(map(len, texts)) / len(texts)
    print(f"texts: {len(texts)} (avg {avg_len:.0f} chars); shipped phrases: {n_phrases}; "
          f"with extra: {n_phrases + len(extra)}")  # fmt: skip
    print(f"bare jieba.lcut                      : {rates['jieba']:>10,.0f} texts/s")
    print(f"analyze: normalise+segment+match     : {rates['ours']:>10,.0f} texts/s")
    print(f"  same with +3,000 phrases           : {rates['ours_big']:>10,.0f} texts/s")
    print(f"phrase matching alone (+3,000)       : {rates['match']:>10,.0f} texts/s")
    per_round = sorted(j / o for j, o in zip(results["jieba"], results["ours"], strict=True))
    per_round_big = sorted(
        j / o for j, o in zip(results["jieba"], results["ours_big"], strict=True)
    )
    ratio = statistics.median(per_round)
    ratio_big = statistics.median(per_round_big)
    print(
        f"cost ratio ours / jieba.lcut         : {ratio:.2f}x (target <= 1.30x; median of "
        f"{len(per_round)} rounds, range {per_round[0]:.2f}-{per_round[-1]:.2f})"
    )
    print(
        f"cost ratio with +3,000 phrases       : {ratio_big:.2f}x "
        f"(range {per_round_big[0]:.2f}-{per_round_big[-1]:.2f})"
    )
    print(f"matching cost / segmentation cost    : {rates['jieba'] / rates['match']:.2f}")


if __name__ == "__main__":
    main()
