"""Checks across files: duplicate agent names, commands naming agents that do not exist, and
marketplace versions that differ from their plugin's.

Pre-commit passes only the files that changed, so the agents a file must be compared with are read
from its surroundings too (the rest of its ``agents/`` folder, the repository's agent folders
and the ml-agents bundle), not only from the files on the command line.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ml_agents import frontmatter
from ml_agents.frontmatter import Position
from ml_agents.lint import deps, rules, spec
from ml_agents.lint.checks_command import EXPLICIT, LISTED, WEAK, Mention
from ml_agents.lint.discover import (
    Target,
    agent_scope,
    display_path,
)
from ml_agents.lint.positions import shown
from ml_agents.lint.reading import read_limited
from ml_agents.lint.result import Finding

if TYPE_CHECKING:
    from ml_agents.lint.checks_manifest import LocalPlugin

NEAR_MISS_CUTOFF = 0.85
TYPO_DISTANCE = 1  # one letter missing, extra, wrong or swapped: a backticked name is a typo


class AgentRecord(NamedTuple):
    name: str
    key: str
    """The file's real path: the same file reached two ways is one agent."""
    display: str
    position: Position
    scope: tuple[str, ...]
    """Agents clash only within one scope: one agents/ folder (and, in plugins, one subfolder)."""
    linted: bool
    plugin_root: str | None = None


class AgentTypeUse(NamedTuple):
    """A ``subagent_type`` (or a skill's ``agent:`` field) naming an agent type, as written."""

    value: str
    position: Position


class CommandRecord(NamedTuple):
    target: Target
    mentions: list[Mention]
    agent_types: tuple[AgentTypeUse, ...] = ()
    """Only in a plugin, where a bare name does not resolve (checks_plugin_refs.py)."""


def duplicate_agents(records: list[AgentRecord]) -> list[Finding]:
    groups: dict[tuple[tuple[str, ...], str], list[AgentRecord]] = defaultdict(list)
    for record in records:
        groups[(record.scope, record.name)].append(record)
    findings = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for record in group:
            if not record.linted:
                continue
            others = [r for r in group if r.key != record.key]
            if not others:
                continue
            first = others[0]
            findings.append(
                rules.make(
                    "CC601",
                    record.display,
                    record.position.line,
                    record.position.col,
                    f"agent name {shown(record.name)} is also used by "
                    f"{first.display}:{first.position.line}; "
                    "Claude Code loads only one of them",
                )
            )
    return findings


def neighbour_agents(
    folder: str, linted: set[str], cwd: Path, plugin_root: str | None = None
) -> list[AgentRecord]:
    """The agents in an agents/ folder (a real path) that are not in ``linted`` (file keys);
    ``plugin_root`` for a folder that a plugin.json lists files in."""
    plugin_root = plugin_root or deps.ask("plugin_root", folder)
    in_plugin = plugin_root is not None
    records = []
    for key in deps.ask("markdown_files", folder):
        if key in linted:
            continue
        deps.ask("status", key)
        found = _agent_name(Path(key), in_plugin)
        if found:
            scope = agent_scope(Path(key), Path(folder), in_plugin)
            display = display_path(key, cwd)
            record = AgentRecord(found[0], key, display, found[1], scope, False, plugin_root)
            records.append(record)
    return records


def _agent_name(path: Path, in_plugin: bool) -> tuple[str, Position] | None:
    data, problem = read_limited(path, str(path), spec.FILE_SIZE_LIMIT)
    if data is None or problem is not None:
        return None
    try:
        text, _ = frontmatter.decode(data)
    except UnicodeDecodeError:
        return None
    document = frontmatter.parse(text)
    fields = document.frontmatter.fields if document.frontmatter else {}
    name = fields.get("name")
    if isinstance(name, str) and name:
        assert document.frontmatter is not None
        return name, document.frontmatter.value_positions.get("name", Position(1, 1))
    if in_plugin and document.frontmatter is not None:
        return path.stem, Position(1, 1)
    return None


def bundle_agent_names() -> frozenset[str]:
    """The agents ml-agents ships, which a command may name once they are installed: the phase
    catalog's roles (tests/test_phases.py holds the bundle's agents/ to the catalog)."""
    from ml_agents.phases import roles

    return frozenset(roles())


def agent_folders_near(target: Target) -> list[Path]:
    """The agents/ folders a command can see: beside it, and the repository's own."""
    folders = []
    if target.anchor is not None:
        folders.append(target.anchor.parent / "agents")
        root = Path(deps.ask("repository_root", str(target.anchor.parent)))
        folders += [root / ".claude" / "agents", root / "agents"]
    return folders


def unknown_agent_references(commands: list[CommandRecord], known: set[str]) -> list[Finding]:
    findings = []
    reported: set[tuple[str, int, int]] = set()
    choices = sorted(known)
    for command in commands:
        lists: dict[int, list[Mention]] = defaultdict(list)
        for mention in command.mentions:
            if mention.strength == LISTED:
                lists[mention.group].append(mention)
        suspects = [m for m in command.mentions if m.strength == EXPLICIT]
        for members in lists.values():
            known_members = sum(1 for m in members if _is_known(m.name, known))
            if known_members >= 2 and known_members * 2 >= len(members):
                suspects.extend(members)
        near_misses = [
            m for m in command.mentions if m.strength == WEAK and _is_typo(m.name, known, choices)
        ]
        for mention in [*suspects, *near_misses]:
            if _is_known(mention.name, known):
                continue
            key = (command.target.display, mention.position.line, mention.position.col)
            if key in reported:
                continue
            reported.add(key)
            closest = _closest(_bare(mention.name), known, choices)
            hint = (
                f"Write {closest!r} (the agent that exists)."
                if closest
                else f"Fix the name, or add agents/{_bare(mention.name)}.md with "
                f"'name: {_bare(mention.name)}'."
            )
            findings.append(
                rules.make(
                    "CC602",
                    command.target.display,
                    mention.position.line,
                    mention.position.col,
                    f"no agent named {shown(mention.name)} is defined here or built into "
                    "Claude Code, so delegating to it fails",
                    hint,
                )
            )
    return findings


def _bare(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _is_known(name: str, known: set[str]) -> bool:
    return name in known or _bare(name) in known


def _is_typo(name: str, known: set[str], choices: list[str]) -> bool:
    """One edit away from a known agent name with as many words (``ml-enginer``), unlike a
    related word (``data-science`` next to ``data-scientist``, ``code-reviews``)."""
    if name in known or len(name) < 6 or len(name) > 64:
        return False
    words = name.count("-")
    return any(other.count("-") == words for other in _one_edit_away(name, choices))


def _closest(name: str, known: set[str], choices: list[str]) -> str | None:
    if name in known or len(name) > 64:
        return None
    import difflib

    close = difflib.get_close_matches(name, _similar(name, choices), n=1, cutoff=NEAR_MISS_CUTOFF)
    return close[0] if close else None


def _one_edit_away(name: str, choices: list[str]) -> list[str]:
    """The choices within ``TYPO_DISTANCE`` edits (a swap of two neighbours is one edit)."""
    try:
        from rapidfuzz import process  # compiled: thousands of agents, hundreds of names
        from rapidfuzz.distance import OSA
    except ImportError:  # a declared dependency, but lint must work without it: same answer
        return [
            other
            for other in choices
            if abs(len(other) - len(name)) <= TYPO_DISTANCE
            and _edit_distance(name, other) <= TYPO_DISTANCE
        ]
    close = process.extract(
        name, choices, scorer=OSA.distance, score_cutoff=TYPO_DISTANCE, limit=None
    )
    return [other for other, _, _ in close]


def _similar(name: str, choices: list[str]) -> list[str]:
    """The choices difflib could accept for ``name`` (all of them without rapidfuzz).

    difflib's matching blocks form a common subsequence, so its ratio never exceeds rapidfuzz's
    (the longest common subsequence): the names rapidfuzz keeps hold every name difflib would
    accept, and difflib then picks among those few exactly as it would among all."""
    try:
        from rapidfuzz import fuzz, process
    except ImportError:
        return choices
    cutoff = NEAR_MISS_CUTOFF * 100 - 0.01
    found = process.extract(name, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
    return [other for other, _, _ in found]


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance where swapping two neighbouring letters counts as one edit (OSA)."""
    rows = [list(range(len(b) + 1))]
    for i, char_a in enumerate(a, start=1):
        row = [i]
        for j, char_b in enumerate(b, start=1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def marketplace_versions(display: str, plugins: list[LocalPlugin]) -> list[Finding]:
    findings = []
    for plugin in plugins:
        if plugin.version is None:
            continue
        manifest = plugin.folder / ".claude-plugin" / "plugin.json"
        deps.ask("status", str(manifest))
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        version = data.get("version") if isinstance(data, dict) else None
        if isinstance(version, str) and version != plugin.version:
            findings.append(
                rules.make(
                    "CC603",
                    display,
                    plugin.version_position.line,
                    plugin.version_position.col,
                    f"plugin {shown(plugin.name)} is listed as version {shown(plugin.version)} "
                    "but its "
                    f"plugin.json says {shown(version)}",
                    f'Write "version": "{version}", or drop the version here.',
                )
            )
    return findings
