"""Inputs that once took unbounded time or memory (hostile or merely unlucky), for the worst-case rows."""

from __future__ import annotations

import shutil
from pathlib import Path

HEAD = "关于印发安全生产制度的通知\n\n第一条 安全。\n\n"


def cc_line(spaces: int) -> str:
    """A notice ending in a 抄送 line with a run of spaces inside (a lazy group next to optional spaces)."""
    return HEAD + "抄送：a" + " " * spaces + "b\n"


def attachment_line(chars: int) -> str:
    """A notice with one 附件 line of about `chars` characters."""
    return HEAD + "附件：" + "安 " * (chars // 2) + "\n"


def identical_lines(n: int) -> str:
    """`n` copies of one article: every pair a duplicate."""
    return "关于印发安全生产制度的通知\n\n" + "第一条 安全。\n" * n


def wide_policy(d: Path, n: int, minimal: Path) -> Path:
    """A version with `n` roles and `n` sibling provisions, one duty each: the W101 worst case."""
    d.mkdir(parents=True)
    shutil.copy(minimal / "laws.yaml", d)
    roles = ["roles:"] + [f"  - {{id: R-A{i:05d}, name: 岗位{i:05d}, kind: department}}" for i in range(n)]
    (d / "roles.yaml").write_text("\n".join(roles) + "\n", encoding="utf-8")
    head = (minimal / "regulation.yaml").read_text(encoding="utf-8").split("sections:")[0]
    rows = [head, "sections:\n  - id: S-01\n    text: 各岗位职责\n    children:\n"]
    for i in range(n):
        rows.append(
            f"      - id: P-01-{i:05d}\n        text: 岗位{i:05d}负责第{i}项安全生产检查工作并做好记录。\n"
            f"        owners: [R-A{i:05d}]\n        duties:\n          - id: D-01-{i:05d}\n"
        )
    (d / "regulation.yaml").write_text("".join(rows), encoding="utf-8")
    return d


def rewritten_paragraph(seed: int, chars: int) -> str:
    """A paragraph of `chars` characters in sentences, different for each seed (a rewrite, not an edit)."""
    import random

    rng = random.Random(seed)
    alphabet = "安全生产责任制度落实检查隐患排查整改消防通道台账记录街道社区网格岗位培训演练应急预案"
    out = []
    while sum(map(len, out)) < chars:
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(12, 40))) + rng.choice("，。；"))
    return "".join(out)[:chars] + "。"


def long_paragraph_pair(work: Path, dest: Path, chars: int = 20000) -> tuple[Path, Path]:
    """Two copies of a version whose first duty text is `chars` long, rewritten throughout in the second."""
    a, b = dest / "a", dest / "b"
    shutil.copytree(work / "2024.2", a)
    shutil.copy(work / "parties.yaml", dest / "parties.yaml")
    old, new = rewritten_paragraph(1, chars), rewritten_paragraph(2, chars)
    first = (
        "贯彻落实党中央、国务院关于加强安全生产工作的方针政策和上级党委、政府关于加强安全生产工作的部署要求。"
    )
    reg = a / "regulation.yaml"
    reg.write_text(reg.read_text(encoding="utf-8").replace(first, old), encoding="utf-8")
    shutil.copytree(a, b)
    breg = b / "regulation.yaml"
    breg.write_text(breg.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return a, b


def zip_bomb_docx(path: Path, inflated_mb: int = 150) -> Path:
    """A real one-paragraph .docx with one extra part of `inflated_mb` MB of zeros (stored as ~0.1 % of that)."""
    import io
    import zipfile

    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("关于测试的通知")
    document.save(buf)
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        # In 1 MB pieces: a benchmark child forked from a process holding 150 MB would report that as its peak.
        with z.open("word/media/zeros.bin", "w", force_zip64=True) as part:
            for _ in range(inflated_mb):
                part.write(bytes(1024 * 1024))
    return path
