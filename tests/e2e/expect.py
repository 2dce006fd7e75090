"""What the client should send, derived from the shipped files (never from what the client sent).

The agents and the command are read with the project's own frontmatter model, then renamed for
the install route: bare on the pip route, ``ml-agents:<name>`` on the plugin route, and
``<prefix><name>`` with every backticked agent and workflow name rewritten to ``<prefix><name>``
on the ``--prefix`` route (the installer's documented contract).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any, NamedTuple

from ml_agents import frontmatter

PLUGIN_NAME = "ml-agents"
COMMAND_STEM = "ml-integration"


class AgentSpec(NamedTuple):
    role: str
    """The bundle's own name, e.g. ``data-scientist``."""
    agent_type: str
    """The name the client lists and launches on this route."""
    description: str
    tools: tuple[str, ...]
    model: str | None
    body: str
    source: Path


class CommandSpec(NamedTuple):
    name: str
    """The slash command without its slash: ``ml-integration`` or ``ml-agents:ml-integration``."""
    body: str
    source: Path


class Naming(NamedTuple):
    """How one install route names what it installs."""

    namespace: str
    """``"ml-agents:"`` on the plugin route, else ``""``."""
    prefix: str
    """The ``--prefix`` value: prepended to agent names and to backticked agent names in text."""
    command: str


def pip_naming(prefix: str = "") -> Naming:
    return Naming("", prefix, COMMAND_STEM)


def plugin_naming() -> Naming:
    return Naming(f"{PLUGIN_NAME}:", "", f"{PLUGIN_NAME}:{COMMAND_STEM}")


class SpecError(Exception):
    """A shipped file cannot be read into an expectation (missing, or no usable frontmatter)."""


def _read(path: Path) -> tuple[dict[Any, Any], str]:
    if not path.is_file():
        raise SpecError(f"{path} does not exist")
    text, _bom = frontmatter.decode(path.read_bytes())
    document = frontmatter.parse(text)
    if document.frontmatter is None:
        reason = document.problem.message if document.problem else "no frontmatter"
        raise SpecError(f"{path}: {reason}")
    return document.frontmatter.fields, document.body.strip()


def tool_names(value: Any) -> tuple[str, ...]:
    """The ``tools`` field as the client splits it: a YAML list, or a comma-separated string."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def rewrite_agent_names(text: str, roles: tuple[str, ...], prefix: str) -> str:
    """Rewrite every backticked agent name `role` to `prefix+role`, as ``install --prefix`` does."""
    if not prefix:
        return text
    pattern = re.compile("`(" + "|".join(re.escape(r) for r in roles) + ")`")
    return pattern.sub(lambda m: f"`{prefix}{m.group(1)}`", text)


def agent_spec(path: Path, naming: Naming, roles: tuple[str, ...]) -> AgentSpec:
    fields, body = _read(path)
    role = str(fields.get("name") or path.stem)
    model = fields.get("model")
    return AgentSpec(
        role=role,
        agent_type=f"{naming.namespace}{naming.prefix}{role}",
        description=rewrite_agent_names(str(fields.get("description", "")), roles, naming.prefix),
        tools=tool_names(fields.get("tools")),
        model=None if model is None else str(model),
        body=rewrite_agent_names(body, roles, naming.prefix),
        source=path,
    )


def command_spec(path: Path, naming: Naming, roles: tuple[str, ...]) -> CommandSpec:
    _fields, body = _read(path)
    # the installer renames workflows like agents: their names are the script files' stems
    workflows = tuple(p.stem for p in sorted((path.parents[1] / "workflows").glob("*.js")))
    body = rewrite_agent_names(body, roles + workflows, naming.prefix)
    return CommandSpec(naming.command, body, path)


def expand_arguments(body: str, arguments: str) -> str:
    """The client's placeholder substitution (claude-code-format.md §2.3) of an argument string."""
    words = shlex.split(arguments)

    def indexed(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return words[index] if index < len(words) else match.group(0)

    used = "$ARGUMENTS" in body or re.search(r"\$\d+(?!\w)", body) is not None
    body = re.sub(r"\$ARGUMENTS\[(\d+)\]", indexed, body)
    body = re.sub(r"\$(\d+)(?!\w)", indexed, body)
    body = body.replace("$ARGUMENTS", arguments)
    return body if used else f"{body}\n\nARGUMENTS: {arguments}"
