"""Reading a file for linting: only regular files, never more than the client would read."""

from __future__ import annotations

import errno
from pathlib import Path

from ml_agents.bounded_read import NotRegular, TooLarge, read_regular
from ml_agents.lint import rules
from ml_agents.lint.result import Finding


def read_limited(path: Path | str, display: str, limit: int) -> tuple[bytes | None, Finding | None]:
    """The file's bytes, or the finding that says why they cannot be used (never over ``limit``)."""
    try:
        return read_regular(path, limit), None
    except NotRegular:
        return None, not_regular(display)
    except TooLarge as error:
        return None, _too_large(display, error.size, limit)
    except OSError as error:
        return None, unreadable(display, error)


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
