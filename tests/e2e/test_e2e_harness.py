"""The e2e harness on its own, without the client: the fake API speaks the protocol, the rules hold.

These run in well under a second and need no npm, so a broken harness shows up even where the
real-client tests are skipped.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from .checks import debug_log_problems, expected_subagent_tools, launch_each
from .expect import expand_arguments, rewrite_agent_names
from .fake_api import FakeApi, text_block, tool_use_block


def _post(url: str, body: dict[str, Any]) -> tuple[str, str]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["Content-Type"], response.read().decode()


def test_fake_api_streams_scripted_blocks_and_logs_every_request() -> None:
    blocks = [text_block("hello"), tool_use_block("Agent", {"subagent_type": "x"})]
    with FakeApi(lambda _body: blocks) as api:
        urllib.request.urlopen(urllib.request.Request(api.base_url, method="HEAD"), timeout=10)
        body = {
            "model": "claude-test-1",
            "stream": True,
            "messages": [{"role": "system", "content": "accepted"}],
        }
        kind, stream = _post(f"{api.base_url}/v1/messages?beta=true", body)
        _, counted = _post(f"{api.base_url}/v1/messages/count_tokens", {"messages": []})
    assert kind == "text/event-stream"
    events = [line.split(": ", 1)[1] for line in stream.splitlines() if line.startswith("event: ")]
    assert events[0] == "message_start" and events[-2:] == ["message_delta", "message_stop"]
    data = [json.loads(line[6:]) for line in stream.splitlines() if line.startswith("data: ")]
    assert data[0]["message"]["model"] == "claude-test-1"
    deltas = [d["delta"] for d in data if d["type"] == "content_block_delta"]
    assert deltas[0] == {"type": "text_delta", "text": "hello"}
    assert json.loads(deltas[1]["partial_json"]) == {"subagent_type": "x"}
    assert data[-2]["delta"]["stop_reason"] == "tool_use"
    assert "input_tokens" in json.loads(counted)
    assert [(r.method, r.path) for r in api.requests] == [
        ("HEAD", "/"),
        ("POST", "/v1/messages"),
        ("POST", "/v1/messages/count_tokens"),
    ]
    assert api.message_requests() == [body]


def test_launch_each_launches_one_agent_per_parent_turn_then_stops() -> None:
    script = launch_each(["a", "b"])
    agent_tool = {"name": "Agent", "input_schema": {"properties": {"subagent_type": {}}}}
    history: list[dict[str, Any]] = [{"role": "user", "content": "go"}]
    launched = []
    for _ in range(3):
        (block,) = script({"system": "parent", "tools": [agent_tool], "messages": history})
        if block["type"] != "tool_use":
            break
        launched.append(block["input"]["subagent_type"])
        assert block["input"]["run_in_background"] is False
        history += [{"role": "assistant", "content": [block]}, {"role": "user", "content": "ok"}]
    assert launched == ["a", "b"]
    sub = {"system": [{"type": "text", "text": "cc_is_subagent=true;"}], "tools": [agent_tool]}
    assert script(sub)[0]["type"] == "text"


def test_grep_and_glob_fold_into_bash_only_when_bash_is_granted() -> None:
    assert expected_subagent_tools(["Read", "Grep", "Glob", "Bash"]) == {"Read", "Bash"}
    assert expected_subagent_tools(["Read", "Grep", "Glob"]) == {"Read", "Grep", "Glob"}
    assert expected_subagent_tools(["Bash(git *)", "Glob"]) == {"Bash"}


def test_debug_log_problems_keep_only_warnings_and_errors_about_our_names() -> None:
    log = "\n".join(
        [
            "2026-11-26T05:08:32.418Z [WARN] Failed to parse YAML frontmatter in /p/agents/x-y.md",
            "    at parse (yaml)",
            "2026-11-26T05:08:32.420Z [DEBUG] loaded /p/agents/x-y.md",
            "2026-11-26T05:08:32.421Z [ERROR] Failed to save config /h/.claude.json",
            "2026-11-26T05:08:32.422Z [WARN] something about /p/agents/not-x-y.md",
        ]
    )
    problems = debug_log_problems(log, ["x-y.md"])
    assert problems == [
        "2026-11-26T05:08:32.418Z [WARN] Failed to parse YAML frontmatter in /p/agents/x-y.md"
        "\n    at parse (yaml)"
    ]


def test_arguments_and_prefix_follow_the_documented_rules() -> None:
    assert expand_arguments("Goal: <goal>$ARGUMENTS</goal>", "a b") == "Goal: <goal>a b</goal>"
    assert expand_arguments("first $0, all $ARGUMENTS", "a b") == "first a, all a b"
    assert expand_arguments("no placeholder", "a b") == "no placeholder\n\nARGUMENTS: a b"
    roles = ("ml-engineer", "data-scientist")
    text = "Use `ml-engineer`, not ml-engineer or `ml-engineers`."
    assert (
        rewrite_agent_names(text, roles, "p-")
        == "Use `p-ml-engineer`, not ml-engineer or `ml-engineers`."
    )
