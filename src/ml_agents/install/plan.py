"""Plan every file first: what install or uninstall would do to each path, and why.

Planning only reads. ``--dry-run`` prints the plan; a real run applies the very same plan
(``apply.py``). Each action knows the state of the file it expects on disk, so a file that changes
between planning and applying stops the run instead of being overwritten.
"""

from __future__ import annotations

import os
import shlex
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ml_agents.bounded_read import TooLarge, read_regular, sha256_regular
from ml_agents.install.clashes import Clash
from ml_agents.install.fsops import MAX_HASH_BYTES, check_folders, stale_temp_files
from ml_agents.install.manifest import (
    BACKUP_MARK,
    JOURNAL_NAME,
    LOCK_NAME,
    MANIFEST_NAME,
    MERGE_SUFFIX,
    NEW_SUFFIX,
    OWNED_FOLDERS,
    PRISTINE_DIR,
    Manifest,
    OwnedFile,
    SideFile,
    journal_bytes,
    manifest_bytes,
)
from ml_agents.install.merge import merge
from ml_agents.install.payload import DesiredFile, sha256
from ml_agents.install.pristine import (
    TEXT_LIMIT,
    foreign_entries,
    pristine_path,
    read_base,
    stored,
)

# action kinds
MKDIR = "mkdir"
CREATE = "create"
REPLACE = "replace"
UNCHANGED = "unchanged"
KEEP = "keep"
CONFLICT = "conflict"
FORCE_REPLACE = "force-replace"
REMOVE = "remove"
REMOVE_NEW = "remove-new"
RELEASE = "release"
FORGET = "forget"
BACKUP_REMOVE = "backup"
RMDIR = "rmdir"
KEEP_DIR = "keep-dir"
KEEP_BACKUP = "keep-backup"
CLEANUP = "cleanup"
WRITE_JOURNAL = "journal"
REMOVE_JOURNAL = "remove-journal"
WRITE_MANIFEST = "manifest"
REMOVE_MANIFEST = "remove-manifest"
MERGE = "merge"
MERGE_CONFLICT = "merge-conflict"
ADOPT = "adopt"
WRITE_PRISTINE = "pristine"
REMOVE_PRISTINE = "remove-pristine"
BOOKKEEPING = frozenset(
    {
        WRITE_JOURNAL,
        REMOVE_JOURNAL,
        WRITE_MANIFEST,
        REMOVE_MANIFEST,
        WRITE_PRISTINE,
        REMOVE_PRISTINE,
    }
)
"""Actions on ml-agents' own records, shown only with ``--verbose``."""

MISSING = "missing"
FILE = "file"
OTHER = "other"


class Action(NamedTuple):
    kind: str
    path: str
    """Relative to the target, ``/``-separated."""
    detail: str
    data: bytes | None = None
    """Bytes to write: at ``path``, or at ``aside`` for ``keep``."""
    expect: str | None = None
    """SHA-256 of the file the action expects on disk (for ``keep``: at ``aside``); ``""``:
    absent; ``None``: not checked."""
    aside: str = ""
    """The ``.ml-agents-new`` or ``.ml-agents-merge`` sibling (keep, merge-conflict) or the backup
    name (force-replace, backup)."""


class Step(NamedTuple):
    op: str
    """``write``, ``replace``, ``backup``, ``unlink``, ``mkdir`` or ``rmdir``."""
    path: str


class Plan(NamedTuple):
    version: str
    previous_version: str | None
    prefix: str
    actions: tuple[Action, ...]
    clashes: tuple[Clash, ...]
    installed: tuple[DesiredFile, ...]

    @property
    def blocked(self) -> bool:
        """True when a conflict stops the whole run: nothing is written."""
        return any(a.kind == CONFLICT for a in self.actions)


class FileState(NamedTuple):
    kind: str
    """``missing``, ``file`` (a regular file, not a symlink) or ``other``."""
    sha256: str
    what: str
    """For ``other``: ``symlink``, ``folder`` or ``special file``."""


def file_state(path: Path) -> FileState:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return FileState(MISSING, "", "")
    except NotADirectoryError:
        return FileState(OTHER, "", "path under a file")
    if stat.S_ISLNK(info.st_mode):
        return FileState(OTHER, "", "symlink")
    if stat.S_ISDIR(info.st_mode):
        return FileState(OTHER, "", "folder")
    if not stat.S_ISREG(info.st_mode):
        return FileState(OTHER, "", "special file")
    try:
        digest = sha256_regular(path, MAX_HASH_BYTES)
    except TooLarge as error:
        # never read: far larger than any file we write, so never ours; the size stands in for
        # the hash, so that a change in between still shows
        digest = f"{error.size} bytes, not hashed"
    return FileState(FILE, digest, "")


def backup_name(target: Path, path: str, taken: set[str]) -> str:
    """``<path>.ml-agents-backup-<UTC time>``, not ``*.md``, so the client never loads a backup."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    candidate = f"{path}{BACKUP_MARK}{stamp}"
    counter = 1
    while candidate in taken or os.path.lexists(target / candidate):
        candidate = f"{path}{BACKUP_MARK}{stamp}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


def found_backups(target: Path) -> list[str]:
    found = []
    for folder in OWNED_FOLDERS:
        try:
            entries = list((target / folder).iterdir())
        except OSError:
            continue
        found += [f"{folder}/{e.name}" for e in entries if BACKUP_MARK in e.name]
    return found


def _cleanup_actions(target: Path) -> list[Action]:
    """Removals of the temp files a killed run left behind."""
    return [
        Action(CLEANUP, stale.relative_to(target).as_posix(), "left by an interrupted run")
        for stale in stale_temp_files(target, (*OWNED_FOLDERS, PRISTINE_DIR))
    ]


def needed_dirs(paths: Iterable[str]) -> list[str]:
    dirs: set[str] = set()
    for path in paths:
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:depth]))
    return sorted(dirs, key=lambda d: (d.count("/"), d))


def plan_install(
    target: Path,
    desired: list[DesiredFile],
    version: str,
    prefix: str,
    manifest: Manifest | None,
    journal_dirs: tuple[str, ...],
    *,
    force: bool,
    clashes: list[Clash],
    target_created: bool,
    target_ours: bool = False,
    adopt: bool = False,
) -> Plan:
    """Compare every file we would write with what is on disk and what the manifest says.

    ``target_created``: this run made the target folder; ``target_ours``: an interrupted run of
    ours made it (it holds only our leftovers). Either way uninstall removes it once empty.
    """
    owned = {f.path: f for f in manifest.files} if manifest else {}
    sides = {f.beside: f for f in manifest.side_files} if manifest else {}
    taken: set[str] = set()
    actions = _cleanup_actions(target)
    files: list[OwnedFile] = []
    side_files: list[SideFile] = []
    # backups still on disk, including any made by a run killed before it wrote its manifest
    recorded = list(manifest.backups) if manifest else []
    backups = [b for b in recorded if os.path.lexists(target / b)] + found_backups(target)
    handled_sides: set[str] = set()
    shipped: dict[str, bytes | None] = {}
    """Digest -> bytes of every pristine copy the new manifest lists (None: already stored)."""

    def ship(item: DesiredFile) -> None:
        files.append(OwnedFile(item.path, item.sha256))
        shipped[item.sha256] = item.data

    new_dirs = [d for d in needed_dirs(f.path for f in desired) if not os.path.lexists(target / d)]
    created = set(manifest.created_dirs if manifest else ()) | {
        d for d in journal_dirs if (target / d).is_dir()
    }
    if target_created or target_ours:
        created.add(".")
    if target_created:
        actions.insert(0, Action(MKDIR, ".", "the target folder"))
    if new_dirs:
        journal = journal_bytes(tuple(sorted(created | set(new_dirs))))
        actions.append(Action(WRITE_JOURNAL, JOURNAL_NAME, "folders about to be created", journal))
    for folder in new_dirs:
        actions.append(Action(MKDIR, folder, "new folder"))
        created.add(folder)

    for item in desired:
        check_folders(target, item.path)
        state = file_state(target / item.path)
        record = owned.get(item.path)
        kept_side = ""
        if state.kind == MISSING:
            actions.append(Action(CREATE, item.path, "new", data=item.data, expect=""))
            ship(item)
        elif state.kind == FILE and state.sha256 == item.sha256:
            detail = "already this version" if record else "identical file, now recorded as ours"
            actions.append(Action(UNCHANGED, item.path, detail))
            ship(item)
        elif record is not None and state.kind == FILE and state.sha256 == record.sha256:
            detail = "installed by ml-agents, unmodified"
            actions.append(Action(REPLACE, item.path, detail, data=item.data, expect=state.sha256))
            ship(item)
        elif record is not None:
            same_release = manifest is not None and manifest.version == version
            edit = _update_edited(target, item, record, state, version, same_release, sides, taken)
            actions += edit.actions
            backups += edit.backups
            if edit.blocked:
                continue
            files.append(edit.record)
            shipped.update(edit.shipped)
            if edit.side is not None:
                side_files.append(edit.side)
                kept_side = edit.side.path
        elif adopt and state.kind == FILE:
            detail = "your file, kept as your changed copy of ours: updates merge into it"
            actions.append(Action(ADOPT, item.path, detail, expect=state.sha256))
            ship(item)
        elif force:
            backup = backup_name(target, item.path, taken)
            what = "file" if state.kind == FILE else state.what
            detail = f"not installed by ml-agents; your {what} moved to {backup}"
            expect = state.sha256 if state.kind == FILE else None
            replace = Action(FORCE_REPLACE, item.path, detail, item.data, expect, aside=backup)
            actions.append(replace)
            ship(item)
            backups.append(backup)
        else:
            what = "" if state.kind == FILE else f" (a {state.what})"
            detail = f"not installed by ml-agents{what}"
            actions.append(Action(CONFLICT, item.path, detail))
        if item.path in sides and sides[item.path].path != kept_side:
            actions.append(_drop_side(target, sides[item.path], "stale: the file is current"))
        handled_sides.add(item.path)

    wanted = {item.path for item in desired}
    for path, record in sorted(owned.items()):
        if path in wanted:
            continue
        state = file_state(target / path)
        if state.kind == MISSING:
            actions.append(Action(FORGET, path, "no longer in the bundle and already gone"))
        elif state.kind == FILE and state.sha256 == record.sha256:
            detail = "no longer part of this install"
            actions.append(Action(REMOVE, path, detail, expect=record.sha256))
        else:
            detail = "no longer part of this install, but modified by you: kept, and no longer "
            actions.append(Action(RELEASE, path, detail + "managed by ml-agents"))
    for beside, side in sorted(sides.items()):
        if beside not in handled_sides:
            actions.append(_drop_side(target, side, "its file is no longer part of this install"))

    for clash in clashes:
        if clash.blocking:
            rel = (
                Path(clash.other).relative_to(target).as_posix()
                if _under(clash.other, target)
                else clash.other
            )
            actions.append(
                Action(CONFLICT, rel, f"defines `{clash.name}` too: {clash.explanation}")
            )

    actions += _pristine_writes(target, shipped)
    kept = {pristine_path(digest) for digest in shipped}
    new_manifest = Manifest(
        version,
        prefix,
        tuple(files),
        tuple(side_files),
        tuple(sorted(created)),
        tuple(sorted(set(backups))),
        tuple(sorted(kept)),
    )
    data = manifest_bytes(new_manifest)
    try:
        current = read_regular(target / MANIFEST_NAME, len(data), follow_symlinks=False)
    except OSError:
        current = b""
    if data != current:
        actions.append(Action(WRITE_MANIFEST, MANIFEST_NAME, "records what ml-agents owns", data))
    # only once the new manifest no longer points at them (a killed run still finds its base)
    for path in stored(target):
        if path not in kept:
            actions.append(Action(REMOVE_PRISTINE, path, "pristine copy no longer needed"))
    if new_dirs or os.path.lexists(target / JOURNAL_NAME):
        actions.append(Action(REMOVE_JOURNAL, JOURNAL_NAME, "the run is complete"))
    previous = manifest.version if manifest else None
    return Plan(version, previous, prefix, tuple(actions), tuple(clashes), tuple(desired))


def _under(path: str, target: Path) -> bool:
    try:
        Path(path).relative_to(target)
    except ValueError:
        return False
    return True


class Edit(NamedTuple):
    """What an update does to a file ml-agents installed and the user changed."""

    actions: list[Action]
    backups: list[str]
    record: OwnedFile
    """What the new manifest records as shipped: the base of the next merge."""
    shipped: dict[str, bytes | None]
    side: SideFile | None
    """The new version or the merge with conflict markers, kept beside the user's file."""
    blocked: bool = False


def _update_edited(
    target: Path,
    item: DesiredFile,
    record: OwnedFile,
    state: FileState,
    version: str,
    same_release: bool,
    sides: dict[str, SideFile],
    taken: set[str],
) -> Edit:
    """Merge this release into the user's file when we kept what we shipped before; otherwise
    (an older install, or a symlink in its place) keep theirs and put ours beside it."""
    base = read_base(target, record.sha256)
    shipped_now = OwnedFile(item.path, item.sha256)
    merged = None
    theirs = b""
    if base is not None and state.kind == FILE:
        try:  # a file too large (or no longer regular) to merge keeps ours beside it instead
            theirs = read_regular(target / item.path, TEXT_LIMIT, follow_symlinks=False)
        except (TooLarge, OSError):
            theirs = b""
        else:
            merged = merge(base, theirs, item.data, new_version=version)
    aside = item.path + (MERGE_SUFFIX if merged else NEW_SUFFIX)
    if merged and merged.conflicts and _resolved(target, sides.get(item.path), aside, same_release):
        detail = (
            f"modified by you; you resolved the merge and deleted {aside}: your file now counts "
            "as your changed copy of this release"
        )
        return Edit(
            [Action(UNCHANGED, item.path, detail)], [], shipped_now, {item.sha256: item.data}, None
        )
    if merged and not merged.conflicts:
        if merged.data == theirs:
            action = Action(
                UNCHANGED, item.path, "modified by you; already holds this release's changes"
            )
        else:
            detail = "modified by you; this release's changes merged into your file"
            action = Action(MERGE, item.path, detail, merged.data, state.sha256)
        return Edit([action], [], shipped_now, {item.sha256: item.data}, None)
    if merged:
        data = merged.data
        what = (
            f"modified by you, and {merged.conflicts} of this release's changes overlap yours: "
            "your file is untouched; the merge with conflict markers"
        )
    else:
        data = item.data
        changed = "modified by you" if state.kind == FILE else f"replaced by a {state.what}"
        what = f"{changed}; new version"
    sibling = _keep_beside(target, item.path, aside, data, what, sides, taken)
    kept: dict[str, bytes | None] = {record.sha256: None} if base is not None else {}
    side = SideFile(aside, sha256(data), item.path)
    return Edit(sibling.actions, sibling.backups, record, kept, side, sibling.conflict)


def _resolved(target: Path, side: SideFile | None, aside: str, same_release: bool) -> bool:
    """The user deleted the merge with conflict markers we wrote for this same release: that
    marks the conflict resolved (like ``git add``), so this release becomes the new base. For a
    newer release the merge is offered again, so none of its changes is dropped unseen."""
    return (
        same_release
        and side is not None
        and side.path == aside
        and file_state(target / aside).kind == MISSING
    )


class Beside(NamedTuple):
    actions: list[Action]
    backups: list[str]
    conflict: bool
    """A folder sits at the sibling's name: nothing can go there."""


def _keep_beside(
    target: Path,
    path: str,
    aside: str,
    data: bytes,
    what: str,
    sides: dict[str, SideFile],
    taken: set[str],
) -> Beside:
    """Keep the user's file and put ``data`` (our new version, or a merge with conflict markers)
    in the sibling ``aside``; a sibling that is not what we wrote there is backed up first.
    ``what`` names ``data`` in the action's detail."""
    check_folders(target, aside)
    state = file_state(target / aside)
    kind = MERGE_CONFLICT if aside.endswith(MERGE_SUFFIX) else KEEP
    if state.kind == OTHER and state.what in ("folder", "symlink"):
        detail = f"a {state.what} sits where it would go"
        return Beside([Action(CONFLICT, aside, detail)], [], True)
    if state.kind == FILE and state.sha256 == sha256(data):
        return Beside(
            [Action(kind, path, f"{what} is already beside it in {aside}", aside=aside)], [], False
        )
    side = sides.get(path)
    ours = side is not None and side.path == aside and state.sha256 == side.sha256
    side_expect = state.sha256 if ours and state.kind == FILE else ""
    actions, backups = [], []
    if state.kind != MISSING and not side_expect:
        backup = backup_name(target, aside, taken)
        actions.append(_back_up_side(aside, state, backup, recorded=bool(side)))
        backups.append(backup)
    actions.append(Action(kind, path, f"{what} written to {aside}", data, side_expect, aside=aside))
    return Beside(actions, backups, False)


def _pristine_writes(target: Path, shipped: dict[str, bytes | None]) -> list[Action]:
    """Store each shipped file not yet stored intact, making the store's folder if needed."""
    missing = {
        digest: data
        for digest, data in shipped.items()
        if data is not None and read_base(target, digest) is None
    }
    if not missing:
        return []
    actions = []
    folder = file_state(target / PRISTINE_DIR)
    if folder.kind == MISSING:
        actions.append(Action(MKDIR, PRISTINE_DIR, "pristine copies, the base for merges"))
    for digest, data in sorted(missing.items()):
        path = pristine_path(digest)
        check_folders(target, path)
        actions.append(Action(WRITE_PRISTINE, path, "the file as shipped", data))
    return actions


def _back_up_side(aside: str, state: FileState, backup: str, *, recorded: bool) -> Action:
    """A ``.ml-agents-new`` file that is not what ml-agents wrote there is the user's: it moves to
    a backup before the new version is written in its place."""
    whose = "new-version copy changed by you" if recorded else "not written by ml-agents"
    expect = state.sha256 if state.kind == FILE else None
    detail = f"{whose}: moved to {backup}, which stays yours"
    return Action(BACKUP_REMOVE, aside, detail, expect=expect, aside=backup)


def _drop_side(target: Path, side: SideFile, why: str) -> Action:
    state = file_state(target / side.path)
    if state.kind == MISSING:
        return Action(FORGET, side.path, f"new-version copy already gone ({why})")
    if state.kind == FILE and state.sha256 == side.sha256:
        detail = f"new-version copy written by ml-agents ({why})"
        return Action(REMOVE_NEW, side.path, detail, expect=side.sha256)
    return Action(RELEASE, side.path, "new-version copy changed by you: kept, no longer managed")


def plan_uninstall(
    target: Path,
    manifest: Manifest,
    journal_dirs: tuple[str, ...],
    *,
    force: bool,
    has_manifest: bool,
) -> Plan:
    """Remove what the manifest owns and nobody changed; keep (--force: back up) the rest."""
    actions = _cleanup_actions(target)
    taken: set[str] = set()
    gone = {a.path for a in actions}
    for record in sorted(manifest.files):
        check_folders(target, record.path)
        state = file_state(target / record.path)
        if state.kind == MISSING:
            actions.append(Action(FORGET, record.path, "already gone"))
        elif state.kind == FILE and state.sha256 == record.sha256:
            detail = "installed by ml-agents, unmodified"
            actions.append(Action(REMOVE, record.path, detail, expect=record.sha256))
            gone.add(record.path)
        elif force:
            backup = backup_name(target, record.path, taken)
            detail = f"modified by you: moved to {backup}, which stays yours"
            expect = state.sha256 if state.kind == FILE else None
            actions.append(Action(BACKUP_REMOVE, record.path, detail, expect=expect, aside=backup))
            gone.add(record.path)
        else:
            detail = (
                "modified by you: kept (a later `ml-agents install --adopt` takes it back as your "
                "changed copy); --force moves it to a backup instead"
            )
            actions.append(Action(RELEASE, record.path, detail))
    for side in sorted(manifest.side_files):
        check_folders(target, side.path)
        action = _drop_side(target, side, "uninstall")
        actions.append(action)
        if action.kind == REMOVE_NEW:
            gone.add(side.path)
    created = set(manifest.created_dirs) | set(journal_dirs)
    for folder in sorted(sorted(d for d in created if d != "."), key=lambda d: -d.count("/")):
        full = target / folder
        if not full.is_dir() or full.is_symlink():
            continue
        left = sorted(
            rel for rel in (f"{folder}/{entry.name}" for entry in full.iterdir()) if rel not in gone
        )
        if left:
            shown = ", ".join(left[:3]) + (" …" if len(left) > 3 else "")
            actions.append(
                Action(KEEP_DIR, folder, f"still holds {len(left)} other item(s): {shown}")
            )
        else:
            actions.append(Action(RMDIR, folder, "created by ml-agents, now empty"))
            gone.add(folder)
    actions += _pristine_removals(target, gone)
    if has_manifest:
        actions.append(Action(REMOVE_MANIFEST, MANIFEST_NAME, "nothing is owned any more"))
    if os.path.lexists(target / JOURNAL_NAME):
        actions.append(Action(REMOVE_JOURNAL, JOURNAL_NAME, "left by an interrupted run"))
    if "." in created:
        rest = [
            entry.name
            for entry in target.iterdir()
            if entry.name not in {MANIFEST_NAME, JOURNAL_NAME, LOCK_NAME} and entry.name not in gone
        ]
        if not rest:
            actions.append(Action(RMDIR, ".", "created by ml-agents, now empty"))
    backups = [b for b in manifest.backups if os.path.lexists(target / b)]
    for backup in backups:
        original = backup.split(BACKUP_MARK)[0]
        restore = f"mv {shlex.quote(str(target / backup))} {shlex.quote(str(target / original))}"
        detail = f"your original {original}, moved aside by --force; `{restore}` puts it back"
        if os.path.lexists(target / original) and original not in gone:
            detail = f"your original {original}, moved aside by --force; yours, left in place"
        actions.append(Action(KEEP_BACKUP, backup, detail))
    return Plan(manifest.version, manifest.version, manifest.prefix, tuple(actions), (), ())


def _pristine_removals(target: Path, gone: set[str]) -> list[Action]:
    """Uninstall removes every pristine copy, then their folder unless someone put more there."""
    check_folders(target, pristine_path("0" * 64))
    actions = [Action(REMOVE_PRISTINE, path, "pristine copy") for path in stored(target)]
    folder = file_state(target / PRISTINE_DIR)
    if folder.kind == OTHER and folder.what == "folder":
        foreign = foreign_entries(target)
        if foreign:
            detail = f"still holds {len(foreign)} item(s) ml-agents did not put there"
            actions.append(Action(KEEP_DIR, PRISTINE_DIR, detail))
        else:
            actions.append(Action(RMDIR, PRISTINE_DIR, "pristine copies, now empty"))
            gone.add(PRISTINE_DIR)
    return actions


def steps(plan: Plan) -> list[Step]:
    """The write steps a plan performs, in order (fault injection counts these)."""
    result: list[Step] = []
    for action in plan.actions:
        kind = action.kind
        if kind in (CREATE, REPLACE, MERGE, WRITE_PRISTINE, WRITE_MANIFEST, WRITE_JOURNAL):
            result += [Step("write", action.path), Step("replace", action.path)]
        elif kind in (KEEP, MERGE_CONFLICT) and action.data is not None:
            result += [Step("write", action.aside), Step("replace", action.aside)]
        elif kind == FORCE_REPLACE:
            result += [
                Step("backup", action.path),
                Step("write", action.path),
                Step("replace", action.path),
            ]
        elif kind == BACKUP_REMOVE:
            result.append(Step("backup", action.path))
        elif kind in (REMOVE, REMOVE_NEW, REMOVE_PRISTINE, REMOVE_MANIFEST, REMOVE_JOURNAL):
            result.append(Step("unlink", action.path))
        elif kind == MKDIR:
            result.append(Step("mkdir", action.path))
        elif kind == RMDIR and action.path != ".":
            result.append(Step("rmdir", action.path))
    return result
