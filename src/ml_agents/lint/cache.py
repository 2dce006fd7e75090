"""The lint result cache: an unchanged file is not parsed or checked again.

One cache file per *run key* lives in ``.ml-agents-cache/`` at the project root (the git root, or
the current folder), like ruff's and mypy's; ``ML_AGENTS_CACHE_DIR`` or ``--cache-dir`` moves it.
The folder holds a ``.gitignore`` of ``*`` and a ``CACHEDIR.TAG``, so git and backup tools skip it
without the user doing anything.

The run key covers everything every result depends on: the linter's version and the size and
mtime of its own modules (an edited checkout is a different linter), the schema folder in use (its
files' bytes) and the caller's extra parts (the configuration's fingerprint). A different key is a
different cache file, so switching back and forth costs nothing. Within a file, an entry is found
by the file's real path and used only when its digest matches: the file's bytes, its kind, its
path and the folders that give it its place (anchor, plugin root). Results that depend on other
files record the probes they made (``Probe``), re-checked before the entry is trusted.

Reading and hashing every file is most of a warm run, so an entry also records the file's status
(size, mtime, ctime, inode) once the file has been left alone for ``SETTLED_NS``; a file whose
status and place are exactly those recorded is not read again. Any write changes the ctime, which
no user tool can set back.

Whatever goes wrong with the cache (unwritable folder, truncated or corrupt file, a concurrent
writer), lint still runs and reports the same findings, only slower: a cache may make a run
faster, never different. The file is JSON (no unpickling of what someone else may have written),
prefixed with the BLAKE2b digest of its body (digest.py), and replaced atomically.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NamedTuple

from ml_agents.lint.deps import CTIME, repository_root, status
from ml_agents.lint.digest import hex_hash, new_hash

FORMAT = 4
CACHE_SIZE_LIMIT = 256 * 1024 * 1024
SETTLED_NS = 2_000_000_000
"""A file whose status changed this long before a run starts is known by its status: any later
write changes its ctime to a later tick, even on a file system with one-second timestamps. A file
changed more recently is read and hashed (the "racy clean" case in git)."""
FOLDER_NAME = ".ml-agents-cache"
ENV_FOLDER = "ML_AGENTS_CACHE_DIR"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by ml-agents.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_SOURCE_SUFFIXES = (".py",)


class Probe(NamedTuple):
    """A question a checker asked the file system (``is_dir`` of a path) and its answer."""

    path: str
    question: str
    answer: bool


def default_folder(cwd: Path) -> Path:
    """Where the cache lives: ``$ML_AGENTS_CACHE_DIR``, else ``.ml-agents-cache`` at the root of
    the git work tree holding ``cwd`` (or ``cwd`` outside one)."""
    chosen = os.environ.get(ENV_FOLDER)
    if chosen:
        return Path(chosen)
    return repository_root(cwd.absolute()) / FOLDER_NAME


def file_digest(kind: str, place: Sequence[str], data: bytes) -> str:
    """What an entry must match: the file's bytes and everything about where it lives."""
    head = "\0".join((kind, *place)).encode("utf-8", "surrogatepass")  # paths hold no NUL
    digest = new_hash(b"%d\0%b\0" % (len(head), head))
    digest.update(data)
    return digest.hexdigest()[:32]


def run_key(extra: Sequence[str] = ()) -> str:
    """The linter's version and source, the schemas in use, and ``extra`` (configuration)."""
    from ml_agents import __version__

    digest = new_hash(f"ml-agents lint cache {FORMAT} {__version__}".encode())
    # the linter's own source by status (an edit changes its size or mtime, and reading ~50
    # modules on every run would cost more than linting one file); the schemas by their bytes
    for label, folder, suffixes, by_bytes in (
        ("source", Path(__file__).resolve().parents[1], _SOURCE_SUFFIXES, False),
        ("schemas", schema_folder(), (".json",), True),
    ):
        digest.update(f"\0{label}\0".encode())
        _digest_folder(digest, folder, suffixes, by_bytes=by_bytes)
    for part in extra:
        digest.update(b"\0extra\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def schema_folder() -> Path | None:
    """The schema folder lint validates against: ``$ML_AGENTS_SCHEMA_DIR`` or the bundle's."""
    from ml_agents.lint import contract

    try:
        return contract.schema_folder()
    except (FileNotFoundError, OSError):
        return None


def _digest_folder(
    digest: Any, folder: Path | None, suffixes: tuple[str, ...], *, by_bytes: bool
) -> None:
    """Every file under ``folder`` with one of ``suffixes``, in a stable order: its name, and its
    bytes (``by_bytes``) or its size and modification time."""
    if folder is None:
        digest.update(b"\0none")
        return
    pending = [("", str(folder))]
    while pending:
        relative, path = pending.pop()
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            digest.update(f"\0{relative}\0unlistable".encode("utf-8", "surrogatepass"))
            continue
        subfolders = []
        for entry in entries:
            name = f"{relative}{entry.name}"
            if entry.is_dir():
                if entry.name != "__pycache__":
                    subfolders.append((f"{name}/", entry.path))
                continue
            if not entry.name.endswith(suffixes):
                continue
            try:
                if by_bytes:
                    data = Path(entry.path).read_bytes()
                else:
                    info = entry.stat()
                    data = f"{info.st_size}\0{info.st_mtime_ns}".encode()
            except OSError:
                data = b"\0unreadable"
            digest.update(f"\0{name}\0{len(data)}\0".encode("utf-8", "surrogatepass"))
            digest.update(data)
        pending.extend(reversed(subfolders))


_recorded: list[list[Probe]] = []
_QUESTIONS = {"exists": os.path.exists, "is_dir": os.path.isdir, "is_file": os.path.isfile}


@contextmanager
def recording() -> Iterator[list[Probe]]:
    """Collect the questions ``ProbedPath`` objects are asked within the block."""
    probes: list[Probe] = []
    _recorded.append(probes)
    try:
        yield probes
    finally:
        _recorded.pop()


if sys.platform == "win32":
    from pathlib import WindowsPath as _ConcretePath
else:
    from pathlib import PosixPath as _ConcretePath


class ProbedPath(_ConcretePath):
    """A path (and every path derived from it) whose existence questions are recorded while
    ``recording()``: a checker that asks whether ``root / "agents"`` is a folder gets a result
    cached with that question and its answer, and re-checked on every later run."""

    # answered as probes_hold() re-checks them, through symlinks, any error meaning False
    def exists(self, *args: Any, **kwargs: Any) -> bool:
        return self._asked("exists")

    def is_dir(self, *args: Any, **kwargs: Any) -> bool:
        return self._asked("is_dir")

    def is_file(self, *args: Any, **kwargs: Any) -> bool:
        return self._asked("is_file")

    def _asked(self, question: str) -> bool:
        path = str(self)
        answer = _QUESTIONS[question](path)
        if _recorded:
            _recorded[-1].append(Probe(path, question, answer))
        return answer

    def __getattribute__(self, name: str) -> Any:
        # any other look at the file system cannot be re-checked cheaply: never reuse the result
        if name in _UNCHECKED and _recorded:
            _recorded[-1].append(Probe(str(self), UNCHECKED, False))
        return super().__getattribute__(name)


UNCHECKED = "unchecked"
_UNCHECKED = frozenset(
    {
        "stat",
        "lstat",
        "open",
        "read_text",
        "read_bytes",
        "iterdir",
        "glob",
        "rglob",
        "walk",
        "is_symlink",
        "readlink",
        "samefile",
        "owner",
        "group",
    }
)


def probes_hold(probes: Sequence[Sequence[Any]]) -> bool:
    """Whether every recorded file-system question still has the same answer."""
    for path, question, answer in probes:
        if question not in _QUESTIONS or _QUESTIONS[question](path) != answer:
            return False
    return True


class ResultCache:
    """Per-file lint results of one run key, read once and written once (when something changed)."""

    def __init__(self, folder: Path, extra: Sequence[str] = ()) -> None:
        self.folder = folder
        self.extra = tuple(extra)
        self.key = ""
        self.path = folder
        self.entries: dict[str, list[Any]] = {}
        self.changed = False
        self.loaded = False
        self.started_ns = 0

    def run_key(self) -> str:
        """The run key (computed once), without reading the cache file."""
        if not self.key:
            self.key = run_key(self.extra)
        return self.key

    def load(self) -> None:
        """Compute the run key and read the cache file (once; the engine times it)."""
        if not self.loaded:
            self.path = self.folder / f"lint-{self.run_key()}.json"
            self.entries = _load(self.path, self.key)
            self.started_ns = time.time_ns()
            self.loaded = True

    def get(self, file_key: str, digest: str) -> Any | None:
        """The stored result for this file, if it was stored for exactly these bytes and place."""
        self.load()
        entry = self.entries.get(file_key)
        if entry is None or len(entry) != 3 or entry[0] != digest:
            return None
        return entry[1]

    def quick_key(self, kind: str, place: Sequence[str], path: str) -> str | None:
        """The file's place and status (``deps.status``), when the file has been left alone long
        enough for its status to tell any later change (see ``SETTLED_NS``), else None."""
        self.load()
        known = status(path)
        if known is None or known[CTIME] >= self.started_ns - SETTLED_NS:
            return None
        return file_digest(kind, (*place, *map(str, known)), b"")

    def get_quick(self, file_key: str, quick: str) -> Any | None:
        """The stored result for this file, if its status is the one recorded with it."""
        entry = self.entries.get(file_key)
        if entry is None or len(entry) != 3 or entry[2] != quick:
            return None
        return entry[1]

    def put(self, file_key: str, digest: str, encoded: Any, quick: str | None = None) -> None:
        self.load()
        self.entries[file_key] = [digest, encoded, quick]
        self.changed = True

    def settle(self, file_key: str, quick: str | None) -> None:
        """Record the status of a file found unchanged by its bytes, for the next run."""
        entry = self.entries.get(file_key)
        if quick is not None and entry is not None and len(entry) == 3 and entry[2] != quick:
            entry[2] = quick
            self.changed = True

    def forget(self, file_key: str) -> None:
        self.load()
        if self.entries.pop(file_key, None) is not None:
            self.changed = True

    def save(self) -> None:
        """Write the cache if anything changed; any failure leaves lint uncached, silently."""
        if not self.changed or not self.loaded:
            return
        document = {"format": FORMAT, "key": self.key, "entries": self.entries}
        write_checked(self.folder, self.path, document)
        self.changed = False
        prune(self.folder, "lint-", KEPT_CACHES)


KEPT_CACHES = 8
"""Cache files kept in a folder (one per linter version, schema folder and configuration); the
least recently written go first."""


def prune(folder: Path, prefix: str, kept: int) -> None:
    """Delete all but the ``kept`` most recently written ``<prefix>*.json`` files in ``folder``."""
    try:
        with os.scandir(folder) as listing:
            found = [
                (entry.stat().st_mtime_ns, entry.path)
                for entry in listing
                if entry.name.startswith(prefix) and entry.name.endswith(".json")
            ]
    except OSError:
        return
    for _, path in sorted(found)[:-kept]:
        with suppress(OSError):
            os.unlink(path)  # noqa: PTH108


def write_checked(folder: Path, path: Path, document: object) -> None:
    """Write ``document`` as JSON prefixed with its digest, replacing ``path`` atomically;
    any failure leaves the old file (or none), silently."""
    # ensure_ascii: any string, even a lone surrogate, round-trips
    body = json.dumps(document, separators=(",", ":")).encode("ascii")
    payload = hex_hash(body).encode() + b"\n" + body
    import tempfile  # only when writing: it imports shutil, bz2, lzma and random

    try:
        _prepare(folder)
        descriptor, temporary = tempfile.mkstemp(prefix=".lint-", dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
        # readers see the old file or the new one, never half of one
        Path(temporary).replace(path)
    except OSError:
        with suppress(OSError):
            Path(temporary).unlink()


def read_checked(path: Path) -> Any:
    """What ``write_checked`` wrote at ``path``, or None when it is missing, unreadable or not
    intact (a FIFO or a huge file planted under its name must not hang or fill memory)."""
    from ml_agents.bounded_read import read_regular

    try:
        payload = read_regular(path, CACHE_SIZE_LIMIT)
    except OSError:
        return None
    checksum, _, body = payload.partition(b"\n")
    if hex_hash(body).encode() != checksum:
        return None
    try:
        return json.loads(body.decode("ascii"))
    except (ValueError, RecursionError):
        return None


def open_cache(folder: Path, extra: Sequence[str] = ()) -> ResultCache:
    """The cache in ``folder`` for the current linter, schemas and ``extra`` key parts (such as
    ``Config.fingerprint()``); nothing is read until the engine asks."""
    return ResultCache(folder, extra)


def _load(path: Path, key: str) -> dict[str, list[Any]]:
    """The entries of a cache file, or none when it is missing, unreadable or not intact."""
    document = read_checked(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return {}
    entries = document.get("entries")
    if document.get("key") != key or not isinstance(entries, dict):
        return {}
    return entries


def _prepare(folder: Path) -> None:
    """Create the cache folder with its ``.gitignore`` and ``CACHEDIR.TAG`` (once)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (
        (".gitignore", "# created by ml-agents\n*\n"),
        ("CACHEDIR.TAG", CACHEDIR_TAG),
    ):
        marker = folder / name
        if not marker.exists():
            marker.write_text(text, encoding="utf-8")
