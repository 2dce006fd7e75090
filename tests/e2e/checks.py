"""Checks on what the real client sent to the fake API and wrote to its debug log.

Each check returns a list of problems (empty means the check passed), so a test asserts the list is
empty and the negative control asserts it is not: the same code judges both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .expect import AgentSpec, CommandSpec, expand_arguments
from .fake_api import Block, Script, text_block, tool_use_block

SUBAGENT_MARK = "cc_is_subagent=true"
AGENT_LIST_HEADER = "Available agent types"
SUBAGENT_REPLY = "Subagent report: nothing to do in an empty project."
PARENT_DONE = "Every agent has reported."

# Native builds fold Glob and Grep into Bash (embedded find/grep): an agent whose `tools` hold Bash
# gets no Glob or Grep tool, and one without Bash keeps both under their own names.
# real-client-testing.md "What the requests look like" and claude-code-format.md §3.1; observed in
# 2.1.197 and 2.1.332 (data-scientist: Read, Bash, Write, Edit, NotebookEdit; cloud-architect, which
# has no Bash: Read, Write, Edit, Grep, Glob).
FOLDED_INTO_BASH = frozenset({"Glob", "Grep"})


# --- reading requests -------------------------------------------------------------------------


def _texts(content: Any) -> Iterator[str]:
    if isinstance(content, str):
        yield content
    elif isinstance(content, list):
        for block in content:
            if isinstance(block, dict):
                if isinstance(block.get("text"), str):
                    yield block["text"]
                if "content" in block:  # tool_result blocks nest their content
                    yield from _texts(block["content"])


def system_text(request: dict[str, Any]) -> str:
    return "\n".join(_texts(request.get("system")))


def message_text(message: dict[str, Any]) -> str:
    return "\n".join(_texts(message.get("content")))


def all_texts(request: dict[str, Any]) -> list[str]:
    """System text, every message of any role (``system`` included), and every tool description."""
    texts = [system_text(request)]
    texts += [message_text(m) for m in request.get("messages", []) if isinstance(m, dict)]
    texts += [
        str(t.get("description", "")) for t in request.get("tools", []) if isinstance(t, dict)
    ]
    return texts


def is_subagent_request(request: dict[str, Any]) -> bool:
    return SUBAGENT_MARK in system_text(request)


def agent_tool_name(request: dict[str, Any]) -> str | None:
    """The subagent tool (``Agent``, formerly ``Task``): its input schema has ``subagent_type``."""
    for tool in request.get("tools", []):
        if isinstance(tool, dict) and "subagent_type" in json.dumps(tool.get("input_schema", {})):
            return str(tool["name"])
    return None


def parent_requests(requests: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in requests if not is_subagent_request(r)]


def normalise(text: str) -> str:
    return " ".join(text.split())


# --- the scripted model -----------------------------------------------------------------------


def launch_each(agent_types: Sequence[str]) -> Script:
    """A model that launches each agent type in turn, one per parent turn, in the foreground.

    Stateless: the number of launches so far is read from the parent's own message history, so the
    script gives the same answer to the same request.
    """

    def script(request: dict[str, Any]) -> list[Block]:
        tool = agent_tool_name(request)
        if tool is None or is_subagent_request(request):
            return [text_block(SUBAGENT_REPLY)]
        launched = sum(
            1
            for message in request.get("messages", [])
            if isinstance(message, dict) and message.get("role") == "assistant"
            for block in message.get("content", [])
            if isinstance(block, dict)
            and block.get("type") == "tool_use"
            and block.get("name") == tool
        )
        if launched >= len(agent_types):
            return [text_block(PARENT_DONE)]
        agent_type = agent_types[launched]
        return [
            tool_use_block(
                tool,
                {
                    "description": f"Run {agent_type}",
                    "prompt": f"End-to-end check of {agent_type}: reply with one line.",
                    "subagent_type": agent_type,
                    "run_in_background": False,
                },
            )
        ]

    return script


def launch_results(requests: Sequence[dict[str, Any]]) -> dict[str, str]:
    """subagent_type -> the tool result text the parent got back for that launch."""
    parents = parent_requests(requests)
    if not parents:
        return {}
    launched: dict[str, str] = {}  # tool_use id -> subagent_type
    results: dict[str, str] = {}
    for message in parents[-1].get("messages", []):
        for block in message.get("content", []) if isinstance(message.get("content"), list) else []:
            if not isinstance(block, dict):
                continue
            if block.get("type") == "tool_use" and "subagent_type" in (block.get("input") or {}):
                launched[str(block.get("id"))] = str(block["input"]["subagent_type"])
            elif block.get("type") == "tool_result" and block.get("tool_use_id") in launched:
                results[launched[block["tool_use_id"]]] = "\n".join(_texts(block.get("content")))
    return results


# --- checks -----------------------------------------------------------------------------------


def _no_requests(requests: Sequence[dict[str, Any]]) -> list[str]:
    if not parent_requests(requests):
        return ["the client sent no request to the fake API (an unknown command makes no API call)"]
    return []


def expected_agent_line(spec: AgentSpec) -> str:
    return f"- {spec.agent_type}: {spec.description} (Tools: {', '.join(spec.tools)})"


def agent_list_problems(requests: Sequence[dict[str, Any]], spec: AgentSpec) -> list[str]:
    """The first request lists the agent with its description and tools, as in its frontmatter."""
    if problems := _no_requests(requests):
        return problems
    texts = [t for t in all_texts(parent_requests(requests)[0]) if AGENT_LIST_HEADER in t]
    if not texts:
        return [f"no {AGENT_LIST_HEADER!r} text in the first request (system, messages or tools)"]
    expected = expected_agent_line(spec)
    if any(f"\n{expected}\n" in f"\n{text}\n" for text in texts):
        return []
    lines = [line for text in texts for line in text.splitlines()]
    listed = [line for line in lines if line.startswith(f"- {spec.agent_type}: ")]
    if not listed:
        names = [line[2:].split(": ", 1)[0] for line in lines if line.startswith("- ")]
        return [f"{spec.agent_type} is not in the agent list, which has: {', '.join(names)}"]
    return [f"{spec.agent_type} is listed as\n  {listed[0]}\nexpected\n  {expected}"]


def command_problems(requests: Sequence[dict[str, Any]], spec: CommandSpec, goal: str) -> list[str]:
    """The first user message is the expanded command: name, arguments, body with the goal."""
    if problems := _no_requests(requests):
        return problems
    messages = parent_requests(requests)[0].get("messages", [])
    first = message_text(messages[0]) if messages else ""
    problems = []
    if f"<command-name>/{spec.name}</command-name>" not in first:
        problems.append(f"messages[0] has no <command-name>/{spec.name}</command-name>")
    if f"<command-args>{goal}</command-args>" not in first:
        problems.append(f"messages[0] has no <command-args>{goal}</command-args>")
    if normalise(expand_arguments(spec.body, goal)) not in normalise(first):
        problems.append(
            f"messages[0] does not hold the body of {spec.source.name} with the goal in place"
        )
    if "$ARGUMENTS" in first:
        problems.append("messages[0] still holds a literal $ARGUMENTS")
    return problems


def expected_subagent_tools(tools: Iterable[str]) -> set[str]:
    # `Bash(git *)` grants the Bash tool
    names = {re.sub(r"\(.*\)\s*$", "", t).strip() for t in tools}
    return names - FOLDED_INTO_BASH if "Bash" in names else names


def subagent_problems(requests: Sequence[dict[str, Any]], spec: AgentSpec) -> list[str]:
    """A launch of the agent opened a sub-conversation with its body, its tools and its model."""
    if problems := _no_requests(requests):
        return problems
    body = normalise(spec.body)
    found = [r for r in requests if body and body in normalise(system_text(r))]
    if not found:
        result = launch_results(requests).get(spec.agent_type, "(never launched)")
        return [
            f"no request carried the body of {spec.source.name} in its system text; "
            f"the parent's tool result for {spec.agent_type}: {result.strip()[:300]}"
        ]
    request = found[0]
    problems = []
    if not is_subagent_request(request):
        problems.append(
            f"the request with the body of {spec.agent_type} is not marked {SUBAGENT_MARK}"
        )
    sent = {str(t.get("name")) for t in request.get("tools", []) if isinstance(t, dict)}
    expected = expected_subagent_tools(spec.tools)
    if sent != expected:
        problems.append(
            f"{spec.agent_type} ran with tools {sorted(sent)}, expected {sorted(expected)} "
            f"(missing {sorted(expected - sent)}, extra {sorted(sent - expected)})"
        )
    # an alias is sent as a full model id of its family; a full id is sent as written
    wanted = (spec.model or "").lower()
    model = str(request.get("model", ""))
    if (wanted in {"sonnet", "opus", "haiku"} and wanted not in model) or (
        wanted.startswith("claude-") and wanted != model
    ):
        problems.append(f"{spec.agent_type} has model: {spec.model} but ran on {model!r}")
    return problems


_RECORD_START = re.compile(r"^\d{4}-\d\d-\d\dT\S+ \[([A-Z]+)\]")


def log_records(log: str) -> list[tuple[str, str]]:
    """(level, text) per record of a ``--debug-file``; continuation lines belong to their record."""
    records: list[tuple[str, str]] = []
    for line in log.splitlines():
        match = _RECORD_START.match(line)
        if match:
            records.append((match.group(1), line))
        elif records:
            level, text = records[-1]
            records[-1] = (level, f"{text}\n{line}")
    return records


def debug_log_problems(log: str, names: Iterable[str]) -> list[str]:
    """WARN and ERROR records of the debug log that mention one of ``names``.

    ``names`` are file names, agent types and folders of ours; each must stand alone (not inside a
    longer name), so ``data-scientist.md`` matches ``/x/agents/data-scientist.md`` but not
    ``my-data-scientist.md``.
    """
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    return [
        text
        for level, text in log_records(log)
        if level in {"WARN", "ERROR"} and pattern.search(text)
    ]
