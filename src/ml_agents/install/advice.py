"""What to tell a user whose install is blocked: only ways out that work for these conflicts."""

from __future__ import annotations

from collections.abc import Callable

from ml_agents.install import plan as p


def blocked_advice(plan: p.Plan, excludable: Callable[[str], bool]) -> str:
    """``excludable(name)``: leaving this bundle name out still gives a valid selection (a
    command cannot lose the agents it launches)."""
    conflicts = [a for a in plan.actions if a.kind == p.CONFLICT]
    installed = {d.path: d for d in plan.installed}
    at_our_paths = [installed[a.path] for a in conflicts if a.path in installed]
    ways = []
    if at_our_paths:
        ways.append(
            "--adopt keeps a file at our path as your changed copy of ours (updates then merge "
            "into it)"
        )
        ways.append("--force moves it to a backup and installs ours")
    clashing = [c for c in plan.clashes if c.blocking]
    if clashing:
        ways.append("--prefix P installs our agents under other names, e.g. --prefix ml-")
    names = {d.name for d in at_our_paths} | {c.name for c in clashing}
    bundle_names = sorted({_bundle_name(n, plan.prefix) for n in names})
    left_out = [n for n in bundle_names if excludable(n)]
    if left_out:
        ways.append(f"--exclude {','.join(left_out)} leaves {_them(left_out)} out")
    needed = [n for n in bundle_names if n not in left_out]
    if needed:
        names_text = ", ".join(needed)
        ways.append(f"({names_text} cannot be left out: a command launches {_them(needed)})")
    return f"Nothing was written: {len(conflicts)} conflict(s). {'; '.join(ways)}."


def _bundle_name(installed_name: str, prefix: str) -> str:
    return installed_name.removeprefix(prefix) if prefix else installed_name


def _them(names: list[str]) -> str:
    return "it" if len(names) == 1 else "them"
