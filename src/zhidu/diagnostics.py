"""Issues and the report that collects them, printed as `file:line:col: 错误[CODE]: message`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from zhidu.location import Location


class Severity(StrEnum):
    """How bad an issue is; errors fail the run, warnings fail it only with --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: a stable code, a Chinese message and where it is."""

    severity: Severity
    code: str
    message: str
    loc: Location

    def format(self) -> str:
        return f"{self.loc}: {self.severity.label}[{self.code}]: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "path": self.loc.path,
            "line": self.loc.line,
            "col": self.loc.col,
        }


@dataclass(frozen=True, slots=True)
class Suppression:
    """A rule silenced on purpose: inline (`# zhidu: 忽略 W106 原因`) over a block of lines, or for a whole
    policy (or some ids of it) in lint.yaml."""

    code: str
    reason: str
    #: Where the suppression is written (the comment's line, or the entry in lint.yaml).
    loc: Location
    #: The file and the inclusive line range it covers; an empty path covers the whole policy.
    path: str = ""
    first: int = 0
    last: int = 0
    origin: str = "inline"

    def covers(self, issue: Issue) -> bool:
        """True when this suppression silences `issue`."""
        if issue.code != self.code or issue.severity is Severity.ERROR:
            return False
        if not self.path:
            return True
        return issue.loc.path == self.path and self.first <= issue.loc.line <= self.last


@dataclass(frozen=True, slots=True)
class Ignored:
    """An issue a suppression silenced, for `zhidu check --show-ignored`."""

    issue: Issue
    by: Suppression

    def format(self) -> str:
        i, s = self.issue, self.by
        return f"{i.loc}: 已忽略[{i.code}]: {i.message}（原因：{s.reason or '未写明'}；声明于 {s.loc}）"


@dataclass(frozen=True, slots=True)
class Grouped:
    """Findings of one rule on one line shown once: the first message, how many, and every column."""

    issue: Issue
    count: int
    cols: tuple[int, ...]

    def format(self) -> str:
        if self.count == 1:
            return self.issue.format()
        cols = "、".join(str(c) for c in self.cols)
        return f"{self.issue.format()}（本段同类共 {self.count} 处，列 {cols}）"


@dataclass
class Report:
    """Collects issues from every stage; nothing raises on the first problem."""

    issues: list[Issue] = field(default_factory=list)
    #: Issues silenced by suppressions (not counted, listed by --show-ignored).
    ignored: list[Ignored] = field(default_factory=list)

    def add(self, severity: Severity, code: str, message: str, loc: Location) -> None:
        self.issues.append(Issue(severity, code, message, loc))

    def error(self, code: str, message: str, loc: Location) -> None:
        self.add(Severity.ERROR, code, message, loc)

    def warning(self, code: str, message: str, loc: Location) -> None:
        self.add(Severity.WARNING, code, message, loc)

    def info(self, code: str, message: str, loc: Location) -> None:
        self.add(Severity.INFO, code, message, loc)

    def extend(self, other: Report) -> None:
        self.issues.extend(other.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        """True when the run must exit non-zero."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Issue]:
        """Issues in file, line, column order, duplicates removed."""
        seen: set[Issue] = set()
        out: list[Issue] = []
        for i in sorted(self.issues, key=lambda i: (i.loc.path, i.loc.line, i.loc.col, i.code, i.message)):
            if i not in seen:
                seen.add(i)
                out.append(i)
        return out

    def grouped(self) -> list[Grouped]:
        """Issues in order; repeated warnings of one rule on one line (one paragraph) folded into one entry.

        Errors stay one per line: each names a different field."""
        out: list[Grouped] = []
        for i in self.sorted():
            last = out[-1] if out else None
            if (
                last is not None
                and i.loc.line > 0
                and i.severity is not Severity.ERROR
                and (last.issue.loc.path, last.issue.loc.line, last.issue.code, last.issue.severity)
                == (i.loc.path, i.loc.line, i.code, i.severity)
            ):
                out[-1] = Grouped(last.issue, last.count + 1, (*last.cols, i.loc.col))
            else:
                out.append(Grouped(i, 1, (i.loc.col,)))
        return out

    def format_ignored(self) -> str:
        """The silenced issues, in file order."""
        items = sorted(self.ignored, key=lambda g: (g.issue.loc.path, g.issue.loc.line, g.issue.loc.col))
        lines = [g.format() for g in items]
        lines.append(f"共 {len(items)} 个问题被忽略。")
        return "\n".join(lines)

    def format_text(self) -> str:
        lines = [g.format() for g in self.grouped()]
        e, w = len(self.errors), len(self.warnings)
        n = len(self.issues) - e - w
        lines.append(f"共 {e} 个错误，{w} 个警告，{n} 个提示。")
        return "\n".join(lines)

    def format_json(self) -> str:
        return json.dumps(
            {
                "issues": [
                    {**g.issue.to_json(), "count": g.count, "cols": list(g.cols)} for g in self.grouped()
                ],
                "ignored": [
                    {**g.issue.to_json(), "reason": g.by.reason, "by": str(g.by.loc)} for g in self.ignored
                ],
                "counts": {
                    "error": len(self.errors),
                    "warning": len(self.warnings),
                    "info": len(self.issues) - len(self.errors) - len(self.warnings),
                },
            },
            ensure_ascii=False,
            indent=2,
        )
