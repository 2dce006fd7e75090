"""Carry out a plan, one action at a time, checking first that each file is still as planned."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable
from pathlib import Path

from ml_agents.install import plan as p
from ml_agents.install.fsops import (
    ChangedWhileRunning,
    Faults,
    changed_message,
    fsync_dir,
    make_dir,
    move_aside,
    remove_dir,
    remove_file,
    write_file,
)


def _expect(target: Path, action: p.Action) -> None:
    if action.expect is None:
        return
    state = p.file_state(target / action.path)
    if action.expect == "":
        ok = state.kind == p.MISSING
    else:
        ok = state.kind == p.FILE and state.sha256 == action.expect
    if not ok:
        raise ChangedWhileRunning(changed_message(target / action.path))


def apply_action(target: Path, action: p.Action, faults: Faults) -> p.Action:
    """Do one action; returns it, or what actually happened when that differs (a folder that
    filled up since planning is kept, not removed)."""
    kind = action.kind
    path = target / action.path
    if kind == p.CLEANUP:
        path.unlink(missing_ok=True)
    elif kind in (
        p.WRITE_JOURNAL,
        p.WRITE_MANIFEST,
        p.CREATE,
        p.REPLACE,
        p.MERGE,
        p.WRITE_PRISTINE,
    ):
        assert action.data is not None
        _expect(target, action)
        write_file(path, action.data, faults, action.expect)
    elif kind == p.ADOPT:
        _expect(target, action)
    elif kind in (p.KEEP, p.MERGE_CONFLICT) and action.data is not None:
        _expect(target, action._replace(path=action.aside))
        write_file(target / action.aside, action.data, faults)
    elif kind == p.FORCE_REPLACE:
        assert action.data is not None
        _expect(target, action)
        move_aside(path, target / action.aside, faults)
        write_file(path, action.data, faults)
    elif kind == p.BACKUP_REMOVE:
        _expect(target, action)
        move_aside(path, target / action.aside, faults)
    elif kind in (p.REMOVE, p.REMOVE_NEW):
        _expect(target, action)
        remove_file(path, faults, action.expect)
    elif kind in (p.REMOVE_MANIFEST, p.REMOVE_JOURNAL, p.REMOVE_PRISTINE):
        with contextlib.suppress(FileNotFoundError):
            remove_file(path, faults)
    elif kind == p.MKDIR and action.path != ".":  # the target itself is made before the lock
        try:
            make_dir(path, faults)
        except FileExistsError:  # made meanwhile: fine while it is a real folder
            if path.is_symlink() or not path.is_dir():
                raise ChangedWhileRunning(
                    f"{path} appeared while ml-agents was working; run the command again"
                ) from None
    elif kind == p.RMDIR and action.path != "." and not remove_dir(path, faults):
        return action._replace(kind=p.KEEP_DIR, detail="filled up meanwhile: kept")
    return action


def apply_plan(
    target: Path, plan: p.Plan, faults: Faults, on_done: Callable[[p.Action], None]
) -> None:
    """Apply every action in order; ``on_done`` hears each one as it completes. The target's own
    folder (``rmdir .``) is left to the caller, after the lock inside it is released."""
    changed: set[Path] = set()
    for action in plan.actions:
        if action.kind == p.RMDIR and action.path == ".":
            continue
        if action.kind in (p.WRITE_MANIFEST, p.REMOVE_MANIFEST):
            sync_folders(changed)  # the manifest never becomes durable before the files it lists
        result = apply_action(target, action, faults)
        changed.add((target / action.path).parent)
        if action.aside:
            changed.add((target / action.aside).parent)
        if action.kind == p.WRITE_JOURNAL:
            sync_folders(changed)
        on_done(result)
    sync_folders(changed)


def sync_folders(folders: set[Path]) -> None:
    for folder in sorted(folders):
        fsync_dir(folder)
    folders.clear()


def remove_target_if_empty(target: Path) -> bool:
    try:
        target.rmdir()
    except OSError as error:
        if error.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOENT, errno.ENOTDIR):
            return False
        raise
    return True


def describe_os_error(error: OSError, doing: str = "write") -> str:
    """One plain sentence for a failed write (or ``doing`` another thing), naming the cause a
    user can act on."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.ENOTDIR: "a file sits where a folder is needed",
        errno.EISDIR: "a folder sits where a file is needed",
    }
    edquot = getattr(errno, "EDQUOT", None)
    if edquot is not None:
        reasons[edquot] = "the disk quota is exceeded"
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    where = f" {error.filename}" if error.filename else ""
    detail = f" ({error.strerror})" if error.strerror and error.strerror != reason else ""
    return f"cannot {doing}{where}: {reason}{detail}"
