"""The one way ml-agents reads a file it did not just write: regular files only, never more than a
limit, never blocking. The linter, the installer and status all read through here, so a FIFO, a
link to ``/dev/zero`` or a 3 GB file costs one ``open`` and one ``fstat``, not a hang or all memory.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

CHUNK = 1 << 20


class NotRegular(OSError):
    """The path is a FIFO, a device, a socket or a folder: nothing to read."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(errno.EINVAL, "not a regular file", str(path))


class TooLarge(OSError):
    """The file holds more than the caller's limit."""

    def __init__(self, path: Path | str, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"{size:,} bytes, over the {limit:,} byte limit", str(path))
        self.size = size


def _open(path: Path | str, *, follow_symlinks: bool) -> int:
    # non-blocking, so that opening a FIFO returns at once instead of waiting for a writer
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)  # a symlink fails with ELOOP
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(path)
        if not follow_symlinks and not hasattr(os, "O_NOFOLLOW") and Path(path).is_symlink():
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_regular(path: Path | str, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises ``NotRegular``, ``TooLarge``, or the ``OSError`` of opening it (``ELOOP`` for a
    symlink when ``follow_symlinks`` is false)."""
    descriptor = _open(path, follow_symlinks=follow_symlinks)
    try:
        size = os.fstat(descriptor).st_size
        if size > limit:
            raise TooLarge(path, size, limit)
        # ask for the size seen (a buffer of ``limit`` bytes costs more than reading a small
        # file), then on to the end: the file may have grown since fstat
        parts = []
        total = 0
        want = size + 1
        while chunk := os.read(descriptor, want):
            parts.append(chunk)
            total += len(chunk)
            if total > limit:
                raise TooLarge(path, total, limit)
            want = min(CHUNK, limit + 1 - total)
    finally:
        os.close(descriptor)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def sha256_regular(path: Path, limit: int) -> str:
    """The SHA-256 of a regular file (not followed when a symlink), read in chunks.

    Raises like ``read_regular``: a file over ``limit`` is refused, not read."""
    descriptor = _open(path, follow_symlinks=False)
    import hashlib  # only here: loading OpenSSL costs a warm lint run about 2 ms

    digest = hashlib.sha256()
    with os.fdopen(descriptor, "rb") as handle:
        size = os.fstat(descriptor).st_size
        if size > limit:
            raise TooLarge(path, size, limit)
        total = 0
        while chunk := handle.read(CHUNK):
            total += len(chunk)
            if total > limit:
                raise TooLarge(path, total, limit)
            digest.update(chunk)
    return digest.hexdigest()
