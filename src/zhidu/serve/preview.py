"""Previews and downloads: a version's products rendered on request by the same views and renderers as a build.

Also the change feed behind the live preview: every save in the workbench and every change a text editor makes
under the policy folder (watched as `build --watch` does) is announced to the open pages over server-sent events.
"""

from __future__ import annotations

import asyncio
import io
import json
import tempfile
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

from zhidu.errors import UsageError
from zhidu.model import Policy
from zhidu.render import Artifact, RenderContext, get_renderer
from zhidu.serve.workspace import Loaded, Workspace, fingerprint
from zhidu.views import PlanOptions, View, plan

#: Formats a product page offers, in the order shown; pdf only where LibreOffice is installed.
FORMATS = ("html", "docx", "md", "pdf")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def views_of(loaded: Loaded) -> list[View[object]]:
    """Every product view of a valid version (none for an invalid one)."""
    if loaded.policy is None:
        return []
    return plan(loaded.policy, PlanOptions(previous=loaded.previous))


#: The product whose views are named under each first path segment (plan only that one for a preview).
PRODUCT_OF = {
    "notice": "notice",
    "cards": "duty-card",
    "duty-list": "duty-list",
    "checklists": "checklist",
    "revision-table": "diff",
}


def find_view(loaded: Loaded, name: str) -> View[object] | None:
    """The view named `name` (an output path without suffix, as in build/), planning only its product."""
    product = PRODUCT_OF.get(name.split("/", 1)[0])
    if loaded.policy is None or product is None:
        return None
    views = plan(loaded.policy, PlanOptions(previous=loaded.previous), [product])
    return next((v for v in views if v.name == name), None)


def formats_of(view: View[object]) -> list[str]:
    """The formats one product can be downloaded in here."""
    out = []
    for fmt in FORMATS:
        cls = get_renderer(fmt)
        if view.product in cls.products and cls.unavailable() is None:
            out.append(fmt)
    return out


def render(policy: Policy, view: View[object], fmt: str) -> Artifact:
    """One product in one format, exactly as `zhidu build` renders it."""
    from zhidu.build import template_dirs

    cls = get_renderer(fmt)
    if view.product not in cls.products:
        raise UsageError(f"产品 {view.product} 没有 {fmt} 格式")
    ctx = RenderContext(policy=policy, template_dirs=template_dirs(policy))
    return cls().render(view, ctx)[0]


def release_zip(workspace: Workspace, loaded: Loaded) -> bytes:
    """The whole release of a version (docx, html, md; pdf when available) with the build manifest, zipped.

    Built by `zhidu build` of the work folder into a scratch folder, so the files and manifest are a build's.
    """
    from zhidu.build import BuildOptions, build
    from zhidu.render.pdf import PdfRenderer

    formats = ["docx", "html", "md"] + (["pdf"] if PdfRenderer.unavailable() is None else [])
    prefix = f"{loaded.ref.version}/"
    with tempfile.TemporaryDirectory(prefix="zhidu-serve-zip-") as tmp:
        out = Path(tmp) / "build"
        result = build(BuildOptions(source=loaded.ref.folder.parent, out=out, formats=formats, jobs=1))
        if result.report.failed():
            raise UsageError("该版本有错误，无法生成发布包；请先在“检查”页改正")
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        manifest["outputs"] = {k: v for k, v in manifest["outputs"].items() if k.startswith(prefix)}
        manifest["versions"] = {k: v for k, v in manifest["versions"].items() if k + "/" == prefix}
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for rel in sorted(manifest["outputs"]):
                info = zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, (out / rel).read_bytes())
            info = zipfile.ZipInfo("manifest.json", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            z.writestr(info, text.encode("utf-8"))
        return buf.getvalue()


class ChangeFeed:
    """Announces the versions' fingerprints whenever something under the policy folder may have changed."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.serial = 0
        self._changed = asyncio.Event()

    def state(self) -> str:
        """`{"work/version": fingerprint}` of every version, as JSON."""
        return json.dumps(
            {f"{r.work}/{r.version}": fingerprint(r.folder) for r in self.workspace.versions()},
            sort_keys=True,
        )

    def notify(self) -> None:
        """Wake every listener (call on the event loop)."""
        self.serial += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def listen(self, stop: asyncio.Event | None = None) -> AsyncIterator[str]:
        """The current state now, then again after every change that altered it."""
        last = self.state()
        yield last
        while stop is None or not stop.is_set():
            # Taken before the state is read, so a change in between is never missed.
            changed = self._changed
            now = self.state()
            if now != last:
                last = now
                yield now
                continue
            await changed.wait()

    async def watch(self, stop: asyncio.Event) -> None:
        """Notify on every change a text editor (or anything else) makes under the policy folder."""
        from watchfiles import awatch

        def relevant(_change: object, path: str) -> bool:
            p = Path(path)
            return p.suffix == ".yaml" and not p.name.startswith((".", "~"))

        async for _changes in awatch(
            self.workspace.root, watch_filter=relevant, stop_event=stop, debounce=50
        ):
            self.notify()
