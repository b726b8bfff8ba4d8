"""Generate the sample transcripts shipped with the package (data/sample/transcripts.jsonl).

python scripts/gen_sample_transcripts.py          # write the file
python scripts/gen_sample_transcripts.py --check  # exit 1 when the file is stale

Conversations are assembled from the scenarios below with a seeded random generator, so the
file is reproducible: varied channels (在线咨询, 微信, 电话, 热线, 邮件), agents of three teams,
some who follow the standards and some who do not (推诿, 对立, 敷衍, 查户口, 术语, 慢回复).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

OUT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "csstandards"
    / "data"
    / "sample"
    / "transcripts.jsonl"
)
SEED = 20261202
TZ = timezone(timedelta(hours=8))

#: agent id → (team, quality 0..1: the chance each turn follows the standard, typical delay s)
AGENTS = {
    "A01": ("售后一组", 0.95, 8),
    "A02": ("售后一组", 0.9, 10),
    "A03": ("售后一组", 0.35, 35),
    "A04": ("售后二组", 0.85, 12),
    "A05": ("售后二组", 0.2, 50),
    "A06": ("售前组", 0.95, 6),
    "A07": ("售前组", 0.6, 20),
    "A08": ("售前组", 0.5, 25),
}
CHANNELS = ["online_chat"] * 5 + ["im"] * 2 + ["phone", "hotline", "email"]

GREET_GOOD = "您好,很高兴为您服务,请问有什么可以帮您?"
GREET_BAD = "在。"
CLOSE_GOOD = "不客气,如有其他问题,随时联系我们,祝您生活愉快。"
CLOSE_BAD = "好的,再见。"

# Each scenario: the customer's turns, and for each a good and a bad agent reply.
SCENARIOS: list[list[tuple[str, str, str]]] = [
    [
        (
            "在吗?我的快递三天了还没到,太慢了",
            "非常抱歉让您久等了,我马上帮您查一下物流。请问您的订单是哪天下的呢?",
            "物流属于第三方,我们无法控制。",
        ),
        (
            "上周五下的,明天要送人的,很着急",
            "明白,明天要送礼很重要。已为您联系快递加急,预计明天上午送达,也可以为您改成同城闪送。",
            "这个不归我们管,您自己去问快递吧。",
        ),
        ("好的,那就加急吧", "好的,已加急处理,送达前快递员会电话联系您。", "嗯。"),
    ],
    [
        (
            "我要退款,东西根本不能用",
            "很抱歉给您带来不好的体验,方便和我说说具体是哪里不能用吗?我们一起看看怎么解决。",
            "您为什么要退?",
        ),
        (
            "开机就黑屏,试了好几次",
            "了解了,开机黑屏属于质量问题,可以为您办理退款,也可以免费换新,您看哪种更方便?",
            "这不可能,我们的产品出厂都检测过,肯定是您自己操作不当。",
        ),
        (
            "退款吧,多久到账?",
            "已为您提交退款,1-3个工作日原路退回,到账后会短信通知您。",
            "退款会尽快处理的。",
        ),
    ],
    [
        (
            "维修需要多久?",
            "普通故障今天就能修好,复杂问题可能需要2天,我们也可以优先处理您的订单,争取明天完成。",
            "维修需要3天。",
        ),
        (
            "能不能快一点,我每天都要用",
            "可以,已为您标记加急,明天下午前修好,期间可以为您提供一台备用机。",
            "这个没办法,规定就是这样。",
        ),
    ],
    [
        (
            "保修期是多久?",
            "整机保修1年,电池保修6个月,凭订单号就可以申请,不需要发票。",
            "请提供SN码和RMA单号,走工单流程。",
        ),
        (
            "怎么申请?",
            "在订单详情页点“申请售后”,选择保修就可以了,我也可以直接帮您提交。",
            "自己看说明书。",
        ),
    ],
    [
        (
            "你们这服务太差了,我要投诉",
            "非常抱歉让您有这么不好的体验,您的意见对我们很重要,我已经记录下来,会在24小时内给您回电。",
            "您可以去投诉,我们都是按流程办的。",
        ),
        (
            "上次说好回电也没回",
            "这确实是我们的疏漏,今天下午5点前主管会亲自给您回电,并把处理进展告诉您。",
            "这个我不清楚,不是我负责的,您找人工吧。",
        ),
    ],
    [
        (
            "发票怎么开?",
            "您好,在订单详情页点“申请开票”,填写抬头和税号,电子发票1个工作日内发到您的邮箱。",
            "后台提交,走财务流程。",
        ),
        ("好的谢谢", CLOSE_GOOD, CLOSE_BAD),
    ],
    [
        (
            "我这手机打不开那个功能,孩子不在身边,怕耽误你们时间",
            "您愿意花时间和我说清楚,已经帮了我们大忙啦,咱们慢慢弄,不急。请打开设置-通用-辅助功能。",
            "请打开设置-通用-辅助功能。",
        ),
        ("找到了,谢谢你", "不客气,如有其他问题,随时联系我们。", "嗯嗯。"),
    ],
    [
        (
            "我的订单号123456,地址写错了能改吗?",
            "可以的,订单还没发货,请把正确的地址发给我,我马上帮您修改。",
            "您的手机号13812345678,地址是北京市朝阳区XX路1号,对吧?",
        ),
        ("上海市浦东新区XX路8号", "已为您改好,今天下午发货,明天送达。", "改不了,系统不支持。"),
    ],
]


def _conversation(rng: random.Random, n: int) -> dict[str, object]:
    agent = rng.choice(sorted(AGENTS))
    team, quality, delay = AGENTS[agent]
    channel = rng.choice(CHANNELS)
    scenario = SCENARIOS[rng.randrange(len(SCENARIOS))]
    t = datetime(2026, 11, 2, 9, 0, tzinfo=TZ) + timedelta(
        days=rng.randrange(28), minutes=rng.randrange(9 * 60)
    )
    speed = 60 if channel == "email" else 1  # e-mail answers come minutes later
    msgs: list[dict[str, object]] = []

    def say(role: str, text: str, wait: float, who: str = "") -> None:
        nonlocal t
        t += timedelta(seconds=round(wait))
        m: dict[str, object] = {"role": role, "text": text, "time": t.isoformat()}
        if who:
            m["agent"] = who
        msgs.append(m)

    good = rng.random() < quality
    first_customer, *_ = scenario[0]
    say("customer", "在吗?" if rng.random() < 0.3 else first_customer, 0)
    if channel in ("online_chat", "im") and rng.random() < 0.5:
        say("bot", "已收到您的问题,小X为您服务,马上为您解答。", 2)
    if msgs[0]["text"] == "在吗?":
        say("agent", GREET_GOOD if good else GREET_BAD, rng.uniform(0.5, 1.5) * delay, agent)
        say("customer", first_customer, rng.uniform(5, 20))
    for k, (customer, good_reply, bad_reply) in enumerate(scenario):
        if k > 0:
            say("customer", customer, rng.uniform(5, 40))
        follows = rng.random() < quality
        wait = rng.uniform(0.5, 1.6) * delay * speed
        say("agent", good_reply if follows else bad_reply, wait, agent)
    say("customer", rng.choice(["好的,谢谢", "知道了", "行吧"]), rng.uniform(5, 30))
    say("agent", CLOSE_GOOD if rng.random() < quality else CLOSE_BAD, 0.5 * delay, agent)
    return {
        "id": f"T{n:04d}",
        "channel": channel,
        "agent": agent,
        "team": team,
        "messages": msgs,
    }


def render() -> str:
    rng = random.Random(SEED)
    lines = [json.dumps(_conversation(rng, n), ensure_ascii=False) for n in range(1, 121)]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail when the shipped file is stale")
    args = ap.parse_args()
    text = render()
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: run python scripts/gen_sample_transcripts.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
