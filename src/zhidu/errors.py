"""The whole exception tree. Only `cli.py` catches `ZhiduError`."""

from __future__ import annotations


class ZhiduError(Exception):
    """Base of every expected failure; `category` prefixes the printed message."""

    category = "错误"


class SourceError(ZhiduError):
    """Raised when a policy source cannot be read at all (missing path, not a folder or file)."""

    category = "源文件错误"


class SchemaError(ZhiduError):
    """Raised when validation found errors; the report has already collected them."""

    category = "校验错误"


class RenderError(ZhiduError):
    """Raised when a renderer cannot produce an artifact (bad template, unsupported product)."""

    category = "渲染错误"


class OutputError(ZhiduError):
    """Raised by the writer: path escapes build/, the same path claimed twice, disk failure."""

    category = "输出错误"


class RegistryError(ZhiduError):
    """Raised at import time when a renderer or product name is registered twice."""

    category = "注册错误"


class UsageError(ZhiduError):
    """Raised for a bad command line (unknown format, period, revision)."""

    category = "用法错误"
