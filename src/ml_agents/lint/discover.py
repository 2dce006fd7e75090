"""Paths to lint targets: which files to read, and what kind each one is from where it lives.

A file's kind comes from its place, as in the client: the nearest ``agents/`` folder above it makes
an agent, ``commands/`` a command, ``skills/<name>/SKILL.md`` a skill, a script in the
``workflows/`` of ``.claude/`` or of a plugin a workflow, ``.claude-plugin/plugin.json`` /
``marketplace.json`` the manifests, and the JSON configuration files ``.claude/settings.json`` /
``settings.local.json``, ``hooks/hooks.json`` and ``.mcp.json`` theirs (see ``config_kind``).
Walking stops at a repository
or plugin root, so a checkout that happens to sit in a folder called ``agents`` is not all agents.
A ``SKILL.md`` nested deeper (``skills/<group>/<name>/SKILL.md``) is linted as a skill too, with a
CC410 finding: the client never loads it. A folder named on the command line that holds nothing
to lint gets a CC031 finding rather than a silent clean result.
"""

# String paths on purpose: pathlib costs several times more per file on this hot path.
# ruff: noqa: PTH100, PTH110, PTH112, PTH113, PTH114, PTH115, PTH116, PTH118, PTH119, PTH120, PTH122, PTH123, PTH206, PTH208

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from ml_agents.lint import reading, rules
from ml_agents.lint.positions import shown
from ml_agents.lint.result import Finding
from ml_agents.lint.rules import (
    AGENT,
    COMMAND,
    HOOKS_CONFIG,
    MARKETPLACE_MANIFEST,
    MCP_CONFIG,
    PLUGIN_MANIFEST,
    SETTINGS,
    SKILL,
    UNKNOWN,
    WORKFLOW,
)

ANCHORS = {"agents": AGENT, "commands": COMMAND, "skills": SKILL, "workflows": WORKFLOW}
SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
MANIFEST_NAMES = {"plugin.json": PLUGIN_MANIFEST, "marketplace.json": MARKETPLACE_MANIFEST}
# JSON configuration files by (name of the folder they sit in, or "" for any, file name)
CONFIG_FILES = {
    (".claude", "settings.json"): SETTINGS,
    (".claude", "settings.local.json"): SETTINGS,
    ("hooks", "hooks.json"): HOOKS_CONFIG,
    ("", ".mcp.json"): MCP_CONFIG,
}
CONFIG_KINDS = frozenset(CONFIG_FILES.values())
# plugin.json keys whose ./paths name more files to lint
COMPONENT_KEYS = (
    ("agents", AGENT),
    ("commands", COMMAND),
    ("skills", SKILL),
    ("hooks", HOOKS_CONFIG),
    ("mcpServers", MCP_CONFIG),
)
KEPT_HIDDEN_DIRS = frozenset({".claude", ".claude-plugin"})
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages"})
MAX_DEPTH = 32  # the client's own limit for plugin folders
MAX_FOLDERS = 20_000  # folders one walk lists before it stops with a finding


class Target(NamedTuple):
    path: Path
    display: str
    kind: str
    anchor: Path | None
    """The ``agents/``, ``commands/`` or ``skills/`` folder the file belongs to."""
    plugin_root: Path | None
    """The plugin root (the folder with ``.claude-plugin/plugin.json``) for a plugin's file."""
    key: str
    """The file's identity (see ``file_key``)."""


NESTED_SKILL = "nested below skills/<name>/, where Claude Code does not look for skills"


class Place(NamedTuple):
    kind: str
    anchor: Path | None
    reason: str
    document: bool = False
    """True for documentation beside agents (a README), which the client skips on purpose."""


# file names that hold documentation, not an agent, when they have no frontmatter
DOCUMENT_STEMS = frozenset({"readme", "overview", "index", "changelog", "contributing", "license"})


def discover(paths: Sequence[Path], cwd: Path) -> tuple[list[Target], list[Finding]]:
    """Targets for explicit paths (files and folders), or for the current repository when empty."""
    targets: list[Target] = []
    findings: list[Finding] = []
    if paths:
        for path in paths:
            _add_explicit(path, cwd, targets, findings)
    else:
        for path, display in default_locations(cwd):
            _add_walk(path, display, targets, findings)
    return _unique(targets), findings


def repository_root(cwd: Path) -> Path:
    """The enclosing git work tree, or ``cwd`` itself outside one."""
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return cwd


def default_locations(cwd: Path) -> list[tuple[Path, str]]:
    """What ``ml-agents lint`` with no path looks at: ``.claude/`` and the plugin layout."""
    root = repository_root(cwd.absolute())
    roots = [root]
    marketplace = root / ".claude-plugin" / "marketplace.json"
    roots.extend(_local_marketplace_plugins(marketplace))
    found: list[tuple[Path, str]] = []
    for base in dict.fromkeys(roots):
        candidates = [base / ".claude" / name for name in ANCHORS]
        candidates += [base / name for name in ANCHORS]
        candidates += [base / ".claude-plugin" / name for name in MANIFEST_NAMES]
        candidates += [base / (folder or ".") / name for folder, name in CONFIG_FILES]
        found.extend((c, display_path(c, cwd)) for c in candidates if os.path.lexists(c))
    return found


def place_of(path: Path | str) -> Place:
    """The kind of the file at ``path``, judged from its location only."""
    absolute = os.path.abspath(path)
    parent, filename = os.path.split(absolute)
    config = config_kind(parent, filename)
    if config is not None:
        return Place(config, None, "")
    if os.path.basename(parent) == ".claude-plugin":
        kind = MANIFEST_NAMES.get(filename)
        if kind:
            return Place(kind, None, "")
        return Place(
            UNKNOWN, None, "only plugin.json and marketplace.json are read in .claude-plugin/"
        )
    anchor, kind = _anchor_of(parent)
    if anchor is None or kind is None:
        return Place(
            UNKNOWN,
            None,
            "it is not under agents/, commands/, skills/<name>/SKILL.md or .claude-plugin/",
        )
    anchor_path = Path(anchor)
    if kind in (AGENT, COMMAND) and _inside_skill(anchor):
        what = "an agent" if kind == AGENT else "a command"
        return Place(
            UNKNOWN,
            None,
            f"it is inside a skill's folder, so it is one of the skill's files, not {what}",
            document=True,
        )
    if kind == WORKFLOW:
        return _workflow_place(anchor_path, filename)
    if not filename.lower().endswith(".md"):
        return Place(
            UNKNOWN, anchor_path, f"the client reads only *.md files in {os.path.basename(anchor)}/"
        )
    is_skill_file = filename.lower() == "skill.md"
    if kind == SKILL:
        if is_skill_file and os.path.dirname(parent) == anchor:
            return Place(SKILL, anchor_path, "")
        if is_skill_file and parent != anchor:  # skills/<group>/<skill>/SKILL.md: CC410 says why
            return Place(SKILL, anchor_path, NESTED_SKILL)
        return Place(
            UNKNOWN, anchor_path, "a skill is skills/<name>/SKILL.md; other files are its resources"
        )
    if kind == AGENT and _is_agent_documentation(absolute, filename):
        return Place(
            UNKNOWN,
            anchor_path,
            "it is documentation (no frontmatter), which Claude Code skips",
            document=True,
        )
    if kind == COMMAND:
        if is_skill_file:
            return Place(SKILL, anchor_path, "")
        if _has_skill_file(parent):
            return Place(
                UNKNOWN,
                anchor_path,
                "this folder has a SKILL.md, so its other files are not commands",
            )
    return Place(kind, anchor_path, "")


def _workflow_place(anchor: Path, filename: str) -> Place:
    """Scripts in ``.claude/workflows/`` or in a plugin's ``workflows/``; other folders of that
    name (a CI's, an application's) are not the client's."""
    if anchor.parent.name != ".claude" and not _has_plugin_manifest(str(anchor.parent)):
        return Place(
            UNKNOWN, None, "workflows/ is read only in .claude/ and beside .claude-plugin/"
        )
    if not filename.lower().endswith(SCRIPT_SUFFIXES):
        return Place(UNKNOWN, anchor, "the client reads only *.js scripts in workflows/")
    return Place(WORKFLOW, anchor, "")


def config_kind(parent: str, filename: str) -> str | None:
    """The kind of a JSON configuration file named ``filename`` in the folder ``parent``."""
    return CONFIG_FILES.get((os.path.basename(parent), filename)) or CONFIG_FILES.get(
        ("", filename)
    )


@lru_cache(maxsize=4096)
def _anchor_of(folder: str) -> tuple[str | None, str | None]:
    """The nearest agents/, commands/ or skills/ folder at or above ``folder``, below any root."""
    while True:
        if _is_boundary(folder):
            return None, None
        kind = ANCHORS.get(os.path.basename(folder))
        if kind is not None:
            return folder, kind
        parent = os.path.dirname(folder)
        if parent == folder:
            return None, None
        folder = parent


def plugin_root_of(anchor: Path | None) -> Path | None:
    """The plugin root for a component folder, if the folder sits in a plugin with a manifest."""
    if anchor is None:
        return None
    root = anchor.parent
    if root.name == ".claude":
        return None
    return root if _has_plugin_manifest(str(root)) else None


def _inside_skill(anchor: str) -> bool:
    """An agents/ or commands/ folder below skills/<name>/ holds that skill's own files."""
    above = os.path.dirname(anchor)
    return above != anchor and _anchor_of(above)[1] == SKILL


def _is_agent_documentation(path: str, filename: str) -> bool:
    """A README or overview in agents/ without frontmatter: the client skips it, as it should."""
    if os.path.splitext(filename)[0].lower() not in DOCUMENT_STEMS:
        return False
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return False  # reported when it is read as an agent
    return not start.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


@lru_cache(maxsize=4096)
def _is_boundary(folder: str) -> bool:
    return os.path.exists(os.path.join(folder, ".git")) or os.path.isdir(
        os.path.join(folder, ".claude-plugin")
    )


@lru_cache(maxsize=4096)
def _has_skill_file(folder: str) -> bool:
    try:
        return any(name.lower() == "skill.md" for name in os.listdir(folder))
    except OSError:
        return False


@lru_cache(maxsize=1024)
def _has_plugin_manifest(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, ".claude-plugin", "plugin.json"))


def display_path(path: Path | str, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when it is below it, else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.path.abspath(cwd))
    return relative if not relative.startswith("..") else absolute


def _target(path: Path, display: str, place: Place, kind: str | None = None) -> Target:
    anchor = place.anchor
    return Target(path, display, kind or place.kind, anchor, plugin_root_of(anchor), file_key(path))


def _add_explicit(path: Path, cwd: Path, targets: list[Target], findings: list[Finding]) -> None:
    display = os.path.normpath(str(path))
    full = path if path.is_absolute() else cwd / path
    try:
        info = full.stat()
    except OSError as error:
        findings.append(_stat_finding(full, display, error))
        return
    if stat.S_ISDIR(info.st_mode):
        _add_walk(full, display, targets, findings, say_if_empty=True)
        return
    place = place_of(full)
    if place.document:
        findings.append(rules.make("CC604", display, 1, 1, f"not an agent: {place.reason}"))
        return
    if place.kind == UNKNOWN:
        findings.append(
            rules.make(
                "CC005",
                display,
                1,
                1,
                f"not linted: can't tell what kind of file this is ({place.reason})",
            )
        )
        return
    if not stat.S_ISREG(info.st_mode):
        findings.append(reading.not_regular(display))
        return
    targets.append(_target(full, display, place))
    findings.extend(_place_findings(place, full, display))


def _stat_finding(full: Path, display: str, error: OSError) -> Finding:
    if error.errno == errno.ELOOP:
        return reading.unreadable(display, error)
    if os.path.islink(full):
        return rules.make("CC001", display, 1, 1, f"dangling symlink to {shown(os.readlink(full))}")
    if error.errno == errno.ENOENT:
        return rules.make("CC006", display, 1, 1, "no such file or folder")
    return reading.unreadable(display, error)


def _add_walk(
    root: Path,
    display_root: str,
    targets: list[Target],
    findings: list[Finding],
    *,
    say_if_empty: bool = False,
) -> None:
    try:
        info = root.stat()
    except OSError as error:
        findings.append(_stat_finding(root, display_root, error))
        return
    if not stat.S_ISDIR(info.st_mode):
        _add_found(root, display_root, targets, findings)
        return
    before = (len(targets), len(findings))
    for path, display, problem in _walk(root, display_root):
        if problem is not None:
            findings.append(problem)
        else:
            _add_found(path, display, targets, findings)
    if say_if_empty and (len(targets), len(findings)) == before:
        findings.append(nothing_to_lint(display_root))


def nothing_to_lint(display: str) -> Finding:
    """CC031: a folder that holds no file the client would read as an agent, command, skill or
    manifest; said aloud so that linting the wrong folder does not look like a clean result."""
    return rules.make(
        "CC031",
        display,
        1,
        1,
        "nothing here to lint: no agents/, commands/, skills/<name>/SKILL.md or "
        ".claude-plugin/ manifest below this folder",
    )


def _place_findings(place: Place, path: Path, display: str) -> list[Finding]:
    if place.kind == SKILL and place.reason == NESTED_SKILL and place.anchor is not None:
        inside = os.path.relpath(os.path.abspath(path), place.anchor)
        skills = display[: len(display) - len(inside)] or "./"
        name = os.path.basename(os.path.dirname(inside))
        return [
            rules.make(
                "CC410",
                display,
                1,
                1,
                f"this skill is {place.reason}: Claude Code never loads it",
                f"Move it to {skills}{name}/SKILL.md, one level below skills/.",
            )
        ]
    return []


def _add_found(path: Path, display: str, targets: list[Target], findings: list[Finding]) -> None:
    """A file met while walking: a target if its place makes it one (a plugin.json brings the
    files it names too)."""
    place = place_of(path)
    if place.kind != UNKNOWN:
        targets.append(_target(path, display, place))
        findings.extend(_place_findings(place, path, display))
        if place.kind == PLUGIN_MANIFEST:
            _add_manifest_components(path, display, targets)


def _walk(root: Path, display_root: str) -> Iterator[tuple[Path, str, Finding | None]]:
    """Regular files under ``root``, following symlinks; loops and unreadable entries reported.

    Each real folder is listed once, however many links lead to it, and at most ``MAX_FOLDERS``
    are listed: a link to ``/`` must not walk the whole disk.
    """
    root_info = root.stat()
    root_key = (root_info.st_dev, root_info.st_ino)
    visited = {root_key}
    stack: list[tuple[str, str, tuple[tuple[int, int], ...]]] = [
        (str(root), display_root, (root_key,))
    ]
    listed = 0
    while stack:
        if listed == MAX_FOLDERS:
            yield root, display_root, _walk_limit(display_root)
            return
        listed += 1
        folder, display, ancestors = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            yield (
                Path(folder),
                display,
                rules.make(
                    "CC001", display, 1, 1, f"cannot list folder: {error.strerror or error}"
                ),
            )
            continue
        subfolders = []
        for entry in entries:
            entry_display = os.path.normpath(os.path.join(display, entry.name))
            entry_path = Path(entry.path)
            try:  # d_type answers without a system call, except for symlinks
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_file:
                yield entry_path, entry_display, None
                continue
            if is_dir and (_skip_folder(entry.name) or len(ancestors) >= MAX_DEPTH):
                continue
            if not is_dir and not _looks_relevant(entry_path):
                continue
            try:  # through any symlink: a dangling one fails; a folder's identity finds loops
                entry_info = os.stat(entry.path)
            except OSError as error:
                yield entry_path, entry_display, _stat_finding(entry_path, entry_display, error)
                continue
            if not is_dir:
                yield entry_path, entry_display, reading.not_regular(entry_display)
                continue
            key = (entry_info.st_dev, entry_info.st_ino)
            if key in ancestors:
                message = "symlink loop: this folder links back to a folder that contains it"
                yield entry_path, entry_display, rules.make("CC002", entry_display, 1, 1, message)
                continue
            if key in visited:  # reached before through another link: its files are known
                continue
            visited.add(key)
            subfolders.append((entry.path, entry_display, (*ancestors, key)))
        stack.extend(reversed(subfolders))


def _walk_limit(display: str) -> Finding:
    return rules.make(
        "CC007",
        display,
        1,
        1,
        f"stopped after listing {MAX_FOLDERS:,} folders here; the files beyond were not linted",
    )


def _skip_folder(name: str) -> bool:
    return (name.startswith(".") and name not in KEPT_HIDDEN_DIRS) or name in SKIPPED_DIRS


def _looks_relevant(path: Path) -> bool:
    return place_of(path).kind != UNKNOWN


def _add_manifest_components(manifest: Path, display: str, targets: list[Target]) -> None:
    """Files a plugin.json names in custom component paths (agents, commands, skills, hooks, MCP
    servers, workflows)."""
    root = manifest.parent.parent
    display_root = os.path.dirname(os.path.dirname(display))
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return
    if not isinstance(data, dict):
        return
    for key, kind in (*COMPONENT_KEYS, ("workflows", WORKFLOW)):
        value = data.get(key)
        entries = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for entry in entries:
            if not isinstance(entry, str) or not entry.startswith("./") or ".." in entry.split("/"):
                continue
            path = root / entry[2:]
            entry_display = os.path.normpath(os.path.join(display_root, entry[2:]))
            if kind in CONFIG_KINDS:
                if path.is_file() and path.suffix.lower() == ".json":
                    targets.append(Target(path, entry_display, kind, None, root, file_key(path)))
                continue
            if kind == SKILL and path.is_dir():
                path, entry_display = path / "SKILL.md", os.path.join(entry_display, "SKILL.md")
            if path.is_file() and _fits(kind, path):
                anchor = path.parent if kind != SKILL else path.parent.parent
                targets.append(Target(path, entry_display, kind, anchor, root, file_key(path)))
            elif path.is_dir() and kind != SKILL:
                for found, found_display, problem in _walk(path, entry_display):
                    if problem is None and _fits(kind, found):
                        target = Target(found, found_display, kind, path, root, file_key(found))
                        targets.append(target)


def _fits(kind: str, path: Path) -> bool:
    """A file of the suffix the client reads for a component listed in plugin.json."""
    suffix = path.suffix.lower()
    return suffix in SCRIPT_SUFFIXES if kind == WORKFLOW else suffix == ".md"


def _local_marketplace_plugins(marketplace: Path) -> list[Path]:
    try:
        data = json.loads(marketplace.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return []
    plugins = data.get("plugins") if isinstance(data, dict) else None
    found = []
    for entry in plugins if isinstance(plugins, list) else []:
        source = entry.get("source") if isinstance(entry, dict) else None
        if isinstance(source, str) and source.startswith("./") and ".." not in source.split("/"):
            folder = marketplace.parent.parent / source[2:]
            if folder.is_dir():
                found.append(folder)
    return found


def clear_caches() -> None:
    """Forget what was learnt about the file system (for callers that lint more than once)."""
    for cached in (_is_boundary, _has_skill_file, _has_plugin_manifest, _anchor_of, real_folder):
        cached.cache_clear()
    markdown_files.cache_clear()


@cache
def real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def file_key(path: Path | str) -> str:
    """A file's identity: its name in the real path of its folder.

    A symlinked file is a file of its own here, as it is to the client, which loads both.
    """
    text = os.path.abspath(path)
    return os.path.join(real_folder(os.path.dirname(text)), os.path.basename(text))


def _unique(targets: list[Target]) -> list[Target]:
    seen: set[str] = set()
    unique = []
    for target in targets:
        if target.key not in seen:
            seen.add(target.key)
            unique.append(target)
    return unique


def agent_scope(path: Path, anchor: Path | None, in_plugin: bool) -> tuple[str, ...]:
    """The agents the client loads together with this one: a name clash counts only within it."""
    folder = real_folder(os.path.dirname(os.path.abspath(path)))
    if anchor is None:
        return (folder,)
    base = real_folder(str(anchor))
    if not in_plugin:
        if os.path.basename(os.path.dirname(os.path.abspath(anchor))) == ".claude":
            return (base,)  # project and user agents: the whole tree loads, subfolders or not
        return (folder,)  # a catalog installed an agent (or a folder) at a time
    relative = os.path.relpath(folder, base)
    return (base, *([] if relative == "." else relative.split(os.sep)))


@lru_cache(maxsize=256)
def markdown_files(folder: str) -> tuple[str, ...]:
    """Every *.md file under ``folder`` (symlinked folders are not followed), sorted."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            os.path.join(dirpath, f) for f in sorted(filenames) if f.lower().endswith(".md")
        )
    return tuple(found)
