"""Property-based tests: random valid policies build deterministically; bad input gets located diagnostics.

Every class of bad input prints one `SUMMARY` line (`pytest -s tests/test_properties.py | grep SUMMARY`).
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhidu.build import BuildOptions, build
from zhidu.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "policy" / "gongyuan-aqsc" / "2024.1"
MINIMAL = Path(__file__).resolve().parent / "cases" / "minimal"
ISSUE = re.compile(
    r"^[^:]+:\d+:\d+: (错误|警告|提示)\[[A-Z]\d{3}\]: |^[^:]+: (错误|警告|提示)\[[A-Z]\d{3}\]: "
)
TOTAL = re.compile(r"^共 \d+ 个错误，\d+ 个警告，\d+ 个提示。$")

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def summary(cls: str, outcomes: Counter[str]) -> None:
    print(f"\nSUMMARY {cls}: tried={sum(outcomes.values())} outcome={dict(outcomes)}")


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="zhidu-prop-") as d:
        yield Path(d)


def check_folder(folder: Path) -> tuple[int, str]:
    """Run `zhidu check` in-process; any exception escaping main() fails the test as a traceback would."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(folder)])
    return code, out.getvalue() + err.getvalue()


def assert_located(code: int, text: str) -> str:
    """Every printed line is a located issue (or the closing count); returns the outcome label."""
    assert "Traceback" not in text
    assert code in (0, 1), text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        assert ISSUE.match(ln) or TOTAL.match(ln) or ln.startswith("zhidu: "), ln
    if code == 0:
        return "valid"
    codes = sorted({m.group(1) for ln in lines if (m := re.search(r"\[([A-Z]\d{3})\]", ln)) and "错误" in ln})
    assert codes or any(ln.startswith("zhidu: ") for ln in lines), text
    return "exit1 " + (codes[0] if codes else "message")


def mutate_and_check(base: Path, name: str, data: bytes) -> str:
    with scratch() as d:
        case = d / "case"
        shutil.copytree(base, case)
        (case / name).write_bytes(data)
        return assert_located(*check_folder(case))


# ----------------------------------------------------------------------------------- valid policies

CJK = "安全生产责任制度工作检查督导隐患排查网格员社区街道办事处党工委书记主任领导小组会议培训演练应急消防"
text_st = st.text(alphabet=CJK + "0123456789，、（）《》", min_size=2, max_size=24).map(lambda s: "安" + s)
FREQS = [
    {"per": "month", "min": 1, "display": "每月至少1次"},
    {"per": "week", "min": 1, "display": "每周"},
    {"per": "quarter", "min": 1, "display": "每季度至少1次"},
    {"per": "year", "min": 2, "display": "每年至少2次"},
]


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    n_roles = draw(st.integers(1, 4))
    role_ids = [
        f"R-{c}"
        for c in draw(st.lists(st.sampled_from("ABCDEFGH"), min_size=n_roles, max_size=n_roles, unique=True))
    ]
    kinds = ["leader", "department", "grid_worker"]
    roles = [
        {"id": rid, "name": draw(text_st), "kind": draw(st.sampled_from(kinds))}
        | ({"per_community": True} if draw(st.booleans()) else {})
        for rid in role_ids
    ]
    law_ids = [f"L-{c}" for c in draw(st.lists(st.sampled_from("XYZW"), min_size=1, max_size=3, unique=True))]
    laws = [
        {
            "id": lid,
            "name": f"《{draw(text_st)}》",
            "rank": draw(st.sampled_from(["law", "regulation", "normative"])),
        }
        for lid in law_ids
    ]
    sections = []
    for s in range(1, draw(st.integers(1, 3)) + 1):
        children = []
        for p in range(1, draw(st.integers(1, 3)) + 1):
            duty: dict[str, Any] = {
                "id": f"D-{s:02d}-{p:02d}",
                "basis": [{"law": draw(st.sampled_from(law_ids))}],
            }
            if draw(st.booleans()):
                duty["frequency"] = draw(st.sampled_from(FREQS))
            children.append({"id": f"P-{s:02d}-{p:02d}", "text": draw(text_st) + "。", "duties": [duty]})
        owners = draw(st.lists(st.sampled_from(role_ids), min_size=1, max_size=2, unique=True))
        sections.append({"id": f"S-{s:02d}", "text": draw(text_st), "owners": owners, "children": children})
    regulation = {
        "work": "AQSC-P",
        "version": {
            "id": "1.0",
            "status": "draft",
            "issued": "2024-06-03",
            "effective": {"from": "2024-06-03"},
        },
        "title": draw(text_st),
        "preamble": [draw(text_st) + "。"],
        "sections": sections,
    }
    return {"regulation.yaml": regulation, "roles.yaml": {"roles": roles}, "laws.yaml": {"laws": laws}}


def write_policy(folder: Path, files: dict[str, Any]) -> None:
    folder.mkdir(parents=True)
    shutil.copy(MINIMAL / "notice.yaml", folder / "notice.yaml")
    for name, data in files.items():
        # JSON is YAML: quoting is always right, so only the content varies.
        (folder / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def build_twice_identical(files: dict[str, Any], formats: list[str]) -> int:
    with scratch() as d:
        case = d / "case"
        write_policy(case, files)
        code, text = check_folder(case)
        assert code == 0, text
        outs = []
        for i in range(2):
            r = build(BuildOptions(source=case, out=d / f"out{i}", formats=formats))
            assert not r.report.failed(), r.report.format_text()
            outs.append(tree_bytes(d / f"out{i}"))
        assert outs[0] == outs[1]
        assert any(k.endswith(".html") for k in outs[0]) and any(k.endswith(".md") for k in outs[0])
        return len(outs[0])


def test_random_valid_policies_build_deterministically() -> None:
    seen: Counter[str] = Counter()

    @SETTINGS
    @given(policies())
    def run(files: dict[str, Any]) -> None:
        build_twice_identical(files, ["html", "md"])
        seen["built twice, identical bytes"] += 1

    run()
    summary("random valid policies (html+md)", seen)


def test_random_valid_policies_build_docx_deterministically() -> None:
    seen: Counter[str] = Counter()

    @settings(SETTINGS, max_examples=3)
    @given(policies())
    def run(files: dict[str, Any]) -> None:
        n = build_twice_identical(files, ["docx", "html", "md"])
        assert n > 0
        seen["built twice, identical bytes"] += 1

    run()
    summary("random valid policies (docx+html+md)", seen)


# ---------------------------------------------------------------------------------- invalid inputs


def _ruamel_rt() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt", pure=True)
    y.width = 4096
    return y


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every (container path, key) in a ruamel tree."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*prefix, k))
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((*prefix, i))
            out += _paths(v, (*prefix, i))
    return out


def _edit(text: str, pick: int, action: Callable[[Any, Any], None]) -> bytes:
    y = _ruamel_rt()
    tree = y.load(text)
    paths = _paths(tree)
    path = paths[pick % len(paths)]
    parent = tree
    for k in path[:-1]:
        parent = parent[k]
    action(parent, path[-1])
    buf = io.StringIO()
    y.dump(tree, buf)
    return buf.getvalue().encode("utf-8")


SOURCES = {"regulation.yaml": MINIMAL, "roles.yaml": MINIMAL, "notice.yaml": MINIMAL, "laws.yaml": MINIMAL}
file_st = st.sampled_from(sorted(SOURCES))
WRONG = [None, 0, -1, 3.5, True, "", "文字", [], ["x"], {}, {"x": 1}, "2024-13-45", "R-不存在"]


def test_deleted_keys_give_located_diagnostics() -> None:
    seen: Counter[str] = Counter()

    @SETTINGS
    @given(file_st, st.integers(0, 10_000))
    def run(name: str, pick: int) -> None:
        data = _edit(
            (MINIMAL / name).read_text(encoding="utf-8"), pick, lambda parent, k: parent.__delitem__(k)
        )
        seen[mutate_and_check(MINIMAL, name, data)] += 1

    run()
    summary("deleted keys/items", seen)


def test_wrong_types_give_located_diagnostics() -> None:
    seen: Counter[str] = Counter()

    @SETTINGS
    @given(file_st, st.integers(0, 10_000), st.sampled_from(WRONG))
    def run(name: str, pick: int, value: Any) -> None:
        def put(parent: Any, k: Any) -> None:
            parent[k] = value

        data = _edit((MINIMAL / name).read_text(encoding="utf-8"), pick, put)
        seen[mutate_and_check(MINIMAL, name, data)] += 1

    run()
    summary("wrong types", seen)


def test_truncation_at_every_byte_of_a_small_file() -> None:
    seen: Counter[str] = Counter()
    raw = (MINIMAL / "regulation.yaml").read_bytes()
    for cut in range(len(raw) + 1):
        seen[mutate_and_check(MINIMAL, "regulation.yaml", raw[:cut])] += 1
    # The empty file and cuts inside the header must fail; only the whole file is certainly valid.
    assert seen["valid"] >= 1 and sum(v for k, v in seen.items() if k != "valid") > len(raw) // 2
    summary(f"truncation at every byte (minimal regulation.yaml, {len(raw)} B)", seen)


def test_truncation_of_the_seed_regulation_on_a_stride() -> None:
    seen: Counter[str] = Counter()
    raw = (SEED / "regulation.yaml").read_bytes()
    # Every 1009th byte, plus cuts inside multi-byte characters.
    cuts = sorted({*range(0, len(raw), 1009), *(i + 1 for i in range(0, len(raw), 4001) if raw[i] >= 0x80)})
    for cut in cuts:
        seen[mutate_and_check(SEED, "regulation.yaml", raw[:cut])] += 1
    summary(f"truncation of seed regulation.yaml ({len(raw)} B, {len(cuts)} cuts)", seen)


def test_random_bytes_give_located_diagnostics() -> None:
    seen: Counter[str] = Counter()

    @SETTINGS
    @given(file_st, st.integers(0, 10_000), st.binary(min_size=1, max_size=64), st.booleans())
    def run(name: str, at: int, junk: bytes, overwrite: bool) -> None:
        raw = (MINIMAL / name).read_bytes()
        i = at % (len(raw) + 1)
        data = raw[:i] + junk + raw[i + (len(junk) if overwrite else 0) :]
        seen[mutate_and_check(MINIMAL, name, data)] += 1

    run()

    @SETTINGS
    @given(st.binary(max_size=512))
    def whole(junk: bytes) -> None:
        seen[mutate_and_check(MINIMAL, "roles.yaml", junk)] += 1

    whole()
    summary("random bytes (spliced and whole-file)", seen)


def _encodings() -> dict[str, Callable[[str], bytes]]:
    return {
        "BOM": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        "CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        "CR only": lambda t: t.replace("\n", "\r").encode("utf-8"),
        "tab indent": lambda t: re.sub(r"(?m)^  ", "\t", t).encode("utf-8"),
        "tab after colon": lambda t: t.replace(": ", ":\t", 3).encode("utf-8"),
        "GBK": lambda t: t.encode("gbk"),
        "UTF-16": lambda t: t.encode("utf-16"),
        "very long string": lambda t: t.replace("测试工作制度", "测" * 200_000, 1).encode("utf-8"),
        "very long line of keys": lambda t: (t + "\n" + "x" * 100_000 + ": 1\n").encode("utf-8"),
        "NUL appended": lambda t: t.encode("utf-8") + b"\0",
    }


def test_encodings_and_whitespace_give_located_diagnostics() -> None:
    seen: Counter[str] = Counter()
    for label, enc in sorted(_encodings().items()):
        for name in sorted(SOURCES):
            text = (MINIMAL / name).read_text(encoding="utf-8")
            if label == "very long string" and "测试工作制度" not in text:
                continue
            outcome = mutate_and_check(MINIMAL, name, enc(text))
            seen[f"{label}: {outcome}"] += 1
    # BOM and CRLF are accepted; tabs and GBK are located errors.
    assert seen["BOM: valid"] == 4 and seen["CRLF: valid"] == 4
    assert seen["GBK: exit1 E009"] >= 3 and seen["tab indent: exit1 E001"] >= 1
    summary("BOM/CRLF/CR/tabs/GBK/UTF-16/long strings/NUL", seen)


def test_seed_mutations_give_located_diagnostics() -> None:
    seen: Counter[str] = Counter()
    rng = random.Random(9)
    for name in ("regulation.yaml", "roles.yaml", "laws.yaml", "notice.yaml"):
        text = (SEED / name).read_text(encoding="utf-8")
        for _ in range(4):
            data = _edit(text, rng.randrange(10_000), lambda parent, k: parent.__delitem__(k))
            seen[mutate_and_check(SEED, name, data)] += 1
            v = rng.choice(WRONG)

            def put(parent: Any, k: Any, v: Any = v) -> None:
                parent[k] = v

            seen[mutate_and_check(SEED, name, _edit(text, rng.randrange(10_000), put))] += 1
    summary("seed-file key deletions and wrong types", seen)


# ------------------------------------------------------------------------------------------- fuzzing

FUZZ_SECONDS = float(__import__("os").environ.get("ZHIDU_FUZZ_SECONDS", "8"))


def test_fuzz_loader_for_a_bounded_time() -> None:
    from tests.fuzz_targets import run

    outcomes = run("loader", FUZZ_SECONDS)
    assert sum(outcomes.values()) > 50 and len(outcomes) > 3
    summary(f"fuzz loader ({FUZZ_SECONDS:g} s)", outcomes)


def test_fuzz_importer_for_a_bounded_time() -> None:
    from tests.fuzz_targets import run

    outcomes = run("importer", FUZZ_SECONDS)
    assert outcomes["parsed"] > 10
    summary(f"fuzz importer text reader and parser ({FUZZ_SECONDS:g} s)", outcomes)
