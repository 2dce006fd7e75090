"""The one frontmatter model, shared by ``lint`` and ``install``.

It reads a Markdown file the way the Claude Code client does (``claude-code-format.md`` §1.1):
a UTF-8 BOM is stripped, the frontmatter must start at byte 0 and is found as the client's own
pattern ``^---\\s*\\n([\\s\\S]*?)---\\s*\\n?`` finds it, and when the YAML does not parse the client
retries once after quoting ``key: value`` lines whose value holds YAML indicator characters and
after turning tabs into spaces. Plain scalars resolve by the YAML 1.2 core schema, as in the
client. Unlike the client, this model keeps what a linter needs: the line and column of every
top-level key and value, duplicate keys, and why a block could not be read.

Every file this model reads may be hostile and up to 1 MiB, so no pattern here may backtrack: the
client's patterns are followed with string searches and single-quantifier matches, which take time
linear in the text.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from ml_agents.position import Position as Position  # re-exported: the model's positions

if TYPE_CHECKING:
    from ml_agents.yaml_core import Loader

BOM = "\ufeff"
_WHITESPACE = re.compile(r"\s*")
_NEEDS_QUOTES = re.compile(r"[{}\[\]*&#!|>%@`]|: ")


class Problem(NamedTuple):
    """Why the frontmatter could not be read whole. ``code`` is one of the ``PROBLEM_*`` names."""

    code: str
    message: str
    position: Position


PROBLEM_NO_FRONTMATTER = "no-frontmatter"
PROBLEM_UNTERMINATED = "unterminated-frontmatter"
PROBLEM_YAML = "yaml-syntax"
PROBLEM_NOT_MAPPING = "not-a-mapping"


class Frontmatter(NamedTuple):
    fields: dict[Any, Any]
    key_positions: dict[Any, Position]
    value_positions: dict[Any, Position]
    duplicate_keys: list[tuple[str, Position]]
    recovered: bool
    """True when the YAML parsed only after the client's auto-quoting fallback."""


class Document(NamedTuple):
    text: str
    bom: bool
    frontmatter: Frontmatter | None
    problem: Problem | None
    body: str
    body_line: int
    """1-based line where the body starts."""


# A double holds no integer of more than 1024 bits: past that the client's JavaScript number is
# infinite. Python refuses decimal integers of over 4,300 digits, so those never reach int().
_MAX_NUMBER_BITS = 1024
_MAX_DECIMAL_DIGITS = 310


def core_int(text: str, base: int = 10) -> int | float:
    """An integer as the client's JavaScript reads it: too large to hold is infinite."""
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").lstrip("0") or "0"
    if base == 10 and len(digits) > _MAX_DECIMAL_DIGITS:
        return sign * math.inf
    value = sign * int(digits, base)
    return value if value.bit_length() <= _MAX_NUMBER_BITS else sign * math.inf


def decode(data: bytes) -> tuple[str, bool]:
    """Decode file bytes as UTF-8, strip one BOM. Raises ``UnicodeDecodeError`` on invalid UTF-8."""
    text = data.decode("utf-8")
    if text.startswith(BOM):
        return text[1:], True
    return text, False


def parse(text: str, *, bom: bool = False) -> Document:
    """Split ``text`` into frontmatter and body and read the frontmatter's YAML."""
    if text.startswith(BOM):
        text, bom = text[1:], True
    block = find_block(text)
    if block is None:
        if yaml_start(text) is not None:
            problem = Problem(
                PROBLEM_UNTERMINATED,
                "the frontmatter opened with '---' is never closed",
                Position(1, 1),
            )
        else:
            problem = Problem(
                PROBLEM_NO_FRONTMATTER,
                "the file does not start with a '---' frontmatter block",
                Position(1, 1),
            )
        return Document(text, bom, None, problem, text, 1)

    yaml_text = text[block.start : block.end]
    yaml_first_line = text.count("\n", 0, block.start) + 1
    body = text[block.body :]
    body_line = text.count("\n", 0, block.body) + 1
    frontmatter, yaml_problem = load_yaml(yaml_text, yaml_first_line)
    return Document(text, bom, frontmatter, yaml_problem, body, body_line)


def skip_whitespace(text: str, at: int) -> int:
    """The end of the run of whitespace (``\\s``) that starts at ``at``."""
    match = _WHITESPACE.match(text, at)
    return match.end() if match else at


class Block(NamedTuple):
    """Where a frontmatter block is: its YAML is ``text[start:end]``, and the body follows."""

    start: int
    end: int
    body: int


def yaml_start(text: str) -> int | None:
    """Where the YAML starts after an opening ``---`` line (``^---\\s*\\n``), or None.

    The greedy ``\\s*`` ends at the last newline of the whitespace after ``---``.
    """
    if not text.startswith("---"):
        return None
    newline = text.rfind("\n", 3, skip_whitespace(text, 3))
    return None if newline == -1 else newline + 1


def find_block(text: str) -> Block | None:
    """The block the client's ``^---\\s*\\n([\\s\\S]*?)---\\s*\\n?`` matches, or None.

    The lazy group ends at the first ``---`` after the opening line, and the closing ``\\s*``
    takes all whitespace after it. Backtracking into the opening whitespace cannot find another
    ``---``, so a block that is not closed there is not closed at all.
    """
    start = yaml_start(text)
    if start is None:
        return None
    end = text.find("---", start)
    if end == -1:
        return None
    return Block(start, end, skip_whitespace(text, end + 3))


def load_yaml(yaml_text: str, first_line: int = 1) -> tuple[Frontmatter | None, Problem | None]:
    """Read a frontmatter block; positions are shifted so that its line 1 is ``first_line``."""
    from ml_agents.yaml_core import ERRORS

    try:
        return _load_mapping(yaml_text, first_line, recovered=False)
    except ERRORS as error:
        first_error = _yaml_problem(error, first_line, yaml_text)
    repaired = auto_quote(yaml_text)
    if repaired != yaml_text:
        try:
            return _load_mapping(repaired, first_line, recovered=True)
        except ERRORS:
            pass
    return None, first_error


def auto_quote(yaml_text: str) -> str:
    """The client's second attempt, as 2.1.197 and 2.1.332 write it (``claude-code-format.md``
    §1.1): each line that is ``key: value`` at column 0, with a key of letters, ``_`` and ``-``
    only, gets its value double-quoted when the value holds a YAML indicator, unless it already
    starts and ends with the same quote or is a flow list ``[...]`` that parses; then leading tabs
    become two spaces each. Indented lines, keys with digits and lines ending in a CR are never
    quoted, so YAML that needs those repairs stays broken in the client."""
    lines = []
    for line in yaml_text.split("\n"):
        quotable = _CLIENT_KEY_VALUE.match(line)
        if quotable:
            key, value = quotable.groups()
            if not _client_keeps(value) and _NEEDS_QUOTES.search(value):
                escaped = value.replace("\\", "\\\\").replace('"', '\\"')
                line = f'{key}: "{escaped}"'
        lines.append(line)
    return _LEADING_TABS.sub(lambda tabs: "  " * len(tabs.group()), "\n".join(lines))


# the client's /^([a-zA-Z_-]+):\s+(\S.*)$/ on one line: JavaScript's '.' stops at CR, LS and PS
_CLIENT_KEY_VALUE = re.compile("([A-Za-z_-]+):\\s+(\\S[^\\r\u2028\u2029]*)\\Z")
_LEADING_TABS = re.compile(r"^\t+", re.MULTILINE)


def _client_keeps(value: str) -> bool:
    """Whether the client leaves a value as written: quoted at both ends, or a flow list."""
    if value[0] in "\"'" and value.endswith(value[0]):
        return True
    if not (value.startswith("[") and value.endswith("]")):
        return False
    from ml_agents import yaml_core

    try:
        return isinstance(yaml_core.load(value), list)
    except yaml_core.ERRORS:
        return False


def _load_mapping(
    yaml_text: str, first_line: int, *, recovered: bool
) -> tuple[Frontmatter | None, Problem | None]:
    from ml_agents import yaml_core

    loader: Loader = yaml_core.Loader(yaml_text)
    recount = yaml_text if _ODD_LINE_BREAK.search(yaml_text) else ""
    try:
        node = loader.get_single_node()
        if node is None:  # an empty block: the client reads it as no fields
            return Frontmatter({}, {}, {}, [], recovered), None
        if not isinstance(node, yaml_core.MappingNode):
            where = _position(node.start_mark, first_line, recount)
            kind = {yaml_core.ScalarNode: "a scalar", yaml_core.SequenceNode: "a list"}.get(
                type(node), "not a mapping"
            )
            return None, Problem(
                PROBLEM_NOT_MAPPING, f"the frontmatter is {kind}, not a mapping of keys", where
            )
        key_positions: dict[Any, Position] = {}
        value_positions: dict[Any, Position] = {}
        duplicates: list[tuple[str, Position]] = []
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml_core.ScalarNode) else None
            if key is None:
                continue
            where = _position(key_node.start_mark, first_line, recount)
            if key in key_positions:
                duplicates.append((str(key), where))
            key_positions[key] = where
            value_positions[key] = _position(value_node.start_mark, first_line, recount)
        fields = loader.construct_document(node)
    finally:
        loader.dispose()
    # construct_document may map keys to non-strings (``1: x``, ``true: y``); keep positions by text
    typed_positions = {k: key_positions.get(str(k), key_positions.get(k)) for k in fields}
    typed_values = {k: value_positions.get(str(k), value_positions.get(k)) for k in fields}
    return (
        Frontmatter(
            fields,
            {k: v for k, v in typed_positions.items() if v is not None},
            {k: v for k, v in typed_values.items() if v is not None},
            duplicates,
            recovered,
        ),
        None,
    )


# YAML also breaks lines at a lone CR, NEL, LS and PS; editors, grep and the rest of a Markdown
# file count "\n" only, so positions in a block holding one are recounted from the mark's index
_ODD_LINE_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def _position(mark: Any, first_line: int, recount: str = "") -> Position:
    """``recount``: the block's text when it holds an odd line break, else empty (YAML is right)."""
    if mark is None:
        return Position(first_line, 1)
    if recount:
        starts = _line_starts(recount)
        index = min(max(int(mark.index), 0), len(recount))
        line = bisect_right(starts, index)
        return Position(first_line + line - 1, index - starts[line - 1] + 1)
    return Position(first_line + int(mark.line), int(mark.column) + 1)


@lru_cache(maxsize=4)
def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


_MAX_MESSAGE = 200


def _yaml_problem(error: BaseException, first_line: int, text: str = "") -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if isinstance(error, RecursionError):
        message = "the YAML nests too deeply to read"
    else:
        message = " ".join(str(getattr(error, "problem", None) or error).split())
        if len(message) > _MAX_MESSAGE:  # it may quote a tag or an alias of any length
            message = message[: _MAX_MESSAGE - 3] + "..."
    recount = text if _ODD_LINE_BREAK.search(text) else ""
    return Problem(
        PROBLEM_YAML, f"YAML syntax error: {message}", _position(mark, first_line, recount)
    )
