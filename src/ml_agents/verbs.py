"""The ``ml-agents`` verbs, as a click group (``cli.main`` decides whether click is needed).

Verbs are imported only when they run, so ``ml-agents --help`` and ``--version`` stay light: neither
jsonschema nor the YAML machinery is imported until a verb needs it.
"""

from __future__ import annotations

import importlib
import io

import click

from ml_agents import __version__
from ml_agents.output import clipped_message, say

# verb -> (module, attribute, one-line help shown in `ml-agents --help`)
VERBS: dict[str, tuple[str, str, str]] = {
    "install": (
        "ml_agents.install.cli",
        "install",
        "Install /ml-integration and its ten agents into a .claude folder.",
    ),
    "uninstall": (
        "ml_agents.install.cli",
        "uninstall",
        "Remove what `install` wrote, keeping every file you changed.",
    ),
    "status": (
        "ml_agents.install.cli",
        "status",
        "Show what is installed where, what changed, and what shadows what.",
    ),
    "diff": (
        "ml_agents.install.cli",
        "diff",
        "Show your changes to the installed files and what the next install would bring.",
    ),
    "lint": (
        "ml_agents.lint.cli",
        "lint",
        "Check Claude Code agents, commands, skills and plugin manifests.",
    ),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(VERBS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in VERBS:
            return None
        module_name, attribute, _ = VERBS[cmd_name]
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_text) for name, (_, _, help_text) in VERBS.items()])


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "-V", "--version", prog_name="ml-agents")
def cli() -> None:
    """ml-agents: the /ml-integration workflow for Claude Code, its ten agents, and the tools
    that install them safely and lint any repository's Claude Code files.

    \b
    Start here:
      ml-agents install            install into ~/.claude (or $CLAUDE_CONFIG_DIR)
      ml-agents lint               lint this repository's Claude Code files
    """


def run_click(args: list[str]) -> int:
    """Run ``args`` through click; usage errors are printed and become exit code 2."""
    try:
        result = cli.main(args=args, prog_name="ml-agents", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code or 0)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as error:
        shown = io.StringIO()
        error.show(file=shown)
        say(clipped_message(shown.getvalue()).rstrip("\n"), err=True)
        return int(error.exit_code)
    return int(result or 0)
