"""The workbench as a Starlette application: pages, forms, previews, downloads and the change feed.

Safety: every request must carry the session cookie set by the token link printed at start (SameSite=Strict, so
another site open in the same browser cannot send it along with a forged post); the Host header must name this
server (DNS rebinding); posts from another origin are refused; request bodies are bounded (all in `guard`), and
renders run one at a time with a time limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import zhidu.serve.edits as edits
import zhidu.serve.preview as preview
import zhidu.serve.saving as saving
from zhidu.errors import ZhiduError
from zhidu.serve.forms import clean, duty_form, duty_values, lines, submitted
from zhidu.serve.guard import Guard, Settings
from zhidu.serve.tree import EVENTS, PERIODS, build_tree, hint
from zhidu.serve.workspace import Loaded, Workspace, find_duty, find_provision

#: Role kinds as the roles form offers them.
ROLE_KINDS = (
    ("leader", "领导"),
    ("department", "科室（部门）"),
    ("community", "社区"),
    ("grid_worker", "网格员"),
    ("committee", "委员会、领导小组"),
    ("other", "其他"),
)

#: Seconds a render or a release zip may take before the request is refused.
RENDER_SECONDS = 120.0


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("zhidu.serve").joinpath(name)))


# ------------------------------------------------------------------------------------------- pages


class Workbench:
    """The routes, bound to one workspace."""

    def __init__(self, settings: Settings) -> None:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

        self.settings = settings
        self.workspace = Workspace(settings.root)
        self.feed = preview.ChangeFeed(self.workspace)
        self.env = Environment(
            loader=FileSystemLoader(str(_package_dir("templates"))),
            autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["where"] = self.where
        self.env.filters["worker_line"] = _worker_line
        self.env.globals.update(
            hint=hint, PERIODS=PERIODS, EVENTS=EVENTS, quote=quote, suggested_version=self.suggested_version
        )
        #: One heavy render at a time: bounds memory and keeps the machine responsive.
        self.heavy = anyio.CapacityLimiter(1)
        import zhidu.serve.office as office

        self.office = office.WarmOffice() if settings.pdf_preview and office.unavailable() is None else None
        #: Recent PDFs by (version fingerprint, product): a page reloaded without a change is not converted again.
        self.pdfs: dict[tuple[str, str], bytes] = {}

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(works=self.workspace.works(), **context)
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    def version(self, request: Request, lint: bool = True) -> Loaded:
        ref = self.workspace.find(request.path_params["work"], request.path_params["version"])
        if ref is None:
            raise HTTPException(404, "没有这个制度版本")
        return self.workspace.load(ref, lint)

    def where(self, loc: Any) -> str:
        """A location as the clerk knows the files: relative to the policy folder being served."""
        try:
            rel = Path(loc.path).resolve().relative_to(self.workspace.root).as_posix()
        except (ValueError, OSError):
            return str(loc)
        return f"{rel}:{loc.line}:{loc.col}" if loc.line > 0 else rel

    def suggested_version(self, loaded: Loaded) -> str:
        """The next free version name after this one: 2024.2 → 2024.3."""
        import re

        taken = {r.version for r in self.workspace.versions() if r.work == loaded.ref.work}
        m = re.fullmatch(r"(.*?)(\d+)", loaded.ref.version)
        head, n = (m[1], int(m[2])) if m else (loaded.ref.version + ".", 0)
        while f"{head}{n + 1}" in taken:
            n += 1
        return f"{head}{n + 1}"

    async def form(self, request: Request) -> FormData:
        return await request.form(max_files=0, max_fields=400, max_part_size=64 * 1024)

    # ----------------------------------------------------------------------------------- reading

    async def index(self, request: Request) -> Response:
        rows = [self.workspace.load(r) for rs in self.workspace.works().values() for r in rs]
        return self.page("index.html.j2", loaded=rows)

    async def tree(self, request: Request) -> Response:
        loaded = self.version(request)
        q = request.query_params.get("q", "")[:100]
        role = request.query_params.get("role", "")[:40]
        community = request.query_params.get("community", "")[:40]
        rows = build_tree(loaded.policy, loaded.issues_by_node, q, role, community) if loaded.policy else []
        template = "tree_rows.html.j2" if request.headers.get("hx-request") else "tree.html.j2"
        return self.page(
            template,
            v=loaded,
            rows=rows,
            q=q,
            role=role,
            community=community,
            errors={},
            form={},
        )

    async def check_all(self, request: Request) -> Response:
        rows = [self.workspace.load(r) for rs in self.workspace.works().values() for r in rs]
        return self.page("check.html.j2", loaded=rows, v=None)

    async def check_version(self, request: Request) -> Response:
        loaded = self.version(request)
        return self.page("check.html.j2", loaded=[loaded], v=loaded)

    async def product(self, request: Request) -> Response:
        loaded = self.version(request)
        name = request.path_params["name"].strip("/")
        views = preview.views_of(loaded)
        view = next((v for v in views if v.name == name), None)
        if view is None:
            # A folder of products (checklists/<community>): list what is inside.
            inside = [v for v in views if v.name.startswith(name + "/")]
            if not inside:
                raise HTTPException(404, "没有这个产品")
            return self.page("products.html.j2", v=loaded, views=inside, title=name)
        return self.page("product.html.j2", v=loaded, view=view, formats=preview.formats_of(view))

    async def diff(self, request: Request) -> Response:
        work, old, new = (request.path_params[k] for k in ("work", "old", "new"))
        ref = self.workspace.find(work, new)
        if ref is None or self.workspace.find(work, old) is None:
            raise HTTPException(404, "没有这个制度版本")
        loaded = self.workspace.load(ref)
        prev = loaded.previous
        if prev is None or loaded.policy is None or prev.regulation.version.id != old:
            raise HTTPException(404, f"版本 {new} 不是在 {old} 基础上修订的，没有修订对照表")
        view = preview.find_view(loaded, "revision-table")
        if view is None:
            raise HTTPException(404, "没有修订对照表")
        return self.page("product.html.j2", v=loaded, view=view, formats=preview.formats_of(view))

    async def render(self, request: Request) -> Response:
        loaded = self.version(request, lint=False)
        name, fmt = request.path_params["name"], request.path_params["fmt"]
        view = preview.find_view(loaded, name)
        if view is None or loaded.policy is None or fmt not in preview.formats_of(view):
            raise HTTPException(404, "没有这个产品或格式")
        policy = loaded.policy
        if fmt == "pdf":
            data = await self.bounded(lambda: self.pdf(loaded, view))
        else:
            data = (await self.bounded(lambda: preview.render(policy, view, fmt))).data
        headers = {"Cache-Control": "no-store"}
        if fmt in ("docx", "md") or request.query_params.get("download"):
            filename = f"{loaded.ref.version}-{name.replace('/', '-')}.{fmt}"
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return Response(data, media_type=preview.MEDIA_TYPES[fmt], headers=headers)

    def pdf(self, loaded: Loaded, view: Any) -> bytes:
        """A product's PDF: the real docx through the warm LibreOffice (a cold soffice without one)."""
        assert loaded.policy is not None
        key = (loaded.base, view.name)
        if key in self.pdfs:
            return self.pdfs[key]
        if self.office is None:
            data = preview.render(loaded.policy, view, "pdf").data
        else:
            data = self.office.convert(preview.render(loaded.policy, view, "docx").data)
        self.pdfs[key] = data
        while len(self.pdfs) > 8:
            del self.pdfs[next(iter(self.pdfs))]
        return data

    async def release(self, request: Request) -> Response:
        loaded = self.version(request)
        if loaded.policy is None:
            raise HTTPException(409, "该版本有错误，无法生成发布包")
        data = await self.bounded(lambda: preview.release_zip(self.workspace, loaded))
        filename = f"{loaded.ref.work}-{loaded.ref.version}.zip"
        return Response(
            data,
            media_type=preview.MEDIA_TYPES["zip"],
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
        )

    async def bounded(self, fn: Callable[[], Any]) -> Any:
        """Run a heavy job in a thread, one at a time, refusing the request once it takes too long."""
        try:
            with anyio.fail_after(RENDER_SECONDS):
                return await anyio.to_thread.run_sync(fn, limiter=self.heavy, abandon_on_cancel=True)
        except TimeoutError as e:
            raise HTTPException(503, f"生成超过 {RENDER_SECONDS:.0f} 秒，已放弃") from e
        except ZhiduError as e:
            raise HTTPException(422, str(e)) from e

    async def events(self, request: Request) -> Response:
        from sse_starlette import EventSourceResponse

        async def stream() -> AsyncIterator[dict[str, str]]:
            async for state in self.feed.listen():
                yield {"event": "change", "data": state}

        return EventSourceResponse(stream(), ping=15)

    # ----------------------------------------------------------------------------------- editing

    def refused(self, loaded: Loaded, back: str) -> Response:
        return self.page("issued.html.j2", status=409, v=loaded, back=back, errors={}, form={})

    async def duty_edit(self, request: Request) -> Response:
        loaded = self.version(request)
        duty_id = request.path_params["duty"]
        if loaded.policy is None:
            return self.page("invalid.html.j2", status=409, v=loaded)
        hit = find_duty(loaded.policy, duty_id)
        if hit is None:
            raise HTTPException(404, "没有这项职责")
        path, prov, duty = hit
        if request.method == "GET":
            if loaded.issued:
                return self.refused(loaded, request.url.path)
            return self.duty_page(loaded, path, prov, duty, duty_values(duty, prov.text), {})
        data = await self.form(request)
        form, errors = duty_form(data)
        values = submitted(data)
        if not errors:
            result = await anyio.to_thread.run_sync(
                lambda: saving.save(
                    loaded.ref,
                    str(data.get("base", "")),
                    "regulation.yaml",
                    lambda doc: edits.apply_duty(doc, duty_id, form),
                    saving.Focus("duty", duty_id),
                )
            )
            if result.issued:
                return self.refused(loaded, request.url.path)
            if result.conflict:
                return self.duty_page(loaded, path, prov, duty, values, {}, conflict=True, status=409)
            if result.ok:
                self.feed.notify()
                return RedirectResponse(f"{loaded.ref.url}?saved={duty_id}#{duty_id}", status_code=303)
            errors = result.errors
        return self.duty_page(loaded, path, prov, duty, values, errors, status=422)

    def duty_page(
        self,
        loaded: Loaded,
        path: tuple[int, ...],
        prov: Any,
        duty: Any,
        values: dict[str, Any],
        errors: dict[str, list[str]],
        conflict: bool = False,
        status: int = 200,
    ) -> HTMLResponse:
        assert loaded.policy is not None
        return self.page(
            "duty_edit.html.j2",
            status=status,
            v=loaded,
            duty=duty,
            prov=prov,
            where=loaded.policy.cite(path),
            values=values,
            disk=duty_values(duty, prov.text),
            issues=loaded.issues_by_node.get(prov.id, []) + loaded.issues_by_node.get(duty.id, []),
            errors=errors,
            conflict=conflict,
            roles=loaded.policy.roles,
            laws=loaded.policy.laws,
        )

    async def provision_edit(self, request: Request) -> Response:
        loaded = self.version(request)
        pid = request.path_params["provision"]
        if loaded.policy is None:
            return self.page("invalid.html.j2", status=409, v=loaded)
        hit = find_provision(loaded.policy, pid)
        if hit is None:
            raise HTTPException(404, "没有这个条文")
        path, prov = hit
        values: dict[str, Any] = {
            "text": prov.text,
            "paragraphs": "\n".join(prov.paragraphs),
            "owners": list(prov.owners),
        }
        errors: dict[str, list[str]] = {}
        conflict = False
        if request.method == "GET":
            if loaded.issued:
                return self.refused(loaded, request.url.path)
        else:
            data = await self.form(request)
            text = clean(str(data.get("text", "")))
            paragraphs = lines(str(data.get("paragraphs", "")))
            owners = [str(x) for x in data.getlist("owners")]
            values = {"text": text, "paragraphs": "\n".join(paragraphs), "owners": owners}
            result = await anyio.to_thread.run_sync(
                lambda: saving.save(
                    loaded.ref,
                    str(data.get("base", "")),
                    "regulation.yaml",
                    lambda doc: edits.edit_provision_text(doc, pid, text, paragraphs, owners),
                    saving.Focus("provision", pid),
                )
            )
            if result.issued:
                return self.refused(loaded, request.url.path)
            if result.ok:
                self.feed.notify()
                return RedirectResponse(f"{loaded.ref.url}?saved={pid}#{pid}", status_code=303)
            conflict, errors = result.conflict, result.errors
        return self.page(
            "provision_edit.html.j2",
            status=200 if request.method == "GET" else (409 if conflict else 422),
            roles=loaded.policy.roles,
            v=loaded,
            prov=prov,
            where=loaded.policy.cite(path),
            values=values,
            errors=errors,
            conflict=conflict,
        )

    async def notice_edit(self, request: Request) -> Response:
        """The notice header: 文号, title, 主送, signature and dates."""
        loaded = self.version(request)
        if loaded.policy is None:
            return self.page("invalid.html.j2", status=409, v=loaded)
        notice = loaded.policy.notice
        if notice is None:
            raise HTTPException(404, "该版本没有发文通知（notice.yaml）")
        disk = {
            "doc_no": str(notice.doc_no),
            "title": notice.title,
            "addressees": notice.addressees or "",
            "signature": notice.signature,
            "date": str(notice.date),
            "printed_by": notice.printed_by,
            "printed_date": str(notice.printed_date),
        }
        values, errors, conflict, status = disk, {}, False, 200
        if request.method == "GET":
            if loaded.issued:
                return self.refused(loaded, request.url.path)
        else:
            data = await self.form(request)
            values = {k: clean(str(data.get(k, ""))) for k in disk}
            form = edits.NoticeForm(**values)
            result = await anyio.to_thread.run_sync(
                lambda: saving.save(
                    loaded.ref,
                    str(data.get("base", "")),
                    "notice.yaml",
                    lambda doc: edits.apply_notice(doc, form),
                    saving.Focus("notice"),
                )
            )
            if result.issued:
                return self.refused(loaded, request.url.path)
            if result.ok:
                self.feed.notify()
                return RedirectResponse(f"{loaded.ref.url}notice?saved=1", status_code=303)
            conflict, errors = result.conflict, result.errors
            status = 409 if conflict else 422
        return self.page(
            "notice_edit.html.j2",
            status=status,
            v=loaded,
            values=values,
            disk=disk,
            errors=errors,
            conflict=conflict,
        )

    async def registry(self, request: Request) -> Response:
        """Roles (this version's roles.yaml) or communities (the work's parties.yaml), with their forms."""
        loaded = self.version(request)
        kind = request.url.path.rstrip("/").rsplit("/", 1)[1]
        return self.registry_page(loaded, kind, {}, "")

    def registry_page(
        self, loaded: Loaded, kind: str, errors: dict[str, list[str]], focus: str, status: int = 200
    ) -> HTMLResponse:
        if loaded.policy is None:
            return self.page("invalid.html.j2", status=409, v=loaded)
        parties = loaded.policy.parties
        items = list(loaded.policy.roles) if kind == "roles" else list(parties.communities if parties else [])
        return self.page(
            "registry.html.j2",
            status=status,
            v=loaded,
            kind=kind,
            items=items,
            errors=errors,
            focus=focus,
            kinds=ROLE_KINDS,
            # Communities belong to the work, not to a version: an issued version's page may edit them.
            locked=loaded.issued and kind == "roles",
        )

    async def registry_action(self, request: Request) -> Response:
        loaded = self.version(request)
        # /<work>/<version>/<registry>/…: the registry is the third segment.
        kind, what = request.url.path.split("/")[3], request.path_params.get("what", "add")
        if kind not in edits.REGISTRIES or what not in ("save", "remove", "add"):
            raise HTTPException(404, "未知操作")
        data = await self.form(request)
        ident = str(data.get("id", "")).strip() if what == "add" else request.path_params["ident"]
        keys = edits.REGISTRIES[kind][1]
        fields: dict[str, Any] = {
            k: (bool(data.get(k)) if k == "per_community" else clean(str(data.get(k, ""))))
            for k in keys
            if k not in ("id", "grid_workers")
        }
        # A post without the field (not from this form) leaves the grid workers alone rather than emptying them.
        workers = edits.grid_workers(str(data["grid_workers"])) if "grid_workers" in data else None

        def save_record(doc: Any) -> None:
            edits.update_record(doc, kind, ident, fields)
            if workers is not None:
                edits.set_grid_workers(doc, ident, workers)

        ops: dict[str, Callable[[Any], str | None]] = {
            "save": save_record,
            "remove": lambda doc: edits.delete_record(doc, kind, ident),
            "add": lambda doc: edits.add_record(doc, kind, ident, fields),
        }
        _list_key, _order, file_name, shared = edits.REGISTRIES[kind]
        result = await anyio.to_thread.run_sync(
            lambda: saving.save(
                loaded.ref,
                str(data.get("base", "")),
                file_name,
                ops[what],
                saving.Focus(kind, ident),
                shared=shared,
            )
        )
        if result.issued:
            return self.refused(loaded, f"{loaded.ref.url}{kind}")
        if result.ok:
            self.feed.notify()
            anchor = "" if what == "remove" else f"#{ident}"
            return RedirectResponse(f"{loaded.ref.url}{kind}?saved={quote(ident)}{anchor}", status_code=303)
        if result.conflict:
            result.add("", "文件已被其他人或其他程序改动，未保存；页面已显示最新内容，请重做。")
        return self.registry_page(self.version(request), kind, result.errors, ident, status=422)

    async def action(self, request: Request) -> Response:
        """The one-click edits posted from the tree: add, delete and move duties and provisions."""
        loaded = self.version(request)
        kind, ident, what = (request.path_params[k] for k in ("kind", "ident", "what"))
        data = await self.form(request)
        base = str(data.get("base", ""))
        text = clean(str(data.get("text", ""))) or "（新条文，请编辑）"
        ops: dict[tuple[str, str], Callable[[Any], str | None]] = {
            ("duties", "delete"): lambda doc: edits.delete_duty(doc, ident),
            ("duties", "up"): lambda doc: edits.move_duty(doc, ident, -1),
            ("duties", "down"): lambda doc: edits.move_duty(doc, ident, 1),
            ("duties", "to-previous"): lambda doc: edits.move_duty_across(doc, ident, -1),
            ("duties", "to-next"): lambda doc: edits.move_duty_across(doc, ident, 1),
            ("provisions", "add-duty"): lambda doc: edits.add_duty(doc, ident),
            ("provisions", "add-child"): lambda doc: edits.add_provision(doc, ident, text, child=True),
            ("provisions", "add-after"): lambda doc: edits.add_provision(doc, ident, text, child=False),
            ("provisions", "delete"): lambda doc: edits.delete_provision(doc, ident),
        }
        for how in ("up", "down", "in", "out"):
            ops["provisions", how] = functools.partial(_move_provision, ident=ident, how=how)
        op = ops.get((kind, what))
        if op is None:
            raise HTTPException(404, "未知操作")
        focus = saving.Focus("duty" if kind == "duties" else "provision", ident)
        result = await anyio.to_thread.run_sync(
            lambda: saving.save(loaded.ref, base, "regulation.yaml", op, focus)
        )
        if result.issued:
            return self.refused(loaded, loaded.ref.url)
        if result.ok:
            self.feed.notify()
            if what == "add-duty":
                return RedirectResponse(
                    f"{loaded.ref.url}duties/{result.created}/edit?new=1", status_code=303
                )
            anchor = result.created or ident
            return RedirectResponse(f"{loaded.ref.url}?saved={anchor}#{anchor}", status_code=303)
        return self.page(
            "action_failed.html.j2",
            status=409 if result.conflict else 422,
            v=loaded,
            conflict=result.conflict,
            errors=result.errors,
        )

    async def new_draft(self, request: Request) -> Response:
        loaded = self.version(request)
        data = await self.form(request)
        form = {"version": str(data.get("version", "")), "reason": str(data.get("reason", ""))}
        result = await anyio.to_thread.run_sync(
            lambda: saving.new_draft(loaded.ref, form["version"], form["reason"])
        )
        if result.ok:
            self.feed.notify()
            return RedirectResponse(f"/{loaded.ref.work}/{result.created}/?drafted=1", status_code=303)
        return self.page(
            "issued.html.j2", status=422, v=loaded, back=loaded.ref.url, errors=result.errors, form=form
        )


def _worker_line(w: Any) -> str:
    """A grid worker as one line of the communities form: 姓名，网格，电话."""
    parts = [w.name, w.grid or "", w.phone or ""]
    while parts and not parts[-1]:
        parts.pop()
    return "，".join(parts)


def _quietly(fn: Callable[[], None]) -> None:
    # A LibreOffice that cannot start is reported when a PDF is asked for, not at start-up.
    with contextlib.suppress(ZhiduError, OSError):
        fn()


def _move_provision(doc: Any, ident: str, how: str) -> None:
    edits.move_provision(doc, ident, how)


async def _error_page(request: Request, exc: Exception) -> Response:
    """A refusal or failure as one Chinese line; an unexpected error shows no traceback (the server log has it)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = (
        exc.detail if isinstance(exc, HTTPException) else "服务器内部错误，本次操作未完成；请刷新页面后重试"
    )
    return PlainTextResponse(str(detail), status_code=status)


def create_app(settings: Settings) -> Starlette:
    """The workbench application for one policy folder."""
    wb = Workbench(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(wb.feed.watch(stop)) if settings.watch else None
        if wb.office is not None:
            # Warm up in the background: the first PDF preview should not wait for LibreOffice to start.
            threading.Thread(target=_quietly, args=(wb.office.start,), daemon=True).start()
        try:
            yield
        finally:
            if wb.office is not None:
                wb.office.close()
            stop.set()
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    v = "/{work}/{version}"
    routes = [
        Route("/", wb.index),
        Route("/check", wb.check_all),
        Route("/events", wb.events),
        Mount("/static", StaticFiles(directory=str(_package_dir("static"))), name="static"),
        Route("/{work}/diff/{old}..{new}", wb.diff),
        Route(v + "/", wb.tree),
        Route(v + "/check", wb.check_version),
        Route(v + "/release.zip", wb.release),
        Route(v + "/new-draft", wb.new_draft, methods=["POST"]),
        Route(v + "/duties/{duty}/edit", wb.duty_edit, methods=["GET", "POST"]),
        Route(v + "/provisions/{provision}/edit", wb.provision_edit, methods=["GET", "POST"]),
        Route(v + "/notice/edit", wb.notice_edit, methods=["GET", "POST"]),
        *(Route(f"{v}/{kind}", wb.registry) for kind in edits.REGISTRIES),
        *(Route(f"{v}/{kind}/add", wb.registry_action, methods=["POST"]) for kind in edits.REGISTRIES),
        *(
            Route(f"{v}/{kind}/{{ident}}/{{what}}", wb.registry_action, methods=["POST"])
            for kind in edits.REGISTRIES
        ),
        Route(v + "/{kind:str}/{ident}/{what}", wb.action, methods=["POST"]),
        Route(v + "/render/{name:path}.{fmt}", wb.render),
        Route(v + "/{name:path}", wb.product),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HTTPException: _error_page,
        Exception: _error_page,
    }
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    app.state.workbench = wb
    return _guarded(app, settings)


def _guarded(app: Starlette, settings: Settings) -> Starlette:
    app.add_middleware(Guard, settings=settings)
    return app
