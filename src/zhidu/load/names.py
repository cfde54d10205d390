"""Chinese names for what a message points at: field paths as a clerk reads them, allowed values with meanings.

`roles[5].kind` reads “第6个岗位的“类别”（kind）”; `sections[5].children[0].duties[0].frequency.per` reads
“第六条第（一）项的第1项职责的“频次·周期”（frequency.per）”: counted from 1, provisions by their place in
the text, the YAML keys kept in brackets so the clerk can find them in the file.
"""

from __future__ import annotations

from typing import Any

from zhidu.numbering import chinese_numeral

#: Short Chinese names of the source keys.
FIELD_NAMES: dict[str, str] = {
    "addressees": "主送机关",
    "art": "条款",
    "assessment": "考核项",
    "attachments": "附件",
    "basis": "法律依据",
    "body": "正文段落",
    "cc": "抄送机关",
    "changes": "修订记录",
    "checklist": "列入检查表",
    "children": "下级条文",
    "closing": "结尾段落",
    "communities": "社区",
    "consulted": "征求意见单位",
    "copy_no": "份号",
    "date": "成文日期",
    "display": "原文表述",
    "doc_no": "发文字号",
    "duties": "职责",
    "effective": "施行日期",
    "events": "触发时段",
    "evidence": "履职记录",
    "example": "示例数据",
    "frequency": "频次",
    "from": "起始",
    "grid": "网格",
    "grid_workers": "网格员",
    "id": "编号",
    "issued": "印发日期",
    "kind": "类别",
    "law": "法规",
    "laws": "法规",
    "leader": "社区负责人",
    "level": "责任层级",
    "liability": "追责情形",
    "min": "最少次数",
    "name": "名称",
    "note": "附注",
    "on_occurrence": "事件发生时",
    "organ": "发文机关",
    "organ_code": "机关代字",
    "organ_mark": "发文机关标志",
    "owners": "责任岗位",
    "paragraphs": "段落",
    "parent": "上级岗位",
    "per": "周期",
    "per_community": "按社区履行",
    "phone": "电话",
    "points": "分值",
    "preamble": "序言",
    "printed_by": "印发机关",
    "printed_date": "印发日期",
    "rank": "位阶",
    "reason": "修订说明",
    "regulation": "制度正文",
    "regulation_placement": "制度位置",
    "reviewed_on": "复核日期",
    "roles": "岗位",
    "safety_officer": "安全干事",
    "seal": "印章",
    "secrecy": "密级",
    "sections": "条文",
    "serial": "发文顺序号",
    "short": "简称",
    "signature": "署名",
    "signers": "签发人",
    "source": "修订文号",
    "source_number": "原文编号",
    "status": "状态",
    "summary": "简称",
    "supersedes": "所替代版本",
    "targets": "涉及条文",
    "term": "术语",
    "terms": "术语",
    "text": "条文内容",
    "title": "标题",
    "to": "截止",
    "triggers": "触发项",
    "type": "类型",
    "upward": "上行文",
    "urgency": "紧急程度",
    "url": "网址",
    "variants": "异写",
    "version": "版本",
    "was": "沿革",
    "work": "制度标识",
    "wrong": "错写",
    "year": "年份",
}

#: The meaning of each enumerated value (model Literals), shown next to the English key.
VALUE_NAMES: dict[str, str] = {
    # RoleKind
    "leader": "领导",
    "department": "科室",
    "community": "社区",
    "grid_worker": "网格员",
    "committee": "委员会",
    "other": "其他",
    # Period
    "week": "每周",
    "month": "每月",
    "quarter": "每季度",
    "half_year": "每半年",
    "year": "每年",
    # LawRank
    "law": "法律",
    "regulation": "法规",
    "rule": "规章",
    "normative": "规范性文件",
    "policy": "政策",
    # VersionStatus
    "draft": "草案",
    "issued": "已印发",
    # Placement
    "follows": "紧随通知",
    "attachment": "作为附件",
    # ChangeType
    "substitute": "修改",
    "insert": "增加",
    "repeal": "删除",
    "renumber": "调整编号",
    "move": "移动",
    "split": "拆分",
    "merge": "合并",
    "global_replace": "全文替换",
    "metadata": "版本信息",
}

#: How one item of a list is called: "第6个岗位" etc. (`{n}` counts from 1).
_ITEMS: dict[str, str] = {
    "roles": "第{n}个岗位",
    "duties": "第{n}项职责",
    "assessment": "第{n}个考核项",
    "liability": "第{n}个追责情形",
    "changes": "第{n}条修订记录",
    "laws": "第{n}部法规",
    "communities": "第{n}个社区",
    "grid_workers": "第{n}个网格员",
    "basis": "第{n}项法律依据",
    "terms": "第{n}个术语",
    "attachments": "第{n}个附件",
    "body": "正文第{n}段",
    "preamble": "序言第{n}段",
    "closing": "结尾第{n}段",
    "paragraphs": "第{n}段",
}


def _provision(level: int, n: int) -> str:
    # Positions in the text, as GB/T 9704 numbers the levels: 一、（一）1.（1）
    if level == 1:
        return f"第{chinese_numeral(n)}条"
    if level == 2:
        return f"第（{chinese_numeral(n)}）项"
    if level == 3:
        return f"第{n}目"
    return f"第（{n}）目"


def field_path(path: tuple[Any, ...]) -> str:
    """A schema path as Chinese words with the YAML keys in brackets; "" for the document itself."""
    items: list[str] = []
    keys: list[str] = []
    level = 0
    i = 0
    while i < len(path):
        part = path[i]
        nxt = path[i + 1] if i + 1 < len(path) else None
        if isinstance(part, str) and isinstance(nxt, int):
            if part in ("sections", "children"):
                level += 1
                items.append(_provision(level, nxt + 1))
            else:
                items.append(_ITEMS.get(part, f"“{FIELD_NAMES.get(part, part)}”第{{n}}项").format(n=nxt + 1))
            keys = []
            i += 2
            continue
        keys.append(str(part))
        i += 1
    where = _join(items)
    if not keys:
        return where
    named = "·".join(FIELD_NAMES.get(k, k) for k in keys)
    field = f"“{named}”（{'.'.join(keys)}）"
    return f"{where}的{field}" if where else field


def _join(items: list[str]) -> str:
    out = ""
    for it in items:
        if out and not (it.startswith("第（") or (it.startswith("第") and it.endswith("目"))):
            out += "的"
        out += it
    return out


def value_list(values: list[Any]) -> str:
    """Allowed values with their meaning: “week（每周）、month（每月）”."""
    return "、".join(f"{v}（{VALUE_NAMES[str(v)]}）" if str(v) in VALUE_NAMES else str(v) for v in values)
