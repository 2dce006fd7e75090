"""JavaScript syntax trees for workflow scripts, from tree-sitter.

tree-sitter is imported on first use only, so a lint run without workflow scripts never loads it.
Its grammar accepts a little more than the client's parser (JSX, a ``return`` anywhere), and
positions come in bytes: both are settled here, so the checks see plain JavaScript and columns
in characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ml_agents.frontmatter import Position

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

JSX_TYPES = frozenset({"jsx_element", "jsx_self_closing_element", "jsx_fragment"})


class MissingParser(Exception):
    """tree-sitter or its JavaScript grammar is not installed."""


@lru_cache(maxsize=1)
def _parser() -> Parser:
    try:
        import tree_sitter_javascript
        from tree_sitter import Language, Parser
    except ImportError as error:
        raise MissingParser(str(error)) from error
    return Parser(Language(tree_sitter_javascript.language()))


def parse(source: bytes) -> Node:
    """The syntax tree of ``source``; parse errors are ERROR or MISSING nodes inside it."""
    return _parser().parse(source).root_node


def walk(node: Node) -> Iterator[Node]:
    """``node`` and everything below it, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def syntax_error(root: Node) -> Node | None:
    """The first place the client's parser would reject: a parse error or JSX."""
    if not root.has_error and not _has_jsx(root):
        return None
    for node in walk(root):
        if node.is_error or node.is_missing or node.type in JSX_TYPES:
            return node
    return None


def _has_jsx(root: Node) -> bool:
    return any(node.type in JSX_TYPES for node in walk(root))


def text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def position(node: Node, source: bytes) -> Position:
    """1-based line and column (in characters) where ``node`` starts."""
    row, byte_col = node.start_point
    line_start = node.start_byte - byte_col
    col = len(source[line_start : node.start_byte].decode("utf-8", "replace")) + 1
    return Position(row + 1, col)


def unwrapped(node: Node | None) -> Node | None:
    """Parentheses leave no trace in the client's syntax tree."""
    while node is not None and node.type == "parenthesized_expression":
        node = node.named_children[0] if node.named_children else None
    return node


def callee(call: Node) -> str:
    function = call.child_by_field_name("function")
    return text(function) if function is not None else ""


def call_arguments(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return []
    return [c for c in arguments.named_children if c.type != "comment"]


def key_text(pair: Node) -> str:
    key = pair.child_by_field_name("key")
    if key is None:
        return ""
    if key.type == "string":
        return string_value(key) or ""
    return text(key)


def string_value(node: Node) -> str | None:
    """The value of a string literal, or of a template literal without ``${...}``."""
    if node.type not in ("string", "template_string"):
        return None
    parts = []
    for child in node.named_children:
        if child.type == "template_substitution":
            return None
        if child.type == "escape_sequence":
            parts.append(_unescape(text(child)))
        elif child.type == "string_fragment":
            parts.append(text(child))
    return "".join(parts)


_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(escape: str) -> str:
    body = escape[1:]
    if body in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[body]
    if body[:1] in ("x", "u"):
        digits = body[1:].strip("{}")
        try:
            return chr(int(digits, 16))
        except (ValueError, OverflowError):
            return ""
    if body.startswith(("\r", "\n", "\u2028", "\u2029")):  # a line continuation
        return ""
    return body
