"""The orchestrator: load → validate → lint → plan views → render → write. No logic of its own beyond order."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhidu.diagnostics import Report
from zhidu.errors import UsageError
from zhidu.location import Location
from zhidu.render import Artifact, RenderContext, get_renderer, load_renderers
from zhidu.source import find_versions
from zhidu.writer import OutputWriter, WriteResult, read_manifest, safe_join

if TYPE_CHECKING:
    from zhidu.model import Policy
    from zhidu.views import View

# The model, lint and views are imported where a build really runs: a no-op build never needs them.


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    source: Path = Path("policy")
    out: Path = Path("build")
    formats: list[str] | None = None
    products: list[str] | None = None
    period: str | None = None
    strict: bool = False
    jobs: int | None = None
    progress: bool = False
    #: Layout profile for docx (templates/profiles/<name>.yaml; a policy's own templates/profiles/ first).
    profile: str = "standard"


@dataclass
class Timings:
    """Wall seconds per build stage, in the order they first ran (`zhidu build --timings`, the benchmark)."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time one stage; a stage entered again adds up."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0

    def table(self) -> str:
        """The stages as aligned lines, with each one's share of the total."""
        total = sum(self.seconds.values()) or 1.0
        rows = [f"{n:8} {s * 1000:8.1f} ms  {100 * s / total:5.1f}%" for n, s in self.seconds.items()]
        return "\n".join([*rows, f"{'合计':7} {total * 1000:8.1f} ms"])


@dataclass
class BuildResult:
    """The outcome of a build: diagnostics, what was written, notes for the user."""

    report: Report
    written: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    write: WriteResult | None = None
    timings: Timings = field(default_factory=Timings)


@dataclass(frozen=True)
class Loaded:
    """A valid policy version and where its outputs go under build/."""

    policy: Policy
    prefix: str


def load_versions(source: Path, report: Report, timings: Timings | None = None) -> list[Loaded]:
    """Load and lint every version under `source`; invalid ones only add to the report."""
    stage = (timings or Timings()).stage
    with stage("load"):
        from zhidu import lint
        from zhidu.schema import load_policy

    out = []
    root = source if source.is_dir() else source.parent
    for folder in find_versions(source):
        with stage("load"):
            policy = load_policy(folder, report)
        if policy is None:
            continue
        with stage("lint"):
            lint.run(policy, report)
        try:
            rel = folder.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = folder.name
        out.append(Loaded(policy, rel if rel != "." else folder.resolve().name))
    return out


def previous_of(item: Loaded, loaded: list[Loaded]) -> Policy | None:
    """The version this one supersedes, when it was loaded from the same work."""
    sup = item.policy.regulation.version.supersedes
    if not sup:
        return None
    for other in loaded:
        r = other.policy.regulation
        if r.work == item.policy.regulation.work and r.version.id == sup:
            return other.policy
    return None


def choose_formats(requested: list[str] | None, notes: list[str]) -> list[str]:
    """Requested formats (validated), or every available one; an unavailable PDF is a note, not a failure."""
    registry = load_renderers()
    if requested:
        names = [get_renderer(f.strip()).name for f in requested if f.strip()]
    else:
        names = sorted(n for n, cls in registry.items() if not getattr(cls, "opt_in", False))
    usable = []
    for n in names:
        why = registry[n].unavailable()
        if why is None:
            usable.append(n)
        else:
            notes.append(f"提示：{n} 格式不可用：{why}")
            if requested:
                raise UsageError(f"{n} 格式不可用：{why}")
    return usable


#: Below this many render jobs a process pool costs more than it saves. Measured on 2 cores: the seed's 93 jobs
#: render no faster in a pool when cold and slower when warm (`--watch`: 0.26 s against 0.22 s serial); 933 jobs
#: render in about 60 % of the serial time.
PARALLEL_THRESHOLD = 200


@dataclass(frozen=True)
class Job:
    """One (view, format) to render, with the context of its version and where its outputs go."""

    view: View
    fmt: str
    ctx: RenderContext
    prefix: str


# Set just before a fork-based pool starts, so workers inherit the jobs instead of unpickling them.
_WORK: list[Job] | None = None


def _render_jobs(jobs: list[Job]) -> list[Artifact]:
    registry = load_renderers()
    renderers = {fmt: registry[fmt]() for fmt in {j.fmt for j in jobs}}
    out = []
    for j in jobs:
        for a in renderers[j.fmt].render(j.view, j.ctx):
            out.append(Artifact(f"{j.prefix}/{a.path}", a.data, a.product, a.format))
    return out


def _worker_init(parent: int) -> None:
    """Render workers die with the build: a killed build must not leave workers holding its pipes open."""
    import signal

    # Ctrl-C is the parent's to handle (one clean message, exit 130), not every worker's.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _render_chunk(bounds: tuple[int, int]) -> list[Artifact]:
    assert _WORK is not None
    return _render_jobs(_WORK[bounds[0] : bounds[1]])


def make_jobs(views: list[View], ctx: RenderContext, formats: list[str], prefix: str) -> list[Job]:
    """Every (view, format) pair a renderer supports; PDF is converted later from the docx."""
    registry = load_renderers()
    return [
        Job(v, f, ctx, prefix)
        for f in formats
        if f != "pdf"
        for v in views
        if v.product in registry[f].products
    ]


def render_jobs(
    jobs: list[Job], workers: int | None = None, bar: Callable[[int], None] | None = None
) -> list[Artifact]:
    """Render all jobs, across cores when there are enough; the result is in job order either way."""
    global _WORK
    n = min(workers or os.cpu_count() or 1, 32)
    if n <= 1 or len(jobs) < PARALLEL_THRESHOLD or not hasattr(os, "fork"):
        out = _render_jobs(jobs)
        if bar is not None:
            bar(len(jobs))
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(jobs) // (n * 4))
    chunks = [(i, min(i + size, len(jobs))) for i in range(0, len(jobs), size)]
    _WORK = jobs
    try:
        with ProcessPoolExecutor(
            n,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_init,
            initargs=(os.getpid(),),
        ) as pool:
            out = []
            # map keeps input order, so the artifact list (and the manifest) is the same as a serial build's.
            for (lo, hi), part in zip(chunks, pool.map(_render_chunk, chunks), strict=True):
                out.extend(part)
                if bar is not None:
                    bar(hi - lo)
            return out
    finally:
        _WORK = None


def build(opts: BuildOptions) -> BuildResult:
    """Build every policy version under `opts.source` into `opts.out`."""
    report = Report()
    result = BuildResult(report)
    if opts.products:
        from zhidu.views import PRODUCTS, _load_products

        _load_products()
        unknown = [p for p in opts.products if p not in PRODUCTS]
        if unknown:
            raise UsageError(f"未知产品：{'、'.join(unknown)}；可用：{'、'.join(PRODUCTS)}")
    if opts.period:
        from zhidu.period import parse_period

        parse_period(opts.period)  # validates before any work
    with result.timings.stage("inputs"):
        key = inputs_key(opts)
        fresh = up_to_date(opts.out, key)
    if fresh:
        # Nothing that feeds the build changed since the last one: no load, no render, no write.
        result.unchanged = len(read_manifest(opts.out).get("outputs", {}))
        return result
    loaded = load_versions(opts.source, report, result.timings)
    if report.failed(opts.strict) or not loaded:
        if not loaded and not report.errors:
            report.error("E004", "未找到任何制度（缺少 regulation.yaml）", _loc(opts.source))
        return result
    formats = choose_formats(opts.formats, result.notes)
    stage = result.timings.stage
    with stage("plan"):
        jobs, versions, codes = _plan_jobs(opts, loaded, formats)
    with stage("render"), _progress_bar(opts, "渲染", len(jobs)) as bar:
        artifacts = render_jobs(jobs, opts.jobs, bar)
    meta: dict[str, dict[str, str]] = {}
    for a in artifacts:
        # The longest version folder that contains the file (version folders may nest).
        version = max((v for v in codes if a.path.startswith(v + "/")), key=len)
        meta[a.path] = {"version": version, "code": codes[version]}

    if "pdf" in formats:
        with stage("pdf"):
            _add_pdfs(opts, artifacts, meta)

    # Everything above only gathered; from here on we write.
    with stage("write"):
        w = OutputWriter(opts.out).write_all(artifacts, versions, meta, inputs=key)
    result.write = w
    result.written, result.unchanged = len(w.written), len(w.unchanged)
    return result


def _plan_jobs(
    opts: BuildOptions, loaded: list[Loaded], formats: list[str]
) -> tuple[list[Job], dict[str, dict[str, Any]], dict[str, str]]:
    """Every render job of every version, with each version's manifest entry and release code."""
    from zhidu.views import PlanOptions, make_stamp, plan

    jobs: list[Job] = []
    codes: dict[str, str] = {}
    versions: dict[str, dict[str, Any]] = {}
    for item in loaded:
        p = item.policy
        stamp = make_stamp(p)
        versions[item.prefix] = {
            "work": p.regulation.work,
            "version": p.regulation.version.id,
            "status": p.regulation.version.status,
            "doc_no": stamp.doc_no,
            "code": stamp.code,
            "source_sha256": p.source_hash,
            "files": list(p.files),
        }
        views = plan(p, PlanOptions(period=opts.period, previous=previous_of(item, loaded)), opts.products)
        ctx = RenderContext(policy=p, template_dirs=_template_dirs(p), profile=opts.profile)
        jobs.extend(make_jobs(views, ctx, formats, item.prefix))
        codes[item.prefix] = stamp.code
    return jobs, versions, codes


def _add_pdfs(opts: BuildOptions, artifacts: list[Artifact], meta: dict[str, dict[str, str]]) -> None:
    """Convert every docx of the build in one LibreOffice batch and add the PDFs next to them."""
    from zhidu.render.pdf import convert_batch

    docx = [(a.path, a.data) for a in artifacts if a.format == "docx"]
    _progress(opts, f"转换 PDF：{len(docx)} 个文档")
    pdfs = convert_batch(docx, jobs=opts.jobs)
    for a in [a for a in artifacts if a.format == "docx"]:
        path = a.path.removesuffix(".docx") + ".pdf"
        if path in pdfs:
            artifacts.append(Artifact(path, pdfs[path], a.product, "pdf"))
            meta[path] = meta[a.path]


def inputs_key(opts: BuildOptions) -> str:
    """A hash of everything a build reads: sources, templates, zhidu's own code and the options."""
    import hashlib

    import zhidu
    from zhidu.cache import code_hash
    from zhidu.render._jinja import shipped_templates

    h = hashlib.sha256(code_hash().encode())
    h.update(
        repr(
            (zhidu.__version__, opts.formats, opts.products, opts.period, opts.strict, opts.profile)
        ).encode()
    )
    src = opts.source if opts.source.is_dir() else opts.source.parent
    for base in (src, shipped_templates()):
        for f in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(f.relative_to(base).as_posix().encode() + b"\0")
            h.update(f.read_bytes())
    return h.hexdigest()


def up_to_date(out: Path, key: str) -> bool:
    """True when the last build had the same inputs and every output it listed is still in place."""
    manifest = read_manifest(out)
    if manifest.get("inputs") != key:
        return False
    try:
        return all(
            safe_join(out, path).stat().st_size == e["size"]
            for path, e in manifest.get("outputs", {}).items()
        )
    except (OSError, KeyError, TypeError):
        return False


def _template_dirs(policy: Policy) -> tuple[Path, ...]:
    # A policy's own templates/ (in its version folder or its work folder) override the shipped ones.
    root = Path(policy.root)
    return tuple(d for d in (root / "templates", root.parent / "templates") if d.is_dir())


@contextlib.contextmanager
def _progress_bar(opts: BuildOptions, label: str, total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on an interactive terminal; nothing elsewhere (CI logs, pipes, tests)."""
    if not (opts.progress and sys.stderr.isatty()):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)

        def advance(n: int) -> None:
            progress.update(task, advance=n)

        yield advance


def _progress(opts: BuildOptions, msg: str) -> None:
    if opts.progress and sys.stderr.isatty():
        sys.stderr.write(msg + "\n")


def _loc(path: Path) -> Location:
    return Location(os.fspath(path))
