"""Bring an existing notice (.docx, .txt, .md) into YAML: the library behind `zhidu import`.

Top-level imports stay in the standard library so `zhidu --help` does not pay for ruamel, opencc or
python-docx; the work happens in read (text), parse (structure) and write (YAML and report).
"""

from __future__ import annotations

from pathlib import Path


def run_import(file: Path, out: Path) -> tuple[list[Path], str]:
    """Import FILE into OUT; returns the written paths and the report text. Never overwrites."""
    from zhidu.errors import ImportFailure
    from zhidu.importer.parse import parse
    from zhidu.importer.read import read_source
    from zhidu.importer.write import REPORT, generate

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
