"""``--fix`` and ``--diff`` for ``ml-agents lint``: plan the repairs, then write or show them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from pathlib import Path

import click

from ml_agents.lint.fix import plan_fixes
from ml_agents.lint.fix_write import unified_diff, write_fix


def run_fixes(paths: Sequence[Path], skip: Collection[str], *, write: bool) -> bool:
    """Repair (``write``) or show the repairs as a diff on stdout; True when there were any.

    What was fixed, and what was not and why, goes to stderr, so that stdout stays the report
    (or the diff) in the format asked for."""
    fixes = plan_fixes(paths, skip=skip)
    files = 0
    findings = 0
    for fix in fixes:
        for note in fix.notes:
            click.echo(f"ml-agents lint: {fix.target.display}: not fixed: {note}", err=True)
        if fix.fixed == fix.original:
            continue
        if not write:
            click.echo(unified_diff(fix), nl=False)
        else:
            problem = write_fix(fix)
            if problem is not None:
                click.echo(f"ml-agents lint: {fix.target.display}: {problem}", err=True)
                continue
            counts = Counter(fix.fixed_codes)
            what = ", ".join(
                f"{code} x{n}" if n > 1 else code for code, n in sorted(counts.items())
            )
            click.echo(f"fixed {fix.target.display}: {what}", err=True)
        files += 1
        findings += len(fix.fixed_codes)
    verb = "fixed" if write else "would fix"
    if files:
        click.echo(f"{verb} {_count(findings, 'finding')} in {_count(files, 'file')}", err=True)
    elif not write:
        click.echo("nothing to fix", err=True)
    return files > 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
