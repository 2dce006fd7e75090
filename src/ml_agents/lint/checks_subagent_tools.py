"""What an agent's ``tools`` resolve to when the client spawns it as a subagent (2.1.332).

Three outcomes the per-entry checks in ``checks_tools`` cannot see: tools the client removes from
every subagent (``NOT_FOR_SUBAGENTS``), an empty list (zero tools, while the agent listing says
"All tools"), and a list of which nothing survives, which the client refuses to spawn at all
("Agent '...' would be spawned with zero tools — refusing. Its tools list resolved to nothing:
unrecognized [...]; not available to subagents [...]").
"""

from __future__ import annotations

from typing import NamedTuple

from ml_agents.lint import spec
from ml_agents.lint.checks_tools import entries_of, parse_entry
from ml_agents.lint.context import FileContext, suggest
from ml_agents.lint.positions import shown

# measured with 2.1.332 (real-client-testing.md): listed, known, and still not given to a subagent
NOT_FOR_SUBAGENTS = frozenset({"TodoWrite", "TaskCreate", "TaskList", "TaskGet", "TaskUpdate"})


class Resolution(NamedTuple):
    kept: list[str]
    unrecognized: list[str]
    removed: list[str]
    """Known tools the client withholds from subagents (``NOT_FOR_SUBAGENTS``)."""
    open_ended: bool
    """A '*' or an MCP entry: what it resolves to depends on the session, so never refused."""


def resolve(entries: list[str]) -> Resolution:
    kept: list[str] = []
    unrecognized: list[str] = []
    removed: list[str] = []
    open_ended = False
    for text in entries:
        entry = parse_entry(text)
        tool = spec.LEGACY_TOOLS.get(entry.tool, entry.tool)
        if entry.tool in ("*", "") or entry.tool.startswith("mcp__"):
            open_ended = True
        elif entry.problem is not None or tool not in spec.BUILTIN_TOOLS:
            unrecognized.append(text)
        elif tool in NOT_FOR_SUBAGENTS:
            removed.append(text)
        else:
            kept.append(text)
    return Resolution(kept, unrecognized, removed, open_ended)


def check_subagent_tools(context: FileContext) -> bool:
    """Report what the client does to this agent's ``tools`` as a whole.

    Returns True when the agent is refused (CC232): that one finding replaces the per-tool ones.
    """
    value = context.fields["tools"]
    entries = entries_of(value)
    if entries is None:
        return False  # not a list of strings: CC307 says so
    if not entries:
        _report_empty(context, value)
        return False
    outcome = resolve(entries)
    if not outcome.kept and not outcome.open_ended:
        _report_refused(context, outcome)
        return True
    cursor: int | None = None
    for text in entries:
        where, cursor = context.find_in_value("tools", text, cursor)
        if text in outcome.removed:
            context.report(
                "CC230",
                where,
                f"{shown(text)} in tools is removed from subagents by Claude Code 2.1.332; "
                "this agent never gets it",
                f"Remove it: write 'tools: {', '.join(outcome.kept) or 'Read'}'.",
            )
    return False


def _report_empty(context: FileContext, value: object) -> None:
    written = "[]" if isinstance(value, list) else "an empty value"
    context.report(
        "CC231",
        context.value_position("tools"),
        f"tools is {written}: Claude Code gives this agent no tools at all, "
        "while its agent listing says 'All tools'",
        "Delete the tools line to inherit all tools, or list them: 'tools: Read, Grep, Glob'.",
    )


def _report_refused(context: FileContext, outcome: Resolution) -> None:
    reasons = []
    if outcome.unrecognized:
        reasons.append(f"unrecognized [{_listed(outcome.unrecognized)}]")
    if outcome.removed:
        reasons.append(f"not available to subagents [{_listed(outcome.removed)}]")
    guesses = (_fixed(text) for text in outcome.unrecognized)
    fixed = [name for name in dict.fromkeys(guesses) if name]
    hint = (
        f"Write 'tools: {', '.join(fixed)}'."
        if fixed
        else "List tools Claude Code knows, e.g. 'tools: Read, Grep, Glob', or delete the line "
        "to inherit all tools."
    )
    context.report(
        "CC232",
        context.value_position("tools"),
        "Claude Code will refuse to run this agent: its tools list resolves to nothing ("
        + "; ".join(reasons)
        + ")",
        hint,
    )


def _listed(names: list[str], most: int = 5) -> str:
    """Names for a message: each clipped, at most ``most`` of them (a tools value can be huge)."""
    shown_names = [shown(name, 40)[1:-1] for name in names[:most]]
    more = f", and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(shown_names) + more


def _fixed(text: str) -> str | None:
    """The tool an unrecognized entry most likely means, or None."""
    tool = parse_entry(text).tool
    guess = suggest(tool, spec.BUILTIN_TOOLS, {})
    return None if guess in NOT_FOR_SUBAGENTS else guess
