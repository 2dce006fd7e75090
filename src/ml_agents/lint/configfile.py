"""JSON configuration files: settings.json, a plugin's hooks/hooks.json and .mcp.json.

Each kind has its own checker module; this one reads the JSON (with positions), reports syntax
errors and duplicate keys under the kind's own rule codes, and hands the value on. The checks are
written by hand, like the manifest checks: they need positions and hints, and importing jsonschema
would cost more than the lint run. schemas/settings.schema.json is read for its keys and types.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, NamedTuple

from ml_agents.frontmatter import Position
from ml_agents.lint import jsonpos, rules
from ml_agents.lint.jsonpos import JsonDocument, JsonPath
from ml_agents.lint.positions import shown, type_name
from ml_agents.lint.result import Finding


class KindCodes(NamedTuple):
    invalid_json: str
    duplicate_key: str
    consequence: str
    """What the client does with a file it cannot parse."""
    not_object: str
    example: str
    """A minimal valid file, for the hint when the value is not a JSON object."""


CODES = {
    rules.SETTINGS: KindCodes(
        "CC701",
        "CC705",
        "Claude Code ignores this whole settings file",
        "CC702",
        '{"permissions": {"allow": ["..."]}}',
    ),
    rules.HOOKS_CONFIG: KindCodes(
        "CC801",
        "CC807",
        "the whole plugin fails to load",
        "CC802",
        '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "..."}]}]}}',
    ),
    rules.MCP_CONFIG: KindCodes(
        "CC851",
        "CC854",
        "Claude Code starts none of its servers",
        "CC852",
        '{"mcpServers": {"<name>": {"command": "..."}}}',
    ),
}


class Report:
    """Findings for one JSON file, placed by JSON path."""

    def __init__(self, display: str, document: JsonDocument) -> None:
        self.display = display
        self.document = document
        self.findings: list[Finding] = []

    def at(self, code: str, where: Position, message: str, hint: str | None = None) -> None:
        self.findings.append(rules.make(code, self.display, where.line, where.col, message, hint))

    def value(self, code: str, path: JsonPath, message: str, hint: str | None = None) -> None:
        self.at(code, self.document.at(path), message, hint)

    def key(self, code: str, path: JsonPath, message: str, hint: str | None = None) -> None:
        self.at(code, self.document.key_at(path), message, hint)


def check_config(display: str, kind: str, text: str) -> list[Finding]:
    """All findings for one JSON configuration file of ``kind``."""
    codes = CODES[kind]
    document, problem = jsonpos.load(text)
    if problem is not None:
        where = problem.position
        message = f"{problem.message}; {codes.consequence}"
        return [rules.make(codes.invalid_json, display, where.line, where.col, message)]
    assert document is not None
    report = Report(display, document)
    for path, where in document.duplicate_keys:
        name = shown(str(path[-1]))
        report.at(
            codes.duplicate_key,
            where,
            f"key {name} appears twice here; the client keeps only the last value",
            f"Merge the two {name} values into one, or rename one of them.",
        )
    if not isinstance(document.value, dict):
        report.value(
            codes.not_object,
            (),
            f"the file must hold a JSON object, not {type_name(document.value)}; "
            + codes.consequence.replace("the whole plugin fails to load", "it registers no hooks"),
            f"Write an object: {codes.example}.",
        )
    elif kind == rules.SETTINGS:
        from ml_agents.lint.checks_settings import check_settings

        check_settings(report, document.value)
    elif kind == rules.HOOKS_CONFIG:
        from ml_agents.lint.checks_hooks import check_hooks_file

        check_hooks_file(report, document.value)
    else:
        from ml_agents.lint.checks_mcp import check_mcp

        check_mcp(report, document.value)
    return report.findings


@cache
def settings_schema() -> dict[str, Any]:
    from ml_agents.bundle import schema_path

    schema: dict[str, Any] = json.loads(schema_path("settings").read_text(encoding="utf-8"))
    return schema


JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "number": (int, float),
    "integer": (int,),
}


def has_type(value: Any, json_type: str) -> bool:
    """Whether ``value`` is of the JSON Schema ``type`` (a bool is not a number here)."""
    if isinstance(value, bool) and json_type in ("number", "integer"):
        return False
    return isinstance(value, JSON_TYPES[json_type])
