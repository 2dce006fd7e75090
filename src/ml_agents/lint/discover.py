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
# ruff: noqa: PTH100, PTH114, PTH115, PTH116, PTH118, PTH119, PTH120, PTH122, PTH123, PTH206, PTH208

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ml_agents.lint import deps, reading, rules
from ml_agents.lint.deps import (
    has_plugin_manifest,
    plugin_root_of,
    real_folder,
    repository_root,
)
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
    file: str
    """The file's path as found (relative to the working folder, or absolute); ``path`` is the
    same as a ``Path``, made on use: a warm run builds a thousand targets and reads none."""
    display: str
    kind: str
    anchor: Path | None
    """The ``agents/``, ``commands/`` or ``skills/`` folder the file belongs to."""
    plugin_root: Path | None
    """The plugin root (the folder with ``.claude-plugin/plugin.json``) for a plugin's file."""
    key: str
    """The file's identity (see ``file_key``)."""

    @property
    def path(self) -> Path:
        return Path(self.file)


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
        present = [c for c in candidates if deps.ask("lexists", str(c))]
        found.extend((c, display_path(c, cwd)) for c in present)
    return found


def place_of(path: Path | str) -> Place:
    """The kind of the file at ``path``, judged from its location only."""
    absolute = os.path.abspath(path)
    parent, filename = os.path.split(absolute)
    return _place(_folder(parent), absolute, filename)


class _Folder(NamedTuple):
    """What a folder tells about every file in it (looked up once per folder, see ``_folder``)."""

    path: str
    name: str
    anchor: str | None
    kind: str | None
    anchor_path: Path | None
    inside_skill: bool
    plain: Place
    """The place of an ordinary ``*.md`` file here."""
    real: str
    """The folder's real path (see ``file_key``)."""
    plugin_root: Path | None
    """The plugin root of the files here (see ``plugin_root_of``)."""


@lru_cache(maxsize=4096)
def _folder(parent: str) -> _Folder:
    anchor, kind = _anchor_of(parent)
    anchor_path = None if anchor is None else Path(anchor)
    return _Folder(
        parent,
        os.path.basename(parent),
        anchor,
        kind,
        anchor_path,
        anchor is not None and kind in (AGENT, COMMAND) and _inside_skill(anchor),
        Place(kind or UNKNOWN, anchor_path, ""),
        real_folder(parent),
        plugin_root_of(anchor_path),
    )


_NOT_A_COMPONENT = Place(
    UNKNOWN, None, "it is not under agents/, commands/, skills/<name>/SKILL.md or .claude-plugin/"
)
_NOT_A_MANIFEST = Place(
    UNKNOWN, None, "only plugin.json and marketplace.json are read in .claude-plugin/"
)


def _place(folder: _Folder, absolute: str, filename: str) -> Place:
    config = CONFIG_FILES.get((folder.name, filename)) or CONFIG_FILES.get(("", filename))
    if config is not None:
        return Place(config, None, "")
    if folder.name == ".claude-plugin":
        kind = MANIFEST_NAMES.get(filename)
        return Place(kind, None, "") if kind else _NOT_A_MANIFEST
    anchor, kind, anchor_path = folder.anchor, folder.kind, folder.anchor_path
    if anchor is None or kind is None:
        return _NOT_A_COMPONENT
    if folder.inside_skill:
        what = "an agent" if kind == AGENT else "a command"
        return Place(
            UNKNOWN,
            None,
            f"it is inside a skill's folder, so it is one of the skill's files, not {what}",
            document=True,
        )
    assert anchor_path is not None
    if kind == WORKFLOW:
        return _workflow_place(anchor_path, filename)
    lower = filename.lower()
    if not lower.endswith(".md"):
        return Place(
            UNKNOWN, anchor_path, f"the client reads only *.md files in {os.path.basename(anchor)}/"
        )
    is_skill_file = lower == "skill.md"
    parent = folder.path
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
    return folder.plain


def _workflow_place(anchor: Path, filename: str) -> Place:
    """Scripts in ``.claude/workflows/`` or in a plugin's ``workflows/``; other folders of that
    name (a CI's, an application's) are not the client's."""
    if anchor.parent.name != ".claude" and not has_plugin_manifest(str(anchor.parent)):
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


def _inside_skill(anchor: str) -> bool:
    """An agents/ or commands/ folder below skills/<name>/ holds that skill's own files."""
    above = os.path.dirname(anchor)
    return above != anchor and _anchor_of(above)[1] == SKILL


def _is_agent_documentation(path: str, filename: str) -> bool:
    """A README or overview in agents/ without frontmatter: the client skips it, as it should."""
    if os.path.splitext(filename)[0].lower() not in DOCUMENT_STEMS:
        return False
    deps.ask("status", path)
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return False  # reported when it is read as an agent
    return not start.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


@lru_cache(maxsize=4096)
def _is_boundary(folder: str) -> bool:
    if deps.ask("exists", os.path.join(folder, ".git")):
        return True
    return bool(deps.ask("is_dir", os.path.join(folder, ".claude-plugin")))


@lru_cache(maxsize=4096)
def _has_skill_file(folder: str) -> bool:
    deps.ask("status", folder)
    try:
        return any(name.lower() == "skill.md" for name in os.listdir(folder))
    except OSError:
        return False


def display_path(path: Path | str, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when it is below it, else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.path.abspath(cwd))
    return relative if not relative.startswith("..") else absolute


def _target(path: Path | str, display: str, place: Place, kind: str | None = None) -> Target:
    anchor = place.anchor
    root = plugin_root_of(anchor)
    return Target(str(path), display, kind or place.kind, anchor, root, file_key(path))


def _add_explicit(path: Path, cwd: Path, targets: list[Target], findings: list[Finding]) -> None:
    display = os.path.normpath(str(path))
    full = path if path.is_absolute() else cwd / path
    if os.pardir in path.parts:
        # "link/../x" is the x beside the link's target, as the system reads it, not the x that
        # normpath names: show (and read suppressions from) the file the bytes come from
        full = Path(deps.ask("real_path", str(full.parent))) / full.name
        display = display_path(full, cwd)
    deps.ask("status", str(full))
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
        listed = _listed_by_plugin(full, display)
        if listed is not None:
            targets.append(listed)
            return
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


def _listed_by_plugin(full: Path, display: str) -> Target | None:
    """The file as a component of the nearest enclosing plugin whose plugin.json lists it (an
    agent in ``./specialists/``, say), else None."""
    key = file_key(full)
    for folder in full.absolute().parents:
        if has_plugin_manifest(str(folder)):
            components: list[Target] = []
            _add_manifest_components(folder / ".claude-plugin" / "plugin.json", "", components)
            for target in components:
                if target.key == key:
                    return target._replace(file=str(full), display=display)
            return None
    return None


def _stat_finding(full: Path, display: str, error: OSError) -> Finding:
    deps.untracked(f"unreachable {full}")
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
    deps.ask("status", str(root))
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


def _add_found(
    path: Path | str, display: str, targets: list[Target], findings: list[Finding]
) -> None:
    """A file met while walking: a target if its place makes it one (a plugin.json brings the
    files it names too)."""
    absolute = os.path.abspath(path)
    parent, filename = os.path.split(absolute)
    folder = _folder(parent)
    place = _place(folder, absolute, filename)
    if place.kind == UNKNOWN:
        return
    file = os.fspath(path)
    if place.anchor is folder.anchor_path:  # the common case: what the folder already knows
        key = os.path.join(folder.real, filename)
        targets.append(Target(file, display, place.kind, place.anchor, folder.plugin_root, key))
    else:
        targets.append(_target(file, display, place))
    if place.reason == NESTED_SKILL:
        findings.extend(_place_findings(place, Path(file), display))
    if place.kind == PLUGIN_MANIFEST:
        _add_manifest_components(Path(file), display, targets)


def _walk(root: Path, display_root: str) -> Iterator[tuple[str, str, Finding | None]]:
    """Regular files under ``root`` (as strings), following symlinks; loops and unreadable
    entries reported.

    Each real folder is listed once, however many links lead to it, and at most ``MAX_FOLDERS``
    are listed: a link to ``/`` must not walk the whole disk.
    """
    root_info = root.stat()
    root_key = (root_info.st_dev, root_info.st_ino)
    visited = {root_key}
    stack: list[tuple[str, str, tuple[tuple[int, int], ...]]] = [
        (str(root), os.path.normpath(display_root), (root_key,))
    ]
    listed = 0
    while stack:
        if listed == MAX_FOLDERS:
            yield str(root), display_root, _walk_limit(display_root)
            return
        listed += 1
        folder, display, ancestors = stack.pop()
        deps.ask("status", folder)  # its change time stands for its listing
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            deps.untracked(f"unlistable {folder}")
            yield (
                folder,
                display,
                rules.make(
                    "CC001", display, 1, 1, f"cannot list folder: {error.strerror or error}"
                ),
            )
            continue
        # display is normalised and a name has no separator: joining needs no normpath
        prefix = "" if display == os.curdir else display.rstrip(os.sep) + os.sep
        subfolders = []
        for entry in entries:
            entry_display = prefix + entry.name
            if entry.is_symlink():  # what it points to can change while this folder does not
                deps.ask("status", entry.path)
            try:  # d_type answers without a system call, except for symlinks
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_file:
                yield entry.path, entry_display, None
                continue
            if is_dir and (_skip_folder(entry.name) or len(ancestors) >= MAX_DEPTH):
                continue
            entry_path = Path(entry.path)
            if not is_dir and not _looks_relevant(entry_path):
                continue
            try:  # through any symlink: a dangling one fails; a folder's identity finds loops
                entry_info = os.stat(entry.path)
            except OSError as error:
                yield entry.path, entry_display, _stat_finding(entry_path, entry_display, error)
                continue
            if not is_dir:
                yield entry.path, entry_display, reading.not_regular(entry_display)
                continue
            key = (entry_info.st_dev, entry_info.st_ino)
            if key in ancestors:
                message = "symlink loop: this folder links back to a folder that contains it"
                yield entry.path, entry_display, rules.make("CC002", entry_display, 1, 1, message)
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
    deps.ask("status", str(manifest))
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
                if deps.ask("is_file", str(path)) and path.suffix.lower() == ".json":
                    targets.append(
                        Target(str(path), entry_display, kind, None, root, file_key(path))
                    )
                continue
            if kind == SKILL and deps.ask("is_dir", str(path)):
                path, entry_display = path / "SKILL.md", os.path.join(entry_display, "SKILL.md")
            if deps.ask("is_file", str(path)) and _fits(kind, path):
                anchor = path.parent if kind != SKILL else path.parent.parent
                targets.append(Target(str(path), entry_display, kind, anchor, root, file_key(path)))
            elif kind != SKILL and deps.ask("is_dir", str(path)):
                for name, found_display, problem in _walk(path, entry_display):
                    found = Path(name)
                    if problem is None and _fits(kind, found):
                        target = Target(name, found_display, kind, path, root, file_key(name))
                        targets.append(target)


def _fits(kind: str, path: Path) -> bool:
    """A file of the suffix the client reads for a component listed in plugin.json."""
    suffix = path.suffix.lower()
    return suffix in SCRIPT_SUFFIXES if kind == WORKFLOW else suffix == ".md"


def _local_marketplace_plugins(marketplace: Path) -> list[Path]:
    deps.ask("status", str(marketplace))
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
            if deps.ask("is_dir", str(folder)):
                found.append(folder)
    return found


def clear_caches() -> None:
    """Forget what was learnt about the file system (for callers that lint more than once)."""
    for cached in (
        _is_boundary,
        _has_skill_file,
        _anchor_of,
        _folder,
    ):
        cached.cache_clear()
    deps.clear_caches()


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


def agent_scope(path: Path | str, anchor: Path | None, in_plugin: bool) -> tuple[str, ...]:
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
