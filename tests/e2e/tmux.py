"""A small tmux driver: one detached session on a private server, typed into and read like a screen.

Every session gets its own server socket (``tmux -S <file>``), so a test never sees, nor disturbs,
anyone else's tmux. Waits poll a condition with a deadline; there are no fixed sleeps.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

WIDTH = 200
HEIGHT = 50
POLL = 0.2

T = TypeVar("T")


class TmuxUnavailable(Exception):
    """tmux is not installed."""


class WaitTimeout(AssertionError):
    """A condition did not hold in time; the message holds what was waited for and the screen."""


def tmux_executable() -> str:
    found = shutil.which("tmux")
    if found is None:
        raise TmuxUnavailable("tmux is not on PATH (Debian: apt-get install tmux)")
    return found


def wait_until(condition: Callable[[], T | None], timeout: float, describe: Callable[[], str]) -> T:
    """Poll ``condition`` until it returns something truthy; :class:`WaitTimeout` after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise WaitTimeout(f"waited {timeout:.0f} s for {describe()}")
        time.sleep(POLL)


class TmuxSession:
    """``with TmuxSession(socket, command, cwd=..., env=...) as screen:`` runs ``command``.

    The pane stays open after the command exits (``remain-on-exit``), so its last screen can still
    be read; leaving the block kills the private server.
    """

    def __init__(
        self,
        socket: Path,
        command: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        width: int = WIDTH,
        height: int = HEIGHT,
    ) -> None:
        self.tmux = tmux_executable()
        self.socket = socket
        self.command = list(command)
        self.cwd = cwd
        self.env = dict(env)
        self.size = (width, height)
        self.history: list[str] = []
        """Every screen captured so far, for failure messages and for screens that came and went."""

    def _run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [self.tmux, "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env={"PATH": self.env.get("PATH", ""), "HOME": self.env.get("HOME", "/")},
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def __enter__(self) -> TmuxSession:
        # the client sees exactly ``env`` (`env -i` in the pane), not the tmux server's environment
        inner = ["env", "-i", *(f"{k}={v}" for k, v in self.env.items()), *self.command]
        width, height = self.size
        self._run(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            str(width),
            "-y",
            str(height),
            "-c",
            str(self.cwd),
            shlex.join(inner),
        )
        self._run("set-option", "-g", "remain-on-exit", "on")
        return self

    def __exit__(self, *_exc: object) -> None:
        self._run("kill-server", check=False)

    def screen(self) -> str:
        """The visible pane now, as text."""
        text = self._run("capture-pane", "-p", "-J", check=False)
        if not self.history or self.history[-1] != text:
            self.history.append(text)
        return text

    def alive(self) -> bool:
        return self._run("display-message", "-p", "#{pane_dead}", check=False).strip() == "0"

    def type(self, text: str) -> None:
        """Type ``text`` literally (no key names), without pressing Enter."""
        self._run("send-keys", "-l", text)

    def press(self, *keys: str) -> None:
        """Press tmux key names: ``Enter``, ``Escape``, ``Down``, ``C-c``."""
        self._run("send-keys", *keys)

    def wait_for_screen(self, needle: str, timeout: float) -> str:
        """The screen once it shows ``needle``."""
        return wait_until(
            lambda: (lambda s: s if needle in s else None)(self.screen()),
            timeout,
            lambda: f"{needle!r} on the screen; it shows:\n{self.last_screen()}",
        )

    def last_screen(self) -> str:
        return self.history[-1] if self.history else self.screen()
