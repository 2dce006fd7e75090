"""Checks for workflow scripts (``workflows/*.js``), judged as Claude Code 2.1.332 loads them.

The client skips the file, with one line in ``--debug-file`` only, when its first statement is not
``export const meta = {...}``, when ``meta`` is not a pure literal or lacks a non-empty ``name``
and ``description``. Before a run it parses the whole script (plain JavaScript, ES modules,
``await`` and ``return`` at the top level allowed) and refuses one that does not parse; 2.1.332
lists such a script (its list reads only ``meta``), 2.1.197 does not. At run time ``Date.now()``,
``Math.random()`` and an argless ``new Date()`` throw, and an unknown ``agentType`` fails the run.
Agent names are resolved across files (see ``unknown_agent_types``), the rest from the file alone.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ml_agents.frontmatter import Position
from ml_agents.lint import jsparse, rules, spec
from ml_agents.lint.positions import shown
from ml_agents.lint.result import Finding

if TYPE_CHECKING:
    from tree_sitter import Node

    from ml_agents.lint.crossfile import AgentRecord
    from ml_agents.lint.discover import Target

SIZE_LIMIT = 524_288  # characters (JavaScript string length), from the client's loader
LOADED_SUFFIX = ".js"
IGNORED_SUFFIXES = (".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
RESERVED_KEYS = frozenset({"__proto__", "constructor", "prototype"})
SKIPPED_TOP_LEVEL = frozenset({"comment", "hash_bang_line"})
NEAR_MISS_CUTOFF = 0.85


class AgentTypeUse(NamedTuple):
    name: str
    position: Position


class WorkflowRecord(NamedTuple):
    """What the cross-file check needs from one script: the literal ``agentType`` names it uses."""

    target: Target
    uses: list[AgentTypeUse]


class _NotLiteral(Exception):
    def __init__(self, node: Node, reason: str) -> None:
        super().__init__(reason)
        self.node = node
        self.reason = reason


def check_workflow(target: Target, text: str) -> tuple[list[Finding], WorkflowRecord | None]:
    """Single-file findings for a script in a workflows folder, and its ``agentType`` names."""
    display = target.display
    suffix = target.path.suffix.lower()
    if suffix != LOADED_SUFFIX:
        return [_ignored_extension(display, suffix)], None
    if target.anchor is not None and not _same(target.path.parent, target.anchor):
        return [_nested(display, target)], None
    findings = _outside_manifest_paths(target)
    if len(text) > SIZE_LIMIT:
        message = (
            f"the script is {len(text):,} characters; Claude Code skips workflow scripts over "
            f"{SIZE_LIMIT:,}"
        )
        return [*findings, rules.make("CC003", display, 1, 1, message)], None
    source = text.encode("utf-8")
    try:
        root = jsparse.parse(source)
    except jsparse.MissingParser as missing:
        message = (
            f"not linted: the JavaScript parser is not installed ({missing}); reinstall ml-agents "
            "with its dependencies (pip install --force-reinstall ml-agents)"
        )
        return [*findings, rules.make("CC000", display, 1, 1, message)], None
    broken = jsparse.syntax_error(root)
    if broken is not None:
        findings.append(_parse_error(display, broken, source))
        return findings, None
    meta, meta_findings = _meta(display, root, source)
    findings += meta_findings
    if meta is not None:
        findings += _dropped_phase_entries(display, _first_statement(root), source)
        findings += _phase_findings(display, meta, root, source)
    findings += _nondeterministic_calls(display, root, source)
    return findings, WorkflowRecord(target, _agent_type_uses(root, source))


def _ignored_extension(display: str, suffix: str) -> Finding:
    stem = Path(display).stem
    return rules.make(
        "CC910",
        display,
        1,
        1,
        f"Claude Code loads only *.js workflow scripts: this {suffix} file is ignored silently",
        f"Rename it to {stem}.js (plain JavaScript, no TypeScript syntax).",
    )


def _same(a: Path, b: Path) -> bool:
    """One folder, however each path was spelt (relative to the working folder or not)."""
    return a.absolute() == b.absolute()


def _nested(display: str, target: Target) -> Finding:
    assert target.anchor is not None
    folder = os.path.relpath(target.path.parent, target.anchor)
    return rules.make(
        "CC913",
        display,
        1,
        1,
        f"Claude Code reads only the top level of {target.anchor.name}/: this script in "
        f"{folder}/ is ignored silently",
        f"Move it to {target.anchor.name}/{target.path.name}.",
    )


def _parse_error(display: str, node: Node, source: bytes) -> Finding:
    where = jsparse.position(node, source)
    snippet = jsparse.text(node).split("\n", 1)[0].strip()
    if node.type in jsparse.JSX_TYPES:
        what = "JSX"
    elif node.is_missing:
        what = f"a missing {shown(node.type)}"
    else:
        what = f"{shown(snippet)}" if snippet else "this"
    hint = (
        "Build the text with strings, e.g. `const x = '<div>hi</div>'`, not JSX."
        if what == "JSX"
        else "Write plain JavaScript: drop type annotations, interfaces, generics and casts, e.g. "
        "`function f(x) {` instead of `function f(x: string): void {`; check quotes and "
        "brackets around here."
    )
    return rules.make(
        "CC901",
        display,
        where.line,
        where.col,
        f"Claude Code cannot parse this script at {what}, so it refuses to run the workflow "
        "('Script parse error'; 2.1.197 does not even list it)",
        hint,
    )


# --- meta ----------------------------------------------------------------------------------------


def _meta(display: str, root: Node, source: bytes) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The value of ``meta`` when the client accepts it, else the finding that says why not."""
    first = _first_statement(root)
    value = _meta_object(first)
    if value is None:
        node = first or root
        where = jsparse.position(node, source)
        found = jsparse.text(node).split("\n", 1)[0].strip()
        message = (
            "the script has no statements"
            if first is None
            else f"the first statement is {shown(found)}, not `export const meta = {{...}}`"
        )
        return None, [
            rules.make(
                "CC902",
                display,
                where.line,
                where.col,
                f"{message}; Claude Code skips the whole workflow",
                "Move `export const meta = { name: '...', description: '...' }` to the top, "
                "before every other statement (comments may stay above it).",
            )
        ]
    try:
        meta = _literal(value)
    except _NotLiteral as problem:
        where = jsparse.position(problem.node, source)
        key = _enclosing_key(problem.node, value)
        return None, [
            rules.make(
                "CC903",
                display,
                where.line,
                where.col,
                f"meta must be a pure literal ({problem.reason}), so Claude Code skips the "
                "whole workflow",
                f"Replace {shown(jsparse.text(problem.node))} with the text it stands for, e.g. "
                f"{key}: 'Reviews the plan'; keep computed values in the script body.",
            )
        ]
    assert isinstance(meta, dict)
    findings = []
    for key in ("name", "description"):
        field = meta.get(key)
        if isinstance(field, str) and field:
            continue
        where = jsparse.position(_property(value, key) or value, source)
        state = "is missing" if key not in meta else f"is {shown(field)}, not a non-empty string"
        findings.append(
            rules.make(
                "CC904",
                display,
                where.line,
                where.col,
                f"meta.{key} {state}, so Claude Code skips the whole workflow",
                f"Give meta a {key}, e.g. {key}: "
                + ("'review-phase'" if key == "name" else "'Reviews one phase of the plan'")
                + ".",
            )
        )
    return (None if findings else meta), findings


def _first_statement(root: Node) -> Node | None:
    return next((n for n in root.named_children if n.type not in SKIPPED_TOP_LEVEL), None)


def _enclosing_key(node: Node, meta: Node) -> str:
    """The meta key whose value holds ``node`` (``name`` when there is none)."""
    current: Node | None = node
    key = "name"
    while current is not None and current != meta:
        if current.type == "pair":
            key = _key_text(current)
        current = current.parent
    return key


def _meta_object(statement: Node | None) -> Node | None:
    """The ``{...}`` of ``export const meta = {...}`` when ``statement`` is exactly that."""
    if statement is None or statement.type != "export_statement":
        return None
    declaration = statement.child_by_field_name("declaration")
    if declaration is None or declaration.type != "lexical_declaration":
        return None
    if jsparse.text(declaration.children[0]) != "const":
        return None
    declarators = [c for c in declaration.named_children if c.type == "variable_declarator"]
    if len(declarators) != 1:
        return None
    name = declarators[0].child_by_field_name("name")
    value = _unwrapped(declarators[0].child_by_field_name("value"))
    if name is None or jsparse.text(name) != "meta" or value is None or value.type != "object":
        return None
    return value


def _unwrapped(node: Node | None) -> Node | None:
    """Parentheses leave no trace in the client's syntax tree."""
    while node is not None and node.type == "parenthesized_expression":
        node = node.named_children[0] if node.named_children else None
    return node


def _literal(node: Node) -> Any:
    """The value of a pure literal, by the client's own rules; ``_NotLiteral`` where it is not."""
    kind = node.type
    if kind in ("string", "template_string"):
        value = jsparse.string_value(node)
        if value is None:
            raise _NotLiteral(node, "template interpolation is not allowed")
        return value
    if kind == "number":
        return _number(jsparse.text(node))
    if kind in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[kind]
    if kind == "regex":
        return jsparse.text(node)
    if kind == "parenthesized_expression":
        inner = _unwrapped(node)
        return _literal(inner) if inner is not None else None
    if kind == "unary_expression":
        argument = _unwrapped(node.child_by_field_name("argument"))
        operator = node.child_by_field_name("operator")
        negative = operator is not None and jsparse.text(operator) == "-"
        if negative and argument is not None and argument.type == "number":
            return -_number(jsparse.text(argument))
        raise _NotLiteral(node, "only a negative number may use an operator")
    if kind == "array":
        return _array(node)
    if kind == "object":
        return _object(node)
    raise _NotLiteral(node, f"{_describe(node)} is not a literal")


def _array(node: Node) -> list[Any]:
    values: list[Any] = []
    expecting_value = True
    for child in node.children[1:-1]:
        if child.type == ",":
            if expecting_value:
                raise _NotLiteral(child, "an array may not have holes")
            expecting_value = True
            continue
        if child.type == "comment":
            continue
        if child.type == "spread_element":
            raise _NotLiteral(child, "spread (...) is not allowed")
        values.append(_literal(child))
        expecting_value = False
    return values


def _object(node: Node) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for child in node.named_children:
        if child.type == "comment":
            continue
        if child.type == "spread_element":
            raise _NotLiteral(child, "spread (...) is not allowed")
        if child.type == "method_definition":
            raise _NotLiteral(child, "methods and getters are not allowed")
        if child.type != "pair":
            raise _NotLiteral(child, f"{_describe(child)} is not a literal")
        key_node = child.child_by_field_name("key")
        value_node = child.child_by_field_name("value")
        assert key_node is not None and value_node is not None
        key = _key(key_node)
        values[key] = _literal(value_node)
    return values


def _key(node: Node) -> str:
    if node.type == "computed_property_name":
        raise _NotLiteral(node, "a computed key is not allowed")
    if node.type == "property_identifier":
        key = jsparse.text(node)
    elif node.type == "string":
        key = jsparse.string_value(node) or ""
    elif node.type == "number":
        key = _number_key(jsparse.text(node))
    else:
        raise _NotLiteral(node, f"{_describe(node)} cannot be a key")
    if key in RESERVED_KEYS:
        raise _NotLiteral(node, f"the key {key} is reserved")
    return key


def _describe(node: Node) -> str:
    if node.type in ("identifier", "shorthand_property_identifier", "undefined"):
        return f"the variable {jsparse.text(node)}"
    if node.type in ("call_expression", "new_expression"):
        return "a call"
    return f"a {node.type.replace('_', ' ')}"


def _number(text: str) -> float:
    cleaned = text.replace("_", "").rstrip("n")
    try:
        if cleaned[:2].lower() in ("0x", "0o", "0b"):
            return float(int(cleaned, 0))
        return float(cleaned)
    except ValueError:
        return 0.0


def _number_key(text: str) -> str:
    value = _number(text)
    return str(int(value)) if value.is_integer() else str(value)


def _property(node: Node, key: str) -> Node | None:
    for child in node.named_children:
        key_node = child.child_by_field_name("key") if child.type == "pair" else None
        if key_node is not None and jsparse.text(key_node).strip("'\"`") == key:
            return child
    return None


# --- phases --------------------------------------------------------------------------------------


def _phase_findings(display: str, meta: dict[str, Any], root: Node, source: bytes) -> list[Finding]:
    """Phase titles the script uses (``phase('X')``, ``agent(p, {phase: 'X'})``) that
    ``meta.phases`` does not declare."""
    declared_list = meta.get("phases")
    if not isinstance(declared_list, list):
        return []
    declared = [
        p["title"] for p in declared_list if isinstance(p, dict) and isinstance(p.get("title"), str)
    ]
    if not declared:
        return []
    findings = []
    for title, node in _used_phase_titles(root):
        if title in declared:
            continue
        where = jsparse.position(node, source)
        close = difflib.get_close_matches(title, declared, n=1, cutoff=0.6)
        suggestion = f"'{close[0]}'" if close else f"one of {', '.join(map(repr, declared))}"
        findings.append(
            rules.make(
                "CC905",
                display,
                where.line,
                where.col,
                f"phase {shown(title)} is not among meta.phases "
                f"({', '.join(map(repr, declared))}); its progress shows outside the phases "
                "the workflow announces",
                f"Use {suggestion} here, or add {{ title: '{title}' }} to meta.phases.",
            )
        )
    return findings


def _dropped_phase_entries(display: str, statement: Node | None, source: bytes) -> list[Finding]:
    """Entries of meta.phases the client drops: anything but an object with a string title."""
    meta = _meta_object(statement)
    phases = _property(meta, "phases") if meta is not None else None
    value = _unwrapped(phases.child_by_field_name("value")) if phases is not None else None
    if value is None:
        return []
    if value.type != "array":
        where = jsparse.position(value, source)
        message = "meta.phases is not a list, so Claude Code ignores it"
        return [rules.make("CC912", display, where.line, where.col, message)]
    findings = []
    for entry in value.named_children:
        if entry.type == "comment":
            continue
        literal = _literal(entry)
        if isinstance(literal, dict) and isinstance(literal.get("title"), str):
            continue
        where = jsparse.position(entry, source)
        title = literal if isinstance(literal, str) else "Review"
        findings.append(
            rules.make(
                "CC912",
                display,
                where.line,
                where.col,
                f"meta.phases entry {shown(jsparse.text(entry))} has no string title, so "
                "Claude Code drops it without a word",
                f"Write each phase as an object with a title, e.g. {{ title: '{title}' }}.",
            )
        )
    return findings


def _used_phase_titles(root: Node) -> list[tuple[str, Node]]:
    used = []
    for node in jsparse.walk(root):
        if node.type == "call_expression" and _callee(node) == "phase":
            first = _arguments(node)[:1]
            title = jsparse.string_value(first[0]) if first else None
            if title is not None:
                used.append((title, first[0]))
        elif node.type == "pair" and _key_text(node) == "phase":
            value = node.child_by_field_name("value")
            title = jsparse.string_value(value) if value is not None else None
            if value is not None and title is not None and _in_agent_options(node):
                used.append((title, value))
    return used


def _in_agent_options(pair: Node) -> bool:
    """``pair`` sits in an object literal passed straight to ``agent(...)``."""
    obj = pair.parent
    arguments = obj.parent if obj is not None else None
    call = arguments.parent if arguments is not None else None
    return call is not None and call.type == "call_expression" and _callee(call) == "agent"


def _callee(call: Node) -> str:
    function = call.child_by_field_name("function")
    return jsparse.text(function) if function is not None else ""


def _arguments(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return []
    return [c for c in arguments.named_children if c.type != "comment"]


def _key_text(pair: Node) -> str:
    key = pair.child_by_field_name("key")
    if key is None:
        return ""
    if key.type == "string":
        return jsparse.string_value(key) or ""
    return jsparse.text(key)


# --- calls that throw ----------------------------------------------------------------------------


def _nondeterministic_calls(display: str, root: Node, source: bytes) -> list[Finding]:
    findings = []
    for node in jsparse.walk(root):
        what = None
        if node.type == "call_expression" and _callee(node) in ("Date.now", "Math.random"):
            what = f"{_callee(node)}()"
        elif node.type == "new_expression":
            constructor = node.child_by_field_name("constructor")
            if constructor is not None and jsparse.text(constructor) == "Date":
                arguments = node.child_by_field_name("arguments")
                if arguments is None or not [
                    c for c in arguments.named_children if c.type != "comment"
                ]:
                    what = "new Date() without an argument"
        if what is None:
            continue
        where = jsparse.position(node, source)
        findings.append(
            rules.make(
                "CC909",
                display,
                where.line,
                where.col,
                f"{what} throws inside a workflow (runs must replay the same way), "
                "so the run fails here",
                "Take times and random choices from args, e.g. `const started = args.started` "
                "or `new Date(args.now)`, or have an agent produce them.",
            )
        )
    return findings


# --- agent types ---------------------------------------------------------------------------------


def _agent_type_uses(root: Node, source: bytes) -> list[AgentTypeUse]:
    """Every ``agentType: '<literal>'`` in the script (computed names cannot be checked)."""
    uses = []
    for node in jsparse.walk(root):
        if node.type != "pair" or _key_text(node) != "agentType":
            continue
        value = _unwrapped(node.child_by_field_name("value"))
        name = jsparse.string_value(value) if value is not None else None
        if value is not None and name is not None:
            uses.append(AgentTypeUse(name, jsparse.position(value, source)))
    return uses


def unknown_agent_types(
    workflows: list[WorkflowRecord], agents: list[AgentRecord]
) -> list[Finding]:
    """``agentType`` names the client would not find for each script's place.

    A plugin's script must name the plugin's agents ``<plugin>:<name>``; a project's script
    (``.claude/workflows``) names the project's ``.claude/agents`` by their bare names. Both may
    name the built-in agents. Names from elsewhere (another plugin, the user's own agents) are
    checked only for being one edit away from a known name.
    """
    findings = []
    for record in workflows:
        target = record.target
        plugin = _plugin_name(target.plugin_root) if target.plugin_root else None
        own = _own_agent_names(target, agents)
        qualified = {f"{plugin}:{name}" for name in own} if plugin else set(own)
        known = qualified | set(spec.BUILTIN_AGENTS)
        choices = sorted(known)
        for use in record.uses:
            finding = _agent_type_finding(target.display, use, plugin, own, known, choices)
            if finding is not None:
                findings.append(finding)
    return findings


def _agent_type_finding(
    display: str,
    use: AgentTypeUse,
    plugin: str | None,
    own: set[str],
    known: set[str],
    choices: list[str],
) -> Finding | None:
    name = use.name
    if name in known:
        return None
    line, col = use.position
    if plugin and name in own:
        return rules.make(
            "CC907",
            display,
            line,
            col,
            f"agentType {shown(name)} is this plugin's agent, which Claude Code knows only as "
            f"'{plugin}:{name}'; the run fails with \"agent type '{name}' not found\"",
            f"Write agentType: '{plugin}:{name}'.",
        )
    close = difflib.get_close_matches(name, choices, n=1, cutoff=NEAR_MISS_CUTOFF)
    if not close and plugin:  # a typo of one of the plugin's agents, written bare
        bare = difflib.get_close_matches(name, sorted(own), n=1, cutoff=NEAR_MISS_CUTOFF)
        close = [f"{plugin}:{bare[0]}"] if bare else []
    in_own_namespace = plugin is not None and name.startswith(f"{plugin}:")
    if close or in_own_namespace:
        place = f"plugin {plugin!r}" if plugin else "this project's .claude/agents"
        hint = (
            f"Write agentType: '{close[0]}'." if close else f"Add the agent to {place}'s agents/."
        )
        return rules.make(
            "CC906",
            display,
            line,
            col,
            f"no agent {shown(name)} exists in {place} or among the built-in agents; "
            f"the run fails with \"agent type '{name}' not found\"",
            hint,
        )
    if plugin and ":" not in name:
        return rules.make(
            "CC908",
            display,
            line,
            col,
            f"agentType {shown(name)} is not an agent of plugin {plugin!r} nor a built-in one; "
            "the workflow runs only for users who have their own agent by that name",
            f"Ship the agent in the plugin's agents/ and write agentType: '{plugin}:{name}'.",
        )
    return None


def _own_agent_names(target: Target, agents: list[AgentRecord]) -> set[str]:
    """The names of the agents that load beside the script: its plugin's, or its project's."""
    from ml_agents.lint.discover import real_folder

    if target.plugin_root is not None:
        base = real_folder(str(target.plugin_root)) + os.sep
    elif target.anchor is not None:
        base = real_folder(str(target.anchor.parent / "agents")) + os.sep
    else:
        return set()
    names = set()
    for agent in agents:
        if not agent.key.startswith(base):
            continue
        names.add(agent.name)
        if target.plugin_root is not None and len(agent.scope) > 1:
            names.add(":".join((*agent.scope[1:], agent.name)))
    return names


def agent_folders(target: Target) -> list[Path]:
    """The agents/ folders whose agents a script may name without a namespace of its own."""
    if target.plugin_root is not None:
        return [target.plugin_root / "agents"]
    if target.anchor is not None and target.anchor.parent.name == ".claude":
        return [target.anchor.parent / "agents"]
    return []


def _plugin_name(root: Path) -> str | None:
    try:
        data = json.loads((root / ".claude-plugin" / "plugin.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None


# --- plugin.json workflows key -------------------------------------------------------------------


def _outside_manifest_paths(target: Target) -> list[Finding]:
    """A script in a plugin's default workflows/ folder when plugin.json names other paths."""
    root = target.plugin_root
    if root is None or target.anchor is None or not _same(target.anchor, root / "workflows"):
        return []
    try:
        data = json.loads((root / ".claude-plugin" / "plugin.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return []
    value = data.get("workflows") if isinstance(data, dict) else None
    entries = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if entries is None:
        return []
    listed = [(root / e).absolute() for e in entries if isinstance(e, str)]
    path = target.path.absolute()
    if any(path == entry or entry in path.parents for entry in listed):
        return []
    shown_entries = ", ".join(json.dumps(e) for e in entries if isinstance(e, str)) or "nothing"
    return [
        rules.make(
            "CC911",
            target.display,
            1,
            1,
            f'plugin.json\'s "workflows" key ({shown_entries}) replaces the default workflows/ '
            "folder, so Claude Code never loads this script",
            f'List the folder too: "workflows": [{shown_entries}, "./workflows/"].'
            if entries
            else '"workflows": ["./workflows/"]',
        )
    ]
