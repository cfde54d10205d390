"""Findings about the recognised tree: numbering gaps, repeats and forms, duplicate items, a list cut short.

Each check reports through `find(section, message, lines)`, in document order, into the import report.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from zhidu.importer.document import Node, Para, walk
from zhidu.importer.markers import canonical, core
from zhidu.textsim import near_duplicates

#: How a check reports: (report section, message, 1-based source lines).
Find = Callable[[str, str, list[int] | tuple[int, ...]], None]


def check_numbering(find: Find, roots: list[Node]) -> None:
    """Gaps, duplicates, out-of-order and non-canonical numbers in every sibling group."""
    articles = [n for n in walk(roots) if n.marker.style == "article"]
    # 第X条 run on across 第X章: when nested, their sequence is checked once over the whole document.
    global_articles = any(n.depth > 0 for n in articles)

    def sequence(nodes: list[Node], where: str, at_start: bool) -> None:
        first = nodes[0]
        if first.marker.value != 1:
            hint = "（文档可能从列表中间开始）" if at_start else ""
            find(
                "numbering",
                f"{where}编号从“{first.marker.printed}”开始，"
                f"而不是“{canonical(first.marker.style, 1)}”{hint}",
                first.lines[:1],
            )
        for a, b in itertools.pairwise(nodes):
            if b.marker.value == a.marker.value:
                find("numbering", f"{where}编号“{b.marker.printed}”重复", [a.lines[0], b.lines[0]])
            elif b.marker.value > a.marker.value + 1:
                missing = "、".join(
                    f"“{canonical(a.marker.style, v)}”" for v in range(a.marker.value + 1, b.marker.value)
                )
                find("numbering", f"{where}编号“{a.marker.printed}”之后缺{missing}", [b.lines[0]])
            elif b.marker.value < a.marker.value:
                find(
                    "numbering",
                    f"{where}编号倒退：“{a.marker.printed}”之后是“{b.marker.printed}”",
                    [b.lines[0]],
                )

    def form(k: Node, where: str) -> None:
        canon = canonical(k.marker.style, k.marker.value)
        printed = k.marker.printed
        if printed == canon:
            return
        if core(printed) != printed:
            why = "含多余空格"
        elif any(c in printed for c in "()"):
            why = "使用了半角括号"
        elif k.marker.style == "arabic":
            why = "使用了“、”或全角点"
        else:
            why = "格式与规范不同"
        find("numbering", f"{where}编号“{printed}”{why}，规范写法为“{canon}”（GB/T 9704 7.3.3）", k.lines[:1])

    def group(kids: list[Node], where: str, at_start: bool) -> None:
        by_style: dict[str, list[Node]] = {}
        for k in kids:
            by_style.setdefault(k.marker.style, []).append(k)
        for style, nodes in by_style.items():
            if not (style == "article" and global_articles):
                sequence(nodes, where, at_start)
            for k in nodes:
                form(k, where)
        for i, k in enumerate(kids, start=1):
            group(k.children, f"{where}第 {i} 项（原文“{k.marker.printed}”）下的", False)

    if roots:
        group(roots, "一级", True)
    if global_articles and articles:
        sequence(articles, "条号（全文连续）", articles[0] is roots[0])


def check_duplicates(find: Find, roots: list[Node]) -> None:
    labels = _label_paths(roots)

    def path_label(n: Node) -> str:
        return labels.get(id(n), f"“{n.marker.printed}”")

    def siblings(kids: list[Node], where: str) -> None:
        # Indexed, not pairwise: 1 200 copies of one line once made 720 000 findings (800 MB).
        for i, j, why in near_duplicates([core(k.text) for k in kids]):
            a, b = kids[i], kids[j]
            find(
                "duplicates",
                f"{where}“{a.marker.printed}”与“{b.marker.printed}”{why}：“{_clip(a.text)}”",
                [a.lines[0], b.lines[0]],
            )
        for k in kids:
            siblings(k.children, f"{path_label(k)}下")

    siblings(roots, "一级条文")
    seen: dict[str, Node] = {}
    for n in walk(roots):
        key = core(n.text)
        if len(key) < 12:
            continue
        if key in seen and seen[key] is not n:
            first = seen[key]
            if _parent_of(roots, first) is not _parent_of(roots, n):
                find(
                    "duplicates",
                    f"{path_label(n)}与{path_label(first)}文字相同、分属不同章节（多为各岗位共有的职责，一般无需处理）：“{_clip(n.text)}”",
                    [first.lines[0], n.lines[0]],
                )
        else:
            seen[key] = n


def _label_paths(roots: list[Node]) -> dict[int, str]:
    """id(node) → how the report names it: 第 N 个一级条文（原文“…”） or its printed path “四、（一）”."""
    labels: dict[int, str] = {}

    def rec(kids: list[Node], prefix: str) -> None:
        for i, k in enumerate(kids, start=1):
            here = f"{prefix}{k.marker.printed}"
            label = f"第 {i} 个一级条文（原文“{k.marker.printed}”）" if not prefix else f"“{here}”"
            labels[id(k)] = label
            rec(k.children, here if prefix else k.marker.printed)

    rec(roots, "")
    return labels


def _parent_of(roots: list[Node], target: Node) -> Node | None:
    for n in walk(roots):
        if any(c is target for c in n.children):
            return n
    return None


def _clip(s: str, n: int = 24) -> str:
    return s if len(s) <= n else s[:n] + "…"


def mid_list_end(find: Find, roots: list[Node], closing: list[Para]) -> None:
    if not roots or closing:
        return
    last = walk(roots)[-1]
    if last.text.rstrip().endswith(("；", ";", "，", ",")):
        find(
            "numbering",
            f"文档在列表中间结束：末项“{last.marker.printed}”以“{last.text.rstrip()[-1]}”结尾",
            last.lines[-1:],
        )


__all__ = ["check_duplicates", "check_numbering", "mid_list_end"]
