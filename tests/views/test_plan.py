"""views.plan: the order of planned views does not depend on which product module was imported first."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

CODE = (
    "import sys; from pathlib import Path; {pre}"
    "from zhidu.diagnostics import Report; from zhidu.load.policy import load_policy; from zhidu.views import plan; "
    "p = load_policy(Path('policy/gongyuan-aqsc/2024.2'), Report()); print(*(v.name for v in plan(p)))"
)


def _order(pre: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", CODE.format(pre=pre)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_plan_order_is_fixed_whatever_was_imported_first() -> None:
    plain = _order("")
    # Importing a product module early used to register its planner first, so the notice came first.
    early = _order("import zhidu.views.notice, zhidu.views.diffview; ")
    assert plain == early
    assert plain[0].startswith("cards/") and plain[-1] == "notice"
