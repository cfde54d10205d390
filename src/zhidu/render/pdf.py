"""PDF via LibreOffice headless, with the project's font aliases; disabled with a reason when soffice is missing.

The build converts every docx artifact of a run with one `convert_batch()` call (LibreOffice start-up costs
about 1.2 s, each further document about 0.2 s). `PdfRenderer.render()` converts a single view the same way and
exists for callers that render one view at a time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from zhidu.errors import RenderError
from zhidu.render.base import Artifact, RenderContext, register

if TYPE_CHECKING:
    from zhidu.views import View

#: The one command that makes PDF output available on Debian/Ubuntu (fonts: docs/gbt9704.md §5).
INSTALL_HINT = (
    "apt-get install -y --no-install-recommends libreoffice-writer-nogui poppler-utils "
    "fonts-noto-cjk fonts-arphic-gkai00mp fonts-liberation2"
)
#: Seconds one soffice batch may take before it is killed.
TIMEOUT = 600


def soffice() -> str | None:
    """Path of the LibreOffice binary, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def fonts_conf() -> Path:
    """The shipped fontconfig file mapping 仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体 to open fonts."""
    from zhidu.layout import templates_dir

    return templates_dir() / "fonts" / "fonts.conf"


def soffice_env() -> dict[str, str]:
    """Environment for LibreOffice: the project's font aliases (every conversion uses them)."""
    env = dict(os.environ)
    conf = fonts_conf()
    if conf.is_file():
        env["FONTCONFIG_FILE"] = str(conf)
    return env


def _run_worker(group: list[tuple[str, bytes]], work: Path) -> dict[str, bytes]:
    src, out, profile = work / "in", work / "out", work / "profile"
    for d in (src, out, profile):
        d.mkdir(parents=True)
    names: dict[str, str] = {}
    files: list[str] = []
    for i, (rel, data) in enumerate(group):
        # Flat unique names: soffice writes every PDF into one --outdir by base name.
        flat = f"d{i:04d}.docx"
        (src / flat).write_bytes(data)
        names[flat[:-5] + ".pdf"] = rel
        files.append(str(src / flat))
    exe = soffice()
    if exe is None:
        raise RenderError(f"未安装 LibreOffice，无法生成 PDF；安装：{INSTALL_HINT}")
    # A second soffice on a busy profile exits 1 silently (docs/gbt9704.md §7): one private profile per worker.
    cmd = [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *files,
    ]
    try:
        proc = subprocess.run(cmd, env=soffice_env(), capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as e:
        raise RenderError(f"LibreOffice 转换超时（{TIMEOUT} 秒）") from e
    result: dict[str, bytes] = {}
    missing: list[str] = []
    for flat, rel in names.items():
        pdf = out / flat
        if pdf.is_file() and pdf.stat().st_size > 0:
            result[str(PurePosixPath(rel).with_suffix(".pdf"))] = pdf.read_bytes()
        else:
            missing.append(rel)
    if missing:
        err = proc.stderr.decode("utf-8", "replace").strip()[-500:]
        raise RenderError(f"LibreOffice 未能转换：{', '.join(missing)}（退出码 {proc.returncode}）{err}")
    return result


def convert_batch(items: list[tuple[str, bytes]], jobs: int | None = None) -> dict[str, bytes]:
    """Convert docx documents to PDF: {relative .docx path: bytes} in, {same path with .pdf: bytes} out.

    One soffice call per worker (`jobs` defaults to the CPU count, never more workers than documents), each
    with its own user profile in a private temp dir, all with the project's fontconfig file.
    """
    if not items:
        return {}
    if soffice() is None:
        raise RenderError(f"未安装 LibreOffice，无法生成 PDF；安装：{INSTALL_HINT}")
    n = max(1, min(jobs or os.cpu_count() or 1, len(items)))
    groups = [items[i::n] for i in range(n)]
    with tempfile.TemporaryDirectory(prefix="zhidu-pdf-") as tmp:
        root = Path(tmp)
        if n == 1:
            parts = [_run_worker(groups[0], root / "w0")]
        else:
            with ThreadPoolExecutor(max_workers=n) as pool:
                parts = list(pool.map(lambda ig: _run_worker(ig[1], root / f"w{ig[0]}"), enumerate(groups)))
    merged: dict[str, bytes] = {}
    for part in parts:
        merged.update(part)
    # Input order, not completion order.
    return {
        str(PurePosixPath(rel).with_suffix(".pdf")): merged[str(PurePosixPath(rel).with_suffix(".pdf"))]
        for rel, _ in items
    }


@register
class PdfRenderer:
    """PDF through LibreOffice from the docx output; the build converts all documents in one batch."""

    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"
    products: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def unavailable(cls) -> str | None:
        if soffice() is None:
            return f"未找到 LibreOffice（soffice），无法生成 PDF；安装命令：{INSTALL_HINT}"
        return None

    def render(self, view: View[object], ctx: RenderContext) -> list[Artifact]:
        """Convert one view (slow: a LibreOffice start per call); builds should use `convert_batch`."""
        from zhidu.render.docx import DocxRenderer

        docx = DocxRenderer().render(view, ctx)[0]
        out = convert_batch([(docx.path, docx.data)], jobs=1)
        return [Artifact(path, data, view.product, self.name) for path, data in out.items()]


def _docx_products() -> frozenset[str]:
    from zhidu.render.docx import DocxRenderer

    return DocxRenderer.products


PdfRenderer.products = _docx_products()
