"""What every frontmatter checker gets: the parsed file, where it lives, and position helpers."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from ml_agents.frontmatter import Document, Frontmatter, Position
from ml_agents.lint import rules
from ml_agents.lint.positions import LineIndex, shown
from ml_agents.lint.result import Finding

MAX_SUGGESTION_INPUT = 64  # difflib is quadratic; nobody misspells a key in 10,000 characters


class FileContext:
    """One parsed frontmatter file being checked. Findings are appended to ``findings``."""

    def __init__(
        self,
        path: Path,
        display: str,
        kind: str,
        document: Document,
        frontmatter: Frontmatter,
        plugin_root: Path | None,
    ) -> None:
        self.path = path
        self.display = display
        self.kind = kind
        self.document = document
        self.frontmatter = frontmatter
        self.fields: dict[Any, Any] = frontmatter.fields
        self.plugin_root = plugin_root
        self.findings: list[Finding] = []

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.document.text)

    @cached_property
    def body_offset(self) -> int:
        return len(self.document.text) - len(self.document.body)

    def report(self, code: str, where: Position, message: str, hint: str | None = None) -> None:
        self.findings.append(rules.make(code, self.display, where.line, where.col, message, hint))

    def key_position(self, key: Any) -> Position:
        return self.frontmatter.key_positions.get(key) or Position(1, 1)

    def value_position(self, key: Any) -> Position:
        return self.frontmatter.value_positions.get(key) or self.key_position(key)

    def find_in_value(
        self, key: Any, needle: str, start: int | None = None
    ) -> tuple[Position, int]:
        """Where ``needle`` first appears at or after the value of ``key`` (or ``start``).

        Returns the position and the offset just past it, so successive entries of a list are
        found in order. Falls back to the value's own position when the text is not found (an
        escaped or folded scalar).
        """
        value_start = self.lines.offset(self.value_position(key))
        origin = value_start if start is None else start
        frontmatter_end = self.body_offset
        found = self.document.text.find(needle, origin, frontmatter_end) if needle else -1
        if found == -1:
            return self.value_position(key), origin
        return self.lines.position(found), found + len(needle)

    def body_position(self, body_offset: int) -> Position:
        return self.lines.position(self.body_offset + body_offset)


def normalise_key(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "")


def suggest(word: str, candidates: frozenset[str] | set[str], hints: dict[str, str]) -> str | None:
    """The known key or name the author probably meant, or None."""
    if len(word) > MAX_SUGGESTION_INPUT:
        return None
    normal = normalise_key(word)
    if normal in hints:
        return hints[normal]
    by_normal = {normalise_key(c): c for c in sorted(candidates)}
    if normal in by_normal:
        return by_normal[normal]
    import difflib  # only when something is misspelt

    close = difflib.get_close_matches(normal, list(by_normal), n=1, cutoff=0.75)
    return by_normal[close[0]] if close else None


def check_unknown_keys(
    context: FileContext,
    known: frozenset[str],
    hints: dict[str, str],
    skip: frozenset[str] = frozenset(),
) -> None:
    for key in context.fields:
        text = str(key)
        if text in known or text in skip:
            continue
        suggestion = suggest(text, known, hints)
        if suggestion:
            context.report(
                "CC209",
                context.key_position(key),
                f"unknown key {shown(text)} is ignored by Claude Code "
                f"(did you mean {suggestion!r}?)",
                f"Rename the key: {suggestion}: {_value_text(context.fields[key])}",
            )
            continue
        elsewhere = " (or move it under metadata:)" if "metadata" in known else ""
        context.report(
            "CC221",
            context.key_position(key),
            f"key {shown(text)} is not read by Claude Code; the file loads without it",
            f"Remove {text}{elsewhere} unless another tool reads it.",
        )


def _value_text(value: Any) -> str:
    """A value as it could be written back after a renamed key."""
    if isinstance(value, str):
        return shown(value)[1:-1]
    return "..." if isinstance(value, (list, dict)) else shown(value)
