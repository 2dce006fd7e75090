"""What install writes: the bundle's agents and command, selected, prefixed and normalised.

The bundle comes from the package (``ml_agents.bundle``). ``ML_AGENTS_BUNDLE_DIR`` points install,
uninstall and status at another bundle folder (``agents/``, ``commands/`` and an optional
``VERSION`` file); it is a testing hook, used to install "a second version" in the update tests.
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
KEBAB_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# kebab-case words ending in the hyphen that joins them to the name: ml- gives ml-data-scientist
PREFIX_RE = re.compile(r"^([a-z0-9]+-)+$")
PREFIX_MAX = 64


class BundleError(Exception):
    """The bundle cannot be installed as it is; the message says which file and why."""


class SelectionError(Exception):
    """``--only``, ``--exclude`` or ``--prefix`` ask for something impossible (a usage error)."""


class BundleFile(NamedTuple):
    kind: str
    """``agents`` or ``commands``."""
    name: str
    """The agent's frontmatter ``name`` (equal to the file stem), or the command's file stem."""
    description: str
    source: Path
    text: str
    """UTF-8 text with LF line ends and no BOM."""


class Bundle(NamedTuple):
    root: Path
    version: str
    agents: tuple[BundleFile, ...]
    commands: tuple[BundleFile, ...]

    @property
    def files(self) -> tuple[BundleFile, ...]:
        return self.agents + self.commands


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
    if not agents and not commands:
        raise BundleError(f"the bundle at {root} holds no agents/*.md and no commands/*.md")
    names = [a.name for a in agents]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise BundleError(f"the bundle defines these agent names twice: {', '.join(duplicates)}")
    return Bundle(root, version, agents, commands)


def _read(path: Path, kind: str) -> BundleFile:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BundleError(f"{path}: cannot read it ({error.strerror})") from None
    text = normalise(raw, path)
    stem = path.name[: -len(".md")]
    check_name(stem, f"{path}: file name")
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


def check_name(name: str, what: str) -> None:
    """Names become file names: refuse separators, ``..``, and anything but kebab-case."""
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise BundleError(f"{what} {name!r} holds a path separator; refusing to install it")
    if not KEBAB_RE.match(name):
        raise BundleError(f"{what} {name!r} is not lowercase kebab-case; refusing to install it")


def check_prefix(prefix: str, agent_names: Iterable[str]) -> None:
    """A prefix is lowercase kebab-case ending in ``-``: ``ml`` would glue ``mlbackend-developer``
    together, so it is refused with the fix (``--prefix ml-``) rather than silently extended."""
    if prefix == "":
        return
    if PREFIX_RE.match(prefix + "-") and len(prefix) < PREFIX_MAX:
        example = next(iter(agent_names), "name")
        raise SelectionError(
            f"--prefix {prefix!r} must end with '-' so the names stay readable: "
            f"--prefix {prefix}- gives {prefix}-{example}"
        )
    if not PREFIX_RE.match(prefix) or len(prefix) > PREFIX_MAX:
        raise SelectionError(
            f"--prefix {prefix!r}: use lowercase letters, digits and single hyphens, ending in "
            f"'-', at most {PREFIX_MAX} characters, no ':' or '/' (e.g. --prefix ml-)"
        )


def split_names(values: Sequence[str], option: str) -> list[str]:
    """``--only a,b --only c`` → ``[a, b, c]``; a leading ``/`` on a command name is dropped.
    A value holding no name at all (``--only ,,,``) is refused: it would select everything."""
    names = []
    for value in values:
        parts = [part.strip() for part in value.split(",")]
        if not any(parts):
            raise SelectionError(f"{option} {value!r} names no agent or command")
        names += [part[1:] if part.startswith("/") else part for part in parts if part]
    return names


def command_needs(command: BundleFile, agent_names: Iterable[str]) -> list[str]:
    """The bundle agents a command launches: those named in backticks in its text."""
    return [name for name in agent_names if f"`{name}`" in command.text]


def select(bundle: Bundle, only: Sequence[str], exclude: Sequence[str]) -> Bundle:
    """The part of the bundle to install. Raises ``SelectionError`` for unknown names and for a
    command selected without the agents it launches."""
    known = {f.name for f in bundle.files}
    wanted = split_names(only, "--only")
    unwanted = split_names(exclude, "--exclude")
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
    return bundle._replace(agents=agents, commands=commands)


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


def desired_files(bundle: Bundle, prefix: str, all_agent_names: Iterable[str]) -> list[DesiredFile]:
    """The files to write for the selected ``bundle`` (agents first, then commands)."""
    names = list(all_agent_names)
    result = []
    for item in bundle.files:
        is_agent = item.kind == AGENTS
        installed_name = prefix + item.name if is_agent else item.name
        text = apply_prefix(item.text, names, prefix, own_name=item.name if is_agent else None)
        description = apply_prefix(item.description, names, prefix, own_name=None)
        data = text.encode("utf-8")
        path = f"{item.kind}/{installed_name}.md"
        result.append(DesiredFile(path, item.kind, installed_name, description, data, sha256(data)))
    return result
