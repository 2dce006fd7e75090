"""``ml-agents lint``: what the Claude Code client would drop or ignore, with a location and fix."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ml_agents.lint.result import ERROR, INFO, SEVERITY_ORDER, WARNING, Finding
from ml_agents.lint.rules import RULES, Rule, lookup

if TYPE_CHECKING:
    from ml_agents.lint.cache import ResultCache

_COLOURS = {
    "path": {"bold": True},
    ERROR: {"fg": "red", "bold": True},
    WARNING: {"fg": "yellow", "bold": True},
    INFO: {"fg": "cyan"},
    "code": {"bold": True},
    "dim": {"dim": True},
}


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
# readable=False: a path that cannot be read is a finding (CC001), as it is when met in a folder
@click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path, readable=False), metavar="[PATH]..."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="Output format: sarif is SARIF 2.1.0 for GitHub code scanning, github prints "
    "workflow annotations.",
)
@click.option(
    "--fail-on",
    type=click.Choice([ERROR, WARNING, INFO]),
    default=ERROR,
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option("--strict", is_flag=True, help="Same as --fail-on warning.")
@click.option(
    "--ignore", multiple=True, metavar="CODE", help="Skip a rule (repeatable, or comma-separated)."
)
@click.option("--explain", metavar="CODE", help="Explain a rule (code or name) and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option(
    "--no-cache", is_flag=True, help="Lint every file afresh, without reading or writing the cache."
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Where to keep the cache [default: $ML_AGENTS_CACHE_DIR, else .ml-agents-cache/ at the "
    "git root].",
)
def lint(
    paths: tuple[Path, ...],
    output_format: str,
    fail_on: str,
    strict: bool,
    ignore: tuple[str, ...],
    explain: str | None,
    list_rules: bool,
    no_cache: bool,
    cache_dir: Path | None,
) -> int:
    """Lint Claude Code agents, commands, skills and plugin manifests.

    PATH is a file or a folder. With no PATH, lint the current repository's .claude/ folder and
    its plugin layout (agents/, commands/, skills/*/SKILL.md, .claude-plugin/*.json). A file's kind
    comes from where it lives.

    \b
    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error.

    \b
    Examples:
      ml-agents lint
      ml-agents lint .claude/agents/reviewer.md --strict
      ml-agents lint --format sarif > ml-agents.sarif
      ml-agents lint --explain CC306
    """
    if explain is not None:
        click.echo(explain_text(_known_rule(explain, "--explain")))
        return 0
    if list_rules:
        for rule in RULES.values():
            click.echo(f"{rule.code}  {rule.severity:<7}  {rule.name:<30} {rule.summary}")
        return 0
    ignored = _ignored_codes(ignore)
    if hasattr(sys.stdout, "reconfigure"):  # a file name or value the terminal cannot encode
        sys.stdout.reconfigure(errors="backslashreplace")
    threshold = WARNING if strict and SEVERITY_ORDER[fail_on] > SEVERITY_ORDER[WARNING] else fail_on

    from ml_agents.lint.engine import lint as run_lint
    from ml_agents.lint.report import render

    result = run_lint(paths, parallel=True, cache=None if no_cache else _cache(cache_dir))
    findings: list[Finding] = [f for f in result.findings if f.code not in ignored]
    if not paths and not result.files and not findings:
        click.echo(
            "ml-agents lint: no Claude Code files found here (.claude/, agents/, commands/, "
            "skills/, .claude-plugin/).",
            err=True,
        )
    style = _style if output_format == "text" and _use_colour() else None
    click.echo(render(output_format, findings, result.files, style), nl=False)
    return 1 if any(f.at_least(threshold) for f in findings) else 0


def _cache(folder: Path | None) -> ResultCache:
    from ml_agents.lint.cache import default_folder, open_cache

    return open_cache(folder or default_folder(Path.cwd()))


def _ignored_codes(values: tuple[str, ...]) -> set[str]:
    codes = set()
    for value in values:
        for part in value.split(","):
            if part.strip():
                codes.add(_known_rule(part.strip(), "--ignore").code)
    return codes


def _known_rule(code_or_name: str, option: str) -> Rule:
    rule = lookup(code_or_name)
    if rule is None:
        # an overlong value is clipped where every verb's usage errors are shown (cli.main)
        raise click.BadParameter(f"no rule {code_or_name!r}; see --list-rules", param_hint=option)
    return rule


def _use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _style(text: str, role: str) -> str:
    return click.style(text, **_COLOURS.get(role, {}))  # type: ignore[arg-type]


def explain_text(rule: Rule) -> str:
    def indent(text: str) -> str:
        return "\n".join("    " + line for line in text.splitlines())

    return (
        f"{rule.code} {rule.name} ({rule.severity})\n\n"
        f"{rule.summary}\n\n"
        f"Why: {rule.why}\n\n"
        f"Applies to: {', '.join(rule.kinds)}\n\n"
        f"Bad:\n{indent(rule.bad)}\n\n"
        f"Good:\n{indent(rule.good)}\n\n"
        f"Fix: {rule.hint}"
    )
