"""The orchestrator: load → lint → plan views → render (render.jobs) → write, plus the no-op check and PDFs."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhidu.artifact import Artifact
from zhidu.diagnostics import Report
from zhidu.errors import SourceError, UsageError
from zhidu.load.source import find_versions, version_files
from zhidu.location import Location
from zhidu.render import RenderContext, get_renderer, load_renderers
from zhidu.render.jobs import Job, iter_render, make_jobs
from zhidu.writer import OutputWriter, WriteResult, read_manifest

if TYPE_CHECKING:
    import datetime as dt

    from zhidu.model import Policy
    from zhidu.period import Period

# The model, lint and views are imported where a build really runs: a no-op build never needs them.


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    source: Path = Path("policy")
    out: Path = Path("build")
    formats: list[str] | None = None
    products: list[str] | None = None
    #: The checklist periods, parsed at the command line; None plans blank templates, one per period kind.
    periods: tuple[Period, ...] | None = None
    #: Build only the version of each work in force on this day (every product).
    as_of: dt.date | None = None
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
    """A valid policy version, the version it supersedes (if found), and where its outputs go under build/."""

    policy: Policy
    prefix: str
    previous: Policy | None = None
    #: Warnings its load and lint reported (kept in the manifest: a no-op `--strict` build must still fail).
    warnings: int = 0
    #: The checklist periods this version is in force for (None: blank templates).
    periods: tuple[Period, ...] | None = None


def load_versions(source: Path, report: Report, timings: Timings | None = None) -> list[Loaded]:
    """Load and lint every version under `source`; invalid ones only add to the report."""
    stage = (timings or Timings()).stage
    with stage("load"):
        from zhidu import lint
        from zhidu.load.policy import load_policy, report_linked_versions
        from zhidu.load.versions import previous_version

        report_linked_versions(source, report)
    out = []
    root = source if source.is_dir() else source.parent
    for folder in find_versions(source):
        before = len(report.warnings)
        with stage("load"):
            policy = load_policy(folder, report)
        if policy is None:
            continue
        with stage("load"):
            previous = previous_version(policy)
        with stage("lint"):
            lint.run(policy, report, previous=previous)
        try:
            rel = folder.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = folder.name
        warnings = len(report.warnings) - before
        out.append(Loaded(policy, rel if rel != "." else folder.resolve().name, previous, warnings=warnings))
    return out


def _works(loaded: list[Loaded]) -> dict[str, list[Loaded]]:
    works: dict[str, list[Loaded]] = {}
    for item in loaded:
        works.setdefault(item.policy.regulation.work, []).append(item)
    return works


def point_in_time(loaded: list[Loaded], opts: BuildOptions, report: Report) -> list[Loaded]:
    """The versions to build: with --as-of only the one in force per work; each with its checklist periods.

    A checklist period goes to the version in force on its first day; a period no version covers is an error.
    """
    from zhidu.inforce import assign_periods, choose_for_day

    out: list[Loaded] = []
    for group in _works(loaded).values():
        policies = [g.policy for g in group]
        if opts.as_of is not None:
            chosen = choose_for_day(group, policies, opts.as_of, f"--as-of {opts.as_of.isoformat()}", report)
            group = [chosen] if chosen is not None else []
            policies = [g.policy for g in group]
        if not group:
            continue
        if opts.periods is None:
            out.extend(group)
            continue
        assigned = assign_periods(group, policies, opts.periods, report)
        out.extend(replace(g, periods=tuple(assigned.get(i, ()))) for i, g in enumerate(group))
    return out


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


def build(opts: BuildOptions) -> BuildResult:
    """Build every policy version under `opts.source` into `opts.out`."""
    report = Report()
    result = BuildResult(report)
    if opts.products:
        from zhidu.views import PRODUCT_ORDER, PRODUCTS, _load_products
        from zhidu.views.base import PRODUCT_ALIASES, product_name

        _load_products()
        unknown = [p for p in opts.products if product_name(p) not in PRODUCTS]
        if unknown:
            last = len(PRODUCT_ORDER)
            known = sorted(
                PRODUCTS, key=lambda n: (PRODUCT_ORDER.index(n) if n in PRODUCT_ORDER else last, n)
            )
            alias = {p: "、".join(a for a, n in PRODUCT_ALIASES.items() if n == p) for p in known}
            names = "、".join(f"{p}（{alias[p]}）" if alias[p] else p for p in known)
            raise UsageError(f"未知产品：{'、'.join(unknown)}；可用（括号内为别名）：{names}")
        # The folder name (`cards`) or the Chinese name (检查表) stands for the product.
        opts = dataclasses.replace(opts, products=sorted({product_name(p) for p in opts.products}))
    if not opts.source.exists():
        # Before the inputs key, which would otherwise hash the missing path's parent folder (`/` for `/x`).
        raise SourceError(f"路径不存在：{opts.source}")
    check_out_dir(opts)
    with result.timings.stage("inputs"):
        key = inputs_key(opts)
        fresh = up_to_date(opts.out, key)
    if fresh and opts.strict and _had_warnings(opts.out):
        # --strict is not part of the key (it changes no output); the real load reports the warnings and fails.
        fresh = False
    if fresh:
        # Nothing that feeds the build changed since the last one: no load, no render, no write.
        result.unchanged = len(read_manifest(opts.out).get("outputs", {}))
        return result
    loaded = load_versions(opts.source, report, result.timings)
    if loaded and not report.failed(opts.strict):
        loaded = point_in_time(loaded, opts, report)
    if report.failed(opts.strict) or not loaded:
        if not loaded and not report.errors:
            report.error("E004", "未找到任何制度（缺少 regulation.yaml）", _loc(opts.source))
        return result
    formats = choose_formats(opts.formats, result.notes)
    stage = result.timings.stage
    with stage("plan"):
        jobs, versions, codes = _plan_jobs(opts, loaded, formats)
    meta: dict[str, dict[str, str]] = {}

    def described(artifacts: Iterator[Artifact]) -> Iterator[Artifact]:
        # Each file with its version and release code, timed as rendering while the renderers produce it.
        while True:
            with stage("render"):
                a = next(artifacts, None)
            if a is None:
                return
            # The longest version folder that contains the file (version folders may nest).
            version = max((v for v in codes if a.path.startswith(v + "/")), key=len)
            meta[a.path] = {"version": version, "code": codes[version]}
            yield a

    writer = OutputWriter(opts.out)
    with (
        _progress_bar(opts, "渲染", len(jobs)) as bar,
        contextlib.closing(iter_render(jobs, opts.jobs, bar)) as it,
    ):
        if "pdf" in formats:
            # The PDFs are converted from every docx in one batch: these files are gathered first.
            artifacts = list(described(it))
            with stage("pdf"):
                _add_pdfs(opts, artifacts, meta)
            if "docx" not in formats:
                # The docx were only the PDFs' source: a PDF-only build writes PDFs only.
                artifacts = [a for a in artifacts if a.format != "docx"]
            with stage("write"):
                w = writer.write_all(artifacts, versions, meta, inputs=key)
        else:
            # Each file goes to the writer as it is rendered, so the build never holds them all; nothing is
            # renamed into place before the last one is rendered, so a failure still leaves the old outputs.
            rendered = result.timings.seconds.get("render", 0.0)
            t0 = time.perf_counter()
            w = writer.write_all(described(it), versions, meta, inputs=key)
            spent = time.perf_counter() - t0 - (result.timings.seconds["render"] - rendered)
            result.timings.seconds["write"] = result.timings.seconds.get("write", 0.0) + spent
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
            "warnings": item.warnings,
        }
        views = plan(p, PlanOptions(periods=item.periods, previous=item.previous), opts.products)
        ctx = RenderContext(policy=p, template_dirs=template_dirs(p), profile=opts.profile)
        # PDF is converted from the docx, so a PDF-only build still renders them (and drops them after).
        source_formats = [*formats, "docx"] if "pdf" in formats and "docx" not in formats else formats
        jobs.extend(make_jobs(views, ctx, source_formats, item.prefix))
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


def check_out_dir(opts: BuildOptions) -> None:
    """Refuse an output folder that holds the sources or is (or is inside) a repository's own folders.

    The writer removes stale outputs it can prove it wrote; pointing it at a folder full of other work (the
    repository root, the policy itself) is a mistake a planted manifest could exploit, so it is an error.
    """
    out = Path(os.path.realpath(opts.out))
    src = Path(os.path.realpath(opts.source))
    if src == out or src.is_relative_to(out):
        raise UsageError(f"输出目录 {opts.out} 包含制度源文件 {opts.source}，请另选输出目录（如 build/）")
    if (out / ".git").exists() or (out / ".hg").exists():
        raise UsageError(f"输出目录 {opts.out} 是版本库根目录，请另选输出目录（如 build/）")
    from zhidu.writer import VCS_DIRS

    if VCS_DIRS & set(out.parts):
        raise UsageError(f"输出目录 {opts.out} 位于版本库内部目录中，请另选输出目录")


def input_roots(opts: BuildOptions) -> list[Path]:
    """Every folder a build reads: the source, and for each version under it its work folder (whose
    parties.yaml, glossary.yaml, templates/ and sibling versions feed the version) — `--watch` watches them too."""
    src = opts.source if opts.source.is_dir() else opts.source.parent
    roots = [src]
    for folder in find_versions(opts.source):
        work = folder.parent
        if not any(work == r or work.is_relative_to(r) for r in roots):
            roots.append(work)
    return roots


def inputs_key(opts: BuildOptions) -> str:
    """A hash of everything a build reads: sources, templates, zhidu's own code and the options that change bytes.

    `--strict`, `-q` and `-j` change no output, so they are not part of it. Files are walked without following
    symlinked folders (a link loop must not hang or crash the walk) and each is hashed at most
    MAX_KEYED_FILE_BYTES deep (see cache.file_digest); names are hashed as raw bytes, so a name that is not UTF-8
    is keyed like any other.
    """
    import hashlib

    import zhidu
    from zhidu.cache import code_hash, file_digest
    from zhidu.render._jinja import shipped_templates

    h = hashlib.sha256(code_hash().encode())
    h.update(
        repr(
            (
                zhidu.__version__,
                opts.formats,
                opts.products,
                opts.periods and [x.code for x in opts.periods],
                opts.as_of and opts.as_of.isoformat(),
                opts.profile,
            )
        ).encode()
    )
    out = os.path.abspath(opts.out)
    src = opts.source if opts.source.is_dir() else opts.source.parent

    def walk(base: Path) -> list[Path]:
        found: list[Path] = []
        for dirpath, dirs, files in os.walk(base):
            dirs.sort()
            # The build's own outputs (build/ inside the source) and caches are not inputs.
            dirs[:] = [
                d for d in dirs if d != "__pycache__" and os.path.abspath(os.path.join(dirpath, d)) != out
            ]
            found.extend(Path(dirpath, name) for name in sorted(files))
        return found

    for index, base in enumerate((src, shipped_templates())):
        h.update(b"\1" + str(index).encode() + b"\0")
        for f in walk(base):
            h.update(os.fsencode(f.relative_to(base)) + b"\0")
            h.update(file_digest(f))
    # A version also reads beside itself in its work folder: parties.yaml, glossary.yaml, templates/ and the
    # version it supersedes. Named relative to the work folder, so the key does not depend on where it lies.
    for work in input_roots(opts)[1:]:
        beside = {f for f in work.glob("*.yaml") if f.is_file()}
        beside |= {f for reg in work.glob("*/regulation.yaml") for f in version_files(reg.parent)}
        if (work / "templates").is_dir() and not os.path.islink(work / "templates"):
            beside |= set(walk(work / "templates"))
        h.update(b"\2")
        for f in sorted(beside):
            h.update(os.fsencode(f.relative_to(work)) + b"\0")
            h.update(file_digest(f))
    return h.hexdigest()


def _had_warnings(out: Path) -> bool:
    versions = read_manifest(out).get("versions", {})
    return not isinstance(versions, dict) or any(
        not isinstance(v, dict) or v.get("warnings", 1) for v in versions.values()
    )


def up_to_date(out: Path, key: str) -> bool:
    """True when the last build had the same inputs and every output it listed is still in place, byte for byte.

    Sizes alone missed an output edited in place; each output is hashed again (milliseconds for a policy).
    """
    from zhidu.writer import proven_output

    manifest = read_manifest(out)
    if manifest.get("inputs") != key:
        return False
    return all(proven_output(out, path, e) is not None for path, e in manifest.get("outputs", {}).items())


def template_dirs(policy: Policy) -> tuple[Path, ...]:
    """The template folders a policy brings that override the shipped ones (build and serve render alike)."""
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
