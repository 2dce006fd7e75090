"""Hooks in JSON: a plugin's ``hooks/hooks.json`` and settings.json ``hooks`` (§4.6).

What the client does with a bad entry was measured with ``claude plugin validate`` and the debug
log of a headless run (2.1.332): an unknown event, a bad matcher or handler is ignored on its own,
but under PreToolUse or PermissionRequest a hook that cannot be loaded makes the client refuse
everything in the file it sits in, since it may be the guard of the permissions beside it.
Frontmatter ``hooks:`` are checked in checks_fields.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ml_agents.lint import spec
from ml_agents.lint.configfile import Report
from ml_agents.lint.context import suggest
from ml_agents.lint.jsonpos import JsonPath
from ml_agents.lint.positions import shown, type_name

GUARD_EVENTS = frozenset({"PreToolUse", "PermissionRequest"})
EVENTS_AFTER_2_1_197 = frozenset(
    {"PreModelSwitch", "PostModelSwitch", "DirectoryAdded", "PreSkillShellCommand"}
)
REQUIRED_FIELDS = {
    "command": ("command",),
    "prompt": ("prompt",),
    "agent": ("prompt",),
    "http": ("url",),
    "mcp_tool": ("server", "tool"),
}
STRING_FIELDS = ("if", "statusMessage", "model", "shell")
BOOLEAN_FIELDS = ("once", "async", "asyncRewake", "continueOnBlock")
PLUGIN_ROOT = "${CLAUDE_PLUGIN_ROOT}"
_EXAMPLE = '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "..."}]}]}}'


def check_hooks_file(report: Report, value: dict[str, Any]) -> None:
    """A plugin's hooks/hooks.json: {"description"?, "hooks": {Event: [matcher, ...]}}."""
    outside = events_outside_hooks(report, value, "every hook in this file")
    if "hooks" in value:
        check_events(report, ("hooks",), value["hooks"], "every hook in this file")
    elif not outside:
        report.value(
            "CC802",
            (),
            "hooks.json has no 'hooks' object, so the plugin registers no hooks",
            f"Write {_EXAMPLE}.",
        )


def events_outside_hooks(report: Report, value: dict[str, Any], refused: str) -> list[str]:
    """Report hook events written beside ``hooks`` instead of inside it; return them."""
    outside = [key for key in value if key in spec.HOOK_EVENTS]
    for event in outside:
        consequence = (
            f"the client refuses {refused}" if event in GUARD_EVENTS else "the client ignores it"
        )
        report.key(
            "CC802",
            (event,),
            f"event {shown(event)} is outside the 'hooks' object: {consequence}",
            f'Move it inside: {{"hooks": {{"{event}": [...]}}}}.',
        )
    return outside


def check_events(report: Report, path: JsonPath, hooks: Any, refused: str) -> None:
    """``{Event: [{matcher?, hooks: [handler, ...]}]}`` at ``path``; ``refused`` names what the
    client refuses when a guard hook cannot be loaded."""
    if not isinstance(hooks, dict):
        report.value(
            "CC802",
            path,
            f"hooks must be an object mapping event names to lists of matchers, not "
            f"{type_name(hooks)}; the client ignores it",
            'Write "hooks": {"Stop": [{"hooks": [...]}]}.',
        )
        return
    for event, matchers in hooks.items():
        event_path = (*path, event)
        if event not in spec.HOOK_EVENTS:
            guess = suggest(event, spec.HOOK_EVENTS, {})
            report.key(
                "CC803",
                event_path,
                f"unknown hook event {shown(event)}: the client ignores it and its hooks",
                f"Rename it to {guess!r}." if guess else "Use a hook event Claude Code knows.",
            )
            continue
        if event in EVENTS_AFTER_2_1_197:
            report.key(
                "CC804",
                event_path,
                f"hook event {shown(event)} does not exist in Claude Code 2.1.197, which rejects "
                "it ('Invalid key in record')",
            )
        consequence = (
            f"the client refuses {refused}" if event in GUARD_EVENTS else "the client ignores it"
        )
        if not isinstance(matchers, list):
            report.value(
                "CC802",
                event_path,
                f"{event} must be a list of matchers, not {type_name(matchers)}: {consequence}",
                f'Write "{event}": [{{"matcher": "...", "hooks": [...]}}].',
            )
            continue
        for index, matcher in enumerate(matchers):
            _check_matcher(report, (*event_path, index), matcher, consequence)


def _check_matcher(report: Report, path: JsonPath, matcher: Any, consequence: str) -> None:
    where = ".".join(str(p) for p in path)
    if not isinstance(matcher, dict):
        report.value(
            "CC802",
            path,
            f"{where} must be an object with a 'hooks' list, not {type_name(matcher)}: "
            f"{consequence}",
            'Write {"matcher": "...", "hooks": [{"type": "command", "command": "..."}]}.',
        )
        return
    if "matcher" in matcher and not isinstance(matcher["matcher"], str):
        report.value(
            "CC802",
            (*path, "matcher"),
            f"{where}.matcher must be a string, not {type_name(matcher['matcher'])}: {consequence}",
            'Write the tool names as one string: "matcher": "Write|Edit".',
        )
    handlers = matcher.get("hooks")
    if not isinstance(handlers, list):
        report.value(
            "CC802",
            (*path, "hooks") if "hooks" in matcher else path,
            f"{where} needs a 'hooks' list of handlers: {consequence}",
            'Write "hooks": [{"type": "command", "command": "..."}].',
        )
        return
    for index, handler in enumerate(handlers):
        _check_handler(report, (*path, "hooks", index), handler, consequence)


def _check_handler(report: Report, path: JsonPath, handler: Any, consequence: str) -> None:
    where = ".".join(str(p) for p in path)
    types = ", ".join(sorted(REQUIRED_FIELDS))
    if not isinstance(handler, dict):
        report.value(
            "CC805",
            path,
            f"{where} must be an object with a 'type', not {type_name(handler)}: {consequence}",
            'Write {"type": "command", "command": "..."}.',
        )
        return
    kind = handler.get("type")
    if not isinstance(kind, str) or kind not in REQUIRED_FIELDS:
        guess = suggest(kind, frozenset(REQUIRED_FIELDS), {}) if isinstance(kind, str) else None
        report.value(
            "CC805",
            (*path, "type") if "type" in handler else path,
            f"{where}: hook type {shown(kind) if 'type' in handler else 'missing'} is not one of "
            f"{types}: {consequence}",
            f'Write "type": "{guess or "command"}".',
        )
        return
    problems = [
        (field, f"needs a string {field!r}")
        for field in REQUIRED_FIELDS[kind]
        if not isinstance(handler.get(field), str)
    ]
    timeout = handler.get("timeout")
    if "timeout" in handler and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0
    ):
        problems.append(("timeout", f"timeout must be a positive number, not {shown(timeout)}"))
    problems += [
        (field, f"{field} must be a string, not {type_name(handler[field])}")
        for field in STRING_FIELDS
        if field in handler and not isinstance(handler[field], str)
    ]
    problems += [
        (field, f"{field} must be true or false, not {shown(handler[field])}")
        for field in BOOLEAN_FIELDS
        if field in handler and not isinstance(handler[field], bool)
    ]
    for field, problem in problems:
        report.value(
            "CC805",
            (*path, field) if field in handler else path,
            f"{where} ({kind} hook) {problem}: {consequence}",
            _handler_hint(kind, field),
        )
    command = handler.get("command")
    if kind == "command" and isinstance(command, str) and _unquoted_plugin_root(command):
        quoted = json.dumps(command.replace(PLUGIN_ROOT, f'"{PLUGIN_ROOT}"'))
        report.value(
            "CC806",
            (*path, "command"),
            f"{where}: {PLUGIN_ROOT} is not quoted; a plugin path with a space splits the command",
            f'Write "command": {quoted}.' if len(quoted) <= 160 else None,
        )


def _handler_hint(kind: str, field: str) -> str:
    if field == "timeout":
        return 'Write the timeout in seconds as a number: "timeout": 30.'
    if field in BOOLEAN_FIELDS:
        return f'Write "{field}": true or "{field}": false.'
    if field in STRING_FIELDS:
        return f'Write "{field}" as a string: "{field}": "...".'
    example = ", ".join(f'"{name}": "..."' for name in REQUIRED_FIELDS[kind])
    return f'Write {{"type": "{kind}", {example}}}.'


_QUOTE_OR_ROOT = re.compile(r"""\\.|["']|\$\{CLAUDE_PLUGIN_ROOT\}""")


def _unquoted_plugin_root(command: str) -> bool:
    """Whether ``${CLAUDE_PLUGIN_ROOT}`` appears outside shell quotes in ``command``."""
    quote = ""
    for match in _QUOTE_OR_ROOT.finditer(command):
        token = match.group()
        if token.startswith("\\"):
            continue
        if token in ("'", '"'):
            if not quote:
                quote = token
            elif quote == token:
                quote = ""
        elif not quote:
            return True
    return False
