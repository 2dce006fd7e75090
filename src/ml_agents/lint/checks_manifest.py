"""``.claude-plugin/plugin.json`` and ``marketplace.json`` (claude-code-format.md §4.2, §4.3).

What needs the file system or the whole manifest (paths that must exist, duplicate entries, local
plugins for the version check) and the messages for the common mistakes are written here; the keys
come from the schemas, and everything else the schemas say is checked by checks_schema.py.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

from ml_agents.frontmatter import Position
from ml_agents.lint import rules, spec
from ml_agents.lint.checks_schema import check_manifest
from ml_agents.lint.context import suggest
from ml_agents.lint.jsonpos import JsonDocument, JsonPath
from ml_agents.lint.positions import shown, type_name
from ml_agents.lint.result import Finding

# a scheme, '://', a host character, then no whitespace (one quantifier after the host: linear)
_URL_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/?#][^\s]*")


class LocalPlugin(NamedTuple):
    """A marketplace entry whose plugin lives in this repository, for the version check."""

    name: str
    version: str | None
    version_position: Position
    folder: Path


# findings that make the client reject the manifest as a whole, or the marketplace entry
_REJECTING = frozenset({"CC502", "CC503", "CC504", "CC505", "CC507"})


def rejection(display: str, entry: bool = False) -> str:
    """What Claude Code does with a manifest it rejects, for the end of a message."""
    if entry:
        return "Claude Code cannot install this plugin from the marketplace"
    if display.endswith("marketplace.json"):
        return "Claude Code cannot add this marketplace"
    return "Claude Code does not load this plugin at all"


class ManifestChecker:
    def __init__(self, display: str, root: Path, document: JsonDocument) -> None:
        self.display = display
        self.root = root
        """The folder that holds ``.claude-plugin/``: manifest paths are relative to it."""
        self.document = document
        self.findings: list[Finding] = []
        self.in_entry = False
        """True while a marketplace entry is checked: a rejection then costs only that entry."""

    def report(self, code: str, where: Position, message: str, hint: str | None = None) -> None:
        if code in _REJECTING:
            message = f"{message}; {rejection(self.display, self.in_entry)}"
        self.findings.append(rules.make(code, self.display, where.line, where.col, message, hint))

    def unknown_keys(
        self, value: dict[str, Any], path: JsonPath, known: frozenset[str], what: str
    ) -> None:
        for key in value:
            if key in known:
                continue
            guess = suggest(key, known, {})
            where = self.document.key_at((*path, key))
            if guess:
                self.report(
                    "CC509",
                    where,
                    f"unknown {what} key {shown(key)} is ignored by Claude Code "
                    f"(did you mean {guess!r}?)",
                    f'Rename the key: "{guess}": ...',
                )
                continue
            elsewhere = ', or move it under "metadata"' if "metadata" in known else ""
            self.report(
                "CC512",
                where,
                f"{what} key {shown(key)} is not read by Claude Code, which loads the rest",
                f'Remove "{key}"{elsewhere}.',
            )

    def name(self, value: dict[str, Any], path: JsonPath, *, marketplace: bool) -> str | None:
        where = self.document.at((*path, "name"))
        if "name" not in value:
            self.report("CC503", self.document.at(path), "missing required field 'name'")
            return None
        name = value["name"]
        if not isinstance(name, str):
            self.report("CC504", where, f"name must be a string, not {type_name(name)}")
            return None
        problem = _name_problem(
            name,
            marketplace=marketplace,
            from_anthropic=marketplace and anthropic_repository(self.root),
        )
        if problem:
            self.report("CC505", where, f"name {shown(name)} {problem}")
        elif not spec.KEBAB_RE.match(name):
            self.report("CC506", where, f"name {shown(name)} is not kebab-case")
        return name

    def expect(
        self, value: dict[str, Any], path: JsonPath, key: str, kind: type, label: str
    ) -> Any:
        """Report CC504 when ``key`` is present with the wrong type; return the value if right."""
        if key not in value:
            return None
        item = value[key]
        if isinstance(item, kind):
            return item
        self.report(
            "CC504", self.document.at((*path, key)), f"{key} must be {label}, not {type_name(item)}"
        )
        return None

    def plugin_fields(self, value: dict[str, Any], path: JsonPath) -> None:
        """Types of the fields plugin.json and marketplace entries share."""
        for key in ("version", "description", "displayName", "repository", "license", "category"):
            self.expect(value, path, key, str, "a string")
        homepage = self.expect(value, path, "homepage", str, "a URL string")
        if homepage is not None and not _URL_RE.fullmatch(homepage):
            self.report(
                "CC504",
                self.document.at((*path, "homepage")),
                f"homepage {shown(homepage)} is not a URL",
            )
        keywords = self.expect(value, path, "keywords", list, "a list of strings")
        for index, word in enumerate(keywords or []):
            if not isinstance(word, str):
                self.report(
                    "CC504",
                    self.document.at((*path, "keywords", index)),
                    f"keywords must hold strings, not {type_name(word)}",
                )
        self.expect(value, path, "defaultEnabled", bool, "true or false")
        if "author" in value:
            author = value["author"]
            if (
                not isinstance(author, dict)
                or not isinstance(author.get("name"), str)
                or not author["name"]
            ):
                self.report(
                    "CC504",
                    self.document.at((*path, "author")),
                    "author must be an object with a non-empty name",
                    'Write "author": {"name": "..."}.',
                )

    def component_paths(self, value: dict[str, Any], path: JsonPath) -> None:
        for key, expected in spec.PLUGIN_PATH_KEYS.items():
            if key not in value:
                continue
            item = value[key]
            items = item if isinstance(item, list) else [item]
            for index, entry in enumerate(items):
                entry_path = (*path, key, index) if isinstance(item, list) else (*path, key)
                if isinstance(entry, str):
                    self.component_path(key, entry, entry_path, expected)
                elif isinstance(entry, dict) and key == "commands":
                    for name, spec_value in entry.items():
                        source = spec_value.get("source") if isinstance(spec_value, dict) else None
                        if isinstance(source, str):
                            self.component_path(key, source, (*entry_path, name, "source"), "file")
                elif not isinstance(entry, dict) or key not in (
                    "hooks",
                    "mcpServers",
                    "lspServers",
                ):
                    self.report(
                        "CC504",
                        self.document.at(entry_path),
                        f"{key} must hold ./ paths, not {type_name(entry)}",
                    )

    def component_path(self, key: str, entry: str, path: JsonPath, expected: str) -> None:
        where = self.document.at(path)
        if key == "mcpServers" and re.match(r"^[a-z]+://", entry):
            return
        if key == "skills" and entry == ".":
            return
        if not entry.startswith("./") or ".." in entry.split("/"):
            self.report(
                "CC507",
                where,
                f"{key} path {shown(entry)} must start with './' and stay inside the plugin",
                f"Write './{entry.lstrip('./')}'." if ".." not in entry.split("/") else None,
            )
            return
        target = self.root / entry[2:]
        if not target.exists():
            self.report("CC508", where, f"{key} path {shown(entry)} does not exist")
        elif expected == "dir" and not target.is_dir():
            self.report(
                "CC504",
                where,
                f"{key} path {shown(entry)} must be a folder holding SKILL.md folders",
            )
        elif expected == "file" and not target.is_file():
            self.report(
                "CC504",
                where,
                f"{key} path {shown(entry)} must be a file",
                _files_hint(key, entry, target),
            )


def _files_hint(key: str, entry: str, folder: Path) -> str:
    """List the files: ``agents`` and ``commands`` take files, never a folder."""
    suffix = ".js" if key == "workflows" else ".md"
    try:
        found = sorted(p for p in folder.rglob(f"*{suffix}") if p.is_file())
    except OSError:
        found = []
    if not found:
        return f"Name each {suffix} file in {shown(entry)} instead of the folder."
    base = entry.rstrip("/")
    listed = ", ".join(f'"{base}/{p.relative_to(folder).as_posix()}"' for p in found[:5])
    more = ", ..." if len(found) > 5 else ""
    return f"List the files instead: {listed}{more}."


def check_plugin(display: str, manifest: Path, document: JsonDocument) -> list[Finding]:
    checker, value = _top_level(display, manifest, document, marketplace=False)
    if value is None:
        return checker.findings
    checker.plugin_fields(value, ())
    for key in ("version", "description", "author"):
        if key not in value:
            checker.report("CC510", document.at(()), f"plugin.json has no {key}")
    checker.component_paths(value, ())
    checker.findings.extend(check_manifest("plugin", display, document, checker.findings))
    return checker.findings


def check_marketplace(
    display: str, manifest: Path, document: JsonDocument
) -> tuple[list[Finding], list[LocalPlugin]]:
    checker, value = _top_level(display, manifest, document, marketplace=True)
    if value is None:
        return checker.findings, []
    checker.expect(value, (), "description", str, "a string")
    checker.expect(value, (), "version", str, "a string")
    for key in ("owner", "plugins"):
        if key not in value:
            checker.report("CC503", document.at(()), f"missing required field {key!r}")
    owner = value.get("owner")
    if "owner" in value and (
        not isinstance(owner, dict) or not isinstance(owner.get("name"), str) or not owner["name"]
    ):
        checker.report(
            "CC504",
            document.at(("owner",)),
            "owner must be an object with a non-empty name",
            'Write "owner": {"name": "..."}.',
        )
    metadata = value.get("metadata")
    plugin_root = metadata.get("pluginRoot") if isinstance(metadata, dict) else None
    plugins = checker.expect(value, (), "plugins", list, "a list of plugin entries") or []
    local: list[LocalPlugin] = []
    seen: dict[str, Position] = {}
    for index, entry in enumerate(plugins):
        checker.in_entry = True
        found = _check_entry(checker, entry, ("plugins", index), plugin_root, seen)
        checker.in_entry = False
        if found is not None:
            local.append(found)
    from_schema = check_manifest("marketplace", display, document, checker.findings)
    name = value.get("name")
    if (
        isinstance(name, str)
        and name in spec.OFFICIAL_MARKETPLACE_NAMES
        and anthropic_repository(checker.root)
    ):
        # the schema cannot see the checkout's remote: an official name is Anthropic's own here
        line = document.at(("name",)).line
        from_schema = [f for f in from_schema if not (f.code == "CC505" and f.line == line)]
    checker.findings.extend(from_schema)
    return checker.findings, local


def _top_level(
    display: str, manifest: Path, document: JsonDocument, *, marketplace: bool
) -> tuple[ManifestChecker, dict[str, Any] | None]:
    """What both manifests check first: duplicate keys, a JSON object (else None), its unknown
    keys and its name."""
    what = "marketplace.json" if marketplace else "plugin.json"
    checker = ManifestChecker(display, manifest.parent.parent, document)
    for path, where in document.duplicate_keys:
        checker.report(
            "CC106", where, f"key {shown(str(path[-1]))} appears twice; only the last value is kept"
        )
    value = document.value
    if not isinstance(value, dict):
        checker.report(
            "CC502", document.at(()), f"{what} must be a JSON object, not {type_name(value)}"
        )
        return checker, None
    tables = spec.manifest_tables()
    known = tables.marketplace_keys if marketplace else tables.plugin_keys
    checker.unknown_keys(value, (), known, what)
    checker.name(value, (), marketplace=marketplace)
    return checker, value


def _check_entry(
    checker: ManifestChecker,
    entry: Any,
    path: JsonPath,
    plugin_root: Any,
    seen: dict[str, Position],
) -> LocalPlugin | None:
    document = checker.document
    if not isinstance(entry, dict):
        checker.report(
            "CC502", document.at(path), f"a plugin entry must be an object, not {type_name(entry)}"
        )
        return None
    checker.unknown_keys(entry, path, spec.manifest_tables().entry_keys, "plugin entry")
    name = checker.name(entry, path, marketplace=False)
    if name is not None:
        where = document.at((*path, "name"))
        if name in seen:
            first = seen[name]
            checker.report(
                "CC511", where, f"plugin {shown(name)} is listed twice (first at line {first.line})"
            )
        else:
            seen[name] = where
    checker.plugin_fields(entry, path)
    if "source" not in entry:
        checker.report(
            "CC503", document.at(path), "plugin entry is missing required field 'source'"
        )
        return None
    source = entry["source"]
    source_where = document.at((*path, "source"))
    folder: Path | None = None
    if isinstance(source, str):
        if source.startswith("./"):
            if ".." in source.split("/"):
                checker.report(
                    "CC507", source_where, f"source {shown(source)} may not contain '..'"
                )
                return None
            folder = checker.root / source[2:]
        elif isinstance(plugin_root, str) and "/" not in source and source not in ("", ".", ".."):
            folder = checker.root / plugin_root.removeprefix("./") / source
        else:
            checker.report(
                "CC507",
                source_where,
                f"source {shown(source)} must start with './' (or be an object such as "
                '{"source": "github", "repo": "owner/name"})',
            )
            return None
        if not folder.is_dir():
            checker.report("CC508", source_where, f"plugin source {shown(source)} is not a folder")
            return None
    elif isinstance(source, dict):
        kind = source.get("source")
        source_fields = spec.manifest_tables().source_fields
        if not isinstance(kind, str) or kind not in source_fields:
            checker.report(
                "CC504",
                source_where,
                f"source type must be one of {', '.join(sorted(source_fields))}, not {shown(kind)}",
            )
            return None
        for field in source_fields[kind]:
            if not isinstance(source.get(field), str):
                checker.report("CC503", source_where, f"a {kind} source needs a string {field!r}")
        return None
    else:
        checker.report(
            "CC504", source_where, f"source must be a ./path or an object, not {type_name(source)}"
        )
        return None
    version = entry.get("version")
    return LocalPlugin(
        name or "",
        version if isinstance(version, str) else None,
        document.at((*path, "version")),
        folder,
    )


_ANTHROPIC_REMOTE = re.compile(r"github\.com[:/]anthropics/")


def anthropic_repository(folder: Path) -> bool:
    """Whether ``folder`` is in a checkout of a github.com/anthropics repository, where Claude Code
    accepts the names it keeps for Anthropic's own marketplaces."""
    from ml_agents.lint.deps import repository_root

    git = repository_root(folder.absolute()) / ".git"
    try:
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            pointer = git.read_text(encoding="utf-8").partition("gitdir:")[2].strip()
            git = (git.parent / pointer).resolve()
            common = git / "commondir"
            if common.is_file():
                git = (git / common.read_text(encoding="utf-8").strip()).resolve()
        config = (git / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _ANTHROPIC_REMOTE.search(config) is not None


def _name_problem(name: str, *, marketplace: bool, from_anthropic: bool = False) -> str | None:
    if not name.strip():
        return "is empty"
    if any(c.isspace() for c in name):
        return "contains spaces"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return "contains control or bidi characters"
    if marketplace:
        if "/" in name or "\\" in name or ".." in name or name == ".":
            return "may not contain '/', '\\' or '..'"
        if name in spec.RESERVED_MARKETPLACE_NAMES:
            return "is reserved by Claude Code"
        if name in spec.OFFICIAL_MARKETPLACE_NAMES and not from_anthropic:
            return "is reserved for Anthropic's official marketplaces (github.com/anthropics)"
    return None
