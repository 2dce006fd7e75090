"""The cases of the interactive suite, and how one is set up and run.

A case is an install route (pip: ``ml-agents install`` into the temp HOME; plugin:
``--plugin-dir``), a path (``workflow``, or ``fallback`` with ``CLAUDE_CODE_DISABLE_WORKFLOWS=1``)
and a pinned client.
Expectations come from the shipped (or, for a negative control, the intact repository's) files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import cli_executable  # tests/conftest.py

from .client import LAST_ON_NODE_20, NEWEST, ClientUnavailable, Pin, ensure_client
from .expect import AgentSpec, Naming, pip_naming, plugin_naming
from .interactive_run import InteractiveRun, run_interactive
from .scenario import (
    GOAL,
    PLUGIN,
    InstallFailed,
    client_unavailable,
    expectations,
    fresh_dirs,
    install_with_cli,
)
from .tmux import TmuxUnavailable, tmux_executable

WORKFLOW_FILE = Path("workflows") / "ml-integration-phase.js"
PLUGIN_PARTS = ("agents", "commands", "workflows", ".claude-plugin")


class InteractiveCase(NamedTuple):
    id: str
    route: str
    """``pip`` or ``plugin``."""
    path: str
    """``workflow`` or ``fallback`` (workflows switched off)."""
    pin: Pin
    handback_tool: str | None
    """The tool the client gives each agent to hand its result back: StructuredOutput inside a
    workflow, SubagentHandback for a background agent (2.1.332), none for a foreground one (2.1.197
    interactive, where the Agent tool still runs in the foreground)."""


def _case(route: str, path: str, pin: Pin) -> InteractiveCase:
    if path == "workflow":
        tool: str | None = "StructuredOutput"
    else:
        tool = "SubagentHandback" if pin == NEWEST else None
    return InteractiveCase(f"{route}-{path}-{pin.version}", route, path, pin, tool)


CASES = (
    _case("pip", "workflow", NEWEST),
    _case("plugin", "workflow", NEWEST),
    _case("pip", "fallback", NEWEST),
    _case("plugin", "fallback", NEWEST),
    _case("pip", "fallback", LAST_ON_NODE_20),
)


class Outcome(NamedTuple):
    case: InteractiveCase
    run: InteractiveRun
    agents: dict[str, AgentSpec | Exception]

    def spec(self, role: str) -> AgentSpec:
        spec = self.agents[role]
        if not isinstance(spec, AgentSpec):
            pytest.fail(f"cannot tell what to expect of {role}: {spec}", pytrace=False)
        return spec


def require_tmux() -> None:
    try:
        tmux_executable()
    except TmuxUnavailable as error:
        client_unavailable(f"interactive tests need tmux: {error}")


def copy_plugin(target: Path) -> Path:
    """The plugin tree (what ``--plugin-dir`` loads) copied into ``target``."""
    for part in PLUGIN_PARTS:
        if (PLUGIN / part).is_dir():
            shutil.copytree(PLUGIN / part, target / part)
    return target


def run_case(
    case: InteractiveCase, root: Path, breakage: Callable[[Path], None] | None = None
) -> Outcome:
    """Install by the case's route, optionally break the installed workflow script (given its
    path), run the interactive scenario."""
    require_tmux()
    try:
        client = ensure_client(case.pin)
    except ClientUnavailable as error:
        client_unavailable(f"Claude Code {case.pin.version}: {error}")
    home, project = fresh_dirs(root)
    naming: Naming
    if case.route == "pip":
        naming = pip_naming()
        try:
            install_with_cli(cli_executable(), [], home=home, cwd=home.parent)
        except InstallFailed as error:
            pytest.fail(f"install route pip: {error}", pytrace=False)
        client_args: list[str] = []
        script = home / ".claude" / WORKFLOW_FILE
    else:
        naming = plugin_naming()
        bundle = copy_plugin(root / "ml-agents") if breakage else PLUGIN
        client_args = ["--plugin-dir", str(bundle)]
        script = bundle / WORKFLOW_FILE
    if breakage is not None:
        breakage(script)
    extra_env = {"CLAUDE_CODE_DISABLE_WORKFLOWS": "1"} if case.path == "fallback" else {}
    run = run_interactive(
        client,
        command=naming.command,
        goal=GOAL,
        home=home,
        project=project,
        client_args=client_args,
        extra_env=extra_env,
    )
    agents, _command = expectations(PLUGIN, naming)
    return Outcome(case, run, dict(agents))
