"""Agent files (claude-code-format.md §1.3-§1.6)."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from ml_agents.frontmatter import Position
from ml_agents.lint import spec
from ml_agents.lint.checks_fields import (
    check_description_type,
    check_enum,
    check_hooks,
    check_misplaced_hook_events,
    check_model,
)
from ml_agents.lint.checks_subagent_tools import check_subagent_tools
from ml_agents.lint.checks_tools import check_list_type, check_tool_field
from ml_agents.lint.context import FileContext, check_unknown_keys
from ml_agents.lint.positions import shown, type_name


class AgentName(NamedTuple):
    """An agent's identity, for the cross-file checks."""

    name: str
    position: Position


def check_agent(context: FileContext) -> AgentName | None:
    in_plugin = context.plugin_root is not None
    name = _check_name(context, in_plugin=in_plugin)
    _check_description(context, in_plugin=in_plugin)
    known = spec.AGENT_KEYS | spec.PLUGIN_AGENT_EXTRA_KEYS if in_plugin else spec.AGENT_KEYS
    misplaced = frozenset() if in_plugin else check_misplaced_hook_events(context)
    check_unknown_keys(context, known, spec.AGENT_KEY_HINTS, skip=misplaced)
    fields = context.fields
    if "tools" in fields and not check_subagent_tools(context):
        check_tool_field(context, "tools", agent_tools=True)
    if "disallowedTools" in fields:
        check_tool_field(context, "disallowedTools", agent_tools=False)
    if "skills" in fields:
        check_list_type(context, "skills")
    check_model(context)
    _check_bypass(context, in_plugin=in_plugin)
    if in_plugin and context.fields.get("isolation") in spec.ISOLATIONS:  # the schema's, else
        check_enum(context, "isolation", "CC217", spec.PLUGIN_ISOLATIONS)
    if in_plugin:
        for key in spec.PLUGIN_AGENT_IGNORED_KEYS:
            if key in fields:
                context.report(
                    "CC219",
                    context.key_position(key),
                    f"{key} is ignored for plugin agents",
                    f"Remove {key}, or ship this agent in .claude/agents/ where it applies.",
                )
    else:
        check_hooks(context)
    return name


def _check_name(context: FileContext, *, in_plugin: bool) -> AgentName | None:
    fields = context.fields
    if "name" not in fields or fields["name"] is None or fields["name"] == "":
        if in_plugin:  # plugin agents are named after their file
            return AgentName(context.path.stem, Position(1, 1))
        where = context.key_position("name") if "name" in fields else Position(1, 1)
        context.report(
            "CC201",
            where,
            "the agent has no name, so Claude Code skips this file without a message",
            f"Add 'name: {_kebab(context.path.stem)}'.",
        )
        return None
    name = fields["name"]
    where = context.value_position("name")
    if not isinstance(name, str):
        context.report(
            "CC202", where, f"name must be a string, not {type_name(name)}; the agent is rejected"
        )
        return None
    if name.startswith("-"):
        context.report(
            "CC204",
            where,
            f"name {shown(name)} starts with '-'; the agent is rejected",
            f"Write 'name: {name.lstrip('-')}'.",
        )
    elif ":" in unicodedata.normalize("NFKC", name):
        context.report(
            "CC203",
            where,
            f"name {shown(name)} contains ':' (reserved for plugin namespaces); "
            "the agent is rejected",
            f"Write 'name: {_kebab(name)}'.",
        )
    elif len(name) > spec.AGENT_NAME_MAX:
        context.report(
            "CC205",
            where,
            f"name is {len(name)} characters long; the limit is {spec.AGENT_NAME_MAX}",
        )
    elif not spec.KEBAB_RE.match(name):
        context.report(
            "CC206",
            where,
            f"name {shown(name)} is not kebab-case",
            f"Write 'name: {_kebab(name)}'.",
        )
    return AgentName(name, where)


def _check_description(context: FileContext, *, in_plugin: bool) -> None:
    fields = context.fields
    present = fields.get("description") not in (None, "")
    if not present and in_plugin and any(fields.get(k) for k in spec.PLUGIN_AGENT_EXTRA_KEYS):
        return
    if not present:
        where = context.key_position("description") if "description" in fields else Position(1, 1)
        context.report("CC207", where, "the agent has no description, so Claude Code rejects it")
        return
    check_description_type(context, strict=True)


def _check_bypass(context: FileContext, *, in_plugin: bool) -> None:
    """An allowed mode that is almost never meant (an unknown mode is the schema's CC212)."""
    if not in_plugin and context.fields.get("permissionMode") == "bypassPermissions":
        context.report(
            "CC213",
            context.value_position("permissionMode"),
            "permissionMode bypassPermissions lets this agent run any tool without asking",
        )


def _kebab(text: str) -> str:
    """A kebab-case spelling of ``text`` for a hint (ASCII letters and digits only)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text[:80])  # CodeReviewer -> Code Reviewer
    words = "".join(c.lower() if c.isascii() and c.isalnum() else " " for c in spaced).split()
    return "-".join(words) or "my-agent"
