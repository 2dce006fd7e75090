"""Slash commands and skills (claude-code-format.md §2, §5)."""

from __future__ import annotations

import re
from typing import NamedTuple

from ml_agents.frontmatter import Position, skip_whitespace
from ml_agents.lint import spec
from ml_agents.lint.checks_fields import (
    check_description_type,
    check_hooks,
    check_misplaced_hook_events,
    check_model,
)
from ml_agents.lint.checks_shell_blocked import check_blocked_snippet
from ml_agents.lint.checks_tools import (
    Entry,
    check_list_type,
    check_tool_field,
    shell_command_allowed,
    shell_rules,
)
from ml_agents.lint.context import FileContext, check_unknown_keys
from ml_agents.lint.positions import shown, type_name
from ml_agents.lint.readonly_shell import is_read_only
from ml_agents.lint.rules import COMMAND

# the client's own patterns for shell injection (§2.3); its block pattern
# ```!\s*\n?([\s\S]*?)\n?``` is followed by _shell_blocks without backtracking
_INLINE_SHELL = re.compile(r"(?:(?<=\s)|^)!`([^`]+)`", re.MULTILINE)

_NAME = r"(?:[A-Za-z0-9][A-Za-z0-9._-]*:)*[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
# a name cut short by a ':' (team::reviewer) is CC316's, not an unknown agent
_SUBAGENT_TYPE = re.compile(
    r"subagent_type[\"'`]?\s*[:=]\s*[\"'`]?(" + _NAME + r")(?![\w:-]|\.\w)[\"'`]?"
)
_NAME_BEFORE_AGENT = re.compile(r"`(" + _NAME + r")`\s+(?:sub)?agents?\b", re.IGNORECASE)
_AGENT_BEFORE_NAME = re.compile(r"\b(?:sub)?agents?\s+`(" + _NAME + r")`", re.IGNORECASE)
_BACKTICKED_LIST = re.compile(
    r"`" + _NAME + r"`(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)`" + _NAME + r"`){2,}"
)
_BACKTICKED_KEBAB = re.compile(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`")
_BACKTICKED_NAME = re.compile(r"`(" + _NAME + r")`")

EXPLICIT = "explicit"
LISTED = "listed"
WEAK = "weak"


class Mention(NamedTuple):
    """A place where a command may name an agent; the cross-file check decides."""

    name: str
    position: Position
    strength: str
    group: int
    """Mentions in one backticked list share a group number."""


def check_command(context: FileContext) -> list[Mention]:
    fields = context.fields
    is_command = context.kind == COMMAND
    misplaced = check_misplaced_hook_events(context)
    if is_command:
        if "name" in fields and fields["name"] != context.path.stem:
            context.report(
                "CC402",
                context.key_position("name"),
                f"name {shown(fields['name'])} is ignored: Claude Code names this command "
                f"/{context.path.stem} after its file",
                f"Remove the name line, or rename the file to {_file_name(fields['name'])}.",
            )
        skip = misplaced | {"name"}
        check_unknown_keys(context, spec.COMMAND_KEYS, spec.COMMAND_KEY_HINTS, skip=skip)
    else:
        check_unknown_keys(context, spec.SKILL_KEYS, spec.COMMAND_KEY_HINTS, skip=misplaced)
    check_description_type(context, strict=False)
    if "argument-hint" in fields and isinstance(fields["argument-hint"], (list, dict)):
        context.report(
            "CC401",
            context.value_position("argument-hint"),
            f"argument-hint is {type_name(fields['argument-hint'])} (YAML read the brackets), "
            "so the "
            "/ menu shows a mangled hint",
            'Quote the value: argument-hint: "[file] [focus]".',
        )
    allowed: list[Entry] = []
    if "allowed-tools" in fields:
        allowed = check_tool_field(context, "allowed-tools", agent_tools=False)
    for key in ("disallowed-tools", "disallowedTools"):
        if key in fields:
            check_tool_field(context, key, agent_tools=False)
    for key in ("paths", "arguments"):
        if key in fields:
            check_list_type(context, key)
    check_model(context)
    check_hooks(context)
    _check_shell_injection(context, allowed)
    return _agent_mentions(context)


def _file_name(name: object) -> str:
    """The file name that gives a command the name its author wrote."""
    text = name.strip().lstrip("/") if isinstance(name, str) else ""  # never str() a YAML bomb
    return f"{text.replace(':', '/')}.md" if text else "<name>.md"


def _check_shell_injection(context: FileContext, allowed: list[Entry]) -> None:
    body = context.document.body
    if "!`" not in body and "```!" not in body:
        return
    rules = shell_rules(allowed)
    found = [(m.start(), m.group(1)) for m in _INLINE_SHELL.finditer(body)]
    found += _shell_blocks(body)
    for offset, command in sorted(found):
        if is_read_only(command) or shell_command_allowed(command, rules):
            check_blocked_snippet(context, offset, command)
            continue
        first_line = command.strip().splitlines()[0] if command.strip() else command
        snippet = shown(first_line)[1:-1]
        why = "no Bash rule in allowed-tools matches it" if rules else "allowed-tools has no Bash"
        message = (
            f"!`{snippet}` is not a read-only command and {why}: Claude Code stops the command "
            "with 'Shell command permission check failed'"
        )
        words = first_line.split()
        prefix = shown(" ".join(words[:2]))[1:-1] if words else "command"
        context.report(
            "CC308",
            context.body_position(offset),
            message,
            _allowed_tools_hint(context, f"Bash({prefix}:*)"),
        )


_QUOTES = "\"'`"
_VALUE_ENDS = ",;)}]"


def _whole_value(body: str, start: int, end: int) -> bool:
    """Whether a subagent_type name is the whole value: quoted, or followed by the end of the line
    or a delimiter. ``subagent_type: the selected role`` is prose, not an agent named 'the'."""
    opening = body[start - 1] if start > 0 else ""
    if opening in _QUOTES:
        return body.startswith(opening, end)
    line_end = body.find("\n", end)
    rest = body[end : len(body) if line_end == -1 else line_end].strip()
    return not rest or rest[0] in _VALUE_ENDS


def _allowed_tools_hint(context: FileContext, rule: str) -> str:
    """The allowed-tools line with ``rule`` added, as the author would write it."""
    current = context.fields.get("allowed-tools")
    if isinstance(current, str) and current.strip():
        return f"Add the rule: allowed-tools: {current.strip()}, {rule}"
    if isinstance(current, list) and all(isinstance(item, str) for item in current):
        return f"Add the rule: allowed-tools: {', '.join([*current, rule])}"
    return f"Add the rule: allowed-tools: {rule}"


def _shell_blocks(body: str) -> list[tuple[int, str]]:
    """Each ```! block: where it starts, and its command (leading whitespace and the newline
    before the closing fence dropped). An unclosed block has no fence after it, nor has any later
    one, so the search ends there."""
    found = []
    start = body.find("```!")
    while start != -1:
        command_start = skip_whitespace(body, start + 4)
        end = body.find("```", command_start)
        if end == -1:
            break
        command_end = end - 1 if end > command_start and body[end - 1] == "\n" else end
        found.append((start, body[command_start:command_end]))
        start = body.find("```!", end + 3)
    return found


def _agent_mentions(context: FileContext) -> list[Mention]:
    mentions: list[Mention] = []
    fields = context.fields
    agent_field = fields.get("agent")
    if isinstance(agent_field, str) and agent_field.strip():
        mentions.append(Mention(agent_field.strip(), context.value_position("agent"), EXPLICIT, 0))
    body = context.document.body
    if "`" not in body and "subagent_type" not in body:
        return mentions
    for pattern in (_SUBAGENT_TYPE, _NAME_BEFORE_AGENT, _AGENT_BEFORE_NAME):
        for match in pattern.finditer(body):
            if pattern is _SUBAGENT_TYPE and not _whole_value(body, match.start(1), match.end(1)):
                continue
            mentions.append(
                Mention(match.group(1), context.body_position(match.start(1)), EXPLICIT, 0)
            )
    for group, match in enumerate(_BACKTICKED_LIST.finditer(body), start=1):
        for name in _BACKTICKED_NAME.finditer(match.group(0)):
            where = context.body_position(match.start() + name.start(1))
            mentions.append(Mention(name.group(1), where, LISTED, group))
    for match in _BACKTICKED_KEBAB.finditer(body):
        mentions.append(Mention(match.group(1), context.body_position(match.start(1)), WEAK, 0))
    return mentions
