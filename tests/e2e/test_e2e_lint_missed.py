"""What the real client does with the files behind the issue-13 "missed" rules, and that the linter
agrees: nested skills and agents a plugin.json leaves out are not loaded (CC410, CC610), the
auto-quote retry repairs what the linter's emulation repairs and nothing more (CC104), and shell
snippets an allow rule matches are refused for the client's own reasons (CC317).

The client is asked what it loaded through the initialize control request (no model call).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import write  # tests/conftest.py

from ml_agents.lint.engine import lint

from .checks import is_subagent_request, launch_each, launch_results, system_text
from .client import NEWEST, ClientInstall, initialize_reply, offline_env, run_client
from .scenario import fresh_dirs

pytestmark = pytest.mark.e2e

NEEDS_QUOTING = "description: Use for: reviews, #1 priority"
PROJECT_AGENTS = {
    # file name: (frontmatter lines, the description the client must read, or None: not loaded)
    "flow-tools": (
        f'name: flow-tools\n{NEEDS_QUOTING}\ntools: ["Read", "Grep"]',
        "Use for: reviews, #1 priority",
    ),
    "quoted-start": (
        'name: quoted-start\ndescription: "Quoted start" but: unquoted end',
        '"Quoted start" but: unquoted end',
    ),
    "dashes": ("name: dashes\ndescription: Reviews code --- fast", "Reviews code"),
    "indented": ("name: indented\ndescription: Reviews.\nnotes:\n  when: run: now", None),
    "digit-key": ("name: digit-key\ndescription: Reviews.\nstep2: run: now", None),
}


def _initialize(client: ClientInstall, home: Path, project: Path, plugin: Path) -> dict[str, Any]:
    reply, stderr = initialize_reply(client, home, project, "--plugin-dir", str(plugin))
    if reply is None:
        pytest.fail(f"no initialize reply; stderr {stderr[-400:]!r}", pytrace=False)
    return reply


def _layout(root: Path) -> Path:
    plugin = root / "probe"
    manifest = {
        "name": "probe",
        "version": "1.0.0",
        "description": "Probe.",
        "author": {"name": "a"},
        "agents": ["./agents/listed.md"],
    }
    write(plugin / ".claude-plugin/plugin.json", json.dumps(manifest))
    for name in ("listed", "unlisted"):
        write(plugin / f"agents/{name}.md", f"---\nname: {name}\ndescription: A.\n---\nBody\n")
    for folder in ("skills/flat", "skills/group/nested"):
        name = folder.rsplit("/", 1)[-1]
        write(plugin / folder / "SKILL.md", f"---\nname: {name}\ndescription: S.\n---\nDo it.\n")
    return plugin


def test_what_loads_is_what_the_linter_says_loads(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home, project = fresh_dirs(tmp_path_factory.mktemp(f"missed-{client.version}"))
    write(home / ".claude/settings.json", '{"disableAllHooks": true}')
    for name, (front, _) in PROJECT_AGENTS.items():
        write(project / f".claude/agents/{name}.md", f"---\n{front}\n---\nYou help.\n")
    plugin = _layout(project.parent)
    reply = _initialize(client, home, project, plugin)

    agents = {a.get("name"): a.get("description") for a in reply.get("agents", [])}
    for name, (_, description) in PROJECT_AGENTS.items():
        assert agents.get(name) == description, (name, agents)
    assert "probe:listed" in agents and "probe:unlisted" not in agents, agents
    skills = [c.get("name", "") for c in reply.get("commands", [])]
    assert any(s.endswith("flat") for s in skills), skills
    assert not any("nested" in s for s in skills), skills

    findings = lint([project / ".claude", plugin], cwd=project.parent).findings
    got = {(Path(f.path).parent.name, Path(f.path).stem, f.code) for f in findings}
    assert got >= {("agents", "indented", "CC104"), ("agents", "digit-key", "CC104")}, got
    assert ("agents", "unlisted", "CC610") in got and ("nested", "SKILL", "CC410") in got, got
    assert ("agents", "dashes", "CC030") in got, got
    refused = {"CC104", "CC301", "CC207", "CC201", "CC610", "CC410"}
    for name in ("flow-tools", "quoted-start", "listed"):
        assert not [g for g in got if g[1] == name and g[2] in refused], (name, got)


# plugin.json "agents" entries: file -> its frontmatter name. Listed files are "<plugin>:<name>"
# from any folder (the default agents/ folder would have made "<plugin>:a:x" and "<plugin>:b:x").
LISTED = {
    "agents/a/x.md": "x",
    "agents/b/x.md": "x",
    "extra/y.md": "y",
    "more/y.md": "y",
    "agents/c/solo.md": "solo",
}


def test_listed_agents_share_one_namespace_and_clash_across_folders(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home, project = fresh_dirs(tmp_path_factory.mktemp(f"listing-{client.version}"))
    plugin = project.parent / "listing"
    manifest = {"name": "listing", "version": "1.0.0", "description": "L.", "author": {"name": "a"}}
    manifest["agents"] = [f"./{path}" for path in LISTED]
    write(plugin / ".claude-plugin/plugin.json", json.dumps(manifest))
    for path, name in LISTED.items():
        write(plugin / path, f"---\nname: {name}\ndescription: From {path}.\n---\nBody\n")
    reply = _initialize(client, home, project, plugin)

    loaded = [a.get("name") for a in reply.get("agents", []) if "listing" in str(a.get("name"))]
    # one agent per name, no subfolder in any id
    assert sorted(loaded) == ["listing:solo", "listing:x", "listing:y"], loaded

    findings = lint([plugin], cwd=project.parent).findings
    clashes = sorted(f.path for f in findings if f.code == "CC601")
    names = [Path(path).stem for path in clashes]
    assert clashes and all(names.count(n) == 2 for n in names), clashes
    assert sorted(set(names)) == ["x", "y"], clashes
    # what the client names them is what CC315 tells a plugin command to write
    write(plugin / "commands/run.md", '---\ndescription: R.\n---\nsubagent_type: "solo"\n')
    hints = [f.hint for f in lint([plugin], cwd=project.parent).findings if f.code == "CC315"]
    assert hints == ["Write 'listing:solo'."], hints


SNIPPETS = {
    # command: (allowed-tools, snippet, the client's reason)
    "ahead": ("Bash(git log:*)", "git log --oneline @{u}..HEAD", "Brace expansion"),
    "nested": ("Bash(git status:*)", "git status --short $(pwd)", "A nested command"),
    "home": ("Bash(cat:*)", "cat ~/.claude/settings.json", "may only concatenate files from"),
}


def test_allowed_snippets_the_client_refuses(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if client.version != NEWEST.version:
        pytest.skip("measured on the newest client only")
    home, project = fresh_dirs(tmp_path_factory.mktemp(f"snippets-{client.version}"))
    write(home / ".claude/settings.json", '{"disableAllHooks": true}')
    for name, (rule, snippet, _) in SNIPPETS.items():
        text = f"---\ndescription: T.\nallowed-tools: {rule}\n---\nOut: !`{snippet}`\n"
        write(project / f".claude/commands/{name}.md", text)
    env = offline_env(client.bin_dir, home, ANTHROPIC_BASE_URL="http://127.0.0.1:9")
    env["ANTHROPIC_API_KEY"] = "sk-test"
    for name, (_, snippet, reason) in SNIPPETS.items():
        done = subprocess.run(
            [str(client.bin_dir / "claude"), "-p", f"/{name}", "--output-format", "json"],
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        result = str(json.loads(done.stdout).get("result"))
        assert "Shell command permission check failed" in result and reason in result, result
        findings = lint([project / f".claude/commands/{name}.md"], cwd=project).findings
        assert [f.code for f in findings] == ["CC317"] and reason in findings[0].message, snippet


SUBAGENTS = {
    # agent file: (tools line, what the client does with it)
    "todo": ("tools: Read, TodoWrite", "CC230"),
    "refused": ("tools: read, grep", "CC232"),
    "empty": ("tools: []", "CC231"),
}


def test_subagent_tools_and_agent_types_as_the_linter_says(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if client.version != NEWEST.version:
        pytest.skip("measured on the newest client only")
    home, project = fresh_dirs(tmp_path_factory.mktemp(f"subagents-{client.version}"))
    write(home / ".claude/settings.json", '{"disableAllHooks": true}')
    for name, (tools, _) in SUBAGENTS.items():
        text = f"---\nname: {name}\ndescription: Agent {name}.\n{tools}\n---\nBODY-{name}\n"
        write(project / f".claude/agents/{name}.md", text)
    plugin = project.parent / "probe"
    write(plugin / ".claude-plugin/plugin.json", '{"name": "probe", "version": "1.0.0"}')
    write(plugin / "agents/reviewer.md", "---\nname: reviewer\ndescription: R.\n---\nBODY-r\n")
    write(plugin / "commands/go.md", "---\ndescription: Go.\n---\nUse subagent_type: reviewer.\n")
    types = [*SUBAGENTS, "reviewer", "probe::reviewer", "probe:reviewer"]
    run = run_client(
        client,
        prompt="Run the agents.",
        home=home,
        project=project,
        script=launch_each(types),
        extra_args=["--plugin-dir", str(plugin)],
    )
    results = launch_results(run.requests)
    assert "would be spawned with zero tools" in results.get("refused", ""), results
    for bad in ("reviewer", "probe::reviewer"):
        assert f"Agent type '{bad}' not found" in results.get(bad, ""), results
    tools = {
        name: [t.get("name") for t in request.get("tools", [])]
        for request in run.requests
        if is_subagent_request(request)
        for name in (*SUBAGENTS, "r")
        if f"BODY-{name}" in system_text(request)
    }
    assert tools.get("empty") == [] and "r" in tools, tools
    assert "Read" in tools["todo"] and "TodoWrite" not in tools["todo"], tools

    findings = lint([project / ".claude", plugin], cwd=project.parent).findings
    got = {(Path(f.path).stem, f.code) for f in findings}
    assert {(name, code) for name, (_, code) in SUBAGENTS.items()} <= got, got
    assert ("go", "CC315") in got, got


def test_a_folder_in_the_agents_list_unloads_the_whole_plugin(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A folder among plugin.json's agent files: the client loads none of the plugin's agents,
    the listed files included; the linter says so, and its hint lists the files."""
    home, project = fresh_dirs(tmp_path_factory.mktemp(f"folder-{client.version}"))
    plugin = project.parent / "withdir"
    manifest = {"name": "withdir", "version": "1.0.0", "description": "W.", "author": {"name": "a"}}
    manifest["agents"] = ["./agents/one.md", "./agents/team"]
    write(plugin / ".claude-plugin/plugin.json", json.dumps(manifest))
    for path in ("agents/one.md", "agents/team/two.md"):
        name = Path(path).stem
        write(plugin / path, f"---\nname: {name}\ndescription: From {path}.\n---\nBody\n")
    reply = _initialize(client, home, project, plugin)
    names = [str(a.get("name")) for a in reply.get("agents", [])]
    assert not [n for n in names if n.startswith("withdir:")], names
    assert "Explore" in names or "general-purpose" in names, names  # the reply is a real listing

    findings = lint([plugin], cwd=project.parent).findings
    folder = [f for f in findings if f.code == "CC504"]
    assert len(folder) == 1 and "does not load this plugin at all" in folder[0].message, findings
    assert folder[0].hint == 'List the files instead: "./agents/team/two.md".', folder[0].hint
