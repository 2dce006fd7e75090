"""Plugin route and pip route at once, said once with its cost (issue 14); --force backups."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import test_install
import yaml
from conftest import PLUGIN, REPO, RunCli, write
from test_install import agent_text

cli = test_install.cli
project = test_install.project


def plugin_route(home: Path) -> Path:
    """The ml-agents plugin as the client caches it: plugins/cache/<market>/<plugin>/<version>."""
    root = home / ".claude" / "plugins" / "cache" / "ml-agents" / "ml-agents" / "0.1.0"
    shutil.copytree(PLUGIN / "agents", root / "agents")
    shutil.copytree(REPO / ".claude-plugin", root / ".claude-plugin")
    return root


def description_chars(folder: Path) -> int:
    total = 0
    for path in folder.glob("*.md"):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        total += len(yaml.safe_load(front)["description"])
    return total


def test_both_routes_are_reported_once_with_their_cost_and_the_commands(
    cli: RunCli, home: Path
) -> None:
    plugin = plugin_route(home)
    chars = description_chars(plugin / "agents")
    count = len(list((plugin / "agents").glob("*.md")))
    result = cli("install")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    notices = [line for line in lines if "Two routes at once" in line]
    assert len(notices) == 1, result.stdout
    assert f"lists {count} agent(s) twice" in notices[0]
    assert f"adding {chars:,} characters of descriptions to every request" in notices[0]
    assert "`claude plugin uninstall ml-agents@ml-agents` removes the plugin" in result.stdout
    assert "`ml-agents uninstall --scope user` removes this copy" in result.stdout
    assert "Name clashes" not in result.stdout
    assert not [line for line in lines if "installed too (" in line], "no line per agent"

    document = json.loads(cli("install", "--json").stdout)["two_routes"]
    assert document == {
        "names": sorted(p.stem for p in (plugin / "agents").glob("*.md")),
        "characters": chars,
        "remove_plugin": "claude plugin uninstall ml-agents@ml-agents",
        "remove_copy": "ml-agents uninstall --scope user",
    }
    (scope,) = json.loads(cli("status", "--json", "--scope", "user").stdout)["scopes"]
    assert scope["two_routes"] == document

    status = cli("status", "--scope", "user")
    assert status.returncode == 0
    assert status.stdout.count("Two routes at once") == 1, status.stdout
    assert "`ml-agents uninstall --scope user` removes this copy" in status.stdout


def test_a_plugin_the_client_uninstalled_is_not_a_second_route(cli: RunCli, home: Path) -> None:
    """`claude plugin uninstall` leaves the cached copy with an `.orphaned_at` mark (seen with
    2.1.197 and 2.1.332, tests/e2e/test_e2e_two_routes.py) and loads none of it."""
    write(plugin_route(home) / ".orphaned_at", "1764532576000")
    result = cli("install")
    assert result.returncode == 0, result.stderr
    assert "Two routes at once" not in result.stdout
    assert "clash" not in result.stdout.lower()


def test_the_routes_notice_names_the_target_when_there_is_no_scope(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    plugin_route(home)
    target = tmp_path / "my claude"
    result = cli("install", "--target", str(target))
    assert result.returncode == 0, result.stderr
    assert f"`ml-agents uninstall --target {shlex.quote(str(target))}`" in result.stdout
    removed = cli("uninstall", "--target", str(target))
    assert removed.returncode == 0 and not target.exists()


def test_other_clashes_still_get_a_line_each(cli: RunCli, home: Path) -> None:
    plugin = home / ".claude" / "plugins" / "cache" / "market" / "other" / "1.0.0"
    write(plugin / ".claude-plugin" / "plugin.json", '{"name": "other-collection"}')
    write(plugin / "agents" / "data-scientist.md", agent_text("data-scientist"))
    result = cli("install")
    assert result.returncode == 0
    assert "Two routes at once" not in result.stdout
    assert "Name clashes:\n  data-scientist: the plugin agent" in result.stdout


def test_after_force_then_uninstall_the_user_learns_how_to_restore_the_original(
    cli: RunCli, home: Path
) -> None:
    target = home / ".claude"
    original = write(target / "agents" / "data-scientist.md", agent_text("data-scientist"))
    mine = original.read_bytes()
    assert cli("install", "--force").returncode == 0
    result = cli("uninstall")
    assert result.returncode == 0, result.stderr
    (line,) = [row for row in result.stdout.splitlines() if "moved aside by --force" in row]
    command = line.split("`")[1]
    assert command.startswith("mv ")
    subprocess.run(command, shell=True, check=True)
    assert original.read_bytes() == mine, "the printed command puts the original back"
    assert json.loads(cli("status", "--json").stdout)["scopes"][0]["installed_version"] is None
