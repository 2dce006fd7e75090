"""The ``agentType`` names of workflow scripts, resolved as the client resolves them.

``agent(prompt, {agentType})`` takes an exact registered name, and an unknown one fails the whole
run ("Agent type 'x' not found"). A plugin's agents are registered as ``<plugin>:<name>`` only; a
project's ``.claude/agents`` by their bare names; the built-in agents everywhere. Names the linter
cannot see (another plugin's, the user's own) are checked only for being a typo of a known one.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ml_agents.frontmatter import Position
from ml_agents.lint import jsparse, rules, spec
from ml_agents.lint.positions import shown
from ml_agents.lint.result import Finding

if TYPE_CHECKING:
    from tree_sitter import Node

    from ml_agents.lint.crossfile import AgentRecord
    from ml_agents.lint.discover import Target

NEAR_MISS_CUTOFF = 0.85


class AgentTypeUse(NamedTuple):
    name: str
    position: Position


class WorkflowRecord(NamedTuple):
    """What the cross-file check needs from one script: the literal ``agentType`` names it uses."""

    target: Target
    uses: list[AgentTypeUse]


def agent_type_uses(root: Node, source: bytes) -> list[AgentTypeUse]:
    """Every ``agentType: '<literal>'`` in the script (computed names cannot be checked)."""
    uses = []
    for node in jsparse.walk(root):
        if node.type != "pair" or jsparse.key_text(node) != "agentType":
            continue
        value = jsparse.unwrapped(node.child_by_field_name("value"))
        name = jsparse.string_value(value) if value is not None else None
        if value is not None and name is not None:
            uses.append(AgentTypeUse(name, jsparse.position(value, source)))
    return uses


def unknown_agent_types(
    workflows: list[WorkflowRecord], agents: list[AgentRecord]
) -> list[Finding]:
    """``agentType`` names the client would not find for each script's place.

    A plugin's script must name the plugin's agents ``<plugin>:<name>``; a project's script
    (``.claude/workflows``) names the project's ``.claude/agents`` by their bare names. Both may
    name the built-in agents. Names from elsewhere (another plugin, the user's own agents) are
    checked only for being one edit away from a known name.
    """
    findings = []
    for record in workflows:
        target = record.target
        plugin = _plugin_name(target.plugin_root) if target.plugin_root else None
        own = _own_agent_names(target, agents)
        qualified = {f"{plugin}:{name}" for name in own} if plugin else set(own)
        known = qualified | set(spec.BUILTIN_AGENTS)
        choices = sorted(known)
        for use in record.uses:
            finding = _agent_type_finding(target.display, use, plugin, own, known, choices)
            if finding is not None:
                findings.append(finding)
    return findings


def _agent_type_finding(
    display: str,
    use: AgentTypeUse,
    plugin: str | None,
    own: set[str],
    known: set[str],
    choices: list[str],
) -> Finding | None:
    name = use.name
    if name in known:
        return None
    line, col = use.position
    if plugin and name in own:
        return rules.make(
            "CC907",
            display,
            line,
            col,
            f"agentType {shown(name)} is this plugin's agent, which Claude Code knows only as "
            f"'{plugin}:{name}'; the run fails with \"agent type '{name}' not found\"",
            f"Write agentType: '{plugin}:{name}'.",
        )
    close = difflib.get_close_matches(name, choices, n=1, cutoff=NEAR_MISS_CUTOFF)
    if not close and plugin:  # a typo of one of the plugin's agents, written bare
        bare = difflib.get_close_matches(name, sorted(own), n=1, cutoff=NEAR_MISS_CUTOFF)
        close = [f"{plugin}:{bare[0]}"] if bare else []
    in_own_namespace = plugin is not None and name.startswith(f"{plugin}:")
    if close or in_own_namespace:
        place = f"plugin {plugin!r}" if plugin else "this project's .claude/agents"
        hint = (
            f"Write agentType: '{close[0]}'." if close else f"Add the agent to {place}'s agents/."
        )
        return rules.make(
            "CC906",
            display,
            line,
            col,
            f"no agent {shown(name)} exists in {place} or among the built-in agents; "
            f"the run fails with \"agent type '{name}' not found\"",
            hint,
        )
    if plugin and ":" not in name:
        return rules.make(
            "CC908",
            display,
            line,
            col,
            f"agentType {shown(name)} is not an agent of plugin {plugin!r} nor a built-in one; "
            "the workflow runs only for users who have their own agent by that name",
            f"Ship the agent in the plugin's agents/ and write agentType: '{plugin}:{name}'.",
        )
    return None


def _own_agent_names(target: Target, agents: list[AgentRecord]) -> set[str]:
    """The names of the agents that load beside the script: its plugin's, or its project's."""
    from ml_agents.lint.deps import real_folder

    if target.plugin_root is not None:
        base = real_folder(str(target.plugin_root)) + os.sep
    elif target.anchor is not None:
        base = real_folder(str(target.anchor.parent / "agents")) + os.sep
    else:
        return set()
    names = set()
    for agent in agents:
        if not agent.key.startswith(base):
            continue
        names.add(agent.name)
        if target.plugin_root is not None and len(agent.scope) > 1:
            names.add(":".join((*agent.scope[1:], agent.name)))
    return names


def agent_folders(target: Target) -> list[Path]:
    """The agents/ folders whose agents a script may name without a namespace of its own."""
    if target.plugin_root is not None:
        return [target.plugin_root / "agents"]
    if target.anchor is not None and target.anchor.parent.name == ".claude":
        return [target.anchor.parent / "agents"]
    return []


def _plugin_name(root: Path) -> str | None:
    try:
        data = json.loads((root / ".claude-plugin" / "plugin.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None
