"""Generate a parties registry (parties.yaml) with N communities, for checklist benchmarks.

    python benchmarks/gen_communities.py 500 /tmp/bench/parties.yaml

`make_parties(n)` returns the YAML text; `make_policy_tree(n, dest)` copies the seed version beside a
generated registry so `zhidu build dest` runs on it. Output is deterministic: the same N gives the same bytes.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_VERSION = ROOT / "policy" / "gongyuan-aqsc" / "2024.1"

#: The place types of the seed's inspections.yaml, one per community in turn.
_PLACES = ("九小场所", "住宅小区", "餐饮场所")
_SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
_GIVEN = "建国伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _person(i: int) -> str:
    return _SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)] + _GIVEN[(i * 13 + 5) % len(_GIVEN)]


def make_parties(n: int) -> str:
    """parties.yaml text: `n` communities (C-0001…), each with a head, safety officer and 2–4 grid workers."""
    if n < 0:
        raise ValueError("n must be >= 0")
    lines = [
        "# 生成的社区名单（基准测试用，非真实数据）",
        "example: true",
        "communities:" if n else "communities: []",
    ]
    width = max(4, len(str(n)))
    person = 0
    for i in range(1, n + 1):
        lines.append(f"  - id: C-{i:0{width}d}")
        lines.append(f"    name: 示例社区{i:0{width}d}")
        lines.append(f"    leader: {_person(person)}")
        lines.append(f"    safety_officer: {_person(person + 1)}")
        lines.append(f"    places: [{_PLACES[i % len(_PLACES)]}]")
        person += 2
        lines.append("    grid_workers:")
        for g in range(1, 2 + (i % 3) + 1):
            lines.append(f"      - {{name: {_person(person)}, grid: 第{g}网格}}")
            person += 1
    return "\n".join(lines) + "\n"


def make_policy_tree(n: int, dest: Path, seed: Path = SEED_VERSION) -> Path:
    """A work folder `dest` with a copy of the seed version and a generated parties.yaml; returns `dest`."""
    version = dest / seed.name
    version.mkdir(parents=True, exist_ok=True)
    for f in sorted(seed.glob("*.yaml")):
        shutil.copyfile(f, version / f.name)
    (dest / "parties.yaml").write_text(make_parties(n), encoding="utf-8")
    # The seed's shared catalogues and calendar, so generated communities get inspection points too.
    for name in ("inspections.yaml", "calendar.yaml"):
        if (seed.parent / name).is_file():
            shutil.copyfile(seed.parent / name, dest / name)
    return dest


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        sys.stderr.write("用法：python benchmarks/gen_communities.py N OUT.yaml\n")
        return 2
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(make_parties(int(argv[0])), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
