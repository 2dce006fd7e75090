"""What install writes: the bundle's agents, command and workflows, selected, prefixed, normalised.

The bundle comes from the package (``ml_agents.bundle``). ``ML_AGENTS_BUNDLE_DIR`` points install,
uninstall and status at another bundle folder (``agents/``, ``commands/``, an optional
``workflows/`` and an optional ``VERSION`` file); it is a testing hook, used to install "a second
version" in the update tests.

A workflow (``workflows/<name>.js``) is named by its ``meta.name``, which must equal the file stem.
It goes with the commands that name it in backticks, and ``--prefix`` renames it like an agent:
the file, ``meta.name``, and every reference in the commands (`` `name` `` and ``Workflow(name)``).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from ml_agents import __version__
from ml_agents.frontmatter import parse

BUNDLE_DIR_ENV = "ML_AGENTS_BUNDLE_DIR"
AGENTS = "agents"
COMMANDS = "commands"
WORKFLOWS = "workflows"
# The client skips a script whose first statement is not this literal (claude-code-workflows.md).
META_START = "export const meta = {"
META_NAME_RE = re.compile(r"^\s*name:\s*(['\"])([^'\"\n]*)\1", re.MULTILINE)
META_FIELD_RE = r"^\s*{field}:\s*(['\"])([^'\"\n]*)\1"
KEBAB_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class BundleError(Exception):
    """The bundle cannot be installed as it is; the message says which file and why."""


class SelectionError(Exception):
    """``--only``, ``--exclude`` or ``--prefix`` ask for something impossible (a usage error)."""


class BundleFile(NamedTuple):
    kind: str
    """``agents``, ``commands`` or ``workflows``."""
    name: str
    """The agent's frontmatter ``name`` or the workflow's ``meta.name`` (each equal to the file
    stem), or the command's file stem."""
    description: str
    """For a workflow: ``meta.description`` and ``whenToUse``, as the Skill listing shows them."""
    source: Path
    text: str
    """UTF-8 text with LF line ends and no BOM."""


class Bundle(NamedTuple):
    root: Path
    version: str
    agents: tuple[BundleFile, ...]
    commands: tuple[BundleFile, ...]
    workflows: tuple[BundleFile, ...] = ()

    @property
    def files(self) -> tuple[BundleFile, ...]:
        """The Markdown files (what the linter checks)."""
        return self.agents + self.commands

    @property
    def installed(self) -> tuple[BundleFile, ...]:
        return self.agents + self.commands + self.workflows


class DesiredFile(NamedTuple):
    """One file as install will write it."""

    path: str
    """Relative to the target, e.g. ``agents/ml-data-scientist.md``."""
    kind: str
    name: str
    """The installed name: ``<prefix><name>`` for an agent, the stem for a command."""
    description: str
    data: bytes
    sha256: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise(data: bytes, source: Path) -> str:
    """UTF-8 without BOM, LF line ends: what the client reads reliably on every platform."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BundleError(
            f"{source}: not valid UTF-8 ({error.reason} at byte {error.start})"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def bundle_root() -> Path:
    override = os.environ.get(BUNDLE_DIR_ENV, "").strip()
    if override:
        return Path(override).absolute()
    from ml_agents.bundle import bundle_root as packaged_root

    return packaged_root()


def load_bundle() -> Bundle:
    """Read and check the bundle. Raises ``BundleError`` when a file could not be installed."""
    try:
        root = bundle_root()
    except FileNotFoundError as error:
        raise BundleError(str(error)) from None
    version = __version__
    version_file = root / "VERSION"
    if version_file.is_file():
        version = version_file.read_text(encoding="utf-8").strip() or __version__
    agents = tuple(_read(path, AGENTS) for path in sorted((root / AGENTS).glob("*.md")))
    commands = tuple(_read(path, COMMANDS) for path in sorted((root / COMMANDS).glob("*.md")))
    workflows = tuple(_read_workflow(path) for path in sorted((root / WORKFLOWS).glob("*.js")))
    if not agents and not commands:
        raise BundleError(f"the bundle at {root} holds no agents/*.md and no commands/*.md")
    names = [a.name for a in agents]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise BundleError(f"the bundle defines these agent names twice: {', '.join(duplicates)}")
    return Bundle(root, version, agents, commands, workflows)


def _text_and_stem(path: Path) -> tuple[str, str]:
    """The normalised text and the checked file stem of one bundle file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BundleError(f"{path}: cannot read it ({error.strerror})") from None
    stem = path.name[: -len(path.suffix)]
    check_name(stem, f"{path}: file name")
    return normalise(raw, path), stem


def _read(path: Path, kind: str) -> BundleFile:
    text, stem = _text_and_stem(path)
    document = parse(text)
    fields = document.frontmatter.fields if document.frontmatter else None
    if fields is None:
        problem = document.problem.message if document.problem else "no frontmatter"
        raise BundleError(f"{path}: {problem}; the client would not load it")
    description = fields.get("description")
    if kind == AGENTS:
        name = fields.get("name")
        if not isinstance(name, str):
            raise BundleError(
                f"{path}: no string `name` in the frontmatter; the client would skip it"
            )
        if name != stem:
            raise BundleError(f"{path}: `name: {name}` differs from the file name {stem}.md")
        if not isinstance(description, str) or not description.strip():
            raise BundleError(f"{path}: no string `description`; the client would reject it")
    return BundleFile(kind, stem, description if isinstance(description, str) else "", path, text)


def _read_workflow(path: Path) -> BundleFile:
    text, stem = _text_and_stem(path)
    meta = workflow_meta(text)
    if meta is None:
        raise BundleError(f"{path}: does not start with `{META_START}`; the client would skip it")
    name, description = meta
    if name != stem:
        raise BundleError(f"{path}: `meta.name` {name!r} differs from the file name {stem}.js")
    return BundleFile(WORKFLOWS, stem, description, path, text)


def workflow_meta(text: str) -> tuple[str, str] | None:
    """``(name, listing text)`` of a workflow script's leading ``meta`` literal, or ``None``.

    The listing text is what the client shows in the Skill listing: the description, then
    `` - <whenToUse>`` when there is one."""
    if not text.startswith(META_START):
        return None
    block = text[: text.find("\n}") + 2]
    name = META_NAME_RE.search(block)
    if name is None:
        return None
    fields = []
    for field in ("description", "whenToUse"):
        found = re.search(META_FIELD_RE.format(field=field), block, re.MULTILINE)
        if found:
            fields.append(found.group(2))
    return name.group(2), " - ".join(fields)


def check_name(name: str, what: str) -> None:
    """Names become file names: refuse separators, ``..``, and anything but kebab-case."""
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise BundleError(f"{what} {name!r} holds a path separator; refusing to install it")
    if not KEBAB_RE.match(name):
        raise BundleError(f"{what} {name!r} is not lowercase kebab-case; refusing to install it")


def check_prefix(prefix: str, agent_names: Iterable[str]) -> None:
    if prefix == "":
        return
    if not PREFIX_RE.match(prefix):
        raise SelectionError(
            f"--prefix {prefix!r}: use lowercase letters, digits and hyphens only, at most 64 "
            "characters, no ':' or '/' (e.g. --prefix ml-)"
        )
    for name in agent_names:
        if not KEBAB_RE.match(prefix + name):
            raise SelectionError(
                f"--prefix {prefix!r} makes the agent name {prefix + name!r}, which is not "
                "kebab-case (no doubled or trailing hyphens); try e.g. --prefix ml-"
            )


def split_names(values: Sequence[str]) -> list[str]:
    """``--only a,b --only c`` → ``[a, b, c]``; a leading ``/`` on a command name is dropped."""
    names = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part:
                names.append(part[1:] if part.startswith("/") else part)
    return names


def command_needs(command: BundleFile, agent_names: Iterable[str]) -> list[str]:
    """The bundle agents a command launches: those named in backticks in its text."""
    return [name for name in agent_names if f"`{name}`" in command.text]


def select(bundle: Bundle, only: Sequence[str], exclude: Sequence[str]) -> Bundle:
    """The part of the bundle to install. Raises ``SelectionError`` for unknown names and for a
    command selected without the agents it launches."""
    known = {f.name for f in bundle.installed}
    wanted = split_names(only)
    unwanted = split_names(exclude)
    for name in wanted + unwanted:
        if "/" in name or "\\" in name:
            raise SelectionError(f"{name!r} is not an agent or command name (no path separators)")
        if name not in known:
            raise SelectionError(
                f"{name!r} is not in this bundle; known names: {', '.join(sorted(known))}"
            )
    chosen = set(wanted) if wanted else set(known)
    chosen -= set(unwanted)
    agents = tuple(a for a in bundle.agents if a.name in chosen)
    commands = tuple(c for c in bundle.commands if c.name in chosen)
    # a workflow goes with the commands that run it, unless it is left out by name
    run_by_commands = {
        w.name for w in bundle.workflows for c in commands if f"`{w.name}`" in c.text
    }
    workflows = tuple(
        w
        for w in bundle.workflows
        if w.name not in unwanted and (w.name in wanted or w.name in run_by_commands)
    )
    agent_names = [a.name for a in bundle.agents]
    for command in commands:
        missing = [n for n in command_needs(command, agent_names) if n not in chosen]
        if missing:
            raise SelectionError(
                f"/{command.name} launches {', '.join(missing)}, which you left out: installing "
                "the command without its agents would leave it unable to run. Select them too, "
                f"or leave the command out with --exclude {command.name}"
            )
    if not agents and not commands:
        raise SelectionError("nothing selected: --only/--exclude leave no agent and no command")
    return bundle._replace(agents=agents, commands=commands, workflows=workflows)


def apply_prefix(text: str, names: Iterable[str], prefix: str, *, own_name: str | None) -> str:
    """Rename agents ``name`` → ``<prefix>name``: every backticked reference, and (for an agent's
    own file) the frontmatter ``name:`` value."""
    if not prefix:
        return text
    ordered = sorted(set(names), key=len, reverse=True)
    if ordered:
        pattern = re.compile("`(" + "|".join(re.escape(n) for n in ordered) + ")`")
        text = pattern.sub(lambda m: f"`{prefix}{m.group(1)}`", text)
    if own_name is not None:
        document = parse(text)
        where = document.frontmatter.value_positions.get("name") if document.frontmatter else None
        if where is not None:
            lines = text.split("\n")
            line = lines[where.line - 1]
            start = where.col - 1
            at = line.find(own_name, start)
            if at >= 0:
                lines[where.line - 1] = line[:at] + prefix + line[at:]
                text = "\n".join(lines)
    return text


def prefix_workflows(text: str, names: Iterable[str], prefix: str, *, script: bool) -> str:
    """Rename workflows ``name`` → ``<prefix>name``: in a command, every backticked reference and
    every ``Workflow(name)`` permission rule; in a script, its ``meta.name``."""
    if not prefix:
        return text
    ordered = sorted(set(names), key=len, reverse=True)
    if not ordered:
        return text
    alternatives = "|".join(re.escape(n) for n in ordered)
    if script:
        pattern = re.compile(rf"^(\s*name:\s*['\"])({alternatives})(['\"])", re.MULTILINE)
        return pattern.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", text, count=1)
    text = re.sub(rf"`({alternatives})`", lambda m: f"`{prefix}{m.group(1)}`", text)
    return re.sub(
        rf"\bWorkflow\(({alternatives})\)", lambda m: f"Workflow({prefix}{m.group(1)})", text
    )


def desired_files(bundle: Bundle, prefix: str, all_agent_names: Iterable[str]) -> list[DesiredFile]:
    """The files to write for the selected ``bundle`` (agents, then commands, then workflows)."""
    names = list(all_agent_names)
    # every workflow of the bundle, selected or not, so a prefixed command never points at (and
    # pre-approves) someone else's workflow of the unprefixed name; stems equal meta.name (load)
    workflow_names = [path.stem for path in (bundle.root / WORKFLOWS).glob("*.js")]
    result = []
    for item in bundle.installed:
        renamed = item.kind != COMMANDS
        installed_name = prefix + item.name if renamed else item.name
        if item.kind == WORKFLOWS:
            text = prefix_workflows(item.text, workflow_names, prefix, script=True)
            description = item.description
            path = f"{WORKFLOWS}/{installed_name}.js"
        else:
            own = item.name if item.kind == AGENTS else None
            text = apply_prefix(item.text, names, prefix, own_name=own)
            text = prefix_workflows(text, workflow_names, prefix, script=False)
            description = apply_prefix(item.description, names, prefix, own_name=None)
            path = f"{item.kind}/{installed_name}.md"
        data = text.encode("utf-8")
        result.append(DesiredFile(path, item.kind, installed_name, description, data, sha256(data)))
    return result
