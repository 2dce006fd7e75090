"""One end-to-end scenario: install by one route, run ``/ml-integration <goal>`` in the real client
with a model that launches each of the ten agents in turn, and keep what the client sent.

The expectations always come from the repository's own files (``agents/``, ``commands/``), renamed
for the route, so an install that writes anything else, and a client that loads anything else, fail.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, NoReturn

import pytest
from conftest import AGENT_NAMES  # tests/conftest.py

from .checks import launch_each
from .client import ClientInstall, ClientRun, ClientUnavailable, new_project, run_client
from .expect import (
    COMMAND_STEM,
    AgentSpec,
    CommandSpec,
    Naming,
    SpecError,
    agent_spec,
    command_spec,
    pip_naming,
    plugin_naming,
)

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "plugins" / "ml-agents"  # what --plugin-dir loads and the marketplace lists
GOAL = "build a churn model from billing events"
PREFIX = "ml-"
AGENT_ROLES: tuple[str, ...] = AGENT_NAMES  # workflow order: product-manager first


class Route(NamedTuple):
    id: str
    naming: Naming
    install_args: tuple[str, ...] | None
    """``ml-agents install`` arguments; ``None`` for the plugin route (``--plugin-dir``)."""
    scope: str
    """Where the pip route installs: ``user`` (``$HOME/.claude``) or ``project`` (``./.claude``)."""


ROUTES = (
    Route("plugin", plugin_naming(), None, "plugin"),
    Route("pip-user", pip_naming(), (), "user"),
    Route("pip-project", pip_naming(), ("--scope", "project"), "project"),
    Route("pip-prefix", pip_naming(PREFIX), ("--prefix", PREFIX), "user"),
)


class Scenario(NamedTuple):
    version: str
    naming: Naming
    run: ClientRun
    agents: dict[str, AgentSpec | SpecError]
    """role -> what the client should list and launch (or why the shipped file can't say)."""
    command: CommandSpec | SpecError
    log_names: list[str]
    """Names that mark a debug-log record as being about our files."""


class InstallFailed(Exception):
    pass


def client_unavailable(reason: str) -> NoReturn:
    """Skip loudly; in CI (``CI=true``) fail instead, since CI must run against the real client."""
    message = f"END-TO-END TESTS NOT RUN against the real Claude Code client: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}\n(CI=true: CI must run them)", pytrace=False)
    pytest.skip(f"{message} (with CI=true this is a failure)")


def fresh_dirs(root: Path) -> tuple[Path, Path]:
    """A fresh (HOME, project) pair under ``root``, outside the repository."""
    try:
        return new_project(root)
    except ClientUnavailable as error:
        reason = str(error)
    client_unavailable(reason)


def cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE", "ML_AGENTS"))}
    env.update(HOME=str(home), NO_COLOR="1", LANG="C.UTF-8", PYTHONDONTWRITEBYTECODE="1")
    return env


def install_with_cli(executable: str, args: Sequence[str], *, home: Path, cwd: Path) -> str:
    """Run the installed ``ml-agents install <args>``; its output, or :class:`InstallFailed`."""
    done = subprocess.run(
        [executable, "install", *args],
        cwd=cwd,
        env=cli_env(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = f"{done.stdout}{done.stderr}".strip()
    if done.returncode != 0:
        raise InstallFailed(
            f"`ml-agents install {' '.join(args)}` exited {done.returncode}:\n{output}"
        )
    return output


class Prepared(NamedTuple):
    naming: Naming
    client_args: list[str]
    log_names: list[str]
    """The installed files' names (or the plugin folder): debug-log records naming them are ours."""


def prepare_route(route: Route, executable: str, *, home: Path, project: Path) -> Prepared:
    """Install by ``route`` into the fresh HOME or project."""
    if route.install_args is None:
        return Prepared(route.naming, ["--plugin-dir", str(PLUGIN)], [str(PLUGIN)])
    cwd = project if route.scope == "project" else home.parent
    install_with_cli(executable, route.install_args, home=home, cwd=cwd)
    target = (project if route.scope == "project" else home) / ".claude"
    installed = sorted(p for kind in ("agents", "commands") for p in (target / kind).glob("*.md"))
    if not installed:
        raise InstallFailed(
            f"`ml-agents install {' '.join(route.install_args)}` wrote nothing under {target}"
        )
    # `install --prefix` renames the agents and the references to them, not the command
    # (src/ml_agents/install/payload.py): /ml-integration stays /ml-integration on every pip route.
    if not (target / "commands" / f"{COMMAND_STEM}.md").is_file():
        raise InstallFailed(f"no {COMMAND_STEM}.md under {target / 'commands'}")
    return Prepared(route.naming, [], [p.name for p in installed])


def expectations(
    bundle: Path, naming: Naming
) -> tuple[dict[str, AgentSpec | SpecError], CommandSpec | SpecError]:
    agents: dict[str, AgentSpec | SpecError] = {}
    for role in AGENT_ROLES:
        try:
            agents[role] = agent_spec(bundle / "agents" / f"{role}.md", naming, AGENT_ROLES)
        except SpecError as error:
            agents[role] = error
    command: CommandSpec | SpecError
    try:
        command = command_spec(bundle / "commands" / "ml-integration.md", naming, AGENT_ROLES)
    except SpecError as error:
        command = error
    return agents, command


def run_scenario(
    client: ClientInstall,
    naming: Naming,
    *,
    home: Path,
    project: Path,
    extra_args: Sequence[str] = (),
    log_names: Sequence[str] = (),
    bundle: Path = PLUGIN,
) -> Scenario:
    """Run ``/<command> GOAL`` once; the fake model launches all ten agents one after the other."""
    agents, command = expectations(bundle, naming)
    agent_types = [f"{naming.namespace}{naming.prefix}{role}" for role in AGENT_ROLES]
    run = run_client(
        client,
        prompt=f"/{naming.command} {GOAL}",
        home=home,
        project=project,
        script=launch_each(agent_types),
        extra_args=extra_args,
    )
    names = [*log_names, *agent_types, *(f"{role}.md" for role in AGENT_ROLES)]
    names += [
        "ml-integration.md",
        naming.command,
        ".claude-plugin",
        "plugin.json",
        "marketplace.json",
    ]
    return Scenario(client.version, naming, run, agents, command, names)
