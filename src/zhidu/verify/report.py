"""The verify report: one `Check` per measured rule, the exit status they imply, JSON and a readable table."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field

EXIT_OK, EXIT_FAIL = 0, 1


@dataclass
class Check:
    """One check: its id, the clause it implements, the verdict and what was measured."""

    id: str
    clause: str
    name: str
    status: str  # pass | warn | fail | skip (could not be measured: `measured` says why)
    measured: str
    expected: str = ""


@dataclass
class VerifyReport:
    """All checks of one file."""

    path: str
    rendered: bool = False
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        id: str,
        clause: str,
        name: str,
        ok: bool | None,
        measured: str,
        expected: str = "",
        warn_only: bool = False,
    ) -> None:
        status = "pass" if ok else ("warn" if (ok is None or warn_only) else "fail")
        self.checks.append(Check(id, clause, name, status, measured, expected))

    def unchecked(self, id: str, clause: str, name: str, reason: str, expected: str = "") -> None:
        """A rule this file gives no way to measure: a row that says so and why, never a made-up value."""
        self.checks.append(Check(id, clause, name, "skip", f"未检查：{reason}", expected))

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]

    @property
    def exit_code(self) -> int:
        return EXIT_FAIL if self.failed else EXIT_OK

    def to_json(self) -> str:
        counts = Counter(c.status for c in self.checks)
        return json.dumps(
            {
                "path": self.path,
                "rendered": self.rendered,
                "summary": dict(counts),
                "notes": self.notes,
                "checks": [asdict(c) for c in self.checks],
            },
            ensure_ascii=False,
            indent=2,
        )


_STATUS = {"pass": "通过", "warn": "警告", "fail": "不合格", "skip": "未检查"}


def format_table(rep: VerifyReport) -> str:
    """The report as a readable table (rich, no colours when not a terminal)."""
    import io

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"GB/T 9704—2012 检查：{rep.path}", show_lines=False)
    for col in ("结果", "条款", "检查项", "实测", "要求"):
        table.add_column(col, overflow="fold")
    style = {"pass": "green", "warn": "yellow", "fail": "bold red", "skip": "dim"}
    for c in rep.checks:
        table.add_row(f"[{style[c.status]}]{_STATUS[c.status]}[/]", c.clause, c.name, c.measured, c.expected)
    buf = io.StringIO()
    con = Console(file=buf, width=160, force_terminal=sys.stdout.isatty(), color_system="auto")
    con.print(table)
    counts = Counter(c.status for c in rep.checks)
    con.print(
        f"通过 {counts['pass']}，警告 {counts['warn']}，不合格 {counts['fail']}"
        + (f"，未检查 {counts['skip']}" if counts["skip"] else "")
        + ("" if rep.rendered else "（未渲染；加 --render 以 LibreOffice 实测版面）")
    )
    for n in rep.notes:
        con.print(f"注：{n}")
    return buf.getvalue()
