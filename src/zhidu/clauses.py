"""Which duties sit inside an accountability (追责) or assessment (考核) clause.

Such a clause says what follows when duties are breached or how they are scored; a duty written inside it is
not a task to tick on a checklist (the checklist view leaves it out, lint I125 flags `checklist: true` on it).
"""

from __future__ import annotations

from zhidu.model import Duty, Policy, Provision


def accountability_duties(policy: Policy) -> dict[str, tuple[Duty, Provision]]:
    """Duties inside a provision that (or whose ancestor) carries liability or assessment items, by id."""
    out: dict[str, tuple[Duty, Provision]] = {}
    chain: list[Provision] = []
    for path, p in policy.walk():
        del chain[len(path) - 1 :]
        chain.append(p)
        clause = next((c for c in reversed(chain) if c.liability or c.assessment), None)
        if clause is not None:
            for d in p.duties:
                out[d.id] = (d, clause)
    return out
