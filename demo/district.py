"""The demo district as data: Jianghan (江汉区), Wuhan.

One district, its subdistricts, 19 police stations and 6 patrol posts with their communities and
roads, the departments, the incident categories with their shares of the calls, what callers say,
the callers who phone again, and the demo officers (one login per role at least), generated from a
fixed seed. Nothing here touches the database: `demo.seed` writes it, `generate_incidents` draws
its calls from the same tables.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from stations.roles import Role

DEFAULT_PASSWORD = "Jianghan@2026"  # noqa: S105 - the published password of the demo logins
SEED = 20260301
DAYS = 21
AREA_CODE = "420103"  # 湖北省武汉市江汉区
INCIDENT_PREFIX = f"J{AREA_CODE}"

DISTRICT = ("jianghan", "武汉市公安局江汉区分局")

SUBDISTRICTS = [
    ("minyijie", "民意街道"),
    ("xinhuajie", "新华街道"),
    ("wansongjie", "万松街道"),
    ("tangjiadunjie", "唐家墩街道"),
    ("beihujie", "北湖街道"),
    ("changqingjie", "常青街道"),
    ("hanxingjie", "汉兴街道"),
    ("qianjinjie", "前进街道"),
    ("minzujie", "民族街道"),
    ("hualoujie", "花楼街道"),
    ("shuitajie", "水塔街道"),
    ("minquanjie", "民权街道"),
    ("manchunjie", "满春街道"),
]


@dataclass(frozen=True)
class StationSpec:
    code: str
    name: str
    abbr: str  # prefix of its officers' usernames
    subdistrict: str
    roads: tuple[str, ...]
    communities: tuple[str, ...] = ()


POLICE_STATIONS = [
    StationSpec(
        "hualoujie",
        "花楼街派出所",
        "hlj",
        "hualoujie",
        ("江汉路", "花楼街", "交易街", "前进五路"),
        ("交易街社区", "生成里社区", "汉润里社区", "积庆里社区", "江汉路社区", "泰宁街社区", "花楼街社区"),
    ),
    StationSpec(
        "gusaoshu",
        "姑嫂树派出所",
        "gss",
        "hanxingjie",
        ("姑嫂树路", "发展大道", "红旗渠路"),
        ("姑嫂树社区", "双墩社区", "红旗渠社区", "振兴社区", "复兴村社区", "新村社区"),
    ),
    StationSpec(
        "minyi",
        "民意派出所",
        "my",
        "minyijie",
        ("民意一路", "民意四路", "解放大道", "新华下路"),
        ("民意社区", "天门墩社区", "新华下路社区", "大兴社区", "西园社区", "铭新街社区"),
    ),
    StationSpec(
        "jjkfq",
        "江汉经济开发区派出所",
        "kfq",
        "hanxingjie",
        ("江兴路", "江旺路", "江发路", "江达路"),
        ("江兴社区", "江旺社区", "江发社区", "江达社区", "汉兴社区"),
    ),
    StationSpec(
        "xinhualu",
        "新华路派出所",
        "xhl",
        "xinhuajie",
        ("新华路", "建设大道", "精武路"),
        ("新华路社区", "精武路社区", "西马社区", "安静社区", "金兴社区", "市场社区"),
    ),
    StationSpec(
        "wansongyuan",
        "万松园派出所",
        "wsy",
        "wansongjie",
        ("万松园路", "青年路", "雪松路", "航空路"),
        ("万松园社区", "雪松社区", "青年路社区", "马场社区", "航空路社区", "贺家墩社区"),
    ),
    StationSpec(
        "tangjiadun",
        "唐家墩派出所",
        "tjd",
        "tangjiadunjie",
        ("唐家墩路", "建设大道", "发展大道"),
        ("唐家墩社区", "新湾社区", "建设新村社区", "华安里社区", "益寿社区", "菱角湖社区"),
    ),
    StationSpec(
        "beihu",
        "北湖派出所",
        "bh",
        "beihujie",
        ("北湖正街", "北湖西路", "新华路"),
        ("北湖社区", "北湖正街社区", "香江社区", "青松社区", "荣华社区"),
    ),
    StationSpec(
        "changqing",
        "常青派出所",
        "cq",
        "changqingjie",
        ("常青路", "长港路", "常码头路"),
        ("常青一村社区", "常青二村社区", "常青三村社区", "长青社区", "长港社区", "常码头社区", "新常青社区"),
    ),
    StationSpec(
        "hanxing",
        "汉兴派出所",
        "hx",
        "hanxingjie",
        ("发展大道", "汉兴路", "红旗渠路"),
        ("汉兴一村社区", "汉兴二村社区", "红旗社区", "宝岛社区", "汇北社区", "发展社区"),
    ),
    StationSpec(
        "qianjin",
        "前进派出所",
        "qj",
        "qianjinjie",
        ("前进一路", "前进四路", "中山大道", "友谊路"),
        ("前进社区", "保成社区", "三德里社区", "友谊路社区", "仁寿社区", "永康社区"),
    ),
    StationSpec(
        "minzu",
        "民族派出所",
        "mz",
        "minzujie",
        ("民族路", "长堤街", "中山大道"),
        ("民族路社区", "长堤街社区", "联保里社区", "龙王庙社区", "永宁社区", "德兴社区"),
    ),
    StationSpec(
        "shuita",
        "水塔派出所",
        "st",
        "shuitajie",
        ("中山大道", "统一街", "民生路"),
        ("水塔社区", "大董家巷社区", "统一街社区", "福建街社区", "民生路社区", "清芬社区"),
    ),
    StationSpec(
        "minquan",
        "民权派出所",
        "mq",
        "minquanjie",
        ("民权路", "江汉二路", "中山大道"),
        ("民权社区", "扬子街社区", "大夹街社区", "宝善社区", "江汉二路社区", "五福社区"),
    ),
    StationSpec(
        "manchun",
        "满春派出所",
        "mc",
        "manchunjie",
        ("满春路", "中山大道", "民生路"),
        ("满春社区", "新安社区", "六渡桥社区", "友益街社区", "三新社区"),
    ),
    StationSpec(
        "yangchahu",
        "杨汊湖派出所",
        "ych",
        "tangjiadunjie",
        ("杨汊湖路", "建设大道", "红旗渠路"),
        ("杨汊湖社区", "杨汊湖西社区", "红苗社区", "新桥社区", "建北社区", "振华社区"),
    ),
    StationSpec(
        "dandong",
        "单洞派出所",
        "dd",
        "xinhuajie",
        ("单洞路", "新华路", "解放大道"),
        ("单洞社区", "新华新村社区", "同兴社区", "铁路社区", "西北社区"),
    ),
    StationSpec(
        "xibeihu",
        "西北湖派出所",
        "xbh",
        "wansongjie",
        ("西北湖路", "建设大道", "青年路"),
        ("西北湖社区", "松柏社区", "体育馆社区", "新华家园社区", "建设西社区"),
    ),
    StationSpec(
        "taibei",
        "台北派出所",
        "tb",
        "beihujie",
        ("台北一路", "台北路", "香港路", "解放大道"),
        ("台北社区", "香港路社区", "台北一路社区", "花园社区", "长春社区", "中原社区"),
    ),
]

PATROL_POSTS = [
    StationSpec("wuzhan", "武展警务站", "wuzhan", "wansongjie", ("解放大道",)),
    StationSpec("hankou-railway", "汉口火车站警务站", "hkz", "changqingjie", ("发展大道",)),
    StationSpec("jianghanlu", "江汉路步行街警务站", "jhl", "hualoujie", ("江汉路",)),
    StationSpec("wangjiadun", "王家墩警务站", "wjd", "tangjiadunjie", ("建设大道",)),
    StationSpec("xibeihu-post", "西北湖警务站", "xbhz", "wansongjie", ("西北湖路",)),
    StationSpec("jiefangdadao", "解放大道警务站", "jfdd", "minyijie", ("解放大道",)),
]

# The places each post patrols besides its road sections (StationSpec.roads), by post code.
PATROL_PLACES = {
    "wuzhan": ("武汉国际会展中心", "武展地铁站出口", "解放大道武展段公交站"),
    "hankou-railway": ("汉口火车站北广场", "汉口火车站南广场", "长途汽车站"),
    "jianghanlu": ("江汉路地铁站", "步行街中心广场", "江汉关"),
    "wangjiadun": ("王家墩商务区", "建设大道公交枢纽"),
    "xibeihu-post": ("西北湖广场", "西北湖地铁站"),
    "jiefangdadao": ("解放大道菱角湖段", "菱角湖万达广场"),
}

DEPARTMENTS = [
    ("population", "人口管理大队"),
    ("public_order", "治安管理大队"),
    ("patrol", "巡警大队"),
    ("narcotics", "禁毒大队"),
    ("internal_security", "内保大队"),
    ("criminal_investigation", "刑侦大队"),
    ("command", "指挥中心"),
]

# code, name, feedback hours, risk weight, share of all incidents (%), happens at home
DISPUTE_CATEGORIES = [
    ("family", "家庭纠纷", 3, "1.5", 6.0, True),
    ("marriage", "婚恋纠纷", 6, "1.5", 2.5, True),
    ("neighbour", "邻里纠纷", 9, "1.2", 5.0, True),
    ("property_land", "房屋土地纠纷", 24, "1.0", 1.5, True),
    ("labour", "劳资纠纷", 9, "1.3", 3.0, False),
    ("economic", "经济纠纷", 24, "1.0", 2.0, False),
    ("medical", "医疗纠纷", 6, "1.4", 1.0, False),
    ("property_management", "物业纠纷", 24, "1.0", 3.0, True),
    ("traffic_dispute", "交通事故纠纷", 9, "1.0", 3.0, False),
    ("consumer", "消费纠纷", 24, "1.0", 3.0, False),
    ("enterprise", "企业纠纷", 24, "1.2", 1.0, False),
    ("demolition", "拆迁纠纷", 24, "1.5", 0.5, True),
    ("loan", "借贷纠纷", 24, "1.2", 2.0, True),
    ("support", "赡养抚养纠纷", 6, "1.3", 1.0, True),
    ("noise", "噪音扰民纠纷", 9, "1.0", 4.0, True),
    ("domestic_violence", "家庭暴力", 3, "3.0", 1.5, True),
]
OTHER_CATEGORIES = [
    ("help", "求助", 14.0, False),
    ("traffic", "交通事故", 12.0, False),
    ("fire", "火情", 2.0, True),
    ("inquiry", "咨询", 6.0, True),
    ("suspicious", "可疑情况", 6.0, False),
    ("lost", "遗失物品", 5.0, False),
]
CRIMINAL_CATEGORIES = [
    ("theft", "盗窃", 7.0, False),
    ("fraud", "诈骗", 5.0, True),
    ("robbery", "抢劫", 0.5, False),
    ("assault", "故意伤害", 2.5, False),
]

SUMMARIES: dict[str, list[str]] = {
    "family": [
        "报警人称与丈夫因家庭琐事发生争吵，双方情绪激动，要求民警到场调解",
        "报警人称儿子酗酒后在家中摔砸物品，与家人发生口角",
        "报警人称与婆婆因照看孩子问题发生争执，要求处理",
        "报警人称与妻子因经济问题争吵，对方将其锁在门外",
    ],
    "marriage": [
        "报警人称与前男友因分手问题发生纠纷，对方多次到其住处纠缠",
        "报警人称女方提出分手后双方因彩礼{money}元退还问题发生争执",
        "报警人称与同居女友因感情问题争吵，对方情绪激动扬言轻生",
    ],
    "neighbour": [
        "报警人称与楼下邻居因漏水问题发生纠纷，双方多次协商未果",
        "报警人称邻居在楼道堆放杂物，双方发生口角",
        "报警人称与邻居因停车位问题发生争执，对方堵住其车辆",
    ],
    "property_land": [
        "报警人称与房东因退还押金问题发生纠纷，房东拒不退还{money}元",
        "报警人称其房屋被他人占用，要求民警处理",
        "报警人称与中介因购房定金{money}元问题发生纠纷",
    ],
    "labour": [
        "报警人称在{road}某工地务工，老板拖欠工资{money}元至今未付",
        "报警人称被餐馆无故辞退，老板拒绝结算本月工资",
        "报警人称十余名工人因包工头拖欠工资聚集在项目部讨要",
    ],
    "economic": [
        "报警人称与合伙人因分账问题发生纠纷，对方拒不结算货款{money}元",
        "报警人称向商户预付货款后对方迟迟不发货，双方发生争执",
    ],
    "medical": [
        "报警人称其父亲在医院治疗后病情加重，家属与医护人员发生争执",
        "报警人称在诊所输液后出现过敏反应，与诊所就赔偿问题发生纠纷",
    ],
    "property_management": [
        "报警人称物业公司因其拖欠物业费将其车辆拦在小区门外",
        "报警人称小区电梯多次故障，业主与物业工作人员发生争执",
        "报警人称物业擅自停水停电，与物业工作人员发生口角",
    ],
    "traffic_dispute": [
        "报警人称在{road}与一辆电动车发生刮擦，双方就赔偿问题协商不成",
        "报警人称其停放的车辆被倒车撞坏，对方不愿赔偿",
    ],
    "consumer": [
        "报警人称在{road}某理发店办卡后店铺关门，要求退还余额{money}元",
        "报警人称在商场购买的手机存在质量问题，商家拒绝退换",
        "报警人称在餐馆就餐时发现异物，与店家发生争执",
    ],
    "enterprise": [
        "报警人称与某公司因合同履行问题发生纠纷，对方拒付款项{money}元",
        "报警人称公司股东之间因经营问题发生争执，一方强行搬走公司财物",
    ],
    "demolition": [
        "报警人称其房屋在征收过程中被施工方损坏，要求处理",
        "报警人称与拆迁方就补偿款问题发生纠纷，现场有人员聚集",
    ],
    "loan": [
        "报警人称朋友向其借款{money}元后拒不归还，现联系不上对方",
        "报警人称借给亲戚{money}元，多次催要未果，双方发生争执",
    ],
    "support": [
        "报警人称母亲年迈体弱，兄弟姐妹之间因赡养问题发生争执",
        "报警人称前夫拒不支付孩子抚养费，双方发生口角",
    ],
    "noise": [
        "报警人称楼上住户深夜装修，噪音扰民，协商无果",
        "报警人称附近广场舞音响声音过大，影响休息",
        "报警人称楼下烧烤店深夜喧哗，影响周边居民休息",
    ],
    "domestic_violence": [
        "报警人称与丈夫发生口角，对方扬言要把她扔下楼",
        "报警人称被丈夫殴打，面部受伤，要求民警到场",
        "报警人称丈夫酒后对其拳打脚踢，现躲在邻居家中",
    ],
    "help": [
        "报警人称家中老人走失，身穿灰色外套，请求帮助寻找",
        "报警人称钥匙锁在屋内，屋内有幼童，请求帮助",
        "报警人称在{road}有一醉酒男子躺在路边，请求帮助",
    ],
    "traffic": [
        "报警人称在{road}发生两车追尾事故，无人员受伤",
        "报警人称在{road}一辆出租车与电动车相撞，有人受伤",
    ],
    "fire": ["报警人称所在居民楼楼道内有杂物起火，冒出浓烟"],
    "inquiry": ["报警人咨询办理居住证相关事宜", "报警人咨询户口迁移所需材料"],
    "suspicious": [
        "报警人称{road}附近有一男子多次在小区内徘徊，形迹可疑",
        "报警人称有陌生人在楼道内挨户推销，形迹可疑",
    ],
    "lost": ["报警人称在{road}乘坐出租车时将手机遗落在车上", "报警人称在{road}遗失钱包一个，内有身份证"],
    "theft": ["报警人称停放在{road}的电动车被盗", "报警人称在公交车上钱包被盗"],
    "fraud": ["报警人称接到冒充客服的电话，被骗{money}元", "报警人称在网上刷单被骗{money}元"],
    "robbery": ["报警人称在{road}被一男子抢走手机"],
    "assault": ["报警人称在{road}与他人发生冲突，被对方用酒瓶砸伤头部"],
}
MONEY = [500, 800, 1200, 2000, 3000, 5000, 8000, 12000, 20000, 35000]
PLACES = ["附近", "公交站", "便利店门口", "超市门口", "地铁站C出口", "小区门口", "路口"]

# Calls per hour of the day: quiet at dawn, an evening peak.
HOUR_WEIGHTS = [3, 2, 1.5, 1, 1, 1, 1.5, 2.5, 3.5, 4.5, 5, 5, 4.5, 4.5, 4.5, 5, 5.5, 6, 7, 7.5, 7.5, 6.5, 5, 4]


@dataclass(frozen=True)
class RepeatCaller:
    """A caller who phones again every `period` days: 一人多警."""

    name: str
    phone: str
    id_number: str
    communities: tuple[str, ...]  # one per call in turn: several places means a repeat matter
    address: str
    calls: tuple[tuple[str, str], ...]  # (category code, summary) in turn
    period: int
    offset: int
    at: dt.time


REPEAT_CALLERS = [
    RepeatCaller(
        name="陈秀兰",
        phone="13971234567",
        id_number="420103197804151264",
        communities=("hualoujie-01",),
        address="江汉区交易街36号2栋1单元602室",
        calls=(
            ("family", "报警人陈女士称与丈夫因家庭琐事发生争吵，丈夫摔砸家中物品"),
            ("domestic_violence", "报警人陈女士称与丈夫发生口角，对方扬言要把她扔下楼"),
            ("domestic_violence", "报警人陈女士称丈夫酒后对其动手，现躲在楼下，要求民警到场"),
        ),
        period=7,
        offset=2,
        at=dt.time(17, 34, 12),
    ),
    RepeatCaller(
        name="王建国",
        phone="13507161288",
        id_number="420103196509220357",
        communities=("wansongyuan-01",),
        address="江汉区万松园路118号5栋3单元1102室",
        calls=(
            ("noise", "报警人称楼上住户深夜装修，噪音扰民，多次协商无果"),
            ("neighbour", "报警人称因噪音问题上楼理论，与楼上住户发生推搡"),
        ),
        period=7,
        offset=4,
        at=dt.time(22, 41, 5),
    ),
    RepeatCaller(
        name="张志强",
        phone="18627093315",
        id_number="420103198303071519",
        communities=("jjkfq-01", "tangjiadun-02", "changqing-03"),
        address="",
        calls=(("labour", "报警人称鑫诚建筑劳务公司拖欠其及工友工资共48000元，多次讨要未果"),),
        period=8,
        offset=1,
        at=dt.time(10, 15, 40),
    ),
    RepeatCaller(
        name="李桂芳",
        phone="15827345510",
        id_number="42010319480611042X",
        communities=("minzu-02",),
        address="江汉区长堤街52号1栋2单元301室",
        calls=(("support", "报警人称儿子长期不履行赡养义务，拒付生活费，要求民警协调"),),
        period=10,
        offset=6,
        at=dt.time(9, 5, 21),
    ),
]

SURNAMES = (  # weighted: the common ones appear more than once
    "王王王李李李张张张刘刘陈陈陈杨杨黄黄赵吴周周徐孙马朱胡胡郭何高林罗"
    "郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏汪"
)
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆国志建文武兵海林峰松"
FEMALE_CHARS = "芳娟敏静丽艳娜霞秀英兰桂玉婷雪琳慧倩颖丹洁红梅萍燕玲"

GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
GB11643_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The check character of a resident ID number (GB 11643-1999)."""
    return GB11643_CHECK[sum(int(c) * w for c, w in zip(first17, GB11643_WEIGHTS, strict=True)) % 11]


def make_id_number(rng: random.Random, *, male: bool) -> str:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
    seq = rng.randrange(500) * 2 + (1 if male else 0)  # the 17th digit is odd for men
    first17 = f"{AREA_CODE}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def make_name(rng: random.Random, *, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.65 else "")
    return rng.choice(SURNAMES) + given


def make_phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def demo_logins() -> list[tuple[str, str]]:
    """The named demo logins, one per role at least, with what each is for."""
    return [
        ("center", "center staff (dashboard)"),
        ("supervisor", "supervisor (weekly rankings)"),
        ("hlj_command", "command room of 花楼街派出所 (station queue)"),
        ("hlj_leader", "duty leader of 花楼街派出所 (weekly bulletin, station queue)"),
        ("hlj_officer", "community officer of 花楼街派出所 (mobile inbox)"),
        ("wuzhan_patrol", "patrol officer at 武展警务站 (phone inbox)"),
        ("wuzhan_desk", "duty desk of 武展警务站 (the post's units, station queue)"),
        ("wuzhan_chief", "chief of 武展警务站 (the post's units, weekly bulletin)"),
        ("population", "department staff, population department (dashboard)"),
        ("neibao", "internal-security brigade (standard tasks)"),
        ("auditor", "auditor (audit log)"),
        ("hlj_street", "subdistrict office worker (pushes of the subdistrict)"),
        ("hlj_community", "community committee worker (pushes of the community)"),
        ("admin", "superuser (Django admin)"),
    ]


@dataclass
class OfficerSpec:
    username: str
    name: str
    role: str
    station: str | None = None
    department: str | None = None
    communities: list[str] = field(default_factory=list)
    patrol_unit: str | None = None
    is_auxiliary: bool = False
    badge_number: str = ""
    phone: str = ""
    subdistrict_of: str | None = None  # subdistrict workers: the subdistrict of this community


def community_code(station: StationSpec, index: int) -> str:
    return f"{station.code}-{index + 1:02d}"


def officer_specs() -> list[OfficerSpec]:
    """Every demo officer, generated in a fixed order from a fixed seed."""
    rng = random.Random(SEED)
    specs: list[OfficerSpec] = []
    district_depts = ["population", "public_order", "patrol", "narcotics", "internal_security"]
    for i in range(12):
        username = "center" if i == 0 else f"center{i + 1}"
        specs.append(OfficerSpec(username, "", Role.CENTER_STAFF, department=district_depts[i % 5]))
    for i in range(6):
        specs.append(OfficerSpec(f"center_aux{i + 1}", "", Role.CENTER_STAFF, is_auxiliary=True))
    specs.append(OfficerSpec("supervisor", "", Role.SUPERVISOR, department="command"))
    specs.append(OfficerSpec("supervisor2", "", Role.SUPERVISOR, department="command"))
    specs.append(OfficerSpec("population", "", Role.DEPARTMENT_STAFF, department="population"))
    specs.append(OfficerSpec("zhian", "", Role.DEPARTMENT_STAFF, department="public_order"))
    specs.append(OfficerSpec("jindu", "", Role.DEPARTMENT_STAFF, department="narcotics"))
    specs.append(OfficerSpec("neibao", "", Role.INTERNAL_SECURITY, department="internal_security"))
    specs.append(OfficerSpec("neibao2", "", Role.INTERNAL_SECURITY, department="internal_security"))
    specs.append(OfficerSpec("auditor", "", Role.AUDITOR))
    for station in POLICE_STATIONS:
        specs.append(OfficerSpec(f"{station.abbr}_command", "", Role.COMMAND_ROOM, station=station.code))
        specs.append(OfficerSpec(f"{station.abbr}_leader", "", Role.DUTY_LEADER, station=station.code))
        codes = [community_code(station, i) for i in range(len(station.communities))]
        for i in range(6):
            covered = [codes[j] for j in range(len(codes)) if j % 6 == i] or [codes[i % len(codes)]]
            if len(covered) == 1 and rng.random() < 0.3:
                extra = codes[(codes.index(covered[0]) + 1) % len(codes)]
                covered.append(extra)
            username = f"{station.abbr}_officer" if i == 0 else f"{station.abbr}_officer{i + 1}"
            specs.append(OfficerSpec(username, "", Role.COMMUNITY_OFFICER, station=station.code, communities=covered))
    for post in PATROL_POSTS:
        for i in range(3):
            username = f"{post.abbr}_patrol" if i == 0 else f"{post.abbr}_patrol{i + 1}"
            unit = f"{post.code}-{1 if i != 1 else 2}"
            specs.append(OfficerSpec(username, "", Role.PATROL_OFFICER, station=post.code, patrol_unit=unit))
    # Workers of the subdistrict office and the community committee of 花楼街's first community.
    specs.append(OfficerSpec("hlj_street", "", Role.SUBDISTRICT_WORKER, subdistrict_of="hualoujie-01"))
    specs.append(OfficerSpec("hlj_community", "", Role.COMMUNITY_WORKER, communities=["hualoujie-01"]))

    badges = rng.sample(range(100000, 1000000), len(specs))
    for spec, badge in zip(specs, badges, strict=True):
        spec.name = make_name(rng, male=rng.random() < 0.75)
        spec.badge_number = str(badge)
        spec.phone = make_phone(rng)
    # Each patrol post's chief and duty desk, drawn apart so that the officers above keep their names.
    posts = random.Random(SEED + 14)
    for post in PATROL_POSTS:
        for suffix, role in (("chief", Role.POST_CHIEF), ("desk", Role.DUTY_DESK)):
            spec = OfficerSpec(f"{post.abbr}_{suffix}", make_name(posts, male=posts.random() < 0.75), role)
            spec.station = post.code
            spec.badge_number = str(posts.randrange(100000, 1000000))
            spec.phone = make_phone(posts)
            specs.append(spec)
        aux = OfficerSpec(f"{post.abbr}_aux", make_name(posts, male=True), Role.PATROL_OFFICER, station=post.code)
        aux.patrol_unit, aux.is_auxiliary, aux.phone = f"{post.code}-2", True, make_phone(posts)
        specs.append(aux)
    return specs
