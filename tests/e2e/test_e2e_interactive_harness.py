"""The interactive harness on its own, without the client: the fake model reads the command as
shipped, answers like a model following it, and the tmux driver types and reads a real pane.

These take about a second, so a broken harness shows up even where the real-client runs are skipped.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from ml_agents.phases import PHASES

from .expect import PLUGIN_NAME, AgentSpec
from .fake_api import safeguard_verdicts, text_block, tool_use_block
from .interactive import fake_model, phases_in, resolve_agents, roles_in, workflow_name
from .interactive_checks import Window, agents_problems, dialog_problems
from .interactive_run import InteractiveRun, Session
from .scenario import PLUGIN
from .tmux import TmuxSession, WaitTimeout, wait_until

COMMAND = (PLUGIN / "commands" / "ml-integration.md").read_text(encoding="utf-8")


def _tool(name: str, *keys: str) -> dict[str, Any]:
    return {"name": name, "input_schema": {"properties": {k: {} for k in keys}}}


MAIN_TOOLS = [
    _tool("Agent", "description", "prompt", "subagent_type"),
    _tool("AskUserQuestion", "questions"),
    _tool("Bash", "command"),
    _tool("Edit", "file_path", "old_string", "new_string"),
    _tool("Read", "file_path"),
    _tool("Workflow", "script", "name", "args", "scriptPath"),
    _tool("Write", "file_path", "content"),
]
LISTING = "Available agent types for the Agent tool:\n" + "\n".join(
    f"- {PLUGIN_NAME}:{step.role}: x (Tools: Read)" for p in PHASES for step in p.steps
)


def _command_message(goal: str) -> dict[str, Any]:
    text = f"<command-name>/{PLUGIN_NAME}:ml-integration</command-name>\n"
    text += f"<command-args>{goal}</command-args>\n{COMMAND}"
    return {"role": "user", "content": [{"type": "text", "text": text}]}


def test_the_fake_model_reads_every_phase_and_role_of_the_shipped_command() -> None:
    read = phases_in(COMMAND)
    assert {n: p.roles for n, p in read.items()} == {
        p.number: tuple(dict.fromkeys(s.role for s in p.steps)) for p in PHASES
    }
    assert set(roles_in(COMMAND)) == {s.role for p in PHASES for s in p.steps}


def test_the_workflow_name_follows_the_route_as_the_command_says() -> None:
    roles = roles_in(COMMAND)
    listed = [f"{PLUGIN_NAME}:{r}" for r in roles] + ["other:product-manager"]
    plugin = resolve_agents(roles, listed)
    assert workflow_name(plugin) == f"{PLUGIN_NAME}:ml-integration-phase"
    assert workflow_name(resolve_agents(roles, list(roles))) == "ml-integration-phase"


def test_the_main_loop_looks_for_state_then_writes_it_then_runs_phase_1_as_a_workflow() -> None:
    history: list[dict[str, Any]] = [
        {"role": "system", "content": LISTING},
        _command_message("predict churn"),
    ]
    made = []
    results = ["ls: cannot access 'ml-integration/*/state.json'", "File created successfully"]
    for result in [*results, "Workflow launched in background. Task ID: w1"]:
        (block,) = fake_model({"system": "main", "tools": MAIN_TOOLS, "messages": history})
        made.append(block)
        history += [
            {"role": "assistant", "content": [block]},
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": block["id"], "content": result}],
            },
        ]
    assert [b["name"] for b in made] == ["Bash", "Write", "Workflow"]
    assert made[1]["input"]["file_path"] == "ml-integration/predict-churn/state.json"
    assert made[2]["input"]["name"] == f"{PLUGIN_NAME}:ml-integration-phase"
    assert made[2]["input"]["args"]["phase"] == 1
    (last,) = fake_model({"system": "main", "tools": MAIN_TOOLS, "messages": history})
    assert last["type"] == "text"  # a background launch ends the turn


def test_a_workflow_agent_writes_its_files_then_returns_structured_output() -> None:
    prompt = "Working folder: ml-integration/x/\nWrite: 01-requirements.md. End with it."
    tools = [_tool("Write", "file_path", "content"), _tool("StructuredOutput", "status")]
    request: dict[str, Any] = {
        "system": [{"type": "text", "text": "cc_is_subagent=true"}],
        "tools": tools,
        "messages": [{"role": "user", "content": prompt}],
    }
    (write,) = fake_model(request)
    assert write["input"]["file_path"] == "ml-integration/x/01-requirements.md"
    request["messages"] += [
        {"role": "assistant", "content": [write]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": write["id"]}]},
    ]
    (done,) = fake_model(request)
    assert done["name"] == "StructuredOutput"
    assert done["input"]["wrote"] == ["ml-integration/x/01-requirements.md"]


def test_side_requests_get_a_harmless_answer() -> None:
    review = {"system": "Respond with <severity>N</severity> ONLY.", "messages": []}
    assert fake_model(review) == [text_block("<severity>0</severity>")]
    assert fake_model({"system": "Write a title", "messages": []})[0]["type"] == "text"


def test_safeguard_verdicts_answer_only_requests_that_ask() -> None:
    call = tool_use_block("Agent", {})
    asked = {"safeguards": [{"type": "dangerous_tool_use"}]}
    verdict = safeguard_verdicts(asked, [call])
    status = verdict["safeguard_results"][0]["status"]
    assert status["tool_uses"] == {call["id"]: {"type": "evaluated", "outcome": "not_flagged"}}
    assert safeguard_verdicts({}, [call]) == {}
    assert safeguard_verdicts(asked, [text_block("hi")]) == {}


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_tmux_driver_types_reads_and_reports_what_it_waited_for(tmp_path: Path) -> None:
    echo = [sys.executable, "-c", "import sys\nfor line in sys.stdin: print('got', line.strip())"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    with TmuxSession(tmp_path / "t.sock", echo, cwd=tmp_path, env=env) as screen:
        screen.type("hello")
        screen.press("Enter")
        assert "got hello" in screen.wait_for_screen("got hello", 10)
        with pytest.raises(WaitTimeout, match="never shown"):
            wait_until(lambda: False, 0.3, lambda: "never shown")
        screen.press("C-d")
        wait_until(lambda: not screen.alive(), 10, lambda: "the pane to exit")


def _spec(role: str) -> AgentSpec:
    return AgentSpec(role, role, "d", ("Read",), None, f"You are the {role}.", Path(f"{role}.md"))


def _agent_request(role: str) -> dict[str, Any]:
    system = [{"type": "text", "text": f"cc_is_subagent=true\nYou are the {role}."}]
    tools = [_tool("Read", "file_path"), _tool("StructuredOutput", "status")]
    return {"system": system, "tools": tools, "messages": [{"role": "user", "content": role}]}


def _run(requests: list[dict[str, Any]], replies: dict[int, list[Any]]) -> InteractiveRun:
    return InteractiveRun("x", requests, [Session(0, ["ready"])], {}, replies, {}, None, [], 0.0)


def test_the_agents_check_fails_an_agent_that_starts_before_the_previous_one_handed_back() -> None:
    first, second = _agent_request("first"), _agent_request("second")
    hand_back = [tool_use_block("StructuredOutput", {"status": "done"})]
    main = {"system": "main", "messages": [{"role": "user", "content": "go"}]}
    window = Window(0, 3)
    specs = [_spec("first"), _spec("second")]
    in_order = _run([main, first, second], {id(first): hand_back})
    assert agents_problems(in_order, specs, window, "StructuredOutput") == []
    no_hand_back = _run([main, first, second], {})
    assert agents_problems(no_hand_back, specs, window, "StructuredOutput") == [
        "second started, but first never handed back through StructuredOutput"
    ]
    overlapping = _run([main, second, first], {id(first): hand_back})
    assert agents_problems(overlapping, specs, window, "StructuredOutput") == [
        "second started before first returned"
    ]


def test_the_dialog_check_reports_a_workflow_approval_on_any_screen() -> None:
    shown = "Run a dynamic workflow?\n  1. Yes, run it"
    run = _run([], {})._replace(sessions=[Session(0, ["calm", shown, "calm again"])])
    assert dialog_problems(run) == [f"a permission dialog was on the screen:\n{shown}"]
    assert dialog_problems(_run([], {})) == []
