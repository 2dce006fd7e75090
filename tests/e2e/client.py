"""A pinned Claude Code from the npm registry, installed once into a cache folder, run headless.

The cache is ``$ML_AGENTS_E2E_CACHE/<version>`` (default ``~/.cache/ml-agents/e2e/<version>``): a
``package.json`` and ``node_modules`` made by ``npm install``. The install is idempotent (a working
folder is reused as it is) and serialised with a lock file, since two test runs may overlap.

Releases from 2.1.198 on declare ``engines.node >= 22``; on an older system node the newest one is
installed with ``node@22`` from the npm registry beside it, and that ``node_modules/.bin`` goes
first on ``PATH`` (real-client-testing.md, "Getting the client").
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .fake_api import FakeApi, LoggedRequest, Script

INSTALL_TIMEOUT = 900.0
RUN_TIMEOUT = 180.0


class Pin(NamedTuple):
    version: str
    node_major: int
    """The node major the release needs (``engines``); an older system node gets one beside it."""


NEWEST = Pin("2.1.332", 22)
LAST_ON_NODE_20 = Pin("2.1.197", 20)
PINS = (NEWEST, LAST_ON_NODE_20)


class ClientInstall(NamedTuple):
    version: str
    bin_dir: Path
    """``node_modules/.bin``: holds ``claude`` (and ``node`` when one was installed beside it)."""


class ClientUnavailable(Exception):
    """The client could not be installed or does not run; the message says why."""


def cache_root() -> Path:
    configured = os.environ.get("ML_AGENTS_E2E_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "ml-agents" / "e2e"


def client_path(bin_dir: Path) -> str:
    return os.pathsep.join([str(bin_dir), os.environ.get("PATH") or os.defpath])


def offline_env(bin_dir: Path, home: str | Path, **extra: str) -> dict[str, str]:
    """A minimal environment for the client: its own HOME, no traffic beyond loopback."""
    return {
        "PATH": client_path(bin_dir),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_TELEMETRY": "1",
        **extra,
    }


def ensure_client(pin: Pin, root: Path | None = None) -> ClientInstall:
    """Return a working install of ``pin``, installing it first if the cache folder lacks one."""
    root = root or cache_root()
    folder = root / pin.version
    ready = _probe(folder, pin)
    if ready is not None:
        return ready
    npm = shutil.which("npm")
    if npm is None:
        raise ClientUnavailable(
            f"npm is not on PATH, so Claude Code {pin.version} cannot be installed"
        )
    with _lock(root / f"{pin.version}.lock"):
        ready = _probe(folder, pin)  # another run may have finished the install while we waited
        if ready is not None:
            return ready
        _npm_install(npm, folder, pin)
        ready = _probe(folder, pin)
    if ready is None:
        raise ClientUnavailable(
            f"npm installed Claude Code {pin.version} into {folder}, "
            f"but `claude --version` there does not report {pin.version}"
        )
    return ready


def _npm_install(npm: str, folder: Path, pin: Pin) -> None:
    # start from a clean folder: a half-finished earlier install must not be trusted
    for leftover in ("node_modules", "package.json", "package-lock.json"):
        path = folder / leftover
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"private": true}\n', encoding="utf-8")
    packages = [f"@anthropic-ai/claude-code@{pin.version}"]
    if system_node_major() < pin.node_major:
        packages.insert(0, f"node@{pin.node_major}")
    command = [
        npm,
        "install",
        "--no-audit",
        "--no-fund",
        "--save-exact",
        "--loglevel=error",
        *packages,
    ]
    try:
        done = subprocess.run(
            command,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ClientUnavailable(
            f"`{' '.join(command[1:])}` timed out after {error.timeout:.0f} s"
        ) from None
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise ClientUnavailable(
            f"`npm {' '.join(command[1:])}` in {folder} failed (exit {done.returncode}):\n{tail}"
        )


def system_node_major() -> int:
    node = shutil.which("node")
    if node is None:
        return 0
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return 0
    match = re.match(r"v(\d+)\.", out.strip())
    return int(match.group(1)) if match else 0


def _probe(folder: Path, pin: Pin) -> ClientInstall | None:
    bin_dir = folder / "node_modules" / ".bin"
    claude = bin_dir / "claude"
    if not claude.exists():
        return None
    if system_node_major() < pin.node_major and not (bin_dir / "node").exists():
        return None
    with tempfile.TemporaryDirectory(prefix="ml-agents-e2e-probe-") as home:
        env = offline_env(bin_dir, home)
        try:
            done = subprocess.run(
                [str(claude), "--version"],
                env=env,
                cwd=home,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    if not done.stdout.strip().startswith(f"{pin.version} "):
        return None
    return ClientInstall(pin.version, bin_dir)


@contextlib.contextmanager
def _lock(path: Path, timeout: float = INSTALL_TIMEOUT) -> Iterator[None]:
    import fcntl  # POSIX only, like the e2e tests themselves

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ClientUnavailable(
                        f"timed out waiting for the install lock {path}"
                    ) from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ClientRun(NamedTuple):
    """Everything one headless run left behind. Tests judge ``requests``, never ``returncode``."""

    requests: list[dict[str, Any]]
    """Bodies of every ``POST /v1/messages``, in arrival order."""
    logged: list[LoggedRequest]
    debug_log: str
    stdout: str
    stderr: str
    returncode: int | None
    script_errors: list[str]

    def summary(self) -> str:
        """One line for failure messages: what the client answered, how many requests it sent."""
        try:
            output = json.loads(self.stdout)
            answer = f"result {str(output.get('result'))[:200]!r}"
        except (json.JSONDecodeError, AttributeError):
            answer = f"stdout {self.stdout.strip()[:300]!r}"
        stderr = f"; stderr {self.stderr.strip()[:300]!r}" if self.stderr.strip() else ""
        return f"exit {self.returncode}; {len(self.requests)} message requests; {answer}{stderr}"


def run_client(
    client: ClientInstall,
    *,
    prompt: str,
    home: Path,
    project: Path,
    script: Script,
    extra_args: Sequence[str] = (),
    timeout: float = RUN_TIMEOUT,
    extra_env: Mapping[str, str] | None = None,
) -> ClientRun:
    """Run ``claude -p <prompt>`` in ``project`` with HOME=``home`` against a fresh fake API;
    ``extra_env`` adds variables such as ``CLAUDE_CODE_DISABLE_WORKFLOWS``."""
    debug_file = home.parent / f"debug-{uuid.uuid4().hex[:8]}.log"
    with FakeApi(script) as api:
        env = offline_env(
            client.bin_dir,
            home,
            ANTHROPIC_BASE_URL=api.base_url,
            ANTHROPIC_API_KEY="sk-test",
            **(extra_env or {}),
        )
        command = [
            str(client.bin_dir / "claude"),
            "-p",
            prompt,
            "--output-format",
            "json",
            "--session-id",
            str(uuid.uuid4()),
            "--debug-file",
            str(debug_file),
            *extra_args,
        ]
        try:
            done = subprocess.run(
                command,
                cwd=project,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            stdout, stderr, returncode = done.stdout, done.stderr, done.returncode
        except subprocess.TimeoutExpired as error:
            stdout = _text(error.stdout)
            stderr = _text(error.stderr) + f"\n[timed out after {timeout:.0f} s]"
            returncode = None
        debug_log = (
            debug_file.read_text(encoding="utf-8", errors="replace") if debug_file.exists() else ""
        )
        return ClientRun(
            api.message_requests(),
            list(api.requests),
            debug_log,
            stdout,
            stderr,
            returncode,
            list(api.script_errors),
        )


class Initialized(NamedTuple):
    commands: list[dict[str, Any]]
    stderr: str


def claude_cli(client: ClientInstall, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A ``claude`` subcommand (``plugin install ...``) run offline in ``home``."""
    return subprocess.run(
        [str(client.bin_dir / "claude"), *args],
        env=offline_env(client.bin_dir, home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def initialize_reply(
    client: ClientInstall, home: Path, project: Path, *args: str
) -> tuple[dict[str, Any] | None, str]:
    """The client's reply to the ``initialize`` control request (its commands, agents, ...), made
    headless with ``args`` (such as ``--plugin-dir``) and no model call; None when it gave none.
    Also the client's stderr."""
    request = {"type": "control_request", "request_id": "r1", "request": {"subtype": "initialize"}}
    done = subprocess.run(
        [
            *(str(client.bin_dir / "claude"), "-p", "--verbose", *args),
            *("--input-format", "stream-json", "--output-format", "stream-json"),
        ],
        input=json.dumps(request) + "\n",
        cwd=project,
        env=offline_env(client.bin_dir, home, ANTHROPIC_BASE_URL="http://127.0.0.1:9"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    reply: dict[str, Any] | None = None
    for line in done.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(message, dict) and message.get("type") == "control_response":
            reply = message["response"].get("response", {})
    return reply, done.stderr


def initialize_commands(
    client: ClientInstall, home: Path, project: Path, *args: str
) -> Initialized:
    """The client's own list of commands, from its ``initialize`` reply (see above)."""
    reply, stderr = initialize_reply(client, home, project, *args)
    return Initialized((reply or {}).get("commands", []), stderr)


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


def new_project(root: Path) -> tuple[Path, Path]:
    """A fresh HOME and a fresh project folder under ``root``; the project is its own git root, so
    no ``.claude`` folder above it is picked up by the client."""
    home = root / "home"
    project = root / "project"
    home.mkdir(parents=True)
    project.mkdir(parents=True)
    git = shutil.which("git")
    if git is None:
        raise ClientUnavailable("git is not on PATH; the e2e project folder must be a git root")
    subprocess.run(
        [git, "-c", "init.defaultBranch=main", "init", "-q", str(project)],
        env={"PATH": os.environ.get("PATH") or os.defpath, "HOME": str(home), "LANG": "C.UTF-8"},
        check=True,
        capture_output=True,
        timeout=60,
    )
    return home, project
