"""Generate the bundled sample data set ``src/csstandards/data/sample/reviews.jsonl``.

Hand-written review and reply texts (ours, not from any corpus) are combined with seeded
timestamps, channels, agents and template ids.  Timestamps cover ordinary days, 春节 2026,
清明, 劳动节, 618, 端午, 中秋/国庆 and the 双11 / 双12 peaks, and are written in the forms
Chinese exports use.  Three deliberately broken rows show bad-row reporting.

    python scripts/make_sample_data.py            # rewrites the file (deterministic)
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

SEED = 20261111
N_ROWS = 600
OUT = Path(__file__).resolve().parents[1] / "src/csstandards/data/sample/reviews.jsonl"
TZ = ZoneInfo("Asia/Shanghai")

# (stars, topic key, review text)
NEGATIVE = [
    (1, "logistics", "下单五天了还没收到,物流信息一直停在中转站,问客服也说不清楚,太耽误事了。"),
    (1, "logistics", "说好次日达,结果拖了一个星期才到,买来送人的生日礼物都错过了!"),
    (2, "logistics", "快递太慢了,催了三次才发货,包装倒是还行。"),
    (1, "damage", "收到的杯子碎了两个,箱子里连个泡沫都没有,这包装也太敷衍了。"),
    (2, "damage", "电饭煲外壳有一道明显的裂痕,内胆也磕瘪了一块,怎么好意思发出来。"),
    (1, "damage", "花瓶到手就是碎的,拍了照片找客服,到现在也没人理。"),
    (2, "quality", "衣服洗了一次就起球,还掉色把别的衣服染了,质量真的不行。"),
    (1, "quality", "耳机用了三天左耳就没声音了,这也叫新品?"),
    (2, "quality", "鞋子开胶了,才穿了两周,走路都不敢大步走。"),
    (1, "quality", "吹风机用了一次就有焦糊味,差点吓死,这种东西能卖吗?"),
    (2, "size", "尺码严重偏小,按平时的码买的根本穿不上,详情页也没写清楚。"),
    (2, "size", "裤子腰围比标的小了三厘米,退换还要自己出运费,无语。"),
    (1, "service", "客服态度太差了,问两句就不耐烦,最后直接不回消息。"),
    (1, "service", "找客服问发票的事,来回踢皮球,一会儿让找平台一会儿让找快递。"),
    (2, "service", "问了三遍尺码建议,每次都回一样的模板话,根本没看我的问题。"),
    (1, "refund", "申请退款一个多星期了还没到账,每次问都说在处理,到底什么时候退?"),
    (1, "refund", "退货寄回去十天了,商家一直不确认收货,钱也不退,准备投诉到12315了。"),
    (2, "refund", "退款流程太复杂,填了三次单子还被驳回,理由也不说。"),
    (2, "price", "刚买完第二天就降价五十块,找客服申请价保说不符合条件,感觉被坑了。"),
    (1, "price", "活动页写的满300减50,结算的时候优惠券用不了,明显是虚假宣传。"),
    (2, "missing", "少发了一个配件,充电线根本没有,盒子里只有机器本身。"),
    (1, "missing", "买了两件只收到一件,订单显示已签收,客服让我自己去问快递。"),
    (1, "wrong", "发错颜色了,我要的是雾蓝色,收到的是灰色,急着用也没法换。"),
    (2, "wrong", "型号发错了,买的是带遥控的款,到手是基础款。"),
    (1, "food", "外卖送到的时候汤全洒了,袋子里一片狼藉,饭都凉透了。"),
    (2, "food", "点的微辣做成了特辣,小孩根本没法吃,备注写了也没用。"),
    (1, "food", "吃完肚子疼了一晚上,菜里还有头发,卫生太让人担心了。"),
    (2, "hotel", "房间隔音很差,隔壁说话听得一清二楚,一晚上没睡好。"),
    (1, "hotel", "到店后说没房了,订单明明显示预订成功,大半夜让我们自己找地方住。"),
    (2, "hotel", "卫生间有霉味,毛巾也发黄,和图片差距太大。"),
    (1, "app", "APP一打开就闪退,更新了好几次也没用,订单都查不了。"),
    (2, "app", "付款的时候一直提示网络错误,结果扣了两次钱。"),
    (1, "privacy", "刚下单就接到好几个推销电话,我的手机号是不是被泄露了?"),
    (1, "logistics", "双11买的东西到现在还没发货,页面写的48小时发货呢?"),
    (2, "damage", "书的封面折了好几道,送人的书变成这样很尴尬。"),
    (1, "quality", "充电宝充不进电,用了不到一个月,联系售后说要寄回去检测,来回又是半个月。"),
    (2, "service", "电话打了五次都是忙音,在线客服排队排了四十分钟。"),
    (1, "refund", "说好七天无理由,退回去以后说影响二次销售不给退,当初为什么不说?"),
    (2, "logistics", "快递员没打电话就直接放驿站了,我出差一周回来才看到。"),
    (1, "food", "配送超时一个小时,打电话给骑手也不接,最后饭菜都凝固了。"),
]
NEUTRAL = [
    (3, "logistics", "东西还可以,就是物流有点慢,等了四天才到。"),
    (3, "quality", "质量中规中矩,和价格差不多吧,没有特别惊喜。"),
    (3, "size", "款式挺好看,但是尺码偏大一点,建议买小一码。"),
    (3, "packaging", "产品本身没问题,包装有点简陋,送人不太合适。"),
    (3, "service", "客服回复挺快,但是问题没有完全解决,还得自己再研究。"),
    (3, "price", "用着还行,就是感觉价格有点小贵,活动的时候买更划算。"),
    (3, "quality", "颜色和图片有点色差,实物偏暗,不过也能接受。"),
    (3, "food", "味道一般般,分量倒是挺足,就是有点咸。"),
    (3, "hotel", "位置方便,离地铁很近,就是早餐品种太少了。"),
    (3, "app", "功能够用,但是界面有点乱,找个订单要点好几下。"),
    (3, "logistics", "虽然包装很用心,但是快递在路上耽误了两天。"),
    (3, "quality", "整体还行,就是拉链有点涩,用力拉才能拉上。"),
    (3, "packaging", "外盒有点压痕,里面东西没坏,下次希望包装再结实点。"),
    (3, "service", "退换货能办,就是流程有点长,等了一周才处理完。"),
    (3, "food", "不是很好吃,但也不算难吃,可能是我口味比较重。"),
    (3, "hotel", "房间干净,但是空调声音有点大,晚上开着睡不着。"),
    (4, "logistics", "东西不错,就是物流太慢了,等了好几天。"),
    (3, "quality", "说明书写得太简单,装的时候摸索了半天。"),
    (3, "price", "性价比一般,同样的价钱别家送的配件更多。"),
    (3, "app", "下单挺方便的,就是优惠券总是找不到在哪里领。"),
]
POSITIVE = [
    (5, "quality", "面料很舒服,做工也精细,穿上显瘦,已经推荐给同事了。"),
    (5, "logistics", "昨天晚上下单今天上午就到了,速度太快了,点赞!"),
    (5, "service", "客服小姐姐特别耐心,帮我对比了三款,最后选的这款很满意。"),
    (5, "packaging", "包装很用心,每个杯子都单独裹了气泡膜,一个都没碎。"),
    (4, "quality", "音质比我想象的好,低音很足,续航也够一天用。"),
    (5, "food", "味道很正宗,牛肉给得很足,送到还是热的,会回购。"),
    (5, "hotel", "前台服务很热情,还帮我们免费升级了房型,床也很舒服。"),
    (4, "size", "尺码很标准,按平时的码买刚刚好,颜色也很正。"),
    (5, "service", "之前的问题售后当天就解决了,还主动打电话回访,很贴心。"),
    (5, "quality", "第二次回购了,锅很好用,不粘也好清洗。"),
    (4, "app", "新版APP流畅多了,下单一分钟搞定。"),
    (5, "packaging", "礼盒很有质感,送长辈很有面子,还附了手写卡片。"),
    (5, "logistics", "快递小哥送货上门还帮忙搬上楼,太暖心了。"),
    (4, "price", "双11价格很划算,比平时便宜了一百多。"),
    (5, "food", "孩子特别喜欢吃,无添加让人放心,已经囤了好几箱。"),
    (5, "quality", "屏幕显示清晰,反应很快,老人用起来也简单。"),
    (4, "hotel", "离景点很近,早餐丰富,下次来还住这里。"),
    (5, "service", "有点小问题,客服马上给补发了,效率很高。"),
    (5, "quality", "真的很好用!!!吸力超大,家里的猫毛一下就干净了。"),
    (4, "quality", "不得不说很好,比实体店买的还好。"),
    (5, "logistics", "春节期间还能这么快收到,辛苦快递师傅了。"),
    (5, "packaging", "包装严实,水果一个都没坏,很新鲜。"),
    (4, "service", "咨询的时候客服讲得很清楚,没有推销,感觉很真诚。"),
    (5, "food", "分量足,价格实惠,配送也准时,好评。"),
]

TOPIC_ZH = {
    "logistics": "物流",
    "damage": "破损",
    "quality": "质量",
    "size": "尺码",
    "service": "服务",
    "refund": "退款",
    "price": "价格",
    "missing": "少发",
    "wrong": "发错",
    "food": "餐品",
    "hotel": "住宿",
    "app": "APP",
    "privacy": "个人信息",
    "packaging": "包装",
}

# good replies to negative reviews: empathy, plan with a time, improvement
GOOD_NEG = {
    "logistics": [
        "非常抱歉让您久等了,耽误了您的安排,我们很理解您的着急。我们已联系物流加急处理,今天18点前给您回复最新进度;如果明天还没送到,直接为您补发一件。我们也会重新评估合作的快递线路,避免再出现这种情况。",
        "真的很抱歉,礼物错过了生日,换作是我们也会很失望。这是我们发货环节的疏漏,已为您登记补偿20元无门槛券,并安排顺丰重新发货,预计后天上午送达。后续我们会在发货前核对时效承诺,不再让您失望。",
    ],
    "damage": [
        "看到杯子碎了真的很抱歉,这是我们打包的疏漏。已为您安排补发两个新杯子,今天下午发出,单号会短信发给您,碎的不用寄回。我们已经把这款的包装改成一杯一格的泡沫托,避免再出现破损。",
        "非常抱歉让您收到有裂痕的产品,心情一定很糟。我们已为您办理换新,明天上午上门取件并同时送新机,您不用额外付运费。这批货我们会逐台复检,并加强出库前的外观检查。",
    ],
    "quality": [
        "很抱歉这件衣服让您失望了,还把其他衣服染了色,真的给您添麻烦了。我们已为您安排全额退款,24小时内原路退回,染色的衣物也请告诉我们,我们照价补偿。这个批次的面料我们已送检,结果出来前暂停销售。",
        "抱歉耳机这么快就出了问题,影响了您的使用。已为您开通换新,今天内寄出新耳机,旧的随新件附带的回寄单寄回即可,运费我们承担。我们会把这个问题反馈给质检部门,加强出厂前的声道测试。",
    ],
    "size": [
        "非常抱歉尺码给您带来了不便,是我们详情页的尺码说明不够清楚。已为您免费换大一码,今天安排上门取件,新件明天发出,来回运费都由我们承担。详情页我们这周内会补上实测尺寸表。",
    ],
    "service": [
        "很抱歉客服的态度让您受委屈了,这是我们服务的问题,不该让您来回跑。您的发票问题我已经亲自跟进,今天17点前开好发到您的邮箱。我们也会针对这次的情况对客服团队进行培训,避免再出现推来推去的情况。",
        "非常抱歉让您反复询问都没得到回答。您问的尺码,按您身高170、体重60公斤,建议选M码;如果穿着不合适,我们免费换。我们已经要求客服逐条回应顾客的问题,不再用模板敷衍。",
    ],
    "refund": [
        "非常抱歉退款拖了这么久,让您一直悬着心。我刚查到您的退货已于昨天签收,退款今天已经提交,预计1-3个工作日原路到账,到账前我们每天给您发一次进度。之后我们会把退货确认时间缩短到签收后24小时内。",
        "很抱歉让您有被驳回的糟糕体验。您的退款单是因为缺少快递单号被系统自动拦截的,我已经手动帮您补录并通过,今天内退款到账。我们也会把驳回原因直接显示在页面上,不再让您猜。",
    ],
    "price": [
        "非常理解您的心情,刚买就降价换谁都不舒服。虽然已过价保时间,我们还是为您申请了50元差价补偿,今天内退到您的支付账户。我们会把价保规则在下单页写清楚,避免再让您有被坑的感觉。",
    ],
    "missing": [
        "很抱歉少发了充电线,是我们打包时漏放了。已经为您补发充电线,今天下午发出,预计明天送达,单号稍后短信发您。我们已在打包台加了配件核对清单,避免再漏发。",
    ],
    "wrong": [
        "实在抱歉发错了颜色,耽误了您使用。雾蓝色已为您加急发出,明天中午前送到,灰色那件等您收到新件后再寄回,运费我们出。我们会在出库时增加扫码核对颜色的步骤。",
    ],
    "food": [
        "非常抱歉汤洒了、饭也凉了,让您吃得这么不愉快。这一单已为您全额退款,10分钟内到账,另外送您一张无门槛代金券。我们已经换成带密封盖的汤碗,并提醒骑手平稳放置。",
        "很抱歉让孩子没法吃,这是我们没有看备注的失误。这单已为您全额退款,今天内到账;我们已经在后厨打印单上加粗显示口味备注,避免再出错。",
    ],
    "hotel": [
        "非常抱歉让您一晚没休息好。您的情况我们已记录,这次住宿为您退还一晚房费,三个工作日内到账。我们正在给这一层更换隔音门,并会在预订页如实说明。",
        "实在抱歉让您深夜没房可住,这是我们超售管理的严重失误。已为您全额退款并补偿300元,今天内到账;当晚的另寻住宿费用,您把发票发给我们,我们全额报销。我们已暂停超售,并对前台流程进行整改。",
    ],
    "app": [
        "很抱歉APP闪退影响了您查看订单。我们已定位到是新版本和部分机型的兼容问题,修复版本将于明天上午上线;在此之前您可以通过网页版查看订单。我们也会在发布前增加机型兼容测试。",
        "非常抱歉重复扣款让您担心了。我们核实到您有一笔重复支付,已经发起退款,2小时内原路退回。技术团队已修复支付超时重试的问题,避免再次重复扣款。",
    ],
    "privacy": [
        "非常理解您的担心,个人信息安全是我们最重视的事。我们已启动核查,3个工作日内把结果回复您;您的订单信息目前已做脱敏处理,客服和骑手只能看到隐私号。我们会继续加强数据权限管理。",
    ],
}
GOOD_NEU = {
    "logistics": [
        "谢谢您的评价,也感谢您耐心等待。物流慢的问题我们已经在解决,下个月起您所在的地区改从华东仓发货,预计能快一到两天。"
    ],
    "quality": [
        "感谢您的中肯评价。拉链顺滑度的问题我们已反馈给工厂,新批次换成了YKK拉链,下周起发出的都是新款。"
    ],
    "size": [
        "谢谢您的建议!尺码偏大的情况我们已在详情页加了提示,并补充了每个尺码的实测数据,方便大家选择。"
    ],
    "packaging": ["感谢您的反馈!外盒压痕的问题我们已经改用加厚的五层纸箱,下单送人也不用担心了。"],
    "service": [
        "谢谢您的评价。流程太长确实是我们的问题,我们已经把退换审核从三天缩短到一天,欢迎您再来体验。"
    ],
    "price": ["感谢您的评价!我们会在每月的会员日推出专属折扣,下次活动前一天会短信提醒您。"],
    "food": [
        "谢谢您的反馈!口味偏咸的意见厨师长已经收到,我们把这道菜的盐量减了三分之一,欢迎您再来尝尝。"
    ],
    "hotel": ["感谢您的入住和建议!早餐我们下周起会增加粥品和现煮面条,空调噪音也安排了维修。"],
    "app": ["谢谢您的建议!优惠券入口我们会在下个版本放到首页顶部,找起来会方便很多。"],
}
GOOD_POS = {
    "quality": [
        "谢谢您的认可!这款面料是我们特意选的高支棉,穿着舒服是我们最想给您的感受。感谢您推荐给同事,期待您下次再来逛逛~",
        "感谢您第二次回购!这口锅的不粘涂层是我们最用心的地方,用得顺手就是对我们最好的肯定,欢迎常来。",
    ],
    "logistics": [
        "谢谢您的点赞!次日达是我们和仓库一起努力的结果,能让您第二天就用上真是太好了,期待下次再为您服务。"
    ],
    "service": [
        "感谢您的认可!小林听说您选到合适的款式也特别开心,以后有什么问题随时找我们,欢迎再来。"
    ],
    "packaging": [
        "谢谢您注意到我们的包装!每个杯子单独裹膜是我们坚持的做法,东西完好到您手里我们就放心了,期待您再次光临。"
    ],
    "food": ["谢谢您的好评!牛肉我们每天现卤,能让您吃得满意就好,期待您和孩子下次再来。"],
    "hotel": [
        "感谢您的入住和好评!前台同事看到您的评价特别开心,期待您下次再来,我们还为您留着好房间。"
    ],
    "size": ["谢谢您的反馈!尺码标准是我们一直在打磨的,很高兴这次刚刚好,欢迎下次再来挑新款。"],
    "app": ["谢谢您的认可!新版本我们专门优化了下单速度,欢迎继续使用并给我们提建议。"],
    "price": ["感谢您的支持!双11的优惠是我们特意为老顾客准备的,下次活动也会第一时间通知您。"],
}
DELAY_NOTICE = "双11期间咨询量较大,回复晚了,感谢您的耐心等待。"
BAD = [
    ("T-GEN-01", "感谢您的支持,我们会继续努力!"),
    ("T-GEN-02", "非常抱歉给您带来不便,我们会努力改进。"),
    ("T-GEN-03", "亲,感谢您的评价,祝您生活愉快!"),
    ("T-BLAME-01", "物流属于第三方,我们无法控制,请您联系快递公司。"),
    ("T-BLAME-02", "这是供应商的问题,不归我们管。"),
    ("T-BLAME-03", "由于系统原因导致订单延迟,请您耐心等待。"),
    ("T-DEF-01", "我们的产品没有任何问题,是您自己没看说明。"),
    ("T-DEF-02", "您说的情况不可能出现,我们每件都检查过。"),
    ("T-DIS-01", "已收到。"),
    ("T-DIS-02", "知道了。"),
    ("T-MANUAL-01", "请参考说明书第5页。"),
    ("T-VAGUE-01", "我们会尽快处理的,请稍后。"),
    ("T-VAGUE-02", "已反馈给相关部门,会处理的。"),
    ("T-PROMISE-01", "保证以后永远不会再出现这种问题,100%满意!"),
    ("T-ASK-01", "您为什么要退?请说明原因。"),
    ("T-JARGON-01", "您的订单因LBS定位异常导致API接口超时,已提交工单。"),
    ("T-REFUSE-01", "无法退换,不支持。"),
    ("T-PRIV-01", "已联系您,您的电话13812345678,地址已核实。"),
]
AGENTS = {
    # agent -> probability of a good, specific reply
    "kf01-小林": 0.85,
    "kf02-阿杰": 0.75,
    "kf03-小雨": 0.7,
    "kf04-大伟": 0.4,
    "kf05-晓晓": 0.6,
    "kf06-老周": 0.3,
    "kf07-安安": 0.8,
    "kf08-阿强": 0.5,
}
CHANNELS = [
    ("review_platform", 0.6),
    ("third_party", 0.15),
    ("social_media", 0.1),
    ("im", 0.1),
    ("email", 0.05),
]
# peak windows (inclusive dates), weight
WINDOWS = [
    ((2026, 1, 1), (2026, 12, 31), 0.45),  # ordinary days
    ((2026, 2, 15), (2026, 2, 23), 0.08),  # 春节
    ((2026, 4, 4), (2026, 4, 6), 0.02),  # 清明
    ((2026, 5, 1), (2026, 5, 5), 0.04),  # 劳动节
    ((2026, 6, 1), (2026, 6, 20), 0.1),  # 618
    ((2026, 10, 1), (2026, 10, 8), 0.07),  # 国庆 + 中秋
    ((2026, 11, 1), (2026, 11, 13), 0.19),  # 双11
    ((2026, 12, 10), (2026, 12, 14), 0.05),  # 双12
]


def _pick_weighted(rng: random.Random, items: list[tuple[object, float]]) -> object:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _when(rng: random.Random) -> tuple[datetime, bool]:
    (a, b, _w) = rng.choices(WINDOWS, weights=[w[2] for w in WINDOWS])[0]
    start = datetime(*a, tzinfo=TZ)
    end = datetime(*b, 23, 59, tzinfo=TZ)
    t = start + (end - start) * rng.random()
    # reviews cluster in the evening
    hour = rng.choices(
        range(24), weights=[1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 5, 5, 5, 5, 6, 7, 8, 9, 9, 6, 3]
    )[0]
    t = t.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
    peak = (a, b) not in ((WINDOWS[0][0], WINDOWS[0][1]),)
    return t, peak


def _fmt(rng: random.Random, t: datetime) -> object:
    style = rng.random()
    if style < 0.45:
        return t.strftime("%Y-%m-%d %H:%M")
    if style < 0.7:
        return t.strftime("%Y/%m/%d %H:%M:%S")
    if style < 0.9:
        return f"{t.year}年{t.month}月{t.day}日 {t.hour}时{t.minute}分"
    return int(t.timestamp())


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _best_match(rng: random.Random, review: str, replies: list[str]) -> str:
    """The topic reply that shares most wording with the review (ties broken at random)."""
    grams = _bigrams(review)
    scored = [(len(grams & _bigrams(r)), rng.random(), r) for r in replies]
    return max(scored)[2]


def build(rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    customers = [f"C{n:04d}" for n in range(1, 181)]
    last_neg: dict[str, tuple[str, datetime]] = {}
    for i in range(1, N_ROWS + 1):
        band = rng.choices(["neg", "neu", "pos"], weights=[0.38, 0.22, 0.40])[0]
        pool = {"neg": NEGATIVE, "neu": NEUTRAL, "pos": POSITIVE}[band]
        stars, topic, review = rng.choice(pool)
        reviewed, peak = _when(rng)
        customer = rng.choice(customers)
        # recurring problems: some customers come back with the same topic after closure
        if band == "neg" and customer in last_neg and rng.random() < 0.5:
            prev_topic, prev_closed = last_neg[customer]
            same = [r for r in NEGATIVE if r[1] == prev_topic]
            stars, topic, review = rng.choice(same)
            reviewed = prev_closed + timedelta(days=rng.uniform(2, 25), hours=rng.uniform(0, 5))
            peak = False
            reviewed = min(reviewed, datetime(2026, 12, 28, 20, 0, tzinfo=TZ))
        agent = rng.choice(list(AGENTS))
        good = rng.random() < AGENTS[agent]
        table = {"neg": GOOD_NEG, "neu": GOOD_NEU, "pos": GOOD_POS}[band]
        if good and topic in table:
            reply = _best_match(rng, review, table[topic])
            template = f"T-{band.upper()}-{topic.upper()}" if rng.random() < 0.6 else None
        else:
            template, reply = rng.choice(BAD)
        # reply delay: mostly within hours; slower agents and peaks are late more often
        slow = 1.0 if AGENTS[agent] > 0.6 else 2.0
        delay_h = rng.lognormvariate(1.0, 0.9) * slow * (2.2 if peak else 1.0)
        if band == "neg":
            delay_h *= 0.6
        replied = reviewed + timedelta(hours=delay_h, minutes=rng.randrange(60))
        if peak and delay_h > 12 and good and rng.random() < 0.6:
            reply = DELAY_NOTICE + reply
        row: dict[str, object] = {
            "id": f"R{i:05d}",
            "channel": _pick_weighted(rng, CHANNELS),
            "agent": agent,
            "template_id": template,
            "customer": customer,
            "stars": stars,
            "review": review,
            "reply": reply,
            "reviewed_at": _fmt(rng, reviewed),
            "replied_at": _fmt(rng, replied),
        }
        if band == "neg":
            closed = replied + timedelta(days=rng.uniform(0.5, 4))
            row["closed_at"] = closed.strftime("%Y-%m-%d %H:%M")
            last_neg[customer] = (topic, closed)
        rows.append(row)
    # three broken rows, as real exports have them
    rows[41]["reply"] = ""
    rows[137]["replied_at"] = "昨天下午"
    rows[402]["stars"] = 6
    return rows


def main() -> None:
    rng = random.Random(SEED)
    rows = build(rng)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(
                json.dumps({k: v for k, v in r.items() if v is not None}, ensure_ascii=False) + "\n"
            )
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
