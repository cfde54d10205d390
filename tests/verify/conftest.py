"""What the verify tests share: our notice as bytes, with and without 抄送, and the deliberately broken copies."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest
from msgspec import structs

from zhidu.model import Policy
from zhidu.render import RenderContext
from zhidu.verify import run_verify
from zhidu.views import plan

CASES = Path(__file__).resolve().parent.parent / "cases" / "broken_docx"
_spec = importlib.util.spec_from_file_location("broken_docx", CASES / "generate.py")
assert _spec and _spec.loader
broken = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(broken)


def notice_bytes(policy: Policy) -> bytes:
    from zhidu.render.docx import DocxRenderer

    view = plan(policy, products=["notice"])[0]
    return DocxRenderer().render(view, RenderContext(policy))[0].data


@pytest.fixture(scope="session")
def full_notice(seed_policy: Policy) -> bytes:
    """The seed notice with every optional element the checks look at (抄送 in particular)."""
    assert seed_policy.notice is not None
    notice = structs.replace(seed_policy.notice, **{"cc": ["东胜区应急管理局", "东胜区安全生产委员会办公室"]})
    return notice_bytes(dataclasses.replace(seed_policy, notice=notice))


def failing(path: Path, render: bool = False) -> set[str]:
    return {c.id for c in run_verify(path, render=render).failed}
