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


#: What an operating-system error means, in words a clerk can act on (strerror is English).
_OS_REASONS = {
    "ENOENT": "文件或目录不存在",
    "EACCES": "没有访问权限",
    "EPERM": "操作不被允许（权限不足）",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额",
    "EISDIR": "这是一个目录，不是文件",
    "ENOTDIR": "路径中有一段不是目录",
    "EROFS": "文件系统只读",
    "EEXIST": "已存在同名文件",
    "ENAMETOOLONG": "文件名过长",
    "EMFILE": "打开的文件过多",
    "EBUSY": "文件正被占用",
    "ETXTBSY": "文件正被占用",
    "ELOOP": "符号链接层数过多（可能循环）",
    "EIO": "读写设备出错",
    "EXDEV": "不能跨磁盘移动文件",
}


def os_reason(e: OSError) -> str:
    """An OSError in Chinese (its own strerror is English), e.g. “没有访问权限”."""
    import errno

    name = errno.errorcode.get(e.errno or 0, "")
    return _OS_REASONS.get(name, f"系统错误（错误码 {e.errno}）" if e.errno else "系统错误")
