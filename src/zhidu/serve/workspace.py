"""The policy folder a workbench serves: its versions, each loaded, linted and fingerprinted.

URLs name a version by its work folder and version folder (`/gongyuan-aqsc/2024.2/`); they are looked up among
the folders found on disk, never joined onto a path, so no request can reach a file outside the policy folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from zhidu.diagnostics import Issue, Report
from zhidu.load.source import find_versions, version_files
from zhidu.model import Duty, Policy, Provision


@dataclass(frozen=True)
class VersionRef:
    """One version folder, as named in URLs."""

    work: str
    version: str
    folder: Path

    @property
    def url(self) -> str:
        return f"/{self.work}/{self.version}/"


@dataclass
class Loaded:
    """A version as the workbench shows it: the policy (None when invalid) and every diagnostic."""

    ref: VersionRef
    policy: Policy | None
    report: Report
    #: The fingerprint of the files this was loaded from (see `fingerprint`).
    base: str
    previous: Policy | None = None
    issues_by_node: dict[str, list[Issue]] = field(default_factory=dict)

    @property
    def issued(self) -> bool:
        return self.policy is not None and self.policy.regulation.version.status == "issued"


def fingerprint(folder: Path) -> str:
    """A digest of a version's files (names and bytes): a form carries it to detect edits made meanwhile."""
    h = hashlib.sha256()
    for f in version_files(folder):
        try:
            data = f.read_bytes()
        except OSError:
            data = b"\0unreadable"
        h.update(f.name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()[:32]


class Workspace:
    """Every version under one policy folder."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def versions(self) -> list[VersionRef]:
        """The versions on disk now (a new draft appears without a restart)."""
        out = []
        for folder in find_versions(self.root):
            folder = folder.resolve()
            if not folder.is_relative_to(self.root) and folder != self.root:
                continue  # a symlink out of the policy folder is not served
            out.append(VersionRef(folder.parent.name, folder.name, folder))
        return out

    def find(self, work: str, version: str) -> VersionRef | None:
        """The version named by two URL segments, if it exists."""
        return next((r for r in self.versions() if r.work == work and r.version == version), None)

    def works(self) -> dict[str, list[VersionRef]]:
        """Versions grouped by work folder, in folder order."""
        out: dict[str, list[VersionRef]] = {}
        for r in self.versions():
            out.setdefault(r.work, []).append(r)
        return out

    def load(self, ref: VersionRef, lint: bool = True) -> Loaded:
        """Load, validate and lint one version (loading is memoised by content in `load_policy`).

        A preview needs no lint findings: `lint=False` skips the rules.
        """
        from zhidu import lint as rules
        from zhidu.load.policy import load_policy
        from zhidu.load.versions import previous_version

        base = fingerprint(ref.folder)
        report = Report()
        policy = load_policy(ref.folder, report)
        previous = None
        if policy is not None:
            previous = previous_version(policy)
            if lint:
                rules.run(policy, report, previous=previous)
        loaded = Loaded(ref, policy, report, base, previous)
        if policy is not None:
            loaded.issues_by_node = issues_by_node(policy, report)
        return loaded


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def issues_by_node(policy: Policy, report: Report) -> dict[str, list[Issue]]:
    """Diagnostics keyed by the id of the provision or duty whose source lines hold them.

    Nodes are ordered by their first line in regulation.yaml; an issue belongs to the last node that starts at
    or before its line (a duty inside a provision starts after it, so the innermost node wins).
    """
    reg_file = next((f for f in policy.files if f.endswith("regulation.yaml")), "")
    starts: list[tuple[int, str]] = []
    for _path, p in policy.walk():
        starts.append((p.loc.line, p.id))
        starts.extend((d.loc.line, d.id) for d in p.duties)
    starts.sort()
    out: dict[str, list[Issue]] = {}
    for issue in report.sorted():
        if not issue.loc.line or not _same_file(issue.loc.path, reg_file):
            continue
        owner = None
        for line, ident in starts:
            if line > issue.loc.line:
                break
            owner = ident
        if owner is not None:
            out.setdefault(owner, []).append(issue)
    return out


def find_duty(policy: Policy, duty_id: str) -> tuple[tuple[int, ...], Provision, Duty] | None:
    """A duty by id with its provision and index path."""
    return next(((path, p, d) for path, p, d in policy.duties() if d.id == duty_id), None)


def find_provision(policy: Policy, provision_id: str) -> tuple[tuple[int, ...], Provision] | None:
    """A provision by id with its index path."""
    return next(((path, p) for path, p in policy.walk() if p.id == provision_id), None)
