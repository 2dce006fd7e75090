"""The three verbs end to end: resolve the target, read the bundle, lint, plan, lock, apply, report.

``ML_AGENTS_TIMINGS=1`` prints the time spent in each phase to stderr (used by the benchmark).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import click

from ml_agents.install import plan as p
from ml_agents.install import report
from ml_agents.install.advice import blocked_advice
from ml_agents.install.apply import (
    apply_plan,
    describe_os_error,
    remove_target_if_empty,
)
from ml_agents.install.clashes import find_clashes, scan_others
from ml_agents.install.fsops import (
    FAULT_ENV,
    ChangedWhileRunning,
    Faults,
    LockBusy,
    TargetGone,
    UnsafePath,
    is_temp_name,
    lock_timeout,
    remove_stale_staging,
    target_lock,
)
from ml_agents.install.manifest import (
    EMPTY,
    LOCK_NAME,
    MANIFEST_NAME,
    ManifestError,
    read_journal,
    read_manifest,
)
from ml_agents.install.payload import (
    KEBAB_RE,
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
from ml_agents.output import clipped_message, say

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


class CannotRead(Exception):
    """An ``OSError`` met while planning, which only reads: nothing was written."""

    def __init__(self, error: OSError) -> None:
        super().__init__(f"{describe_os_error(error, 'read')}; nothing was written")


@contextlib.contextmanager
def reading() -> Iterator[None]:
    """Planning and status only read: an ``OSError`` there is a read error, not a failed write."""
    try:
        yield
    except OSError as error:
        raise CannotRead(error) from None


# what stops install or uninstall with exit code 1 and a one-line message, never a traceback
EXPECTED = (
    Failure,
    BundleError,
    ManifestError,
    UnsafePath,
    LockBusy,
    ChangedWhileRunning,
    CannotRead,
    OSError,
)


class Outcome:
    """What install or uninstall has done so far, and how it ends: one JSON document with
    ``--json``, else the error line (the plan's own lines are printed as it goes)."""

    __slots__ = (
        "as_json",
        "command",
        "done",
        "dry_run",
        "findings",
        "plan",
        "target",
        "timer",
        "verbose",
    )

    def __init__(
        self, command: str, target: Target, *, dry_run: bool, as_json: bool, verbose: bool = False
    ) -> None:
        self.command = command
        self.verbose = verbose
        self.target = target
        self.dry_run = dry_run
        self.as_json = as_json
        self.timer = Timer()
        self.done: list[p.Action] = []
        self.plan: p.Plan | None = None
        self.findings: list[Finding] = []

    def finish(
        self, result: str, code: int, error: str | None = None, next_step: str | None = None
    ) -> int:
        error = clipped_message(error) if error else error
        if self.as_json:
            say(
                report.plan_json(
                    self.command,
                    self.plan,
                    target=self.target.path,
                    scope=self.target.scope,
                    dry_run=self.dry_run,
                    done=self.done,
                    result=result,
                    exit_code=code,
                    error=error,
                    findings=self.findings,
                    next_step=next_step,
                )
            )
        elif error:
            _fail_line(self.command, error)
        self.timer.mark("report")
        self.timer.emit()
        return code

    def fail(self, error: Exception) -> int:
        """Finish with exit code 1 for one of the ``EXPECTED`` errors."""
        if isinstance(error, Failure):
            return self.finish(error.result, 1, str(error))
        if isinstance(error, BundleError):
            return self.finish("invalid-bundle", 1, f"{error}; nothing was installed")
        if isinstance(error, OSError):
            return self.finish("error", 1, self._write_failure(error))
        return self.finish("error", 1, str(error))

    def _write_failure(self, error: OSError) -> str:
        message = describe_os_error(error)
        if self.plan is None:
            return message
        total = len([a for a in self.plan.actions if a.kind in report.LABELS])
        return (
            f"{message}. {len(self.done)} of {total} actions were completed and no file is "
            f"half-written; fix the cause and run `ml-agents {self.command}` again to finish"
        )

    def apply(self, plan: p.Plan, faults: Faults) -> None:
        """Apply ``plan``; the lines of what was done are printed even when a step fails."""
        try:
            apply_plan(self.target.path, plan, faults, self.done.append)
        finally:
            self.timer.mark("apply")
            if not self.as_json:
                self.print_plan(plan, self.done)

    def print_plan(self, plan: p.Plan, actions: Sequence[p.Action]) -> None:
        say(report.header(self.command, plan, self.target.path, self.target.scope, self.dry_run))
        for action in actions:
            if self.verbose or not report.is_bookkeeping(action):
                say(report.action_line(action))


def _fail_line(command: str, message: str) -> None:
    say(f"ml-agents {command}: error: {clipped_message(message)}", err=True)


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
    if target is not None and not target.strip():
        raise click.UsageError("--target needs a folder; '' is not one (use --target . for here)")
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
    target_ours: bool,
    adopt: bool,
) -> p.Plan:
    manifest = read_manifest(target) if target.is_dir() else None
    journal = read_journal(target) if target.is_dir() else ()
    user_dir = user_config_dir()
    chain = project_chain(Path.cwd())
    place, in_target, others = scan_others(target, user_dir, chain)
    ours = [(d.name, target / d.path) for d in desired if d.kind == "agents"]
    skip = [target / d.path for d in desired]
    if manifest is not None:
        skip += [target / f.path for f in manifest.files]
    clashes = find_clashes(ours, place, in_target, others, skip)
    return p.plan_install(
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
        adopt=adopt,
    )


def run_install(
    scope: str | None,
    target_option: str | None,
    dry_run: bool,
    as_json: bool,
    force: bool,
    prefix_option: str | None,
    only: Sequence[str],
    exclude: Sequence[str],
    *,
    adopt: bool = False,
    verbose: bool = False,
) -> int:
    target = _targets_for_scope(scope, target_option)
    faults = _faults()
    run = Outcome("install", target, dry_run=dry_run, as_json=as_json, verbose=verbose)
    timer = run.timer
    try:
        bundle = load_bundle()
        timer.mark("bundle")
        run.findings = lint_bundle(bundle, timer)
        errors = [f for f in run.findings if f.severity == ERROR]
        if errors:
            if not as_json:
                for line in report.finding_lines(errors):
                    say(line, err=True)
            raise Failure(
                f"the bundle at {bundle.root} has {len(errors)} lint error(s); nothing was "
                "installed",
                "invalid-bundle",
            )
        agent_names = [a.name for a in bundle.agents]
        try:
            check_prefix(prefix_option or "", agent_names)
            selected = select(bundle, only, exclude)
        except SelectionError as error:
            raise click.UsageError(str(error)) from None
        with reading():
            _check_target(target.path)
        manifest = read_manifest(target.path) if target.path.is_dir() else None
        prefix = (
            prefix_option if prefix_option is not None else (manifest.prefix if manifest else "")
        )
        if prefix_option is None and manifest is not None:
            _check_recorded_prefix(target.path, prefix, agent_names)
        desired = desired_files(selected, prefix, agent_names)
        timer.mark("select")
        existed = target.path.is_dir()
        with reading():
            try:
                leftovers = existed and only_our_leftovers(target.path)
            except FileNotFoundError:  # an uninstall removed it since: as if it never was
                existed = leftovers = False

        def excludable(name: str) -> bool:
            try:
                select(bundle, only, [*exclude, name])
            except SelectionError:
                return False
            return True

        def plan_now(created: bool) -> p.Plan:
            with reading():
                plan = _plan_install(
                    target.path,
                    desired,
                    bundle,
                    prefix,
                    force=force,
                    target_created=created,
                    target_ours=leftovers,
                    adopt=adopt,
                )
            timer.mark("plan")
            return plan

        early, _ = _plan_before_lock(lambda: plan_now(not existed), dry_run)
        run.plan = early
        if early is not None and (
            dry_run or (existed and (early.blocked or not _needs_changes(early, target.path)))
        ):
            return _show_install(run, early, excludable)
        remove_stale_staging(target.path)
        made = False
        try:
            with target_lock(target.path, lock_timeout(), create=faults) as made:
                timer.mark("lock")
                run.plan = plan = plan_now(made)
                if plan.blocked:
                    return _show_install(run, plan, excludable)
                run.apply(plan, faults)
        except BaseException:
            if made:  # a failed first write leaves no empty folder that nobody owns
                with contextlib.suppress(OSError):
                    remove_target_if_empty(target.path)
            raise
        return _show_install(run, plan, excludable, printed=True)
    except EXPECTED as error:
        return run.fail(error)


PlanT = TypeVar("PlanT")


def _plan_before_lock(plan_now: Callable[[], PlanT], dry_run: bool) -> tuple[PlanT | None, bool]:
    """(the plan made before taking the lock, whether making it failed). It is what ``--dry-run``
    shows, and what lets a run with nothing to do skip the lock. Another run may be changing the
    folder meanwhile, so outside a dry run a failure here is not final: the run plans again under
    the lock, and only a failure there is reported."""
    try:
        return plan_now(), False
    except (UnsafePath, ManifestError, ChangedWhileRunning, CannotRead, OSError):
        if dry_run:
            raise
        return None, True


def _check_recorded_prefix(target: Path, prefix: str, agent_names: list[str]) -> None:
    """The manifest's prefix is not the user's ``--prefix``: one an older version accepted (no
    trailing '-') asks for ``--prefix`` again; one that makes names that are not kebab-case is
    damage, not misuse."""
    try:
        check_prefix(prefix, agent_names)
    except SelectionError as error:
        if all(KEBAB_RE.match(prefix + name) for name in agent_names):
            raise Failure(f"{error}; the manifest remembers it: give --prefix again") from None
        raise ManifestError(
            f"{target / MANIFEST_NAME} is damaged (its prefix {prefix!r} makes agent names that "
            "are not kebab-case); move it aside and run `ml-agents install` again"
        ) from None


def only_our_leftovers(target: Path) -> bool:
    """True when ``target`` holds only a lock or temp files: a run of ours made it and was killed
    before its journal recorded that."""
    names = [entry.name for entry in target.iterdir()]
    ours = [n for n in names if n == LOCK_NAME or is_temp_name(n)]
    return bool(ours) and len(ours) == len(names)


def _needs_changes(plan: p.Plan, target: Path) -> bool:
    if p.steps(plan) or any(a.kind == p.CLEANUP for a in plan.actions):
        return True
    return os.path.lexists(target / LOCK_NAME)


def _show_install(
    run: Outcome,
    plan: p.Plan,
    excludable: Callable[[str], bool],
    *,
    printed: bool = False,
) -> int:
    applied = not run.dry_run and not plan.blocked
    if plan.blocked:
        result, code = "blocked", 1
    elif not p.steps(plan) and applied:
        result, code = "unchanged", 0
    else:
        result, code = "ok", 0
    has_command = any(d.kind == "commands" for d in plan.installed)
    next_step = None
    if applied and any(a.kind in report.LOADED_CHANGES for a in plan.actions):
        next_step = report.NEXT_STEP if has_command else report.NEXT_STEP_AGENTS_ONLY
    if not run.as_json:
        if not printed:
            run.print_plan(plan, plan.actions)
        for line in report.clash_lines(plan.clashes, run.target.scope, run.target.path):
            say(line)
        say(report.summary_line(plan.actions, applied=applied))
        if plan.blocked:
            say(blocked_advice(plan, excludable), err=True)
        elif run.dry_run:
            say("Dry run: nothing was written.")
        if next_step:
            say(next_step)
    return run.finish(result, code, None, next_step)


def _plan_uninstall(target: Path, *, force: bool) -> p.Plan | None:
    if not target.is_dir():
        return None
    manifest = read_manifest(target)
    journal = read_journal(target)
    if manifest is None and not journal:
        return None
    with reading():
        return p.plan_uninstall(
            target, manifest or EMPTY, journal, force=force, has_manifest=manifest is not None
        )


def run_uninstall(
    scope: str | None,
    target_option: str | None,
    dry_run: bool,
    as_json: bool,
    force: bool,
    *,
    verbose: bool = False,
) -> int:
    target = _targets_for_scope(scope, target_option)
    faults = _faults()
    run = Outcome("uninstall", target, dry_run=dry_run, as_json=as_json, verbose=verbose)
    try:
        early, failed = _plan_before_lock(
            lambda: _plan_uninstall(target.path, force=force), dry_run
        )
        run.plan = early
        if early is None and not failed:
            if not as_json:
                say(f"Nothing to uninstall: ml-agents has no manifest in {target.path}.")
            return run.finish("unchanged", 0)
        if dry_run and early is not None:
            return _show_uninstall(run, early)
        try:
            with target_lock(target.path, lock_timeout()):
                run.plan = plan = _plan_uninstall(target.path, force=force)
                if plan is None:
                    return run.finish("unchanged", 0)
                run.apply(plan, faults)
        except TargetGone:  # a racing uninstall finished first
            return run.finish("unchanged", 0)
        if any(a.kind == p.RMDIR and a.path == "." for a in plan.actions):
            if remove_target_if_empty(target.path):
                run.done.append(p.Action(p.RMDIR, ".", "created by ml-agents, now empty"))
                if not as_json:
                    say(report.action_line(run.done[-1]))
            elif not as_json:
                say(report.action_line(p.Action(p.KEEP_DIR, ".", "not empty: kept")))
        return _show_uninstall(run, plan, printed=True)
    except EXPECTED as error:
        return run.fail(error)


def _show_uninstall(run: Outcome, plan: p.Plan, *, printed: bool = False) -> int:
    if not run.as_json:
        if not printed:
            run.print_plan(plan, plan.actions)
        say(report.summary_line(plan.actions, applied=not run.dry_run))
        done = "Done: ml-agents owns nothing here any more."
        say("Dry run: nothing was written." if run.dry_run else done)
    return run.finish("ok", 0)


def run_status(scope: str | None, target_option: str | None, as_json: bool) -> int:
    from ml_agents.install.status import collect_status

    cwd = Path.cwd()
    if target_option is not None or scope is not None:
        targets = [_targets_for_scope(scope, target_option)]
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
        _fail_line("status", describe_os_error(error, "read"))
        return 1
    if as_json:
        say(report.status_json(status))
    else:
        for line in report.status_lines(status):
            say(line)
    return 1 if any(scope.error for scope in status.scopes) else 0


def run_diff(scope: str | None, target_option: str | None, names: Sequence[str]) -> int:
    from ml_agents.install.diff import diff_lines, file_names
    from ml_agents.install.status import desired_for

    target = _targets_for_scope(scope, target_option)
    try:
        bundle = load_bundle()
        with reading():
            manifest = read_manifest(target.path) if target.path.is_dir() else None
            if manifest is None:
                say(f"Nothing to compare: ml-agents has no manifest in {target.path}.")
                return 0
            wanted = {n for value in names for n in value.split(",") if n}
            known = {n for f in manifest.files for n in file_names(f.path, manifest.prefix)}
            unknown = sorted(wanted - known)
            if unknown:
                raise click.UsageError(
                    f"{', '.join(unknown)}: not installed in {target.path}; installed: "
                    f"{', '.join(sorted(known))}"
                )
            lines = list(diff_lines(target.path, manifest, desired_for(bundle, manifest), wanted))
    except EXPECTED as error:
        _fail_line("diff", str(error))
        return 1
    for line in lines:
        say(line)
    if not lines:
        say(f"No differences: the files in {target.path} are as shipped, and current.")
    return 0
