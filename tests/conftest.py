"""Shared test helpers: every CLI test runs the installed ``ml-agents`` as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
# the plugin the marketplace lists; the pip route ships the same files
PLUGIN = REPO / "plugins" / "ml-agents"

# Property tests: the "full" profile (CI=true, as .ci/run sets) runs every example each test
# asks for; the "fast" one (the default elsewhere) a twentieth, for a quick local loop.
# ML_AGENTS_HYPOTHESIS=full|light|fast chooses explicitly (light, a fifth, runs on the extra
# Pythons in .ci/run).
HYPOTHESIS_ENV = "ML_AGENTS_HYPOTHESIS"
HYPOTHESIS_PROFILES = {"full": 1, "light": 5, "fast": 20}  # a share of the full counts
HYPOTHESIS_PROFILE = os.environ.get(HYPOTHESIS_ENV) or (
    "full" if os.environ.get("CI") == "true" else "fast"
)
if HYPOTHESIS_PROFILE not in HYPOTHESIS_PROFILES:
    raise pytest.UsageError(
        f"{HYPOTHESIS_ENV}={HYPOTHESIS_PROFILE!r}: expected one of {', '.join(HYPOTHESIS_PROFILES)}"
    )
for _name, _share in HYPOTHESIS_PROFILES.items():
    settings.register_profile(_name, max_examples=max(10, 100 // _share), database=None)
settings.load_profile(HYPOTHESIS_PROFILE)


def examples(full: int) -> int:
    """A property test's example count under the selected profile (``full`` in CI)."""
    return max(10, full // HYPOTHESIS_PROFILES[HYPOTHESIS_PROFILE])


def pytest_report_header() -> str:
    return (
        f"hypothesis profile: {HYPOTHESIS_PROFILE} ({HYPOTHESIS_ENV}=full for CI's example counts)"
    )


AGENT_NAMES = (
    "product-manager",
    "data-scientist",
    "ml-engineer",
    "backend-developer",
    "cloud-architect",
    "devops-engineer",
    "performance-optimizer",
    "frontend-developer",
    "security-auditor",
    "documentation-specialist",
)


def as_nobody(command: list[str]) -> list[str]:
    """Root reads everything: as root, ``command`` runs as nobody (setpriv) so that it meets an
    unreadable file; skipped where privileges cannot be dropped."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop privileges")
    drop = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*drop, cli_executable(), "--version"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"this interpreter cannot run as nobody: {probe.stderr[-200:]!r}")
    return [*drop, *command]


def cli_executable() -> str:
    """The console script installed beside this interpreter (a venv's bin/), else on PATH."""
    beside = Path(sys.executable).with_name("ml-agents")
    if beside.exists():
        return str(beside)
    found = shutil.which("ml-agents")
    if found is None:
        pytest.fail("the ml-agents console script is not installed: run `pip install '.[test]'`")
    return found


RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fresh, empty HOME: no test may ever touch the real ~/.claude."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def cli_env(home: Path) -> dict[str, str]:
    # GITHUB_ACTIONS and FORCE_COLOR change lint's default format and colour: tests set them
    outside = ("GITHUB_ACTIONS", "FORCE_COLOR")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLAUDE", "ML_AGENTS")) and k not in outside
    }
    env.update(HOME=str(home), NO_COLOR="1", LANG="C.UTF-8", PYTHONDONTWRITEBYTECODE="1")
    return env


@pytest.fixture
def run_cli(cli_env: dict[str, str], tmp_path: Path) -> RunCli:
    """``run_cli("install", "--dry-run", cwd=..., env={...})`` runs the installed CLI."""

    def run(
        *args: str,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        input: str | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        full_env = dict(cli_env)
        if env:
            full_env.update(env)
        return subprocess.run(
            [cli_executable(), *args],
            cwd=cwd or tmp_path,
            env=full_env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


def write(path: Path, text: str | bytes) -> Path:
    """Write a test file, creating its folders; bytes are written as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def tree_bytes(root: Path, skip: Sequence[str] = ()) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), for before/after comparisons."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part in skip for part in p.relative_to(root).parts)
    }


def run_python(
    code: str, args: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -c CODE ARGS`` in ``cwd``, in an environment without the caller's Claude Code
    and ml-agents settings or colour (``env`` added on top); a traceback fails the test."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE", "ML_AGENTS"))}
    full_env.update(NO_COLOR="1", LANG="C.UTF-8", PYTHONDONTWRITEBYTECODE="1")
    full_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done
