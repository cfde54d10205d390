"""The one Jinja2 environment: StrictUndefined, autoescape for HTML, sandboxed for user templates."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from zhidu.errors import RenderError

if TYPE_CHECKING:
    from zhidu.render import Artifact, RenderContext
    from zhidu.views import View


def shipped_templates() -> Path:
    """The templates folder that ships with zhidu (templates/ in the repo, zhidu._templates when installed)."""
    return Path(str(resources.files("zhidu._templates")))


@cache
def environment(fmt: str, overrides: tuple[Path, ...] = ()) -> Any:
    """The environment for one format; a policy folder's templates/<fmt>/ shadows the shipped ones."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from zhidu.views import cn_date

    loaders = [FileSystemLoader(str(d / fmt)) for d in overrides if (d / fmt).is_dir()]
    loaders.append(FileSystemLoader(str(shipped_templates() / fmt)))
    # Sandboxed because a policy folder may bring its own templates: they can read the view, nothing else.
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = cn_date
    return env


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

    def render(self, view: View, ctx: RenderContext) -> list[Artifact]:
        from zhidu.render import Artifact

        context = {"view": view, "data": view.data, "stamp": view.stamp}
        text = render_template(self.name, view.product, self.suffix, context, ctx.template_dirs)
        return [Artifact(view.name + self.suffix, text.encode("utf-8"), view.product, self.name)]
