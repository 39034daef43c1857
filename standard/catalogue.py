"""The catalogue of standard tasks (标准件) that ships with the product, its loader, and the catalogue as Excel.

The 117 items are data: each has its lead department, basis, measures, work standard, time limit, the
departments that use its answers, and an answer sheet assembled from a library of questions. Questions
shared by many items (visited on, met in person, problems found, rectified) have one name and one type
everywhere, so that a combined sheet asks them once.

`load()` creates whatever of the shipped catalogue is missing (a migration calls it with its app
registry; seeds and tests call it plainly). The Excel functions are pure: workbook <-> entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook, load_workbook

from core import spreadsheets

DEPARTMENTS = [
    ("population", "人口管理大队"),
    ("public_order", "治安管理大队"),
    ("patrol", "巡警大队"),
    ("narcotics", "禁毒大队"),
    ("internal_security", "内保大队"),
    ("criminal_investigation", "刑侦大队"),
    ("command", "指挥中心"),
]

SHEET_PREFIX = "std-"


def sheet_code(task_code: str) -> str:
    return f"{SHEET_PREFIX}{task_code.lower()}"


# --- the question library ------------------------------------------------------------------------


def _q(name: str, label: str, kind: str, required: bool = True, **extra: Any) -> dict[str, Any]:
    return {"name": name, "label": label, "type": kind, "required": required, **extra}


def _c(name: str, label: str, options: Iterable[tuple[str, str]], kind: str = "choice", required: bool = True):
    return _q(name, label, kind, required, choices=[{"value": v, "label": t} for v, t in options])


def _n(name: str, label: str, required: bool = True) -> dict[str, Any]:
    return _q(name, label, "number", required, min=0)


def _t(name: str, label: str, required: bool = False, max_length: int = 500) -> dict[str, Any]:
    return _q(name, label, "text", required, max_length=max_length)


QUESTIONS: dict[str, dict[str, Any]] = {
    q["name"]: q
    for q in [
        # shared by many items
        _q("visited_on", "走访/检查日期", "date"),
        _q("met_in_person", "是否当面见到本人或负责人", "bool"),
        _q("found_problems", "是否发现问题或隐患", "bool"),
        _t("problems", "发现的问题或隐患"),
        _c(
            "rectified",
            "整改情况",
            [
                ("done", "已当场整改"),
                ("ordered", "已责令限期整改"),
                ("referred", "已移交相关部门"),
                ("none", "无需整改"),
            ],
        ),
        _c("risk_level", "风险等级", [("low", "低"), ("medium", "中"), ("high", "高")]),
        _t("note", "情况说明", max_length=1000),
        _q("photos", "现场照片", "photo", False),
        # people
        _c("person_status", "人员状态", [("present", "在位"), ("away", "外出（去向清楚）"), ("lost", "失联")]),
        _c("person_mood", "思想状态", [("stable", "稳定"), ("wavering", "有波动"), ("abnormal", "异常")]),
        _q("needs_help", "是否需要帮扶", "bool"),
        _q("guardian_in_place", "监护责任是否落实", "bool"),
        _c("medication", "服药情况", [("regular", "规律服药"), ("irregular", "不规律"), ("none", "未服药")]),
        _c("urine_test", "尿检结果", [("negative", "阴性"), ("positive", "阳性"), ("not_tested", "未检测")]),
        _q("agreement_kept", "是否按协议履行", "bool"),
        # households and houses
        _n("household_members", "户籍在册人数"),
        _n("actual_residents", "实际居住人数"),
        _q("info_matches", "登记信息是否与实际一致", "bool"),
        _n("newly_registered", "新登记人数"),
        _q("documents_checked", "身份证件是否核验", "bool"),
        _n("tenants", "承租人数"),
        _q("tenants_registered", "承租人是否全部登记", "bool"),
        _q("contract_signed", "是否签订治安责任保证书", "bool"),
        _q("registered_in_time", "是否在规定时限内登记", "bool"),
        _q("record_cancelled", "户口或登记是否已注销", "bool"),
        # premises
        _q("registration_ok", "实名登记是否落实", "bool"),
        _n("guests_checked", "抽查人数"),
        _q("cameras_ok", "视频监控是否正常", "bool"),
        _n("security_staff", "在岗保安人数"),
        _q("minors_found", "是否发现未成年人违规进入", "bool"),
        _q("ledger_ok", "登记台账是否齐全", "bool"),
        _q("xray_ok", "安检（过机）是否落实", "bool"),
        _q("licence_ok", "证照是否齐全有效", "bool"),
        # fire safety
        _q("extinguishers_ok", "灭火器配置是否有效", "bool"),
        _q("exits_clear", "安全出口、疏散通道是否畅通", "bool"),
        _c(
            "fire_hazards",
            "消防隐患类型",
            [
                ("ebike_indoor", "电动车入户或楼道充电"),
                ("wiring", "私拉乱接电线"),
                ("blocked", "堵塞疏散通道"),
                ("equipment", "消防设施损坏"),
                ("three_in_one", "人员住宿与经营、仓储混合"),
                ("other", "其他"),
            ],
            kind="multi",
            required=False,
        ),
        # disputes and calls
        _n("disputes_found", "排查发现纠纷数"),
        _n("disputes_settled", "已化解纠纷数"),
        _c(
            "dispute_stage",
            "化解进展",
            [("settled", "已化解"), ("in_progress", "化解中"), ("not_settled", "未化解"), ("referred", "已移交")],
        ),
        _q("violence_repeated", "是否再次发生家庭暴力", "bool"),
        _q("warning_issued", "是否出具告诫书", "bool"),
        _c("satisfaction", "群众满意度", [("satisfied", "满意"), ("fair", "基本满意"), ("unsatisfied", "不满意")]),
        _t("call_reason", "反复报警的原因", required=True),
        _q("reported_street", "是否报告街道", "bool"),
        _q("reported_community", "是否报告社区", "bool"),
        _q("pushed_grid", "是否推送网格员", "bool"),
        _q("address_correct", "警情地址是否准确", "bool"),
        # patrol and streets
        _n("patrol_hours", "巡逻时长（小时）"),
        _n("points_checked", "检查点位数"),
        _n("points_broken", "故障点位数"),
        _c(
            "street_hazards",
            "街面隐患类型",
            [
                ("manhole", "井盖缺失或破损"),
                ("lighting", "路灯或楼道照明损坏"),
                ("fence", "围挡破损"),
                ("parking", "车辆乱停占道"),
                ("other", "其他"),
            ],
            kind="multi",
            required=False,
        ),
        _n("people_helped", "救助或引导人数"),
        # publicity and services
        _c(
            "campaign_topics",
            "宣传主题",
            [
                ("fraud", "防范电信网络诈骗"),
                ("theft", "防盗窃"),
                ("fire", "消防安全"),
                ("drugs", "禁毒"),
                ("traffic", "交通安全"),
                ("domestic_violence", "反家庭暴力"),
            ],
            kind="multi",
        ),
        _n("people_reached", "覆盖群众人数"),
        _n("receptions", "接待群众人次"),
        _n("grid_reports", "网格员上报事项数"),
        _n("handled", "已处置事项数"),
        # enterprises and banks
        _n("staff_count", "从业人员数"),
        _q("security_system", "内部治安保卫制度是否落实", "bool"),
        _t("needs", "企业诉求"),
        _q("guards_on_duty", "保安是否在岗", "bool"),
        _q("alarm_ok", "紧急报警装置是否正常", "bool"),
        _c(
            "three_haves",
            "“三有”落实情况",
            [("publicity", "有反诈宣传资料"), ("voice", "有语音提示"), ("risk_notice", "有风险提示告知")],
            kind="multi",
        ),
        _c(
            "three_musts",
            "“三要”落实情况",
            [("ask_purpose", "要问转账用途"), ("warn", "要作反诈提醒"), ("sign_form", "要签风险告知书")],
            kind="multi",
        ),
        _q("intercepted", "是否成功拦截", "bool"),
        _n("amount_saved", "避免损失金额（元）", required=False),
        _q("storage_ok", "储存和保管是否符合规定", "bool"),
        # investigations
        _q("clue_found", "是否发现线索", "bool"),
        _t("clue", "线索描述"),
        _n("loss_amount", "被骗金额（元）", required=False),
        _q("anti_fraud_app", "是否已安装国家反诈中心APP", "bool"),
    ]
}

VISIT = ["visited_on", "met_in_person"]
CHECK = ["visited_on", "found_problems", "problems", "rectified"]
CLOSE = ["note", "photos"]
PERSON = [*VISIT, "person_status", "person_mood", "risk_level"]
FIRE = [*CHECK, "extinguishers_ok", "exits_clear", "fire_hazards", *CLOSE]
PREMISES = [*CHECK, "licence_ok", "ledger_ok", *CLOSE]

# --- the items -----------------------------------------------------------------------------------
# (code, name, time limit, basis, measures, work standard, questions); time limit: "24h", "3d", or
# "weekly" / "monthly" / "quarterly". Each section: lead department, departments using the answers.

Item = tuple[str, str, str, str, str, str, list[str]]

# fmt: off
SECTIONS: list[tuple[str, list[str], list[Item]]] = [
    (
        "population",
        ["population", "public_order"],
        [
            ("RK01", "常住人口户籍信息核查", "quarterly",
             "《中华人民共和国户口登记条例》；《公安机关社区警务工作规定》",
             "逐户上门核对常住人口姓名、公民身份号码、住址和联系方式，发现人户分离、信息错误的当场登记。",
             "辖区户籍人口逐户核查到位，信息准确率100%；错误信息3个工作日内更正。",
             [*VISIT, "household_members", "actual_residents", "info_matches", *CLOSE]),
            ("RK02", "流动人口居住登记", "7d",
             "《居住证暂行条例》；《湖北省流动人口服务管理条例》",
             "对新入住的流动人口上门登记，核验身份证件，采集照片和联系方式，告知申领居住证的条件。",
             "流动人口入住后登记率100%，信息项填写完整，身份证件逐人核验。",
             [*VISIT, "newly_registered", "documents_checked", *CLOSE]),
            ("RK03", "出租房屋走访登记", "monthly",
             "《租赁房屋治安管理规定》（公安部令第24号）；《商品房屋租赁管理办法》",
             "上门核查出租房屋，登记房主和承租人信息，签订治安责任保证书，查看消防安全状况。",
             "出租房屋登记率、治安责任保证书签订率均达100%，每月至少走访一次，隐患当场告知整改。",
             [*VISIT, "tenants", "tenants_registered", "contract_signed", "found_problems", "problems", "rectified",
              *CLOSE]),
            ("RK04", "群租房排查整治", "7d",
             "《租赁房屋治安管理规定》；《商品房屋租赁管理办法》第八条",
             "排查一套住房内分割出租、床位出租的群租房，登记居住人员，会同社区和房管部门督促整改。",
             "发现群租房逐户建档，居住人员全部登记，整改不到位的报告街道联合处置。",
             [*VISIT, "tenants", "tenants_registered", "found_problems", "problems", "rectified", *CLOSE]),
            ("RK05", "重点人员见面走访", "monthly",
             "《重点人口管理工作规定》；《公安机关社区警务工作规定》",
             "与重点人员见面谈话，掌握其居住、工作、交往和思想动态，落实社区和家庭共同管控。",
             "每月见面不少于一次，动态信息当日录入，发现异常立即报告所领导和分局。",
             [*PERSON, *CLOSE]),
            ("RK06", "刑满释放人员安置帮教", "monthly",
             "《关于加强刑满释放人员救助管理工作的意见》；《中华人民共和国监狱法》第三十五条",
             "刑满释放人员回归后5日内见面，会同司法所、社区落实安置帮教，了解就业和生活困难。",
             "衔接率、见面率100%，帮教档案一人一档，失联人员24小时内上报。",
             [*PERSON, "needs_help", *CLOSE]),
            ("RK07", "社区矫正对象协助管控", "monthly",
             "《中华人民共和国社区矫正法》第二十四条",
             "配合司法所核查社区矫正对象在位情况，发现脱管漏管、违反监管规定的及时通报。",
             "每月核查一次在位情况，发现违规当日通报司法所，脱管人员协助查找。",
             [*PERSON, *CLOSE]),
            ("RK08", "肇事肇祸精神障碍患者排查管控", "monthly",
             "《中华人民共和国精神卫生法》；《严重精神障碍管理治疗工作规范》",
             "会同社区医生、网格员走访严重精神障碍患者，核实监护人、服药和病情，评估肇事肇祸风险。",
             "在册患者每月见面评估，监护责任落实率100%，高风险患者当日报告并落实送医或管控。",
             [*VISIT, "person_status", "guardian_in_place", "medication", "risk_level", *CLOSE]),
            ("RK09", "孤寡独居老人关爱走访", "monthly",
             "《中华人民共和国老年人权益保障法》；《公安机关社区警务工作规定》",
             "走访辖区孤寡、独居老人，了解生活状况和安全隐患，宣传防诈骗知识，登记帮扶需求。",
             "每月走访一次，帮扶需求3日内转交社区，发现意外情况立即处置。",
             [*VISIT, "person_status", "needs_help", "found_problems", "problems", *CLOSE]),
            ("RK10", "留守儿童与困境儿童走访", "quarterly",
             "《中华人民共和国未成年人保护法》第八十一条；《国务院关于加强困境儿童保障工作的意见》",
             "会同社区儿童主任走访留守、困境儿童，了解监护和就学情况，发现侵害线索及时处置。",
             "每季度走访一次，监护缺失情况报告民政部门，侵害线索当日立案核查。",
             [*VISIT, "guardian_in_place", "needs_help", "risk_level", *CLOSE]),
            ("RK11", "境外人员住宿登记核查", "24h",
             "《中华人民共和国出境入境管理法》第三十九条；《外国人入境出境管理条例》",
             "核查在社会面住宿的境外人员，核验护照和签证，督促留宿人24小时内办理住宿登记。",
             "境外人员住宿登记率100%，证件逐一核验，未登记的当场补登并告知法律责任。",
             [*VISIT, "documents_checked", "registered_in_time", *CLOSE]),
            ("RK12", "境外常住人员走访", "quarterly",
             "《中华人民共和国出境入境管理法》；《外国人在中国永久居留审批管理办法》",
             "走访在辖区长期居住、工作、学习的境外人员，核实居留证件有效期和工作单位。",
             "每季度走访一次，证件即将到期的提前30日提醒，非法居留、非法就业线索当日上报。",
             [*VISIT, "documents_checked", "info_matches", *CLOSE]),
            ("RK13", "死亡人口注销核查", "7d",
             "《中华人民共和国户口登记条例》第八条",
             "根据医院、殡葬和民政推送的死亡信息上门核实，督促家属办理户口注销。",
             "死亡信息推送后7日内核实，应注销户口注销率100%。",
             ["visited_on", "info_matches", "record_cancelled", "note"]),
            ("RK14", "新生儿出生登记核查", "7d",
             "《中华人民共和国户口登记条例》第七条",
             "根据出生医学证明推送信息核查新生儿落户情况，对未落户的上门告知办理。",
             "出生一个月内落户率100%，无户口新生儿逐一跟踪至落户。",
             ["visited_on", "info_matches", "registered_in_time", "note"]),
            ("RK15", "人户分离人员核查", "monthly",
             "《中华人民共和国户口登记条例》；《公安机关社区警务工作规定》",
             "核查户在人不在、人在户不在人员的实际去向，更新实有人口信息。",
             "人户分离人员去向清楚率95%以上，信息当月更新。",
             [*VISIT, "person_status", "info_matches", *CLOSE]),
            ("RK16", "重复户口、虚假户口清理", "7d",
             "《中华人民共和国户口登记条例》；《公安部关于清理整顿重复户口的通知》",
             "对系统比对发现的重复、虚假户口逐人核实，按程序注销或更正。",
             "线索7日内核实完毕，确认的重复、虚假户口全部清理。",
             ["visited_on", "info_matches", "record_cancelled", "note"]),
            ("RK17", "居民身份证上门办理服务", "3d",
             "《中华人民共和国居民身份证法》；《公安机关便民利民措施》",
             "为行动不便的老人、残疾人和重病人员上门采集照片、指纹，办理或换领居民身份证。",
             "接到申请3日内上门服务，采集信息一次合格。",
             [*VISIT, "documents_checked", "note"]),
            ("RK18", "实有房屋基础信息采集", "quarterly",
             "《公安机关社区警务工作规定》；《湖北省实有人口和房屋管理办法》",
             "逐栋逐户采集房屋地址、产权人、用途和居住人员，做到人房对应。",
             "实有房屋采集率100%，人房关联准确率95%以上。",
             ["visited_on", "household_members", "actual_residents", "info_matches", "note"]),
            ("RK19", "标准地址核查维护", "quarterly",
             "《地名管理条例》；《公安机关标准地址库建设规范》",
             "核对辖区道路、门牌、楼栋、单元地址，新建和变更地址及时维护。",
             "标准地址准确率100%，新增地址7日内入库。",
             ["visited_on", "info_matches", "found_problems", "problems", "note"]),
            ("RK20", "辖区单位基础信息采集", "quarterly",
             "《企业事业单位内部治安保卫条例》；《公安机关社区警务工作规定》",
             "采集辖区机关、企业、商户的名称、地址、负责人、从业人员等基础信息。",
             "单位信息采集率100%，信息变更当季更新。",
             [*VISIT, "staff_count", "info_matches", *CLOSE]),
            ("RK21", "网格员信息对接", "weekly",
             "《关于加强和完善城乡社区治理的意见》；《公安机关社区警务工作规定》",
             "每周与社区网格员碰头，汇总网格员上报的人、房、物、事信息，逐条处置或流转。",
             "每周对接一次，网格员上报事项3日内答复，处置结果反馈网格员。",
             ["visited_on", "grid_reports", "handled", "note"]),
            ("RK22", "社区警务室坐班接待", "weekly",
             "《公安机关社区警务工作规定》第十二条",
             "按公示时间在社区警务室坐班，接待群众求助、咨询，办理户籍等便民事项。",
             "每周坐班不少于两个半天，来访登记完整，群众诉求当场答复或限期办结。",
             ["visited_on", "receptions", "note"]),
            ("RK23", "社区安全防范宣传", "monthly",
             "《公安机关社区警务工作规定》；《中华人民共和国反电信网络诈骗法》第八条",
             "在小区、楼栋和居民群开展防诈骗、防盗窃、消防安全等宣传，张贴提示，讲解典型案例。",
             "每月至少开展一次，覆盖辖区所有小区，宣传照片留档。",
             ["visited_on", "campaign_topics", "people_reached", *CLOSE]),
            ("RK24", "无户口人员排查登记", "quarterly",
             "《国务院办公厅关于解决无户口人员登记户口问题的意见》",
             "排查辖区无户口人员，逐人登记原因，指导其按政策办理落户。",
             "排查无遗漏，符合条件的无户口人员全部办理落户。",
             [*VISIT, "info_matches", "needs_help", *CLOSE]),
            ("RK25", "流动人口聚居区走访", "monthly",
             "《居住证暂行条例》；《湖北省流动人口服务管理条例》",
             "走访城中村、工地宿舍等流动人口聚居区，核对居住人员，了解矛盾隐患。",
             "每月走访一次，居住人员登记率100%，隐患当场登记并跟踪整改。",
             [*VISIT, "actual_residents", "tenants_registered", "found_problems", "problems", "rectified", *CLOSE]),
        ],
    ),
    (
        "public_order",
        ["public_order", "population"],
        [
            ("ZA01", "旅馆业治安检查", "monthly",
             "《旅馆业治安管理办法》；《中华人民共和国反恐怖主义法》第二十一条",
             "检查旅馆旅客实名登记、访客登记、视频监控和治安管理制度，抽查在住旅客。",
             "每月检查一次，旅客登记率、信息上传率均达100%，违规问题当场责令整改。",
             [*CHECK, "registration_ok", "guests_checked", "cameras_ok", *CLOSE]),
            ("ZA02", "民宿与短租房治安检查", "monthly",
             "《旅馆业治安管理办法》；《中华人民共和国反恐怖主义法》第二十一条",
             "检查民宿、网约房的实名登记、入住人员核验和安全管理，督促接入旅客登记系统。",
             "民宿和网约房登记系统接入率100%，住客实名核验率100%。",
             [*CHECK, "registration_ok", "guests_checked", *CLOSE]),
            ("ZA03", "娱乐场所治安检查", "monthly",
             "《娱乐场所管理条例》；《娱乐场所治安管理办法》",
             "检查歌舞、游艺场所的营业时间、保安配备、视频监控和从业人员登记，查处未成年人违规进入。",
             "每月检查一次，保安在岗、监控完好，违法违规行为依法查处。",
             [*CHECK, "security_staff", "cameras_ok", "minors_found", *CLOSE]),
            ("ZA04", "互联网上网服务场所检查", "monthly",
             "《互联网上网服务营业场所管理条例》",
             "检查网吧上网人员实名登记、未成年人进入和安全技术措施落实情况。",
             "上网实名登记率100%，未成年人违规进入零容忍，发现即查处。",
             [*CHECK, "registration_ok", "minors_found", *CLOSE]),
            ("ZA05", "洗浴足浴按摩场所检查", "monthly",
             "《娱乐场所治安管理办法》；《中华人民共和国治安管理处罚法》",
             "检查洗浴、足浴、按摩场所的从业人员登记、包间设置和治安防范制度。",
             "每月检查一次，从业人员登记率100%，涉黄线索当日核查。",
             [*CHECK, "ledger_ok", "cameras_ok", *CLOSE]),
            ("ZA06", "矛盾纠纷排查", "weekly",
             "《中华人民共和国人民调解法》；《公安机关参与矛盾纠纷多元化解工作规范》",
             "会同社区、网格员排查家庭、邻里、物业、劳资等矛盾纠纷，逐件登记并评估风险。",
             "每周排查一次，纠纷登记无遗漏，高风险纠纷当日报告并落实稳控。",
             ["visited_on", "disputes_found", "disputes_settled", "risk_level", "note"]),
            ("ZA07", "重点矛盾纠纷化解跟踪", "3d",
             "《中华人民共和国人民调解法》；《公安机关参与矛盾纠纷多元化解工作规范》",
             "对排查出的重点矛盾纠纷逐件跟踪，联合调解组织开展化解，防止“民转刑”。",
             "重点纠纷3日内见面化解，化解前每周回访一次，化解结果录入系统。",
             [*VISIT, "dispute_stage", "risk_level", *CLOSE]),
            ("ZA08", "家庭暴力警情回访", "3d",
             "《中华人民共和国反家庭暴力法》第十五条、第十六条",
             "对家庭暴力警情当事人上门回访，了解是否再次发生暴力，依法出具告诫书，告知人身安全保护令。",
             "家暴警情3日内回访，告诫书应出尽出，高风险家庭纳入重点跟踪。",
             [*VISIT, "violence_repeated", "warning_issued", "risk_level", *CLOSE]),
            ("ZA09", "寄递物流企业安全检查", "monthly",
             "《中华人民共和国反恐怖主义法》第二十条；《邮件快件实名收寄管理办法》",
             "检查快递网点实名收寄、收寄验视、过机安检和从业人员管理。",
             "实名收寄率100%，“三项制度”落实，违规问题当场整改。",
             [*CHECK, "registration_ok", "xray_ok", *CLOSE]),
            ("ZA10", "废旧金属收购站点检查", "monthly",
             "《废旧金属收购业治安管理办法》",
             "检查废旧金属收购站点的备案、收购登记台账，查验生产性废旧金属来源。",
             "站点备案率100%，收购登记完整，可疑物品当场扣留核查。",
             PREMISES),
            ("ZA11", "机动车修理业检查", "monthly",
             "《机动车修理业、报废机动车回收业治安管理办法》",
             "检查机动车修理厂承修登记，核查拼装、改装和涉案车辆。",
             "承修登记率100%，涉案可疑车辆当日报告。",
             PREMISES),
            ("ZA12", "典当及二手手机回收检查", "monthly",
             "《典当管理办法》；《旧货流通管理办法》",
             "检查典当行、二手手机回收店的收当、收购登记和身份核验，查找赃物线索。",
             "收购登记和身份核验率100%，赃物线索当日移交办案部门。",
             PREMISES),
            ("ZA13", "印章刻制业检查", "quarterly",
             "《印铸刻字业暂行管理规则》；《国务院关于国家行政机关和企业事业单位社会团体印章管理的规定》",
             "检查印章刻制单位的承刻登记、信息上传和印章样式管理。",
             "承刻信息上传率100%，无证刻制线索当日查处。",
             PREMISES),
            ("ZA14", "开锁业检查", "quarterly",
             "《中华人民共和国治安管理处罚法》；《湖北省开锁业治安管理规定》",
             "检查开锁服务单位从业人员备案、开锁登记和身份核验。",
             "从业人员备案率100%，开锁登记完整可查。",
             PREMISES),
            ("ZA15", "保安服务单位检查", "quarterly",
             "《保安服务管理条例》",
             "检查保安服务公司和自招保安单位的保安员持证上岗、培训和制度落实。",
             "保安员持证上岗率100%，违规用工当场责令整改。",
             [*CHECK, "licence_ok", "security_staff", *CLOSE]),
            ("ZA16", "管制刀具销售点检查", "quarterly",
             "《中华人民共和国治安管理处罚法》；《管制刀具认定标准》",
             "检查五金、户外用品店的刀具销售，查处非法销售管制刀具。",
             "销售点检查全覆盖，管制刀具实名登记销售。",
             PREMISES),
            ("ZA17", "烟花爆竹销售点检查", "7d",
             "《烟花爆竹安全管理条例》",
             "节前检查烟花爆竹零售点许可、储存和防火措施，查处非法销售。",
             "零售点全部持证经营，储存量不超标，隐患当场整改。",
             [*CHECK, "licence_ok", "storage_ok", "extinguishers_ok", *CLOSE]),
            ("ZA18", "大型群众性活动安全检查", "24h",
             "《大型群众性活动安全管理条例》",
             "活动前检查场地、疏散通道、安保力量和应急预案，活动中巡查现场秩序。",
             "活动前24小时检查完毕，安全隐患消除后方可举办。",
             [*CHECK, "security_staff", "exits_clear", *CLOSE]),
            ("ZA19", "校园及周边安全检查", "monthly",
             "《中小学幼儿园安全管理办法》；《中华人民共和国未成年人保护法》",
             "检查学校门卫、保安、技防和周边摊点、网吧，落实护学岗。",
             "学校安保“四个100%”达标，周边隐患当月整治。",
             [*CHECK, "security_staff", "cameras_ok", *CLOSE]),
            ("ZA20", "医院安全秩序检查", "monthly",
             "《关于推进医院安全秩序管理工作的指导意见》",
             "检查医院警务室、安检和保安配备，排查医疗纠纷隐患。",
             "医院警务室运行正常，医疗纠纷隐患逐件登记化解。",
             [*CHECK, "security_staff", "disputes_found", *CLOSE]),
            ("ZA21", "治安复杂区域排查整治", "monthly",
             "《中华人民共和国治安管理处罚法》；《公安派出所执法执勤工作规范》",
             "对警情、案件多发的区域和场所开展排查，分析原因，提出整治措施并落实。",
             "每月排查一次，整治措施落实到人，警情环比下降。",
             [*CHECK, "risk_level", *CLOSE]),
            ("ZA22", "噪音扰民源头治理", "7d",
             "《中华人民共和国噪声污染防治法》；《中华人民共和国治安管理处罚法》第五十八条",
             "对反复报警的噪音扰民点位上门劝导，会同城管、环保等部门从源头治理。",
             "7日内见面处置，整治后回访报警人，重复报警明显下降。",
             [*VISIT, "dispute_stage", "satisfaction", *CLOSE]),
        ],
    ),
    (
        "public_order",
        ["public_order", "population"],
        [
            ("XF01", "“九小”场所消防检查", "monthly",
             "《中华人民共和国消防法》第五十三条；《公安派出所消防监督检查规定》",
             "检查小商店、小餐饮、小旅馆等“九小”场所的消防设施、疏散通道和用火用电。",
             "每月检查一次，发现隐患当场整改或下发责令整改通知书。",
             FIRE),
            ("XF02", "居民住宅小区消防检查", "quarterly",
             "《中华人民共和国消防法》；《住宅物业消防安全管理》",
             "检查小区物业消防控制室、消防设施和消防车通道。",
             "每季度检查一次，消防车通道畅通，设施完好率100%。",
             FIRE),
            ("XF03", "电动自行车违规停放充电排查", "weekly",
             "《高层民用建筑消防安全管理规定》第三十七条",
             "巡查楼道、门厅和室内电动自行车停放充电，劝导整改并督促物业设置集中充电点。",
             "每周巡查一次，发现违规停放充电当场清理。",
             FIRE),
            ("XF04", "高层建筑消防设施检查", "quarterly",
             "《高层民用建筑消防安全管理规定》",
             "检查高层建筑消防水源、自动消防设施、防火门和疏散楼梯。",
             "消防设施完好有效，防火门常闭，疏散楼梯无占用。",
             FIRE),
            ("XF05", "老旧小区消防通道排查", "monthly",
             "《中华人民共和国消防法》第二十八条",
             "排查老旧小区消防通道占用、堵塞和私搭乱建，会同社区清理。",
             "消防通道全部畅通，占用问题7日内清理。",
             FIRE),
            ("XF06", "“三合一”场所排查", "monthly",
             "《住宿与生产储存经营合用场所消防安全技术要求》",
             "排查沿街门店住宿与经营、仓储混合的“三合一”场所，督促分隔或搬离。",
             "“三合一”场所逐一建档，整改前每周复查。",
             FIRE),
            ("XF07", "群租房消防隐患排查", "monthly",
             "《中华人民共和国消防法》；《租赁房屋治安管理规定》",
             "检查群租房电气线路、疏散条件和消防器材配备。",
             "群租房消防隐患逐户登记，整改率100%。",
             FIRE),
            ("XF08", "养老机构消防检查", "quarterly",
             "《养老机构管理办法》；《中华人民共和国消防法》",
             "检查养老机构消防设施、夜间值班和疏散预案。",
             "每季度检查一次，夜间值班落实，疏散演练每年不少于两次。",
             FIRE),
            ("XF09", "出租房屋消防安全检查", "monthly",
             "《中华人民共和国消防法》；《租赁房屋治安管理规定》",
             "结合出租房屋走访检查电气线路、燃气使用和灭火器配备。",
             "出租房屋消防检查全覆盖，隐患当场告知房主整改。",
             FIRE),
            ("XF10", "消防安全宣传进社区", "quarterly",
             "《中华人民共和国消防法》第六条",
             "组织居民开展消防知识宣传和疏散逃生演练，讲解电动车和用电安全。",
             "每季度至少一次，宣传覆盖辖区所有小区。",
             ["visited_on", "campaign_topics", "people_reached", *CLOSE]),
            ("XF11", "火灾隐患整改复查", "7d",
             "《中华人民共和国消防法》第五十四条",
             "对下发责令整改通知书的单位到期复查，未整改的依法处罚。",
             "整改期满后3日内复查，复查记录完整。",
             FIRE),
            ("XF12", "节假日消防安全检查", "3d",
             "《中华人民共和国消防法》",
             "节假日前检查商场、市场、餐饮等人员密集场所的消防安全。",
             "节前3日内检查完毕，重大隐患停业整改。",
             FIRE),
        ],
    ),
    (
        "patrol",
        ["patrol", "public_order"],
        [
            ("XJ01", "社区治安巡逻", "weekly",
             "《城市人民警察巡逻规定》；《公安机关社区警务工作规定》",
             "在辖区小区、街巷开展步巡、车巡，盘查可疑人员和车辆，发现处置治安问题。",
             "每周巡逻不少于三次，巡逻轨迹可查，发现问题当场处置。",
             ["visited_on", "patrol_hours", "found_problems", "problems", "note"]),
            ("XJ02", "案件高发点位巡防", "weekly",
             "《城市人民警察巡逻规定》",
             "根据警情分析确定的高发路段和点位，在高发时段加强巡防。",
             "高发时段见警率提升，点位警情环比下降。",
             ["visited_on", "patrol_hours", "found_problems", "problems", "note"]),
            ("XJ03", "学校上下学护学岗", "weekly",
             "《中小学幼儿园安全管理办法》；《城市人民警察巡逻规定》",
             "在学校上学、放学时段到岗护学，疏导交通，防范侵害学生的案事件。",
             "上下学高峰护学岗到岗率100%。",
             ["visited_on", "patrol_hours", "found_problems", "problems", "note"]),
            ("XJ04", "商圈及步行街巡查", "weekly",
             "《城市人民警察巡逻规定》；《大型群众性活动安全管理条例》",
             "在商圈、步行街巡查秩序，防范盗窃、扒窃和踩踏等事件。",
             "每周巡查不少于三次，人员密集时段定点值守。",
             ["visited_on", "patrol_hours", "found_problems", "problems", "note"]),
            ("XJ05", "夜间街面巡查", "weekly",
             "《城市人民警察巡逻规定》",
             "在夜间开展街面巡查，关注夜市、酒吧周边和偏僻路段。",
             "每周夜巡不少于两次，夜间警情及时处置。",
             ["visited_on", "patrol_hours", "found_problems", "problems", "note"]),
            ("XJ06", "公交站点与地铁口巡查", "weekly",
             "《城市人民警察巡逻规定》",
             "巡查公交站点、地铁出入口，防范扒窃和拉客等违法行为。",
             "每周巡查不少于两次，违法行为当场制止。",
             ["visited_on", "patrol_hours", "found_problems", "problems", "note"]),
            ("XJ07", "治安卡口协查", "24h",
             "《公安机关办理刑事案件程序规定》；《城市人民警察巡逻规定》",
             "根据协查指令在卡口和重点路口设卡盘查，核查车辆和人员。",
             "接指令后按要求时段设卡，盘查记录完整。",
             ["visited_on", "points_checked", "clue_found", "clue", "note"]),
            ("XJ08", "流浪乞讨人员救助引导", "24h",
             "《城市生活无着的流浪乞讨人员救助管理办法》",
             "发现街面流浪乞讨人员，引导或护送至救助站，危重病人先送医。",
             "发现后24小时内处置完毕，救助信息通报民政部门。",
             ["visited_on", "people_helped", "note"]),
            ("XJ09", "群防群治队伍联合巡逻", "monthly",
             "《公安机关社区警务工作规定》；《关于加强群防群治工作的意见》",
             "组织社区志愿者、保安和网格员开展联合巡逻，落实“邻里守望”。",
             "每月至少组织一次联合巡逻，参与人员登记在册。",
             ["visited_on", "patrol_hours", "people_reached", *CLOSE]),
            ("XJ10", "视频监控点位巡检", "monthly",
             "《公共安全视频图像信息系统管理条例》",
             "巡检辖区公共视频监控点位，登记故障和盲区，报修并跟踪。",
             "每月巡检一次，故障点位3日内报修，盲区提出补点建议。",
             ["visited_on", "points_checked", "points_broken", "note"]),
            ("XJ11", "街面安全隐患排查", "weekly",
             "《城市人民警察巡逻规定》；《城市道路管理条例》",
             "排查井盖缺失、路灯和楼道照明损坏、围挡破损等隐患，推送相关部门处置。",
             "发现隐患当日推送，处置结果一周内回访。",
             [*CHECK, "street_hazards", *CLOSE]),
            ("XJ12", "节假日人员密集场所安保巡查", "24h",
             "《大型群众性活动安全管理条例》；《城市人民警察巡逻规定》",
             "节假日在火车站、商圈等人员密集场所巡查，疏导人流，防范拥挤踩踏。",
             "节假日高峰时段全程在岗，突发情况5分钟内响应。",
             ["visited_on", "patrol_hours", "found_problems", "problems", "note"]),
        ],
    ),
    (
        "narcotics",
        ["narcotics", "population"],
        [
            ("JD01", "社区戒毒人员见面帮教", "monthly",
             "《中华人民共和国禁毒法》第三十三条；《戒毒条例》",
             "与社区戒毒人员见面谈话，督促履行社区戒毒协议，按规定开展尿检。",
             "每月见面不少于一次，尿检按期完成，违反协议的当日报告。",
             [*VISIT, "person_status", "urine_test", "agreement_kept", "risk_level", *CLOSE]),
            ("JD02", "社区康复人员跟踪管控", "monthly",
             "《中华人民共和国禁毒法》第四十八条；《戒毒条例》第三十七条",
             "跟踪社区康复人员居住、就业和康复情况，会同禁毒社工落实帮扶。",
             "每月见面一次，就业和帮扶情况建档，失联人员24小时内上报。",
             [*VISIT, "person_status", "urine_test", "agreement_kept", "needs_help", *CLOSE]),
            ("JD03", "吸毒人员动态管控", "monthly",
             "《吸毒人员动态管控工作规定》",
             "掌握在册吸毒人员居住地、活动规律和交往人员，及时更新动态信息。",
             "动态信息每月更新，见面率100%。",
             [*VISIT, "person_status", "urine_test", "risk_level", *CLOSE]),
            ("JD04", "戒断三年未复吸人员回访", "quarterly",
             "《戒毒条例》；《戒断三年未复吸人员动态管控规定》",
             "回访戒断三年以上人员，了解生活状况，巩固戒断成效。",
             "每季度回访一次，回访记录完整。",
             [*VISIT, "person_status", "needs_help", *CLOSE]),
            ("JD05", "易制毒化学品经营单位检查", "quarterly",
             "《易制毒化学品管理条例》",
             "检查易制毒化学品经营单位的许可备案、购销台账和仓储安全。",
             "台账账物相符，流向可查，违规问题当场整改。",
             [*CHECK, "licence_ok", "ledger_ok", "storage_ok", *CLOSE]),
            ("JD06", "涉毒场所排查", "monthly",
             "《中华人民共和国禁毒法》；《娱乐场所管理条例》",
             "排查出租房、宾馆、娱乐场所的涉毒线索，督促场所落实禁毒责任。",
             "每月排查一次，涉毒线索当日上报。",
             [*CHECK, "clue_found", "clue", *CLOSE]),
            ("JD07", "禁毒宣传进社区、进校园", "quarterly",
             "《中华人民共和国禁毒法》第十一条",
             "在社区、学校开展毒品预防宣传，讲解新型毒品识别知识。",
             "每季度至少一次，辖区学校全覆盖。",
             ["visited_on", "campaign_topics", "people_reached", *CLOSE]),
            ("JD08", "麻精药品零售药店检查", "quarterly",
             "《麻醉药品和精神药品管理条例》",
             "检查零售药店含麻精成分药品的销售登记和处方管理。",
             "销售登记完整，异常购药线索当日核查。",
             [*CHECK, "ledger_ok", *CLOSE]),
            ("JD09", "涉毒线索核查", "3d",
             "《中华人民共和国禁毒法》；《公安机关办理刑事案件程序规定》",
             "对群众举报和上级推送的涉毒线索开展核查，查明人员和场所。",
             "线索3日内核查完毕，结果反馈禁毒大队。",
             ["visited_on", "clue_found", "clue", "note"]),
            ("JD10", "外流贩毒人员排查", "quarterly",
             "《中华人民共和国禁毒法》",
             "排查辖区户籍外流人员中有贩毒嫌疑的，掌握其去向。",
             "排查无遗漏，去向不明人员报告禁毒大队。",
             [*VISIT, "person_status", "clue_found", "clue", *CLOSE]),
            ("JD11", "吸毒人员家属走访", "quarterly",
             "《中华人民共和国禁毒法》第三十二条",
             "走访吸毒人员家属，动员家庭参与帮教，了解人员动向。",
             "每季度走访一次，家属帮教责任落实。",
             [*VISIT, "person_mood", "needs_help", *CLOSE]),
            ("JD12", "强制隔离戒毒解除人员衔接", "7d",
             "《戒毒条例》第三十七条",
             "强制隔离戒毒解除后7日内与人员见面，落实社区康复。",
             "衔接率100%，社区康复协议签订率100%。",
             [*VISIT, "person_status", "agreement_kept", *CLOSE]),
        ],
    ),
    (
        "internal_security",
        ["internal_security", "public_order"],
        [
            ("NB01", "重点企业“一企一档”走访", "monthly",
             "《企业事业单位内部治安保卫条例》；《公安机关服务保障民营经济发展的意见》",
             "走访重点企业，核对企业档案，了解治安需求和诉求，检查内部治安保卫制度。",
             "重点企业走访率100%，企业诉求登记并跟踪答复。",
             [*VISIT, "staff_count", "security_system", "needs", "found_problems", "problems", "rectified",
              *CLOSE]),
            ("NB02", "重点建设项目走访", "monthly",
             "《企业事业单位内部治安保卫条例》",
             "走访重点建设项目工地，了解施工治安环境、劳资纠纷和企业诉求。",
             "每月走访一次，阻工扰工线索当日处置。",
             [*VISIT, "staff_count", "needs", "disputes_found", *CLOSE]),
            ("NB03", "银行网点安全防范检查", "monthly",
             "《银行安全防范要求》（GA 38）；《企业事业单位内部治安保卫条例》",
             "检查银行网点保安在岗、紧急报警、视频监控和守押交接。",
             "每月检查一次，技防设施完好率100%，隐患当场整改。",
             [*CHECK, "guards_on_duty", "alarm_ok", "cameras_ok", *CLOSE]),
            ("NB04", "银行网点反诈“三有三要”检查", "monthly",
             "《中华人民共和国反电信网络诈骗法》第十六条、第十八条",
             "检查网点“三有”（反诈宣传、语音提示、风险告知）和柜面“三要”（要问用途、要作提醒、要签告知书）。",
             "“三有三要”落实率100%，未落实的网点限期整改并复查。",
             ["visited_on", "three_haves", "three_musts", "found_problems", "rectified", *CLOSE]),
            ("NB05", "警银联动可疑转账处置", "2h",
             "《中华人民共和国反电信网络诈骗法》；《警银联动工作机制》",
             "接到网点可疑大额转账报告后赶赴现场，劝阻受害人，配合银行止付。",
             "接报后立即出警，2小时内反馈处置结果。",
             ["visited_on", "intercepted", "amount_saved", "note"]),
            ("NB06", "自助银行巡查", "weekly",
             "《银行安全防范要求》（GA 38）",
             "巡查自助银行和ATM机，检查加装读卡器、张贴虚假告示等情况。",
             "每周巡查一次，异常设备当场通知银行停用。",
             [*CHECK, "cameras_ok", *CLOSE]),
            ("NB07", "学校内保检查", "quarterly",
             "《中小学幼儿园安全管理办法》；《企业事业单位内部治安保卫条例》",
             "检查学校内部安全制度、门卫登记、保安配备和应急演练。",
             "每季度检查一次，安保制度落实，隐患限期整改。",
             [*CHECK, "security_system", "guards_on_duty", *CLOSE]),
            ("NB08", "医院内保检查", "quarterly",
             "《企业事业单位内部治安保卫条例》；《关于推进医院安全秩序管理工作的指导意见》",
             "检查医院内部治安保卫制度、重点部位防护和安检设施。",
             "每季度检查一次，重点部位防护达标。",
             [*CHECK, "security_system", "guards_on_duty", *CLOSE]),
            ("NB09", "商场超市内保检查", "quarterly",
             "《企业事业单位内部治安保卫条例》",
             "检查商场超市保安、监控和防盗措施，核查盗窃警情原因。",
             "每季度检查一次，防范措施落实。",
             [*CHECK, "security_system", "cameras_ok", *CLOSE]),
            ("NB10", "危险化学品使用单位检查", "quarterly",
             "《危险化学品安全管理条例》",
             "检查危化品使用单位的储存、领用台账和治安防范措施。",
             "账物相符，储存安全，流失被盗立即报告。",
             [*CHECK, "ledger_ok", "storage_ok", *CLOSE]),
            ("NB11", "易燃易爆物品储存单位检查", "quarterly",
             "《民用爆炸物品安全管理条例》；《危险化学品安全管理条例》",
             "检查易燃易爆物品储存场所的许可、储存条件和值守。",
             "储存符合规定，值守人员在岗。",
             [*CHECK, "licence_ok", "storage_ok", *CLOSE]),
            ("NB12", "枪支弹药保管单位检查", "monthly",
             "《中华人民共和国枪支管理法》",
             "检查公务用枪和民用枪支保管单位的枪库、台账和值守制度。",
             "枪弹分离、账物相符、双人双锁，问题立即整改。",
             [*CHECK, "ledger_ok", "storage_ok", "alarm_ok", *CLOSE]),
            ("NB13", "放射源使用单位检查", "quarterly",
             "《放射性同位素与射线装置安全和防护条例》",
             "检查放射源使用单位的安全保卫措施和台账。",
             "放射源去向清楚，防护措施落实。",
             [*CHECK, "ledger_ok", "storage_ok", *CLOSE]),
            ("NB14", "供水供电供气单位检查", "quarterly",
             "《中华人民共和国反恐怖主义法》第三十一条至第三十四条",
             "检查水电气单位重点部位的物防、技防和人防措施。",
             "重点部位防护达标，应急预案完备。",
             [*CHECK, "guards_on_duty", "cameras_ok", *CLOSE]),
            ("NB15", "反恐怖防范重点目标检查", "monthly",
             "《中华人民共和国反恐怖主义法》第三十二条",
             "检查反恐重点目标的防范制度、安检和应急处置准备。",
             "每月检查一次，防范措施达标。",
             [*CHECK, "security_system", "xray_ok", *CLOSE]),
            ("NB16", "企业劳资纠纷隐患排查", "monthly",
             "《保障农民工工资支付条例》；《企业事业单位内部治安保卫条例》",
             "排查企业欠薪、裁员等劳资纠纷隐患，会同人社部门化解。",
             "隐患逐一登记，群体性苗头当日报告。",
             ["visited_on", "disputes_found", "disputes_settled", "risk_level", "note"]),
            ("NB17", "非法集资风险排查", "quarterly",
             "《防范和处置非法集资条例》",
             "排查辖区投资理财、养老服务等机构的非法集资风险。",
             "风险机构逐一建档，线索当日报告。",
             [*CHECK, "clue_found", "clue", *CLOSE]),
            ("NB18", "企业反诈宣传", "quarterly",
             "《中华人民共和国反电信网络诈骗法》第八条",
             "进企业开展反诈宣传，重点讲解财务人员防诈骗知识。",
             "重点企业每季度宣传一次，财务人员全覆盖。",
             ["visited_on", "campaign_topics", "people_reached", *CLOSE]),
        ],
    ),
    (
        "criminal_investigation",
        ["criminal_investigation"],
        [
            ("XZ01", "在逃人员线索摸排", "7d",
             "《公安机关办理刑事案件程序规定》；《公安机关追逃工作规定》",
             "在辖区落脚点、出租房、旅馆摸排在逃人员线索，发现即报告并协助抓捕。",
             "摸排覆盖重点场所，线索立即报告，不得擅自行动。",
             ["visited_on", "clue_found", "clue", "note"]),
            ("XZ02", "重点前科人员动态掌握", "monthly",
             "《公安机关办理刑事案件程序规定》",
             "掌握盗窃、诈骗等前科人员的居住、工作和活动情况。",
             "每月掌握一次动态，异常情况当日报告。",
             [*PERSON, *CLOSE]),
            ("XZ03", "多发性侵财案件防范", "monthly",
             "《中华人民共和国刑法》；《公安派出所执法执勤工作规范》",
             "针对盗窃电动车、入室盗窃等多发案件，检查小区防范设施，提出整改建议。",
             "每月检查一次，防范建议书面送达物业。",
             [*CHECK, "cameras_ok", *CLOSE]),
            ("XZ04", "电信网络诈骗受害人回访", "3d",
             "《中华人民共和国反电信网络诈骗法》",
             "回访电诈受害人，核实损失，指导安装反诈APP，防止二次被骗。",
             "报案后3日内回访，反诈APP安装率100%。",
             [*VISIT, "loss_amount", "anti_fraud_app", *CLOSE]),
            ("XZ05", "涉案人员户籍协查", "3d",
             "《公安机关办理刑事案件程序规定》",
             "根据办案单位协查请求，核实涉案人员户籍、居住和家庭情况。",
             "3日内反馈协查结果，信息准确。",
             ["visited_on", "info_matches", "person_status", "note"]),
            ("XZ06", "失踪人员查找协查", "24h",
             "《公安机关办理失踪人员案件工作规定》",
             "走访失踪人员亲友、住处和常去场所，调取周边视频。",
             "接协查后24小时内完成首轮走访，线索立即报告。",
             ["visited_on", "clue_found", "clue", "note"]),
            ("XZ07", "未破案件现场走访", "7d",
             "《公安机关办理刑事案件程序规定》",
             "对未破案件发案现场周边开展走访，收集线索。",
             "7日内完成走访，线索录入系统。",
             ["visited_on", "clue_found", "clue", "note"]),
            ("XZ08", "二手交易场所摸排", "quarterly",
             "《旧货流通管理办法》；《公安机关办理刑事案件程序规定》",
             "摸排二手车辆、二手物品交易场所，查找销赃线索。",
             "每季度摸排一次，销赃线索当日移交。",
             [*CHECK, "ledger_ok", "clue_found", "clue", *CLOSE]),
        ],
    ),
    (
        "command",
        ["command", "public_order"],
        [
            ("ZH01", "110警情回访", "3d",
             "《110接处警工作规则》",
             "电话或上门回访报警人，了解处警结果和满意度。",
             "3日内回访，不满意的查明原因并整改。",
             ["visited_on", "satisfaction", "note"]),
            ("ZH02", "重复报警人员（一人多警）走访", "3d",
             "《110接处警工作规则》；《公安机关参与矛盾纠纷多元化解工作规范》",
             "走访多次报警的当事人，查明反复报警原因，评估风险并落实化解。",
             "3日内见面，原因查清，化解措施落实到人。",
             [*VISIT, "call_reason", "dispute_stage", "risk_level", *CLOSE]),
            ("ZH03", "重复警情事项（一事多警）核查", "3d",
             "《110接处警工作规则》",
             "核查同一地址、同一事项的重复警情，查明根源，推动源头治理。",
             "3日内核查，根源问题推送相关部门。",
             [*VISIT, "call_reason", "dispute_stage", *CLOSE]),
            ("ZH04", "“三报告两推送”落实", "7d",
             "《关于建立矛盾纠纷“三报告两推送”工作机制的通知》",
             "将风险纠纷报告所领导、街道和社区，推送网格员和调解组织跟进。",
             "7日内报告推送到位，跟进情况可查。",
             ["visited_on", "reported_street", "reported_community", "pushed_grid", "note"]),
            ("ZH05", "警情地址核准", "7d",
             "《110接处警工作规则》；《公安机关标准地址库建设规范》",
             "核准警情地址，与标准地址对应，纠正错误地址。",
             "7日内核准，地址准确率95%以上。",
             ["visited_on", "address_correct", "note"]),
            ("ZH06", "社区警情分析研判", "monthly",
             "《公安机关警情分析研判工作规定》",
             "分析社区当月警情的类别、时段和地点分布，提出防控措施。",
             "每月一次，研判报告提交所领导。",
             ["visited_on", "disputes_found", "risk_level", "note"]),
            ("ZH07", "纠纷类警情回访", "24h",
             "《110接处警工作规则》；《中华人民共和国人民调解法》",
             "对现场调解的纠纷类警情回访当事人，确认是否化解。",
             "24小时内回访，未化解的纳入重点跟踪。",
             [*VISIT, "dispute_stage", "risk_level", *CLOSE]),
            ("ZH08", "社区民警工作日志报备", "weekly",
             "《公安机关社区警务工作规定》",
             "汇总一周的走访、检查和处置工作，报备指挥中心。",
             "每周报备一次，内容真实完整。",
             ["visited_on", "receptions", "handled", "note"]),
        ],
    ),
]
# fmt: on

LIMIT_RE = re.compile(r"^(\d+)([hd])$")
LIMIT_TEXT = {"weekly": "每周", "monthly": "每月", "quarterly": "每季度"}


def parse_limit(text: str) -> tuple[str, int]:
    """The time limit "24h" or "24小时", "3d" or "3天", or a recurrence ("monthly" or "每月") -> (unit, value)."""
    text = str(text).strip().lower().replace("小时", "h").replace("天", "d").replace("日", "d")
    if match := LIMIT_RE.match(text):
        value = int(match.group(1))
        if value < 1:
            raise ValueError(text)
        return ("hours" if match.group(2) == "h" else "days"), value
    for unit, chinese in LIMIT_TEXT.items():
        if text in (unit, chinese):
            return unit, 1
    raise ValueError(text)


def limit_text(unit: str, value: int) -> str:
    if unit == "hours":
        return f"{value}小时"
    if unit == "days":
        return f"{value}天"
    return LIMIT_TEXT[unit]


def entries() -> list[dict[str, Any]]:
    """The shipped catalogue, as entries (the shape `catalogue_import` and the Excel functions use)."""
    out = []
    for lead, consumers, items in SECTIONS:
        for code, name, limit, basis, measures, standard, questions in items:
            unit, value = parse_limit(limit)
            out.append(
                {
                    "code": code,
                    "name": name,
                    "lead_department": lead,
                    "basis": basis,
                    "measures": measures,
                    "work_standard": standard,
                    "limit_unit": unit,
                    "limit_value": value,
                    "consumers": consumers,
                    "fields": [dict(QUESTIONS[q]) for q in questions],
                }
            )
    return out


def load(apps: Any = None) -> int:
    """Create what is missing of the shipped catalogue; returns how many tasks were created.

    Idempotent. `apps` is a migration's app registry (historical models); None for the real ones."""
    if apps is None:
        from django.apps import apps
    department_model = apps.get_model("stations", "Department")
    sheet_model = apps.get_model("tasks", "AnswerSheet")
    task_model = apps.get_model("standard", "StandardTask")
    version_model = apps.get_model("standard", "StandardTaskVersion")
    departments = {
        code: department_model.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in DEPARTMENTS
    }
    created = 0
    for entry in entries():
        task, _new = task_model.objects.get_or_create(code=entry["code"])
        if task.current_id:
            continue
        sheet, _new = sheet_model.objects.get_or_create(
            code=sheet_code(entry["code"]), version=1, defaults={"title": entry["name"], "fields": entry["fields"]}
        )
        version = version_model.objects.create(
            task=task,
            version=1,
            name=entry["name"],
            lead_department=departments[entry["lead_department"]],
            basis=entry["basis"],
            measures=entry["measures"],
            work_standard=entry["work_standard"],
            limit_unit=entry["limit_unit"],
            limit_value=entry["limit_value"],
            answer_sheet=sheet,
        )
        version.consumers.set([departments[c] for c in entry["consumers"]])
        task.current = version
        task.save(update_fields=["current"])
        created += 1
    return created


def unload(apps: Any) -> None:
    """Undo `load` for the tasks nobody was asked to do yet (the data migration's reverse)."""
    task_model = apps.get_model("standard", "StandardTask")
    version_model = apps.get_model("standard", "StandardTaskVersion")
    sheet_model = apps.get_model("tasks", "AnswerSheet")
    codes = [e["code"] for e in entries()]
    unused = task_model.objects.filter(code__in=codes, occurrences__isnull=True, issues__isnull=True)
    unused_ids = list(unused.values_list("pk", flat=True))
    task_model.objects.filter(pk__in=unused_ids).update(current=None)
    version_model.objects.filter(task_id__in=unused_ids).delete()
    task_model.objects.filter(pk__in=unused_ids).delete()
    sheets = [sheet_code(c) for c in codes]
    sheet_model.objects.filter(code__in=sheets, instructions__isnull=True, standard_task_versions__isnull=True).delete()


# --- Excel ---------------------------------------------------------------------------------------

TASK_HEADERS = ["编号", "名称", "牵头部门", "任务依据", "任务措施", "工作标准", "完成时限", "使用部门"]
FIELD_HEADERS = ["编号", "字段名", "题目", "类型", "必填", "选项", "最小值", "最大值", "最多字数"]
TASK_KEYS = ["code", "name", "lead_department", "basis", "measures", "work_standard", "time_limit", "consumers"]
TYPE_NAMES = {
    "choice": "单选",
    "multi": "多选",
    "text": "填空",
    "number": "数字",
    "date": "日期",
    "bool": "是否",
    "photo": "照片",
}
YES, NO = "是", "否"
LIST_SEP = re.compile(r"[、,，;；\s]+")


class CatalogueFileError(Exception):
    """The workbook cannot be read as a catalogue: `errors` lists what is wrong, row by row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def to_workbook(items: list[dict[str, Any]], department_names: dict[str, str]) -> Workbook:
    """Two worksheets: the tasks, one a row; and their answer sheets, one question a row."""
    book = Workbook()
    tasks = book.active
    tasks.title = "标准件"
    tasks.append(TASK_HEADERS)
    questions = book.create_sheet("答题卡")
    questions.append(FIELD_HEADERS)
    for entry in items:
        spreadsheets.append(
            tasks,
            [
                entry["code"],
                entry["name"],
                department_names.get(entry["lead_department"], entry["lead_department"]),
                entry["basis"],
                entry["measures"],
                entry["work_standard"],
                limit_text(entry["limit_unit"], entry["limit_value"]),
                "、".join(department_names.get(c, c) for c in entry["consumers"]),
            ],
        )
        for field in entry["fields"]:
            choices = ";".join(f"{c['value']}={c['label']}" for c in field.get("choices", []))
            spreadsheets.append(
                questions,
                [
                    entry["code"],
                    field["name"],
                    field["label"],
                    TYPE_NAMES[field["type"]],
                    YES if field.get("required") else NO,
                    choices or None,
                    field.get("min"),
                    field.get("max"),
                    field.get("max_length"),
                ],
            )
    for sheet, widths in ((tasks, [8, 28, 14, 40, 50, 50, 10, 24]), (questions, [8, 20, 28, 8, 6, 50, 8, 8, 8])):
        for i, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + i)].width = width
    return book


def _cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> int | float | None:
    if value in (None, ""):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def from_workbook(file: IO[bytes], department_codes: dict[str, str]) -> list[dict[str, Any]]:
    """Read entries from a workbook written by `to_workbook` (and edited by people).

    `department_codes` maps department names and codes to codes. Raises CatalogueFileError."""
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
        raise CatalogueFileError([f"不是有效的Excel文件（{type(exc).__name__}）"]) from None
    if "标准件" not in book.sheetnames or "答题卡" not in book.sheetnames:
        raise CatalogueFileError(["工作簿需要“标准件”和“答题卡”两个工作表"])
    errors: list[str] = []
    type_codes = {v: k for k, v in TYPE_NAMES.items()} | {k: k for k in TYPE_NAMES}

    def department(value: str, where: str) -> str:
        code = department_codes.get(value)
        if code is None:
            errors.append(f"{where}：未知部门“{value}”")
        return code or ""

    items: dict[str, dict[str, Any]] = {}
    rows = book["标准件"].iter_rows(values_only=True)
    if [_cell(c) for c in next(rows, ())][: len(TASK_HEADERS)] != TASK_HEADERS:
        raise CatalogueFileError(["“标准件”工作表的表头与导出格式不一致"])
    for number, row in enumerate(rows, start=2):
        cells = dict(zip(TASK_KEYS, [_cell(c) for c in row], strict=False))
        if not any(cells.values()):
            continue
        where = f"标准件第{number}行"
        code = cells.get("code", "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", code):
            errors.append(f"{where}：编号只能由字母、数字、-和_组成")
            continue
        if code in items:
            errors.append(f"{where}：编号{code}重复")
            continue
        missing = [h for h, k in zip(TASK_HEADERS, TASK_KEYS, strict=True) if not cells.get(k)]
        if missing:
            errors.append(f"{where}：缺少{'、'.join(missing)}")
            continue
        try:
            unit, value = parse_limit(cells["time_limit"])
        except ValueError:
            errors.append(f"{where}：完成时限应写作“24小时”“3天”“每周”“每月”或“每季度”")
            continue
        items[code] = {
            "code": code,
            "name": cells["name"],
            "lead_department": department(cells["lead_department"], where),
            "basis": cells["basis"],
            "measures": cells["measures"],
            "work_standard": cells["work_standard"],
            "limit_unit": unit,
            "limit_value": value,
            "consumers": [department(c, where) for c in LIST_SEP.split(cells["consumers"]) if c],
            "fields": [],
        }
    rows = book["答题卡"].iter_rows(values_only=True)
    if [_cell(c) for c in next(rows, ())][: len(FIELD_HEADERS)] != FIELD_HEADERS:
        raise CatalogueFileError(["“答题卡”工作表的表头与导出格式不一致"])
    for number, row in enumerate(rows, start=2):
        cells = [*row, *[None] * len(FIELD_HEADERS)][: len(FIELD_HEADERS)]
        code, name, label, kind, required, choices = (_cell(c) for c in cells[:6])
        if not any((code, name, label)):
            continue
        where = f"答题卡第{number}行"
        if code not in items:
            errors.append(f"{where}：编号{code}不在“标准件”工作表中")
            continue
        if kind not in type_codes:
            errors.append(f"{where}：类型应为{'、'.join(TYPE_NAMES.values())}之一")
            continue
        field: dict[str, Any] = {"name": name, "label": label, "type": type_codes[kind], "required": required == YES}
        if choices:
            pairs = [p.split("=", 1) for p in choices.split(";") if p.strip()]
            field["choices"] = [{"value": p[0].strip(), "label": p[-1].strip()} for p in pairs]
        try:
            for key, value in zip(("min", "max", "max_length"), cells[6:9], strict=True):
                if (number_value := _number(value)) is not None:
                    field[key] = number_value
        except ValueError:
            errors.append(f"{where}：最小值、最大值和最多字数应为数字")
            continue
        items[code]["fields"].append(field)
    for code, entry in items.items():
        if not entry["fields"]:
            errors.append(f"{code}：答题卡没有题目")
    if errors:
        raise CatalogueFileError(errors)
    return list(items.values())
