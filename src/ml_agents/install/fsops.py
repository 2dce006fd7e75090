"""The only code that changes files: atomic writes, renames, removals, the lock, fault injection.

Every write goes to a temp file in the same folder, is fsynced, then renamed over the final name;
a reader sees the old file or the new one, never half of one. The caller fsyncs the folders it
changed (``apply.py`` does so before it writes the manifest, and at the end). Temp
files are named ``.<name>.ml-agents-tmp-<pid>-<hex>`` (hidden, and not ``*.md``, so the client
never loads one); a run that holds the lock removes any left by a killed run.

Testing hook: ``ML_AGENTS_FAULT=<action>:<N>[:<seconds>]`` acts at the N-th write step (1-based, in
the order ``--dry-run --json`` lists them under ``steps``). ``fail`` raises EIO, ``enospc`` and
``erofs`` raise a full or read-only disk error, ``kill`` sends SIGKILL to this process, ``pause``
sleeps (default 1 s). A ``write`` step fails or is killed with half the temp file written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ml_agents.install.manifest import LOCK_NAME, TEMP_MARK

FAULT_ENV = "ML_AGENTS_FAULT"
LOCK_TIMEOUT_ENV = "ML_AGENTS_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0
_FAULT_ERRNO = {"fail": errno.EIO, "enospc": errno.ENOSPC, "erofs": errno.EROFS}


class UnsafePath(Exception):
    """A path would lead a write outside the target, or is not what a write expects."""


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


def write_file(path: Path, data: bytes, faults: Faults) -> None:
    """Atomically replace ``path`` with ``data`` (two steps: ``write`` then ``replace``)."""
    temp = temp_name(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        half = len(data) // 2
        _write_all(fd, data[:half])
        faults.point("write", path)
        _write_all(fd, data[half:])
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink_quietly(temp)
        raise
    os.close(fd)
    try:
        faults.point("replace", path)
        temp.replace(path)
    except BaseException:
        _unlink_quietly(temp)
        raise


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


def remove_file(path: Path, faults: Faults) -> None:
    faults.point("unlink", path)
    path.unlink()


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
    """Refuse a write whose folders are not folders, or lead out of the target through a link."""
    current = target
    for part in relative.split("/")[:-1]:
        current = current / part
        if not os.path.lexists(current):
            return
        if not is_inside(current, target):
            raise UnsafePath(
                f"{current} leads to {os.path.realpath(current)}, outside {target}; refusing to "
                "write through a symlink that leaves the target"
            )
        if not current.is_dir():
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
def target_lock(target: Path, timeout: float) -> Iterator[None]:
    """Hold ``<target>/.ml-agents.lock`` so two runs never interleave; the file is removed after."""
    path = target / LOCK_NAME
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        with _exclusive_file_lock(path, timeout):
            yield
        return
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise LockBusy(_busy_message(path)) from None
            time.sleep(0.05)
            continue
        try:
            linked = path.stat().st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            linked = False
        if linked:
            break
        os.close(fd)  # the holder removed the file while we waited: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        _unlink_quietly(path)
        os.close(fd)


def _busy_message(path: Path) -> str:
    try:
        holder = path.read_text(encoding="utf-8").strip()
    except OSError:
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
        pid = int(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False
