"""``ml-agents lint --fix`` judged by the real client: each agent is listed and launched before and
after the repairs, and the client reads the repaired files as it read the originals, except where
a repair is meant to change that: a tool name in the wrong case was dropped and is now granted, and
files an older or stricter reader dropped are now loaded."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import cli_executable, write  # tests/conftest.py

from .checks import AGENT_LIST_HEADER, all_texts, launch_each, normalise, parent_requests
from .checks import system_text as system_of
from .client import ClientInstall, new_project, run_client

pytestmark = pytest.mark.e2e


def _agent(name: str, fields: str, newline: str = "\n") -> str:
    text = f"---\nname: {name}\n{fields}\n---\nBody of {name}: reply with one line.\n"
    return text.replace("\n", newline)


AGENTS = {
    "fix-bom": "\ufeff" + _agent("fix-bom", "description: Reviews a file with a BOM."),
    "fix-quoting": _agent("fix-quoting", "description: Use for: x # y\ntools: Read"),
    "fix-legacy": _agent("fix-legacy", "description: Delegates.\ntools: Read, Task"),
    "fix-crlf": _agent("fix-crlf", "description: Use for: x # y\ntools: Read", "\r\n"),
    "fix-crlf-plain": _agent(
        "fix-crlf-plain", "description: Needs no repair.\ntools: Read", "\r\n"
    ),
    "fix-case": _agent("fix-case", "description: Searches code.\ntools: Read, grep"),
}


class Seen(NamedTuple):
    listed: str | None
    """The agent's line in the agent list, or None when the client did not load it."""
    tools: frozenset[str] | None
    """The tools its launch ran with, or None when it never ran."""


def _seen(client: ClientInstall, home: Path, project: Path) -> dict[str, Seen]:
    run = run_client(
        client,
        prompt="Run each agent.",
        home=home,
        project=project,
        script=launch_each(list(AGENTS)),
    )
    parents = parent_requests(run.requests)
    assert parents, run.summary()
    lines = [
        line
        for text in all_texts(parents[0])
        if AGENT_LIST_HEADER in text
        for line in text.splitlines()
    ]
    seen = {}
    for name in AGENTS:
        listed = next((line for line in lines if line.startswith(f"- {name}: ")), None)
        body = normalise(f"Body of {name}: reply with one line.")
        ran = [r for r in run.requests if body in normalise(system_of(r))]
        tools = frozenset(str(t.get("name")) for t in ran[0].get("tools", [])) if ran else None
        seen[name] = Seen(listed, tools)
    return seen


def test_the_client_reads_fixed_agents_as_before(client: ClientInstall, tmp_path: Path) -> None:
    home, project = new_project(tmp_path)
    for name, text in AGENTS.items():
        write(project / ".claude" / "agents" / f"{name}.md", text)
    before = _seen(client, home, project)
    fixed = subprocess.run(
        [cli_executable(), "lint", "--fix", ".claude"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert "fixed 4 findings in 4 files" in fixed.stderr, fixed.stdout + fixed.stderr
    # the CRLF agent whose value needs quoting is dropped by the client (the auto-quote retry
    # does not cope with CRLF): lint reports it as an error (CC104) whose hint shows the quoted
    # line, and --fix, which only makes repairs that keep what the client reads, leaves it
    assert fixed.returncode == 1, fixed.stdout
    assert "fix-crlf.md:3:21: error CC104" in fixed.stdout, fixed.stdout
    after = _seen(client, home, project)
    report = f"before: {before}\nafter: {after}"
    # every repaired agent is loaded and runs, with the description as written
    for name, text in AGENTS.items():
        if name == "fix-crlf":
            continue
        description = text.split("description: ", 1)[1].split("\n", 1)[0].strip()
        assert after[name].listed is not None, report
        assert after[name].listed.startswith(f"- {name}: {description} ("), report
        assert after[name].tools is not None, report
    # the repairs that keep what the client reads
    for name in ("fix-quoting", "fix-legacy", "fix-crlf-plain"):
        assert after[name].tools == before[name].tools, report
        assert before[name].listed is not None, report
    assert after["fix-quoting"].listed == before["fix-quoting"].listed
    # the one meant to change it: 'grep' was dropped, 'Grep' is granted
    assert before["fix-case"].tools == {"Read"}, report
    assert after["fix-case"].tools == {"Read", "Grep"}, report
    # both clients drop a CRLF agent whose value needs quoting (the auto-quote retry rescues the
    # same value with LF endings, above, but not with CRLF), before and after; the repair rescues
    # an agent saved with a BOM on 2.1.197, which drops it
    assert before["fix-crlf"].listed is None and after["fix-crlf"].listed is None, report
    assert (before["fix-bom"].listed is None) == (client.version == "2.1.197"), report
