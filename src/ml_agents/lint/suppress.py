"""Inline suppressions: comments in a Markdown file that silence one rule on a line or in the file.

In frontmatter, a YAML comment; in the body, an HTML comment (both invisible to the client):

    tools: Task  # ml-agents: ignore[CC302] the 2.1.197 client still needs the old name
    # ml-agents: ignore-file[CC602] agents come from another plugin
    <!-- ml-agents: ignore[CC602] `helper` ships in the team plugin -->

A comment after text covers its own line; a comment alone on its line covers the next line that
is not blank and not another comment. ``ignore-file`` covers the whole file. Each names one or
more rule codes or names, comma-separated, then a reason. JSON manifests cannot hold comments:
use per-file-ignores in the configuration for them.

Applied after the engine and the configuration, so suppressions never change what is parsed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Container, Iterable
from pathlib import Path
from typing import NamedTuple

from ml_agents import frontmatter
from ml_agents.lint import rules
from ml_agents.lint.result import Finding
from ml_agents.lint.rules import lookup

MARKER = "ml-agents:"
_MARKER_BYTES = MARKER.encode()
READ_LIMIT = 2 * 1024 * 1024
_READ_PROBLEMS = frozenset({"CC001", "CC002", "CC003", "CC004"})
META_CODES = frozenset({"CC008", "CC010", "CC011"})
"""Findings about suppression comments themselves; no comment can silence these."""

_YAML_COMMENT = re.compile(r"(?:^|(?<=\s))#\s*ml-agents:(?P<rest>.*)$")
_HTML_COMMENT = re.compile(r"<!--\s*ml-agents:(?P<rest>.*?)(?P<end>-->|$)")
_DIRECTIVE = re.compile(r"\s*(?P<verb>ignore-file|ignore)\s*\[(?P<codes>[^\]]*)\]\s*(?P<reason>.*)")
_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


class Suppression(NamedTuple):
    line: int
    col: int
    codes: frozenset[str]
    target: int | None
    """The line covered; None for the whole file."""
    written: str
    """The codes as written, for messages."""


def apply(
    findings: list[Finding],
    files: Iterable[str],
    cwd: Path,
    enabled: Iterable[str],
    marked: Container[str] | None = None,
) -> list[Finding]:
    """``findings`` without the suppressed ones, plus findings about the comments themselves.

    ``enabled`` is the set of rules the run checks: a suppression naming only rules that are
    switched off is not reported as unused. ``marked``, when a caller knows it (a result cache
    that saw each file's bytes, see ``has_marker``), holds the files that contain the marker; the
    others are not read again.
    """
    active = set(enabled)
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    unreadable = {f.path for f in findings if f.code in _READ_PROBLEMS}
    kept: list[Finding] = []
    files = list(files)
    linted = set(files)
    for display in dict.fromkeys([*files, *by_path]):
        own = by_path.get(display, [])
        told = marked is not None and display in linted and display not in marked
        skip = display in unreadable or told
        suppressions, problems = ([], []) if skip else scan_file(display, cwd)
        if not suppressions:
            kept.extend(own)
            kept.extend(problems)
            continue
        used: dict[int, set[str]] = {}
        # the narrowest suppression takes the finding: a line's own before the file's
        order = sorted(range(len(suppressions)), key=lambda i: suppressions[i].target is None)
        for finding in own:
            hit = next((i for i in order if _covers(suppressions[i], finding)), None)
            if hit is None:
                kept.append(finding)
            else:
                used.setdefault(hit, set()).add(finding.code)
        kept.extend(problems)
        for index, suppression in enumerate(suppressions):
            idle = set(suppression.codes & active) - used.get(index, set())
            if idle:
                kept.append(_unused(display, suppression, idle, index in used))
    kept.sort(key=lambda f: (f.path, f.line, f.col, f.code))
    return kept


def covered(suppressions: Iterable[Suppression], finding: Finding) -> bool:
    """Whether one of a file's suppressions silences ``finding`` (``--fix`` leaves it alone)."""
    return any(_covers(s, finding) for s in suppressions)


def _covers(suppression: Suppression, finding: Finding) -> bool:
    if finding.code in META_CODES or finding.code not in suppression.codes:
        return False
    return suppression.target is None or suppression.target == finding.line


def _unused(display: str, suppression: Suppression, idle: set[str], partly: bool) -> Finding:
    if suppression.target is None:
        where = "no such finding in this file"
    elif suppression.target == 0:
        where = "no line follows the comment"
    else:
        where = f"no such finding on line {suppression.target}"
    named = ", ".join(sorted(idle)) if partly else suppression.written
    return rules.make(
        "CC008",
        display,
        suppression.line,
        suppression.col,
        f"suppression of {named} is unused: {where}",
        "Remove the unused codes from the brackets." if partly else None,
    )


def _read(path: str) -> bytes | None:
    """A regular file's bytes, None for anything else (its own finding says why).

    Plain system calls rather than bounded_read.read_regular: this pass re-reads every linted
    file, and skipping the buffered file object and Path saves about 40% of its time. Still
    non-blocking (a FIFO returns at once) and bounded.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > READ_LIMIT:
            return None
        return os.read(descriptor, READ_LIMIT)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def has_marker(data: bytes) -> bool:
    """Whether a file's bytes may hold a suppression comment (nothing else needs scanning)."""
    return _MARKER_BYTES in data


def scan_file(display: str, cwd: Path) -> tuple[list[Suppression], list[Finding]]:
    """The suppressions in a linted Markdown file, and findings about malformed ones."""
    if not display.lower().endswith(".md"):
        return [], []
    data = _read(os.path.join(cwd, display))  # noqa: PTH118 (str paths: see _read)
    if data is None or not has_marker(data):
        return [], []
    try:
        text, _ = frontmatter.decode(data)
    except UnicodeDecodeError:
        return [], []
    return scan(text, display)


class _Comment(NamedTuple):
    line: int
    col: int
    rest: str
    alone: bool
    in_yaml: bool


def scan(text: str, display: str) -> tuple[list[Suppression], list[Finding]]:
    """The suppressions in a file's text, and findings about malformed ones."""
    comments, content = _comments(text)
    suppressions: list[Suppression] = []
    problems: list[Finding] = []
    for comment in comments:
        directive = _DIRECTIVE.match(comment.rest)
        if directive is None:
            problem = "expected ignore[CODE] or ignore-file[CODE] and a reason"
            problems.append(_malformed(display, comment, problem, _repaired(comment.rest)))
            continue
        written = [part.strip() for part in directive["codes"].split(",") if part.strip()]
        unknown = [item for item in written if lookup(item) is None]
        if not written or unknown:
            problem = f"no rule {unknown[0]!r}" if unknown else "no rule code in the brackets"
            problems.append(_malformed(display, comment, problem))
            continue
        if not directive["reason"].strip():
            message = f"suppression of {', '.join(written)} gives no reason"
            fixed = f"ml-agents: {directive['verb']}[{', '.join(written)}] <why it is fine here>"
            hint = f"Say why after the brackets: {fixed}"
            problems.append(rules.make("CC010", display, comment.line, comment.col, message, hint))
        if directive["verb"] == "ignore-file":
            target: int | None = None
        elif not comment.alone:
            target = comment.line
        else:
            later = (n for n in content[comment.in_yaml] if n > comment.line)
            target = next(later, 0)  # 0: nothing follows, so the comment covers nothing
        codes = frozenset(rule.code for item in written if (rule := lookup(item)))
        suppressions.append(
            Suppression(comment.line, comment.col, codes, target, ", ".join(written))
        )
    return suppressions, problems


def _comments(text: str) -> tuple[list[_Comment], dict[bool, list[int]]]:
    """Suppression comments, and the lines with content in the frontmatter (True) and body."""
    block = frontmatter.find_block(text)
    comments: list[_Comment] = []
    content: dict[bool, list[int]] = {True: [], False: []}
    offset = 0
    in_fence = False
    scalar_indent: int | None = None  # inside a YAML block scalar ('|' or '>'), '#' is text
    for number, line in enumerate(text.split("\n"), 1):
        start, offset = offset, offset + len(line) + 1
        in_yaml = block is not None and block.start <= start < block.end
        if not in_yaml and block is not None and start < block.body:
            continue  # the '---' lines
        if not in_yaml and _FENCE.match(line):
            in_fence = not in_fence
        indent = len(line) - len(line.lstrip())
        if scalar_indent is not None and line.strip() and indent <= scalar_indent:
            scalar_indent = None
        in_scalar = in_yaml and scalar_indent is not None
        found = None if in_fence or in_scalar else _comment(line, in_yaml)
        if in_yaml and not in_scalar and _BLOCK_SCALAR.search(line):
            scalar_indent = indent
        if found is not None:
            comments.append(_Comment(number, found[0], found[1], found[2], in_yaml))
        if line.strip() and not _is_comment_only(line, in_yaml):
            content[in_yaml].append(number)
    return comments, content


def _malformed(display: str, comment: _Comment, problem: str, hint: str | None = None) -> Finding:
    message = f"this ml-agents comment suppresses nothing: {problem}"
    return rules.make("CC011", display, comment.line, comment.col, message, hint)


_LOOSE = re.compile(
    r"\s*(?P<verb>ignore-file|ignore)\s*[:(]?\s*(?P<codes>CC\d{3}(?:\s*,\s*CC\d{3})*)\)?\s*"
    r"(?P<reason>.*?)\s*(?:-->)?\s*$",
    re.IGNORECASE,
)


def _repaired(rest: str) -> str | None:
    """The hint for a directive written without brackets: the same directive, with them."""
    loose = _LOOSE.match(rest)
    if loose is None:
        return None
    codes = ", ".join(c.strip().upper() for c in loose["codes"].split(","))
    reason = loose["reason"] or "<why it is fine here>"
    return f"Write it as: ml-agents: {loose['verb'].lower()}[{codes}] {reason}"


def _comment(line: str, in_yaml: bool) -> tuple[int, str, bool] | None:
    """(column, text after the marker, alone on its line) of a suppression comment, if any."""
    if in_yaml:
        match = _YAML_COMMENT.search(line)
        if match is None or _inside_quotes(line[: match.start()]):
            return None
    else:
        match = _HTML_COMMENT.search(line)
        if match is None or line.count("`", 0, match.start()) % 2:  # in a `code span`
            return None
    alone = not line[: match.start()].strip()
    if not in_yaml:
        alone = alone and not line[match.end() :].strip()
    return match.start() + 1, match["rest"], alone


def _is_comment_only(line: str, in_yaml: bool) -> bool:
    stripped = line.strip()
    if in_yaml:
        return stripped.startswith("#")
    return stripped.startswith("<!--") and stripped.endswith("-->")


def _inside_quotes(before: str) -> bool:
    """Whether a '#' after ``before`` sits inside a quoted YAML value, so is not a comment."""
    value = re.sub(r"^\s*(?:-\s+)*(?:[^\s:#'\"][^:#]*:\s+)?", "", before, count=1)
    if not value or value[0] not in "'\"":
        return False
    quote = value[0]
    closing = value.find(quote, 1)
    while quote == "'" and closing != -1 and value[closing + 1 : closing + 2] == "'":
        closing = value.find(quote, closing + 2)
    while quote == '"' and closing != -1 and value[closing - 1] == "\\":
        closing = value.find(quote, closing + 1)
    return closing == -1
