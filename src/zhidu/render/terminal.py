"""The 修订对照表 for a terminal: rich text, coloured or in wdiff's [-…-] {+…+} notation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhidu.diff import Part, RevisionDiff
    from zhidu.views.diffview import DiffView


def _segments(part: Part, color: bool) -> Any:
    from rich.text import Text

    t = Text()
    t.append(part.citation, style="bold" if color else "")
    t.append("　")
    return t + _inline([(s.op, s.text) for s in part.segments], color)


def _inline(ops: Sequence[tuple[str, str]], color: bool) -> Any:
    from rich.text import Text

    t = Text()
    for op, text in ops:
        if op == "delete":
            t.append(text, style="red strike") if color else t.append(f"[-{text}-]")
        elif op == "insert":
            t.append(text, style="green underline") if color else t.append(f"{{+{text}+}}")
        else:
            t.append(text)
    return t


def terminal_text(view: DiffView, color: bool = False, width: int = 100) -> str:
    """The coloured terminal view; without colour, deletions read [-…-] and insertions {+…+} (as wdiff)."""
    import io

    from rich.console import Console
    from rich.text import Text

    from zhidu.diff import char_diff

    buf = io.StringIO()
    con = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
    )
    d: RevisionDiff = view.diff
    con.print(Text(view.title, style="bold"))
    con.print(f"原：{d.old.label}")
    con.print(f"新：{d.new.label}")
    for line in view.intro[1:]:
        con.print(line)
    if d.equal:
        return buf.getvalue()
    for m in d.meta:
        item = Text("· ") + Text(m.label, style="cyan" if color else "") + Text("：")
        if m.old and m.new and max(len(m.old), len(m.new)) > 20:
            # Long values (titles, the notice body) read better as one inline character diff.
            item += _inline(char_diff(m.old, m.new), color)
        else:
            item += Text(f"{m.old or '（无）'} → {m.new or '（无）'}")
        con.print(item)
    for g in d.renames:
        con.print()
        con.print(
            Text("━━ 全文统一修订", style="bold magenta" if color else "")
            + Text(f"　{g.label}（共 {g.count} 处）")
        )
        con.print(Text(f"   说明：{g.note}"))
    for r in d.rows:
        con.print()
        head = Text(f"━━ {r.kind}", style="bold yellow" if color else "")
        if r.label != r.kind:
            head.append(f"　{r.label}")
        if r.records:
            head.append(f"　[{'、'.join(r.records)}]", style="dim" if color else "")
        con.print(head)
        for p in r.old:
            con.print(Text("   原：") + _segments(p, color))
        for p in r.new:
            con.print(Text("   新：") + _segments(p, color))
        con.print(Text(f"   说明：{r.note}", style="" if r.recorded or not color else "red"))
        for x in r.details:
            con.print(Text(f"         {x}"))
    return buf.getvalue()
