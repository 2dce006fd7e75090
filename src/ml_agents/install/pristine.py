"""Pristine copies: every file exactly as ml-agents shipped it, the base of a three-way merge.

They live in ``<target>/.ml-agents-pristine/<sha256>``: a hidden folder beside ``agents/`` and
``commands/``, with names that are not ``*.md``, so the client never loads one. Naming each copy
by the hash of its bytes means a new copy never overwrites the one the current manifest points at:
a run killed before it writes its manifest still finds its old base, and copies no manifest lists
any more are removed only after the new manifest is written (or by the next run).
"""

from __future__ import annotations

from pathlib import Path

from ml_agents.bounded_read import TooLarge, read_regular
from ml_agents.install.fsops import is_temp_name
from ml_agents.install.manifest import PRISTINE_DIR, is_pristine_path
from ml_agents.install.payload import sha256

TEXT_LIMIT = 1 << 20
"""The most the merge and ``diff`` read of a file: the client skips larger agent files, and nothing
we ship is near it; a larger file keeps today's side-file behaviour."""


def pristine_path(digest: str) -> str:
    """The copy of the bytes whose SHA-256 is ``digest``, relative to the target."""
    return f"{PRISTINE_DIR}/{digest}"


def read_base(target: Path, digest: str) -> bytes | None:
    """The shipped bytes with this hash, or ``None`` when no intact copy is kept (an install by
    an older version, or a copy someone changed)."""
    path = target / pristine_path(digest)
    try:
        data = read_regular(path, TEXT_LIMIT, follow_symlinks=False)
    except (TooLarge, OSError):
        return None
    return data if sha256(data) == digest else None


def stored(target: Path) -> list[str]:
    """Every copy in the store (relative paths), whoever lists it."""
    try:
        names = [entry.name for entry in (target / PRISTINE_DIR).iterdir()]
    except OSError:
        return []
    return sorted(pristine_path(n) for n in names if is_pristine_path(pristine_path(n)))


def foreign_entries(target: Path) -> list[str]:
    """Entries in the store that ml-agents did not make (kept, so the folder stays)."""
    try:
        names = [entry.name for entry in (target / PRISTINE_DIR).iterdir()]
    except OSError:
        return []
    return sorted(
        n for n in names if not is_pristine_path(pristine_path(n)) and not is_temp_name(n)
    )
