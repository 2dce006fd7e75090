"""What discovery and the cross-file checks learn from the file system beyond the linted files.

Discovery (which folders it lists, what it finds at a path, whether a folder is a repository or
plugin root, the README heads it reads) and the cross-file checks (a folder's agents, a plugin.json
read though it is not linted) ask through ``ask``. While ``recording``, each question and its
answer are kept, so a replayed run (replay.py) can ask them again and trust its stored report only
when every answer is still the same. A folder is asked for its ``status``: its change time moves
whenever an entry in it is added, removed or renamed, so one ``stat`` stands for its listing.
Answers are plain JSON values.
"""

# String paths: these run once per folder or file.
# ruff: noqa: PTH118

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

Answers = dict[tuple[str, str], Any]


# What discovery and the checks ask most, answered here so that a replay need not load them.


def repository_root(cwd: Path) -> Path:
    """The enclosing git work tree, or ``cwd`` itself outside one."""
    for folder in (cwd, *cwd.parents):
        if ask("exists", str(folder / ".git")):
            return folder
    return cwd


@lru_cache(maxsize=1024)
def has_plugin_manifest(folder: str) -> bool:
    return bool(ask("is_file", os.path.join(folder, ".claude-plugin", "plugin.json")))


def plugin_root_of(anchor: Path | None) -> Path | None:
    """The plugin root for a component folder, if the folder sits in a plugin with a manifest."""
    if anchor is None:
        return None
    root = anchor.parent
    if root.name == ".claude":
        return None
    return root if has_plugin_manifest(str(root)) else None


def _folders(folder: str) -> Iterator[tuple[str, list[str]]]:
    """Each folder under ``folder`` with its file names, as ``markdown_files`` sees them: hidden
    folders skipped, symlinked folders not followed, in sorted order."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        yield dirpath, sorted(filenames)


@lru_cache(maxsize=256)
def markdown_files(folder: str) -> tuple[str, ...]:
    """Every *.md file under ``folder`` (symlinked folders are not followed), sorted."""
    return tuple(
        os.path.join(dirpath, name)
        for dirpath, names in _folders(folder)
        for name in names
        if name.lower().endswith(".md")
    )


@cache
def real_folder(folder: str) -> str:
    """A folder's real path, asked once per run (``clear_caches`` starts a run)."""
    return str(ask("real_path", folder))


def clear_caches() -> None:
    has_plugin_manifest.cache_clear()
    markdown_files.cache_clear()
    real_folder.cache_clear()


def status(path: str) -> list[int] | None:
    """What a ``stat`` through symlinks tells of a path: its type, size, modification and change
    times (any write changes a file's; an entry added, removed or renamed a folder's) and its
    identity; None when it cannot be reached."""
    try:
        info = os.stat(path)  # noqa: PTH116 - string paths: this runs for every file
    except OSError:
        return None
    return [
        info.st_mode,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
        info.st_ino,
        info.st_dev,
    ]


def _plugin_root(folder: str) -> str | None:
    root = plugin_root_of(Path(folder))
    return None if root is None else str(root)


def _markdown_files(folder: str) -> list[str]:
    return list(markdown_files(folder))


def _repository_root(folder: str) -> str:
    return str(repository_root(Path(folder)))


UNTRACKED = "untracked"
CTIME = 3
"""The index of the change time in a ``status`` answer."""

QUESTIONS: dict[str, Callable[[str], Any]] = {
    "markdown_files": _markdown_files,
    "plugin_root": _plugin_root,
    "repository_root": _repository_root,
    "real_folder": real_folder,
    "real_path": os.path.realpath,
    "is_dir": os.path.isdir,
    "is_file": os.path.isfile,
    "exists": os.path.exists,
    "lexists": os.path.lexists,
    "status": status,
    UNTRACKED: lambda _: False,  # never the same again: see ``untracked``
}

_recording: list[Answers] = []


@contextmanager
def recording() -> Iterator[Answers]:
    """Keep the questions asked within the block, and their answers."""
    answers: Answers = {}
    _recording.append(answers)
    try:
        yield answers
    finally:
        _recording.pop()


def ask(question: str, subject: str) -> Any:
    answer = QUESTIONS[question](subject)
    if _recording:
        _recording[-1][(question, subject)] = answer
    return answer


def untracked(reason: str) -> None:
    """Note that the answer just learnt cannot be asked again cheaply (an error whose wording
    depends on more than a status): a run that notes it is never replayed."""
    if _recording:
        _recording[-1][(UNTRACKED, reason)] = True


def folder_tree(folder: str) -> list[list[Any]]:
    """Every folder ``markdown_files`` lists under ``folder``, each with its ``status``: while
    none of them changes, neither does the list of files (see ``settled_form``)."""
    return [[dirpath, status(dirpath)] for dirpath, _ in _folders(folder)]


def settled_form(answers: Answers) -> list[list[Any]]:
    """The answers as stored for a replay: a folder's list of Markdown files, which only a walk
    could check again, becomes the ``status`` of each folder in it, which a ``stat`` can."""
    stored = []
    for (question, subject), answer in answers.items():
        if question == "markdown_files":
            stored.append(["tree", subject, folder_tree(subject)])
        else:
            stored.append([question, subject, answer])
    return stored


def _holds(question: str, subject: str, answer: Any) -> bool:
    if question == "tree":
        return all(status(path) == known for path, known in answer)
    return bool(QUESTIONS[question](subject) == answer)


def still_hold(answers: list[list[Any]]) -> bool:
    """Whether every recorded ``[question, subject, answer]`` has the same answer now."""
    try:
        return all(_holds(q, s, a) for q, s, a in answers)
    except (KeyError, TypeError, ValueError, OSError):
        return False
