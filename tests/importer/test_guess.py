"""importer.guess: roles and their kinds, owners, duties and frequencies guessed from the seed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.importer.helpers import (
    provisions,
    section_of,
)
from zhidu.importer.guess import subject_roles


def test_seed_roles_owners_duties_and_frequencies(seed_import: tuple[Path, dict[str, Any], str]) -> None:
    out, docs, _ = seed_import
    roles = {r["id"]: (r["name"], r["kind"]) for r in docs["roles.yaml"]["roles"]}
    assert roles == {
        "R-01": ("党工委书记", "leader"),
        "R-02": ("办事处主任", "leader"),
        "R-03": ("分管安全生产工作的领导", "leader"),
        "R-04": ("其他分管负责人", "leader"),
        "R-05": ("党政办公室", "department"),
        "R-06": ("应急管理办", "department"),
        "R-07": ("社区", "community"),
        "R-08": ("街道安全生产网格员", "grid_worker"),
    }
    assert section_of(docs, "S-01")["owners"] == ["R-01", "R-02"]
    assert "owners" not in section_of(docs, "S-04")  # 相关室办: owners sit on each office
    assert section_of(docs, "P-04-01")["owners"] == ["R-05"]
    assert section_of(docs, "P-01-06")["duties"] == [
        {"id": "D-01-06", "frequency": {"per": "month", "min": 1, "display": "每月至少1次"}}
    ]
    all_p = provisions(docs["regulation.yaml"]["sections"])
    for p in all_p:
        for d in p.get("duties", []):
            if "frequency" in d:
                assert d["frequency"]["display"] in p["text"]
    # Items under 考核 and 追责 are not duties.
    assert not any("duties" in p for p in all_p if p["id"].startswith(("P-07", "P-08")))
    text = (out / "regulation.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 未找到含 schemas/ 的仓库目录") or text.startswith(
        "# yaml-language-server: $schema="
    )
    assert "owners:  # 猜测：按标题“党工委书记、办事处主任的安全生产职责”识别责任岗位，请确认" in text
    assert "frequency: # 猜测：频次按原文“每月至少1次”推定为“每月≥1次”，请确认" in text
    assert "&id" not in text and "|" not in text and ">-" not in text


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        (
            "镇党委书记、镇长是全镇安全生产工作第一责任人，对全镇安全生产工作负全面领导责任。",
            ["镇党委书记", "镇长"],
        ),
        ("街道安监站负责举报的受理、核查和奖励兑现工作。", ["街道安监站"]),
        ("村（居）委会主任每周至少组织一次安全巡查。", ["村（居）委会主任"]),
        ("街道办事处对辖区安全生产负属地管理责任。", ["街道办事处"]),
        # The document, a procedure, those regulated: no role of the issuing office.
        ("本细则由镇安全生产委员会办公室负责解释。", []),
        ("约谈由县安全生产委员会办公室组织实施。", []),
        ("被约谈单位应当在约谈后十五日内提交整改报告。", []),
        ("生产经营单位是安全生产的责任主体。", []),
        ("安全生产工作坚持党政同责、一岗双责、齐抓共管、失职追责。", []),
    ],
)
def test_subject_roles(text: str, roles: list[str]) -> None:
    assert subject_roles(text) == roles
