"""Field checks shared by agents, commands and skills: model, enums, hooks, description.

The values each check accepts come from the schemas (see spec.py); fields whose whole check is
the schema (effort, maxTurns, booleans, shell) are left to checks_schema.py.
"""

from __future__ import annotations

from typing import Any

from ml_agents.lint import spec
from ml_agents.lint.context import FileContext, suggest
from ml_agents.lint.positions import shown, type_name


def check_model(context: FileContext) -> None:
    if "model" not in context.fields:
        return
    value = context.fields["model"]
    if isinstance(value, str):
        if (
            value.lower() == "inherit"
            or value.lower() in spec.MODEL_ALIASES  # the client maps Opus to opus
            or spec.is_model_id(value)
        ):
            return
        guess = suggest(value.lower(), spec.MODEL_ALIASES | {"inherit"}, {})
        hint = (
            f"Write 'model: {guess}'."
            if guess
            else "Write 'model: sonnet' (or inherit, opus, haiku, or a full claude-... model id)."
        )
        context.report(
            "CC210",
            context.value_position("model"),
            f"model {shown(value)} is neither inherit, an alias, nor a Claude model id; "
            "the API will reject it",
            hint,
        )
        return
    context.report(
        "CC210",
        context.value_position("model"),
        f"model must be a string, not {type_name(value)}",
        "Write 'model: sonnet' (or inherit, opus, haiku, or a full claude-... model id).",
    )


def check_enum(context: FileContext, key: str, code: str, allowed: tuple[Any, ...]) -> bool:
    """Report ``code`` when the field is present and not one of ``allowed``. True when valid."""
    if key not in context.fields:
        return True
    value = context.fields[key]
    if isinstance(value, (str, bool)) and value in allowed:
        return True
    choices = ", ".join(str(a) for a in allowed if isinstance(a, str))
    guess = (
        suggest(value, frozenset(a for a in allowed if isinstance(a, str)), {})
        if isinstance(value, str)
        else None
    )
    first = next((a for a in allowed if isinstance(a, str)), "")
    hint = f"Write '{key}: {guess}'." if guess else f"Write '{key}: {first}' (one of: {choices})."
    context.report(
        code,
        context.value_position(key),
        f"{key} must be one of {choices}, not "
        f"{shown(value) if isinstance(value, (str, bool)) else type_name(value)}; it is ignored",
        hint,
    )
    return False


def check_hooks(context: FileContext) -> None:
    """Shallow shape check of frontmatter ``hooks`` (§4.6).

    The shape is {Event: [{matcher?, hooks: [{type, ...}]}]}.
    """
    if "hooks" not in context.fields:
        return
    value = context.fields["hooks"]
    where = context.value_position("hooks")
    if not isinstance(value, dict):
        context.report(
            "CC220", where, f"hooks must be a mapping of event names, not {type_name(value)}"
        )
        return
    for event, matchers in value.items():
        event_text = str(event)
        if event_text not in spec.HOOK_EVENTS:
            guess = suggest(event_text, spec.HOOK_EVENTS, {})
            hint = (
                f"Write the event as hooks.{guess}."
                if guess
                else "Use an event Claude Code knows, e.g. hooks.PreToolUse."
            )
            context.report("CC220", where, f"hooks: unknown event {shown(event_text)}", hint)
            continue
        problem = _matchers_problem(matchers)
        if problem:
            context.report("CC220", where, f"hooks.{event_text}: {problem}")


def check_misplaced_hook_events(context: FileContext) -> frozenset[str]:
    """Report hook events written at the top level; return them so they are not 'unknown keys'."""
    misplaced = frozenset(k for k in context.fields if k in spec.MISPLACED_HOOK_EVENTS)
    for key in sorted(misplaced):
        context.report(
            "CC220",
            context.key_position(key),
            f"{key} at the top level of the frontmatter: Claude Code refuses the file's hooks "
            "(an agent is not loaded at all)",
            f"Indent it under a hooks: key, as hooks.{key}.",
        )
    return misplaced


def _matchers_problem(matchers: Any) -> str | None:
    if not isinstance(matchers, list):
        return f"expected a list of matcher entries, not {type_name(matchers)}"
    for index, matcher in enumerate(matchers):
        if not isinstance(matcher, dict):
            return f"entry {index} must be a mapping with 'hooks', not {type_name(matcher)}"
        if "matcher" in matcher and not isinstance(matcher["matcher"], str):
            return f"entry {index}: matcher must be a string, not {type_name(matcher['matcher'])}"
        handlers = matcher.get("hooks")
        if not isinstance(handlers, list):
            return f"entry {index} needs a 'hooks' list"
        for handler in handlers:
            kind = handler.get("type") if isinstance(handler, dict) else None
            if not isinstance(kind, str) or kind not in spec.HOOK_TYPES:
                types = ", ".join(sorted(spec.HOOK_TYPES))
                return f"entry {index}: every hook needs a type of {types}"
    return None


def check_description_type(context: FileContext, *, strict: bool) -> None:
    """Agents need a string; commands and skills only lose a list or mapping."""
    if "description" not in context.fields:
        return
    value = context.fields["description"]
    if isinstance(value, str):
        return
    if not strict and (value is None or isinstance(value, (bool, int, float))):
        return
    context.report(
        "CC208",
        context.value_position("description"),
        f"description must be a string, not {type_name(value)}",
        "Write the description as one line of text, quoted if it holds ': ' or starts with [ or {.",
    )
