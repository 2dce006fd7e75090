"""Tool lists and permission rules: ``tools``/``disallowedTools`` in agents, ``allowed-tools`` and
``disallowed-tools`` in commands and skills (claude-code-format.md §1.5, §3)."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ml_agents.lint import spec
from ml_agents.lint.context import FileContext, suggest
from ml_agents.lint.positions import shown
from ml_agents.lint.readonly_shell import unquoted

_MCP_SERVER_START = re.compile(r"mcp__[A-Za-z0-9.-]")
_MCP_NAME_CHARS = re.compile(r"[A-Za-z0-9_.*-]*")
_ALL_NAMES = spec.BUILTIN_TOOLS | frozenset(spec.LEGACY_TOOLS) | frozenset(spec.RETIRED_TOOLS)
_BY_LOWER = {name.lower(): name for name in _ALL_NAMES}
_FILE_RULE_TOOLS = spec.PATH_RULE_TOOLS | frozenset(spec.NEVER_MATCHING_RULE_TOOLS)


class Entry(NamedTuple):
    text: str
    tool: str
    content: str | None
    problem: str | None


def split_client_style(value: str) -> list[str]:
    """Split like the client: on commas and spaces outside parentheses (a flag, not a depth)."""
    entries: list[str] = []
    current: list[str] = []
    inside = False
    for char in value:
        if char == "(":
            inside = True
            current.append(char)
        elif char == ")":
            inside = False
            current.append(char)
        elif char in ", " and not inside:
            word = "".join(current).strip()
            if word:
                entries.append(word)
            current = []
        else:
            current.append(char)
    word = "".join(current).strip()
    if word:
        entries.append(word)
    return entries


def entries_of(value: Any) -> list[str] | None:
    """The entries of a list field, or None when the value has the wrong type."""
    if value is None:
        return []
    if isinstance(value, str):
        return split_client_style(value)
    if isinstance(value, list):
        entries: list[str] = []
        for item in value:
            if not isinstance(item, str):
                return None
            entries.extend(split_client_style(item))
        return entries
    return None


def parse_entry(text: str) -> Entry:
    opening = text.find("(")
    if opening == -1:
        if ")" in text:
            return Entry(text, text, None, "a ')' without a matching '('")
        return Entry(text, text, None, None)
    tool = text[:opening]
    if not text.endswith(")"):
        return Entry(text, tool, None, "unbalanced parentheses: the rule must end with ')'")
    content = text[opening + 1 : -1]
    if content.count("(") != content.count(")"):
        return Entry(text, tool, content, "unbalanced parentheses inside the rule")
    return Entry(text, tool, content, None)


def check_list_type(context: FileContext, key: str) -> list[str] | None:
    """Report CC307 when the field is not a string or a list of strings; else return its entries."""
    value = context.fields[key]
    entries = entries_of(value)
    if entries is None:
        context.report(
            "CC307",
            context.value_position(key),
            f"{key} must be a comma-separated string or a list of strings, not {shown(value)}",
        )
    return entries


def author_units(value: Any) -> list[str]:
    """What the author meant as one entry each: the items of a list, or the parts of a string
    between commas outside (nested) parentheses. The client splits a unit further at spaces."""
    items = value if isinstance(value, list) else [value]
    units: list[str] = []
    for item in items:
        if not isinstance(item, str):
            continue
        depth = 0
        current: list[str] = []
        for char in item:
            if char == "(":
                depth += 1
            elif char == ")" and depth > 0:
                depth -= 1
            if char == "," and depth == 0:
                units.append("".join(current).strip())
                current = []
            else:
                current.append(char)
        units.append("".join(current).strip())
    return [unit for unit in units if unit]


def check_tool_field(context: FileContext, key: str, *, agent_tools: bool) -> list[Entry]:
    """Check every entry of a tool list; return the parsed entries for later checks."""
    entries = check_list_type(context, key)
    if not entries:
        return []
    parsed = [parse_entry(text) for text in entries]
    problems = [
        (index, problem)
        for index, entry in enumerate(parsed)
        if (problem := _entry_problem(key, entry, agent_tools))
    ]
    if problems:
        problems = _per_unit(key, context.fields[key], entries, problems, agent_tools)
    if problems:  # positions are worked out only when there is something to report
        cursor: int | None = None
        positions = []
        for text in entries[: problems[-1][0] + 1]:
            where, cursor = context.find_in_value(key, text, cursor)
            positions.append(where)
        for index, (code, message, hint) in problems:
            context.report(code, positions[index], message, hint)
    return parsed


Problem = tuple[str, str, str | None]


def _per_unit(
    key: str, value: Any, entries: list[str], problems: list[tuple[int, Problem]], agent: bool
) -> list[tuple[int, Problem]]:
    """One problem per entry the author wrote: 'git status' or 'Bash(echo $(date) now)' is one
    rule the client splits at spaces into several, not several bad rules."""
    pieces = [split_client_style(unit) for unit in author_units(value)]
    if sum(len(p) for p in pieces) != len(entries):
        return problems  # the units do not line up with the client's entries: keep it simple
    by_index = dict(problems)
    merged: list[tuple[int, Problem]] = []
    index = 0
    for unit_pieces in pieces:
        span = range(index, index + len(unit_pieces))
        bad = [i for i in span if i in by_index]
        if len(unit_pieces) > 1 and bad:
            unit = " ".join(unit_pieces)
            merged.append((index, _split_problem(key, unit, unit_pieces, agent)))
        else:
            merged.extend((i, by_index[i]) for i in bad)
        index += len(unit_pieces)
    return merged


def _split_problem(key: str, unit: str, pieces: list[str], agent: bool) -> Problem:
    parts = ", ".join(shown(piece) for piece in pieces[:6])
    message = (
        f"{shown(unit)} in {key} is one entry to you, but Claude Code splits it at spaces "
        f"into {parts}, so it does not do what it says"
    )
    joined = "".join(pieces)
    if joined in spec.BUILTIN_TOOLS:
        return "CC301", message, f"Write {joined}."
    if "(" in unit:
        tool = unit[: unit.find("(")]
        inner = unit[unit.find("(") + 1 :].split("(")[0].strip()
        return (
            "CC303",
            message,
            f"Write it without parentheses inside the rule: {tool}({inner} *).",
        )
    if agent:
        return "CC301", message, "An agent's tools name tools, not commands: write Bash."
    return "CC301", message, f"Write it as a shell rule: Bash({unit}:*)."


def _entry_problem(key: str, entry: Entry, agent_tools: bool) -> Problem | None:
    """The one finding (code, message, hint) for a tool entry, or None when it is fine."""
    tool = entry.tool
    if entry.problem is None and entry.content is None and tool in spec.BUILTIN_TOOLS:
        return None  # the common case, decided without building any message
    text = shown(entry.text)
    if entry.problem:
        return "CC303", f"permission rule {text} in {key} is malformed: {entry.problem}", None
    if tool == "*" and entry.content is None:
        return None
    if tool.startswith("mcp__"):
        if entry.content is not None:
            return (
                "CC304",
                f"{text} in {key}: MCP rules do not support patterns in parentheses",
                f"Write {tool}__<tool> for one tool, or {tool}__* for all of them.",
            )
        if not is_mcp_name(tool):
            return (
                "CC303",
                f"{text} in {key} is not a valid MCP name",
                "Write mcp__<server>, mcp__<server>__* or mcp__<server>__<tool>.",
            )
        return None
    name_problem = _tool_name_problem(key, tool)
    if name_problem is not None and name_problem[0] != "CC302":
        return name_problem
    content = entry.content
    content_problem = (
        None if content is None else _content_problem(key, text, tool, content, agent_tools)
    )
    return content_problem or name_problem


def _content_problem(
    key: str, text: str, tool: str, content: str, agent_tools: bool
) -> Problem | None:
    canonical = spec.LEGACY_TOOLS.get(tool, tool)
    if not content.strip():
        return "CC303", f"{text} in {key}: empty parentheses", f"Write {tool} without '()'."
    if agent_tools and canonical != "Agent":
        return (
            "CC306",
            f"{text} in an agent's {key} grants all of {canonical}, not only {shown(content)}",
            f"List {canonical} if the agent needs all of it; otherwise remove it. Permission rules "
            "belong in settings.json, not in an agent's tools.",
        )
    if canonical in spec.SHELL_TOOLS and content.strip() == ":*":
        return (
            "CC303",
            f"{text} in {key}: prefix cannot be empty before :*",
            f"Write {tool}(git status:*) or {tool}(npm run *).",
        )
    if canonical in _FILE_RULE_TOOLS and content.endswith(":*"):
        return (
            "CC303",
            f"{text} in {key}: ':*' is only for shell rules; file tools take globs",
            f"Write {tool}(src/**).",
        )
    if canonical in spec.NEVER_MATCHING_RULE_TOOLS:
        better = spec.NEVER_MATCHING_RULE_TOOLS[canonical]
        return (
            "CC305",
            f"{text} in {key} is accepted but never matches",
            f"Use {better}({content}) instead.",
        )
    if canonical == "WebFetch" and not content.startswith("domain:"):
        host = re.sub(r"^[a-z]+://", "", content).split("/")[0]
        return (
            "CC303",
            f"{text} in {key}: WebFetch rules take domain:<host>",
            f"Write WebFetch(domain:{host}).",
        )
    if canonical == "WebSearch" and "*" in content:
        return (
            "CC303",
            f"{text} in {key}: WebSearch rules take no wildcards",
            "Write the search term without '*'.",
        )
    return None


def is_mcp_name(tool: str) -> bool:
    """``mcp__<server>``, ``mcp__<server>__<tool>`` or ``mcp__<server>__*``: the client's
    ``^mcp__[A-Za-z0-9.-][A-Za-z0-9_.-]*(__[A-Za-z0-9_.*-]*)?$``, decided without backtracking. A
    '*' may only come after a ``__`` that ends the server part."""
    if not _MCP_SERVER_START.match(tool):
        return False
    rest = tool[6:]
    if not _MCP_NAME_CHARS.fullmatch(rest):
        return False
    star = rest.find("*")
    return star == -1 or rest.find("__", 0, star) != -1


def glob_matches(pattern: str, text: str) -> bool:
    """Whether ``text`` is ``pattern`` with each '*' standing for any characters. The parts between
    stars are found leftmost-first, which never misses a match and never backtracks."""
    if "*" not in pattern:
        return text == pattern
    first, *middle, last = pattern.split("*")
    if len(text) < len(first) + len(last) or not (text.startswith(first) and text.endswith(last)):
        return False
    at, end = len(first), len(text) - len(last)
    for part in middle:
        found = text.find(part, at, end)
        if found == -1:
            return False
        at = found + len(part)
    return True


def _tool_name_problem(key: str, tool: str) -> Problem | None:
    """None for a built-in tool; CC302 for a legacy name; CC301 for anything else."""
    if tool in spec.BUILTIN_TOOLS:
        return None
    if tool in spec.LEGACY_TOOLS:
        new = spec.LEGACY_TOOLS[tool]
        return "CC302", f"{tool!r} in {key} is the legacy name of {new!r}", f"Write {new}."
    shown_tool = shown(tool)
    if tool in spec.RETIRED_TOOLS:
        advice = spec.RETIRED_TOOLS[tool]
        return (
            "CC301",
            f"{shown_tool} in {key} is no longer a Claude Code tool and is dropped",
            advice[0].upper() + advice[1:] + ".",
        )
    exact = _BY_LOWER.get(tool.lower())
    if exact is not None:
        exact = spec.LEGACY_TOOLS.get(exact, exact)
        hint = (
            f"Write {exact}."
            if exact not in spec.RETIRED_TOOLS
            else f"{exact} is retired: {spec.RETIRED_TOOLS[exact]}."
        )
        return "CC301", f"unknown tool {shown_tool} in {key} (tool names are case-sensitive)", hint
    guess = suggest(tool, spec.BUILTIN_TOOLS, {})
    mcp_hint = "If it is an MCP tool, write mcp__<server>__<tool>."
    hint = f"Write {guess}. {mcp_hint}" if guess else mcp_hint
    return "CC301", f"unknown tool {shown_tool} in {key} is dropped by Claude Code", hint


def shell_rules(entries: list[Entry]) -> list[str | None]:
    """The Bash/PowerShell rules among ``entries``: None for the bare tool (allows everything)."""
    return [e.content for e in entries if e.problem is None and e.tool in spec.SHELL_TOOLS]


def shell_command_allowed(command: str, rules: list[str | None]) -> bool:
    """Whether a Bash rule matches ``command`` as written or with its shell quotes removed (the
    client matches the latter)."""
    command = command.strip()
    plain = unquoted(command)
    return _rule_matches(command, rules) or (plain != command and _rule_matches(plain, rules))


def _rule_matches(command: str, rules: list[str | None]) -> bool:
    for rule in rules:
        if rule is None or rule.strip() == "*":
            return True
        pattern = rule.strip()
        if pattern.endswith(":*"):
            if command.startswith(pattern[:-2]):
                return True
            continue
        if glob_matches(pattern, command):
            return True
        if pattern.endswith(" *") and command == pattern[:-2]:
            return True
    return False
