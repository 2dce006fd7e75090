"""``/ml-integration`` typed into the real client in tmux, as a user would, against the fake model.

One run per case (route x path x client): phase 1, its checkpoint, approve, the start of phase 2,
quit, start again, resume at phase 2 (interactive_run.py). Every test judges that one run from the
request log, the screens and the files it left (interactive_checks.py).
"""

from __future__ import annotations

import pytest

from .checks import is_subagent_request
from .interactive import (
    APPROVE,
    RESUME,
    checkpoint_fragment,
    resume_fragment,
    tool_named_by_schema,
)
from .interactive_checks import (
    absent_problems,
    agents_problems,
    answer_problems,
    dialog_problems,
    first_launch_problems,
    phase_roles,
    question_problems,
    run_problems,
    state_problems,
    windows,
    workflow_problems,
)
from .interactive_scenario import CASES, InteractiveCase, Outcome, run_case
from .scenario import GOAL

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=CASES, ids=[case.id for case in CASES])
def outcome(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    case: InteractiveCase = request.param
    return run_case(case, tmp_path_factory.mktemp(f"interactive-{case.id}"))


def _report(outcome: Outcome, problems: list[str]) -> str:
    return "\n".join([*problems, f"({outcome.case.id}: {outcome.run.describe()})"])


def test_the_run_went_through_every_step(outcome: Outcome) -> None:
    problems = run_problems(outcome.run)
    assert not problems, _report(outcome, problems)


def test_no_permission_dialog_appears(outcome: Outcome) -> None:
    problems = dialog_problems(outcome.run)
    assert not problems, _report(outcome, problems)


def test_the_path_is_the_one_the_client_offers(outcome: Outcome) -> None:
    """Workflow path: phase 1 is one Workflow call that ends done. Fallback: no Workflow tool."""
    run = outcome.run
    phase_1 = windows(run)["phase 1"]
    if outcome.case.path == "workflow":
        problems = workflow_problems(run, 1, phase_1)
    else:
        offered = [
            r
            for r in run.requests
            if not is_subagent_request(r) and tool_named_by_schema(r, "scriptPath")
        ]
        problems = [f"the Workflow tool was offered in {len(offered)} requests"] if offered else []
    assert not problems, _report(outcome, problems)


def test_phase_1_agents_run_in_order_with_body_tools_and_model(outcome: Outcome) -> None:
    run = outcome.run
    specs = [outcome.spec(role) for role in phase_roles(1)]
    problems = agents_problems(run, specs, windows(run)["phase 1"], outcome.case.handback_tool)
    assert not problems, _report(outcome, problems)


def test_state_is_written_without_a_prompt(outcome: Outcome) -> None:
    problems = state_problems(outcome.run, GOAL, approved=1, running=2)
    assert not problems, _report(outcome, problems)


def test_the_checkpoint_shows_and_approve_starts_phase_2(outcome: Outcome) -> None:
    run = outcome.run
    phase_2 = windows(run)["phase 2"]
    problems = question_problems(run, 0, checkpoint_fragment(1))
    problems += answer_problems(run, phase_2, APPROVE)
    problems += first_launch_problems(run, 2, phase_2)
    first = outcome.spec(phase_roles(2)[0])
    problems += agents_problems(run, [first], phase_2, outcome.case.handback_tool)[:1]
    assert not problems, _report(outcome, problems)


def test_running_the_command_again_resumes_at_phase_2(outcome: Outcome) -> None:
    run = outcome.run
    again = windows(run)["session 2"]
    problems = question_problems(run, 1, resume_fragment(2))
    problems += answer_problems(run, again, RESUME)
    problems += first_launch_problems(run, 2, again)
    specs = [outcome.spec(role) for role in phase_roles(2)]
    problems += agents_problems(run, specs, again, outcome.case.handback_tool)
    for role in set(phase_roles(1)) - set(phase_roles(2)):
        problems += absent_problems(run, outcome.spec(role), again)
    assert not problems, _report(outcome, problems)
