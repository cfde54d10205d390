"""Fuzz targets for the policy loader and the importer's text reader and parser.

A target takes bytes and must return normally: bad input becomes diagnostics (loader) or an
`ImportFailure` (importer), never another exception. `run()` drives a target with a small seeded
mutational fuzzer for a bounded time (used by the tests, no extra dependencies); when atheris is
installed, `python tests/fuzz_targets.py loader|importer [atheris args]` runs it under libFuzzer instead,
and `python tests/fuzz_targets.py loader|importer --seconds 60` runs the built-in fuzzer.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "cases" / "minimal"
SEED = ROOT / "policy" / "gongyuan-aqsc" / "2024.1"
SEED_TEXT = ROOT.parent / "shared" / "seed" / "000_6dbcfac1e3d2ddaf.txt"

#: Tokens that matter to YAML and to the importer's numbering; splicing them in finds more than random bytes.
TOKENS = [
    b": ",
    b"- ",
    b"\n",
    b"\t",
    b"  ",
    b"&a ",
    b"*a",
    b"[",
    b"]",
    b"{",
    b"}",
    b'"',
    b"'",
    b"\\u0000",
    b"\\x0b",
    b"#",
    b"|-\n",
    b">\n",
    b"---\n",
    b"...\n",
    b"!!python/object:os.system ",
    b"<<: *a\n",
    b"? ",
    b"%YAML 1.1\n",
    "（一）".encode(),
    "一、".encode(),
    "第一条".encode(),
    b"1.",
    "〔2024〕".encode(),
    "2024年6月3日".encode(),
    "\ufeff".encode(),
    b"\xff\xfe",
    b"\xe4\xb8",
    b"\r\n",
    b"\r",
    b"\x00",
    b"\x0c",
]

_CHARS = "安全生产责任第一二三条（）、。：:- \n\t\"'#&*[]{}|>0123456789abcxyz\u3000\u00a0"

_WORK: Path | None = None


def _workdir() -> Path:
    # One scratch policy folder per process: copying the case for every input would dominate the run.
    global _WORK
    if _WORK is None:
        _WORK = Path(tempfile.mkdtemp(prefix="zhidu-fuzz-"))
        shutil.copytree(MINIMAL, _WORK / "case")
    return _WORK


def fuzz_loader(data: bytes) -> str:
    """Load and lint the minimal case with regulation.yaml replaced by `data`; returns the outcome."""
    from zhidu import lint
    from zhidu.diagnostics import Report
    from zhidu.load.policy import load_policy

    case = _workdir() / "case"
    (case / "regulation.yaml").write_bytes(data)
    report = Report()
    policy = load_policy(case, report)
    if policy is not None:
        lint.run(policy, report)
    for issue in report.issues:
        # Every issue carries a location with a real path: line 0 means "the whole file".
        assert issue.loc.path and issue.loc.line >= 0 and issue.code[0] in "EWI", issue
    errors = sorted({i.code for i in report.errors})
    return "valid" if policy is not None and not errors else "errors " + (errors[0] if errors else "none")


def fuzz_importer(data: bytes) -> str:
    """Read `data` as a .txt notice, parse it and generate YAML; only ImportFailure may escape."""
    from zhidu.importer import generate
    from zhidu.importer.parse import parse
    from zhidu.importer.read import ImportFailure, read_source

    src_file = _workdir() / "notice.txt"
    src_file.write_bytes(data)
    try:
        src = read_source(src_file)
    except ImportFailure as e:
        # Refusals are expected (undecodable bytes); they must be Chinese sentences, not exception dumps.
        assert re.search(r"[\u4e00-\u9fff]", str(e)), e
        return "refused"
    out = generate(parse(src.lines), src, _workdir() / "imported")
    assert out is not None
    return "parsed"


TARGETS: dict[str, Callable[[bytes], str]] = {"loader": fuzz_loader, "importer": fuzz_importer}


def corpus(target: str) -> list[bytes]:
    if target == "loader":
        return [(MINIMAL / "regulation.yaml").read_bytes(), (SEED / "regulation.yaml").read_bytes()[:6000]]
    text = SEED_TEXT.read_bytes() if SEED_TEXT.exists() else (MINIMAL / "regulation.yaml").read_bytes()
    return [text[:4000], text[:1500]]


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """One to four random edits: flip, insert token or random bytes, delete, duplicate, splice, truncate."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        i = rng.randint(0, len(b))
        op = rng.randrange(7)
        if op == 0 and b:
            b[min(i, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i:i] = rng.choice(TOKENS)
        elif op == 2:
            # Mostly well-formed text (so parsing gets past decoding), sometimes raw bytes.
            n = rng.randint(1, 8)
            b[i:i] = (
                rng.randbytes(n)
                if rng.random() < 0.3
                else "".join(rng.choice(_CHARS) for _ in range(n)).encode()
            )
        elif op == 3:
            del b[i : i + rng.randint(1, 64)]
        elif op == 4:
            j = rng.randint(0, len(b))
            b[i:i] = b[j : j + rng.randint(1, 128)]
        elif op == 5:
            other = rng.choice(pool)
            j = rng.randint(0, len(other))
            b[i:] = other[j : j + rng.randint(0, 512)]
        else:
            del b[i:]
    return bytes(b)


def run(target: str, seconds: float, seed: int = 9) -> Counter[str]:
    """Fuzz `target` for about `seconds`; an exception propagates, its input saved in the work folder."""
    fn = TARGETS[target]
    rng = random.Random(seed)
    pool = corpus(target)
    outcomes: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data = mutate(rng.choice(pool), rng, pool)
        if rng.random() < 0.8:
            # Most inputs stay valid UTF-8 so they reach the parser rather than stop at decoding.
            data = data.decode("utf-8", "ignore").encode("utf-8")
        try:
            outcomes[fn(data)] += 1
        except Exception:
            crash = _workdir() / f"crash-{target}.bin"
            crash.write_bytes(data)
            print(f"crashing input saved to {crash}", file=sys.stderr)
            raise
        # Keep interesting survivors: the pool drifts toward deeper structure.
        if len(pool) < 64 and rng.random() < 0.05:
            pool.append(data)
    return outcomes


def _main(argv: list[str]) -> None:
    target = argv[0] if argv else "loader"
    if "--seconds" in argv:
        print(dict(run(target, float(argv[argv.index("--seconds") + 1]))))
        return
    try:
        import atheris  # type: ignore[import-not-found]
    except ImportError:
        print(dict(run(target, 60)))
        return
    fn = TARGETS[target]
    atheris.Setup([sys.argv[0], *argv[1:]], lambda data: fn(bytes(data)))
    atheris.Fuzz()


if __name__ == "__main__":
    _main(sys.argv[1:])
