"""Agent and command files in a plugin that its plugin.json leaves out (claude-code-format.md §4.1).

When plugin.json sets ``agents`` or ``commands``, those paths replace the default folder: a file
in ``agents/`` that the list does not name is never loaded, and nothing says so.
"""

# String paths, as in discover.py: this runs once per plugin file.
# ruff: noqa: PTH100, PTH113, PTH118

from __future__ import annotations

import json
import os
from pathlib import Path

from ml_agents.frontmatter import Position
from ml_agents.lint.context import FileContext
from ml_agents.lint.rules import AGENT

MANIFEST = os.path.join(".claude-plugin", "plugin.json")


def listed_paths(plugin_root: Path, key: str) -> list[str] | None:
    """The absolute paths of the files plugin.json lists under ``key``; None when it does not set
    ``key``, or when the manifest or any entry in it is broken: the manifest's own checks report
    that, and the plugin may then not load at all."""
    try:
        data = json.loads((plugin_root / MANIFEST).read_text(encoding="utf-8"))
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
        if not os.path.isfile(path):
            return None
        paths.append(path)
    return paths


def check_listed_in_plugin(context: FileContext) -> None:
    """CC610: this plugin file is outside every path plugin.json lists for its kind."""
    if context.plugin_root is None:
        return
    key = "agents" if context.kind == AGENT else "commands"
    listed = listed_paths(context.plugin_root, key)
    if listed is None:
        return
    path = os.path.normpath(os.path.abspath(context.path))
    if path in listed:
        return
    relative = "./" + os.path.relpath(path, context.plugin_root).replace(os.sep, "/")
    context.report(
        "CC610",
        Position(1, 1),
        f"plugin.json sets {key!r}, which replaces the default folder, and does not list this "
        "file: Claude Code never loads it",
        f'Add "{relative}" to "{key}" in .claude-plugin/plugin.json, or delete the file.',
    )
