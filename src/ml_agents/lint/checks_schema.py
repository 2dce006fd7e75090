"""Findings from the schemas: every frontmatter and manifest is validated against the schema lint
uses (validation.py), after the client's own normalisation.

The code checks run first and keep what a schema cannot say (the YAML layer, the client's split and
auto-quote rules, permission-rule grammar, files that must exist, references across files) and the
precise message for a few common mistakes; a schema violation on a key they already reported is
not said twice.
"""

from __future__ import annotations

from typing import Any

from ml_agents.frontmatter import Position
from ml_agents.lint import spec, validation
from ml_agents.lint.context import FileContext
from ml_agents.lint.jsonpos import JsonDocument
from ml_agents.lint.result import Finding
from ml_agents.lint.rules import AGENT, COMMAND, MARKETPLACE_MANIFEST, PLUGIN_MANIFEST, SKILL

SCHEMA_OF_KIND = {
    AGENT: "agent",
    COMMAND: "command",
    SKILL: "skill",
    PLUGIN_MANIFEST: "plugin",
    MARKETPLACE_MANIFEST: "marketplace",
}


def check_frontmatter(context: FileContext) -> None:
    violations = validation.validate(SCHEMA_OF_KIND[context.kind], as_the_client_reads(context))
    if not violations:
        return
    owners = _key_lines(context)
    reported_keys = {_owner(owners, f.line) for f in context.findings}
    reported_codes = {f.code for f in context.findings if _owner(owners, f.line) is None}
    for violation in violations:
        key = str(violation.path[0]) if violation.path else None
        if key in reported_keys or (violation.code in reported_codes and key not in owners):
            continue
        context.report(
            violation.code, _position(context, violation), violation.message, violation.hint
        )


def as_the_client_reads(context: FileContext) -> dict[Any, Any]:
    """The fields after what the client does first: a model alias in any case is the alias; a
    plugin agent takes its file's name when it has none, reads when_to_use as its description,
    and drops the keys plugin agents ignore."""
    fields = context.fields
    model = fields.get("model")
    if isinstance(model, str) and model.lower() in spec.MODEL_ALIASES | {"inherit"}:
        fields = {**fields, "model": model.lower()}  # the client maps 'Opus' to opus
    if context.kind != AGENT or context.plugin_root is None:
        return fields
    fields = dict(fields)
    if fields.get("name") in (None, ""):
        fields["name"] = context.path.stem
    for key in spec.PLUGIN_AGENT_EXTRA_KEYS:
        when = fields.pop(key, None)
        if fields.get("description") in (None, "") and when:
            fields["description"] = when
    for key in spec.PLUGIN_AGENT_IGNORED_KEYS:
        fields.pop(key, None)
    return fields


def _key_lines(context: FileContext) -> dict[str, int]:
    return {str(k): p.line for k, p in context.frontmatter.key_positions.items()}


def _owner(owners: dict[str, int], line: int) -> str | None:
    """The top-level key whose entry holds ``line``, or None before the first key."""
    best: tuple[int, str] | None = None
    for key, start in owners.items():
        if start <= line and (best is None or start > best[0]):
            best = (start, key)
    return best[1] if best else None


def _position(context: FileContext, violation: validation.Violation) -> Position:
    path = violation.path
    if not path:
        return Position(1, 1)
    key = path[0]
    if key not in context.fields:
        return Position(1, 1)  # a missing key: the file is the place
    if len(path) == 1:
        return context.key_position(key) if violation.key_level else context.value_position(key)
    value = context.fields[key]
    index = path[1]
    if isinstance(value, list) and isinstance(index, int) and index < len(value):
        cursor: int | None = None
        where = context.value_position(key)
        for item in value[: index + 1]:
            where, cursor = context.find_in_value(key, str(item), cursor)
        return where
    return context.value_position(key)


def check_manifest(
    name: str, display: str, document: JsonDocument, findings: list[Finding]
) -> list[Finding]:
    """The schema's findings for a manifest, leaving out lines the code checks reported."""
    from ml_agents.lint import rules

    reported_lines = {f.line for f in findings}
    reported_codes = {f.code for f in findings}
    found: list[Finding] = []
    for violation in validation.validate(name, document.value):
        path = violation.path
        missing = violation.key_level and violation.code in reported_codes and path[:-1] == ()
        where = document.key_at(path) if violation.key_level else document.at(path)
        if where.line in reported_lines or missing:
            continue
        found.append(
            rules.make(
                violation.code, display, where.line, where.col, violation.message, violation.hint
            )
        )
    return found
