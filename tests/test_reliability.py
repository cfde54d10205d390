"""Reliability and security: interruptions, full disks, concurrent builds, read-only sources, hostile input.

Each test prints one `SUMMARY` line (see with `pytest -s tests/test_reliability.py | grep SUMMARY`):
the class of bad or hostile input, how many were tried and the outcome.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from zhidu.atomic import TMP_PREFIX
from zhidu.build import BuildOptions, build
from zhidu.cli import main
from zhidu.errors import OutputError

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policy"
CASES = Path(__file__).resolve().parent / "cases"
ISSUE = re.compile(
    r"^[^:]+:\d+:\d+: (错误|警告|提示)\[[A-Z]\d{3}\]: |^[^:]+: (错误|警告|提示)\[[A-Z]\d{3}\]: "
)


def summary(cls: str, tried: int, outcome: str) -> None:
    print(f"\nSUMMARY {cls}: tried={tried} outcome={outcome}")


def zhidu(*args: str, cwd: Path, timeout: float = 120, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhidu", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,  # type: ignore[arg-type]
    )


def start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "zhidu", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def copy_seed(tmp: Path) -> Path:
    dst = tmp / "policy"
    shutil.copytree(POLICY, dst)
    return dst


def assert_consistent(out: Path) -> int:
    """Every manifest entry matches its file; every .docx is a whole zip. Returns the number of outputs."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for rel, entry in manifest["outputs"].items():
        data = (out / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], rel
    assert_docx_whole(out)
    return len(manifest["outputs"])


def assert_docx_whole(out: Path) -> None:
    for p in out.rglob("*.docx"):
        if p.name.startswith(TMP_PREFIX):
            continue
        with zipfile.ZipFile(p) as z:
            assert z.testzip() is None, p
            assert "word/document.xml" in z.namelist(), p


def tmp_leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob(TMP_PREFIX + "*")]


def outputs_written(out: Path) -> int:
    # Real outputs renamed into place so far (the manifest comes last).
    return sum(1 for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")) if out.is_dir() else 0


# ------------------------------------------------------------------------------------- interruptions


def test_sigkill_mid_build_never_leaves_partial_outputs(tmp_path: Path) -> None:
    src = copy_seed(tmp_path)
    # ("files", n): kill once n outputs are in place (surely mid-write); ("delay", s): s seconds after launch.
    plans = [("files", 1), ("files", 10), ("files", 40), ("delay", 0.8), ("delay", 2.5)]
    ref = tmp_path / "ref"
    r = zhidu("build", str(src), "-o", str(ref), "--format", "docx,html,md", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    caught_mid_write = 0
    for i in range(len(plans)):
        out = tmp_path / f"out{i}"
        proc = start("build", str(src), "-o", str(out), "--format", "docx,html,md", "-q", cwd=tmp_path)
        t0 = time.monotonic()
        kind, n = plans[i]
        if kind == "files":
            while proc.poll() is None and outputs_written(out) < n and time.monotonic() - t0 < 60:
                time.sleep(0.0005)
        else:
            time.sleep(n)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        # Whatever the kill left: no truncated docx under a real name, and an old manifest still matches.
        if out.exists():
            assert_docx_whole(out)
            if (out / "manifest.json").exists():
                assert_consistent(out)
            else:
                # Killed mid-write: every output already in place is whole, byte for byte the finished one.
                present = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
                for p in present:
                    assert p.read_bytes() == (ref / p.relative_to(out)).read_bytes(), p
                caught_mid_write += bool(present)
        r = zhidu("build", str(src), "-o", str(out), "--format", "docx,html,md", "-q", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert tmp_leftovers(out) == []
        assert assert_consistent(out) > 50
    # At least one kill must land between the first and the last write, or the test proves nothing.
    assert caught_mid_write >= 1
    summary(
        "SIGKILL mid-build",
        len(plans),
        f"{caught_mid_write} killed mid-write; 0 truncated outputs; rebuild consistent",
    )


def first_temp(out: Path) -> Path | None:
    """A temporary file of the writer under `out`, if one exists right now."""
    return next(out.rglob(TMP_PREFIX + "*"), None) if out.is_dir() else None


def test_sigint_gives_chinese_message_and_130(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gen_communities import make_policy_tree

    # Ctrl-C while the writer has temporary files open: the moment a half-written output could be left behind.
    # The build announces that moment itself (its first temporary file appears), so the signal is sent when the
    # child is in that code path on any machine, however loaded. A fixed delay was a race: on a busy machine
    # the child could still be starting Python (killed by the default handler, exit -2) or importing zhidu
    # (a KeyboardInterrupt traceback), and on a fast one it could already be past the write.
    src = make_policy_tree(300, tmp_path / "policy")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhidu", "build", str(src), "-o", str(out), "--format", "docx,html,md", "-q"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Python turns SIGINT into KeyboardInterrupt only when it starts with the default disposition; a test
        # run from a background job (which ignores SIGINT) must not hand that on to the build.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    while proc.poll() is None and first_temp(out) is None:
        time.sleep(0.001)
    assert proc.poll() is None, "the build ended before it wrote a temporary file"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err == "zhidu: 已中断\n"
    # Every temporary file removed; whatever was renamed into place is whole; the manifest, written last, is not.
    assert tmp_leftovers(out) == []
    assert_docx_whole(out)
    assert not (out / "manifest.json").exists()
    summary("SIGINT mid-write", 1, "exit 130, 中文提示, no traceback, no temporary or partial output")


def test_full_disk_raises_output_error_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tmp_path / "case"
    shutil.copytree(CASES / "minimal", case)
    out = tmp_path / "out"
    assert build(BuildOptions(source=case, out=out, formats=["html", "md"])).written > 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # A new version of the source, so every output must be rewritten.
    reg = case / "regulation.yaml"
    reg.write_text(
        reg.read_text(encoding="utf-8").replace("测试工作制度", "测试工作制度（修订）"), encoding="utf-8"
    )

    import zhidu.atomic as atomic

    real_fdopen = os.fdopen
    writes = {"n": 0}

    class HalfFull:
        """A file that accepts half of what it is given, then reports a full disk."""

        def __init__(self, f: object) -> None:
            self.f = f

        def __enter__(self) -> HalfFull:
            return self

        def __exit__(self, *a: object) -> None:
            self.f.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            writes["n"] += 1
            self.f.write(data[: len(data) // 2])  # type: ignore[attr-defined]
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> object:
            return getattr(self.f, name)

    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode="r": HalfFull(real_fdopen(fd, mode)))
    with pytest.raises(OutputError) as exc:
        build(BuildOptions(source=case, out=out, formats=["html", "md"]))
    assert "写入" in str(exc.value) and "失败" in str(exc.value)
    assert writes["n"] == 1
    # The previous outputs are untouched and no temporary file is left.
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert tmp_leftovers(out) == []
    # Through the command line: a Chinese message and exit 1, never a traceback.
    assert main(["build", str(case), "-o", str(out), "--format", "html,md", "-q"]) == 1
    summary("full disk (ENOSPC)", 2, "OutputError 写入…失败, exit 1, old outputs intact, no temp file")


def test_two_concurrent_builds_leave_build_consistent(tmp_path: Path) -> None:
    src = copy_seed(tmp_path)
    out = tmp_path / "out"
    procs = [
        start("build", str(src), "-o", str(out), "--format", "docx,html,md", "-q", cwd=tmp_path)
        for _ in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    assert tmp_leftovers(out) == []
    n = assert_consistent(out)
    summary("two concurrent builds", 2, f"both exit 0; manifest consistent ({n} outputs)")


# ------------------------------------------------------------------------------------------ sources


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_sources_are_read_only_to_build_check_diff_import(tmp_path: Path) -> None:
    src = copy_seed(tmp_path)
    before = snapshot(src)
    v1, v2 = src / "gongyuan-aqsc" / "2024.1", src / "gongyuan-aqsc" / "2024.2"
    runs = [
        ("check", str(src)),
        ("build", str(src), "-o", str(tmp_path / "out"), "--format", "html,md,docx", "-q"),
        ("diff", str(v1), str(v2)),
        ("diff", str(v1), str(v2), "--format", "md", "-o", str(tmp_path / "diff.md")),
    ]
    seed_txt = ROOT / "tests" / "cases" / "seed" / "000_6dbcfac1e3d2ddaf.txt"
    if seed_txt.exists():
        runs.append(("import", str(seed_txt), "-o", str(src / "imported"), "-q"))
    for args in runs:
        r = zhidu(*args, cwd=tmp_path)
        assert "Traceback" not in r.stderr, r.stderr
        assert r.returncode in (0, 1), (args, r.stderr)
    after = snapshot(src)
    new = set(after) - set(before)
    # import writes only new files, in its own new folder; nothing that existed changed.
    assert all(k.startswith("imported/") for k in new), new
    assert {k: after[k] for k in before} == before
    summary("read-only sources", len(runs), "no source byte or mtime changed; import only added new files")


# -------------------------------------------------------------------------------------- zhidu fmt


def test_fmt_leaves_canonical_files_untouched(tmp_path: Path) -> None:
    src = copy_seed(tmp_path)
    before = snapshot(src)
    r = zhidu("fmt", str(src), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert snapshot(src) == before  # not even rewritten: mtimes equal, no .bak
    assert zhidu("fmt", str(src), "--check", cwd=tmp_path).returncode == 0


def test_fmt_normalises_layout_keeps_comments_quotes_and_a_backup(tmp_path: Path) -> None:
    f = tmp_path / "roles.yaml"
    messy = (
        "\ufeff# 岗位\r\nroles:\r\n- id:   \"R-SJ\"   # 书记\r\n  name: '党工委书记'\r\n  kind: leader\r\n"
    )
    f.write_bytes(messy.encode("utf-8"))
    r = zhidu("fmt", str(f), "--check", cwd=tmp_path)
    assert r.returncode == 1 and "需要格式化" in r.stdout
    assert f.read_bytes() == messy.encode("utf-8")
    r = zhidu("fmt", str(f), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "roles.yaml.bak").read_bytes() == messy.encode("utf-8")
    assert (
        f.read_text(encoding="utf-8")
        == "# 岗位\nroles:\n  - id: \"R-SJ\"   # 书记\n    name: '党工委书记'\n    kind: leader\n"
    )
    # Idempotent: a second run changes nothing.
    mtime = f.stat().st_mtime_ns
    assert zhidu("fmt", str(f), cwd=tmp_path).returncode == 0
    assert f.stat().st_mtime_ns == mtime
    assert not list(tmp_path.glob(TMP_PREFIX + "*"))


def test_fmt_refuses_files_with_errors(tmp_path: Path) -> None:
    bad = {
        "tab.yaml": b"roles:\n\t- id: R-SJ\n",
        "gbk.yaml": "名称: 书记\n".encode("gbk"),
        "date.yaml": b"date: 2024-02-31\n",
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    r = zhidu("fmt", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if ln and not ln.startswith("共 ")]
    assert len(lines) == 3 and all(ISSUE.match(ln) for ln in lines), r.stderr
    assert "Traceback" not in r.stderr
    for name, data in bad.items():
        assert (tmp_path / name).read_bytes() == data
        assert not (tmp_path / (name + ".bak")).exists()
    summary("fmt on broken files", len(bad), "refused with located diagnostics, exit 1, files untouched")


# ---------------------------------------------------------------------------------- hostile input


def _limit_memory() -> None:
    # 1 GiB of address space: an alias bomb that expanded would die here instead of passing.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def hostile_case(tmp: Path, name: str, laws: str) -> Path:
    case = tmp / name
    shutil.copytree(CASES / "minimal", case)
    (case / "laws.yaml").write_text(laws, encoding="utf-8")
    return case


def billion_laughs() -> str:
    lines = ['a0: &a0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\nlaws: *a9\n"


HOSTILE_STRUCTURES = {
    "billion-laughs": billion_laughs(),
    "deep-seq-10000": "laws: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "deep-map-10000": "laws: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
    "deep-block-200": "laws:\n" + "".join("  " * i + "a:\n" for i in range(1, 200)) + "  " * 200 + "b: 1\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_STRUCTURES))
def test_alias_bombs_and_deep_nesting_are_refused_fast(tmp_path: Path, name: str) -> None:
    case = hostile_case(tmp_path, name, HOSTILE_STRUCTURES[name])
    t0 = time.monotonic()
    r = zhidu("check", str(case), cwd=tmp_path, timeout=30, preexec_fn=_limit_memory)
    elapsed = time.monotonic() - t0
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert re.search(r"laws\.yaml:\d+:\d+: 错误\[E016\]", r.stdout), r.stdout
    # No wall-clock bound here (speed lives in benchmarks/): on a loaded machine a cold check alone took 6-9 s. An
    # unguarded bomb is still caught, by the 1 GiB cap (a MemoryError traceback) or the 30 s timeout above.
    summary(f"hostile structure {name}", 1, f"E016 in {elapsed:.2f}s under a 1 GiB memory cap")


FORBIDDEN = {
    "NUL raw byte": ("name: 党工委\x00书记", "U+0000"),
    "VT raw": ("name: 党工委\x0b书记", "U+000B"),
    "U+FFFE raw": ("name: 党工委\ufffe书记", "U+FFFE"),
    "DEL raw": ("name: 党工委\x7f书记", "U+007F"),
    "VT escaped": ('name: "党工委\\x0b书记"', "U+000B"),
    "NUL escaped": ('name: "党工委\\0书记"', "U+0000"),
    "U+FFFE escaped": ('name: "党工委\\ufffe书记"', "U+FFFE"),
    # ruamel itself refuses a lone surrogate escape: a located syntax error is the right answer too.
    "surrogate escaped": ('name: "党工委\\ud800书记"', "E001"),
}


@pytest.mark.parametrize("label", sorted(FORBIDDEN))
def test_xml_forbidden_characters_are_located(tmp_path: Path, label: str) -> None:
    snippet, code = FORBIDDEN[label]
    case = tmp_path / "case"
    shutil.copytree(CASES / "minimal", case)
    roles = case / "roles.yaml"
    text = roles.read_text(encoding="utf-8").replace("name: 党工委书记", snippet)
    roles.write_bytes(text.encode("utf-8", "surrogatepass"))
    # split("\n"), not splitlines(): VT and FF are line breaks to Python but not to YAML.
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if snippet in ln)
    r = zhidu("check", str(case), cwd=tmp_path)
    assert r.returncode == 1, r.stdout
    pattern = (
        rf"roles\.yaml:{line}:\d+: 错误\[E001\]: "
        if code == "E001"
        else rf"roles\.yaml:{line}:\d+: 错误\[E010\]: .*{re.escape(code)}"
    )
    assert re.search(pattern, r.stdout), r.stdout
    # And a build never reaches lxml with it.
    r = zhidu("build", str(case), "-o", str(tmp_path / "out"), "--format", "docx,html,md", "-q", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    summary(
        f"XML-forbidden char ({label})",
        1,
        f"located {code if code == 'E001' else 'E010 ' + code}, build refused",
    )


HOSTILE_NAMES = [
    "../../../逃逸",
    "a/b/c",
    "..",
    "CON",
    "NUL.txt",
    "com1",
    "社" * 100,  # 300 bytes in UTF-8
    "x" * 300,
    "\\..\\..\\windows",
    "/etc/passwd",
    ".zhidu-tmp-x",
]


def _parties(names: list[str]) -> str:
    lines = ["communities:"]
    for i, n in enumerate(names, 1):
        q = json.dumps(n, ensure_ascii=False)
        lines += [
            f"  - id: C-{i:02d}",
            f"    name: {q}",
            f"    leader: {q}",
            "    grid_workers:",
            f"      - {{name: {q}, grid: {q}}}",
        ]
    return "\n".join(lines) + "\n"


def test_hostile_community_names_never_write_outside_build(tmp_path: Path) -> None:
    work = tmp_path / "work"
    case = work / "case"
    shutil.copytree(CASES / "checklist-kinds", case)
    (case / "parties.yaml").write_text(_parties(HOSTILE_NAMES), encoding="utf-8")
    out = work / "out"
    outside_before = sorted(p for p in tmp_path.rglob("*") if out not in p.parents and p != out)
    r = zhidu("build", str(case), "-o", str(out), "--format", "docx,html,md", "-q", cwd=work)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 0, r.stderr
    outside_after = sorted(p for p in tmp_path.rglob("*") if out not in p.parents and p != out)
    assert outside_after == outside_before
    written = [p for p in out.rglob("*") if p.is_file()]
    resolved = out.resolve()
    for p in written:
        assert p.resolve().is_relative_to(resolved), p
        rel = p.relative_to(out)
        for part in rel.parts:
            assert len(part.encode("utf-8")) <= 255, part
            assert part.split(".", 1)[0].lower() not in {"con", "nul", "com1", "prn", "aux"}, part
            assert part not in ("..", ".") and "\\" not in part
    checklists = [p for p in written if "checklist" in p.as_posix()]
    # One checklist per community and format, each under its own safe name.
    assert len(checklists) >= len(HOSTILE_NAMES), [p.relative_to(out).as_posix() for p in checklists]
    assert_consistent(out)
    summary(
        "hostile community names", len(HOSTILE_NAMES), f"{len(written)} files, all under build/, safe names"
    )


# ------------------------------------------------------------------------------------ user templates

SANDBOX_ESCAPES = {
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler-globals": "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "data-globals": "{{ data.__class__.__init__.__globals__['sys'].modules['os'].system('touch MARKER') }}",
    "for-subclasses": "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "format-attr": "{{ '{0.__class__.__init__.__globals__}'.format(view) }}",
}


@pytest.mark.parametrize("name", sorted(SANDBOX_ESCAPES))
def test_user_templates_run_in_a_sandbox(tmp_path: Path, name: str) -> None:
    case = tmp_path / "case"
    shutil.copytree(CASES / "minimal", case)
    marker = tmp_path / "pwned"
    tpl = case / "templates" / "html" / "notice.html.j2"
    tpl.parent.mkdir(parents=True)
    tpl.write_text("<p>" + SANDBOX_ESCAPES[name].replace("MARKER", str(marker)) + "</p>\n", encoding="utf-8")
    out = tmp_path / "out"
    r = zhidu("build", str(case), "-o", str(out), "--format", "html", "-q", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stderr.startswith("zhidu: 渲染错误: 模板"), r.stderr
    assert "Traceback" not in r.stderr
    assert not marker.exists()
    assert not (out / "case" / "notice.html").exists()
    summary(f"template sandbox escape ({name})", 1, "渲染错误, exit 1, payload not executed, nothing written")


# ---------------------------------------------------------------------------------- hostile .docx


def _docx_bytes(lines: list[str]) -> bytes:
    import io

    import docx

    d = docx.Document()
    for ln in lines:
        d.add_paragraph(ln)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _rewrite_zip(data: bytes, replace: dict[str, bytes], add: dict[str, bytes]) -> bytes:
    import io

    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, blob in add.items():
            z.writestr(name, blob)
    return buf.getvalue()


def _seed_lines() -> list[str]:
    text = (ROOT / "tests" / "cases" / "seed" / "000_6dbcfac1e3d2ddaf.txt").read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip()][:60]


def test_hostile_docx_imports_are_read_as_text_only(tmp_path: Path) -> None:
    import socket
    import threading

    # A listener that would see any fetch of an external relationship.
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    port = srv.getsockname()[1]
    hits: list[object] = []
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                hits.append(conn)
                conn.close()
            except OSError:
                pass

    t = threading.Thread(target=listen, daemon=True)
    t.start()

    base = _docx_bytes(_seed_lines())
    rels_name = "word/_rels/document.xml.rels"
    rels = zipfile.ZipFile(__import__("io").BytesIO(base)).read(rels_name).decode("utf-8")
    ooxml = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    external = (
        f'<Relationship Id="rIdX1" Type="{ooxml}/image" Target="http://127.0.0.1:{port}/x.png" '
        'TargetMode="External"/>'
        f'<Relationship Id="rIdX2" Type="{ooxml}/attachedTemplate" Target="http://127.0.0.1:{port}/t.dotm" '
        'TargetMode="External"/>'
        f'<Relationship Id="rIdX3" Type="{ooxml}/oleObject" Target="file:///etc/passwd" '
        'TargetMode="External"/>'
    )
    vba = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    macro_rel = f'<Relationship Id="rIdM" Type="{vba}" Target="vbaProject.bin"/>'
    types = zipfile.ZipFile(__import__("io").BytesIO(base)).read("[Content_Types].xml").decode("utf-8")
    macro_type = (
        '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    )
    cases = {
        "external-relationships.docx": _rewrite_zip(
            base, {rels_name: rels.replace("</Relationships>", external + "</Relationships>").encode()}, {}
        ),
        "macro.docx": _rewrite_zip(
            base,
            {
                rels_name: rels.replace("</Relationships>", macro_rel + "</Relationships>").encode(),
                "[Content_Types].xml": types.replace("</Types>", macro_type + "</Types>").encode(),
            },
            {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b'Sub AutoOpen() Shell "touch pwned" End Sub' * 50},
        ),
    }
    outcomes = {}
    for name, data in cases.items():
        f = tmp_path / name
        f.write_bytes(data)
        out = tmp_path / name.removesuffix(".docx")
        r = zhidu("import", str(f), "-o", str(out), "-q", cwd=tmp_path, timeout=60)
        assert "Traceback" not in r.stderr, r.stderr
        # Read as text: the wording came through, and only the YAML and the report were written.
        assert r.returncode == 0, r.stderr
        assert "党政同责" in (out / "regulation.yaml").read_text(encoding="utf-8") + (
            out / "notice.yaml"
        ).read_text(encoding="utf-8")
        assert all(p.suffix in (".yaml", ".md", ".txt") for p in out.iterdir()), list(out.iterdir())
        outcomes[name] = r.returncode
    time.sleep(0.3)
    stop.set()
    t.join(timeout=2)
    srv.close()
    assert hits == [], "an external relationship was fetched"
    assert not (tmp_path / "pwned").exists()
    summary(
        "hostile .docx (external rels, macro)",
        len(cases),
        f"exit codes {outcomes}; 0 network fetches; macro not run",
    )


#: What each hostile container is refused for (the message names the limit it broke).
ZIP_BOMB_REASONS = {"ratio": "疑似压缩炸弹", "entries": "个部件（上限 2000）", "garbage": "已损坏"}


def test_zip_bomb_docx_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    base = _docx_bytes(["关于测试的通知"])
    bombs = {}
    # 1) One part that inflates ~1000×: 150 MB of zeros from ~150 KB.
    bombs["ratio"] = _rewrite_zip(base, {}, {"word/media/zeros.bin": b"\0" * (150 * 1024 * 1024)})
    # 2) Thousands of tiny parts.
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        for i in range(3000):
            z.writestr(f"word/media/p{i}.bin", b"x")
    bombs["entries"] = buf.getvalue()
    # 3) Not a zip at all.
    bombs["garbage"] = b"PK\x03\x04" + os.urandom(4096)
    # Every part opened for reading, by anyone (zhidu's reader or python-docx): a part opened is a part inflated.
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: str | zipfile.ZipInfo, *a: object, **kw: object) -> object:
        opened.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *a, **kw)  # type: ignore[arg-type]

    for name, data in bombs.items():
        f = tmp_path / f"{name}.docx"
        f.write_bytes(data)
        # A fresh process under a 1 GiB cap: an inflated bomb would die there (a MemoryError traceback).
        r = zhidu(
            "import",
            str(f),
            "-o",
            str(tmp_path / name),
            "-q",
            cwd=tmp_path,
            timeout=60,
            preexec_fn=_limit_memory,
        )
        assert r.returncode == 1, r.stdout + r.stderr
        assert r.stderr.startswith("zhidu: ") and "Traceback" not in r.stderr, r.stderr
        assert ZIP_BOMB_REASONS[name] in r.stderr, r.stderr
        assert not (tmp_path / name).exists()
        # The same import in this process, every part open watched: refused from the zip directory alone,
        # with not one byte of any part decompressed (how fast that is lives in benchmarks/run.py).
        with monkeypatch.context() as m:
            m.setattr(zipfile.ZipFile, "open", spy)
            assert main(["import", str(f), "-o", str(tmp_path / name), "-q"]) == 1
        assert opened == [], (name, opened[:5])
        assert ZIP_BOMB_REASONS[name] in capsys.readouterr().err
        assert not (tmp_path / name).exists()
    # The spy does see a real import open its parts, so the empty list above is a finding, not a blind spot.
    good = tmp_path / "good.docx"
    good.write_bytes(_docx_bytes(_seed_lines()))
    with monkeypatch.context() as m:
        m.setattr(zipfile.ZipFile, "open", spy)
        assert main(["import", str(good), "-o", str(tmp_path / "good"), "-q"]) == 0
    assert "word/document.xml" in opened
    summary(
        "zip-bomb / corrupt .docx",
        len(bombs),
        "refused from the zip directory (0 parts decompressed), Chinese message, exit 1, 1 GiB cap",
    )
