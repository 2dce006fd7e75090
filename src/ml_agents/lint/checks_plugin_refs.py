"""Agent names in a plugin's commands and skills, as the client resolves them once installed.

Plugin agents are namespaced, ``<plugin>:[<subfolder>:]<name>`` (claude-code-format.md §1.4), and
the Agent tool looks the type up exactly: a bare ``subagent_type: reviewer`` in a plugin's command
fails with "Agent type 'reviewer' not found" (real-client-testing.md), as does a doubled colon.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from ml_agents import frontmatter
from ml_agents.frontmatter import Position
from ml_agents.lint import crossfile, discover, rules, spec
from ml_agents.lint.checks_plugin_listing import MANIFEST
from ml_agents.lint.crossfile import CommandRecord
from ml_agents.lint.positions import LineIndex
from ml_agents.lint.reading import read_limited
from ml_agents.lint.result import Finding

_SUBAGENT_TYPE = re.compile(
    r"subagent_type[\"'`]?[ \t]*[:=][ \t]*[\"'`]?([A-Za-z0-9][\w.:-]{0,200})"
)
_AGENT_FIELD = re.compile(r"^agent:[ \t]*[\"']?([A-Za-z0-9][\w.:-]{0,200})", re.MULTILINE)


def bare_agent_types(commands: list[CommandRecord], cwd: Path) -> list[Finding]:
    """CC315 for a plugin's own agent named without its namespace, CC316 for a doubled colon."""
    by_plugin: dict[Path, list[CommandRecord]] = defaultdict(list)
    for command in commands:
        if command.target.plugin_root is not None:
            by_plugin[command.target.plugin_root].append(command)
    findings: list[Finding] = []
    for root, members in by_plugin.items():
        ids = _plugin_agent_ids(root, cwd)
        for command in members:
            findings.extend(_check_file(command, ids))
    return findings


def _plugin_agent_ids(root: Path, cwd: Path) -> dict[str, str]:
    """Each agent of the plugin at ``root``: its bare name -> the id the client gives it."""
    plugin = _plugin_name(root)
    folder = root / "agents"
    if not folder.is_dir():
        return {}
    ids: dict[str, str] = {}
    real = discover.real_folder(str(folder))
    for record in crossfile.neighbour_agents(real, set(), cwd):
        ids.setdefault(record.name, ":".join([plugin, *record.scope[1:], record.name]))
    return ids


def _plugin_name(root: Path) -> str:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        data = None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else root.name


def _check_file(command: CommandRecord, ids: dict[str, str]) -> list[Finding]:
    target = command.target
    data, problem = read_limited(target.path, target.display, spec.SKILL_SIZE_LIMIT)
    if data is None or problem is not None:
        return []
    try:
        text, _ = frontmatter.decode(data)
    except UnicodeDecodeError:
        return []
    block = frontmatter.find_block(text)
    header_end = block.end if block else 0
    matches = list(_AGENT_FIELD.finditer(text, 0, header_end)) if block else []
    matches += _SUBAGENT_TYPE.finditer(text, header_end)
    if not matches:
        return []
    lines = LineIndex(text)
    findings = []
    for match in matches:
        value = match.group(1).rstrip(".:")
        where = lines.position(match.start(1))
        finding = _finding(target.display, where, value, ids)
        if finding is not None:
            findings.append(finding)
    return findings


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
