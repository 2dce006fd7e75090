"""Three-way merge of a user's edited file with a new release, through ``merge3``.

Base is what we shipped before (the pristine copy), theirs the user's file, ours the new release.
Lines are compared as bytes, so a file that is not UTF-8 merges like any other.
"""

from __future__ import annotations

from typing import NamedTuple


class Merged(NamedTuple):
    data: bytes
    """The merged file; with conflict markers when ``conflicts`` is above zero."""
    conflicts: int


def merge(base: bytes, theirs: bytes, ours: bytes, *, new_version: str) -> Merged:
    """Merge ``ours`` into ``theirs``; overlapping edits become conflict regions with markers
    naming the user's side and our release."""
    if all(side.endswith(b"\n") for side in (base, theirs, ours) if side):
        return _merge3(base, theirs, ours, new_version)
    # a last line without its newline differs from the same line with one, and would glue a
    # conflict marker onto it: merge whole lines, then end as the user's and our versions end
    merged = _merge3(_with_newline(base), _with_newline(theirs), _with_newline(ours), new_version)
    if not any(side.endswith(b"\n") for side in (theirs, ours)):
        return merged._replace(data=merged.data.removesuffix(b"\n"))
    return merged


def _with_newline(data: bytes) -> bytes:
    return data if not data or data.endswith(b"\n") else data + b"\n"


def _merge3(base: bytes, theirs: bytes, ours: bytes, new_version: str) -> Merged:
    import merge3  # only an update of an edited file pays for its import (about 20 ms)

    m3 = merge3.Merge3(
        base.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
        ours.splitlines(keepends=True),
    )
    conflicts = sum(group[0] == "conflict" for group in m3.merge_groups())
    lines = m3.merge_lines(
        name_a=b"yours",
        name_b=f"ml-agents {new_version}".encode(),
        start_marker=b"<<<<<<<",
        mid_marker=b"=======",
        end_marker=b">>>>>>>",
    )
    return Merged(b"".join(lines), conflicts)
