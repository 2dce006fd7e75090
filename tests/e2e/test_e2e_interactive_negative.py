"""Negative controls: the interactive suite, run on a copy whose workflow script is broken, fails.

The client fails quietly on both breakages (a script whose ``meta`` is not its first statement is
skipped, with a line in the debug log at most; an unknown agent type fails the run in the
background), and the command then falls back to agents, so the run still reaches its checkpoint.
The very checks of test_e2e_interactive.py must report each breakage.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .interactive_checks import agents_problems, phase_roles, windows, workflow_problems
from .interactive_scenario import CASES, InteractiveCase, Outcome, run_case

pytestmark = pytest.mark.e2e

MISSPELT_ROLE = "data-scientist"


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{path.name}: the negative control found no {pattern!r} to break"
    path.write_text(edited, encoding="utf-8")


def meta_not_first(script: Path) -> None:
    """A statement before ``export const meta``: the client skips the file."""
    _edit(script, r"^export const meta", "const RELEASE = 1\nexport const meta")


def misspelt_agent_type(script: Path) -> None:
    """The agent type the script passes for one role, misspelt (``data-scientsit``)."""
    _edit(
        script,
        r"^(\s*)const agentType = a\.agents\[step\.role\]$",
        r"\1const agentType = a.agents[step.role].replace('scientist', 'scientsit')",
    )


def _workflow_case(route: str) -> InteractiveCase:
    return next(c for c in CASES if c.route == route and c.path == "workflow")


@pytest.fixture(scope="module")
def skipped_script(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """The pip route, with the installed script's ``meta`` moved down."""
    root = tmp_path_factory.mktemp("negative-meta")
    return run_case(_workflow_case("pip"), root, breakage=meta_not_first)


@pytest.fixture(scope="module")
def misspelt(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """The plugin route, from a copy of the plugin tree with one agent type misspelt."""
    root = tmp_path_factory.mktemp("negative-misspelt")
    return run_case(_workflow_case("plugin"), root, breakage=misspelt_agent_type)


def test_a_script_whose_meta_is_not_first_fails_the_workflow_check(skipped_script: Outcome) -> None:
    run = skipped_script.run
    problems = workflow_problems(run, 1, windows(run)["phase 1"])
    assert any("the Workflow call for phase 1 failed" in p for p in problems), (
        problems,
        run.describe(),
    )


def test_a_script_whose_meta_is_not_first_fails_the_agents_check(skipped_script: Outcome) -> None:
    """No agent ran inside a workflow: the fallback's agents hand back another way."""
    run = skipped_script.run
    specs = [skipped_script.spec(role) for role in phase_roles(1)]
    problems = agents_problems(run, specs, windows(run)["phase 1"], "StructuredOutput")
    assert any("missing ['StructuredOutput']" in p for p in problems), problems


def test_a_misspelt_agent_type_fails_the_workflow_check(misspelt: Outcome) -> None:
    run = misspelt.run
    problems = workflow_problems(run, 1, windows(run)["phase 1"])
    assert problems and "scientsit" in problems[0], (problems, run.describe())


def test_a_misspelt_agent_type_fails_that_agents_check(misspelt: Outcome) -> None:
    """The agent before the misspelt one ran in the workflow; the misspelt one never did."""
    run = misspelt.run
    phase_1 = windows(run)["phase 1"]
    specs = [misspelt.spec(role) for role in phase_roles(1)]
    before = specs[: phase_roles(1).index(MISSPELT_ROLE)]
    assert agents_problems(run, before, phase_1, "StructuredOutput") == []
    problems = agents_problems(run, specs, phase_1, "StructuredOutput")
    assert any(misspelt.spec(MISSPELT_ROLE).agent_type in p for p in problems), problems
