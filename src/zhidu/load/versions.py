"""Finding the version a policy supersedes among the other version folders of its work."""

from __future__ import annotations

from pathlib import Path

from zhidu.diagnostics import Report
from zhidu.load.policy import load_policy
from zhidu.model import Policy


def previous_version(policy: Policy) -> Policy | None:
    """The version `policy` supersedes: the version folder beside it whose regulation.yaml has the same `work`
    and `version.id` equal to `supersedes`; None when there is none (or it does not load).

    Build, check and the diff product all ask this one function. Each candidate is loaded and validated, so the
    answer is what the YAML says however it is written; loads are memoised by content (`load_policy`), and in a
    build or a check of the whole work the candidates are already loaded.
    """
    sup = policy.regulation.version.supersedes
    if not sup:
        return None
    work = Path(policy.root).parent
    if not work.is_dir():
        return None
    folders = sorted(reg.parent for reg in work.glob("*/regulation.yaml"))
    # Version folders are usually named after their version: try that one first, the rest only if it is not.
    folders.sort(key=lambda f: f.name != sup)
    for folder in folders:
        # Problems of the old version are reported when it is itself checked, not here.
        p = load_policy(folder, Report())
        if p is not None and p.regulation.work == policy.regulation.work and p.regulation.version.id == sup:
            return p
    return None
