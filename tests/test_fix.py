"""`zhidu fix`: safe fixes shown first, applied with a backup, comments kept, records never touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SEED_DIR
from zhidu.cli import main


def _draft(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(SEED_DIR, work / "2024.1")
    shutil.copy(SEED_DIR.parent / "parties.yaml", work / "parties.yaml")
    reg = work / "2024.1" / "regulation.yaml"
    reg.write_text(reg.read_text(encoding="utf-8").replace("status: issued", "status: draft", 1), "utf-8")
    return work


def test_diff_first_then_fix_with_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = _draft(tmp_path)
    reg = work / "2024.1" / "regulation.yaml"
    before = reg.read_text(encoding="utf-8")
    assert main(["fix", str(work), "--diff"]) == 0
    diff = capsys.readouterr().out
    assert reg.read_text(encoding="utf-8") == before  # --diff writes nothing
    assert "-            text: 值班领导24小时值班在岗,做好巡查工作;" in diff
    assert "+            text: 值班领导24小时值班在岗，做好巡查工作；" in diff
    assert "》《" in diff and "”“" in diff  # W113
    assert main(["fix", str(work)]) == 0
    out = capsys.readouterr().out
    assert "已修正：" in out and "半角标点改为全角（W103）" in out
    after = reg.read_text(encoding="utf-8")
    assert (work / "2024.1" / "regulation.yaml.bak").read_text(encoding="utf-8") == before
    # Comments and the as-recorded source numbers are kept; only prose changed.
    assert after.splitlines()[:2] == before.splitlines()[:2]
    assert 'source_number: "(一)"' in after
    assert main(["check", str(work)]) == 0
    checked = capsys.readouterr().out
    assert "W103" not in checked and "W113" not in checked


def test_fix_leaves_issued_versions_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "work"
    shutil.copytree(SEED_DIR, work / "2024.1")
    before = {p.name: p.read_bytes() for p in (work / "2024.1").iterdir()}
    assert main(["fix", str(work)]) == 0
    err = capsys.readouterr().err
    assert "已印发版本是存档记录，不自动修改" in err
    assert {p.name: p.read_bytes() for p in (work / "2024.1").iterdir()} == before


def test_fix_text_rules() -> None:
    from zhidu.fix import fix_text

    assert fix_text("见冶街发[2019]015号,自2024年06月03日起")[0] == "见冶街发〔2019〕15号，自2024年6月3日起"
    # Not next to Chinese: numbers and urls stay as written.
    assert fix_text("1,000 http://a.cn")[0] == "1,000 http://a.cn"
    assert fix_text("　首行缩进　")[0] == "首行缩进"


def test_draft_outputs_carry_the_mark_in_metadata(tmp_path: Path) -> None:
    import zipfile

    work = _draft(tmp_path)
    out = tmp_path / "build"
    assert (
        main(["build", str(work), "-o", str(out), "--format", "docx", "--product", "notice,duty-card", "-q"])
        == 0
    )
    for p in [out / "2024.1" / "notice.docx", next((out / "2024.1" / "cards").glob("*.docx"))]:
        with zipfile.ZipFile(p) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
            body = z.read("word/document.xml").decode("utf-8")
        assert "<cp:contentStatus>征求意见稿</cp:contentStatus>" in core, p
        assert "（征求意见稿）</dc:title>" in core
        if p.name == "notice.docx":
            assert ">征求意见稿<" in body


def test_full_width_space_between_joint_issuers_is_kept(tmp_path: Path) -> None:
    """A township notice issued by the party committee and the government together: the full-width space
    separates the two organs in 发文机关, 署名 and 印发机关, and `zhidu fix` must not glue them into one name."""
    from tests.importer.test_corpus import CORPUS, do_import

    version = tmp_path / "shiqiao" / "2009.1"
    do_import(CORPUS / "03-township-joint-outline.txt", version)
    reg = version / "regulation.yaml"
    text = reg.read_text(encoding="utf-8")
    reg.write_text(text.replace("  status: issued", "  status: draft", 1), encoding="utf-8")
    joint = "中共石桥镇委员会　石桥镇人民政府"
    notice = (version / "notice.yaml").read_text(encoding="utf-8")
    assert notice.count(joint) >= 3
    assert main(["fix", str(tmp_path / "shiqiao")]) == 0
    assert (version / "notice.yaml").read_text(encoding="utf-8").count(joint) == notice.count(joint)
    assert main(["check", str(tmp_path / "shiqiao")]) == 0


def test_fix_text_keeps_spaces_in_names() -> None:
    from zhidu.fix import fix_text

    assert fix_text("中共某镇委员会　某镇人民政府", "signature")[0] == "中共某镇委员会　某镇人民政府"
    assert fix_text("加强　安全生产", "text")[0] == "加强安全生产"
