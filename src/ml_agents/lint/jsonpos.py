"""JSON with positions: the values ``json`` reads, plus where each key and value starts.

The standard library parser keeps no positions, and a manifest finding must point at a line. This
reader runs only on text ``json.loads`` has already accepted, so it needs no error handling of its
own.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from ml_agents.frontmatter import Position
from ml_agents.lint.positions import LineIndex

JsonPath = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


class JsonProblem(NamedTuple):
    message: str
    position: Position


class JsonDocument(NamedTuple):
    value: Any
    value_positions: dict[JsonPath, Position]
    key_positions: dict[JsonPath, Position]
    duplicate_keys: list[tuple[JsonPath, Position]]

    def at(self, path: JsonPath) -> Position:
        """Where the value at ``path`` starts; the nearest enclosing value if it has no position."""
        while path:
            if path in self.value_positions:
                return self.value_positions[path]
            path = path[:-1]
        return self.value_positions.get((), Position(1, 1))

    def key_at(self, path: JsonPath) -> Position:
        return self.key_positions.get(path) or self.at(path)


def load(text: str) -> tuple[JsonDocument | None, JsonProblem | None]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return None, JsonProblem(f"invalid JSON: {error.msg}", Position(error.lineno, error.colno))
    except RecursionError:
        return None, JsonProblem("invalid JSON: it nests too deeply to read", Position(1, 1))
    reader = _Reader(text)
    try:
        reader.value(reader.skip(0), ())
    except RecursionError:  # positions are a convenience: keep the value, point at the start
        return JsonDocument(value, {(): Position(1, 1)}, {}, []), None
    index = LineIndex(text)
    return (
        JsonDocument(
            value,
            {path: index.position(at) for path, at in reader.values.items()},
            {path: index.position(at) for path, at in reader.keys.items()},
            [(path, index.position(at)) for path, at in reader.duplicates],
        ),
        None,
    )


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[JsonPath, int] = {}
        self.keys: dict[JsonPath, int] = {}
        self.duplicates: list[tuple[JsonPath, int]] = []

    def skip(self, at: int) -> int:
        match = _WHITESPACE.match(self.text, at)
        return match.end() if match else at

    def value(self, at: int, path: JsonPath) -> int:
        self.values[path] = at
        char = self.text[at]
        if char == "{":
            return self.object(at + 1, path)
        if char == "[":
            return self.array(at + 1, path)
        if char == '"':
            return int(json.decoder.scanstring(self.text, at + 1)[1])  # type: ignore[attr-defined]
        for literal in ("true", "false", "null"):
            if self.text.startswith(literal, at):
                return at + len(literal)
        match = _NUMBER.match(self.text, at)
        if match is None:  # NaN, Infinity: json.loads accepts them
            word = re.compile(r"-?[A-Za-z]+").match(self.text, at)
            return word.end() if word else at + 1
        return match.end()

    def object(self, at: int, path: JsonPath) -> int:
        at = self.skip(at)
        if self.text[at] == "}":
            return at + 1
        seen: set[str] = set()
        while True:
            key_at = at
            key, at = json.decoder.scanstring(self.text, at + 1)  # type: ignore[attr-defined]
            child = (*path, key)
            if key in seen:
                self.duplicates.append((child, key_at))
            seen.add(key)
            self.keys[child] = key_at
            at = self.skip(self.skip(at) + 1)  # past ':'
            at = self.skip(self.value(at, child))
            if self.text[at] == "}":
                return at + 1
            at = self.skip(at + 1)  # past ','

    def array(self, at: int, path: JsonPath) -> int:
        at = self.skip(at)
        if self.text[at] == "]":
            return at + 1
        index = 0
        while True:
            at = self.skip(self.value(at, (*path, index)))
            index += 1
            if self.text[at] == "]":
                return at + 1
            at = self.skip(at + 1)
