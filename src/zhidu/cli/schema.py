"""`zhidu schema`: print or write the JSON Schemas and the field reference."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from zhidu.cli.common import out
from zhidu.errors import EXIT_OK, EXIT_USAGE


def add_parser(sub: Any) -> None:
    """Register the command on the subparsers."""
    s = sub.add_parser("schema", help="输出 JSON Schema")
    s.add_argument(
        "kind", nargs="?", default="regulation", help="notice、regulation、roles、laws、parties、glossary"
    )
    s.add_argument("--write", metavar="DIR", help="把全部 Schema 写入目录")
    s.add_argument("--markdown", metavar="FILE", help="生成字段说明文档（docs/schema.md）")
    s.set_defaults(func=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    from zhidu.atomic import atomic_write, atomic_write_many
    from zhidu.errors import OutputError
    from zhidu.schema import json_schemas, schema_text

    names = sorted(json_schemas())
    try:
        if args.markdown:
            from zhidu.schema import schema_markdown

            atomic_write(Path(args.markdown), schema_markdown().encode("utf-8"))
            out(f"已写出 {args.markdown}")
            return EXIT_OK
        if args.write:
            folder = Path(args.write)
            items = [(folder / f"{n}.schema.json", schema_text(n).encode("utf-8")) for n in names]
            atomic_write_many(items, root=folder)
            out(f"已写出 {len(names)} 个 JSON Schema 到 {folder}")
            return EXIT_OK
    except OSError as e:
        raise OutputError(f"无法写入 {e.filename or args.markdown or args.write}：{e.strerror or e}") from e
    if args.kind not in names:
        sys.stderr.write(f"zhidu: 用法错误: 未知文件类型 {args.kind!r}，可选：{'、'.join(names)}\n")
        return EXIT_USAGE
    out(schema_text(args.kind))
    return EXIT_OK
