"""JSON with positions: the values ``json`` reads, plus where each key and value starts.

The standard library parser keeps no positions, and a manifest finding must point at a line. This
reader runs only on text ``json.loads`` has already accepted, so it needs no error handling of its
own. Where ``json.loads`` rejects the text, ``syntax_error`` says why and where in words of its own:
the standard library's messages and positions change between Python versions (3.13 reports a
trailing comma at the comma, 3.12 at the bracket after it), and lint output must not.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from ml_agents.frontmatter import Position, core_int
from ml_agents.lint.positions import LineIndex

JsonPath = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_STRING_CHARS = re.compile(r'[^"\\\x00-\x1f]*')
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")


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
        value = json.loads(text, parse_int=core_int)
    except json.JSONDecodeError as error:
        found = syntax_error(text)
        if found is None:  # not expected: the two readers agree on what JSON is
            return None, JsonProblem(
                f"invalid JSON: {error.msg}", Position(error.lineno, error.colno)
            )
        message, at = found
        return None, JsonProblem(f"invalid JSON: {message}", LineIndex(text).position(at))
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


class _Invalid(Exception):
    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


def syntax_error(text: str) -> tuple[str, int] | None:
    """The first offset where ``text`` stops being JSON (as ``json.loads`` reads it), and why.

    One pass with an explicit stack, so nesting depth costs no recursion.
    """
    try:
        _scan(text)
    except _Invalid as invalid:
        return invalid.message, invalid.at
    return None


def _scan(text: str) -> None:
    def skip(at: int) -> int:
        return _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]

    end = len(text)
    open_brackets: list[str] = []
    at = skip(0)
    expect_key = False
    while True:
        # a value (or, just inside '{' or after a ',' there, a key and its ':')
        if expect_key:
            if not text.startswith('"', at):
                raise _Invalid("expected a key in double quotes", at)
            at = skip(_string_end(text, at))
            if not text.startswith(":", at):
                raise _Invalid("expected ':'", at)
            at = skip(at + 1)
        char = text[at : at + 1]
        if char in ("{", "["):
            closer = "}" if char == "{" else "]"
            at = skip(at + 1)
            if text.startswith(closer, at):
                at += 1
            else:
                open_brackets.append(closer)
                expect_key = closer == "}"
                continue
        elif char == '"':
            at = _string_end(text, at)
        else:
            number = _NUMBER.match(text, at)
            if number is not None:
                at = number.end()
            else:
                literal = next((w for w in _LITERALS if text.startswith(w, at)), "")
                if not literal:
                    raise _Invalid("expected a value", at)
                at += len(literal)
        # after a value: close what it ends, then a ',' or the end of the text
        while True:
            at = skip(at)
            if not open_brackets:
                if at < end:
                    raise _Invalid("more text after the JSON value", at)
                return
            closer = open_brackets[-1]
            if text.startswith(closer, at):
                open_brackets.pop()
                at += 1
                continue
            if not text.startswith(",", at):
                raise _Invalid(f"expected ',' or '{closer}'", at)
            at = skip(at + 1)
            if text.startswith(closer, at):
                raise _Invalid(f"a trailing comma before '{closer}'", at)
            expect_key = closer == "}"
            break


def _string_end(text: str, start: int) -> int:
    """The offset after the string that opens at ``start``."""
    at = start + 1
    while True:
        at = _STRING_CHARS.match(text, at).end()  # type: ignore[union-attr]
        char = text[at : at + 1]
        if char == '"':
            return at + 1
        if not char:
            raise _Invalid("unterminated string", start)
        if char != "\\":
            raise _Invalid("invalid control character in a string", at)
        escape = text[at + 1 : at + 2]
        if escape and escape in '"\\/bfnrt':
            at += 2
        elif escape == "u" and _HEX4.fullmatch(text, at + 2, at + 6):
            at += 6
        else:
            raise _Invalid("invalid escape in a string", at)
