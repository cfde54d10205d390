"""The whole exception tree: every failure a user can meet is a `ZhiduError` subclass defined here.

Each class carries its printed `category` and the `exit_code` the command line returns for it; only the `cli`
package turns these exceptions into exit codes (by type, through `exit_code`). Any other exception is a bug and
keeps its traceback.
"""

from __future__ import annotations

#: Exit statuses shared by every command: findings (or a failed check) are 1, a command that could not run is 2.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class ZhiduError(Exception):
    """Base of every expected failure; `category` prefixes the printed message."""

    category = "错误"
    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        #: Located diagnostics that explain the failure, printed before the message.
        self.details = details


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
    exit_code = EXIT_USAGE


class ImportFailure(ZhiduError):
    """Raised when `zhidu import` cannot read its input or would overwrite a file."""

    category = "导入错误"


class VerifyInputError(ZhiduError):
    """Raised when `zhidu verify` gets something that is not a readable .docx (or cannot render it)."""

    category = "无法检查"
    exit_code = EXIT_USAGE


class RevisionError(ZhiduError):
    """Raised when a side of a comparison (a folder or PATH@GITREV) cannot be read or loaded."""

    category = "无法比较"
    exit_code = EXIT_USAGE
