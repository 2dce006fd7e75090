"""Lint configuration: ``[tool.ml-agents]`` in pyproject.toml, or a ``.ml-agents.toml``.

The nearest file wins: from the start folder upwards to the repository root (or the filesystem
root outside a git work tree), the first folder holding a ``.ml-agents.toml`` or a pyproject.toml
with a ``[tool.ml-agents]`` table. When one folder has both, ``.ml-agents.toml`` wins, as a
dedicated file does for other tools. The configuration filters what the engine found; it never
changes how files are parsed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ml_agents.lint.digest import hex_hash
from ml_agents.lint.result import ERROR, INFO, SEVERITY_ORDER, WARNING, Finding
from ml_agents.lint.rules import RULES, lookup

if TYPE_CHECKING:
    from types import ModuleType

DEDICATED_FILE = ".ml-agents.toml"
PYPROJECT = "pyproject.toml"
TABLE = "tool.ml-agents"
KEYS = ("select", "ignore", "per-file-ignores", "extend-exclude", "severity", "show-info")


class ConfigError(Exception):
    """A configuration that cannot be used; the message is one line naming file:line and key."""


class Config(NamedTuple):
    source: Path | None
    """The file the configuration came from; None for the defaults."""
    base: Path
    """The folder that ``per-file-ignores`` and ``extend-exclude`` patterns are relative to."""
    enabled: frozenset[str]
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...]
    exclude: tuple[str, ...]
    severity: tuple[tuple[str, str], ...]
    show_info: bool = False

    def fingerprint(self) -> str:
        """A stable hash of everything here that changes which findings a run reports."""
        effective = {
            # the defaults are the same wherever lint runs: a cache keyed on them must not depend
            # on the folder it was started from
            "base": None if self.source is None else str(self.base),
            "enabled": sorted(self.enabled),
            "per-file-ignores": [[p, sorted(codes)] for p, codes in self.per_file_ignores],
            "exclude": list(self.exclude),
            "severity": [list(pair) for pair in self.severity],
            "show-info": self.show_info,
        }
        canonical = json.dumps(effective, sort_keys=True, separators=(",", ":"))
        return hex_hash(canonical.encode("utf-8"))

    def apply(self, findings: Iterable[Finding], cwd: Path) -> list[Finding]:
        """The findings this configuration keeps, with its severities."""
        overrides = dict(self.severity)
        kept = []
        for finding in findings:
            if finding.code not in self.enabled or self.ignores(finding, cwd):
                continue
            severity = overrides.get(finding.code)
            kept.append(finding._replace(severity=severity) if severity else finding)
        return kept

    def ignores(self, finding: Finding, cwd: Path) -> bool:
        if not self.exclude and not self.per_file_ignores:
            return False
        relative = self.relative(finding.path, cwd)
        if relative is None:
            return False
        if self.excludes_relative(relative):
            return True
        return any(
            finding.code in codes and matches(pattern, relative)
            for pattern, codes in self.per_file_ignores
        )

    def excludes(self, display: str, cwd: Path) -> bool:
        if not self.exclude:
            return False
        relative = self.relative(display, cwd)
        return relative is not None and self.excludes_relative(relative)

    def excludes_relative(self, relative: str) -> bool:
        return any(matches(pattern, relative) for pattern in self.exclude)

    def relative(self, display: str, cwd: Path) -> str | None:
        """A shown path relative to ``base`` with '/' separators; None when outside it."""
        absolute = os.path.normpath(cwd / display)
        relative = os.path.relpath(absolute, self.base)
        if relative == ".." or relative.startswith(".." + os.sep):
            return None
        return relative.replace(os.sep, "/")


def default(base: Path) -> Config:
    return Config(None, base, frozenset(RULES), (), (), ())


def find(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start`` (see the module docstring)."""
    start = start.absolute()
    # os.path, not Path: its checks answer False for a folder we may not read, never raise
    for folder in (start, *start.parents):
        dedicated = folder / DEDICATED_FILE
        if os.path.isfile(dedicated):  # noqa: PTH113
            return dedicated
        pyproject = folder / PYPROJECT
        if os.path.isfile(pyproject) and _has_table(pyproject):  # noqa: PTH113
            return pyproject
        if os.path.lexists(folder / ".git"):
            return None
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    # cheap test first: most pyproject files have no such table and need no parsing
    if "ml-agents" not in text:
        return False
    tomllib = _toml()
    try:
        return _table(tomllib.loads(text), is_pyproject=True) is not None
    except tomllib.TOMLDecodeError:
        return True  # a broken file that mentions us is reported, not skipped


def _toml() -> ModuleType:
    """The TOML reader, imported only when a file is read (most runs find none to parse)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib


def start_folder(paths: Sequence[Path], cwd: Path) -> Path:
    """Where the search starts: the cwd, or the deepest folder holding every linted path."""
    if not paths:
        return cwd
    absolute = [os.path.normpath(cwd / p) for p in paths]
    common = Path(os.path.commonpath(absolute))
    return common if os.path.isdir(common) else common.parent  # noqa: PTH112 (never raises)


def load(path: Path) -> Config:
    """Read and check one configuration file; raise ConfigError with a one-line message."""
    shown = _shown(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise ConfigError(f"{shown}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{shown}: not UTF-8 (byte {error.start})") from None
    tomllib = _toml()
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_toml_error(shown, str(error))) from None
    is_pyproject = path.name == PYPROJECT
    table = _table(document, is_pyproject=is_pyproject)
    if table is None:
        table = {}
    return parse(table, path, text, is_pyproject=is_pyproject)


def _table(document: dict[str, Any], *, is_pyproject: bool) -> dict[str, Any] | None:
    if not is_pyproject:
        return document
    tool = document.get("tool")
    if not isinstance(tool, dict):
        return None
    table = tool.get("ml-agents")
    return table if isinstance(table, dict) else None


def _toml_error(shown: str, message: str) -> str:
    where = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if where is None:
        return f"{shown}: invalid TOML: {message}"
    text = message[: where.start()].strip()
    return f"{shown}:{where[1]}:{where[2]}: invalid TOML: {text}"


def parse(table: dict[str, Any], path: Path, text: str, *, is_pyproject: bool) -> Config:
    """Check a configuration table's keys and values and resolve them to rule codes."""
    prefix = f"[{TABLE}] " if is_pyproject else ""
    shown = _shown(path)

    def fail(key: str, problem: str, at: str | None = None) -> ConfigError:
        return ConfigError(f"{shown}:{_line_of(text, at or key)}: {prefix}{key}: {problem}")

    for key in table:
        if key == "tool" and not is_pyproject:
            raise fail(
                key, f"in {DEDICATED_FILE} the keys go at the top level, not under [{TABLE}]"
            )
        if key not in KEYS:
            hint = _did_you_mean(key, KEYS)
            raise fail(key, f"unknown key{hint}; known keys: {', '.join(KEYS)}")
    select = _codes(table.get("select", ["CC"]), "select", fail)
    ignore = _codes(table.get("ignore", []), "ignore", fail)
    per_file: list[tuple[str, frozenset[str]]] = []
    for pattern, codes in _table_value(table, "per-file-ignores", fail).items():
        label = f'per-file-ignores."{pattern}"'
        per_file.append((_pattern(pattern, label, fail), _codes(codes, label, fail, at=pattern)))
    exclude = [_pattern(p, "extend-exclude", fail) for p in _strings(table, "extend-exclude", fail)]
    severity: dict[str, str] = {}
    for code, level in _table_value(table, "severity", fail).items():
        label = f"severity.{code}"
        if level not in SEVERITY_ORDER:
            raise fail(label, f"{level!r} is not one of {ERROR}, {WARNING}, {INFO}", code)
        for resolved in _resolve(code, label, fail, at=code):
            severity[resolved] = level
    show_info = table.get("show-info", False)
    if not isinstance(show_info, bool):
        raise fail("show-info", f"expected true or false, not {show_info!r}")
    return Config(
        path,
        path.parent.absolute(),
        frozenset(select - ignore),
        tuple(per_file),
        tuple(exclude),
        tuple(sorted(severity.items())),
        show_info,
    )


class Fail(Protocol):
    def __call__(self, key: str, problem: str, at: str | None = None) -> ConfigError: ...


def _strings(table: dict[str, Any], key: str, fail: Fail, at: str | None = None) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        example = '["CC2", "CC301"]' if key != "extend-exclude" else '["vendor/**"]'
        raise fail(key, f"expected a list of strings, such as {example}, not {value!r}", at)
    return value


def _table_value(table: dict[str, Any], key: str, fail: Fail) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise fail(key, f"expected a table, not {value!r}")
    return value


def _codes(value: Any, key: str, fail: Fail, at: str | None = None) -> frozenset[str]:
    values = _strings({key: value}, key, fail, at)
    return frozenset(code for item in values for code in _resolve(item, key, fail, at))


def resolve(selector: str) -> set[str]:
    """The codes a selector names: a code, a rule name, or a code prefix such as ``CC2``."""
    rule = lookup(selector)
    if rule is not None:
        return {rule.code}
    upper = selector.strip().upper()
    if not re.fullmatch(r"CC\d{0,3}", upper):
        return set()
    return {code for code in RULES if code.startswith(upper)}


def _resolve(selector: str, key: str, fail: Fail, at: str | None = None) -> set[str]:
    codes = resolve(selector)
    if not codes:
        close = _did_you_mean(selector, [*RULES, *(r.name for r in RULES.values())])
        raise fail(key, f"no rule {selector!r}{close}; see ml-agents lint --list-rules", at)
    return codes


def _pattern(pattern: str, key: str, fail: Fail) -> str:
    cleaned = pattern.strip().replace("\\", "/").removeprefix("./").rstrip("/")
    if not cleaned or cleaned.startswith("/") or ".." in cleaned.split("/"):
        problem = f"{pattern!r} is not a path pattern relative to the configuration's folder"
        raise fail(key, problem, pattern)
    return cleaned


def _shown(path: Path) -> str:
    relative = os.path.relpath(path.absolute(), Path.cwd())
    return str(path) if relative.startswith("..") else relative


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _line_of(text: str, key: str) -> int:
    """The line a key is written on (a best guess: TOML parsers give no positions)."""
    quoted = re.escape(key)
    written = re.compile(rf"""^\s*(?:["']{quoted}["']|{quoted})\s*=|^\s*\[[^\]]*\b{quoted}\]""")
    header = re.compile(rf"^\s*\[\s*{re.escape(TABLE)}\b")
    header_line = 1
    for number, line in enumerate(text.splitlines(), 1):
        if written.search(line):
            return number
        if header_line == 1 and header.search(line):
            header_line = number
    return header_line


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regex: ``*`` and ``?`` stay within a folder, ``**`` crosses folders."""
    parts = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            parts.append(".*")
            index += 2
            continue
        parts.append({"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char)))
        index += 1
    return re.compile("".join(parts))


def matches(pattern: str, relative: str) -> bool:
    """Whether a glob matches a path relative to the configuration's folder, or a folder above it.

    A pattern without '/' matches a file or folder name at any depth, as in .gitignore.
    """
    regex = _regex(pattern)
    parts = relative.split("/")
    if "/" not in pattern:
        return any(regex.fullmatch(name) for name in parts)
    return any(regex.fullmatch("/".join(parts[:end])) for end in range(1, len(parts) + 1))
