"""The benchmark: one command, one table. `python benchmarks/run.py [--quick] [--no-pdf]`.

Every row is measured in this run (median of repeated cold subprocess runs); the peer (pandoc from
pypandoc-binary converting the seed notice's Markdown to .docx) is timed in the same run so ratios compare like
with like on whatever machine runs it. Peak memory is the largest resident set of any measured child process.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from gen_communities import make_policy_tree  # noqa: E402
from gen_hostile import (  # noqa: E402
    attachment_line,
    cc_line,
    identical_lines,
    long_paragraph_pair,
    wide_policy,
    zip_bomb_docx,
)
from gen_policy import make_policy  # noqa: E402

SEED_WORK = ROOT / "policy" / "gongyuan-aqsc"
ZHIDU = [sys.executable, "-m", "zhidu"]


@dataclass
class Row:
    name: str
    seconds: float
    files: int | None = None
    target: str = ""
    peak_mb: float = 0.0
    note: str = ""


def run(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """Wall time, peak RSS in MB and stdout of one child process (rusage from wait4: this child only)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        _pid, status, usage = os.wait4(proc.pid, 0)
        dt = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode(), err.read().decode()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{errors[-2000:]}")
    return dt, usage.ru_maxrss / 1024, text


def median_run(
    cmd: list[str], reps: int, prepare: object = None, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    times, peaks, out = [], [], ""
    for _ in range(reps):
        if callable(prepare):
            prepare()
        dt, peak, out = run(cmd, env=env)
        times.append(dt)
        peaks.append(peak)
    return statistics.median(times), max(peaks), out


def count_files(root: Path, suffixes: tuple[str, ...] = (".docx", ".html", ".md", ".pdf")) -> int:
    return sum(1 for p in root.rglob("*") if p.suffix in suffixes)


#: The duty whose text the rebuild rows edit (a full stop added or removed each time).
EDITED_DUTY = "每月至少1次带队开展安全生产督导检查。"


def edited(original: str, n: int) -> str:
    """The regulation with the edited duty ending in 1 or 2 full stops, alternating with `n`."""
    return original.replace(EDITED_DUTY, EDITED_DUTY[:-1] + "。" * (n % 2 + 1))


def warm_rebuilds(src: Path, out: Path, reg: Path, original: str, reps: int) -> tuple[float, int]:
    """Median time of the rebuilds `zhidu build --watch` does after an edit: same process, caches warm."""
    code = f"""
import statistics, time
from pathlib import Path
from zhidu.build import BuildOptions, build
opts = BuildOptions(source=Path({str(src)!r}), out=Path({str(out)!r}), formats=["docx", "html", "md"])
build(opts)
reg, times = Path({str(reg)!r}), []
for text in {[edited(original, i + 1) for i in range(reps)]!r}:
    reg.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    r = build(opts)
    times.append(time.perf_counter() - t0)
print(statistics.median(times), r.written)
"""
    # On stdin: the edited texts make the program too long for a command line.
    out_text = subprocess.run(
        [sys.executable, "-"], input=code, capture_output=True, text=True, check=True
    ).stdout
    seconds, written = out_text.split()
    reg.write_text(original, encoding="utf-8")
    return float(seconds), int(written)


def profile_seed_build(out: Path, top: int = 25) -> str:
    """cProfile of one serial cold seed build (every job in one process), costliest calls by cumulative time."""
    code = (
        "import cProfile, io, pstats, sys\n"
        "from zhidu.cli import main\n"
        "prof = cProfile.Profile()\n"
        f"prof.runcall(main, ['build', {str(SEED_WORK)!r}, '-o', {str(out)!r}, '--format', 'docx,html,md', "
        "'-q', '-j', '1'])\n"
        "buf = io.StringIO()\n"
        f"pstats.Stats(prof, stream=buf).strip_dirs().sort_stats('cumulative').print_stats({top})\n"
        "print(buf.getvalue())\n"
    )
    text = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return "profile of one serial cold seed build (cumulative):\n" + text[text.index("   ncalls") :].rstrip()


def sheet_rows(version: Path, label: str, reps: int, tmp: Path, tp: float) -> list[Row]:
    """`zhidu export` of one version to .xlsx, and `zhidu merge` of that workbook untouched and with one edit."""
    from openpyxl import load_workbook

    book = tmp / f"{label}.xlsx"
    export = [*ZHIDU, "export", str(version), "-o", str(book)]
    t, peak, _ = median_run(export, reps)
    duties = load_workbook(book, read_only=True)["责任清单"].max_row - 1
    rows = [Row(f"zhidu export {label} → xlsx ({duties} duties)", t, 1, "", peak, f"{t / tp:.1f} × pandoc")]
    t, peak, out = median_run([*ZHIDU, "merge", str(book), str(version)], reps)
    assert "无需合并" in out, out
    rows.append(Row(f"zhidu merge {label}, no edits", t, None, "", peak, f"{t / tp:.1f} × pandoc"))
    wb = load_workbook(book)
    ws = wb["责任清单"]
    cell = ws.cell(2, 4)
    cell.value = f"{cell.value}（修订）"
    edited = tmp / f"{label}-edited.xlsx"
    wb.save(edited)
    # The versions are issued, so the edit previews as a new draft version: the full change set is computed.
    merge = [*ZHIDU, "merge", str(edited), str(version), "--as-version", "9.9", "--color", "never"]
    t, peak, out = median_run(merge, reps)
    assert "修订对照表" in out, out
    rows.append(
        Row(f"zhidu merge {label}, one edit (change set)", t, None, "", peak, f"{t / tp:.1f} × pandoc")
    )
    return rows


def hostile_rows(tmp: Path, quick: bool, peer: float) -> list[Row]:
    """The worst cases of the security review, each once (they are single cold runs by design).

    Old times on the same inputs (2 cores): cc 3 000 spaces 35-107 s, 60 KB 附件 line 16 s, 1 200 identical
    lines 6.3-27 s and 650-805 MB, W101 N = 2 000 31-246 s, a changed 20 000-character paragraph over 100 s,
    a 1.5 GB sparse file in the source 1.55 GB RSS.
    """
    tmp.mkdir()
    rows: list[Row] = []
    env = {"ZHIDU_NO_CACHE": "1"}

    def ratio(t: float) -> str:
        return f"{t / peer:.1f}× pandoc"

    texts = {
        "cc line, 3 000 spaces": cc_line(3000),
        "cc line, 60 000 spaces": cc_line(60000),
        "附件 line, 60 KB": attachment_line(20000),
        "1 200 identical articles": identical_lines(1200),
        "2 500 identical articles": identical_lines(2500),
    }
    for name, text in texts.items():
        src = tmp / f"{len(rows)}.txt"
        src.write_text(text, encoding="utf-8")
        t, peak, _ = run([*ZHIDU, "import", str(src), "-o", str(tmp / f"imp{len(rows)}")], env=env)
        rows.append(Row(f"worst: import, {name}", t, None, "bounded", peak, ratio(t)))
    # A .docx inflating 1 000×: refused from its zip directory (tests/test_reliability.py: no part is opened).
    bomb = zip_bomb_docx(tmp / "bomb.docx")
    t, peak, _ = run([*ZHIDU, "import", str(bomb), "-o", str(tmp / "imp-bomb")], env=env)
    rows.append(Row("worst: import, zip-bomb .docx (150 MB part)", t, None, "refused", peak, ratio(t)))
    minimal = ROOT / "tests" / "cases" / "minimal"
    for n in [500] if quick else [500, 1000, 2000, 5000]:
        work = wide_policy(tmp / f"wide{n}", n, minimal)
        t, peak, _ = run([*ZHIDU, "check", str(work)], env=env)
        rows.append(Row(f"worst: check, W101 N={n} roles × duties", t, None, "near-linear", peak, ratio(t)))
    a, b = long_paragraph_pair(SEED_WORK, tmp / "long")
    t, peak, _ = run([*ZHIDU, "diff", str(a), str(b), "--format", "md"], env=env)
    rows.append(Row("worst: diff, 20 000-char paragraph changed", t, None, "bounded", peak, ratio(t)))
    sparse = tmp / "sparse"
    shutil.copytree(SEED_WORK, sparse / "w")
    with open(sparse / "w" / "2024.2" / "scan.bin", "wb") as f:
        f.truncate(1536 * 1024 * 1024)
    args = [*ZHIDU, "build", str(sparse), "-o", str(tmp / "sparse-out"), "--format", "md", "-q"]
    run(args, env=env)
    t, peak, _ = run(args, env=env)
    rows.append(Row("worst: no-op build, 1.5 GB sparse file", t, 0, "no whole read", peak, ratio(t)))
    # The compiled-template cache is now HMAC-checked: its cost is what it saves on a warm cache.
    seed = [*ZHIDU, "build", str(SEED_WORK / "2024.2"), "--format", "md,html", "-q", "-o"]
    t0, p0, _ = run([*seed, str(tmp / "tpl0")], env=env)
    cache_env = {"XDG_CACHE_HOME": str(tmp / "tplcache"), "XDG_STATE_HOME": str(tmp / "tplstate")}
    run([*seed, str(tmp / "tpl1")], env=cache_env)
    t1, p1, _ = run([*seed, str(tmp / "tpl2")], env=cache_env)
    rows.append(Row("seed md+html build, no template cache", t0, None, "", p0, ratio(t0)))
    rows.append(Row("same, HMAC-checked template cache warm", t1, None, "", p1, f"{t1 / t0:.2f}× uncached"))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and K = 10 only (smoke run)")
    ap.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice row")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="also profile a serial seed build and print its costliest calls",
    )
    args = ap.parse_args(argv)
    # Measure zhidu as installed: pip compiles bytecode when it installs a wheel, but an editable checkout run
    # under PYTHONDONTWRITEBYTECODE=1 (as on CI machines) would recompile every changed module on every run.
    compileall.compile_dir(ROOT / "src" / "zhidu", quiet=1)
    reps = 1 if args.quick else 5
    ks = [10] if args.quick else [10, 100, 1000]
    rows: list[Row] = []
    tmp = Path(tempfile.mkdtemp(prefix="zhidu-bench-"))
    try:
        # Cold check of policy/ (a new process each time): without the result cache, then answered from it.
        check = [*ZHIDU, "check", str(ROOT / "policy")]
        t, peak, _ = median_run(check, reps, env={"ZHIDU_NO_CACHE": "1"})
        rows.append(Row("cold `zhidu check policy/`, no cache", t, target="≤ 0.25 s", peak_mb=peak))
        cache_env = {"XDG_CACHE_HOME": str(tmp / "cache")}
        run(check, env=cache_env)
        t, peak, _ = median_run(check, reps, env=cache_env)
        rows.append(Row("cold `zhidu check policy/`, cached result", t, target="≤ 0.25 s", peak_mb=peak))

        # Peer: pandoc Markdown → docx of the seed notice, same run.
        import pypandoc

        pandoc = pypandoc.get_pandoc_path()
        md = tmp / "notice.md"
        run(
            [
                *ZHIDU,
                "build",
                str(SEED_WORK / "2024.1"),
                "-o",
                str(tmp / "md"),
                "--format",
                "md",
                "--product",
                "notice",
                "-q",
            ]
        )
        shutil.copy(next((tmp / "md").rglob("notice.md")), md)
        tp, _, _ = median_run([pandoc, str(md), "-o", str(tmp / "peer.docx")], reps)
        rows.append(Row("peer: pandoc seed notice md → docx", tp, note="pypandoc-binary"))

        # Cold full seed build (both versions, all products incl. diff; docx + html + md).
        out = tmp / "full"

        def fresh() -> None:
            shutil.rmtree(out, ignore_errors=True)

        t, peak, _ = median_run(
            [*ZHIDU, "build", str(SEED_WORK), "-o", str(out), "--format", "docx,html,md", "-q"], reps, fresh
        )
        n = count_files(out)
        rows.append(
            Row(
                "cold full build (seed, docx+html+md)",
                t,
                n,
                f"≤ 3 × pandoc = {3 * tp:.2f} s",
                peak,
                f"{t / tp:.1f} × pandoc",
            )
        )

        # The seed version alone (as issued: no diff), for comparison with the whole work above.
        one = tmp / "one"
        t, peak, _ = median_run(
            [*ZHIDU, "build", str(SEED_WORK / "2024.1"), "-o", str(one), "--format", "docx,html,md", "-q"],
            reps,
            lambda: shutil.rmtree(one, ignore_errors=True),
        )
        rows.append(
            Row("cold build, version 2024.1 only", t, count_files(one), "", peak, f"{t / tp:.1f} × pandoc")
        )

        # Where the cold full build spends its time: one more cold run with per-stage timings.
        fresh()
        stages = subprocess.run(
            [*ZHIDU, "build", str(SEED_WORK), "-o", str(out), "--format", "docx,html,md", "-q", "--timings"],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        stage_table = stages.split("各阶段耗时：\n", 1)[1].split("提示：")[0].rstrip()

        # No-op rebuild.
        t, peak, cli_out = median_run(
            [*ZHIDU, "build", str(SEED_WORK), "-o", str(out), "--format", "docx,html,md", "-q"], reps
        )
        rows.append(Row("no-op rebuild", t, 0, "≤ 0.3 s", peak, cli_out.strip().split("，")[0][-12:]))

        # Rebuild after one duty's text changes (in a copy of the sources).
        src = tmp / "src" / "gongyuan-aqsc"
        shutil.copytree(SEED_WORK, src)
        build_cmd = [
            *ZHIDU,
            "build",
            str(src.parent),
            "-o",
            str(tmp / "edit"),
            "--format",
            "docx,html,md",
            "-q",
        ]
        run(build_cmd)
        reg = src / "2024.1" / "regulation.yaml"
        original = reg.read_text(encoding="utf-8")
        toggle = {"n": 0}

        def edit() -> None:
            toggle["n"] += 1
            reg.write_text(edited(original, toggle["n"]), encoding="utf-8")

        t, peak, cli_out = median_run(build_cmd, reps, edit)
        rows.append(Row("rebuild after one duty's text changes", t, None, "", peak, cli_out.strip()[:40]))
        t, written = warm_rebuilds(src.parent, tmp / "warm", reg, original, reps)
        rows.append(
            Row("same, warm (`zhidu build --watch` process)", t, written, "≤ 0.3 s (on save)", 0, "median")
        )

        # The revision comparison alone (matching, classification, char diff), printed to the terminal.
        t, peak, _ = median_run([*ZHIDU, "diff", str(SEED_WORK / "2024.1"), str(SEED_WORK / "2024.2")], reps)
        rows.append(Row("zhidu diff 2024.1 → 2024.2 (terminal)", t, None, "", peak))
        # The 责任清单 as a spreadsheet: the seed, and a synthetic policy of 1 000 duties (100 with --quick).
        rows += sheet_rows(SEED_WORK / "2024.2", "seed 2024.2", reps, tmp, tp)
        duties = 100 if args.quick else 1000
        sheet_work = make_policy(20, duties, 10, tmp / "sheet-synthetic")
        rows += sheet_rows(sheet_work / "1.0", f"synthetic M={duties}", reps, tmp, tp)

        # Scale: checklists for K communities (docx + html).
        per_file = []
        for k in ks:
            work = make_policy_tree(k, tmp / f"k{k}" / "work")
            dest = tmp / f"k{k}" / "out"
            t, peak, _ = run(
                [
                    *ZHIDU,
                    "build",
                    str(work),
                    "-o",
                    str(dest),
                    "--format",
                    "docx,html",
                    "--product",
                    "checklist",
                    "-q",
                ]
            )
            files = count_files(dest)
            per_file.append((k, t / max(files, 1)))
            rows.append(
                Row(
                    f"checklists, K = {k} communities (docx+html)",
                    t,
                    files,
                    "≤ 20 s at K = 1000" if k == 1000 else "",
                    peak,
                    f"{1000 * t / max(files, 1):.1f} ms/file",
                )
            )

        # Checklists for a quarter of weeks: K communities × 13 ISO weeks in one build (docx + html).
        k = 10 if args.quick else 1000
        work = make_policy_tree(k, tmp / f"weeks{k}" / "work")
        dest = tmp / f"weeks{k}" / "out"
        t, peak, _ = run(
            [
                *ZHIDU,
                "build",
                str(work),
                "-o",
                str(dest),
                "--format",
                "docx,html",
                "--product",
                "checklist",
                "--period",
                "2024-W23..2024-W35",
                "-q",
            ]
        )
        files = count_files(dest)
        rows.append(
            Row(
                f"checklists, K = {k} communities × 13 weeks (docx+html)",
                t,
                files,
                "",
                peak,
                f"{1000 * t / max(files, 1):.1f} ms/file",
            )
        )

        # A synthetic policy: N roles, M duties, K communities, every product, docx + html + md.
        n, m, k = (10, 100, 10) if args.quick else (50, 1000, 100)
        work = make_policy(n, m, k, tmp / "synthetic")
        t, peak, _ = run(
            [*ZHIDU, "build", str(work), "-o", str(tmp / "synthetic-out"), "--format", "docx,html,md", "-q"]
        )
        files = count_files(tmp / "synthetic-out")
        rows.append(
            Row(
                f"synthetic N={n} roles, M={m} duties, K={k}",
                t,
                files,
                "",
                peak,
                f"{1000 * t / max(files, 1):.1f} ms/file",
            )
        )

        # zhidu serve: a save through the workbench form until the new notice HTML is in hand (change feed).
        from serve_latency import measure

        lat = measure(3 if args.quick else 10, pdf=not args.no_pdf)
        rows.append(
            Row(
                "serve: save → HTML preview (median of " + str(lat.reps) + ")",
                lat.preview,
                None,
                "≤ 0.3 s",
                0,
                f"click→preview {lat.click_to_preview:.2f} s; the save itself {lat.post:.2f} s",
            )
        )
        rows.append(
            Row("serve: text editor write → HTML preview", lat.editor, None, "≤ 0.3 s", 0, "file watch")
        )
        if lat.pdf is not None:
            rows.append(
                Row("serve: save → PDF preview", lat.pdf, None, "≤ 1.5 s", 0, "one warm LibreOffice (UNO)")
            )

        # PDF: 50 checklists in one batch.
        if not args.no_pdf and shutil.which("soffice"):
            sys.path.insert(0, str(ROOT / "src"))
            from zhidu.render.pdf import convert_batch

            docs = sorted((tmp / f"k{ks[0]}" / "out").rglob("*.docx"))
            pool = [(p.relative_to(tmp).as_posix(), p.read_bytes()) for p in docs]
            items = [(f"b/{i:03d}.docx", pool[i % len(pool)][1]) for i in range(50 if not args.quick else 6)]
            t0 = time.perf_counter()
            convert_batch(items)
            t = time.perf_counter() - t0
            rows.append(
                Row(
                    f"PDF batch of {len(items)} checklists (LibreOffice)",
                    t,
                    len(items),
                    "≤ 0.25 s/doc",
                    0,
                    f"{t / len(items):.2f} s/doc",
                )
            )

        rows.extend(hostile_rows(tmp / "hostile", args.quick, tp))

        print(
            f"\nzhidu benchmark — {os.cpu_count()} cores, Python {sys.version.split()[0]}, reps = {reps} (median)\n"
        )
        print(f"| {'measurement':44} | {'seconds':>8} | {'files':>6} | {'peak MB':>8} | {'target':22} | note")
        print(f"|{'-' * 46}|{'-' * 10}|{'-' * 8}|{'-' * 10}|{'-' * 24}|------")
        for r in rows:
            files = "" if r.files is None else str(r.files)
            peak = f"{r.peak_mb:.0f}" if r.peak_mb else ""
            print(f"| {r.name:44} | {r.seconds:8.3f} | {files:>6} | {peak:>8} | {r.target:22} | {r.note}")
        print("\nstages of one cold full seed build (`zhidu build --timings`, wall time in the parent):")
        print(stage_table)
        if len(per_file) > 1:
            growth = ", ".join(f"K={k}: {1000 * c:.1f} ms" for k, c in per_file)
            print(f"\ncost per checklist file: {growth}")
        print(f"peak memory of any measured process: {max(r.peak_mb for r in rows):.0f} MB (target ≤ 500 MB)")
        if args.profile:
            print("\n" + profile_seed_build(tmp / "profiled"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
