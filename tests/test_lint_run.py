"""The two routes into ``lint.run.run``: the plain parser (no click) and click itself.

``plain_options`` may decline any argument list (click then parses it), but when it accepts one
it must mean exactly what click means by it. Hypothesis writes the argument lists from the words
either parser knows, valid and not.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import click
import pytest
from conftest import run_python, write
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_agents.lint import cli as lint_cli
from ml_agents.lint.run import LintOptions, plain_options

WORDS = [
    "--show-info",
    "--no-config",
    "--strict",
    "--no-cache",
    "--format",
    "--format=json",
    "--format=yaml",
    "--color",
    "--color=never",
    "--fail-on",
    "--fail-on=info",
    "--ignore",
    "-o",
    "--",
    "-",
    "json",
    "text",
    "sarif",
    "github",
    "always",
    "warning",
    "info",
    "error",
    "never",
    "auto",
    "agents",
    ".claude/agents/x.md",
    "",
    "--show",
    "-h",
]


def clicks_options(args: Sequence[str]) -> LintOptions | None:
    """What the click command hands to ``run`` for ``args``; None when click refuses them."""
    seen: list[LintOptions] = []
    real = lint_cli.run
    lint_cli.run = lambda options: seen.append(options) or 0  # type: ignore[assignment,func-returns-value]
    try:
        lint_cli.lint.main(list(args), prog_name="ml-agents lint", standalone_mode=False)
    except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        return None
    finally:
        lint_cli.run = real
    return seen[0] if seen else None


@settings(max_examples=int(os.environ.get("ML_AGENTS_RUN_EXAMPLES", "400")), deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=6))
def test_the_plain_parser_means_what_click_means(args: list[str]) -> None:
    plain = plain_options(args)
    if plain is not None:
        assert plain == clicks_options(args), args


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["agents", "--strict"],
        ["--format", "json", "--", "--strict"],
        ["--color=always", "--fail-on", "info", "a", "b"],
        ["--no-cache", "--show-info", "--no-config"],
    ],
)
def test_common_invocations_skip_click(args: list[str]) -> None:
    assert plain_options(args) is not None
    assert plain_options(args) == clicks_options(args)


@pytest.mark.parametrize(
    "args",
    [["--format", "yaml"], ["--ignore", "CC2"], ["-o", "out.txt"], ["--help"], ["--format"]],
)
def test_everything_else_is_left_to_click(args: list[str]) -> None:
    assert plain_options(args) is None


def test_a_plain_lint_imports_neither_click_nor_yaml_when_nothing_needs_parsing(
    tmp_path: Path,
) -> None:
    """A folder with nothing to lint: the whole run, CLI included, needs neither library."""
    write(tmp_path / "notes.txt", "nothing here\n")
    probe = (
        "import sys\nfrom ml_agents.cli import main\ncode = main(['lint', '--no-cache', '.'])\n"
        "print(sorted(m for m in ('click', 'yaml', 'jsonschema') if m in sys.modules))\n"
    )
    done = run_python(probe, [], tmp_path)
    *report, imported = done.stdout.strip().splitlines()
    assert "CC031" in "\n".join(report), done.stdout  # the run went through: nothing to lint
    assert imported == "[]", done.stdout + done.stderr
