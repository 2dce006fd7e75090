"""settings.json: ``~/.claude/settings.json``, ``.claude/settings.json``, ``settings.local.json``.

Measured on 2.1.332 (the debug log of a headless run): the client validates the file as a whole, so
one known key of the wrong type makes it ignore the entire file without a word; ``env`` that is not
an object, hooks entries and permission rules are dropped one by one. Unknown keys are ignored.
The known keys and their types come from schemas/settings.schema.json.
"""

from __future__ import annotations

from typing import Any

from ml_agents.lint import spec
from ml_agents.lint.checks_hooks import check_events, events_outside_hooks
from ml_agents.lint.checks_tools import _entry_problem, parse_entry
from ml_agents.lint.configfile import Report, has_type, settings_schema
from ml_agents.lint.context import suggest
from ml_agents.lint.jsonpos import JsonPath
from ml_agents.lint.positions import shown, type_name

WHOLE_FILE = "Claude Code ignores this whole settings file"
RULE_LISTS = ("allow", "ask", "deny")
# codes of checks_tools._entry_problem for rules the client keeps but that never match
_NEVER_MATCHES = frozenset({"CC301", "CC305"})


def check_settings(report: Report, value: dict[str, Any]) -> None:
    schema = settings_schema()
    known: dict[str, Any] = schema["properties"]
    outside = events_outside_hooks(report, value, "this whole settings file")
    for key, item in value.items():
        if key in outside:
            continue
        if key not in known:
            guess = suggest(key, frozenset(known), {})
            report.key(
                "CC706",
                (key,),
                f"unknown settings key {shown(key)} is ignored"
                + (f" (did you mean {guess!r}?)" if guess else ""),
                f"Rename it to {guess!r}."
                if guess
                else f"Remove {shown(key)}: Claude Code has no setting of that name.",
            )
            continue
        _check_type(report, (key,), item, known[key])
    if isinstance(value.get("model"), str):
        _check_model(report, value["model"])
    permissions = value.get("permissions")
    if isinstance(permissions, dict):
        for key, item in permissions.items():
            property_schema = known["permissions"]["properties"].get(key)
            if property_schema is not None:
                _check_type(report, ("permissions", key), item, property_schema)
            if key in RULE_LISTS and isinstance(item, list):
                _check_rules(report, key, item)
    if "hooks" in value:
        check_events(report, ("hooks",), value["hooks"], "this whole settings file")


def _check_type(report: Report, path: JsonPath, item: Any, schema: dict[str, Any]) -> None:
    """CC702 when ``item`` breaks the type or enum of its schema entry."""
    name = ".".join(str(p) for p in path)
    expected = schema.get("type")
    allowed = schema.get("enum")
    if isinstance(expected, str) and not has_type(item, expected):
        wanted = "an integer" if expected == "integer" else f"{_article(expected)} {expected}"
        consequence = f"Claude Code drops {name}" if schema.get("x-dropped-alone") else WHOLE_FILE
        report.value(
            "CC702",
            path,
            f"{name} must be {wanted}, not {type_name(item)}; {consequence}",
            _type_hint(name, expected),
        )
    elif allowed is not None and item not in allowed:
        guess = suggest(item, frozenset(allowed), {}) if isinstance(item, str) else None
        report.value(
            "CC702",
            path,
            f"{name} {shown(item)} is not one of {', '.join(allowed)}; {WHOLE_FILE}",
            f'Write "{guess}".' if guess else f"Use one of: {', '.join(allowed)}.",
        )
    elif expected == "integer" and isinstance(item, int) and item < schema.get("minimum", item):
        report.value("CC702", path, f"{name} must be at least {schema['minimum']}; {WHOLE_FILE}")
    items = schema.get("items")
    if isinstance(item, list) and isinstance(items, dict) and "x-rule" not in items:
        for index, element in enumerate(item):
            if not has_type(element, items["type"]):
                report.value(
                    "CC702",
                    (*path, index),
                    f"{name} must hold {items['type']}s, not {type_name(element)}; {WHOLE_FILE}",
                    f"Write {name} as a list of {items['type']}s.",
                )


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _type_hint(name: str, expected: str) -> str:
    examples = {
        "string": f'"{name.rsplit(".", 1)[-1]}": "..."',
        "boolean": f'"{name.rsplit(".", 1)[-1]}": true',
        "number": f'"{name.rsplit(".", 1)[-1]}": 30',
        "integer": f'"{name.rsplit(".", 1)[-1]}": 30',
        "array": f'"{name.rsplit(".", 1)[-1]}": ["..."]',
        "object": f'"{name.rsplit(".", 1)[-1]}": {{...}}',
    }
    return f"Write {examples[expected]}."


def _check_model(report: Report, model: str) -> None:
    if model in spec.MODEL_ALIASES or spec.is_model_id(model):
        return
    lower = model.lower()
    if lower in spec.MODEL_ALIASES or spec.is_model_id(lower):
        return  # the client maps the case (as it does for model: Opus in agents)
    guess = suggest(lower, spec.MODEL_ALIASES, {})
    report.value(
        "CC707",
        ("model",),
        f"model {shown(model)} is neither an alias nor a Claude model id; the client sends it to "
        "the API as written and every request fails",
        f'Write "model": "{guess}".'
        if guess
        else 'Write "model": "sonnet" (or opus, haiku, opusplan, a full claude-... id).',
    )


def _check_rules(report: Report, key: str, entries: list[Any]) -> None:
    field = f"permissions.{key}"
    for index, text in enumerate(entries):
        path = ("permissions", key, index)
        if not isinstance(text, str):
            report.value(
                "CC703",
                path,
                f"{field} holds {type_name(text)}; the client removes it",
                'Write the rule as a string: "Bash(npm test)".',
            )
            continue
        if not text.strip():
            report.value(
                "CC703", path, f"an empty rule in {field} is skipped", "Remove the empty string."
            )
            continue
        entry = parse_entry(text)
        tool = entry.tool
        if entry.problem is None and tool and "_" not in tool and not tool[0].isupper():
            fixed = tool[0].upper() + tool[1:]
            right = spec.LEGACY_TOOLS.get(fixed, fixed)
            report.value(
                "CC703",
                path,
                f"rule {shown(text)} in {field} is skipped: tool names start with an uppercase "
                "letter",
                f"Write {shown(right + text[len(tool) :])}.",
            )
            continue
        problem = _entry_problem(field, entry, agent_tools=False)
        if problem is None:
            continue
        code, message, hint = problem
        if code == "CC302":
            continue  # a legacy name the client maps (Task -> Agent)
        if code == "CC301":
            message = (
                f"rule {shown(text)} in {field} names {shown(tool)}, which is not a Claude Code "
                "tool: the client keeps the rule, and it never matches"
            )
        if code in _NEVER_MATCHES:
            report.value("CC704", path, message, hint)
        else:
            report.value("CC703", path, f"{message}; the client skips this rule", hint)
