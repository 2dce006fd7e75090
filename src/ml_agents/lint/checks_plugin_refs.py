"""Agent names in a plugin's commands and skills, as the client resolves them once installed.

Plugin agents are namespaced, ``<plugin>:[<subfolder>:]<name>`` (claude-code-format.md §1.4), and
the Agent tool looks the type up exactly: a bare ``subagent_type: reviewer`` in a plugin's command
fails with "Agent type 'reviewer' not found" (real-client-testing.md), as does a doubled colon.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from pathlib import Path

from ml_agents import frontmatter
from ml_agents.frontmatter import Position
from ml_agents.lint import crossfile, deps, rules, spec
from ml_agents.lint.checks_plugin_listing import MANIFEST, as_loaded, listed_paths
from ml_agents.lint.crossfile import AgentRecord, AgentTypeUse, CommandRecord
from ml_agents.lint.positions import LineIndex
from ml_agents.lint.result import Finding

_SUBAGENT_TYPE = re.compile(
    r"subagent_type[\"'`]?[ \t]*[:=][ \t]*[\"'`]?([A-Za-z0-9][\w.:-]{0,200})"
)
_AGENT_FIELD = re.compile(r"^agent:[ \t]*[\"']?([A-Za-z0-9][\w.:-]{0,200})", re.MULTILINE)


def agent_type_uses(text: str) -> tuple[AgentTypeUse, ...]:
    """Every agent type a command or skill names: ``agent:`` in its frontmatter, ``subagent_type``
    in its body. Found when the file is linted and cached with its result, so the cross-file check
    below reads no file again."""
    block = frontmatter.find_block(text)
    header_end = block.end if block else 0
    matches = list(_AGENT_FIELD.finditer(text, 0, header_end)) if block else []
    matches += _SUBAGENT_TYPE.finditer(text, header_end)
    if not matches:
        return ()
    lines = LineIndex(text)
    return tuple(
        AgentTypeUse(match.group(1).rstrip(".:"), lines.position(match.start(1)))
        for match in matches
    )


def bare_agent_types(
    commands: list[CommandRecord], agents: list[AgentRecord], cwd: Path
) -> list[Finding]:
    """CC315 for a plugin's own agent named without its namespace, CC316 for a doubled colon.

    ``agents``: the agents of this run; the plugin's other agents are read from its folder."""
    by_plugin: dict[Path, list[CommandRecord]] = defaultdict(list)
    for command in commands:
        if command.target.plugin_root is not None and command.agent_types:
            by_plugin[command.target.plugin_root].append(command)
    findings: list[Finding] = []
    for root, members in by_plugin.items():
        ids = _plugin_agent_ids(root, agents, cwd)
        for command in members:
            display = command.target.display
            for use in command.agent_types:
                finding = _finding(display, use.position, use.value, ids)
                if finding is not None:
                    findings.append(finding)
    return findings


def _plugin_agent_ids(root: Path, agents: list[AgentRecord], cwd: Path) -> dict[str, str]:
    """Each agent of the plugin at ``root``: its bare name -> the id the client gives it.

    Listed in plugin.json, an agent is ``<plugin>:<name>`` from any folder; in the default
    ``agents/`` folder each subfolder adds a part (checks_plugin_listing.as_loaded)."""
    listed = listed_paths(root, "agents")
    if listed is not None:
        folders = sorted({deps.ask("real_folder", os.path.dirname(path)) for path in listed})  # noqa: PTH120
    else:
        folder = root / "agents"
        if not deps.ask("is_dir", str(folder)):
            return {}
        folders = [deps.ask("real_folder", str(folder))]
    plugin = _plugin_name(root)
    ids: dict[str, str] = {}
    for real in folders:
        inside = real + os.sep
        linted = [record for record in agents if record.key.startswith(inside)]
        listing_root = None if listed is None else str(root)
        keys = {record.key for record in linted}
        others = crossfile.neighbour_agents(real, keys, cwd, listing_root)
        order = {key: index for index, key in enumerate(deps.ask("markdown_files", real))}
        records = sorted([*linted, *others], key=lambda r: order.get(r.key, len(order)))
        if listed is not None:
            for record in as_loaded(records):
                ids.setdefault(record.name, f"{plugin}:{record.name}")
            continue
        for record in records:
            ids.setdefault(record.name, ":".join([plugin, *record.scope[1:], record.name]))
    return ids


def _plugin_name(root: Path) -> str:
    deps.ask("status", str(root / MANIFEST))
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        data = None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else root.name


def _finding(display: str, where: Position, value: str, ids: dict[str, str]) -> Finding | None:
    if "::" in value:
        fixed = re.sub(":{2,}", ":", value)
        return rules.make(
            "CC316",
            display,
            where.line,
            where.col,
            f"agent type {value!r} has a doubled ':'; Claude Code answers "
            f"\"Agent type '{value}' not found\"",
            f"Write {fixed!r}.",
        )
    if ":" in value or value in spec.BUILTIN_AGENTS or value not in ids:
        return None
    return rules.make(
        "CC315",
        display,
        where.line,
        where.col,
        f"agent type {value!r} is this plugin's agent without its namespace; once the plugin is "
        f"installed Claude Code answers \"Agent type '{value}' not found\"",
        f"Write {ids[value]!r}.",
    )
