"""Reading a file for linting: only regular files, never more than the client would read."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ml_agents.lint import rules
from ml_agents.lint.result import Finding


def read_limited(path: Path, display: str, limit: int) -> tuple[bytes | None, Finding | None]:
    """The file's bytes, or the finding that says why they cannot be used (never over ``limit``)."""
    try:
        # non-blocking, so that opening a FIFO returns at once instead of waiting for a writer
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return None, not_regular(display)
            if info.st_size > limit:
                return None, _too_large(display, info.st_size, limit)
            data = handle.read(limit + 1)
    except OSError as error:
        return None, unreadable(display, error)
    if len(data) > limit:
        return None, _too_large(display, len(data), limit)
    return data, None


def not_regular(display: str) -> Finding:
    return rules.make("CC001", display, 1, 1, "not a regular file, so the client cannot read it")


def unreadable(display: str, error: OSError) -> Finding:
    """The finding for a path that could not be opened or followed."""
    if error.errno == errno.ELOOP:
        return rules.make(
            "CC002", display, 1, 1, "symlink loop: the path resolves back into itself"
        )
    return rules.make("CC001", display, 1, 1, f"cannot read: {error.strerror or error}")


def _too_large(display: str, size: int, limit: int) -> Finding:
    return rules.make(
        "CC003",
        display,
        1,
        1,
        f"the file is {size:,} bytes; Claude Code skips files over {limit:,} bytes",
    )
