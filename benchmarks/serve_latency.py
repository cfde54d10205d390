"""Save → preview latency of `zhidu serve`: a real server, a real save, the change feed, the new HTML.

`python benchmarks/serve_latency.py [--reps N]`; `run.py` calls `measure()` for its table. Each repetition edits
one duty's wording through the workbench form (as a browser posts it) and times until the notice HTML carrying
the new wording has been fetched after the server-sent change event; the same for an edit made in a text editor.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = "gongyuan-aqsc"
DUTY_TEXT = "每月至少1次带队开展安全生产督导检查。"


@dataclass
class Latency:
    """Medians in seconds."""

    post: float  # the save request itself: validate, write, answer
    preview: float  # from the save's answer to the new HTML in hand
    click_to_preview: float  # from sending the form to the new HTML in hand
    editor: float  # from a text editor's write to the new HTML in hand
    reps: int
    #: From the save's answer to the new PDF in hand (warm LibreOffice); None where LibreOffice is missing.
    pdf: float | None = None


class _Client:
    def __init__(self, url: str) -> None:
        self.url = url
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        self.jar = jar

    def get(self, path: str) -> tuple[int, str]:
        status, data = self.get_bytes(path)
        return status, data.decode("utf-8", "replace")

    def get_bytes(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.url + path, timeout=120) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def post(self, path: str, fields: list[tuple[str, str]]) -> int:
        body = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(urllib.request.Request(self.url + path, data=body), timeout=30) as r:
                return int(r.status)
        except urllib.error.HTTPError as e:
            return int(e.code)

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _events(host: str, port: int, cookie: str, out: queue.Queue[str], stop: threading.Event) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("GET", "/events", headers={"Cookie": cookie, "Accept": "text/event-stream"})
    resp = conn.getresponse()
    while not stop.is_set():
        line = resp.readline()
        if not line:
            return
        if line.startswith(b"data:"):
            out.put(line[5:].strip().decode("utf-8"))


def _wait_for(events: queue.Queue[str], key: str, old: str) -> str:
    while True:
        state = events.get(timeout=30)
        m = re.search(rf'"{re.escape(key)}": "([0-9a-f]+)"', state)
        if m and m[1] != old:
            return m[1]


def _save(client: _Client, text: str) -> float:
    """Post the D-01-06 form with `text` as a browser would; the seconds the save took."""
    _status, page = client.get(f"/{WORK}/2024.3/duties/D-01-06/edit")
    form = re.findall(r'name="base" value="([0-9a-f]+)"', page)
    fields = [
        ("base", form[0]),
        ("text", text),
        ("per", "month"),
        ("min", "1"),
        ("display", "每月至少1次"),
        ("evidence", "督导检查记录"),
        ("checklist", "1"),
        *(("basis", law) for law in ("L-AQSCF", "L-NMGAQTL", "L-NMGDZZRZ", "L-DFDZZRZ")),
    ]
    t0 = time.perf_counter()
    assert client.post(f"/{WORK}/2024.3/duties/D-01-06/edit", fields) == 303
    return time.perf_counter() - t0


def measure(reps: int = 10, pdf: bool = True) -> Latency:
    """Start `zhidu serve` on a scratch copy of the seed and time `reps` saves and `reps` editor writes."""
    tmp = Path(tempfile.mkdtemp(prefix="zhidu-serve-bench-"))
    shutil.copytree(ROOT / "policy", tmp / "policy")
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhidu", "serve", str(tmp / "policy"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    stop = threading.Event()
    try:
        assert proc.stdout is not None
        m = re.search(r"http://(127\.0\.0\.1):(\d+)/\?token=(\S+)", proc.stdout.readline())
        assert m, "zhidu serve printed no address"
        host, port, token = m[1], int(m[2]), m[3]
        client = _Client(f"http://{host}:{port}")
        for _ in range(300):
            try:
                client.get(f"/?token={token}")
                break
            except OSError:
                time.sleep(0.05)
        assert (
            client.post(f"/{WORK}/2024.2/new-draft", [("version", "2024.3"), ("reason", "基准测试")]) == 303
        )
        events: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=_events, args=(host, port, client.cookie(), events, stop), daemon=True
        ).start()
        key = f"{WORK}/2024.3"
        base = _wait_for(events, key, "")
        client.get(f"/{WORK}/2024.3/render/notice.html")  # the first render compiles templates
        posts, previews, totals, editor = [], [], [], []
        for i in range(reps):
            text = DUTY_TEXT.replace("。", f"（第{i + 1}次修改）。")
            t0 = time.perf_counter()
            _save(client, text)
            t1 = time.perf_counter()
            base = _wait_for(events, key, base)
            _status, html = client.get(f"/{WORK}/2024.3/render/notice.html?b={base}")
            t2 = time.perf_counter()
            assert text in html
            posts.append(t1 - t0)
            previews.append(t2 - t1)
            totals.append(t2 - t0)
        reg = tmp / "policy" / WORK / "2024.3" / "regulation.yaml"
        for i in range(reps):
            source = reg.read_text(encoding="utf-8")
            new = re.sub(r"（第\d+次(?:修改|编辑)）", f"（第{i + 1}次编辑）", source, count=1)
            t0 = time.perf_counter()
            reg.write_text(new, encoding="utf-8")
            base = _wait_for(events, key, base)
            _status, html = client.get(f"/{WORK}/2024.3/render/notice.html?b={base}")
            editor.append(time.perf_counter() - t0)
            assert f"（第{i + 1}次编辑）" in html
        pdfs = []
        if pdf and shutil.which("soffice"):
            # The first PDF waits for LibreOffice to finish starting; the rows time the warm ones.
            assert client.get_bytes(f"/{WORK}/2024.3/render/notice.pdf")[0] == 200
            for i in range(reps):
                _save(client, DUTY_TEXT.replace("。", f"（PDF 第{i + 1}次）。"))
                t1 = time.perf_counter()
                status, data = client.get_bytes(f"/{WORK}/2024.3/render/notice.pdf")
                pdfs.append(time.perf_counter() - t1)
                assert status == 200 and data.startswith(b"%PDF")
        med = statistics.median
        return Latency(med(posts), med(previews), med(totals), med(editor), reps, med(pdfs) if pdfs else None)
    finally:
        stop.set()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=10)
    args = ap.parse_args(argv)
    lat = measure(args.reps)
    print(f"zhidu serve, median of {lat.reps}:")
    print(f"  save request (validate + write)       {lat.post * 1000:7.0f} ms")
    print(f"  save → HTML preview                   {lat.preview * 1000:7.0f} ms  (target ≤ 300 ms)")
    print(f"  click Save → HTML preview             {lat.click_to_preview * 1000:7.0f} ms")
    print(f"  text editor write → HTML preview      {lat.editor * 1000:7.0f} ms")
    if lat.pdf is not None:
        print(f"  save → PDF preview (warm LibreOffice) {lat.pdf * 1000:7.0f} ms  (target ≤ 1500 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
