"""Checks on an interactive run: its request log, its screens and the files it left.

Like checks.py, each returns a list of problems (empty: the check passed), so the positive tests
assert an empty list and the negative controls assert the very same check reports the breakage.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from ml_agents.phases import PHASES

from .checks import is_subagent_request, normalise, subagent_problems, system_text
from .expect import AgentSpec
from .interactive import Call, blocks, calls, command_start, tool_named_by_schema
from .interactive_run import DIALOG, QUESTION_FOOTER, InteractiveRun

STATE_FILE = "state.json"


def phase_roles(number: int) -> tuple[str, ...]:
    """The agents a phase runs, in order, from the one phase catalog."""
    phase = next(p for p in PHASES if p.number == number)
    return tuple(step.role for step in phase.steps)


class Window(NamedTuple):
    """A stretch of the request log: ``requests[start:end]``."""

    start: int
    end: int


def windows(run: InteractiveRun) -> dict[str, Window]:
    """phase 1 (session 1 until the approval), phase 2 (the rest of session 1), session 2."""
    total = len(run.requests)
    second = run.sessions[1].first_request if len(run.sessions) > 1 else total
    approved = run.marks.get("approved", second)
    return {
        "phase 1": Window(0, approved),
        "phase 2": Window(approved, second),
        "session 2": Window(second, total),
    }


def run_problems(run: InteractiveRun) -> list[str]:
    """The run went through every step (no wait timed out, no dialog) and the fake model ran."""
    problems = [f"the run stopped early: {run.failure}"] if run.failure else []
    problems += [f"fake model error: {e}" for e in run.script_errors]
    return problems


def dialog_problems(run: InteractiveRun) -> list[str]:
    """No screen ever showed a permission dialog (workflow approval, file write, tool use)."""
    return [
        f"a permission dialog was on the screen:\n{screen}"
        for screen in dict.fromkeys(run.screens())
        if DIALOG.search(screen)
    ][:1]


# --- the main loop's calls ---------------------------------------------------------------------


def main_calls(run: InteractiveRun, window: Window, new_only: bool = True) -> list[Call]:
    """The main loop's tool calls (with their results) made in ``window``; with ``new_only``
    False, also those made earlier in the same session (a question asked before, answered in it)."""

    def mains(start: int, end: int) -> list[dict[str, Any]]:
        return [
            r
            for r in run.requests[start:end]
            if not is_subagent_request(r) and command_start(r.get("messages", [])) is not None
        ]

    inside = mains(window.start, window.end)
    if not inside:
        return []
    messages = inside[-1].get("messages", [])
    made = calls(messages[command_start(messages) or 0 :])
    # a call still waiting for its result when the session ended is only in the fake's reply
    made += [c for c in mains_replies(run, inside) if c.id not in {m.id for m in made}]
    session = max(s.first_request for s in run.sessions if s.first_request <= window.start)
    before = mains(session, window.start)
    if not new_only or not before:
        return made
    earlier = before[-1].get("messages", [])
    seen = {c.id for c in calls(earlier)} | {c.id for c in mains_replies(run, before)}
    return [c for c in made if c.id not in seen]


def mains_replies(run: InteractiveRun, requests: list[dict[str, Any]]) -> list[Call]:
    """The calls the fake model made in answer to ``requests`` (still without results)."""
    return [
        Call(str(b["id"]), str(b["name"]), b.get("input") or {}, None, False)
        for r in requests
        for b in run.replies.get(id(r), [])
        if b.get("type") == "tool_use"
    ]


def workflow_calls(run: InteractiveRun, window: Window) -> list[Call]:
    mains = [r for r in run.requests[window.start : window.end] if not is_subagent_request(r)]
    names = {tool_named_by_schema(r, "scriptPath") for r in mains} - {None}
    return [c for c in main_calls(run, window) if c.name in names]


def phase_of(call: Call) -> int | None:
    args = call.input.get("args")
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except json.JSONDecodeError:
            return None
    return args.get("phase") if isinstance(args, dict) else None


def reports(run: InteractiveRun, window: Window) -> list[str]:
    """Texts of the task notifications the main loop received in ``window``."""
    found: list[str] = []
    for request in run.requests[window.start : window.end]:
        if is_subagent_request(request):
            continue
        for message in request.get("messages", [])[-1:]:
            for block in blocks(message):
                text = str(block.get("text", ""))
                if "<task-notification>" in text and text not in found:
                    found.append(text)
    return found


def workflow_problems(run: InteractiveRun, phase: int, window: Window) -> list[str]:
    """The phase ran as one Workflow call, accepted by the client, whose run completed done."""
    ran = [c for c in workflow_calls(run, window) if phase_of(c) == phase]
    if not ran:
        made = [phase_of(c) for c in workflow_calls(run, window)]
        return [f"no Workflow call for phase {phase} (Workflow calls for phases {made})"]
    call = ran[0]
    if call.result is None or call.is_error:
        return [f"the Workflow call for phase {phase} failed: {(call.result or '').strip()[:400]}"]
    ends = [r for r in reports(run, window) if f"<tool-use-id>{call.id}</tool-use-id>" in r]
    if not ends:
        return [f"the workflow of phase {phase} never reported back"]
    end = ends[0]
    if "<status>completed</status>" not in end or '"status":"done"' not in end.replace(" ", ""):
        return [f"the workflow of phase {phase} did not end done:\n{end.strip()[:1500]}"]
    return []


def first_launch_problems(run: InteractiveRun, phase: int, window: Window) -> list[str]:
    """The first phase the main loop launched in ``window`` (Workflow or Agent) is ``phase``."""
    first_role = phase_roles(phase)[0]
    for call in main_calls(run, window):
        if phase_of(call) is not None:
            if phase_of(call) != phase:
                return [f"the first Workflow call ran phase {phase_of(call)}, not {phase}"]
            return []
        agent_type = call.input.get("subagent_type")
        if isinstance(agent_type, str):
            if not agent_type.endswith(first_role):
                return [
                    f"the first agent launched was {agent_type}, not phase {phase}'s {first_role}"
                ]
            return []
    return [f"nothing was launched for phase {phase}"]


# --- the subagents ---------------------------------------------------------------------------


def conversation(run: InteractiveRun, spec: AgentSpec, window: Window) -> list[int]:
    """Indexes of the subagent requests in ``window`` that carry ``spec``'s body."""
    body = normalise(spec.body)
    return [
        i
        for i in range(window.start, window.end)
        if is_subagent_request(run.requests[i]) and body in normalise(system_text(run.requests[i]))
    ]


def delivered(run: InteractiveRun, indexes: list[int], harness_tool: str | None) -> bool:
    """The agent handed its result back: the fake model called ``harness_tool`` in one of its
    turns, or (no harness tool: a foreground agent) ended a turn with plain text."""
    answers = [b for i in indexes for b in run.replies.get(id(run.requests[i]), [])]
    if harness_tool is None:
        return any(b.get("type") == "text" for b in answers)
    return any(b.get("type") == "tool_use" and b.get("name") == harness_tool for b in answers)


def agents_problems(
    run: InteractiveRun,
    specs: Sequence[AgentSpec],
    window: Window,
    harness_tool: str | None,
) -> list[str]:
    """Each agent ran in ``window``, in the given order, with its body, exactly its tools (plus the
    tool the harness gives it to hand back), its model; each next one only after the previous
    one handed back."""
    problems: list[str] = []
    previous: tuple[AgentSpec, list[int]] | None = None
    for spec in specs:
        found = conversation(run, spec, window)
        expected = spec._replace(tools=(*spec.tools, harness_tool) if harness_tool else spec.tools)
        problems += subagent_problems(run.requests[window.start : window.end], expected)
        if not found:
            continue
        if previous is not None:
            before, indexes = previous
            if not indexes:
                problems.append(f"{spec.agent_type} ran although {before.agent_type} never did")
            elif min(found) < max(indexes):
                problems.append(f"{spec.agent_type} started before {before.agent_type} returned")
            elif not delivered(run, indexes, harness_tool):
                problems.append(
                    f"{spec.agent_type} started, but {before.agent_type} never handed back"
                    f"{f' through {harness_tool}' if harness_tool else ''}"
                )
        previous = (spec, found)
    return problems


def absent_problems(run: InteractiveRun, spec: AgentSpec, window: Window) -> list[str]:
    """``spec``'s agent did not run in ``window`` (an approved phase is not redone on resume)."""
    if conversation(run, spec, window):
        return [f"{spec.agent_type} ran again after the resume, although its phase was approved"]
    return []


# --- screens and files -----------------------------------------------------------------------


def question_problems(run: InteractiveRun, session: int, question: str) -> list[str]:
    """The question dialog with ``question`` was on the screen in that session."""
    screens = run.sessions[session].screens if len(run.sessions) > session else []
    if any(question in s and QUESTION_FOOTER in s for s in screens):
        return []
    last = screens[-1] if screens else "(no screen)"
    return [f"session {session + 1} never showed the question {question!r}; last screen:\n{last}"]


def answer_problems(run: InteractiveRun, window: Window, answer: str) -> list[str]:
    """AskUserQuestion came back with the user's ``answer``."""
    asked = [c for c in main_calls(run, window, new_only=False) if "questions" in c.input]
    if any(c.result and f'="{answer}"' in c.result for c in asked):
        return []
    return [f"no question was answered {answer!r}: {[c.result for c in asked]}"]


def state_problems(run: InteractiveRun, goal: str, approved: int, running: int) -> list[str]:
    """The working folder holds ``state.json`` for ``goal``: phase ``approved`` approved with its
    artifacts on disk, phase ``running`` in progress or done; the main loop's writes of it all
    went through (no denial, no prompt)."""
    states = [p for p in run.files if p.startswith("ml-integration/") and p.endswith(STATE_FILE)]
    if len(states) != 1:
        return [f"expected one ml-integration/<slug>/{STATE_FILE}, found {states}"]
    folder = states[0][: -len(STATE_FILE)]
    try:
        state = json.loads(run.files[states[0]])
    except json.JSONDecodeError as error:
        return [f"{states[0]} is not JSON: {error}"]
    problems = []
    if state.get("goal") != goal:
        problems.append(f"{states[0]} has goal {state.get('goal')!r}, expected {goal!r}")
    phases = state.get("phases") or {}
    done = phases.get(str(approved)) or {}
    if (done.get("approval") or {}).get("decision") != "approved":
        problems.append(f"phase {approved} is not recorded approved: {done}")
    if (phases.get(str(running)) or {}).get("status") not in {"in-progress", "done"}:
        problems.append(f"phase {running} is not in progress: {phases.get(str(running))}")
    step_writes = [w for p in PHASES if p.number == approved for s in p.steps for w in s.writes]
    missing = [w for w in step_writes if f"{folder}{w}" not in run.files]
    if missing:
        problems.append(f"phase {approved}'s artifacts are missing from {folder}: {missing}")
    starts = [s.first_request for s in run.sessions] + [len(run.requests)]
    writes = [
        c
        for start, end in itertools.pairwise(starts)
        for c in main_calls(run, Window(start, end))
        if str(c.input.get("file_path", "")).endswith(STATE_FILE)
        and ("content" in c.input or "old_string" in c.input)
    ]
    failed = [c.result for c in writes if c.result is None or c.is_error]
    if not writes or failed:
        problems.append(f"the main loop's writes of {STATE_FILE} did not all go through: {failed}")
    return problems
