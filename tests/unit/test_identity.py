"""Document identity (region, years, type) and the gazetteer: one case row per phrasing the rules handle.

The texts are written for these tests in the genre's style (report heads, meeting lines, speaker
lines, review and plan headings); none is copied from a corpus file.
"""

from __future__ import annotations

import pytest

from rag.extract.rules.engine import document_facts
from rag.extract.rules.gazetteer import gazetteer
from rag.ingest.cleaning import boilerplate_spans

PROVINCE_HEAD = """2025年江西省政府工作报告
——2025年1月14日在江西省第十四届人民代表大会第四次会议上
江西省人民政府省长 叶建春
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议。
一、2024年工作回顾
过去一年，全省地区生产总值增长5.1%。我们坚持稳中求进，园区建设扎实推进，开发区改革不断深化，新区发展势头良好。
二、2025年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。到2035年基本实现现代化。
"""

DISTRICT_HEAD = """政 府 工 作 报 告
——2019年3月1日在呼伦贝尔市扎赉诺尔区第九届人民代表大会第三次会议上
扎赉诺尔区人民政府区长　　某某某
各位代表：
现在，我代表区政府向大会作工作报告，请予审议。
一、过去一年工作回顾
2018年，全区实现地区生产总值45亿元。
二、2019年工作安排
"""

SPACED_TITLE_COUNTY = """政 府 工 作 报 告
----2013年2月26日在睢宁县第十六届人民代表大会第三次会议上
县长　某某
一、2012年工作回顾
一年来，全县经济保持平稳较快发展。
"""

FIFTEENTH_PLAN = """2026年云南省政府工作报告
——二〇二六年一月二十六日在云南省第十四届人民代表大会第五次会议上
省长 某某
一、“十四五”时期发展成就和2025年工作回顾
“十四五”时期全省地区生产总值年均增长4.8%。
二、“十五五”时期主要目标和2026年重点工作
“十五五”时期主要目标是：到2030年地区生产总值年均增长5%左右，到2035年人均地区生产总值达到中等发达国家水平。
2026年经济社会发展主要预期目标是：地区生产总值增长5%左右。
"""

AUTONOMOUS_REGION = """政府工作报告
——2026年1月23日在新疆维吾尔自治区第十四届人民代表大会第五次会议上
自治区主席 某某
各位代表：
现在，我代表自治区人民政府，向大会报告工作，请予审议。
一、2025年工作和“十四五”时期主要成就
我们推动经济稳中有进。
"""

ON_BEHALF_ONLY = """各位代表：
现在，我代表铁西区人民政府向大会作工作报告，请予审议。
一、2016年工作回顾
过去一年，我们坚持稳中求进。
二、2017年工作安排
"""

DECEMBER_CONFERENCE = """在中国共产党某某县委员会全会上的报告
——2023年12月26日在中共桐庐县委十五届六次全会上
一、2023年工作回顾
二、2024年主要任务
"""

ZONE_WITHOUT_NAME = """一、高层次推进招商，全面打造园区发展新优势。园区集聚企业120家。
二、园区配套全面提升。园区道路新建3条，园区绿化率达到40%。
三、园区服务提质增效。
"""

LOCAL_UNIT = """在2024年某某经济开发区党工委工作会议上的报告
同志们：
一、2023年工作回顾
"""


@pytest.mark.parametrize(
    "text, region, parent, doc_type, review_year, plan_year",
    [
        (PROVINCE_HEAD, "江西省", None, "government_work_report", 2024, 2025),
        (DISTRICT_HEAD, "扎赉诺尔区", "呼伦贝尔市", "government_work_report", 2018, 2019),
        (SPACED_TITLE_COUNTY, "睢宁县", "徐州市", "government_work_report", 2012, 2013),
        (FIFTEENTH_PLAN, "云南省", None, "government_work_report", 2025, 2026),
        (AUTONOMOUS_REGION, "新疆维吾尔自治区", None, "government_work_report", 2025, 2026),
        (ON_BEHALF_ONLY, "铁西区", None, "government_work_report", 2016, 2017),
        (DECEMBER_CONFERENCE, "桐庐县", "杭州市", "party_work_report", 2023, 2024),
        (ZONE_WITHOUT_NAME, "园区", None, "work_plan", None, None),
        (LOCAL_UNIT, "某某经济开发区", None, "party_work_report", 2023, 2024),
    ],
    ids=["province", "district-with-parent", "spaced-title", "fifteenth-plan", "autonomous", "on-behalf",
         "december-conference", "zone-self-name", "local-unit"],
)
def test_document_identity(text, region, parent, doc_type, review_year, plan_year):
    facts = document_facts(text)
    got = (facts["region"], facts["region_parent"], facts["doc_type"], facts["review_year"], facts["plan_year"])
    assert got == (region, parent, doc_type, review_year, plan_year)


def test_a_district_keeps_its_code_and_a_province_has_no_parent():
    district = document_facts(DISTRICT_HEAD)
    assert district["region_code"] == "150703"
    province = document_facts(PROVINCE_HEAD)
    assert (province["region_code"], province["region_parent"]) == ("36", None)


def test_we_and_kind_words_are_never_the_region_of_a_named_report():
    facts = document_facts(PROVINCE_HEAD)  # the body says 我们, 园区, 开发区, 新区 many times
    assert facts["region"] == "江西省"


def test_traditional_characters_and_crlf():
    text = "2025年廣西壯族自治區政府工作報告\r\n——2025年1月20日在廣西壯族自治區第十四屆人民代表大會第四次會議上\r\n一、2024年工作回顧\r\n"
    facts = document_facts(text)
    assert (facts["region"], facts["plan_year"], facts["review_year"]) == ("广西壮族自治区", 2025, 2024)
    assert facts["doc_type"] == "government_work_report"


@pytest.mark.parametrize(
    "name, short",
    [("内蒙古自治区", "内蒙古"), ("广西壮族自治区", "广西"), ("宁夏回族自治区", "宁夏"), ("香港特别行政区", "香港"),
     ("呼伦贝尔市", "呼伦贝尔"), ("延边朝鲜族自治州", "延边"), ("海拉尔区", "海拉尔"), ("鄂温克族自治旗", "鄂温克"),
     ("城区", "城区")],
)
def test_short_forms(name, short):
    assert gazetteer().short_form(name) == short


def test_mentions_find_the_longest_name_and_resolve_by_parent():
    g = gazetteer()
    mentions = g.mentions("在呼伦贝尔市海拉尔区第十届人民代表大会")
    assert [m.form for m in mentions] == ["呼伦贝尔市", "海拉尔区"]
    assert [p.name for p in g.resolve(g.mentions("吉林2026年"))] == ["吉林省"]  # the province, not 吉林市
    assert [p.name for p in g.resolve(g.mentions("海南2026年"))] == ["海南省"]


@pytest.mark.parametrize(
    "line",
    ["您的位置：首页 > 新闻中心 > 要闻", "当前位置：", "首页", ">", "发表时间：", "2026-01-20 10:30:00", "阅读量：",
     "【字号：大 中 小】", "加大", "政府工作报告。本报记者 张三 摄", "省长某某作政府工作报告。新华社记者 李四 摄"],
)
def test_web_page_chrome_is_boilerplate(line):
    text = f"{line}\n2026年某省政府工作报告\n各位代表：现在，我代表省人民政府向大会报告工作。\n"
    spans = boilerplate_spans(text)
    assert [s.of(text).strip() for s in spans] == [line]


def test_a_value_on_the_line_after_its_label_and_crumbs_after_a_lone_arrow():
    text = "当前位置：\n首页\n>\n政务公开\n>\n要闻\n2026年某省政府工作报告\n来源：\n某某日报客户端\n各位代表：\n"
    kept = [line for line in text.splitlines() if line and not any(s.of(text).strip() == line for s in boilerplate_spans(text))]
    assert kept == ["2026年某省政府工作报告", "各位代表："]


def test_a_year_no_report_can_have_is_no_year_and_no_error():
    # Years outside 1949–2100 (a history in a title, a mangled number) leave the years unknown;
    # the record would refuse them, and one such text once ended an ingest of 10,000 documents.
    from rag.extract.rules.engine import RulesEngine, document_facts

    text = "1930年政府工作报告\n一、1929年工作回顾\n地区生产总值增长5%。\n二、1930年工作安排\n地区生产总值增长6%左右。\n"
    record = RulesEngine().extract("history", text)
    assert (record.review_year, record.plan_year) == (None, None)
    assert document_facts(text)["plan_year"] is None
    assert [i.value for i in record.indicators] == [5, 6]
