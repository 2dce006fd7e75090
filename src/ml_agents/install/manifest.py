"""The ownership manifest: which files in a ``.claude`` folder ml-agents wrote, and what it wrote.

It lives in the target folder as ``.ml-agents-manifest.json`` (the client loads only ``*.md`` under
``agents/`` and ``commands/``, so it never sees it). A file is ours exactly while it is listed here
with the hash of the bytes we wrote; once its bytes differ, it is the user's. The manifest is always
written last, so it never claims a file that is not on disk as recorded.

The journal (``.ml-agents-journal.json``) is written before an install creates folders, so a run
that is killed before its manifest is written still knows, on the next run, which folders it made.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any, NamedTuple

MANIFEST_NAME = ".ml-agents-manifest.json"
JOURNAL_NAME = ".ml-agents-journal.json"
LOCK_NAME = ".ml-agents.lock"
FORMAT_VERSION = 1
NEW_SUFFIX = ".ml-agents-new"
MERGE_SUFFIX = ".ml-agents-merge"
PRISTINE_DIR = ".ml-agents-pristine"
BACKUP_MARK = ".ml-agents-backup-"
TEMP_MARK = ".ml-agents-tmp-"
OWNED_FOLDERS = ("agents", "commands")


class OwnedFile(NamedTuple):
    path: str
    """Relative to the target, ``/``-separated, e.g. ``agents/data-scientist.md``."""
    sha256: str


class SideFile(NamedTuple):
    """A new version written beside a file the user changed (``<path>.ml-agents-new``)."""

    path: str
    sha256: str
    beside: str


class Manifest(NamedTuple):
    version: str
    prefix: str
    files: tuple[OwnedFile, ...]
    side_files: tuple[SideFile, ...]
    created_dirs: tuple[str, ...]
    """Folders this tool created (``.`` is the target itself), removed by uninstall when empty."""
    backups: tuple[str, ...]
    """Backups of your files made by ``--force``: yours, never removed, listed by ``status``."""
    pristine: tuple[str, ...] = ()
    """Copies of files as shipped (``pristine.py``), the base of a merge (older versions: none)."""


class ManifestError(Exception):
    """The manifest (or journal) exists but cannot be trusted; the message says why."""


EMPTY = Manifest("", "", (), (), (), ())


def is_safe_relative(path: str, *, allow_root: bool = False) -> bool:
    """A ``/``-separated path inside an owned folder: no ``..``, no absolute path, no backslash."""
    if allow_root and path == ".":
        return True
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return False
    if posixpath.normpath(path) != path:
        return False
    parts = path.split("/")
    return parts[0] in OWNED_FOLDERS and ".." not in parts


def is_pristine_path(path: str) -> bool:
    """``.ml-agents-pristine/<sha256 hex>``: a copy in the pristine store."""
    folder, _, name = path.partition("/")
    return folder == PRISTINE_DIR and re.fullmatch(r"[0-9a-f]{64}", name) is not None


def read_manifest(target: Path) -> Manifest | None:
    """The manifest in ``target``, ``None`` when there is none. Raises ``ManifestError``."""
    path = target / MANIFEST_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ManifestError(f"cannot read {path}: {error.strerror}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        return _from_json(data)
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise ManifestError(
            f"{path} is damaged ({error}); move it aside and run `ml-agents install` again"
        ) from None


def _from_json(data: Any) -> Manifest:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if data.get("tool") != "ml-agents":
        raise ValueError("not written by ml-agents")
    if not isinstance(data.get("format"), int) or data["format"] > FORMAT_VERSION:
        raise ValueError(f"format {data.get('format')!r} is newer than this ml-agents understands")
    files = tuple(OwnedFile(str(f["path"]), str(f["sha256"])) for f in data["files"])
    side_files = tuple(
        SideFile(str(f["path"]), str(f["sha256"]), str(f["beside"]))
        for f in data.get("side_files", [])
    )
    created = tuple(str(d) for d in data.get("created_dirs", []))
    backups = tuple(str(b) for b in data.get("backups", []))
    for path in [f.path for f in files] + [f.path for f in side_files] + list(backups):
        if not is_safe_relative(path):
            raise ValueError(f"unsafe path {path!r}")
    for path in created:
        if not is_safe_relative(path, allow_root=True):
            raise ValueError(f"unsafe folder {path!r}")
    pristine = tuple(str(p) for p in data.get("pristine", []))
    for path in pristine:
        if not is_pristine_path(path):
            raise ValueError(f"unsafe pristine copy {path!r}")
    prefix = str(data.get("prefix", ""))
    return Manifest(str(data["version"]), prefix, files, side_files, created, backups, pristine)


def manifest_bytes(manifest: Manifest) -> bytes:
    """Deterministic JSON (sorted, no timestamps), so an unchanged install rewrites nothing."""
    data = {
        "tool": "ml-agents",
        "format": FORMAT_VERSION,
        "version": manifest.version,
        "prefix": manifest.prefix,
        "files": [{"path": f.path, "sha256": f.sha256} for f in sorted(manifest.files)],
        "side_files": [
            {"path": f.path, "sha256": f.sha256, "beside": f.beside}
            for f in sorted(manifest.side_files)
        ],
        "created_dirs": sorted(set(manifest.created_dirs)),
        "backups": sorted(set(manifest.backups)),
        "pristine": sorted(set(manifest.pristine)),
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_journal(target: Path) -> tuple[str, ...]:
    """Folders a run announced it would create; empty when there is no journal."""
    path = target / JOURNAL_NAME
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        dirs = tuple(str(d) for d in data["created_dirs"])
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise ManifestError(f"{path} is damaged ({error}); delete it and run again") from None
    return tuple(d for d in dirs if is_safe_relative(d, allow_root=True))


def journal_bytes(created_dirs: tuple[str, ...]) -> bytes:
    return (json.dumps({"tool": "ml-agents", "created_dirs": sorted(created_dirs)}) + "\n").encode()
