"""The real Claude Code client loads what each install route installs, and uses it as shipped.

One client run per (client version, route) -- see the ``scenario`` fixture -- is judged by every
test here, on the requests it sent to the fake API and on its debug log; never on its exit code (an
unknown command exits 0 too).
"""

from __future__ import annotations

import pytest

from .checks import agent_list_problems, command_problems, debug_log_problems, subagent_problems
from .expect import AgentSpec, CommandSpec
from .scenario import AGENT_ROLES, GOAL, Scenario

pytestmark = pytest.mark.e2e


def _agent(scenario: Scenario, role: str) -> AgentSpec:
    spec = scenario.agents[role]
    if not isinstance(spec, AgentSpec):
        pytest.fail(f"cannot tell what to expect of {role}: {spec}", pytrace=False)
    return spec


def _report(scenario: Scenario, problems: list[str]) -> str:
    return "\n".join([*problems, f"(client {scenario.version}: {scenario.run.summary()})"])


def test_fake_api_script_ran_cleanly(scenario: Scenario) -> None:
    assert not scenario.run.script_errors, scenario.run.script_errors


@pytest.mark.parametrize("role", AGENT_ROLES)
def test_agent_is_listed_with_its_description_and_tools(scenario: Scenario, role: str) -> None:
    problems = agent_list_problems(scenario.run.requests, _agent(scenario, role))
    assert not problems, _report(scenario, problems)


def test_command_is_expanded_with_the_goal(scenario: Scenario) -> None:
    spec = scenario.command
    if not isinstance(spec, CommandSpec):
        pytest.fail(f"cannot tell what to expect of the command: {spec}", pytrace=False)
    problems = command_problems(scenario.run.requests, spec, GOAL)
    assert not problems, _report(scenario, problems)


@pytest.mark.parametrize("role", AGENT_ROLES)
def test_agent_runs_with_its_body_tools_and_model(scenario: Scenario, role: str) -> None:
    problems = subagent_problems(scenario.run.requests, _agent(scenario, role))
    assert not problems, _report(scenario, problems)


def test_debug_log_has_no_warning_about_our_files(scenario: Scenario) -> None:
    problems = debug_log_problems(scenario.run.debug_log, scenario.log_names)
    assert scenario.run.debug_log, "the client wrote no --debug-file log"
    assert not problems, "\n".join(["WARN/ERROR records about our files:", *problems])
