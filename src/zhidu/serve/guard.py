"""What the workbench lets in: its settings, and the ASGI guard in front of every page.

The guard checks the Host header (against DNS rebinding), turns the start-up token into a SameSite=Strict cookie
and then requires it, refuses posts from other origins, and bounds request bodies.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "zhidu_session"
#: Largest request body accepted (a form is a few KB).
MAX_BODY = 256 * 1024


@dataclass
class Settings:
    """How one workbench runs."""

    root: Path
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    #: Host names the Host header may carry (the port is checked separately).
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    port: int = 0
    watch: bool = True
    #: Keep one LibreOffice warm for PDF previews (where LibreOffice and its Python bridge are installed).
    pdf_preview: bool = True


class Guard:
    """ASGI middleware: Host check, token → cookie, cookie required, same-origin posts, bounded bodies."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = request.headers.get("host", "")
        name, port = split_host(host)
        if name not in self.settings.hosts or (self.settings.port and port != str(self.settings.port)):
            await _plain(400, "主机名不被接受：请用启动时打印的地址访问。")(scope, receive, send)
            return
        token = request.query_params.get("token")
        if token is not None:
            if not secrets.compare_digest(token, self.settings.token):
                await _plain(403, "访问令牌不正确：请用启动时打印的完整链接打开。")(scope, receive, send)
                return
            # The token moves into a cookie and out of the address bar (and of bookmarks and history).
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(COOKIE, self.settings.token, httponly=True, samesite="strict", path="/")
            await response(scope, receive, send)
            return
        if not request.url.path.startswith("/static/"):
            cookie = request.cookies.get(COOKIE, "")
            if not secrets.compare_digest(cookie, self.settings.token):
                await _plain(403, "未授权：请用启动时打印的完整链接（含 token）打开工作台。")(
                    scope, receive, send
                )
                return
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("origin")
            if origin is not None and origin != f"http://{host}":
                await _plain(403, "拒绝来自其他网站的提交。")(scope, receive, send)
                return
            length = request.headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
                await _plain(413, "提交的内容过大。")(scope, receive, send)
                return
            receive = _bounded(receive)
        await self.app(scope, receive, send)


def split_host(host: str) -> tuple[str, str]:
    """A Host header as (name, port): `127.0.0.1:8421`, `localhost`, `[::1]:8421`."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name, rest.removeprefix(":")
    name, _, port = host.partition(":")
    return name, port


def _bounded(receive: Receive) -> Receive:
    seen = 0

    async def inner() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > MAX_BODY:
            raise HTTPException(413, "提交的内容过大。")
        return message

    return inner


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status)
