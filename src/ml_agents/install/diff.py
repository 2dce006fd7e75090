"""``ml-agents diff [NAME]``: your changes to the files we shipped, and what the next install
would bring, as unified diffs.

"Yours" compares the pristine copy of what we shipped with the file on disk; "next install"
compares what we shipped with this package's version of the file. Read only.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

from ml_agents.bounded_read import TooLarge, read_regular
from ml_agents.install.manifest import Manifest
from ml_agents.install.payload import DesiredFile, sha256
from ml_agents.install.pristine import TEXT_LIMIT, read_base


def _read(path: Path) -> bytes | None:
    try:
        return read_regular(path, TEXT_LIMIT, follow_symlinks=False)
    except (TooLarge, OSError):
        return None


def _unified(old: bytes, new: bytes, old_label: str, new_label: str) -> list[str]:
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            old.decode("utf-8", "replace").splitlines(keepends=True),
            new.decode("utf-8", "replace").splitlines(keepends=True),
            old_label,
            new_label,
        )
    ]


def file_names(path: str, prefix: str) -> set[str]:
    """The names ``diff NAME`` accepts for an owned file: the stem, with or without the prefix."""
    stem = Path(path).stem
    return {stem, stem.removeprefix(prefix)} if prefix else {stem}


def diff_lines(
    target: Path, manifest: Manifest, desired: dict[str, DesiredFile], names: set[str]
) -> Iterator[str]:
    """For each owned file (those ``names`` select; all when empty): yours, then next install."""
    for record in sorted(manifest.files):
        if names and not names & file_names(record.path, manifest.prefix):
            continue
        shipped_label = f"{record.path} (ml-agents {manifest.version})"
        current = _read(target / record.path)
        base = read_base(target, record.sha256)
        if base is None and current is not None and sha256(current) == record.sha256:
            base = current  # unchanged, from a version that kept no pristine copy
        if current is None:
            yield f"{record.path}: missing; `ml-agents install` restores it"
        elif base is None:
            yield (
                f"{record.path}: changed, but installed by a version of ml-agents that kept no "
                "copy of what it shipped, so your changes cannot be shown"
            )
        elif current != base:
            yield from _unified(base, current, shipped_label, f"{record.path} (yours)")
        new = desired.get(record.path)
        if new is not None and base is not None and new.data != base:
            yield from _unified(base, new.data, shipped_label, f"{record.path} (next install)")
