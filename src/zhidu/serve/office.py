"""One warm LibreOffice for the PDF preview: started once, converting docx → PDF over its UNO socket.

`soffice --convert-to` pays LibreOffice's start-up (over a second) on every call; a preview after each save
should not. LibreOffice's Python bridge (`uno`) lives in the system Python (Debian `python3-uno`), not in
zhidu's environment, so a small helper (`_uno_helper.py`) runs under that interpreter, connects to the warm
soffice and converts the files it is told about, one JSON line per job.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import socket
import subprocess
import tempfile
import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO

from zhidu.errors import RenderError
from zhidu.render.pdf import soffice, soffice_env

#: Seconds to wait for LibreOffice to start and accept connections, and for one conversion.
START_SECONDS = 60.0
CONVERT_SECONDS = 60.0
#: Interpreters that may carry LibreOffice's `uno` module.
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")


@cache
def uno_python() -> str | None:
    """A Python that can `import uno`, if any."""
    for exe in SYSTEM_PYTHONS:
        if os.access(exe, os.X_OK):
            ok = subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=30, check=False)
            if ok.returncode == 0:
                return exe
    return None


def unavailable() -> str | None:
    """None when a warm LibreOffice can run here, else why not (in Chinese)."""
    if soffice() is None:
        return "未安装 LibreOffice"
    if uno_python() is None:
        return "缺少 LibreOffice 的 Python 接口（Debian：apt-get install python3-uno）"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WarmOffice:
    """A LibreOffice process and its helper, started on first use (or by `start`) and kept until `close`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._office: subprocess.Popen[bytes] | None = None
        self._helper: subprocess.Popen[str] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def start(self) -> None:
        """Start LibreOffice and connect the helper (a no-op when running)."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        if self._helper is not None and self._helper.poll() is None:
            return
        self._stop()
        why = unavailable()
        if why is not None:
            raise RenderError(f"无法生成 PDF 预览：{why}")
        exe, python = soffice(), uno_python()
        assert exe is not None and python is not None
        self._tmp = tempfile.TemporaryDirectory(prefix="zhidu-office-")
        profile = Path(self._tmp.name) / "profile"
        port = _free_port()
        self._office = subprocess.Popen(
            [
                exe,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext",
            ],
            env=soffice_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        helper = Path(str(resources.files("zhidu.serve").joinpath("_uno_helper.py")))
        self._helper = subprocess.Popen(
            [python, str(helper), str(port), str(START_SECONDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        reply = self._reply(START_SECONDS)
        if reply.get("ready") is not True:
            self._stop()
            raise RenderError(f"LibreOffice 未能启动：{reply.get('error', '无响应')}")

    def _reply(self, seconds: float) -> dict[str, object]:
        assert self._helper is not None and self._helper.stdout is not None
        out: IO[str] = self._helper.stdout
        ready, _, _ = select.select([out], [], [], seconds)
        if not ready:
            return {"error": f"超过 {seconds:.0f} 秒无响应"}
        line = out.readline()
        try:
            value = json.loads(line) if line else {"error": "进程已退出"}
        except ValueError:
            value = {"error": line.strip()[:200]}
        return value if isinstance(value, dict) else {"error": "应答无效"}

    def convert(self, docx: bytes) -> bytes:
        """The PDF of one .docx, by the warm LibreOffice; restarted once if it died."""
        with self._lock:
            for attempt in (1, 2):
                self._start()
                assert self._tmp is not None and self._helper is not None and self._helper.stdin is not None
                src = Path(self._tmp.name) / "in.docx"
                dst = Path(self._tmp.name) / "out.pdf"
                src.write_bytes(docx)
                with contextlib.suppress(FileNotFoundError):
                    dst.unlink()
                try:
                    self._helper.stdin.write(json.dumps({"in": str(src), "out": str(dst)}) + "\n")
                    self._helper.stdin.flush()
                except OSError:
                    reply: dict[str, object] = {"error": "进程已退出"}
                else:
                    reply = self._reply(CONVERT_SECONDS)
                if reply.get("ok") is True and dst.is_file():
                    return dst.read_bytes()
                # A hung or crashed LibreOffice is replaced, once.
                self._stop()
                if attempt == 2:
                    raise RenderError(f"LibreOffice 转换失败：{reply.get('error', '未知原因')}")
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        for proc in (self._helper, self._office):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self._helper = self._office = None
        if self._tmp is not None:
            # LibreOffice may leave lock files behind as it exits.
            shutil.rmtree(self._tmp.name, ignore_errors=True)
            self._tmp = None
