"""Both install routes at once: the ml-agents plugin and a ``pip`` install of the same agents.

The client then lists every agent twice (``data-scientist`` and ``ml-agents:data-scientist``) and
sends both descriptions with every request. ``install`` and ``status`` say so once, with the cost
and the command that removes either route, instead of one clash line per agent.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ml_agents.install.clashes import PLUGIN, Clash
from ml_agents.install.scopes import PROJECT, USER
from ml_agents.install.status import name_and_description

PLUGIN_NAME = "ml-agents"


class TwoRoutes(NamedTuple):
    names: tuple[str, ...]
    """Our agents the plugin lists too."""
    chars: int
    """Characters of the plugin's copies of their descriptions: what the second route adds to
    every request."""
    remove_plugin: str
    remove_copy: str


def is_our_plugin(clash: Clash) -> bool:
    return clash.other_scope == PLUGIN and clash.explanation.startswith(
        f"the {PLUGIN_NAME} plugin is installed too"
    )


def two_routes(clashes: Sequence[Clash], scope: str, target: Path) -> TwoRoutes | None:
    ours = [c for c in clashes if is_our_plugin(c)]
    if not ours:
        return None
    chars = sum(len(name_and_description(Path(c.other))[1]) for c in ours)
    plugin_id = _plugin_id(Path(ours[0].other))
    where = (
        f"--scope {scope}" if scope in (USER, PROJECT) else f"--target {shlex.quote(str(target))}"
    )
    return TwoRoutes(
        tuple(sorted(c.name for c in ours)),
        chars,
        f"claude plugin uninstall {plugin_id}",
        f"ml-agents uninstall {where}",
    )


def notice_lines(routes: TwoRoutes, indent: str = "") -> list[str]:
    count = len(routes.names)
    return [
        f"{indent}Two routes at once: the {PLUGIN_NAME} plugin is installed too, so the client "
        f"lists {count} agent(s) twice (`{routes.names[0]}` and "
        f"`{PLUGIN_NAME}:{routes.names[0]}`, …), adding {routes.chars:,} characters of "
        "descriptions to every request.",
        f"{indent}  Keep one: `{routes.remove_plugin}` removes the plugin; "
        f"`{routes.remove_copy}` removes this copy.",
    ]


def _plugin_id(agent: Path) -> str:
    """``<plugin>@<marketplace>`` when the file sits in the client's plugin cache
    (``plugins/cache/<marketplace>/<plugin>/<version>/…``), else the plugin's name."""
    parts = agent.parts
    for index in range(len(parts) - 2):
        if parts[index] == "cache" and parts[index + 2] == PLUGIN_NAME:
            return f"{PLUGIN_NAME}@{parts[index + 1]}"
    return PLUGIN_NAME
