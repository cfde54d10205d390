"""Generate a synthetic, valid policy of any size: N roles, M duties, K communities.

    python benchmarks/gen_policy.py N M K OUT_DIR      # writes OUT_DIR/work/1.0/*.yaml and OUT_DIR/work/parties.yaml

Deterministic: the same N, M, K give the same bytes. Duties are spread over one chapter per role, with a
mix of weekly / monthly / quarterly / yearly / event-triggered / on-occurrence frequencies, so every product
(notice, cards, duty list, checklists) has realistic work to do.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_communities import make_parties

_ACTIONS = [
    "开展安全生产检查",
    "组织隐患排查",
    "召开安全生产专题会议",
    "开展安全宣传教育",
    "检查消防设施",
    "报送隐患排查表",
    "组织应急演练",
]
_FREQS = [
    ("每周", "week"),
    ("每月至少1次", "month"),
    ("每季度", "quarter"),
    ("每年", "year"),
    ("在重大节日，重要时期", None),
    ("发生安全生产事故时", None),
]
_KINDS = ["leader", "department", "community", "grid_worker"]


def make_policy(n_roles: int, m_duties: int, k_communities: int, dest: Path) -> Path:
    """Write a policy work folder under `dest` and return it."""
    work = dest / "work"
    version = work / "1.0"
    version.mkdir(parents=True, exist_ok=True)
    roles = ["roles:"]
    for r in range(1, n_roles + 1):
        kind = _KINDS[r % len(_KINDS)]
        per = "true" if kind in ("community", "grid_worker") else "false"
        roles.append(
            f"  - {{id: R-{r:04d}, name: 合成岗位{r}, kind: {kind}, level: 直接领导责任, per_community: {per}}}"
        )
    sections = []
    duties_per_role = max(1, m_duties // max(n_roles, 1))
    made = 0
    for r in range(1, n_roles + 1):
        sections.append(
            f"  - id: S-{r:04d}\n    text: 合成岗位{r}的安全生产职责\n    owners: [R-{r:04d}]\n    children:"
        )
        count = duties_per_role if r < n_roles else m_duties - made
        for _ in range(count):
            made += 1
            words, per = _FREQS[(made - 1) % len(_FREQS)]
            action = _ACTIONS[made % len(_ACTIONS)]
            text = f"{words}{action}，做好记录（第{made}项）。"
            if per:
                freq = f"{{per: {per}, min: 1, display: {words}}}"
            elif words.startswith("在"):
                freq = f'{{events: [重大节日, 重要时期], display: "{words}"}}'
            else:
                freq = f"{{on_occurrence: true, display: {words}}}"
            sections.append(
                f"      - id: P-{made:05d}\n        text: {text}\n        duties:\n"
                f"          - id: D-{made:05d}\n            frequency: {freq}\n"
                f"            evidence: [检查记录]\n            basis: [{{law: L-AQSCF}}]"
            )
    (version / "roles.yaml").write_text("\n".join(roles) + "\n", encoding="utf-8")
    (version / "laws.yaml").write_text(
        "laws:\n  - {id: L-AQSCF, name: 《中华人民共和国安全生产法》, rank: law}\n", encoding="utf-8"
    )
    (version / "regulation.yaml").write_text(
        'work: SYN-1\nversion: {id: "1.0", status: issued, issued: 2024-06-03, effective: {from: 2024-06-03}}\n'
        "title: 合成安全生产责任制度\npreamble:\n  - 为测试规模而生成本制度。\nsections:\n"
        + "\n".join(sections)
        + "\n",
        encoding="utf-8",
    )
    (version / "notice.yaml").write_text(
        "organ: 合成街道办事处\norgan_mark: 合成街道办事处\ndoc_no: {organ_code: 合街发, year: 2024, serial: 1}\n"
        "title: 合成街道办事处关于印发合成安全生产责任制度的通知\naddressees: 各科室、各社区\n"
        "body:\n  - 现将《合成安全生产责任制度》印发给你们，请认真遵照执行。\nsignature: 合成街道办事处\n"
        "date: 2024-06-03\nprinted_by: 合成街道办事处\nprinted_date: 2024-06-03\n",
        encoding="utf-8",
    )
    (work / "parties.yaml").write_text(make_parties(k_communities), encoding="utf-8")
    return work


def main(argv: list[str]) -> int:
    if len(argv) != 4 or not all(a.isdigit() for a in argv[:3]):
        sys.stderr.write("用法：python benchmarks/gen_policy.py N M K OUT_DIR\n")
        return 2
    make_policy(int(argv[0]), int(argv[1]), int(argv[2]), Path(argv[3]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
