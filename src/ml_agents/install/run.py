"""The three verbs end to end: resolve the target, read the bundle, lint, plan, lock, apply, report.

``ML_AGENTS_TIMINGS=1`` prints the time spent in each phase to stderr (used by the benchmark).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from ml_agents.install import plan as p
from ml_agents.install import report
from ml_agents.install.apply import (
    ChangedWhileRunning,
    apply_plan,
    describe_os_error,
    remove_target_if_empty,
)
from ml_agents.install.clashes import find_clashes, scan_others
from ml_agents.install.fsops import (
    FAULT_ENV,
    Faults,
    LockBusy,
    UnsafePath,
    lock_timeout,
    target_lock,
)
from ml_agents.install.manifest import (
    EMPTY,
    LOCK_NAME,
    TEMP_MARK,
    ManifestError,
    read_journal,
    read_manifest,
)
from ml_agents.install.payload import (
    Bundle,
    BundleError,
    DesiredFile,
    SelectionError,
    check_prefix,
    desired_files,
    load_bundle,
    select,
)
from ml_agents.install.scopes import (
    PROJECT,
    USER,
    Target,
    project_chain,
    resolve_target,
    same_folder,
    user_config_dir,
)
from ml_agents.lint.result import ERROR, Finding

TIMINGS_ENV = "ML_AGENTS_TIMINGS"


class Timer:
    """Wall time per phase, printed to stderr when ``ML_AGENTS_TIMINGS`` is set."""

    __slots__ = ("last", "phases")

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.phases: dict[str, float] = {}

    def mark(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + (now - self.last) * 1000
        self.last = now

    def emit(self) -> None:
        if os.environ.get(TIMINGS_ENV):
            rounded = {k: round(v, 2) for k, v in self.phases.items()}
            print(f"ml-agents timings-ms {json.dumps(rounded)}", file=sys.stderr)


class Failure(Exception):
    """Stop the verb with exit code 1 and this one-line message."""

    def __init__(self, message: str, result: str = "error") -> None:
        super().__init__(message)
        self.result = result


def _fail_line(command: str, message: str) -> None:
    click.echo(f"ml-agents {command}: error: {message}", err=True)


def _check_target(path: Path) -> None:
    if path.is_symlink() and not path.exists():
        raise Failure(f"{path} is a symlink to {path.readlink()}, which does not exist")
    if path.exists() and not path.is_dir():
        raise Failure(f"{path} is not a folder")
    if not path.exists() and not path.parent.is_dir():
        raise Failure(f"cannot create {path}: its parent folder {path.parent} does not exist")


def _targets_for_scope(scope: str | None, target: str | None) -> Target:
    if scope is not None and target is not None:
        raise click.UsageError("use either --scope or --target, not both")
    return resolve_target(scope, target, Path.cwd())


def _faults() -> Faults:
    try:
        return Faults(os.environ.get(FAULT_ENV))
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def lint_bundle(bundle: Bundle, timer: Timer) -> list[Finding]:
    from ml_agents.lint.engine import lint_paths

    timer.mark("lint_import")
    try:
        findings = lint_paths([f.source for f in bundle.files])
    except Exception as error:  # the linter is another module: report, never crash the install
        raise Failure(f"the linter failed on the bundle: {error}", "invalid-bundle") from None
    timer.mark("lint")
    return findings


def _plan_install(
    target: Path,
    desired: list[DesiredFile],
    bundle: Bundle,
    prefix: str,
    *,
    force: bool,
    target_created: bool,
    target_ours: bool = False,
) -> p.Plan:
    try:
        manifest = read_manifest(target) if target.is_dir() else None
        journal = read_journal(target) if target.is_dir() else ()
    except ManifestError as error:
        raise Failure(str(error)) from None
    user_dir = user_config_dir()
    chain = project_chain(Path.cwd())
    place, in_target, others = scan_others(target, user_dir, chain)
    ours = [(d.name, target / d.path) for d in desired if d.kind == "agents"]
    skip = [target / d.path for d in desired]
    if manifest is not None:
        skip += [target / f.path for f in manifest.files]
    clashes = find_clashes(ours, place, in_target, others, skip)
    plan = p.plan_install(
        target,
        desired,
        bundle.version,
        prefix,
        manifest,
        journal,
        force=force,
        clashes=clashes,
        target_created=target_created,
        target_ours=target_ours,
    )
    return plan


def run_install(
    scope: str | None,
    target_option: str | None,
    dry_run: bool,
    as_json: bool,
    force: bool,
    prefix_option: str | None,
    only: Sequence[str],
    exclude: Sequence[str],
) -> int:
    timer = Timer()
    target = _targets_for_scope(scope, target_option)
    faults = _faults()
    done: list[p.Action] = []
    plan: p.Plan | None = None
    findings: list[Finding] = []

    def finish(
        result: str, code: int, error: str | None = None, next_step: str | None = None
    ) -> int:
        if as_json:
            click.echo(
                report.plan_json(
                    "install",
                    plan,
                    target=target.path,
                    scope=target.scope,
                    dry_run=dry_run,
                    done=done,
                    result=result,
                    exit_code=code,
                    error=error,
                    findings=findings,
                    next_step=next_step,
                )
            )
        elif error:
            _fail_line("install", error)
        timer.mark("report")
        timer.emit()
        return code

    try:
        bundle = load_bundle()
        timer.mark("bundle")
        findings = lint_bundle(bundle, timer)
        errors = [f for f in findings if f.severity == ERROR]
        if errors:
            if not as_json:
                for line in report.finding_lines(errors):
                    click.echo(line, err=True)
            raise Failure(
                f"the bundle at {bundle.root} has {len(errors)} lint error(s); nothing was "
                "installed",
                "invalid-bundle",
            )
        _check_target(target.path)
        try:
            manifest = read_manifest(target.path) if target.path.is_dir() else None
        except ManifestError as error:
            raise Failure(str(error)) from None
        prefix = (
            prefix_option if prefix_option is not None else (manifest.prefix if manifest else "")
        )
        agent_names = [a.name for a in bundle.agents]
        try:
            check_prefix(prefix, agent_names)
            selected = select(bundle, only, exclude)
        except SelectionError as error:
            raise click.UsageError(str(error)) from None
        desired = desired_files(selected, prefix, agent_names)
        timer.mark("select")
        existed = target.path.is_dir()
        leftovers = existed and only_our_leftovers(target.path)
        if dry_run or existed:
            plan = _plan_install(
                target.path,
                desired,
                bundle,
                prefix,
                force=force,
                target_created=not existed,
                target_ours=leftovers,
            )
            timer.mark("plan")
            if dry_run or plan.blocked:
                return _show_install(plan, target, dry_run, as_json, finish, done)
            if not _needs_changes(plan, target.path):
                return _show_install(plan, target, dry_run, as_json, finish, done)
        created = False
        if not existed:
            target.path.mkdir()
            created = True
        try:
            with target_lock(target.path, lock_timeout()):
                timer.mark("lock")
                plan = _plan_install(
                    target.path,
                    desired,
                    bundle,
                    prefix,
                    force=force,
                    target_created=created,
                    target_ours=leftovers,
                )
                timer.mark("plan")
                if plan.blocked:
                    return _show_install(plan, target, dry_run, as_json, finish, done)
                try:
                    apply_plan(target.path, plan, faults, done.append)
                finally:
                    timer.mark("apply")
                    if not as_json:
                        _print_header_and_lines("install", plan, target, dry_run, done)
        except BaseException:
            if created:  # a failed first write leaves no empty folder that nobody owns
                with contextlib.suppress(OSError):
                    remove_target_if_empty(target.path)
            raise
        return _show_install(plan, target, dry_run, as_json, finish, done, printed=True)
    except Failure as failure:
        return finish(failure.result, 1, str(failure))
    except BundleError as error:
        return finish("invalid-bundle", 1, f"{error}; nothing was installed")
    except (UnsafePath, LockBusy, ChangedWhileRunning) as error:
        return finish("error", 1, str(error))
    except OSError as error:
        return finish("error", 1, _write_failure(error, plan, done, "install"))


def _write_failure(error: OSError, plan: p.Plan | None, done: Sequence[p.Action], verb: str) -> str:
    message = describe_os_error(error)
    if plan is None:
        return message
    total = len([a for a in plan.actions if a.kind in report.LABELS])
    return (
        f"{message}. {len(done)} of {total} actions were completed and no file is half-written; "
        f"fix the cause and run `ml-agents {verb}` again to finish"
    )


def only_our_leftovers(target: Path) -> bool:
    """True when ``target`` holds only a lock or temp files: a run of ours made it and was killed
    before its journal recorded that."""
    names = [entry.name for entry in target.iterdir()]
    ours = [n for n in names if n == LOCK_NAME or (n.startswith(".") and TEMP_MARK in n)]
    return bool(ours) and len(ours) == len(names)


def _needs_changes(plan: p.Plan, target: Path) -> bool:
    if p.steps(plan) or any(a.kind == p.CLEANUP for a in plan.actions):
        return True
    return os.path.lexists(target / LOCK_NAME)


def _print_header_and_lines(
    command: str, plan: p.Plan, target: Target, dry_run: bool, actions: Sequence[p.Action]
) -> None:
    click.echo(report.header(command, plan, target.path, target.scope, dry_run))
    for action in actions:
        click.echo(report.action_line(action))


def _show_install(
    plan: p.Plan,
    target: Target,
    dry_run: bool,
    as_json: bool,
    finish: Callable[..., int],
    done: Sequence[p.Action],
    *,
    printed: bool = False,
) -> int:
    applied = not dry_run and not plan.blocked
    if plan.blocked:
        result, code = "blocked", 1
    elif not p.steps(plan) and applied:
        result, code = "unchanged", 0
    else:
        result, code = "ok", 0
    has_command = any(d.kind == "commands" for d in plan.installed)
    next_step = None
    if applied:
        next_step = report.NEXT_STEP if has_command else report.NEXT_STEP_AGENTS_ONLY
    if not as_json:
        if not printed:
            _print_header_and_lines("install", plan, target, dry_run, plan.actions)
        for line in report.clash_lines(plan.clashes):
            click.echo(line)
        click.echo(report.summary_line(plan.actions))
        if plan.blocked:
            click.echo(blocked_advice(plan), err=True)
        elif dry_run:
            click.echo("Dry run: nothing was written.")
        if next_step:
            click.echo(next_step)
    return finish(result, code, None, next_step)


def blocked_advice(plan: p.Plan) -> str:
    conflicts = [a for a in plan.actions if a.kind == p.CONFLICT]
    ours = {d.path for d in plan.installed}
    ways = []
    if any(a.path in ours for a in conflicts):
        ways.append("--force replaces a file at our path after a backup")
    ways.append("--prefix P installs our agents under other names")
    ways.append("--exclude NAME leaves one out")
    return f"Nothing was written: {len(conflicts)} conflict(s). {'; '.join(ways)}."


def run_uninstall(
    scope: str | None, target_option: str | None, dry_run: bool, as_json: bool, force: bool
) -> int:
    timer = Timer()
    target = _targets_for_scope(scope, target_option)
    faults = _faults()
    done: list[p.Action] = []
    plan: p.Plan | None = None

    def finish(result: str, code: int, error: str | None = None) -> int:
        if as_json:
            click.echo(
                report.plan_json(
                    "uninstall",
                    plan,
                    target=target.path,
                    scope=target.scope,
                    dry_run=dry_run,
                    done=done,
                    result=result,
                    exit_code=code,
                    error=error,
                )
            )
        elif error:
            _fail_line("uninstall", error)
        timer.emit()
        return code

    def make_plan() -> p.Plan | None:
        try:
            manifest = read_manifest(target.path)
            journal = read_journal(target.path)
        except ManifestError as error:
            raise Failure(str(error)) from None
        if manifest is None and not journal:
            return None
        return p.plan_uninstall(
            target.path, manifest or EMPTY, journal, force=force, has_manifest=manifest is not None
        )

    try:
        plan = make_plan() if target.path.is_dir() else None
        if plan is None:
            if not as_json:
                click.echo(f"Nothing to uninstall: ml-agents has no manifest in {target.path}.")
            return finish("unchanged", 0)
        if dry_run:
            return _show_uninstall(plan, target, dry_run, as_json, finish, plan.actions)
        with target_lock(target.path, lock_timeout()):
            plan = make_plan()
            if plan is None:
                return finish("unchanged", 0)
            try:
                apply_plan(target.path, plan, faults, done.append)
            finally:
                if not as_json:
                    _print_header_and_lines("uninstall", plan, target, dry_run, done)
        if any(a.kind == p.RMDIR and a.path == "." for a in plan.actions):
            if remove_target_if_empty(target.path):
                done.append(p.Action(p.RMDIR, ".", "created by ml-agents, now empty"))
                if not as_json:
                    click.echo(report.action_line(done[-1]))
            elif not as_json:
                click.echo(report.action_line(p.Action(p.KEEP_DIR, ".", "not empty: kept")))
        return _show_uninstall(plan, target, dry_run, as_json, finish, done, printed=True)
    except Failure as failure:
        return finish(failure.result, 1, str(failure))
    except (UnsafePath, LockBusy, ChangedWhileRunning) as error:
        return finish("error", 1, str(error))
    except OSError as error:
        return finish("error", 1, _write_failure(error, plan, done, "uninstall"))


def _show_uninstall(
    plan: p.Plan,
    target: Target,
    dry_run: bool,
    as_json: bool,
    finish: Callable[..., int],
    actions: Sequence[p.Action],
    *,
    printed: bool = False,
) -> int:
    if not as_json:
        if not printed:
            _print_header_and_lines("uninstall", plan, target, dry_run, actions)
        click.echo(report.summary_line(plan.actions))
        done = "Done: ml-agents owns nothing here any more."
        click.echo("Dry run: nothing was written." if dry_run else done)
    return int(finish("ok", 0))


def run_status(scope: str | None, target_option: str | None, as_json: bool) -> int:
    from ml_agents.install.status import collect_status

    if scope is not None and target_option is not None:
        raise click.UsageError("use either --scope or --target, not both")
    cwd = Path.cwd()
    if target_option is not None or scope is not None:
        targets = [resolve_target(scope, target_option, cwd)]
    else:
        targets = [resolve_target(USER, None, cwd)]
        project = resolve_target(PROJECT, None, cwd)
        if not same_folder(project.path, targets[0].path):
            targets.append(project)
    try:
        bundle = load_bundle()
    except BundleError as error:
        _fail_line("status", str(error))
        return 1
    try:
        status = collect_status(targets, bundle, user_config_dir(), project_chain(cwd))
    except OSError as error:
        _fail_line("status", describe_os_error(error).replace("cannot write", "cannot read"))
        return 1
    if as_json:
        click.echo(report.status_json(status))
    else:
        for line in report.status_lines(status):
            click.echo(line)
    return 0
