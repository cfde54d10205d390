"""Sheet and column names of the 责任清单 workbook, with the other names offices give the same columns."""

from __future__ import annotations

from dataclasses import dataclass

DUTY_SHEET = "责任清单"
ROLE_SHEET = "岗位"
LAW_SHEET = "法规"
COMMUNITY_SHEET = "社区"
INFO_SHEET = "基本信息"
GUIDE_SHEET = "填写说明"
#: The very hidden sheet recording what was exported (the merge's base for conflict detection).
META_SHEET = "zhidu_export"
#: Every sheet zhidu reads or writes; any other sheet is reported and ignored.
KNOWN_SHEETS = (GUIDE_SHEET, INFO_SHEET, DUTY_SHEET, ROLE_SHEET, LAW_SHEET, COMMUNITY_SHEET, META_SHEET)

YES, NO = "是", "否"
#: Offered in the 频次 drop-down; any other wording the frequency rules can read is accepted too.
FREQUENCY_CHOICES = (
    "每周至少1次",
    "每月至少1次",
    "每季度至少1次",
    "每半年至少1次",
    "每年至少1次",
    "年度",
    "重大节日、重要时期",
    "发生时",
)


@dataclass(frozen=True)
class Column:
    """One column: its header as exported, other headers accepted for it, width in characters."""

    key: str
    header: str
    width: float
    aliases: tuple[str, ...] = ()
    hidden: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


DUTY_COLUMNS = (
    Column("citation", "编码", 13, ("条款", "序号", "条款编号")),
    Column("chapter", "章节", 16, ("类别", "责任类别", "所属章节")),
    Column("owners", "岗位", 16, ("责任岗位", "责任主体", "责任单位", "责任人")),
    Column("text", "职责", 50, ("责任事项", "职责内容", "工作职责", "主要职责", "责任内容")),
    Column("frequency", "频次", 12, ("工作频次", "履职频次", "时限", "频率")),
    Column("evidence", "履职记录", 18, ("履职记录或成果", "工作记录", "台账资料")),
    Column("basis", "依据", 30, ("法律依据", "实施依据", "依据条款")),
    Column("checklist", "纳入检查表", 7, ("检查表", "列入检查表")),
    Column("assessment", "考核", 14, ("考核条款", "考核项")),
    Column("liability", "追责", 14, ("追责情形", "追责条款")),
    Column("id", "id", 12, ("ID", "标识"), hidden=True),
)
ROLE_COLUMNS = (
    Column("name", "名称", 24, ("岗位名称", "岗位", "单位名称")),
    Column("kind", "类别", 10, ("岗位类别",)),
    Column("level", "责任层级", 16, ("责任", "层级")),
    Column("parent", "上级岗位", 20, ("上级",)),
    Column("per_community", "按社区履行", 10, ("每个社区",)),
    Column("note", "备注", 30, ("说明",)),
    Column("id", "id", 10, ("ID", "标识"), hidden=True),
)
LAW_COLUMNS = (
    Column("name", "名称", 44, ("法规名称", "规范名称", "法律法规")),
    Column("rank", "位阶", 12, ("类别", "效力层级")),
    Column("short", "简称", 24, ("文中简称",)),
    Column("id", "id", 10, ("ID", "标识"), hidden=True),
)
COMMUNITY_COLUMNS = (
    Column("name", "名称", 20, ("社区名称", "社区")),
    Column("leader", "负责人", 14, ("社区负责人", "书记")),
    Column("safety_officer", "安全干事", 14, ("安全员",)),
    Column("grid_workers", "网格员", 44, ("网格员（网格）",)),
    Column("id", "id", 10, ("ID", "标识"), hidden=True),
)
INFO_COLUMNS = (
    Column("item", "项目", 16),
    Column("value", "内容", 60),
)
#: 基本信息 rows, in order: key, label.
INFO_ITEMS = (
    ("work", "制度标识"),
    ("title", "制度标题"),
    ("organ", "发文机关"),
    ("doc_no", "发文字号"),
    ("notice_title", "通知标题"),
    ("addressees", "主送机关"),
    ("date", "成文日期"),
    ("version", "版本号"),
    ("status", "状态"),
)

#: Role kinds as a clerk names them.
KIND_WORDS = {
    "leader": "领导",
    "department": "部门",
    "community": "社区",
    "grid_worker": "网格员",
    "committee": "议事机构",
    "other": "其他",
}
RANK_WORDS = {
    "law": "法律",
    "regulation": "法规",
    "rule": "规章",
    "normative": "规范性文件",
    "policy": "政策",
}
STATUS_WORDS = {"draft": "草案", "issued": "已印发"}
