"""Negative control: the same harness, run on copies with deliberately broken files, reports them.

The real client never fails on a bad agent file (it drops the agent, drops a tool, or falls back to
empty frontmatter, and exits 0), so this proves the checks of test_e2e_routes.py can fail: each
breakage below is caught, and an untouched agent in the same run still passes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .checks import agent_list_problems, command_problems, debug_log_problems, subagent_problems
from .client import ClientInstall
from .expect import PLUGIN_NAME, AgentSpec, CommandSpec, pip_naming, plugin_naming
from .scenario import GOAL, PLUGIN, Scenario, fresh_dirs, run_scenario

pytestmark = pytest.mark.e2e

# frontmatter the YAML parser rejects even after the client's auto-quoting
BAD_YAML = "data-scientist"
# a project agent without a description is dropped; a plugin one gets a stock description
NO_DESCRIPTION = "ml-engineer"
MISSPELT_TOOL = "cloud-architect"  # the client silently drops an unknown tool name
UNTOUCHED = "product-manager"
LAYOUTS = ("plugin", "project")


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{path.name}: the negative control found no {pattern!r} to break"
    path.write_text(edited, encoding="utf-8")


def break_files(bundle: Path) -> None:
    """Break three agents and the command in a copy of ``agents/`` and ``commands/``."""
    agents = bundle / "agents"
    _edit(agents / f"{BAD_YAML}.md", r"^(name: .*\n)", r"\1  - unbalanced: [\n")
    _edit(agents / f"{NO_DESCRIPTION}.md", r"^description:.*\n", "")
    _edit(agents / f"{MISSPELT_TOOL}.md", r"^(tools:.*)\bRead\b", r"\1Reed")
    _edit(bundle / "commands" / "ml-integration.md", r"\$ARGUMENTS", "$ARGUMENT_TEXT")


def copy_bundle(target: Path, parts: tuple[str, ...] = ("agents", "commands")) -> Path:
    for part in parts:
        if (PLUGIN / part).is_dir():
            shutil.copytree(PLUGIN / part, target / part)
    return target


@pytest.fixture(scope="module", params=LAYOUTS)
def broken_run(
    request: pytest.FixtureRequest, client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> Scenario:
    layout: str = request.param
    root = tmp_path_factory.mktemp(f"negative-{layout}-{client.version}")
    home, project = fresh_dirs(root / "run")
    if layout == "plugin":
        # the folder name is the plugin name when the copy has no manifest
        bundle = copy_bundle(root / PLUGIN_NAME, ("agents", "commands", ".claude-plugin"))
        naming, extra_args = plugin_naming(), ["--plugin-dir", str(bundle)]
    else:  # what the pip route installs: .claude/agents and .claude/commands of the project
        bundle = copy_bundle(project / ".claude")
        naming, extra_args = pip_naming(), []
    break_files(bundle)
    # the expectations come from the repository's intact files, exactly as in test_e2e_routes.py
    return run_scenario(
        client, naming, home=home, project=project, extra_args=extra_args, log_names=[str(bundle)]
    )


def _spec(run: Scenario, role: str) -> AgentSpec:
    spec = run.agents[role]
    assert isinstance(spec, AgentSpec), spec
    return spec


def test_the_checks_pass_an_untouched_agent(broken_run: Scenario) -> None:
    spec = _spec(broken_run, UNTOUCHED)
    assert agent_list_problems(broken_run.run.requests, spec) == []
    assert subagent_problems(broken_run.run.requests, spec) == []


def test_unparseable_frontmatter_is_reported(broken_run: Scenario) -> None:
    spec = _spec(broken_run, BAD_YAML)
    logged = debug_log_problems(broken_run.run.debug_log, broken_run.log_names)
    assert any(f"{BAD_YAML}.md" in p for p in logged), logged
    # a plugin agent falls back to "Agent from <plugin> plugin" with all tools; a project agent
    # without a name is dropped
    assert agent_list_problems(broken_run.run.requests, spec)
    assert subagent_problems(broken_run.run.requests, spec)


def test_an_agent_without_description_is_reported(broken_run: Scenario) -> None:
    spec = _spec(broken_run, NO_DESCRIPTION)
    listed = agent_list_problems(broken_run.run.requests, spec)
    assert listed
    if broken_run.naming.namespace:
        # a plugin agent still loads, as "Agent from <plugin> plugin": only the list shows it
        assert "Agent from" in listed[0], listed
    else:  # a project agent without a description is dropped, so it cannot be launched either
        assert subagent_problems(broken_run.run.requests, spec)


def test_a_misspelt_tool_is_reported(broken_run: Scenario) -> None:
    spec = _spec(broken_run, MISSPELT_TOOL)
    listed = agent_list_problems(broken_run.run.requests, spec)
    assert listed and "Reed" in listed[0], listed
    ran = subagent_problems(broken_run.run.requests, spec)
    assert any("missing ['Read']" in p for p in ran), ran


def test_a_command_without_its_placeholder_is_reported(broken_run: Scenario) -> None:
    spec = broken_run.command
    assert isinstance(spec, CommandSpec), spec
    problems = command_problems(broken_run.run.requests, spec, GOAL)
    assert any("with the goal in place" in p for p in problems), problems
