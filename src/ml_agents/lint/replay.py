"""A warm run's shortcut: the last report, when nothing it depends on has changed.

After a run that may be replayed (every linted file of a kind the cache keeps, see
``engine.CACHEABLE_KINDS``), the report is stored with what it was made from: the files linted,
each with its status (size, times, identity), and every question discovery and the cross-file
checks asked the file system (deps.py) with its answer: the folders discovery listed (by their
own status, which changes whenever an entry in them is added, removed or renamed), the roots it
looked for, the README heads it read, what the checks read beside the linted files. The next run
with the same linter, schemas, configuration, options and folder asks every question again and
compares every status; only when all of it is the same does it print the stored report, without
discovering or linting anything. A status stands for a file's bytes, and a folder's for its
listing, only once it has been left alone for ``cache.SETTLED_NS`` before the stored run began,
as in the result cache; until then nothing is stored.
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from pathlib import Path

from ml_agents.lint import deps
from ml_agents.lint.cache import SETTLED_NS, ResultCache, prune, read_checked, write_checked
from ml_agents.lint.digest import new_hash

FORMAT = 5
KEPT = 32
"""Stored reports kept in a cache folder (one per working folder and set of options); the
least recently stored go first."""


def record_key(cache: ResultCache, parts: Sequence[str]) -> str:
    """The stored report's name: the result cache's run key and every option that shapes the
    report (``parts``)."""
    digest = new_hash(f"replay {FORMAT}\0{cache.run_key()}".encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def _path(folder: Path, key: str) -> Path:
    return folder / f"report-{key}.json"


def _files_digest(files: Sequence[str]) -> tuple[str, int] | None:
    """A digest of every file's path and status, and the newest change time among them (None
    when a file is gone). marshal, not text: this runs for every file of a warm run."""
    statuses = []
    for file in files:
        known = deps.status(file)
        if known is None:
            return None
        statuses.append(known)
    digest = new_hash(marshal.dumps(list(files)))
    digest.update(marshal.dumps(statuses))
    return digest.hexdigest(), max((known[deps.CTIME] for known in statuses), default=0)


def stored_report(folder: Path, key: str) -> tuple[str, int] | None:
    """The stored report and exit status, when everything it was made from is unchanged."""
    record = read_checked(_path(folder, key))
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("key") != key:
        return None
    report, code, files = record.get("report"), record.get("exit"), record.get("files")
    if not isinstance(report, str) or type(code) is not int or not isinstance(files, list):
        return None
    if not all(type(file) is str for file in files):
        return None
    answers = record.get("answers")
    if not isinstance(answers, list) or not deps.still_hold(answers):
        return None
    now = _files_digest(files)
    if now is None or record.get("digest") != now[0]:
        return None
    return report, code


def store_report(
    folder: Path,
    key: str,
    files: Sequence[str],
    answers: deps.Answers,
    output: tuple[str, int],
    started_ns: int,
) -> None:
    """Keep the report and exit status (``output``) for the next run, if every status it rests
    on has settled and every answer can be asked again."""
    summary = _files_digest(files)
    settled = started_ns - SETTLED_NS
    if not files or summary is None or summary[1] >= settled:
        return
    stored = deps.settled_form(answers)
    for question, _, answer in stored:
        if question == deps.UNTRACKED:
            return
        if question not in ("status", "tree"):
            continue
        statuses = [s for _, s in answer] if question == "tree" else [answer]
        if any(s is not None and s[deps.CTIME] >= settled for s in statuses):
            return
    record = {
        "format": FORMAT,
        "key": key,
        "files": list(files),
        "digest": summary[0],
        "answers": stored,
        "report": output[0],
        "exit": output[1],
    }
    write_checked(folder, _path(folder, key), record)
    prune(folder, "report-", KEPT)
