"""Checks for workflow scripts (``workflows/*.js``), judged as Claude Code 2.1.332 loads them.

The client skips the file, with one line in ``--debug-file`` only, when its first statement is not
``export const meta = {...}``, when ``meta`` is not a pure literal or lacks a non-empty ``name``
and ``description``. Before a run it parses the whole script (plain JavaScript, ES modules,
``await`` and ``return`` at the top level allowed) and refuses one that does not parse; 2.1.332
lists such a script (its list reads only ``meta``), 2.1.197 does not. At run time ``Date.now()``,
``Math.random()`` and an argless ``new Date()`` throw, and an unknown ``agentType`` fails the run.
``meta`` is read in workflow_meta.py; agent names are resolved across files in workflow_agents.py.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ml_agents.lint import jsparse, rules, workflow_agents, workflow_meta
from ml_agents.lint.positions import shown
from ml_agents.lint.result import Finding
from ml_agents.lint.workflow_agents import WorkflowRecord

if TYPE_CHECKING:
    from tree_sitter import Node

    from ml_agents.lint.discover import Target

SIZE_LIMIT = 524_288  # characters (JavaScript string length), from the client's loader
LOADED_SUFFIX = ".js"


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
    meta, meta_findings = workflow_meta.read_meta(display, root, source)
    findings += meta_findings
    if meta is not None:
        findings += workflow_meta.dropped_phase_entries(display, root, source)
        findings += _phase_findings(display, meta, root, source)
    findings += _nondeterministic_calls(display, root, source)
    return findings, WorkflowRecord(target, workflow_agents.agent_type_uses(root, source))


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


def _used_phase_titles(root: Node) -> list[tuple[str, Node]]:
    used = []
    for node in jsparse.walk(root):
        if node.type == "call_expression" and jsparse.callee(node) == "phase":
            first = jsparse.call_arguments(node)[:1]
            title = jsparse.string_value(first[0]) if first else None
            if title is not None:
                used.append((title, first[0]))
        elif node.type == "pair" and jsparse.key_text(node) == "phase":
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
    return call is not None and call.type == "call_expression" and jsparse.callee(call) == "agent"


# --- calls that throw ----------------------------------------------------------------------------


def _nondeterministic_calls(display: str, root: Node, source: bytes) -> list[Finding]:
    findings = []
    for node in jsparse.walk(root):
        what = None
        if node.type == "call_expression" and jsparse.callee(node) in ("Date.now", "Math.random"):
            what = f"{jsparse.callee(node)}()"
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
