"""``ml-agents lint``: what the Claude Code client would drop or ignore, with a location and fix."""

from __future__ import annotations

from pathlib import Path

import click

from ml_agents.lint import config as config_module
from ml_agents.lint.result import ERROR
from ml_agents.lint.rules import RULES, Rule, lookup
from ml_agents.lint.run import COLOURS, FORMATS, SEVERITIES, LintOptions, run


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
# readable=False: a path that cannot be read is a finding (CC001), as it is when met in a folder
@click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path, readable=False), metavar="[PATH]..."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format: sarif is SARIF 2.1.0 for GitHub code scanning, github prints "
    "workflow annotations. Default: github under GitHub Actions (GITHUB_ACTIONS=true) when "
    "printing, else text.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Write the report to FILE (replaced atomically) instead of standard output.",
)
@click.option(
    "--color",
    "colour",
    type=click.Choice(COLOURS),
    default="auto",
    show_default=True,
    help="Colour text output. auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces "
    "it when printing.",
)
@click.option(
    "--show-info",
    is_flag=True,
    help="Show info findings (advisory; hidden by default, and counted in the summary).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Use this .ml-agents.toml or pyproject.toml instead of the nearest one.",
)
@click.option("--no-config", is_flag=True, help="Ignore every configuration file.")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=ERROR,
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option("--strict", is_flag=True, help="Same as --fail-on warning.")
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODE",
    help="Skip a rule: a code, a name or a prefix such as CC2 (repeatable, or comma-separated).",
)
@click.option("--explain", metavar="CODE", help="Explain a rule (code or name) and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option(
    "--fix", is_flag=True, help="Make the safe repairs ([--fix] in --list-rules), then report."
)
@click.option(
    "--diff", is_flag=True, help="Print what --fix would change as a diff; write nothing."
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Lint every file afresh, without reading or writing the cache.",
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
    output_format: str | None,
    output: Path | None,
    colour: str,
    show_info: bool,
    config_file: Path | None,
    no_config: bool,
    fail_on: str,
    strict: bool,
    ignore: tuple[str, ...],
    explain: str | None,
    list_rules: bool,
    fix: bool,
    diff: bool,
    no_cache: bool,
    cache_dir: Path | None,
) -> int:
    """Lint Claude Code agents, commands, skills, workflow scripts and plugin manifests.

    PATH is a file or a folder. With no PATH, lint the current repository's .claude/ folder and
    its plugin layout (agents/, commands/, skills/*/SKILL.md, workflows/*.js,
    .claude-plugin/*.json). A file's kind comes from where it lives.

    Settings come from the nearest .ml-agents.toml or pyproject.toml [tool.ml-agents], and
    comments such as `# ml-agents: ignore[CC302] reason` silence one finding: see docs/rules.md.

    \b
    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error.

    \b
    Examples:
      ml-agents lint
      ml-agents lint .claude/agents/reviewer.md --strict
      ml-agents lint --format sarif -o ml-agents.sarif
      ml-agents lint --explain CC306
      ml-agents lint --diff          # preview the safe repairs
      ml-agents lint --fix
    """
    if explain is not None:
        click.echo(explain_text(_known_rule(explain, "--explain")))
        return 0
    if list_rules:
        for rule in RULES.values():
            fixable = "  [--fix]" if rule.autofix else ""
            click.echo(f"{rule.code}  {rule.severity:<7}  {rule.name:<30} {rule.summary}{fixable}")
        return 0
    ignored = _ignored_codes(ignore)
    if fix or diff:
        from ml_agents.lint.fix_cli import run_fixes

        if run_fixes(paths, ignored, write=not diff) and diff:
            return 1
        if diff:
            return 0
    options = LintOptions(
        paths,
        output_format,
        output,
        colour,
        show_info,
        config_file,
        no_config,
        fail_on,
        strict,
        frozenset(ignored),
        no_cache,
        cache_dir,
    )
    return run(options)


def _ignored_codes(values: tuple[str, ...]) -> set[str]:
    codes: set[str] = set()
    for value in values:
        for part in value.split(","):
            selected = config_module.resolve(part) if part.strip() else set()
            if part.strip() and not selected:
                raise click.BadParameter(
                    f"no rule {part!r}; see --list-rules", param_hint="--ignore"
                )
            codes |= selected
    return codes


def _known_rule(code_or_name: str, option: str) -> Rule:
    rule = lookup(code_or_name)
    if rule is None:
        # an overlong value is clipped where every verb's usage errors are shown (cli.main)
        raise click.BadParameter(f"no rule {code_or_name!r}; see --list-rules", param_hint=option)
    return rule


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
        f"Fix: {rule.hint}" + (f"\n\n--fix: {rule.autofix}" if rule.autofix else "")
    )
