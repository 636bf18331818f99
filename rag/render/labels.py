"""Words of the briefings and tables for their readers: Chinese by default, English on request.
A label missing in one language falls back to its key, so a new label is one edit here."""

from __future__ import annotations

BRIEF = {
    "zh": {
        "comparison": "对比", "summary": "摘要", "strategy": "战略要点", "pairs": "上年实际 → 今年目标", "targets": "目标",
        "actuals": "实际", "projects": "项目与金额", "side_by_side": "并列比较", "shared": "多份文件共有的指标",
        "themes": "主题（标题占比）", "slogans": "口号", "sources": "出处", "notes": "说明", "growth_chart": "{label}：增长目标（%）",
        "growth_by_region": "各地增长目标（%）", "region": "地区", "type": "类型", "review_year": "回顾年份", "plan_year": "计划年份",
        "document": "文档", "metric": "指标", "value": "数值", "year": "年份", "hedge": "措辞", "source": "出处",
        "growth targets": "增长目标", "investment": "投资", "new enterprises": "新增企业", "projects_category": "项目",
        "investment attraction": "招商引资", "industry": "产业", "innovation": "创新", "livelihood": "民生", "party building": "党的建设",
    },
    "en": {
        "comparison": "Comparison", "summary": "Summary", "strategy": "Strategy at a glance", "pairs": "Last year → this year",
        "targets": "Targets", "actuals": "Actuals", "projects": "Projects and amounts", "side_by_side": "Side by side",
        "shared": "Metrics in more than one document", "themes": "Themes (share of headings)", "slogans": "Slogans",
        "sources": "Sources", "notes": "Notes", "growth_chart": "{label}: growth targets (%)", "growth_by_region": "growth targets (%) by region",
        "region": "region", "type": "type", "review_year": "review year", "plan_year": "plan year", "document": "document",
        "metric": "metric", "value": "value", "year": "year", "hedge": "hedge", "source": "source", "projects_category": "projects",
    },
}


def words(lang: str) -> dict[str, str]:
    """The labels of `lang`, any key missing there given as itself."""

    class _Labels(dict):  # type: ignore[type-arg]
        def __missing__(self, key: str) -> str:
            return key

    return _Labels(BRIEF.get(lang, BRIEF["zh"]))
