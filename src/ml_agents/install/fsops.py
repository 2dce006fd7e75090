"""The only code that changes files: atomic writes, renames, removals, the lock, fault injection.

Every write goes to a temp file in the same folder, is fsynced, then renamed over the final name;
a reader sees the old file or the new one, never half of one. The caller fsyncs the folders it
changed (``apply.py`` does so before it writes the manifest, and at the end). Temp
files are named ``.<name>.ml-agents-tmp-<pid>-<hex>`` (hidden, and not ``*.md``, so the client
never loads one); a run that holds the lock removes any left by a killed run.

Nothing here opens one of our names for writing through a symlink: the lock is opened with
``O_NOFOLLOW`` (a link there is reported, not followed), temp files with ``O_EXCL``, and every
other name is only ever renamed onto, which replaces a link instead of writing through it. A file
we replace or remove is first moved aside and checked again (``_take_aside``), and a new file is
linked in without replacing anything, so an edit made after planning is never lost.

Testing hook: ``ML_AGENTS_FAULT=<action>:<N>[:<seconds>]`` acts at the N-th write step (1-based, in
the order ``--dry-run --json`` lists them under ``steps``). ``fail`` raises EIO, ``enospc`` and
``erofs`` raise a full or read-only disk error, ``kill`` sends SIGKILL to this process, ``pause``
sleeps (default 1 s). A ``write`` step fails or is killed with half the temp file written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ml_agents.bounded_read import read_regular, sha256_regular
from ml_agents.install.manifest import BACKUP_MARK, LOCK_NAME, TEMP_MARK

FAULT_ENV = "ML_AGENTS_FAULT"
LOCK_TIMEOUT_ENV = "ML_AGENTS_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0
MAX_HASH_BYTES = 64 << 20
"""Files at our paths larger than this are never read: they cannot be ours (see ``plan.py``)."""
_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}
_FAULT_ERRNO = {"fail": errno.EIO, "enospc": errno.ENOSPC, "erofs": errno.EROFS}


class UnsafePath(Exception):
    """A path would lead a write outside the target, or is not what a write expects."""


class ChangedWhileRunning(Exception):
    """A file changed between planning and applying: stop rather than overwrite it."""


class TargetGone(Exception):
    """The target folder was removed (by a racing uninstall) before its lock could be taken."""


class LockBusy(Exception):
    """Another ml-agents run holds the target's lock."""


class Faults:
    """Counts write steps and injects the configured fault at one of them."""

    __slots__ = ("action", "at", "count", "seconds")

    def __init__(self, spec: str | None) -> None:
        self.count = 0
        self.action = ""
        self.at = 0
        self.seconds = 1.0
        if not spec:
            return
        parts = spec.split(":")
        valid = {*_FAULT_ERRNO, "kill", "pause"}
        if len(parts) not in (2, 3) or parts[0] not in valid or not parts[1].isdigit():
            raise ValueError(
                f"{FAULT_ENV}={spec!r}: expected <action>:<step>[:<seconds>], action one of "
                f"{', '.join(sorted(valid))}"
            )
        self.action, self.at = parts[0], int(parts[1])
        if len(parts) == 3:
            self.seconds = float(parts[2])

    def point(self, op: str, path: Path) -> None:
        self.count += 1
        if self.count != self.at or not self.action:
            return
        if self.action == "kill":
            import signal

            sys.stdout.flush()
            if hasattr(signal, "SIGKILL"):
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(137)  # pragma: no cover - platforms without SIGKILL
        if self.action == "pause":
            time.sleep(self.seconds)
            return
        code = _FAULT_ERRNO[self.action]
        raise OSError(code, f"{os.strerror(code)} (injected at step {self.at}, {op})", str(path))


def fsync_dir(folder: Path) -> None:
    """Make a rename or removal in ``folder`` durable (not possible on every platform)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}-{os.urandom(4).hex()}")


def is_temp_name(name: str) -> bool:
    """True for a name ``temp_name`` makes."""
    return name.startswith(".") and TEMP_MARK in name


def write_file(
    path: Path, data: bytes, faults: Faults, expect: str | None = None, mode: int | None = None
) -> None:
    """Atomically put ``data`` at ``path`` (two steps: ``write`` then ``replace``).

    ``expect``: ``None`` replaces whatever is there (our manifest, journal, new-version copies);
    ``""`` never replaces anything (a file made meanwhile stops the run); a SHA-256 replaces the
    file only while it still holds exactly those bytes (see ``_take_aside``). ``mode``: the new
    file's permission bits (``lint --fix`` keeps the old file's); else 0o666 less the umask."""
    temp = temp_name(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        half = len(data) // 2
        _write_all(fd, data[:half])
        faults.point("write", path)
        _write_all(fd, data[half:])
        if mode is not None:
            os.fchmod(fd, mode)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink_quietly(temp)
        raise
    os.close(fd)
    try:
        faults.point("replace", path)
        if expect is None:
            temp.replace(path)
            return
        old = _take_aside(path, expect) if expect else None
        try:
            _link_new(temp, path)
        finally:
            if old is not None:
                _unlink_quietly(old)  # checked: ours, unmodified
    finally:
        _unlink_quietly(temp)


def remove_file(path: Path, faults: Faults, expect: str | None = None) -> None:
    """Remove ``path``; with ``expect``, only while it holds exactly the bytes of that SHA-256."""
    faults.point("unlink", path)
    if expect:
        path = _take_aside(path, expect)
    path.unlink()


def _take_aside(path: Path, expect: str) -> Path:
    """Move ``path`` to a hidden temp name and return that name, if its bytes still hash to
    ``expect``; else put it back and stop the run.

    The check runs on the moved file, so an edit saved before the move is seen and kept, and
    nothing can write to ``path`` in between (an editor that saves by renaming a new file there
    makes ``_link_new`` fail instead). Residual window: a program that opened the file before the
    move and writes through that open descriptor after the check writes into the moved file,
    which is then removed; no rename-based scheme can reach an open descriptor. A run killed
    after the move leaves only temp names, which the next run removes; the file is then missing,
    so that run creates it afresh (it was ours and unmodified)."""
    aside = temp_name(path)
    try:
        path.rename(aside)
    except FileNotFoundError:
        raise ChangedWhileRunning(changed_message(path)) from None
    try:
        same = sha256_regular(aside, MAX_HASH_BYTES) == expect
    except OSError:
        same = False
    if not same:
        _put_back(aside, path)
        raise ChangedWhileRunning(changed_message(path))
    return aside


def _put_back(aside: Path, path: Path) -> None:
    try:
        _link_new(aside, path)
    except ChangedWhileRunning:  # something new sits at path too: keep both, visibly
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        aside.rename(path.with_name(f"{path.name}{BACKUP_MARK}{stamp}-{os.urandom(2).hex()}"))
        raise
    _unlink_quietly(aside)


def _link_new(source: Path, path: Path) -> None:
    """Give ``source``'s file the name ``path`` too, never replacing anything already there."""
    try:
        os.link(source, path, follow_symlinks=False)
        return
    except FileExistsError:
        raise ChangedWhileRunning(changed_message(path)) from None
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
    # a file system without hard links: check, then rename (a tiny window remains there)
    if os.path.lexists(path):
        raise ChangedWhileRunning(changed_message(path))
    source.rename(path)


def changed_message(path: Path) -> str:
    return (
        f"{path} changed while ml-agents was working; it was left as it is and nothing after "
        "it was written. Run the command again."
    )


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def move_aside(path: Path, backup: Path, faults: Faults) -> None:
    """Rename ``path`` (a file, a symlink, anything) to ``backup``, which must not exist."""
    faults.point("backup", path)
    if os.path.lexists(backup):
        raise FileExistsError(errno.EEXIST, "backup name already taken", str(backup))
    path.rename(backup)


def make_dir(path: Path, faults: Faults) -> None:
    faults.point("mkdir", path)
    path.mkdir()


def remove_dir(path: Path, faults: Faults) -> bool:
    """Remove an empty folder; ``False`` (and nothing done) when it holds anything."""
    faults.point("rmdir", path)
    try:
        path.rmdir()
    except OSError as error:
        if error.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return False
        raise
    return True


def is_inside(path: Path, target: Path) -> bool:
    real = os.path.realpath(path)
    root = os.path.realpath(target)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def check_folders(target: Path, relative: str) -> None:
    """Refuse a write whose folders are not folders, or lead out of the target through a link.

    One ``lstat`` per folder: another run may be creating or removing them as we look, and a
    folder that is gone is as fine as one that is there."""
    current = target
    for part in relative.split("/")[:-1]:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return
        if stat.S_ISLNK(mode):
            if not is_inside(current, target):
                raise UnsafePath(
                    f"{current} leads to {os.path.realpath(current)}, outside {target}; refusing "
                    "to write through a symlink that leaves the target"
                )
            if current.is_dir():
                continue
        elif stat.S_ISDIR(mode):
            continue
        raise UnsafePath(f"{current} is not a folder; move it aside and run again")


def stale_temp_files(target: Path, folders: tuple[str, ...]) -> list[Path]:
    """Temp files left by a killed run, in the target and its owned folders."""
    found = []
    for folder in (target, *(target / f for f in folders)):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if is_temp_name(entry.name):
                found.append(Path(entry.path))
    return sorted(found)


def lock_timeout() -> float:
    try:
        return float(os.environ.get(LOCK_TIMEOUT_ENV, DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


@contextlib.contextmanager
def target_lock(target: Path, timeout: float, create: Faults | None = None) -> Iterator[bool]:
    """Hold ``<target>/.ml-agents.lock`` so two runs never interleave; the file is removed after.

    With ``create`` (the run's faults), a missing target is made with the lock already in it;
    yields whether this run made it. A symlink or special file at the lock path is refused,
    never written through."""
    path = target / LOCK_NAME
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        made = create is not None and _make_dir_if_missing(target)
        with _exclusive_file_lock(path, timeout):
            yield made
        return
    made = False
    fd: int | None = None
    deadline = time.monotonic() + timeout
    while fd is None:
        if create is not None and not os.path.lexists(target):
            fd = _create_locked(target, create)
            if fd is not None:
                made = True
                break
        try:
            fd = _open_lock(path)
        except FileNotFoundError:
            # a racing uninstall removed the target after we looked; another run may have made
            # it again since: try again (making it ourselves when we may)
            if create is None and not os.path.lexists(target):
                raise TargetGone(str(target)) from None
            if time.monotonic() >= deadline:
                raise
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            fd = None
            if time.monotonic() >= deadline:
                raise LockBusy(_busy_message(path)) from None
            time.sleep(0.05)
            continue
        try:
            linked = os.lstat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            linked = False
        if not linked:
            os.close(fd)  # the holder removed the file (or the target) while we waited
            fd = None
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield made
    finally:
        _unlink_quietly(path)
        os.close(fd)


def _open_lock(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP or path.is_symlink():
            raise UnsafePath(_not_ours(path, "a symlink")) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UnsafePath(_not_ours(path, "not a regular file"))
    return fd


def _not_ours(path: Path, what: str) -> str:
    return (
        f"{path} is {what}; ml-agents never writes through one of its own paths. It is not "
        "ml-agents' file: move it aside and run again"
    )


def _create_locked(target: Path, faults: Faults) -> int | None:
    """Make the missing ``target`` with our lock inside and held, or ``None`` when it exists.

    The folder is built under a hidden temp name beside it, locked, then renamed into place, so
    ``target`` never exists empty and unlocked: a run killed in between leaves only the temp
    folder, which ``remove_stale_staging`` removes on the next run."""
    import fcntl

    if os.path.lexists(target):
        return None
    staging = temp_name(target)
    staging.mkdir()
    lock = staging / LOCK_NAME
    fd = -1
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        faults.point("mkdir", target)
        try:
            staging.rename(target)
        except OSError as error:
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
            raise FileExistsError from None  # another run made it first: lock theirs
    except BaseException as error:
        if fd >= 0:
            os.close(fd)
        _unlink_quietly(lock)
        with contextlib.suppress(OSError):
            staging.rmdir()
        if isinstance(error, FileExistsError):
            return None
        raise
    fsync_dir(target.parent)
    return fd


def _make_dir_if_missing(target: Path) -> bool:  # pragma: no cover - used where fcntl is missing
    try:
        target.mkdir()
    except FileExistsError:
        return False
    return True


def remove_stale_staging(target: Path) -> None:
    """Remove the temp folders ``_create_locked`` left when its run was killed: those whose
    process is gone, holding nothing but our lock."""
    prefix = f".{target.name}{TEMP_MARK}"
    try:
        entries = [e for e in os.scandir(target.parent) if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(prefix) :].split("-")[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        folder = Path(entry.path)
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False) and {e.name for e in os.scandir(folder)} <= {
                LOCK_NAME
            }:
                _unlink_quietly(folder / LOCK_NAME)
                folder.rmdir()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _busy_message(path: Path) -> str:
    try:
        holder = read_regular(path, 64, follow_symlinks=False).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        holder = ""
    who = f" (process {holder})" if holder.isdigit() else ""
    return (
        f"another ml-agents run{who} is changing {path.parent}; wait for it to finish and run again"
    )


@contextlib.contextmanager
def _exclusive_file_lock(path: Path, timeout: float) -> Iterator[None]:  # pragma: no cover
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            if _holder_gone(path):
                _unlink_quietly(path)
                continue
            if time.monotonic() >= deadline:
                raise LockBusy(_busy_message(path)) from None
            time.sleep(0.05)
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
        os.close(fd)
        yield
    finally:
        _unlink_quietly(path)


def _holder_gone(path: Path) -> bool:  # pragma: no cover - used where fcntl is missing
    try:
        pid = int(read_regular(path, 64, follow_symlinks=False).decode("ascii").strip())
    except (OSError, ValueError):
        return True
    return not _alive(pid)
