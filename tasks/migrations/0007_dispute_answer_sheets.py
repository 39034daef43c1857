"""Ship an answer sheet for each of the 16 dispute categories (code `dispute-<category>`, version 1),
and point each dispute category that already exists at its sheet (unless the admin chose another).

The definitions are written out here, frozen: a later change is a new version, added by a new migration
or in the admin. Item names other code reads: `outcome` (settled / partly / not_settled) and `revisit_on`.
"""

from django.db import migrations

MOOD = [
    ("calm", "情绪平稳"),
    ("agitated", "情绪激动"),
    ("hostile", "双方对立严重"),
    ("extreme", "有过激言行或极端倾向"),
]
ACTIONS = [
    ("mediated", "现场调解"),
    ("visited", "上门走访"),
    ("warned", "批评教育/警告"),
    ("legal_advice", "法律指引"),
    ("referred", "移交相关部门"),
    ("joint", "会同社区、网格员化解"),
]
OTHER = ("other", "其他")

# code: (name, what the dispute is about, actions of this category beyond the common ones)
SHEETS = {
    "family": (
        "家庭纠纷",
        [("chores", "家庭琐事"), ("money", "经济问题"), ("children", "子女教育"), ("elder_care", "老人照料"),
         ("drinking_gambling", "酗酒、赌博"), ("violence", "肢体冲突")],
        [],
    ),
    "marriage": (
        "婚恋纠纷",
        [("breakup", "感情破裂"), ("affair", "婚外情"), ("betrothal_property", "彩礼、财产分割"),
         ("divorce_custody", "离婚、抚养权"), ("harassment", "纠缠骚扰")],
        [],
    ),
    "neighbour": (
        "邻里纠纷",
        [("noise", "噪音"), ("leak", "漏水"), ("common_space", "占用公共空间"), ("pets", "宠物"),
         ("light_air", "采光、通风"), ("sanitation", "垃圾、卫生")],
        [],
    ),
    "property_land": (
        "房屋土地纠纷",
        [("ownership", "产权归属"), ("tenancy", "房屋租赁"), ("sale", "房屋买卖"), ("land", "土地、宅基地"),
         ("illegal_building", "违章搭建"), ("inheritance", "继承")],
        [("housing", "移交住建、房管部门")],
    ),
    "labour": (
        "劳资纠纷",
        [("unpaid_wages", "拖欠工资"), ("injury", "工伤"), ("dismissal", "解除合同、辞退"),
         ("social_insurance", "社会保险"), ("overtime", "加班")],
        [("labour_inspection", "移交劳动监察部门")],
    ),
    "economic": (
        "经济纠纷",
        [("contract", "合同履行"), ("payment", "货款、欠款"), ("partnership", "合伙经营"), ("guarantee", "担保"),
         ("investment", "投资")],
        [],
    ),
    "medical": (
        "医疗纠纷",
        [("treatment_result", "治疗效果"), ("malpractice", "医疗过错"), ("fees", "医疗费用"), ("service", "服务态度"),
         ("disturbance", "扰乱医疗秩序")],
        [("medical_mediation", "移交卫健部门、医调委")],
    ),
    "property_management": (
        "物业纠纷",
        [("fees", "物业费"), ("repairs", "维修"), ("parking", "停车"), ("common_income", "公共收益"),
         ("security_cleaning", "安保、保洁")],
        [("housing", "移交住建、房管部门")],
    ),
    "traffic_dispute": (
        "交通事故纠纷",
        [("liability", "责任认定"), ("compensation", "赔偿"), ("insurance", "保险理赔"), ("scrape", "车辆剐蹭"),
         ("injury", "人员受伤")],
        [("traffic_police", "移交交管部门")],
    ),
    "consumer": (
        "消费纠纷",
        [("quality", "商品质量"), ("price", "价格、收费"), ("refund", "退换货"), ("prepaid_card", "预付卡"),
         ("service", "服务质量")],
        [("market_regulator", "移交市场监管部门")],
    ),
    "enterprise": (
        "企业纠纷",
        [("contract", "合同履行"), ("debt", "债权债务"), ("shareholders", "股东、合伙人"), ("employees", "员工"),
         ("premises", "场地、租赁")],
        [("enterprise_file", "记入一企一档")],
    ),
    "demolition": (
        "拆迁纠纷",
        [("compensation", "补偿标准"), ("resettlement", "安置"), ("valuation", "评估"), ("forced", "强制拆除"),
         ("construction", "施工扰民")],
        [("housing", "移交住建、征收部门")],
    ),
    "loan": (
        "借贷纠纷",
        [("private_loan", "民间借贷"), ("debt_collection", "讨债"), ("usury", "高息借贷"), ("online_loan", "网络借贷"),
         ("guarantee", "担保")],
        [],
    ),
    "support": (
        "赡养抚养纠纷",
        [("elder_support", "赡养费"), ("child_support", "抚养费"), ("visitation", "探视"),
         ("care_sharing", "照料分工"), ("inheritance", "遗产")],
        [],
    ),
    "noise": (
        "噪音扰民纠纷",
        [("renovation", "装修"), ("square_dance", "广场舞"), ("business", "商铺、娱乐场所"), ("construction", "施工"),
         ("household", "邻居生活噪音"), ("pets", "宠物")],
        [("urban_management", "移交城管、环保部门")],
    ),
    "domestic_violence": (
        "家庭暴力",
        [("beating", "殴打"), ("threats", "威胁、恐吓"), ("confinement", "限制人身自由"), ("abuse", "精神虐待"),
         ("economic_control", "经济控制")],
        [("warning_letter", "出具家庭暴力告诫书"), ("protection_order", "协助申请人身安全保护令"),
         ("shelter", "联系庇护、救助")],
    ),
}  # fmt: skip


def _choices(pairs):
    return [{"value": value, "label": label} for value, label in pairs]


def sheet_fields(subjects, extra_actions):
    return [
        {"name": "met_in_person", "label": "是否与当事人当面见面", "type": "bool", "required": True},
        {"name": "mood", "label": "当事人情绪", "type": "choice", "required": True, "choices": _choices(MOOD)},
        {
            "name": "subject",
            "label": "纠纷起因",
            "type": "multi",
            "required": True,
            "choices": _choices([*subjects, OTHER]),
        },
        {
            "name": "actions",
            "label": "采取的措施",
            "type": "multi",
            "required": True,
            "choices": _choices([*ACTIONS, *extra_actions, OTHER]),
        },
        {
            "name": "outcome",
            "label": "化解情况",
            "type": "choice",
            "required": True,
            "choices": _choices([("settled", "完全化解"), ("partly", "部分化解"), ("not_settled", "未化解")]),
        },
        {
            "name": "risk_level",
            "label": "风险等级",
            "type": "choice",
            "required": True,
            "choices": _choices([("low", "低"), ("medium", "中"), ("high", "高")]),
        },
        {"name": "revisit_needed", "label": "是否需要再次回访", "type": "bool", "required": True},
        {"name": "revisit_on", "label": "再次回访日期", "type": "date", "required": False},
        {
            "name": "notify",
            "label": "需推送告知",
            "type": "multi",
            "required": False,
            "choices": _choices([("subdistrict", "街道"), ("community", "社区")]),
        },
        {"name": "note", "label": "情况说明", "type": "text", "required": False, "max_length": 1000},
        {"name": "photos", "label": "现场照片", "type": "photo", "required": False},
    ]


def forwards(apps, schema_editor):
    AnswerSheet = apps.get_model("tasks", "AnswerSheet")
    Category = apps.get_model("tasks", "Category")
    for code, (name, subjects, extra_actions) in SHEETS.items():
        AnswerSheet.objects.get_or_create(
            code=f"dispute-{code}",
            version=1,
            defaults={"title": f"{name}反馈", "fields": sheet_fields(subjects, extra_actions)},
        )
        Category.objects.filter(code=code, answer_sheet_code="").update(answer_sheet_code=f"dispute-{code}")


def backwards(apps, schema_editor):
    AnswerSheet = apps.get_model("tasks", "AnswerSheet")
    Category = apps.get_model("tasks", "Category")
    for code in SHEETS:
        Category.objects.filter(code=code, answer_sheet_code=f"dispute-{code}").update(answer_sheet_code="")
        AnswerSheet.objects.filter(code=f"dispute-{code}", version=1, instructions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0006_more_instruction_kinds")]
    operations = [migrations.RunPython(forwards, backwards)]
