"""What the checks accept and reject, on real files in temporary folders.

The first half pins down "not stricter than the client": every form claude-code-format.md says the
client accepts must lint clean. The second half pins down the findings, hints and positions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write

from ml_agents.lint.engine import lint
from ml_agents.lint.result import Finding

GOOD = "name: reviewer\ndescription: Reviews a diff for bugs before merge.\n"


def lint_file(tmp_path: Path, relative: str, text: str | bytes) -> list[Finding]:
    write(tmp_path / relative, text)
    return lint([Path(relative)], cwd=tmp_path).findings


def codes(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in findings]


def agent(front: str, body: str = "You review code.\n") -> str:
    return f"---\n{GOOD}{front}---\n\n{body}"


def command(front: str, body: str = "Review $ARGUMENTS.\n") -> str:
    return f"---\ndescription: Review a diff.\n{front}---\n\n{body}"


# --- accepted by the client, so clean -------------------------------------------------------------

CLEAN_AGENT_FIELDS = [
    "tools: Read, Grep, Glob\n",
    "tools: Read Grep Glob\n",
    "tools: [Read, Grep, Glob]\n",
    "tools:\n  - Read\n  - Grep\n",
    "tools: '*'\n",
    "tools: Read, mcp__github, mcp__github__*, mcp__github__get_issue, mcp__github__get_*\n",
    "tools: Read, Agent(reviewer, planner)\n",
    "tools: NotebookEdit, WebFetch, WebSearch, Skill, LSP, propose_skills\n",
    "disallowedTools: Bash, mcp__slack\n",
    "model: inherit\n",
    "model: INHERIT\n",
    "model: sonnet\n",
    "model: opus[1m]\n",
    "model: opusplan\n",
    "model: claude-opus-4-8\n",
    "model: claude-sonnet-4-5[1m]\n",
    "model: claude-3.5-haiku\n",
    *[
        f"color: {c}\n"
        for c in ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan")
    ],
    "permissionMode: acceptEdits\n",
    "permissionMode: manual\n",
    "permissionMode: plan\n",
    "effort: med\n",
    "effort: 3\n",
    "effort: xhigh\n",
    "maxTurns: 20\n",
    "maxTurns: '20'\n",
    "memory: project\n",
    "background: true\n",
    "background: 'false'\n",
    "isolation: remote\n",
    "skills: [pdf, docx]\n",
    "hooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n"
    "        - type: command\n          command: ./check.sh\n",
    "mcpServers:\n  - github\n",
    "initialPrompt: Start with the diff.\n",
    "omitClaudeMd: true\n",
    "",
]


@pytest.mark.parametrize("front", CLEAN_AGENT_FIELDS)
def test_agent_forms_the_client_accepts_are_clean(tmp_path: Path, front: str) -> None:
    assert lint_file(tmp_path, ".claude/agents/reviewer.md", agent(front)) == []


CLEAN_COMMAND_FIELDS = [
    "allowed-tools: Bash(git status:*), Bash(npm run *), Read(src/**), Edit(//abs/**)\n",
    "allowed-tools: WebFetch(domain:example.com), WebFetch(domain:*.example.com)\n",
    "allowed-tools: WebSearch(claude)\n",
    "allowed-tools: [Skill(review), Agent(reviewer), mcp__github__get_issue]\n",
    'allowed-tools:\n  - "Bash(git diff:*)"\n  - Read\n',
    "disallowed-tools: Bash\n",
    "disallowedTools: WebFetch\n",
    'argument-hint: "[file] [focus]"\n',
    "argument-hint: <file>\n",
    "model: haiku\n",
    "effort: low\n",
    "disable-model-invocation: true\n",
    "user-invocable: 'no'\n",
    "user-invocable: off\n",
    "shell: powershell\n",
    "context: fork\nagent: general-purpose\n",
    "arguments: file focus\n",
    "when_to_use: After a change.\n",
    "paths: ['src/**']\n",
    "version: 1.0.0\n",
]


@pytest.mark.parametrize("front", CLEAN_COMMAND_FIELDS)
def test_command_forms_the_client_accepts_are_clean(tmp_path: Path, front: str) -> None:
    assert lint_file(tmp_path, ".claude/commands/review.md", command(front)) == []


def test_numbers_as_command_descriptions_are_coerced_not_flagged(tmp_path: Path) -> None:
    assert lint_file(tmp_path, "commands/x.md", "---\ndescription: 42\n---\nBody\n") == []


def test_a_command_needs_no_frontmatter(tmp_path: Path) -> None:
    assert (
        lint_file(tmp_path, ".claude/commands/plain.md", "# Review\n\nReview $ARGUMENTS.\n") == []
    )
    assert lint_file(tmp_path, ".claude/commands/empty.md", "---\n---\nReview.\n") == []


def test_skills_may_have_a_name(tmp_path: Path) -> None:
    text = "---\nname: Review Helper\ndescription: Review.\n---\nReview.\n"
    assert lint_file(tmp_path, ".claude/skills/review/SKILL.md", text) == []


def test_shell_injection_with_a_matching_rule_is_clean(tmp_path: Path) -> None:
    body = "Status: !`git status --short`\n\n```!\nnpm run lint\n```\n"
    front = "allowed-tools: Bash(git status:*), Bash(npm run *)\n"
    assert lint_file(tmp_path, "commands/status.md", command(front, body)) == []
    assert lint_file(tmp_path, "commands/all.md", command("allowed-tools: Bash\n", body)) == []


def test_plugin_agents_may_omit_name_and_use_when_to_use(tmp_path: Path) -> None:
    write(
        tmp_path / ".claude-plugin/plugin.json",
        json.dumps({"name": "p", "version": "1.0.0", "description": "d", "author": {"name": "a"}}),
    )
    text = "---\nwhen_to_use: Review a diff before merge.\n---\nYou review.\n"
    assert lint_file(tmp_path, "agents/reviewer.md", text) == []


def test_quoted_colons_are_clean(tmp_path: Path) -> None:
    text = '---\nname: reviewer\ndescription: "Use for: reviews, audits"\n---\nBody\n'
    assert lint_file(tmp_path, ".claude/agents/reviewer.md", text) == []


def test_crlf_files_are_read_like_lf(tmp_path: Path) -> None:
    text = agent("tools: Read, Grep\n").replace("\n", "\r\n")
    assert lint_file(tmp_path, ".claude/agents/reviewer.md", text) == []


# --- findings, hints and positions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "code", "hint"),
    [
        ("read", "CC301", "Write Read."),
        ("bash", "CC301", "Write Bash."),
        ("task", "CC301", "Write Agent."),
        ("WebFetc", "CC301", "Write WebFetch."),
        ("MultiEdit", "CC301", "Use Edit."),
        ("context7", "CC301", "If it is an MCP tool, write mcp__<server>__<tool>."),
        ("Task", "CC302", "Write Agent."),
        ("KillShell", "CC302", "Write TaskStop."),
        ("Bash(git diff:*)", "CC306", None),
        ("Read(src/**)", "CC306", None),
        ("mcp__github(get_issue)", "CC304", None),
        ("Bash()", "CC303", "Write Bash without '()'."),
    ],
)
def test_agent_tool_entries(tmp_path: Path, entry: str, code: str, hint: str | None) -> None:
    # beside a tool that survives: a list of which nothing survives is one CC232 instead
    findings = lint_file(
        tmp_path, ".claude/agents/reviewer.md", agent(f'tools: [Glob, "{entry}"]\n')
    )
    assert [f.code for f in findings] == [code]
    if hint:
        assert hint in findings[0].hint


@pytest.mark.parametrize(
    ("rule", "code", "hint"),
    [
        ("Bash(:*)", "CC303", "Bash(git status:*)"),
        ("Bash(git *", "CC303", None),
        ("Read(src/**:*)", "CC303", "Read(src/**)"),
        ("WebFetch(https://example.com/docs)", "CC303", "WebFetch(domain:example.com)"),
        ("WebSearch(claude*)", "CC303", None),
        ("Write(docs/**)", "CC305", "Edit(docs/**)"),
        ("Glob(src/**)", "CC305", "Read(src/**)"),
        ("NotebookEdit(nb/**)", "CC305", "Edit(nb/**)"),
        ("mcp__(x)", "CC304", None),
        ("mcp__", "CC303", None),
    ],
)
def test_permission_rules(tmp_path: Path, rule: str, code: str, hint: str | None) -> None:
    findings = lint_file(tmp_path, "commands/x.md", command(f'allowed-tools: ["{rule}"]\n'))
    assert [f.code for f in findings] == [code]
    if hint:
        assert hint in findings[0].hint


def test_entry_columns_point_at_the_entry(tmp_path: Path) -> None:
    flow = lint_file(tmp_path, "agents/a.md", agent("tools: [Read, grep, Glob, context7]\n"))
    assert [(f.line, f.col) for f in flow] == [(4, 15), (4, 27)]
    block_agent = agent("tools:\n  - Read\n  - grep\n").replace("reviewer\n", "other\n", 1)
    block = lint_file(tmp_path, "agents/b.md", block_agent)
    assert [(f.line, f.col) for f in block] == [(6, 5)]


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        ("allowed-tools", "tools"),
        ("disallowed_tools", "disallowedTools"),
        ("Model", "model"),
        ("colour", "color"),
    ],
)
def test_unknown_agent_keys_get_a_did_you_mean(tmp_path: Path, key: str, suggestion: str) -> None:
    findings = lint_file(tmp_path, "agents/a.md", agent(f"{key}: Read\n"))
    assert [f.code for f in findings] == ["CC209"]
    assert f"did you mean {suggestion!r}" in findings[0].message


def test_tools_in_a_command_suggests_allowed_tools(tmp_path: Path) -> None:
    findings = lint_file(tmp_path, "commands/x.md", command("tools: Read\n"))
    assert [f.code for f in findings] == ["CC209"]
    assert "'allowed-tools'" in findings[0].message


def test_shell_injection_not_covered_by_a_rule(tmp_path: Path) -> None:
    body = "Build: !`npm run build`\n"
    findings = lint_file(
        tmp_path, "commands/x.md", command("allowed-tools: Bash(git status:*)\n", body)
    )
    assert codes(findings) == [("CC308", 6)]
    assert findings[0].hint == ("Add the rule: allowed-tools: Bash(git status:*), Bash(npm run:*)")


def test_plugin_agents_get_plugin_rules(tmp_path: Path) -> None:
    write(
        tmp_path / ".claude-plugin/plugin.json",
        json.dumps({"name": "p", "version": "1.0.0", "description": "d", "author": {"name": "a"}}),
    )
    findings = lint_file(
        tmp_path, "agents/a.md", agent("isolation: remote\nhooks: {}\nmcpServers: [x]\n")
    )
    assert codes(findings) == [("CC217", 4), ("CC219", 5), ("CC219", 6)]


def test_agent_without_frontmatter_is_reported_but_a_yaml_error_does_not_cascade(
    tmp_path: Path,
) -> None:
    assert codes(lint_file(tmp_path, "agents/reviewer.md", "# Reviewer\n")) == [("CC101", 1)]
    broken = '---\nname: reviewer\ndescription: "unclosed\ntools: Read\n---\nBody\n'
    assert [f.code for f in lint_file(tmp_path, "agents/broken.md", broken)] == ["CC104"]


def test_empty_agent_frontmatter(tmp_path: Path) -> None:
    assert [f.code for f in lint_file(tmp_path, "agents/a.md", "---\n---\nBody\n")] == [
        "CC201",
        "CC207",
    ]


def test_non_string_keys_and_values_do_not_crash(tmp_path: Path) -> None:
    text = (
        "---\nname: reviewer\ndescription: d\n1: one\ntrue: yes\n"
        "color: [red]\nmodel: 4\ntools: {a: 1}\n---\n"
    )
    got = [f.code for f in lint_file(tmp_path, "agents/a.md", text)]
    # YAML's 1 and true are the same key to Python, so one unknown key is reported, not two
    assert sorted(got) == ["CC210", "CC211", "CC221", "CC307"]


def test_utf16_files_are_named_as_such(tmp_path: Path) -> None:
    findings = lint_file(tmp_path, "agents/a.md", agent("").encode("utf-16"))
    assert codes(findings) == [("CC004", 1)]
    assert "UTF-16" in findings[0].message


# --- cross-file -----------------------------------------------------------------------------------


def test_duplicate_found_when_only_one_file_is_named(tmp_path: Path) -> None:
    """Pre-commit passes only changed files: the clash with an unchanged sibling must still show."""
    write(tmp_path / ".claude/agents/a.md", agent(""))
    write(tmp_path / ".claude/agents/sub/b.md", agent(""))
    findings = lint([Path(".claude/agents/sub/b.md")], cwd=tmp_path).findings
    assert codes(findings) == [("CC601", 2)]
    assert "also used by .claude/agents/a.md:2;" in findings[0].message


def test_plugin_subfolders_namespace_agents(tmp_path: Path) -> None:
    write(
        tmp_path / ".claude-plugin/plugin.json",
        json.dumps({"name": "p", "version": "1.0.0", "description": "d", "author": {"name": "a"}}),
    )
    write(tmp_path / "agents/frontend/reviewer.md", agent(""))
    write(tmp_path / "agents/backend/reviewer.md", agent(""))
    assert lint([Path("agents")], cwd=tmp_path).findings == []


def _review_command(body: str) -> str:
    return command("allowed-tools: Agent, Read\n", body)


@pytest.mark.parametrize(
    "body",
    [
        "Hand the diff to the `code-reviewr` agent.",
        "Use the agent `security-reviewer` for secrets.",
        'Call the Agent tool with subagent_type: "doc-writer".',
        "Roles: `code-reviewer`, `test-writer`, `docs-writer`.",
    ],
)
def test_commands_naming_missing_agents(tmp_path: Path, body: str) -> None:
    write(
        tmp_path / ".claude/agents/code-reviewer.md",
        agent("").replace("reviewer\n", "code-reviewer\n", 1),
    )
    write(
        tmp_path / ".claude/agents/test-writer.md",
        agent("").replace("reviewer\n", "test-writer\n", 1),
    )
    findings = lint_file(tmp_path, ".claude/commands/review.md", _review_command(body))
    assert [f.code for f in findings] == ["CC602"], findings


@pytest.mark.parametrize(
    "body",
    [
        "Hand the diff to the `code-reviewer` agent, then to `ml-agents:data-scientist`.",
        "Use the `general-purpose` agent or the `Explore` agent.",
        "Run `npm-run-all`, `pre-commit` and `git-lfs`; set `max-old-space-size`.",
        "Pick one of `kebab-case`, `snake-case` or `camel-case`.",
        "The agent writes `01-requirements.md` and `state.json`.",
        "Keep `code-reviews` in `code-review-notes/`; see `code-reviewing`.",
    ],
)
def test_no_noise_on_ordinary_backticks(tmp_path: Path, body: str) -> None:
    write(
        tmp_path / ".claude/agents/code-reviewer.md",
        agent("").replace("reviewer\n", "code-reviewer\n", 1),
    )
    assert lint_file(tmp_path, ".claude/commands/review.md", _review_command(body)) == []


def test_the_shipped_command_fires_on_a_misspelt_agent(tmp_path: Path) -> None:
    from conftest import PLUGIN

    text = (PLUGIN / "commands/ml-integration.md").read_text(encoding="utf-8")
    assert "`ml-engineer` reads" in text
    broken = text.replace("`ml-engineer` reads", "`ml-enginer` reads", 1)
    write(tmp_path / "commands/ml-integration.md", broken)
    findings = lint([Path("commands")], cwd=tmp_path).findings
    assert [f.code for f in findings] == ["CC602"]
    assert "'ml-engineer'" in findings[0].hint


# --- manifests ------------------------------------------------------------------------------------


def test_marketplace_sources(tmp_path: Path) -> None:
    manifest = {
        "name": "market",
        "owner": {"name": "o"},
        "plugins": [
            {"name": "a", "source": {"source": "github", "repo": "o/a"}},
            {"name": "b", "source": {"source": "npm"}},
            {"name": "c", "source": "../c"},
            {"name": "d", "source": "./missing"},
            {"name": "e", "source": {"source": ["github"]}},
        ],
    }
    findings = lint_file(
        tmp_path, ".claude-plugin/marketplace.json", json.dumps(manifest, indent=2)
    )
    assert [f.code for f in findings] == ["CC503", "CC507", "CC508", "CC504"]


def test_plugin_manifest_types(tmp_path: Path) -> None:
    manifest = {
        "name": "p",
        "version": "1.0.0",
        "description": "d",
        "author": {"name": "a"},
        "homepage": "example.com",
        "keywords": ["a", 1],
    }
    findings = lint_file(tmp_path, ".claude-plugin/plugin.json", json.dumps(manifest, indent=2))
    assert [f.code for f in findings] == ["CC504", "CC504"]


def test_duplicate_json_keys(tmp_path: Path) -> None:
    text = (
        '{\n  "name": "p",\n  "name": "q",\n'
        '  "version": "1", "description": "d", "author": {"name": "a"}\n}\n'
    )
    assert codes(lint_file(tmp_path, ".claude-plugin/plugin.json", text)) == [("CC106", 3)]


# --- discovery ------------------------------------------------------------------------------------


def test_default_run_lints_the_repository_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".claude/agents/a.md", agent("color: teal\n"))
    write(tmp_path / "commands/c.md", command("shell: zsh\n"))
    write(tmp_path / "skills/s/SKILL.md", "---\ndescription: s\ncontext: nope\n---\n")
    write(tmp_path / "docs/agents/not-linted.md", "no frontmatter\n")
    (tmp_path / "src").mkdir()
    result = lint([], cwd=tmp_path / "src")
    # files outside the working folder are shown with absolute paths
    assert sorted((f.path, f.code) for f in result.findings) == [
        (str(tmp_path / ".claude/agents/a.md"), "CC211"),
        (str(tmp_path / "commands/c.md"), "CC403"),
        (str(tmp_path / "skills/s/SKILL.md"), "CC405"),
    ]


def test_plugin_manifest_custom_paths_give_the_kind(tmp_path: Path) -> None:
    manifest = {
        "name": "p",
        "version": "1.0.0",
        "description": "d",
        "author": {"name": "a"},
        "agents": ["./custom/reviewer.md"],
    }
    write(tmp_path / ".claude-plugin/plugin.json", json.dumps(manifest))
    write(tmp_path / "custom/reviewer.md", agent("color: teal\n"))
    findings = lint([], cwd=tmp_path).findings
    assert [(f.path, f.code) for f in findings] == [("custom/reviewer.md", "CC211")]


def test_a_checkout_inside_a_folder_named_agents_is_not_all_agents(tmp_path: Path) -> None:
    repo = tmp_path / "agents" / "project"
    (repo / ".git").mkdir(parents=True)
    write(repo / "README.md", "# Project\n")
    write(repo / "agents/a.md", agent(""))
    assert lint([Path()], cwd=repo).findings == []
    assert [f.code for f in lint([Path("README.md")], cwd=repo).findings] == ["CC005"]


def test_skill_resources_and_command_folders(tmp_path: Path) -> None:
    write(tmp_path / "skills/s/SKILL.md", "---\ndescription: s\n---\n")
    write(tmp_path / "skills/s/reference.md", "not a skill file\n")
    write(tmp_path / "commands/tool/SKILL.md", "---\nname: Tool\ndescription: t\n---\n")
    write(tmp_path / "commands/tool/notes.md", "not a command\n")
    result = lint([Path()], cwd=tmp_path)
    assert result.findings == []
    assert sorted(result.files) == ["commands/tool/SKILL.md", "skills/s/SKILL.md"]


def test_one_bad_file_never_stops_the_run(tmp_path: Path) -> None:
    write(tmp_path / "agents/a-latin1.md", b"---\nname: a\ndescription: caf\xe9\n---\n")
    write(tmp_path / "agents/b-yaml.md", '---\nname: "b\n---\n')
    write(tmp_path / "agents/c-bad.md", agent("color: teal\n"))
    write(tmp_path / "agents/d-good.md", agent("").replace("reviewer\n", "other\n", 1))
    result = lint([Path("agents")], cwd=tmp_path)
    assert [(Path(f.path).name, f.code) for f in result.findings] == [
        ("a-latin1.md", "CC004"),
        ("b-yaml.md", "CC104"),
        ("c-bad.md", "CC211"),
    ]
    assert len(result.files) == 4


def test_parallel_and_sequential_runs_agree(tmp_path: Path) -> None:
    for index in range(260):
        extra = (
            "color: teal\n" if index % 7 == 0 else "tools: Read, grep\n" if index % 11 == 0 else ""
        )
        write(
            tmp_path / f"agents/a{index:03d}.md",
            agent(extra).replace("reviewer\n", f"agent-{index}\n", 1),
        )
    write(tmp_path / "agents/dup.md", agent("").replace("reviewer\n", "agent-5\n", 1))
    sequential = lint([Path("agents")], cwd=tmp_path)
    parallel = lint([Path("agents")], cwd=tmp_path, parallel=True)
    assert parallel == sequential
    assert len(sequential.findings) > 50


def test_hook_events_outside_hooks(tmp_path: Path) -> None:
    front = "PreToolUse:\n  - matcher: Bash\n"
    assert codes(lint_file(tmp_path, ".claude/agents/a.md", agent(front))) == [("CC220", 4)]
    assert codes(lint_file(tmp_path, ".claude/commands/c.md", command(front))) == [("CC220", 3)]


@pytest.mark.parametrize("front", ["effort: HIGH\n", "effort: ' -2 '\n", "maxTurns: '+5'\n"])
def test_values_the_client_normalises(tmp_path: Path, front: str) -> None:
    assert lint_file(tmp_path, ".claude/agents/a.md", agent(front)) == []


def test_shell_is_read_case_insensitively(tmp_path: Path) -> None:
    assert lint_file(tmp_path, "commands/c.md", command("shell: ' Bash '\n")) == []


def test_positions_count_newlines_only(tmp_path: Path) -> None:
    """YAML also breaks lines at U+2028, NEL and a lone CR; editors and grep do not."""
    text = '---\nname: Re\ndescription: "a\u2028b\u0085c\rd"\ncolor: teal\n---\n'
    findings = lint_file(tmp_path, ".claude/agents/a.md", text)
    assert [(f.code, f.line, f.col) for f in findings] == [("CC206", 2, 7), ("CC211", 4, 8)]
