"""The real client runs our phase workflow, headless, on every install route.

The fake model answers ``/ml-integration <goal>`` with one Workflow call for phase 1, by name, as
the command says; the client runs ``workflows/ml-integration-phase.js`` itself. Judged from the
request log: the call was pre-approved by the command's ``allowed-tools`` (``-p`` denies it
otherwise), product-manager and then data-scientist ran, each with its body, tools (plus the
client's ``StructuredOutput``) and model, and the structured result came back to the main loop.

The facts behind the named-vs-path decision (README, "Named workflow or path") are checked too, so
a client that changes them fails here: the Workflow tool takes ``name``, ``args`` and
``scriptPath``; a call by ``scriptPath`` is not pre-approved by ``Workflow(<name>)``; a named
workflow is one line of the Skill listing, ``- <name>: <description> - <whenToUse>``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import cli_executable  # tests/conftest.py

from ml_agents.install.payload import workflow_meta

from .checks import expected_subagent_tools, normalise, subagent_problems, system_text
from .client import ClientInstall, ClientRun, initialize_commands, run_client
from .expect import AgentSpec, Naming, plugin_naming
from .fake_api import Block, Script, text_block, tool_use_block
from .scenario import (
    AGENT_ROLES,
    GOAL,
    PLUGIN,
    ROUTES,
    InstallFailed,
    Route,
    expectations,
    fresh_dirs,
    prepare_route,
)

pytestmark = pytest.mark.e2e

WORKFLOW = PLUGIN / "workflows" / "ml-integration-phase.js"
FOLDER = "ml-integration/churn-model/"
PHASE_1 = ("product-manager", "data-scientist")
STRUCTURED = "StructuredOutput"
LAUNCHED = "Workflow launched in background"
NOT_APPROVED = "Review dynamic workflow before running"


def workflow_name(naming: Naming) -> str:
    meta = workflow_meta(WORKFLOW.read_text(encoding="utf-8"))
    assert meta is not None
    return f"{naming.namespace}{naming.prefix}{meta[0]}"


def phase_args(naming: Naming) -> dict[str, Any]:
    return {
        "phase": 1,
        "folder": FOLDER,
        "goal": GOAL,
        "agents": {role: f"{naming.namespace}{naming.prefix}{role}" for role in AGENT_ROLES},
        "decisions": [],
        "revision_notes": "",
        "handoffs": [],
    }


def role_of(request: dict[str, Any], specs: dict[str, AgentSpec]) -> str | None:
    system = normalise(system_text(request))
    return next((role for role, s in specs.items() if normalise(s.body) in system), None)


def one_workflow_call(call: dict[str, Any], specs: dict[str, AgentSpec]) -> Script:
    """The main loop makes ``call`` once; each agent answers with its return block as structured
    output (naming the artifact it would write); everything else is a line of text."""

    def script(request: dict[str, Any]) -> list[Block]:
        role = role_of(request, specs)
        tools = {t.get("name") for t in request.get("tools", []) if isinstance(t, dict)}
        if role is not None:
            if STRUCTURED not in tools:
                return [text_block(f"{role} has no {STRUCTURED} tool")]
            prompt = json.dumps(request.get("messages", [])[:2])
            if "Adversarially check one finding" in prompt:
                verdict = {"verdict": "confirmed", "severity": "high", "reason": "app.py:3"}
                return [tool_use_block(STRUCTURED, verdict)]
            block = {
                "status": "done",
                "wrote": [f"{FOLDER}{role}.md"],
                "summary": f"- {role} checked the empty project",
                "open_questions": [],
                "handoffs": [],
            }
            if "one lens of the review" in prompt:
                lens = re.search(r"one lens of the review: ([^(]+?) \(", prompt)
                title = lens.group(1) if lens else "?"
                block["report"] = f"REPORT OF {title}"
                severity = "high" if title == "Model security" else "low"
                block["findings"] = [
                    {"id": f"{title}-1", "severity": severity, "where": "app.py:3"}
                    | {"what": "no auth", "fix": "add auth", "owner": "backend-developer"}
                ]
            return [tool_use_block(STRUCTURED, block)]
        called = any(
            isinstance(b, dict) and b.get("type") == "tool_use"
            for m in request.get("messages", [])
            if m.get("role") == "assistant" and isinstance(m.get("content"), list)
            for b in m["content"]
        )
        if not called and "Workflow" in tools:
            return [tool_use_block("Workflow", call)]
        return [text_block("Phase 1 is waiting for its workflow.")]

    return script


class WorkflowRun(NamedTuple):
    version: str
    naming: Naming
    run: ClientRun
    agents: dict[str, AgentSpec]

    def report(self, problems: list[str]) -> str:
        return "\n".join([*problems, f"(client {self.version}: {self.run.summary()})"])


def run_phase_one(
    client: ClientInstall,
    route: Route,
    root: Path,
    call: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
) -> WorkflowRun:
    home, project = fresh_dirs(root)
    executable = cli_executable() if route.install_args is not None else ""
    try:
        prepared = prepare_route(route, executable, home=home, project=project)
    except InstallFailed as error:
        pytest.fail(f"install route {route.id}: {error}", pytrace=False)
    specs, _command = expectations(PLUGIN, prepared.naming)
    agents = {r: s for r, s in specs.items() if isinstance(s, AgentSpec)}
    assert len(agents) == len(AGENT_ROLES), specs
    call = call or {"name": workflow_name(prepared.naming), "args": phase_args(prepared.naming)}
    run = run_client(
        client,
        prompt=f"/{prepared.naming.command} {GOAL}",
        home=home,
        project=project,
        script=one_workflow_call(call, agents),
        extra_args=prepared.client_args,
        extra_env=env,
    )
    return WorkflowRun(client.version, prepared.naming, run, agents)


@pytest.fixture(scope="module", params=ROUTES, ids=[route.id for route in ROUTES])
def phase_one(
    request: pytest.FixtureRequest, client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> WorkflowRun:
    route: Route = request.param
    return run_phase_one(client, route, tmp_path_factory.mktemp(f"wf-{route.id}-{client.version}"))


def tool_results(requests: list[dict[str, Any]]) -> list[str]:
    texts = []
    for request in requests:
        for message in request.get("messages", []):
            for block in (
                message.get("content", []) if isinstance(message.get("content"), list) else []
            ):
                if isinstance(block, dict) and block.get("type") == "tool_result":
                    texts.append(json.dumps(block.get("content")))
    return texts


def notification_result(requests: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The workflow's return value, from the task notification the main loop received."""
    for request in reversed(requests):
        found = re.search(r"<result>(.*?)</result>", json.dumps(request.get("messages", [])))
        if found:
            raw = json.loads(f'"{found.group(1)}"')
            try:
                parsed = json.loads(raw)
            except json.JSONDecodeError:
                return {"unparsed": raw}
            return parsed if isinstance(parsed, dict) else {"unparsed": raw}
    return None


def test_the_workflow_call_is_pre_approved_by_the_command(phase_one: WorkflowRun) -> None:
    results = tool_results(phase_one.run.requests)
    assert any(LAUNCHED in r for r in results), phase_one.report(
        [f"the Workflow call was not launched; tool results: {[r[:200] for r in results]}"]
    )
    assert not any(NOT_APPROVED in r for r in results)


def test_phase_one_agents_run_in_order_with_body_tools_and_model(phase_one: WorkflowRun) -> None:
    requests = phase_one.run.requests
    roles = [role_of(r, phase_one.agents) for r in requests]
    ran = [r for r in roles if r is not None]
    assert sorted(set(ran)) == sorted(PHASE_1), phase_one.report([f"agents that ran: {ran}"])
    last_first = max(i for i, r in enumerate(roles) if r == PHASE_1[0])
    first_second = min(i for i, r in enumerate(roles) if r == PHASE_1[1])
    assert last_first < first_second, "data-scientist started before product-manager finished"
    for role in PHASE_1:
        spec = phase_one.agents[role]
        problems = [
            p for p in subagent_problems(requests, spec) if "ran with tools" not in p
        ]  # the tools are compared below, with the client's StructuredOutput added
        request = next(r for r in requests if role_of(r, phase_one.agents) == role)
        sent = {str(t.get("name")) for t in request.get("tools", [])}
        if sent != expected_subagent_tools(spec.tools) | {STRUCTURED}:
            problems.append(f"{spec.agent_type} ran with tools {sorted(sent)}")
        assert not problems, phase_one.report(problems)


def test_each_agent_gets_the_prompt_built_from_the_catalog(phase_one: WorkflowRun) -> None:
    requests = phase_one.run.requests
    first = {}
    for request in requests:
        role = role_of(request, phase_one.agents)
        if role and role not in first:
            first[role] = json.dumps(request.get("messages", [])[:2])
    assert GOAL in first["product-manager"]
    assert "Read first (in the working folder): nothing earlier" in first["product-manager"]
    assert "Read first (in the working folder): 01-requirements.md" in first["data-scientist"]
    assert "Write: 01-data-assessment.md, datasheet.md" in first["data-scientist"]


def test_the_structured_result_comes_back_to_the_main_loop(phase_one: WorkflowRun) -> None:
    result = notification_result(phase_one.run.requests)
    assert result is not None, phase_one.report(["no task notification with a <result>"])
    assert result.get("phase") == 1 and result.get("status") == "done", result
    assert [a["role"] for a in result["agents"]] == list(PHASE_1)
    types = [f"{phase_one.naming.namespace}{phase_one.naming.prefix}{r}" for r in PHASE_1]
    assert [a["agentType"] for a in result["agents"]] == types
    assert result["agents"][1]["wrote"] == [f"{FOLDER}data-scientist.md"]
    assert result["stopped_before"] is None and result["error"] is None


def test_the_named_workflow_is_one_line_of_the_skill_listing(phase_one: WorkflowRun) -> None:
    first = phase_one.run.requests[0]
    meta = workflow_meta(WORKFLOW.read_text(encoding="utf-8"))
    assert meta is not None
    line = f"- {workflow_name(phase_one.naming)}: {meta[1]}"
    texts = [json.dumps(first.get("messages", [])), json.dumps(first.get("system", ""))]
    assert any(json.dumps(line)[1:-1] in text for text in texts), (
        f"no {line!r} in the first request"
    )


# --- the facts behind calling it by name ------------------------------------------------------


def test_the_workflow_tool_takes_a_name_args_and_a_script_path(phase_one: WorkflowRun) -> None:
    tool = next(t for t in phase_one.run.requests[0]["tools"] if t.get("name") == "Workflow")
    assert {"name", "args", "scriptPath"} <= set(tool["input_schema"]["properties"])


def test_a_call_by_path_is_not_pre_approved(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    route = ROUTES[0]  # the plugin route: the script sits in the plugin folder
    assert route.install_args is None
    root = tmp_path_factory.mktemp(f"wf-path-{client.version}")
    call = {"scriptPath": str(WORKFLOW), "args": phase_args(plugin_naming())}
    outcome = run_phase_one(client, route, root, call)
    results = tool_results(outcome.run.requests)
    assert results and not any(LAUNCHED in r for r in results), outcome.report(results)
    assert not [r for r in outcome.run.requests if role_of(r, outcome.agents)], "no agent ran"


def test_the_named_workflow_is_in_the_slash_menu(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The client's own list of commands (the initialize reply, no model call) holds it."""
    home, project = fresh_dirs(tmp_path_factory.mktemp(f"wf-menu-{client.version}"))
    commands, stderr = initialize_commands(client, home, project, "--plugin-dir", str(PLUGIN))
    name = workflow_name(plugin_naming())
    listed = [c for c in commands if c.get("name") == name]
    meta = workflow_meta(WORKFLOW.read_text(encoding="utf-8"))
    assert meta is not None
    description = meta[1].split(" - ")[0]
    assert listed == [
        {"name": name, "description": f"{description} (dynamic workflow)", "argumentHint": ""}
    ], f"{name} in the initialize reply: {listed}; {len(commands)} commands; {stderr[-300:]}"


@pytest.mark.parametrize("switch", ["CLAUDE_CODE_DISABLE_WORKFLOWS=1", "CLAUDE_CODE_WORKFLOWS=0"])
def test_with_workflows_off_there_is_no_workflow_tool_and_no_listing_line(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory, switch: str
) -> None:
    """The command's agent path is taken exactly when this happens: no Workflow tool offered."""
    name, value = switch.split("=")
    root = tmp_path_factory.mktemp(f"wf-off-{client.version}")
    outcome = run_phase_one(client, ROUTES[1], root, env={name: value})
    first = outcome.run.requests[0]
    assert "Workflow" not in {t.get("name") for t in first.get("tools", [])}
    assert workflow_name(outcome.naming) + ":" not in json.dumps(first.get("messages", []))
    assert not [r for r in outcome.run.requests if role_of(r, outcome.agents)], "nothing ran"


@pytest.mark.parametrize("layout", ["plugin", "project"])
def test_plugin_root_is_substituted_only_in_a_plugin_command(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory, layout: str
) -> None:
    """Why a call by path would need two spellings: only a plugin command gets the variable."""
    root = tmp_path_factory.mktemp(f"wf-root-{layout}-{client.version}")
    home, project = fresh_dirs(root)
    body = "---\ndescription: Probe of the plugin root variable\n---\nROOT=${CLAUDE_PLUGIN_ROOT}\n"
    if layout == "plugin":
        plugin = root / "probe-plugin"
        manifest = {"name": "probe", "version": "0.0.1", "description": "probe"}
        (plugin / ".claude-plugin").mkdir(parents=True)
        (plugin / ".claude-plugin" / "plugin.json").write_text(json.dumps(manifest))
        (plugin / "commands").mkdir()
        (plugin / "commands" / "root.md").write_text(body)
        prompt, args, expected = "/probe:root", ["--plugin-dir", str(plugin)], f"ROOT={plugin}"
    else:
        (project / ".claude" / "commands").mkdir(parents=True)
        (project / ".claude" / "commands" / "root.md").write_text(body)
        prompt, args, expected = "/root", [], "ROOT=${CLAUDE_PLUGIN_ROOT}"
    run = run_client(
        client,
        prompt=prompt,
        home=home,
        project=project,
        script=lambda _request: [text_block("ok")],
        extra_args=args,
    )
    assert run.requests, run.summary()
    first = json.dumps(run.requests[0]["messages"][0])
    assert json.dumps(expected)[1:-1] in first, first[:600]


def test_phase_8_runs_three_lenses_and_verifies_the_high_finding(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    route = ROUTES[0]
    call = {
        "name": workflow_name(route.naming),
        "args": {**phase_args(route.naming), "phase": 8, "feature_type": "classical"},
    }
    root = tmp_path_factory.mktemp(f"wf-phase8-{client.version}")
    outcome = run_phase_one(client, route, root, call)
    prompts = [
        json.dumps(r.get("messages", [])[:2])
        for r in outcome.run.requests
        if role_of(r, outcome.agents) == "security-auditor"
    ]
    lenses = [p for p in prompts if "one lens of the review" in p]
    checks = [p for p in prompts if "Adversarially check one finding" in p]
    assert len({re.search(r"one lens of the review: ([^(]+)", p).group(1) for p in lenses}) == 3, (
        outcome.report([f"{len(lenses)} lens requests"])
    )
    assert checks and all("Model security-1" in p for p in checks), "only the high one is checked"
    result = notification_result(outcome.run.requests)
    assert result is not None, outcome.report(["no task notification"])
    assert result["status"] == "done", result
    assert [a["label"] for a in result["agents"]] == [
        "security:model-security",
        "security:privacy",
        "security:governance",
    ]
    report = result["report"]
    assert "REPORT OF Model security" in report and "REPORT OF Model governance" in report
    assert "- Model security-1 (high, Model security): confirmed, severity high: app.py:3" in report
