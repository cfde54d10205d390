"""`zhidu serve [PATH] [--port N] [--host H]`: start the local workbench and print its address (with the token).

Only the standard library is imported at module level: uvicorn, Starlette and Jinja2 load when the command runs.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import sys
from pathlib import Path
from typing import Any

from zhidu.errors import UsageError

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def add_parser(sub: Any) -> None:
    """Register the `serve` subcommand."""
    s = sub.add_parser("serve", help="启动本机网页工作台：查看、编辑、预览制度（无需手写 YAML）")
    s.add_argument("path", nargs="?", default="policy", metavar="目录", help="制度目录（默认 policy/）")
    s.add_argument(
        "--port", type=int, default=8421, metavar="端口", help="端口（默认 8421；0 表示任选空闲端口）"
    )
    s.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认只允许本机访问）")
    s.add_argument("--no-watch", action="store_true", help="不监视文本编辑器对源文件的改动")
    s.add_argument(
        "--no-pdf-preview", action="store_true", help="不预先启动 LibreOffice（PDF 预览改为每次冷启动）"
    )
    s.set_defaults(func=run_serve)


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _check_free(host: str, port: int) -> None:
    """Raise OSError when the port cannot be bound (already in use), before the address is printed."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))


def _machine_names() -> list[str]:
    """The names and addresses other computers may use for this one (for the Host check)."""
    names: list[str] = []
    with contextlib.suppress(OSError):
        host = socket.gethostname()
        _name, aliases, addresses = socket.gethostbyname_ex(host)
        names = [a for a in addresses if not a.startswith("127.")] + [host, socket.getfqdn(), *aliases]
    return list(dict.fromkeys(n for n in names if n))


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; a missing policy, a bad or busy port is a UsageError (exit 2)."""
    import uvicorn

    from zhidu.load.source import find_versions
    from zhidu.serve import Settings, create_app

    root = Path(args.path)
    if not find_versions(root):
        raise UsageError(f"{root} 中没有制度（缺少 regulation.yaml）")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"端口 {args.port} 无效")
    try:
        port = args.port or _free_port(args.host)
        if args.port:
            _check_free(args.host, port)
    except OSError as e:
        raise UsageError(
            f"无法在 {args.host}:{args.port} 上监听：{e.strerror or e}（可换一个端口，或用 --port 0 任选）"
        ) from e
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
    shown = args.host
    if args.host not in LOCAL_HOSTS:
        names = _machine_names() if args.host in ("0.0.0.0", "::") else [args.host]
        hosts = (*hosts, *names)
        shown = names[0] if names else args.host
        sys.stderr.write(
            f"警告：工作台监听 {args.host}，局域网内的其他电脑也能访问；只把带令牌的链接交给可信的人。\n"
        )
    settings = Settings(
        root=root, hosts=hosts, port=port, watch=not args.no_watch, pdf_preview=not args.no_pdf_preview
    )
    shown = f"[{shown}]" if ":" in shown else shown
    sys.stdout.write(f"制度工作台已启动：http://{shown}:{port}/?token={settings.token}\n按 Ctrl-C 停止。\n")
    sys.stdout.flush()
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=port,
        log_level="warning",
        timeout_keep_alive=5,
        limit_concurrency=64,
        timeout_graceful_shutdown=2,
    )
    return 0
