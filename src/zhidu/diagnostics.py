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


@dataclass
class Report:
    """Collects issues from every stage; nothing raises on the first problem."""

    issues: list[Issue] = field(default_factory=list)

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

    def format_text(self) -> str:
        lines = [i.format() for i in self.sorted()]
        e, w = len(self.errors), len(self.warnings)
        n = len(self.issues) - e - w
        lines.append(f"共 {e} 个错误，{w} 个警告，{n} 个提示。")
        return "\n".join(lines)

    def format_json(self) -> str:
        return json.dumps(
            {
                "issues": [i.to_json() for i in self.sorted()],
                "counts": {
                    "error": len(self.errors),
                    "warning": len(self.warnings),
                    "info": len(self.issues) - len(self.errors) - len(self.warnings),
                },
            },
            ensure_ascii=False,
            indent=2,
        )
