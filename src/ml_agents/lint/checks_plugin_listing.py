"""Agent and command files in a plugin that its plugin.json leaves out (claude-code-format.md §4.1).

When plugin.json sets ``agents`` or ``commands``, those paths replace the default folder: a file
in ``agents/`` that the list does not name is never loaded, and nothing says so.
"""

# String paths, as in discover.py.
# ruff: noqa: PTH100, PTH118, PTH120, PTH123

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from ml_agents.lint import deps, rules
from ml_agents.lint.crossfile import AgentRecord
from ml_agents.lint.discover import Target, file_key
from ml_agents.lint.result import Finding
from ml_agents.lint.rules import AGENT, COMMAND

MANIFEST = os.path.join(".claude-plugin", "plugin.json")


def listed_paths(plugin_root: Path, key: str) -> list[str] | None:
    """The absolute paths of the files plugin.json lists under ``key``; None when it does not set
    ``key``, or when the manifest or any entry in it is broken: the manifest's own checks report
    that, and the plugin may then not load at all."""
    manifest = os.path.join(plugin_root, MANIFEST)
    deps.ask("status", manifest)
    try:
        with open(manifest, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    value = data.get(key) if isinstance(data, dict) else None
    entries = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if entries is None:
        return None
    paths = []
    for entry in entries:
        if not isinstance(entry, str) or not entry.startswith("./"):
            return None
        path = os.path.normpath(os.path.join(plugin_root, entry))
        if not deps.ask("is_file", path):
            return None
        paths.append(path)
    return paths


def unlisted_plugin_files(targets: Sequence[Target]) -> list[Finding]:
    """CC610 for every plugin agent or command outside the paths plugin.json lists for its kind.

    A cross-file check, run on every lint (cached or not): the finding belongs to the agent or
    command file, but what decides it is plugin.json."""
    findings = []
    listings: dict[tuple[Path, str], list[str] | None] = {}
    for target in targets:
        if target.plugin_root is None or target.kind not in (AGENT, COMMAND):
            continue
        key = "agents" if target.kind == AGENT else "commands"
        if (target.plugin_root, key) not in listings:
            listings[target.plugin_root, key] = listed_paths(target.plugin_root, key)
        listed = listings[target.plugin_root, key]
        path = os.path.normpath(os.path.abspath(target.file))
        if listed is None or path in listed:
            continue
        relative = "./" + os.path.relpath(path, target.plugin_root).replace(os.sep, "/")
        findings.append(
            rules.make(
                "CC610",
                target.display,
                1,
                1,
                f"plugin.json sets {key!r}, which replaces the default folder, and does not list "
                "this file: Claude Code never loads it",
                f'Add "{relative}" to "{key}" in .claude-plugin/plugin.json, or delete the file.',
            )
        )
    return findings


def as_loaded(records: Sequence[AgentRecord]) -> list[AgentRecord]:
    """The agents as the client loads them together, for the name-clash check (CC601).

    In a plugin whose plugin.json lists its agents, every listed file is ``<plugin>:<name>``
    whatever folder it sits in (2.1.197 and 2.1.332 both, tests/e2e/test_e2e_lint_missed.py), so
    two listed files of one name clash even in different folders; a file the list leaves out never
    loads and clashes with nothing (CC610 reports it). Without a list, the default ``agents/``
    folder namespaces each subfolder, and the records' own scopes say so already."""
    listings: dict[str, set[str] | None] = {}
    loaded = []
    for record in records:
        root = record.plugin_root
        if root is None:
            loaded.append(record)
            continue
        if root not in listings:
            listed = listed_paths(Path(root), "agents")
            listings[root] = None if listed is None else {file_key(path) for path in listed}
        listed_keys = listings[root]
        if listed_keys is None:
            loaded.append(record)
        elif record.key in listed_keys:
            loaded.append(record._replace(scope=(deps.ask("real_folder", root), "listed")))
    return loaded


def listed_agent_folders(targets: Sequence[Target]) -> dict[str, str]:
    """The real folder of every agent file listed by the plugin.json of a linted plugin agent,
    with that plugin's root: the other agents it loads together with (and may clash with)."""
    roots = {t.plugin_root for t in targets if t.kind == AGENT and t.plugin_root is not None}
    folders: dict[str, str] = {}
    for root in sorted(roots):
        for path in listed_paths(root, "agents") or ():
            folders.setdefault(deps.ask("real_folder", os.path.dirname(path)), str(root))
    return folders
