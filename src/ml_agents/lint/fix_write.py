"""Writing a ``--fix`` repair safely, and showing it as a diff for ``--diff``.

A repaired file is written the way the installer writes: to a hidden temporary file in the same
folder, flushed to disk, then put in place only while the old file still holds the bytes the repair
started from (``fsops.write_file`` with ``expect``), so an editor's save in between is never
overwritten. The old file's permission bits are kept; a symlink stays a symlink (its target is
rewritten).
"""

from __future__ import annotations

import difflib
import hashlib
import stat

from ml_agents.install.fsops import ChangedWhileRunning, Faults, fsync_dir, write_file
from ml_agents.lint.fix import FileFix


def write_fix(fix: FileFix) -> str | None:
    """Write the repaired bytes; None when written, else why the file was left as it was."""
    real = fix.target.path.resolve()
    try:
        mode = stat.S_IMODE(real.stat().st_mode)
        expect = hashlib.sha256(fix.original).hexdigest()
        write_file(real, fix.fixed, Faults(None), expect=expect, mode=mode)
        fsync_dir(real.parent)
    except ChangedWhileRunning:
        return "it changed while it was being fixed, so it was left as it is"
    except OSError as error:
        return f"cannot write it: {error.strerror or error}"
    return None


def unified_diff(fix: FileFix) -> str:
    """The repair as a unified diff, labelled with the path as the linter shows it."""
    before = _lines(fix.original.decode("utf-8"))
    after = _lines(fix.fixed.decode("utf-8"))
    out = []
    for line in difflib.unified_diff(before, after, fix.target.display, fix.target.display):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines split at '\\n' only (a lone CR or U+2028 is text here), each keeping its ending."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines
