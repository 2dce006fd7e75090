"""The fake model of an interactive ``/ml-integration`` run: what a model following it decides.

It decides from the request alone (the tools offered, the expanded command, tool results, task
notifications), never from knowledge of the test. It is stateless: everything it knows is rebuilt
from the conversation the client sends, so the same request always gets the same answer.

- Main loop (the expanded command is in the conversation): look for ``ml-integration/*/state.json``
  (Glob, or Bash where Glob is folded into it), Read a match; same goal -> ask resume/fresh/stop;
  otherwise Write a new ``state.json``; run the phase as one Workflow call when that tool is
  offered (falling back to agents if the call or its run fails), else launch the phase's agents one
  at a time with the Agent tool, ending the turn after a background launch and going on when its
  report arrives; after a phase, Edit ``state.json`` and ask the checkpoint with AskUserQuestion;
  "approve" records the approval and starts the next phase.
- Subagent (``cc_is_subagent``): Write the files its prompt names, then deliver the return block
  through StructuredOutput (workflow agent), SubagentHandback (background agent) or as final text.
- Anything else (title generation, auto mode's reviews of hand-backs): a harmless answer.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from .checks import is_subagent_request, message_text, system_text
from .fake_api import Block, text_block, tool_use_block

COMMAND_MARK = re.compile(r"<command-name>/([\w:.-]*ml-integration)</command-name>")
ARGS_MARK = re.compile(r"<command-args>(.*?)</command-args>", re.DOTALL)
WORKFLOW_STEM = "ml-integration-phase"
STATE_GLOB = "ml-integration/*/state.json"
CHECKPOINT_HEADER = "Checkpoint"
RESUME_HEADER = "Resume"
APPROVE = "Approve"
REVISE = "Revise"
STOP = "Stop"
RESUME = "Resume"
FRESH = "Start fresh"
SIDE_ANSWER = "ok"
STARTED = "Started; I will go on when it reports back."


# --- reading the conversation ------------------------------------------------------------------


def blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [b for b in content or [] if isinstance(b, dict)]


def tool_named_by_schema(
    request: dict[str, Any], *keys: str, without: tuple[str, ...] = ()
) -> str | None:
    """The tool whose input schema has all ``keys`` and none of ``without`` (names change between
    releases, schemas less)."""
    for tool in request.get("tools", []):
        if not isinstance(tool, dict):
            continue
        properties = (tool.get("input_schema") or {}).get("properties") or {}
        if all(k in properties for k in keys) and not any(k in properties for k in without):
            return str(tool.get("name"))
    return None


def tool_named(request: dict[str, Any], name: str) -> str | None:
    names = {str(t.get("name")) for t in request.get("tools", []) if isinstance(t, dict)}
    return name if name in names else None


class Call(NamedTuple):
    """A tool call the model made, with the result the client gave back (``None`` while pending)."""

    id: str
    name: str
    input: dict[str, Any]
    result: str | None
    is_error: bool


def calls(messages: list[dict[str, Any]]) -> list[Call]:
    found: dict[str, Call] = {}
    for message in messages:
        for block in blocks(message):
            if block.get("type") == "tool_use":
                key = str(block["id"])
                found[key] = Call(key, str(block["name"]), block.get("input") or {}, None, False)
            elif block.get("type") == "tool_result" and block.get("tool_use_id") in found:
                key = str(block["tool_use_id"])
                text = message_text({"content": [block]})
                found[key] = found[key]._replace(result=text, is_error=bool(block.get("is_error")))
    return list(found.values())


def command_start(messages: list[dict[str, Any]]) -> int | None:
    """Index of the last user message that carries the expanded command (one run of it)."""
    start = None
    for index, message in enumerate(messages):
        if message.get("role") == "user" and COMMAND_MARK.search(message_text(message)):
            start = index
    return start


def strip_line_numbers(text: str) -> str:
    """Read's result prefixes each line with its number and a tab (or an arrow in some releases)."""
    lines = [re.sub(r"^\s*\d+[\t→]", "", line) for line in text.splitlines()]
    return "\n".join(line for line in lines if not line.startswith("<system-reminder>"))


def json_in(text: str) -> Any:
    start = text.find("{")
    if start < 0:
        return None
    try:
        value, _end = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError:
        return None
    return value


# --- what the command says -------------------------------------------------------------------


class Phase(NamedTuple):
    number: int
    name: str
    roles: tuple[str, ...]


PHASE_HEADING = re.compile(r"^#+\s*Phase (\d+)[,:.]?\s*(.*)$", re.MULTILINE)
ROLE_LINE = re.compile(r"^(?:\d+\.\s*)?`([a-z][\w-]*)`", re.MULTILINE)


def phases_in(command: str) -> dict[int, Phase]:
    """Phase number -> name and the agents it runs in order, as the command's phase sections say."""
    headings = list(PHASE_HEADING.finditer(command))
    found: dict[int, Phase] = {}
    for here, after in zip(headings, [*headings[1:], None], strict=True):
        section = command[here.end() : after.start() if after else len(command)]
        section = section.split("\n## ", 1)[0]
        roles = tuple(dict.fromkeys(m.group(1) for m in ROLE_LINE.finditer(section)))
        name = re.split(r",\s*only if|\s*\(", here.group(2).strip())[0].strip()
        found[int(here.group(1))] = Phase(int(here.group(1)), name, roles)
    return found


def roles_in(command: str) -> tuple[str, ...]:
    match = re.search(r"roles?:\s*((?:`[\w-]+`[,.\s]*(?:and\s*)?)+)", command)
    return tuple(re.findall(r"`([\w-]+)`", match.group(1))) if match else ()


def listed_agent_types(request: dict[str, Any]) -> list[str]:
    texts = [system_text(request)] + [message_text(m) for m in request.get("messages", [])]
    texts += [
        str(t.get("description", "")) for t in request.get("tools", []) if isinstance(t, dict)
    ]
    return [
        m.group(1)
        for text in texts
        if "Available agent types" in text
        for m in re.finditer(r"^- ([\w:.-]+): ", text, re.MULTILINE)
    ]


def resolve_agents(roles: tuple[str, ...], listed: list[str]) -> dict[str, str]:
    """role -> agent type: named exactly like the role, or ``<plugin>:<role>``."""
    resolved = {}
    for role in roles:
        candidates = [t for t in listed if t == role or t.endswith(f":{role}")]
        preferred = [t for t in candidates if t.startswith("ml-agents:")] or candidates
        if preferred:
            resolved[role] = preferred[0]
    return resolved


def workflow_name(agents: dict[str, str]) -> str:
    """The command's rule: the resolved product-manager type with ``product-manager`` replaced by
    ``ml-integration-phase`` (``ml-agents:ml-integration-phase`` on the plugin route)."""
    return agents.get("product-manager", "product-manager").replace(
        "product-manager", WORKFLOW_STEM
    )


def slug_of(goal: str) -> str:
    words = re.findall(r"[a-z0-9]+", goal.lower())
    return "-".join(words[:4]) or "run"


# --- the main loop ---------------------------------------------------------------------------


class Tools(NamedTuple):
    agent: str | None
    workflow: str | None
    ask: str | None
    read: str | None
    write: str | None
    edit: str | None
    glob: str | None
    bash: str | None
    skill: str | None


def tools_of(request: dict[str, Any]) -> Tools:
    return Tools(
        agent=tool_named_by_schema(request, "subagent_type"),
        workflow=tool_named_by_schema(request, "scriptPath"),
        ask=tool_named_by_schema(request, "questions"),
        read=tool_named_by_schema(request, "file_path", without=("content", "old_string")),
        write=tool_named_by_schema(request, "file_path", "content"),
        edit=tool_named_by_schema(request, "file_path", "old_string"),
        glob=tool_named_by_schema(request, "pattern", without=("output_mode",)),
        bash=tool_named_by_schema(request, "command"),
        skill=tool_named_by_schema(request, "skill"),
    )


def main_loop(request: dict[str, Any], messages: list[dict[str, Any]], start: int) -> list[Block]:
    command = message_text(messages[start])
    goal_match = ARGS_MARK.search(command)
    goal = goal_match.group(1).strip() if goal_match else ""
    tools = tools_of(request)
    history = calls(messages[start:])
    last = messages[-1]
    state_path, state = known_state(history)
    if tools.ask is None or tools.write is None or tools.read is None:
        return [text_block("The tools this command needs are not offered.")]

    if not history:
        if tools.glob:
            return [tool_use_block(tools.glob, {"pattern": STATE_GLOB})]
        return [tool_use_block(tools.bash or "Bash", {"command": f"ls -1 {STATE_GLOB}"})]

    previous = history[-1]
    if previous.result is None:  # a tool call still pending: nothing to decide
        return [text_block("Waiting.")]
    notification = notification_in(last)
    if notification is not None:
        reports = [r for m in messages[start:-1] if (r := notification_in(m)) is not None]
        about = reported_call(notification, history)
        # 2.1.332 reports a background agent twice (its hand-back, then its task's end): the
        # second report is no news, and may share its message with the result of a later call
        if about is None or not any(reported_call(r, history) == about for r in reports):
            return after_report(notification, tools, state_path, state, command, request)

    if previous.name in {tools.glob, tools.bash} and state_path is None:
        found = re.findall(
            r"(?:/[^\s]*/)?ml-integration/[\w.-]+/state\.json", previous.result or ""
        )
        if found:
            return [tool_use_block(tools.read, {"file_path": found[0]})]
        return new_state(goal, tools, command, request)
    if previous.name == tools.skill and state is not None and in_progress(state):
        # the command, invoked again: its pre-approval now covers this turn's Workflow call
        return run_phase(in_progress(state), tools, state, command, request)
    if previous.name == tools.read and state is not None and not asked(history, RESUME_HEADER):
        if str(state.get("goal", "")).strip().lower() == goal.lower():
            return [ask(tools.ask, resume_question(state))]
        return new_state(goal, tools, command, request, taken={str(state.get("folder"))})
    if previous.name == tools.ask:
        return after_answer(previous, tools, state_path, state, command, request)
    if previous.name in {tools.write, tools.edit} and state is not None and state_path:
        return next_step(tools, state_path, state, command, request)
    if previous.name == tools.workflow and previous.is_error:
        running = in_progress(state) if state else 0
        if running and state is not None:  # the command's rule: that phase falls back to agents
            return run_phase(running, tools, state, command, request, use_workflow=False)
    if previous.name == tools.agent and not is_async(previous.result or ""):
        # a foreground agent (older clients): its report is the tool result itself
        return after_report(previous.result or "", tools, state_path, state, command, request)
    if previous.name in {tools.workflow, tools.agent}:
        return [text_block(STARTED)]
    return [text_block("Nothing to do.")]


def is_async(result: str) -> bool:
    return bool(re.search(r"launched|running in (the )?background|Task ID", result, re.IGNORECASE))


def known_state(history: list[Call]) -> tuple[str | None, dict[str, Any] | None]:
    """The state file's path and content as the model last saw or wrote it."""
    path: str | None = None
    text: str | None = None
    for call in history:
        target = str(call.input.get("file_path", ""))
        if not target.endswith("state.json"):
            continue
        if "content" in call.input:
            path, text = target, str(call.input["content"])
        elif "old_string" in call.input and text is not None:
            text = text.replace(str(call.input["old_string"]), str(call.input["new_string"]), 1)
        elif call.result is not None and not call.is_error:
            path, text = target, strip_line_numbers(call.result)
    state = json_in(text) if text else None
    return path, state if isinstance(state, dict) else None


def asked(history: list[Call], header: str) -> bool:
    return any(
        q.get("header") == header for c in history for q in c.input.get("questions", []) or []
    )


def ask(tool: str, question: tuple[str, str, list[str]]) -> Block:
    header, text, options = question
    return tool_use_block(
        tool,
        {
            "questions": [
                {
                    "question": text,
                    "header": header,
                    "options": [{"label": o, "description": o} for o in options],
                    "multiSelect": False,
                }
            ]
        },
    )


def resume_fragment(phase: int) -> str:
    """The end of the resume question, which the test waits for on the screen."""
    return f"resume it at phase {phase}?"


def checkpoint_fragment(phase: int) -> str:
    """The end of phase ``phase``'s checkpoint question, which the test waits for on the screen."""
    return f"go on to phase {phase + 1}?"


def resume_question(state: dict[str, Any]) -> tuple[str, str, list[str]]:
    phase = first_unfinished(state)
    return (
        RESUME_HEADER,
        f"A run for this goal is in {state.get('folder')}; {resume_fragment(phase)}",
        [RESUME, FRESH, STOP],
    )


def checkpoint_question(state: dict[str, Any], phase: int) -> tuple[str, str, list[str]]:
    name = state["phases"][str(phase)]["name"]
    return (
        CHECKPOINT_HEADER,
        f"Phase {phase}, {name}, is done. Approve it and {checkpoint_fragment(phase)}",
        [APPROVE, REVISE, STOP],
    )


def first_unfinished(state: dict[str, Any]) -> int:
    for key, phase in sorted(state.get("phases", {}).items(), key=lambda kv: int(kv[0])):
        approved = (phase.get("approval") or {}).get("decision") == "approved"
        if not ((phase.get("status") == "done" and approved) or phase.get("status") == "skipped"):
            return int(key)
    return 0


def answer_of(call: Call) -> str:
    """The label the user picked, from AskUserQuestion's result (``"question"="answer"``)."""
    found = re.findall(r'"=\s*"([^"]*)"', call.result or "")
    return found[-1] if found else (call.result or "")


def new_state(
    goal: str,
    tools: Tools,
    command: str,
    request: dict[str, Any],
    taken: frozenset[str] | set[str] = frozenset(),
) -> list[Block]:
    assert tools.write is not None
    slug = slug_of(goal)
    while f"ml-integration/{slug}/" in taken:
        slug += "-2"
    folder = f"ml-integration/{slug}/"
    phases = phases_in(command)
    roles = roles_in(command)
    state = {
        "goal": goal,
        "folder": folder,
        "agents": resolve_agents(roles, listed_agent_types(request)),
        "phases": {
            str(n): {
                "name": p.name,
                "status": "in-progress" if n == 1 else "pending",
                "artifacts": [],
                "approval": None,
                "notes": [],
                "open_questions": [],
            }
            for n, p in sorted(phases.items())
        },
        "handoffs": [],
        "scorecard": "pending",
    }
    return [
        tool_use_block(tools.write, {"file_path": f"{folder}state.json", "content": dump(state)})
    ]


def dump(state: dict[str, Any]) -> str:
    return json.dumps(state, indent=2) + "\n"


def save(tools: Tools, path: str, old: dict[str, Any], new: dict[str, Any]) -> Block:
    assert tools.edit is not None
    return tool_use_block(
        tools.edit, {"file_path": path, "old_string": dump(old), "new_string": dump(new)}
    )


def in_progress(state: dict[str, Any]) -> int:
    for key, phase in state.get("phases", {}).items():
        if phase.get("status") == "in-progress":
            return int(key)
    return 0


def next_step(
    tools: Tools, path: str, state: dict[str, Any], command: str, request: dict[str, Any]
) -> list[Block]:
    """After saving the state: run the phase in progress, or hold its checkpoint when it is done."""
    running = in_progress(state)
    if running:
        return run_phase(running, tools, state, command, request)
    done = [
        int(k)
        for k, p in state.get("phases", {}).items()
        if p.get("status") == "done" and p.get("approval") is None
    ]
    if done:
        return [ask(tools.ask or "AskUserQuestion", checkpoint_question(state, min(done)))]
    return [text_block("State saved.")]


def run_phase(
    number: int,
    tools: Tools,
    state: dict[str, Any],
    command: str,
    request: dict[str, Any],
    after_role: str | None = None,
    use_workflow: bool = True,
) -> list[Block]:
    folder = str(state["folder"])
    if tools.workflow and use_workflow:
        messages = [m for m in request.get("messages", []) if isinstance(m, dict)]
        if tools.skill and needs_reinvocation(messages, tools.skill):
            return [
                tool_use_block(
                    tools.skill, {"skill": command_name(messages), "args": f"--continue {folder}"}
                )
            ]
        args = {
            "phase": number,
            "folder": folder,
            "goal": state["goal"],
            "feature_type": state.get("feature_type"),
            "agents": state["agents"],
            "decisions": decisions(state),
            "revision_notes": "",
            "handoffs": [],
        }
        call = {"name": workflow_name(state["agents"]), "args": args}
        return [tool_use_block(tools.workflow, call)]
    assert tools.agent is not None
    roles = phases_in(command)[number].roles
    role = roles[roles.index(after_role) + 1] if after_role else roles[0]
    return [
        tool_use_block(
            tools.agent,
            {
                "description": f"Phase {number}: {role}",
                "subagent_type": state["agents"][role],
                "prompt": agent_prompt(number, role, state, command),
                # the command: pass run_in_background: false only where the tool offers it
                **({"run_in_background": False} if offers_background(request, tools.agent) else {}),
            },
        )
    ]


def command_name(messages: list[dict[str, Any]]) -> str:
    """The command as the user invoked it (``ml-integration``, ``ml-agents:ml-integration``)."""
    start = command_start(messages)
    found = COMMAND_MARK.search(message_text(messages[start])) if start is not None else None
    return found.group(1) if found else "ml-integration"


def needs_reinvocation(messages: list[dict[str, Any]], skill: str) -> bool:
    """The command's rule: its pre-approval covers only the turn it was invoked in. A turn that a
    task report began needs the command invoked again (Skill tool) before a Workflow call."""
    start = command_start(messages)
    if start is None:
        return False
    began = [i for i in range(start + 1, len(messages)) if notification_in(messages[i]) is not None]
    if not began:
        return False
    return not any(call.name == skill for call in calls(messages[began[-1] :]))


def offers_background(request: dict[str, Any], tool: str) -> bool:
    return any(
        t.get("name") == tool
        and "run_in_background" in ((t.get("input_schema") or {}).get("properties") or {})
        for t in request.get("tools", [])
        if isinstance(t, dict)
    )


def decisions(state: dict[str, Any]) -> list[str]:
    return [
        str(p["approval"].get("notes", ""))
        for p in state.get("phases", {}).values()
        if p.get("approval")
    ]


def agent_prompt(number: int, role: str, state: dict[str, Any], command: str) -> str:
    """The command's prompt template with this agent's reads and writes from its phase section."""
    phase = phases_in(command)[number]
    section = command.split(f"Phase {number},", 1)[-1]
    item = next(
        (
            line
            for line in section.splitlines()
            if line.lstrip("0123456789. ").startswith(f"`{role}`")
        ),
        "",
    )
    writes = re.findall(r"[\w-]+\.md", item.split("writes", 1)[-1]) if "writes" in item else []
    reads = re.findall(r"[\w-]+\.md", item.split("writes", 1)[0])
    return "\n".join(
        [
            f"Working folder: {state['folder']}",
            f"Goal: {state['goal']}",
            f"Phase {number}, {phase.name}.",
            f"Read first (in the working folder): {', '.join(reads) or 'nothing'}",
            f"Write: {', '.join(writes)}. End with your return block",
        ]
    )


REPORT_MARKS = (
    "<task-notification>",  # a workflow's (or a background task's) end
    "<agent-message",  # 2.1.332: a SubagentHandback report, "Another Claude session sent a message"
)


def notification_in(message: dict[str, Any]) -> str | None:
    """The text of a background task's report, when ``message`` is one (never the user's words)."""
    text = message_text(message)
    if message.get("role") != "user" or not any(mark in text for mark in REPORT_MARKS):
        return None
    return text


def reported_call(report: str, history: list[Call]) -> str | None:
    """The id of the Workflow or Agent call a report is about: named by ``<tool-use-id>``, or by the
    agent id (``<agent-message from=...>``) that call's result gave."""
    named = re.search(r"<tool-use-id>([^<]+)</tool-use-id>", report)
    if named:
        return named.group(1).strip()
    sender = re.search(r'<agent-message from="([^"]+)"', report)
    if sender:
        for call in history:
            if call.result and sender.group(1) in call.result:
                return call.id
    return None


def after_report(
    report: str,
    tools: Tools,
    path: str | None,
    state: dict[str, Any] | None,
    command: str,
    request: dict[str, Any],
) -> list[Block]:
    """A workflow or an agent reported: launch the phase's next agent, or save the phase as done."""
    if state is None or path is None:
        return [text_block("A task reported, but no run is in progress.")]
    running = in_progress(state)
    if not running:
        return [text_block("A task reported; no phase is running.")]
    result = re.search(r"<result>(.*?)</result>", report, re.DOTALL)
    outcome = json_in(result.group(1) if result else report)
    outcome = outcome if isinstance(outcome, dict) else {}
    history = calls(request.get("messages", []))
    launches = [c for c in history if c.name in {tools.workflow, tools.agent}]
    if launches and launches[-1].name == tools.workflow:
        failed = "<status>failed</status>" in report or outcome.get("error") or not outcome
        if failed:  # the command's rule: that phase falls back to the Agent procedure
            return run_phase(running, tools, state, command, request, use_workflow=False)
    else:
        roles = phases_in(command)[running].roles
        last_type = str(launches[-1].input.get("subagent_type")) if launches else ""
        role = next((r for r in roles if state["agents"].get(r) == last_type), roles[-1])
        if role != roles[-1]:
            return run_phase(
                running, tools, state, command, request, after_role=role, use_workflow=False
            )
    new = json.loads(json.dumps(state))
    phase = new["phases"][str(running)]
    phase["status"] = str(outcome.get("status") or "done")
    if running == 1 and not new.get("feature_type"):
        # the command: after phase 1, copy the type from 01-requirements.md (the fake's pick)
        new["feature_type"] = "classical"
    phase["artifacts"] = [w for a in outcome.get("agents", []) for w in a.get("wrote", [])]
    return [save(tools, path, state, new)]


def after_answer(
    call: Call,
    tools: Tools,
    path: str | None,
    state: dict[str, Any] | None,
    command: str,
    request: dict[str, Any],
) -> list[Block]:
    answer = answer_of(call)
    header = (call.input.get("questions") or [{}])[0].get("header")
    if state is None or path is None:
        return [text_block("No run to go on with.")]
    new = json.loads(json.dumps(state))
    if header == RESUME_HEADER:
        if answer.startswith(RESUME):
            resumed = first_unfinished(state)
            new["phases"][str(resumed)]["status"] = "in-progress"
            if new == state:
                return run_phase(resumed, tools, state, command, request)
            return [save(tools, path, state, new)]
        return [text_block("Stopped; nothing changed.")]
    done = min(
        int(k)
        for k, p in state["phases"].items()
        if p.get("status") == "done" and p.get("approval") is None
    )
    if answer.startswith(APPROVE):
        new["phases"][str(done)]["approval"] = {"decision": "approved", "notes": answer}
        if str(done + 1) in new["phases"]:
            new["phases"][str(done + 1)]["status"] = "in-progress"
        return [save(tools, path, state, new)]
    return [text_block(f"Stopped at phase {done}; run the command again to go on.")]


# --- subagents -------------------------------------------------------------------------------


def subagent(request: dict[str, Any]) -> list[Block]:
    messages = [m for m in request.get("messages", []) if isinstance(m, dict)]
    prompt = "\n".join(message_text(m) for m in messages if m.get("role") == "user")
    history = calls(messages)
    write = tool_named_by_schema(request, "file_path", "content")
    folder_match = re.search(r"(ml-integration/[\w.-]+/)", prompt)
    folder = folder_match.group(1) if folder_match else ""
    wanted = files_to_write(prompt)
    written = {str(c.input.get("file_path")) for c in history if "content" in c.input}
    for name in wanted:
        target = f"{folder}{name}"
        if write and target not in written:
            return [tool_use_block(write, {"file_path": target, "content": f"# {name}\n\nFake.\n"})]
    report = {
        "status": "done",
        "wrote": [f"{folder}{n}" for n in wanted],
        "summary": "Wrote the files the prompt asked for.",
        "open_questions": [],
        "handoffs": [],
    }
    delivered = [c for c in history if c.name in {"StructuredOutput", "SubagentHandback"}]
    if delivered and delivered[-1].result is not None and not delivered[-1].is_error:
        return [text_block("Delivered.")]
    structured = tool_named(request, "StructuredOutput")
    if structured:
        return [tool_use_block(structured, structured_input(request, structured, report))]
    handback = tool_named(request, "SubagentHandback")
    if handback:
        return [tool_use_block(handback, handback_input(request, handback, report))]
    return [text_block(return_block(report))]


def files_to_write(prompt: str) -> list[str]:
    for line in prompt.splitlines():
        if re.match(r"^\s*Write\b", line):
            return list(dict.fromkeys(re.findall(r"[\w-]+\.(?:md|json|py|yaml)", line)))
    return []


def return_block(report: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"STATUS: {report['status']}",
            f"WROTE: {', '.join(report['wrote'])}",
            f"SUMMARY: {report['summary']}",
            "OPEN QUESTIONS: none",
            "HAND-OFFS: none",
        ]
    )


REVIEW_REPORT = "## Scope\nFake.\n\n## Findings\nNone.\n\n## Checklist results\nFake.\n"


def structured_input(request: dict[str, Any], tool: str, report: dict[str, Any]) -> dict[str, Any]:
    """The return block, plus every field the script's schema asks for beyond it (a read-only
    step's ``report`` and ``findings``): a model fills what the schema it was given requires."""
    schema = next(
        (t.get("input_schema") or {} for t in request.get("tools", []) if t.get("name") == tool), {}
    )
    filled = dict(report)
    for key, field in (schema.get("properties") or {}).items():
        if key not in filled and isinstance(field, dict):
            kind = field.get("type")
            filled[key] = [] if kind == "array" else REVIEW_REPORT if kind == "string" else {}
    return filled


def handback_input(request: dict[str, Any], tool: str, report: dict[str, Any]) -> dict[str, Any]:
    schema = next(
        (t.get("input_schema") or {} for t in request.get("tools", []) if t.get("name") == tool), {}
    )
    properties = list((schema.get("properties") or {}).keys())
    text = return_block(report)
    return {properties[0] if properties else "report": text}


# --- the script ------------------------------------------------------------------------------


def fake_model(request: dict[str, Any]) -> list[Block]:
    """The fake API's script for an interactive run."""
    if is_subagent_request(request):
        return subagent(request)
    messages = [m for m in request.get("messages", []) if isinstance(m, dict)]
    start = command_start(messages)
    if start is None or tool_named_by_schema(request, "questions") is None:
        return [text_block(side_answer(request))]
    return main_loop(request, messages, start)


def side_answer(request: dict[str, Any]) -> str:
    """Auto mode's reviewers grade an action with ``<severity>N</severity>``: grade it routine."""
    asked_for = system_text(request) + "".join(message_text(m) for m in request.get("messages", []))
    return "<severity>0</severity>" if "<severity>" in asked_for else SIDE_ANSWER
