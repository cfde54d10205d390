"""The Jinja2 environments: StrictUndefined, autoescape for HTML, sandboxed for user templates."""

from __future__ import annotations

import contextlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from zhidu.errors import RenderError

if TYPE_CHECKING:
    from zhidu.render.base import Artifact, RenderContext
    from zhidu.views import View


def shipped_templates() -> Path:
    """The templates folder that ships with zhidu (templates/ in the repo, zhidu._templates when installed)."""
    return Path(str(resources.files("zhidu._templates")))


@cache
def environment(fmt: str, overrides: tuple[Path, ...] = ()) -> Any:
    """The environment for one format; a policy folder's templates/<fmt>/ shadows the shipped ones.

    One per process and format, so each template is compiled at most once per process; compiled templates are
    also kept in the user cache (see _bytecode_cache) for the next process.
    """
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from zhidu.numbering import cn_date

    loaders = [FileSystemLoader(str(d / fmt)) for d in overrides if (d / fmt).is_dir()]
    # A policy folder's own templates run sandboxed: they can read the view, nothing else. Without them only
    # zhidu's own templates run, and the sandbox's check on every attribute access (~40% of render time) is
    # skipped.
    cls = SandboxedEnvironment if loaders else Environment
    loaders.append(FileSystemLoader(str(shipped_templates() / fmt)))
    options: dict[str, Any] = {
        "autoescape": fmt == "html",
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    env = cls(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        bytecode_cache=_bytecode_cache(cls, options),
        **options,
    )
    env.filters["cn_date"] = cn_date
    return env


def _bytecode_cache(cls: type, options: dict[str, Any]) -> Any:
    """Compiled templates under the user cache folder (none when ZHIDU_NO_CACHE is set).

    Jinja keys an entry by template file and source checksum only, but the compiled code also depends on the
    environment (sandboxed or not, autoescape, whitespace options) and on the Jinja release: each combination
    gets its own folder.
    """
    import hashlib

    import jinja2

    from zhidu.cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    flavour = repr((jinja2.__version__, cls.__name__, sorted(options.items())))
    folder = base / "jinja" / hashlib.sha256(flavour.encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None

    class QuietCache(jinja2.FileSystemBytecodeCache):
        # A cache that cannot be written (read-only home, full disk) must never fail the build.
        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return QuietCache(str(folder))


def render_template(
    fmt: str, product: str, suffix: str, context: dict[str, Any], overrides: tuple[Path, ...] = ()
) -> str:
    """Render templates/<fmt>/<product><suffix>.j2 with a declared context."""
    from jinja2 import TemplateError, TemplateNotFound

    env = environment(fmt, overrides)
    name = f"{product}{suffix}.j2"
    try:
        return str(env.get_template(name).render(**context))
    except TemplateNotFound as e:
        raise RenderError(f"缺少模板 {fmt}/{name}") from e
    except TemplateError as e:
        where = f"{getattr(e, 'filename', None) or name}:{getattr(e, 'lineno', '?')}"
        raise RenderError(f"模板 {where} 出错：{e}") from e


def template_products(fmt: str) -> frozenset[str]:
    """Products that have a shipped template for a format."""
    folder = shipped_templates() / fmt
    if not folder.is_dir():
        return frozenset()
    return frozenset(
        p.name.split(".", 1)[0] for p in folder.glob("*.j2") if not p.name.startswith(("base.", "_"))
    )


class TemplateRenderer:
    """A format rendered by templates/<name>/<product><suffix>.j2; subclasses name the format."""

    name: ClassVar[str]
    suffix: ClassVar[str]
    products: ClassVar[frozenset[str]]

    @classmethod
    def unavailable(cls) -> str | None:
        return None

    def render(self, view: View[object], ctx: RenderContext) -> list[Artifact]:
        from zhidu.artifact import Artifact

        context = {"view": view, "data": view.data, "stamp": view.stamp}
        text = render_template(self.name, view.product, self.suffix, context, ctx.template_dirs)
        return [Artifact(view.name + self.suffix, text.encode("utf-8"), view.product, self.name)]
