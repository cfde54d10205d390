"""Bring an existing notice (.docx, .txt, .md) into YAML: the library behind `zhidu import`.

Top-level imports stay in the standard library so `zhidu --help` does not pay for ruamel, opencc or
python-docx. The pipeline: read (text lines) → parse (structure; markers tell line shapes, checks add
findings; the result is a `document`) → guess (ids, roles, duties, laws) → yamlout (YAML text) and
report (the import report).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhidu.importer.document import Finding, Parsed
    from zhidu.importer.read import Source


@dataclass
class Output:
    """The generated files (name → text) and the report."""

    files: dict[str, str]
    report: str
    findings: list[Finding]
    stats: dict[str, int]


def generate(parsed: Parsed, src: Source, out_dir: Path) -> Output:
    """All YAML texts and the report for one parsed source."""
    from zhidu.importer.guess import guess_all
    from zhidu.importer.report import import_report
    from zhidu.importer.yamlout import FILES, yaml_files

    built = guess_all(parsed)
    files = yaml_files(parsed, src, built, out_dir)
    report = import_report(src, parsed, built, [f for f in FILES if f in files])
    return Output(files, report.text, report.findings, report.stats)


def run_import(file: Path, out: Path) -> tuple[list[Path], str]:
    """Import FILE into OUT; returns the written paths and the report text. Never overwrites."""
    from zhidu.errors import ImportFailure
    from zhidu.importer.parse import parse
    from zhidu.importer.read import read_source
    from zhidu.importer.report import REPORT

    if out.exists() and not out.is_dir():
        raise ImportFailure(f"输出路径不是目录：{out}")
    src = read_source(file)
    result = generate(parse(src.lines), src, out)
    targets = {name: out / name for name in (*result.files, REPORT)}
    existing = [p.as_posix() for p in targets.values() if p.exists()]
    if existing:
        raise ImportFailure(f"目标文件已存在，import 不覆盖任何文件：{'、'.join(existing)}")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    contents = {**result.files, REPORT: result.report}
    for name, path in targets.items():
        try:
            # "x": fail rather than overwrite a file that appeared after the check above.
            with path.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(contents[name])
        except FileExistsError as e:
            raise ImportFailure(
                f"目标文件已存在，import 不覆盖：{path.as_posix()}"
                f"（已写出：{'、'.join(p.name for p in written) or '无'}）"
            ) from e
        written.append(path)
    return written, result.report
