"""Both routes at once with the real client: the plugin installed by ``claude plugin install``,
our copy by ``ml-agents install``. The notice's plugin command must be one the client runs."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, cli_executable  # tests/conftest.py

from .client import ClientInstall, claude_cli, offline_env

pytestmark = pytest.mark.e2e

MARKETPLACE_CONTENT = (".claude-plugin", "plugins")  # the marketplace and the plugin it lists


def ml_agents(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = offline_env(Path(cli_executable()).parent, home)
    return subprocess.run(
        [cli_executable(), *args], env=env, cwd=home, capture_output=True, text=True, check=False
    )


def test_the_printed_command_removes_the_plugin_route(
    client: ClientInstall, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    marketplace = tmp_path / "marketplace"
    for name in MARKETPLACE_CONTENT:
        shutil.copytree(REPO / name, marketplace / name)
    added = claude_cli(client, home, "plugin", "marketplace", "add", str(marketplace))
    assert added.returncode == 0, added.stdout + added.stderr
    installed = claude_cli(client, home, "plugin", "install", "ml-agents@ml-agents")
    assert installed.returncode == 0, installed.stdout + installed.stderr

    ours = ml_agents(home, "install")
    assert ours.returncode == 0, ours.stdout + ours.stderr
    assert ours.stdout.count("Two routes at once") == 1, ours.stdout
    command = ours.stdout.split("Keep one: `")[1].split("`")[0]
    assert command == "claude plugin uninstall ml-agents@ml-agents"
    removed = claude_cli(client, home, *shlex.split(command)[1:])
    assert removed.returncode == 0, removed.stdout + removed.stderr

    status = ml_agents(home, "status", "--scope", "user")
    assert status.returncode == 0, status.stderr
    assert "Two routes at once" not in status.stdout
