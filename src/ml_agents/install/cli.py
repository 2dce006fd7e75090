"""Install, uninstall and status: plan every file first, then apply.

This module is imported for ``ml-agents install --help``, so it imports only click; the work is
done by ``run_install``, ``run_uninstall`` and ``run_status``, which import what they need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

SCOPE_HELP = (
    "user: $CLAUDE_CONFIG_DIR, else ~/.claude (the default). "
    "project: .claude/ at the git root, else in the current folder."
)
TARGET_HELP = "An explicit .claude folder to work on, instead of a scope ('' is refused)."
DRY_RUN_HELP = "Print the plan and write nothing."
JSON_HELP = (
    "Print one JSON document for scripts: command, result, exit_code, actions [{action, path, "
    "detail, aside, done}], steps, clashes, two_routes, lint, error, next_step."
)
STATUS_JSON_HELP = (
    "Print one JSON document for scripts: package_version, scopes [{scope, target, "
    "installed_version, state, prefix, files, side_files, backups, context_cost, clashes, "
    "two_routes}], duplicates."
)


def _scope_options(function: F) -> F:
    function = click.option("--target", metavar="DIR", help=TARGET_HELP)(function)
    return click.option(
        "--scope", type=click.Choice(["user", "project"]), default=None, help=SCOPE_HELP
    )(function)


def _plan_options(function: F) -> F:
    """The scope options, --dry-run, --json and --verbose: what install and uninstall share."""
    function = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        help="Also show ml-agents' own bookkeeping (manifest, journal, pristine copies).",
    )(function)
    function = click.option("--json", "as_json", is_flag=True, help=JSON_HELP)(function)
    function = click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)(function)
    return _scope_options(function)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@_plan_options
@click.option(
    "--force",
    is_flag=True,
    help="Replace files at our paths that ml-agents did not install, after moving each to a "
    "timestamped backup (<file>.ml-agents-backup-<UTC time>).",
)
@click.option(
    "--prefix",
    metavar="P",
    default=None,
    help="Install our agents as P<name> (e.g. --prefix ml- gives ml-data-scientist) and rewrite "
    "every reference to them. P is lowercase kebab-case and must end with '-' (--prefix ml is "
    "refused, not glued into mlbackend-developer). Remembered for later installs; --prefix '' "
    "goes back to none.",
)
@click.option(
    "--only",
    metavar="NAME",
    multiple=True,
    help="Install only these agents or commands (repeat, or a comma list; a value naming none, "
    "such as ',', is refused). The selection is what stays installed: owned files left out are "
    "removed, or kept if you changed them.",
)
@click.option(
    "--exclude", metavar="NAME", multiple=True, help="Leave these agents or commands out."
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Keep files at our paths that ml-agents did not install (such as your edited copy that "
    "uninstall left behind) exactly as they are, recorded as your changed copies of ours: later "
    "updates merge into them.",
)
def install(
    scope: str | None,
    target: str | None,
    dry_run: bool,
    as_json: bool,
    force: bool,
    prefix: str | None,
    only: Sequence[str],
    exclude: Sequence[str],
    adopt: bool,
    verbose: bool,
) -> int:
    """Install /ml-integration and its agents into agents/ and commands/ of a .claude folder.

    \b
    Plans every file, then applies the plan:
      create     a new file
      replace    a file ml-agents installed and you did not change
      merge      a file you changed: this release's changes are merged into it
                 (three-way, against the copy we shipped before)
      keep       a file you changed where the merge overlaps your edits: yours
                 stays, the merge with conflict markers goes beside it as
                 <file>.ml-agents-merge; for files installed before ml-agents
                 kept pristine copies, ours goes beside it as <file>.ml-agents-new
                 (names Claude Code does not load)
      conflict   a file ml-agents did not install: left alone (see --force);
                 nothing is written while a conflict remains, and the plan
                 shown is what would have happened
      unchanged  already identical
    A <file>.ml-agents-new that is not what ml-agents wrote there (you edited
    or made it) is yours: it moves to a backup before a new version is written.
    Owned files are recorded with their SHA-256 in .ml-agents-manifest.json in
    the target. The bundle is linted first and never installed when invalid.
    Exit codes: 0 done, 1 conflict, invalid bundle, read or write failure, 2 usage.
    Output that nobody reads (a closed pipe, as in `| head -1`) changes no exit code.
    """
    from ml_agents.install.run import run_install

    return run_install(
        scope, target, dry_run, as_json, force, prefix, only, exclude, adopt=adopt, verbose=verbose
    )


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@_plan_options
@click.option(
    "--force",
    is_flag=True,
    help="Also take away files you changed, by moving each to a timestamped backup.",
)
def uninstall(
    scope: str | None, target: str | None, dry_run: bool, as_json: bool, force: bool, verbose: bool
) -> int:
    """Remove what `ml-agents install` wrote, and only that.

    Removes the files listed in .ml-agents-manifest.json that are unchanged, the
    <file>.ml-agents-new copies it wrote, the folders it created once they are
    empty, and then the manifest. Files you changed are kept and reported
    (--force moves them to a backup instead); backups are yours and stay.
    """
    from ml_agents.install.run import run_uninstall

    return run_uninstall(scope, target, dry_run, as_json, force, verbose=verbose)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@_scope_options
@click.option("--json", "as_json", is_flag=True, help=STATUS_JSON_HELP)
def status(scope: str | None, target: str | None, as_json: bool) -> int:
    """Show, per scope, the installed version, each owned file (ok, modified,
    missing, outdated), agents that shadow ours or that ours shadow, names
    defined twice, and the context cost of the installed descriptions.

    Without --scope or --target, shows the user and the project scope.
    Exit codes: 0 shown, 1 a scope could not be read (its error is shown), 2 usage.
    """
    from ml_agents.install.run import run_status

    return run_status(scope, target, as_json)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@_scope_options
@click.argument("names", metavar="[NAME]...", nargs=-1)
def diff(scope: str | None, target: str | None, names: tuple[str, ...]) -> int:
    """Show, as unified diffs, your changes to each file ml-agents installed (against
    the copy it shipped) and what the next `ml-agents install` would bring.

    NAME limits the output to these agents or commands (e.g. data-scientist).
    Exit codes: 0 shown, 1 the folder could not be read, 2 usage.
    """
    from ml_agents.install.run import run_diff

    return run_diff(scope, target, names)
