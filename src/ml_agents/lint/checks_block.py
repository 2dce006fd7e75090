"""Where the client's frontmatter block ends, when that is not where the author ended it."""

from __future__ import annotations

import re

from ml_agents import frontmatter
from ml_agents.lint import rules
from ml_agents.lint.positions import shown
from ml_agents.lint.result import Finding

_KEY_AT_LINE_START = re.compile(r"\s*([^\s:#][^:]{0,200}):")


def dashes_in_value(display: str, document: frontmatter.Document) -> list[Finding]:
    """CC030: the client's block closes at a '---' that does not start its line (in a value)."""
    text = document.text
    block = frontmatter.find_block(text)
    if block is None or block.end == 0 or text[block.end - 1] == "\n":
        return []
    line_start = text.rfind("\n", 0, block.end) + 1
    line_end = text.find("\n", block.end)
    line = text[line_start : line_end if line_end != -1 else len(text)].rstrip("\r")
    line_number = text.count("\n", 0, block.end) + 1
    column = block.end - line_start + 1
    key = _KEY_AT_LINE_START.match(line)
    named = f"the value of {key.group(1)}" if key else "this line"
    fixed = line.replace("---", "\u2014")
    return [
        rules.make(
            "CC030",
            display,
            line_number,
            column,
            f"'---' in {named} ends the frontmatter for Claude Code: the rest of the line and "
            "every key after it become part of the body",
            f"Write {shown(fixed, 120)} (no '---' inside a value).",
        )
    ]


# a `key: value` line the client's auto-quote retry leaves alone: indented, or a key with a digit
_LOOSE_KEY_VALUE = re.compile(r"([ \t]*)([A-Za-z0-9_.-]{1,200}):[ \t]+(\S[^\r\n]*)")


def unrepaired_hint(document: frontmatter.Document) -> str | None:
    """For YAML that stays broken in the client: the first line that needs quotes its retry does
    not add (claude-code-format.md §1.1), written with them, or None."""
    block = frontmatter.find_block(document.text)
    if block is None:
        return None
    first_line = document.text.count("\n", 0, block.start) + 1
    for index, line in enumerate(document.text[block.start : block.end].split("\n")):
        loose = _LOOSE_KEY_VALUE.fullmatch(line.rstrip())
        if loose is None or frontmatter.auto_quote(line) != line:
            continue
        indent, key, value = loose.groups()
        if value[0] in "\"'[{|>" or not _NEEDS_QUOTES.search(value):
            continue
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        fixed = f'{indent}{key}: "{escaped}"'
        return (
            f"Line {first_line + index}: Claude Code quotes values only on unindented keys of "
            f"letters, '_' and '-', so quote {key} yourself: {shown(fixed.strip(), 120)}."
        )
    return None


_NEEDS_QUOTES = re.compile(r"[{}\[\]*&#!|>%@`]|: ")
