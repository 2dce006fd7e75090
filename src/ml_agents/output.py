"""Writing to the terminal honestly: a reader who stops reading is not a failure, and what a user
typed is echoed back in a bounded length.

Imports no third-party module, so a plain ``ml-agents lint`` never loads click.
"""

from __future__ import annotations

import os
import re
import sys


class UserError(Exception):
    """A problem the user can fix (a setting, a missing file), shown as one line by ``cli.main``:
    ``ml-agents: error: <message>``, exit status ``exit_code``."""

    exit_code = 2


# longer than any real path component chain a user would type; what is longer is clipped
WORD_LIMIT = 256
MESSAGE_LIMIT = 1000
LONG_WORD_RE = re.compile(rf"\S{{{WORD_LIMIT + 1},}}")


def say(text: str = "", *, err: bool = False) -> None:
    """One line to stdout (or stderr) that survives a closed stream (``ml-agents install |
    head -1``): the rest of that stream's output is dropped, the run goes on, and its exit code
    says how the work went, not whether someone read about it."""
    stream = sys.stderr if err else sys.stdout
    line = f"{text}\n"
    try:
        try:
            stream.write(line)
        except UnicodeEncodeError:  # a path the terminal's encoding cannot show
            encoding = getattr(stream, "encoding", None) or "utf-8"
            stream.write(line.encode(encoding, "backslashreplace").decode(encoding))
        stream.flush()
    except BrokenPipeError:
        discard(stream)


def discard(stream: object) -> None:
    """Point ``stream``'s file descriptor at the null device, so later writes, and the flush at
    exit, go nowhere instead of failing again."""
    fileno = getattr(stream, "fileno", None)
    if fileno is None:
        return
    try:
        fd = fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):
        return
    os.dup2(null, fd)
    os.close(null)


def clip(text: str, limit: int = WORD_LIMIT) -> str:
    """``text`` when at most ``limit`` characters, else its start and end around the number of
    characters left out (about ``limit`` characters in all)."""
    if len(text) <= limit:
        return text
    head, tail = limit * 2 // 3, limit // 4
    return f"{text[:head]}…[{len(text) - head - tail:,} characters]…{text[-tail:]}"


def clipped_message(message: str) -> str:
    """An error message with every overlong word (the echo of a long option value) clipped,
    and the whole bounded by ``MESSAGE_LIMIT``."""
    return clip(LONG_WORD_RE.sub(lambda match: clip(match.group(0)), message), MESSAGE_LIMIT)
