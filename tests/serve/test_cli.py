"""`zhidu serve` on the command line: its errors, its Host parsing, and where it listens."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.serve.conftest import start_server
from zhidu.cli import main
from zhidu.serve.guard import split_host


def test_serve_is_listed_and_refuses_a_folder_without_a_policy(tmp_path: Path, capsys: object) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "zhidu", "--help"], capture_output=True, text=True, check=True
    )
    assert "serve" in out.stdout and "网页工作台" in out.stdout
    assert main(["serve", str(tmp_path)]) == 2
    assert main(["serve", str(tmp_path / "missing")]) == 1
    assert main(["serve", "policy", "--port", "70000"]) == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "中没有制度（缺少 regulation.yaml）" in err
    assert "路径不存在" in err
    assert "端口 70000 无效" in err
    assert "Traceback" not in err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["serve", "policy", "--port", str(busy.getsockname()[1])]) == 2
    assert "无法在 127.0.0.1:" in capsys.readouterr().err  # type: ignore[attr-defined]


def test_host_headers_are_split_into_name_and_port() -> None:
    assert split_host("127.0.0.1:8421") == ("127.0.0.1", "8421")
    assert split_host("localhost") == ("localhost", "")
    assert split_host("[::1]:8421") == ("::1", "8421")
    assert split_host("evil.example:8421") == ("evil.example", "8421")


def test_the_server_listens_on_the_loopback_address_only(policy_copy: Path) -> None:
    import socket
    import urllib.error
    import urllib.request

    server = start_server(policy_copy, "--no-pdf-preview")
    try:
        port = int(server.url.rsplit(":", 1)[1])
        # Bound to 127.0.0.1 only: another loopback address of this machine finds the port closed.
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex(("127.0.0.1", port)) == 0
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex(("127.0.0.2", port)) != 0
        # The token link sets the cookie and sends the browser on without the token in the address.
        req = urllib.request.Request(server.start)
        try:
            urllib.request.build_opener(_NoRedirect()).open(req, timeout=10)
        except urllib.error.HTTPError as e:
            assert e.code == 303 and e.headers["location"] == "/"
            assert "zhidu_session=" in e.headers["set-cookie"]
        else:
            raise AssertionError("expected a redirect")
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
