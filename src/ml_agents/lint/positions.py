"""Offsets to 1-based line/column positions, and values shown safely in messages."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from ml_agents.position import Position


class LineIndex:
    """Maps character offsets in a text to 1-based positions, and back."""

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        at = find("\n")
        while at != -1:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self._starts = starts
        self._length = len(text)

    def position(self, offset: int) -> Position:
        offset = min(max(offset, 0), self._length)
        line = bisect_right(self._starts, offset)
        return Position(line, offset - self._starts[line - 1] + 1)

    def offset(self, position: Position) -> int:
        line = min(max(position.line, 1), len(self._starts))
        return min(self._starts[line - 1] + max(position.col, 1) - 1, self._length)


def shown(value: Any, limit: int = 60) -> str:
    """A short, safe description of a YAML/JSON value for a message (never walks containers)."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 3] + "..."
        return repr(text)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= limit else text[: limit - 3] + "..."
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} value"


def type_name(value: Any) -> str:
    """The JSON-ish type of a value, for 'expected X, got Y' messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"
