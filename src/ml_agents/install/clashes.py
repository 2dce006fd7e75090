"""Agents elsewhere that share a name with ours, and which one the client will actually use.

Precedence on a clash (``claude-code-format.md`` §1.2): managed > ``--agents`` > project (a deeper
folder beats a shallower one) > user > plugin > built-in. Plugin agents are namespaced
(``plugin:name``), so they never replace ours in the client, but ``/ml-integration`` matches roles
by bare name and then has two candidates to choose from.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from ml_agents.bounded_read import read_regular
from ml_agents.frontmatter import parse
from ml_agents.install.scopes import PROJECT, TARGET, USER

PLUGIN = "plugin"
ORPHANED_MARK = ".orphaned_at"
"""Written by `claude plugin uninstall` into the cached copy it leaves behind."""
MAX_FILE_BYTES = 1_048_576  # the client skips larger agent files
MAX_DEPTH = 32  # the client's bounds for plugin folders
MAX_DIRS = 4096
PLUGIN_WALK_SKIP = frozenset({"agents", "node_modules"})  # agents/ is read, not walked into
VERSION_DIR_RE = re.compile(r"^(v?\d+(\.\d+)*([-+.][0-9A-Za-z.]+)?|[0-9a-f]{7,40})$")


class AgentDef(NamedTuple):
    name: str
    path: Path
    scope: str
    """``user``, ``project``, ``plugin``, or ``target`` (an explicit folder of unknown scope)."""
    rank: int
    """For project folders: 0 for the working folder's ``.claude``, 1 for its parent's, …"""
    plugin: str
    """For plugin agents, the id's namespace: ``<plugin>`` or ``<plugin>:<subfolder>…``."""


class Clash(NamedTuple):
    name: str
    ours: str
    other: str
    other_scope: str
    winner: str
    """``ours``, ``theirs``, ``either`` (same folder: file order decides), ``both`` (plugin:
    namespaced) or ``depends`` (explicit target: depends on where the client runs)."""
    explanation: str
    blocking: bool
    """True when installing ours would make the client pick one of two files arbitrarily."""


class Place(NamedTuple):
    """Where a ``.claude`` folder sits in the client's search order."""

    scope: str
    rank: int


def _walk_folders(
    root: Path,
    max_depth: int,
    *,
    follow_links: bool,
    skip: frozenset[str] = frozenset(),
) -> Iterator[tuple[Path, int, list[os.DirEntry[str]], list[os.DirEntry[str]]]]:
    """Each folder under ``root`` with its sub-folders and its other entries, sorted by name,
    bounded like the client's plugin walker: at most ``MAX_DIRS`` folders, ``max_depth`` levels.
    Sub-folders named in ``skip`` are listed but not walked. With ``follow_links``, symlinked
    folders are folders too, and each real folder is walked once (the client uses ``--follow``).
    """
    seen: set[str] = set()
    stack = [(root, 0)]
    visited = 0
    while stack and visited < MAX_DIRS:
        current, depth = stack.pop()
        if follow_links:
            real = os.path.realpath(current)
            if real in seen:
                continue
            seen.add(real)
        visited += 1
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        folders: list[os.DirEntry[str]] = []
        others: list[os.DirEntry[str]] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=follow_links)
            except OSError:
                continue
            (folders if is_dir else others).append(entry)
        yield current, depth, folders, others
        if depth + 1 < max_depth:
            stack.extend((Path(e.path), depth + 1) for e in folders if e.name not in skip)


def walk_markdown(folder: Path, max_depth: int = MAX_DEPTH) -> Iterator[Path]:
    """``*.md`` under ``folder``, recursively, following symlinks once."""
    for _, _, _, files in _walk_folders(folder, max_depth, follow_links=True):
        yield from (Path(e.path) for e in files if e.name.endswith(".md"))


def agent_name(path: Path, *, default: str | None = None) -> str | None:
    """The frontmatter ``name`` the client would register, or ``default`` (plugins use the stem)."""
    try:
        text = read_regular(path, MAX_FILE_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):  # a FIFO, a device, a huge file: the client skips it
        return None
    document = parse(text)
    fields = document.frontmatter.fields if document.frontmatter else {}
    name = fields.get("name")
    if isinstance(name, str) and name:
        return name
    return default


def scan_folder(claude_dir: Path, place: Place) -> list[AgentDef]:
    agents_dir = claude_dir / "agents"
    if not agents_dir.is_dir():
        return []
    found = []
    for path in walk_markdown(agents_dir):
        name = agent_name(path)
        if name is not None:
            found.append(AgentDef(name, path, place.scope, place.rank, ""))
    return found


def plugin_name(plugin_root: Path) -> str:
    manifest = plugin_root / ".claude-plugin" / "plugin.json"
    try:
        data = json.loads(read_regular(manifest, MAX_FILE_BYTES).decode("utf-8"))
        if isinstance(data, dict) and isinstance(data.get("name"), str) and data["name"]:
            return str(data["name"])
    except (OSError, ValueError, RecursionError):
        pass
    # without a manifest the client names a plugin after its folder; in the plugin cache that
    # folder is a version or commit under the plugin's own folder
    if VERSION_DIR_RE.match(plugin_root.name) and plugin_root.parent != plugin_root:
        return plugin_root.parent.name
    return plugin_root.name


def scan_plugins(config_dir: Path) -> list[AgentDef]:
    """Agents of the plugins under ``<config>/plugins`` (one entry per plugin and name)."""
    root = config_dir / "plugins"
    if not root.is_dir():
        return []
    found: dict[tuple[str, str], AgentDef] = {}
    folders = _walk_folders(root, MAX_DEPTH, follow_links=False, skip=PLUGIN_WALK_SKIP)
    for current, depth, subfolders, _ in folders:
        for entry in subfolders:
            if entry.name != "agents":
                continue
            if (Path(current) / ORPHANED_MARK).exists():
                continue  # uninstalled: the client leaves the cached copy but loads none of it
            path = Path(entry.path)
            plugin = plugin_name(current)
            for md in walk_markdown(path, MAX_DEPTH - depth):
                name = agent_name(md, default=md.name[: -len(".md")])
                # the client's id is <plugin>:<subfolders…>:<name>
                namespace = ":".join([plugin, *md.relative_to(path).parent.parts])
                if name is not None and (namespace, name) not in found:
                    found[(namespace, name)] = AgentDef(name, md, PLUGIN, 0, namespace)
    return sorted(found.values(), key=lambda a: (a.plugin, a.name))


def locate(target: Path, user_dir: Path, chain: Sequence[Path]) -> Place:
    """The target's place in the search order, by real path."""
    real = os.path.realpath(target)
    if real == os.path.realpath(user_dir):
        return Place(USER, 0)
    for rank, folder in enumerate(chain):
        if real == os.path.realpath(folder):
            return Place(PROJECT, rank)
    return Place(TARGET, 0)


Survey = tuple[Place, list[AgentDef], list[AgentDef]]


def scan_others(
    target: Path,
    user_dir: Path,
    chain: Sequence[Path],
    *,
    scan: Callable[[Path, Place], list[AgentDef]] = scan_folder,
    plugins: Callable[[Path], list[AgentDef]] = scan_plugins,
) -> Survey:
    """(target's place, agents in the target folder, agents in every other place).

    ``scan`` and ``plugins`` read the folders; a caller that surveys several targets passes
    cached ones, so that each folder is read once."""
    place = locate(target, user_dir, chain)
    in_target = scan(target, place)
    others: list[AgentDef] = []
    target_real = os.path.realpath(target)
    if os.path.realpath(user_dir) != target_real:
        others += scan(user_dir, Place(USER, 0))
    for rank, folder in enumerate(chain):
        if os.path.realpath(folder) not in {target_real, os.path.realpath(user_dir)}:
            others += scan(folder, Place(PROJECT, rank))
    others += plugins(user_dir)
    return place, in_target, others


def explain(name: str, ours: Path, place: Place, other: AgentDef, *, same_folder: bool) -> Clash:
    """Which of two agents named ``name`` the client will use, in words."""
    where = str(other.path)

    def clash(winner: str, explanation: str, *, blocking: bool = False) -> Clash:
        return Clash(name, str(ours), where, other.scope, winner, explanation, blocking)

    if same_folder:
        return clash(
            "either",
            f"{where} in the same folder already defines `{name}`: the client would load both "
            "and keep whichever it reads last. Install ours under other names with --prefix, "
            "or rename or remove yours.",
            blocking=True,
        )
    if other.scope == PLUGIN and other.plugin.split(":")[0] == "ml-agents":
        return clash(
            "both",
            f"the ml-agents plugin is installed too ({where}): the client keeps both "
            f"`ml-agents:{name}` and ours, and /ml-integration's preflight prefers the plugin's. "
            "Keep one route: uninstall this copy or the plugin.",
        )
    if other.scope == PLUGIN:
        return clash(
            "both",
            f"the plugin agent `{other.plugin}:{name}` ({where}) is namespaced, so the client "
            f"keeps both; but /ml-integration matches roles by name, finds two `{name}` "
            "candidates and will ask you which to use. --prefix avoids that.",
        )
    if place.scope == TARGET:
        return clash(
            "depends",
            f"{where} ({other.scope} scope) also defines `{name}`; which one the client uses "
            "depends on where it runs (project beats user). --prefix avoids the question.",
        )
    if _precedence(other.scope, other.rank) > _precedence(place.scope, place.rank):
        if other.scope == PROJECT:
            claude = _claude_root(other.path)
            project = claude.parent if claude is not None else other.path.parent
            context = f"when Claude Code runs in {project} or below"
        else:
            context = "everywhere"
        return clash(
            "theirs",
            f"{where} ({other.scope} scope) shadows ours {context}: the client uses that one, "
            f"not ours ({_rule(other.scope, place.scope)}). Install ours as <prefix>{name} with "
            "--prefix to use both.",
        )
    return clash(
        "ours",
        f"ours shadows {where} ({other.scope} scope) where both are visible: the client uses ours "
        f"({_rule(place.scope, other.scope)}). Use --prefix to keep yours reachable as `{name}`.",
    )


def _precedence(scope: str, rank: int) -> int:
    # higher wins; deeper project folders (lower rank) beat shallower ones
    if scope == PROJECT:
        return 1000 - rank
    return {USER: 10, PLUGIN: 1}.get(scope, 0)


def _rule(winner: str, loser: str) -> str:
    if winner == loser == PROJECT:
        return "a deeper project folder beats a shallower one"
    return f"{winner} scope beats {loser} scope"


def _claude_root(path: Path) -> Path | None:
    for parent in path.parents:
        if parent.name == ".claude":
            return parent
    return None


def find_clashes(
    ours: Iterable[tuple[str, Path]],
    place: Place,
    in_target: Iterable[AgentDef],
    others: Iterable[AgentDef],
    skip_paths: Iterable[Path],
) -> list[Clash]:
    """Clashes between our agents (installed name, path) and every other agent found.

    ``skip_paths`` are files in the target that are ours (or that the plan replaces)."""
    skip = {os.path.realpath(p) for p in skip_paths}
    by_name: dict[str, list[tuple[AgentDef, bool]]] = {}
    for agent in in_target:
        if os.path.realpath(agent.path) not in skip:
            by_name.setdefault(agent.name, []).append((agent, True))
    for agent in others:
        by_name.setdefault(agent.name, []).append((agent, False))
    clashes = []
    for name, path in ours:
        for other, same in by_name.get(name, []):
            clashes.append(explain(name, path, place, other, same_folder=same))
    return clashes


def duplicates_across(defs: Iterable[AgentDef]) -> dict[str, list[AgentDef]]:
    """Names defined in more than one user or project file (plugins are namespaced)."""
    by_name: dict[str, list[AgentDef]] = {}
    for agent in defs:
        if agent.scope != PLUGIN:
            by_name.setdefault(agent.name, []).append(agent)
    return {name: found for name, found in sorted(by_name.items()) if len(found) > 1}
