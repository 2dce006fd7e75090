"""The ownership manifest: which files in a ``.claude`` folder ml-agents wrote, and what it wrote.

It lives in the target folder as ``.ml-agents-manifest.json`` (the client loads only ``*.md`` under
``agents/`` and ``commands/``, so it never sees it). A file is ours exactly while it is listed here
with the hash of the bytes we wrote; once its bytes differ, it is the user's. The manifest is always
written last, so it never claims a file that is not on disk as recorded.

Both are checked against their JSON Schemas in ``schemas/`` on every read.

The journal (``.ml-agents-journal.json``) is written before an install creates folders, so a run
that is killed before its manifest is written still knows, on the next run, which folders it made.
"""

from __future__ import annotations

import errno
import json
import posixpath
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from ml_agents.bounded_read import NotRegular, TooLarge, read_regular

MANIFEST_NAME = ".ml-agents-manifest.json"
JOURNAL_NAME = ".ml-agents-journal.json"
LOCK_NAME = ".ml-agents.lock"
FORMAT_VERSION = 1
NEW_SUFFIX = ".ml-agents-new"
MERGE_SUFFIX = ".ml-agents-merge"
PRISTINE_DIR = ".ml-agents-pristine"
BACKUP_MARK = ".ml-agents-backup-"
TEMP_MARK = ".ml-agents-tmp-"
OWNED_FOLDERS = ("agents", "commands", "workflows")
MANIFEST_SCHEMA = "install-manifest"
JOURNAL_SCHEMA = "install-journal"


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


MAX_RECORD_BYTES = 4 << 20
"""The manifest and the journal list a few dozen paths; anything larger is not ours."""


def _load(path: Path, schema: str, what: str) -> Any:
    """The JSON in one of our own files, checked against ``schemas/<schema>.schema.json``;
    ``None`` when there is no such file. Never follows a symlink, never reads more than
    ``MAX_RECORD_BYTES``, never blocks. Raises ``ManifestError`` with the advice ``what``."""
    try:
        raw = read_regular(path, MAX_RECORD_BYTES, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            reason = "is a symlink; ml-agents never reads or writes its own files through one"
        elif isinstance(error, (NotRegular, TooLarge)):
            reason = f"is damaged ({error.strerror})"
        else:
            raise ManifestError(f"cannot read {path}: {error.strerror}") from None
        raise ManifestError(f"{path} {reason}; {what}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        problem = _schema_problem(data, schema)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        # ValueError covers bad JSON and integers over the interpreter's digit limit
        problem = _short(str(error) or type(error).__name__)
    if problem:
        raise ManifestError(f"{path} is damaged ({problem}); {what}")
    return data


def _schema_problem(data: Any, schema: str) -> str:
    """Why ``data`` fails the schema (the first error, shortened), or ``""``."""
    if isinstance(data, dict) and schema == MANIFEST_SCHEMA:
        version = data.get("format")
        if type(version) is int and version > FORMAT_VERSION:
            return f"format {version} is newer than this ml-agents understands"
    import jsonschema  # type: ignore[import-untyped]  # only when a manifest exists: it is slow

    validator = jsonschema.Draft202012Validator(_schema(schema))
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return ""
    where = error.json_path if error.json_path != "$" else "the document"
    return _short(f"{where}: {error.message}")


@cache
def _schema(name: str) -> Any:
    from ml_agents.bundle import schema_path

    return json.loads(schema_path(name).read_text(encoding="utf-8"))


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_manifest(target: Path) -> Manifest | None:
    """The manifest in ``target``, ``None`` when there is none. Raises ``ManifestError``."""
    path = target / MANIFEST_NAME
    data = _load(path, MANIFEST_SCHEMA, "move it aside and run `ml-agents install` again")
    if data is None:
        return None
    try:
        return _from_json(data)
    except ValueError as error:
        raise ManifestError(
            f"{path} is damaged ({error}); move it aside and run `ml-agents install` again"
        ) from None


def _from_json(data: dict[str, Any]) -> Manifest:
    """A manifest the schema accepted; raises ``ValueError`` for a path that leaves our folders."""
    files = tuple(OwnedFile(f["path"], f["sha256"]) for f in data["files"])
    side_files = tuple(
        SideFile(f["path"], f["sha256"], f["beside"]) for f in data.get("side_files", [])
    )
    created = tuple(data.get("created_dirs", []))
    backups = tuple(data.get("backups", []))
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
    return Manifest(
        data["version"], data.get("prefix", ""), files, side_files, created, backups, pristine
    )


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
    data = _load(target / JOURNAL_NAME, JOURNAL_SCHEMA, "delete it and run again")
    if data is None:
        return ()
    return tuple(d for d in data["created_dirs"] if is_safe_relative(d, allow_root=True))


def journal_bytes(created_dirs: tuple[str, ...]) -> bytes:
    return (json.dumps({"tool": "ml-agents", "created_dirs": sorted(created_dirs)}) + "\n").encode()
