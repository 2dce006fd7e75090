"""How plans, results and status are shown: lines for people, one JSON document for scripts."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ml_agents.install import plan as p
from ml_agents.install.clashes import Clash
from ml_agents.install.manifest import MERGE_SUFFIX, PRISTINE_DIR
from ml_agents.install.routes import is_our_plugin, notice_lines, two_routes
from ml_agents.install.status import OK, Status, estimate_tokens
from ml_agents.lint.result import Finding
from ml_agents.output import clip

NEXT_STEP = (
    "Next: restart Claude Code (or run /agents) so it loads the new agents, then run "
    "/ml-integration <goal>."
)
NEXT_STEP_AGENTS_ONLY = "Next: restart Claude Code (or run /agents) so it loads the new agents."

LABELS = {
    p.CLEANUP: "cleanup",
    p.WRITE_JOURNAL: "write",
    p.MKDIR: "mkdir",
    p.CREATE: "create",
    p.REPLACE: "replace",
    p.UNCHANGED: "unchanged",
    p.KEEP: "keep",
    p.CONFLICT: "conflict",
    p.FORCE_REPLACE: "replace!",
    p.REMOVE: "remove",
    p.REMOVE_NEW: "remove",
    p.RELEASE: "keep",
    p.FORGET: "forget",
    p.BACKUP_REMOVE: "backup",
    p.RMDIR: "rmdir",
    p.KEEP_DIR: "keep",
    p.KEEP_BACKUP: "keep",
    p.WRITE_MANIFEST: "write",
    p.REMOVE_MANIFEST: "remove",
    p.REMOVE_JOURNAL: "remove",
    p.MERGE: "merge",
    p.MERGE_CONFLICT: "keep",
    p.ADOPT: "adopt",
    p.WRITE_PRISTINE: "write",
    p.REMOVE_PRISTINE: "remove",
}

# what the summary counts, by action kind
SUMMARY = {
    p.CREATE: "created",
    p.REPLACE: "updated",
    p.FORCE_REPLACE: "replaced after a backup",
    p.UNCHANGED: "unchanged",
    p.KEEP: "kept (modified by you)",
    p.CONFLICT: "conflicts",
    p.REMOVE: "removed",
    p.BACKUP_REMOVE: "moved to a backup",
    p.RELEASE: "kept and released",
    p.MERGE: "merged into your file",
    p.MERGE_CONFLICT: "kept with merge conflicts beside",
    p.ADOPT: "adopted",
}
# kinds that change what the client loads: only then is a restart worth suggesting
LOADED_CHANGES = frozenset(
    {p.CREATE, p.REPLACE, p.FORCE_REPLACE, p.MERGE, p.REMOVE, p.BACKUP_REMOVE}
)
# the same counts for a plan that was not applied (a dry run, or blocked by a conflict)
PLANNED = {
    kind: label if kind in (p.UNCHANGED, p.CONFLICT) else f"would be {label}"
    for kind, label in SUMMARY.items()
}


def is_bookkeeping(action: p.Action) -> bool:
    """ml-agents' own records (manifest, journal, pristine copies): shown with --verbose."""
    return action.kind in p.BOOKKEEPING or action.path == PRISTINE_DIR


def action_line(action: p.Action) -> str:
    label = LABELS.get(action.kind, action.kind)
    path = action.path + ("/" if action.kind in (p.MKDIR, p.RMDIR, p.KEEP_DIR) else "")
    detail = f" ({action.detail})" if action.detail else ""
    return f"{label:<10} {path}{detail}"


def header(command: str, plan: p.Plan, target: Path, scope: str, dry_run: bool) -> str:
    arrow = "→" if command == "install" else "from"
    prefix = f", prefix {plan.prefix!r}" if plan.prefix else ""
    previous = ""
    if command == "install" and plan.previous_version and plan.previous_version != plan.version:
        previous = f" (replacing {plan.previous_version})"
    dry = "\n(dry run: the plan below is what would happen; nothing is written)" if dry_run else ""
    if plan.blocked and not dry_run:
        conflicts = sum(a.kind == p.CONFLICT for a in plan.actions)
        dry = (
            f"\n(blocked by {conflicts} conflict(s): the plan below is what would have happened; "
            "nothing was written)"
        )
    version = f"{plan.version}{previous}{prefix}"
    return f"ml-agents {command} {version} {arrow} {target} ({scope} scope){dry}"


def clash_lines(clashes: Sequence[Clash], scope: str, target: Path) -> list[str]:
    """The ml-agents plugin's copies of our agents in one notice; each other clash on a line."""
    both = two_routes(clashes, scope, target)
    lines = notice_lines(both) if both else []
    others = [c for c in clashes if not is_our_plugin(c)]
    if others:
        lines.append("Name clashes:")
    for clash in others:
        lines.append(f"  {clash.name}: {clash.explanation}")
    return lines


def summary_line(actions: Sequence[p.Action], *, applied: bool) -> str:
    """Counts of what was done; of what would have been done when ``applied`` is false."""
    labels = SUMMARY if applied else PLANNED
    counts = Counter(labels[a.kind] for a in actions if a.kind in labels and not _meta(a))
    if not counts:
        return "Nothing to do."
    return ", ".join(f"{n} {label}" for label, n in counts.items()) + "."


def _meta(action: p.Action) -> bool:
    return action.kind == p.KEEP and not action.path.endswith(".md")


def finding_lines(findings: Sequence[Finding]) -> list[str]:
    return [
        f"{f.path}:{f.line}:{f.col}: {f.severity} {f.code} {f.message}"
        + (f" ({f.hint})" if f.hint else "")
        for f in findings
    ]


def plan_json(
    command: str,
    plan: p.Plan | None,
    *,
    target: Path,
    scope: str,
    dry_run: bool,
    done: Sequence[p.Action],
    result: str,
    exit_code: int,
    error: str | None = None,
    findings: Sequence[Finding] = (),
    next_step: str | None = None,
) -> str:
    """The one JSON document ``--json`` prints for install and uninstall.

    Keys: command, dry_run, target, scope, version, previous_version, prefix, result (``ok``,
    ``unchanged``, ``blocked``, ``invalid-bundle``, ``error``), exit_code, actions (action, path,
    detail, aside, done), steps (op, path), clashes, two_routes, lint, error, next_step.
    """
    done_keys = {(a.kind, a.path) for a in done}
    actions = list(plan.actions) if plan else []
    document: dict[str, Any] = {
        "command": command,
        "dry_run": dry_run,
        "target": str(target),
        "scope": scope,
        "version": plan.version if plan else None,
        "previous_version": plan.previous_version if plan else None,
        "prefix": plan.prefix if plan else None,
        "result": result,
        "exit_code": exit_code,
        "actions": [
            {
                "action": a.kind,
                "path": a.path,
                "detail": a.detail,
                "aside": a.aside or None,
                "done": (a.kind, a.path) in done_keys,
            }
            for a in actions
        ],
        "steps": [s._asdict() for s in p.steps(plan)] if plan else [],
        "clashes": [c._asdict() for c in plan.clashes] if plan else [],
        "two_routes": _routes_json(plan.clashes if plan else (), scope, target),
        "lint": [f._asdict() for f in findings],
        "error": error,
        "next_step": next_step,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _routes_json(clashes: Sequence[Clash], scope: str, target: Path) -> dict[str, Any] | None:
    """``{names, characters, remove_plugin, remove_copy}`` when the plugin route is active too."""
    both = two_routes(clashes, scope, target)
    if both is None:
        return None
    document = both._asdict()
    document["characters"] = document.pop("chars")
    document["names"] = list(both.names)
    return document


def status_lines(status: Status) -> list[str]:
    lines = [f"ml-agents {status.package_version} (this package)"]
    for scope in status.scopes:
        lines.append("")
        lines.append(f"{scope.scope} scope: {clip(str(scope.target))}")
        if scope.error:
            lines.append(f"  error: {scope.error}")
            continue
        if scope.installed_version is None:
            lines.append("  not installed")
            continue
        package = status.package_version
        state = {
            "up-to-date": "up to date",
            "outdated": f"older than this package ({package}): run `ml-agents install`",
            "newer": f"newer than this package ({package})",
            "different": f"differs from this package ({package})",
        }[scope.state]
        prefix = f", prefix {scope.prefix!r}" if scope.prefix else ""
        lines.append(f"  installed {scope.installed_version}: {state}{prefix}")
        for item in scope.files:
            detail = f" ({item.detail})" if item.detail else ""
            lines.append(f"  {item.state:<9} {item.path}{detail}")
        for item in scope.side_files:
            label = item.state
            if item.state == OK:
                label = "conflict" if item.path.endswith(MERGE_SUFFIX) else "new"
            lines.append(f"  {label:<9} {item.path} ({item.detail})")
        for backup in scope.backups:
            lines.append(
                f"  {'backup':<9} {backup} (your file, moved aside by --force; yours to delete)"
            )
        agents, commands = scope.agent_description_chars, scope.command_description_chars
        total = agents + commands
        lines.append(
            f"  context cost: {total:,} characters of descriptions sent with every request "
            f"(agents {agents:,}, command {commands:,}), "
            f"about {estimate_tokens(total):,} tokens (estimate: characters / 4)"
        )
        both = two_routes(scope.clashes, scope.scope, scope.target)
        if both:
            lines += notice_lines(both, indent="  ")
        for clash in scope.clashes:
            if not is_our_plugin(clash):
                lines.append(f"  clash     {clash.name}: {clash.explanation}")
    if status.duplicates:
        lines.append("")
        lines.append("Agent names defined more than once (the client keeps one of each):")
        for name, defs in status.duplicates.items():
            places = "; ".join(f"{d.path} ({d.scope})" for d in defs)
            lines.append(f"  {name}: {places}")
    return lines


def status_json(status: Status) -> str:
    """``status --json``: command, package_version, scopes[] (scope, target, installed_version,
    state, prefix, files[{path, state, detail}], side_files, backups, context_cost{characters,
    agent_characters, command_characters, tokens_estimate}, clashes, two_routes, error), and
    duplicates ({name: [{path, scope}]}).
    """
    scopes = []
    for scope in status.scopes:
        total = scope.agent_description_chars + scope.command_description_chars
        scopes.append(
            {
                "scope": scope.scope,
                "target": str(scope.target),
                "installed_version": scope.installed_version,
                "state": scope.state,
                "prefix": scope.prefix,
                "files": [f._asdict() for f in scope.files],
                "side_files": [f._asdict() for f in scope.side_files],
                "backups": list(scope.backups),
                "context_cost": {
                    "characters": total,
                    "agent_characters": scope.agent_description_chars,
                    "command_characters": scope.command_description_chars,
                    "tokens_estimate": estimate_tokens(total),
                },
                "clashes": [c._asdict() for c in scope.clashes],
                "two_routes": _routes_json(scope.clashes, scope.scope, scope.target),
                "error": scope.error or None,
            }
        )
    duplicates = {
        name: [{"path": str(d.path), "scope": d.scope} for d in defs]
        for name, defs in status.duplicates.items()
    }
    document = {
        "command": "status",
        "package_version": status.package_version,
        "scopes": scopes,
        "duplicates": duplicates,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
