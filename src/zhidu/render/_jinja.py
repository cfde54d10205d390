"""The Jinja2 environments: StrictUndefined, autoescape for HTML, sandboxed for user templates.

A policy folder's templates are untrusted. The sandbox guards what a template can reach through attributes;
what the loader opens is guarded here: a template (and everything it includes, imports or extends) is a regular
file whose real path lies inside its template folder, the folder itself is no symlink, and it is read up to
MAX_TEMPLATE_BYTES. Compiled templates are cached only under an HMAC tag (see zhidu.cache), since loading one
runs its code.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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
    from jinja2 import ChoiceLoader, Environment, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from zhidu.numbering import cn_date

    loaders: list[Any] = []
    for d in overrides:
        folder = d / fmt
        for p in (d, folder):
            if os.path.islink(p):
                raise RenderError(f"模板目录 {p} 是符号链接，出于安全考虑不予使用（请改为普通目录）")
        if folder.is_dir():
            loaders.append(confined_loader(folder))
    # A policy folder's own templates run sandboxed: they can read the view, nothing else. Without them only
    # zhidu's own templates run, and the sandbox's check on every attribute access (~40% of render time) is
    # skipped.
    cls = SandboxedEnvironment if loaders else Environment
    loaders.append(confined_loader(shipped_templates() / fmt))
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


#: A template is a page or two of text; a larger file is not one.
MAX_TEMPLATE_BYTES = 1024 * 1024


def confined_loader(folder: Path) -> Any:
    """A Jinja loader that opens only regular files whose real path is inside `folder` (no symlink escape)."""
    from jinja2 import BaseLoader, TemplateNotFound, TemplateSyntaxError
    from jinja2.loaders import split_template_path

    from zhidu.cache import read_regular

    base = os.path.realpath(folder)

    class ConfinedLoader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
            pieces = split_template_path(template)  # refuses ".." and empty parts
            path = os.path.join(folder, *pieces)
            if not os.path.lexists(path):
                raise TemplateNotFound(template)
            real = os.path.realpath(path)
            if not real.startswith(base + os.sep):
                raise TemplateSyntaxError(
                    f"模板 {template} 指向模板目录之外（{real}），拒绝读取", 1, template, path
                )
            raw = read_regular(Path(real), MAX_TEMPLATE_BYTES)
            if raw is None:
                raise TemplateSyntaxError(
                    f"模板 {template} 不是普通文件或超过 {MAX_TEMPLATE_BYTES} 字节，拒绝读取",
                    1,
                    template,
                    path,
                )
            try:
                source = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateSyntaxError(f"模板 {template} 不是 UTF-8 编码", 1, template, path) from None
            mtime = os.path.getmtime(real)

            def uptodate() -> bool:
                try:
                    return os.path.getmtime(real) == mtime
                except OSError:
                    return False

            return source, path, uptodate

        def list_templates(self) -> list[str]:
            return sorted(p.name for p in Path(folder).glob("*.j2"))

    return ConfinedLoader()


def _bytecode_cache(cls: type, options: dict[str, Any]) -> Any:
    """Compiled templates under the user cache folder (none when ZHIDU_NO_CACHE is set).

    Loading compiled code runs it, so an entry is used only when its HMAC tag verifies under the user's key
    (zhidu.cache.get_bytes): a planted or edited entry is ignored and the template compiled again. Jinja keys an
    entry by template file and source checksum only, but the compiled code also depends on the environment
    (sandboxed or not, autoescape, whitespace options) and on the Jinja release: each combination gets its own
    kind.
    """
    import hashlib
    import io

    import jinja2

    from zhidu import cache as zcache

    if zcache.cache_dir() is None or zcache.secret() is None:
        return None
    flavour = repr((jinja2.__version__, cls.__name__, sorted(options.items())))
    kind = "jinja/" + hashlib.sha256(flavour.encode()).hexdigest()[:16]

    class AuthenticatedCache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            payload = zcache.get_bytes(kind, f"{bucket.key}.cache")
            if payload is not None:
                bucket.load_bytecode(io.BytesIO(payload))

        def dump_bytecode(self, bucket: Any) -> None:
            buf = io.BytesIO()
            bucket.write_bytecode(buf)
            zcache.put_bytes(kind, f"{bucket.key}.cache", buf.getvalue())

    return AuthenticatedCache()


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
    except RecursionError:
        raise RenderError(f"模板 {fmt}/{name} 递归过深（include、宏或继承互相引用）") from None


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
