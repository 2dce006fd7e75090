"""Lint agrees with the client (issue 13, part A): what Claude Code handles exactly as written is
not a warning or an error, and every message helps.

Each case is a minimal file written here, reproducing what was measured with Claude Code 2.1.332
and 2.1.197 (tests/e2e/client.py runs them): which files loaded, which !`command` snippets ran.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import write

from ml_agents.lint.engine import lint
from ml_agents.lint.result import ERROR, INFO, WARNING, Finding
from ml_agents.lint.rules import RULES

DESCRIPTION = "description: Reviews a diff for bugs before merge.\n"
MANIFEST = {"name": "p", "version": "1.0.0", "description": "d", "author": {"name": "a"}}


def lint_tree(root: Path, *paths: str) -> list[Finding]:
    return lint([Path(p) for p in paths or (".",)], cwd=root).findings


def serious(findings: list[Finding]) -> list[Finding]:
    """The findings a default run shows: warnings and errors."""
    return [f for f in findings if f.severity in (WARNING, ERROR)]


# --- handled exactly as written: at most info -----------------------------------------------------


@pytest.mark.parametrize(
    ("front", "code"),
    [
        ("tools: Read, Task\n", "CC302"),  # Task is mapped to Agent (2.1.197 and 2.1.332)
        ("model: Opus\n", None),  # mapped to opus
        ("name: powershell-5.1-expert\n", "CC206"),  # loads as written
        ("description: Use for: reviews, audits\n", "CC105"),  # auto-quoted to the written text
    ],
    ids=["Task", "model-Opus", "dotted-name", "auto-quoted"],
)
def test_what_the_client_loads_as_written_is_at_most_info(
    tmp_path: Path, front: str, code: str | None
) -> None:
    lines = {"name: reviewer\n", DESCRIPTION}
    text = "---\n" + "".join(
        line for line in ("name: reviewer\n", DESCRIPTION) if line.split(":")[0] not in front
    )
    text += front + "---\nYou review code.\n"
    assert lines  # the two required fields are there unless the case replaces one
    findings = lint_tree(tmp_path, *[str(write(tmp_path / ".claude/agents/r.md", text))])
    assert serious(findings) == []
    assert [f.code for f in findings] == ([code] if code else [])
    assert all(f.severity == INFO for f in findings)


def test_auto_quoted_value_hint_shows_the_quoted_line(tmp_path: Path) -> None:
    text = "---\nname: reviewer\ndescription: Use for: reviews, audits\n---\nBody\n"
    write(tmp_path / ".claude/agents/r.md", text)
    [finding] = lint_tree(tmp_path)
    assert finding.code == "CC105"
    assert finding.hint == 'Quote the value: description: "Use for: reviews, audits"'


def test_bom_is_a_warning_because_the_older_client_drops_the_agent(tmp_path: Path) -> None:
    """Measured: 2.1.332 loads an agent with a BOM before '---', 2.1.197 does not list it."""
    write(tmp_path / ".claude/agents/r.md", "\ufeff---\nname: r\n" + DESCRIPTION + "---\nBody\n")
    [finding] = lint_tree(tmp_path)
    assert (finding.code, finding.severity) == ("CC103", WARNING)
    assert "2.1.197" in finding.message and "2.1.197" in RULES["CC103"].why


def test_license_is_a_skill_field_and_other_metadata_is_info(tmp_path: Path) -> None:
    text = "---\nname: pdf\ndescription: Fill PDF forms.\nlicense: MIT\ncompatibility: any\n"
    write(tmp_path / ".claude/skills/pdf/SKILL.md", text + "author: Ana\n---\nFill it.\n")
    findings = lint_tree(tmp_path)
    assert [(f.code, f.line, f.severity) for f in findings] == [("CC221", 6, INFO)]
    assert (
        findings[0].hint
        == "Remove author (or move it under metadata:) unless another tool reads it."
    )


def test_a_misspelt_key_stays_a_warning_with_the_corrected_line(tmp_path: Path) -> None:
    write(
        tmp_path / ".claude/agents/r.md",
        "---\nname: r\n" + DESCRIPTION + "allowed-tools: Read\n---\n",
    )
    [finding] = lint_tree(tmp_path)
    assert (finding.code, finding.severity) == ("CC209", WARNING)
    assert finding.hint == "Rename the key: tools: Read"


# --- duplicate names: only files the client loads together ----------------------------------------


def agent(name: str) -> str:
    return f"---\nname: {name}\n{DESCRIPTION}---\nBody\n"


def test_a_catalog_of_categories_is_not_a_clash(tmp_path: Path) -> None:
    """A catalog installs an agent at a time: one name in two categories never loads together."""
    write(tmp_path / "agents/python/reviewer.md", agent("reviewer"))
    write(tmp_path / "agents/golang/reviewer.md", agent("reviewer"))
    assert lint_tree(tmp_path, "agents") == []


def test_a_clash_is_two_files_the_client_loads_together(tmp_path: Path) -> None:
    write(tmp_path / "agents/python/reviewer.md", agent("reviewer"))
    write(tmp_path / "agents/python/reviewer-2.md", agent("reviewer"))  # one folder
    write(tmp_path / ".claude/agents/a/x.md", agent("x"))  # one .claude/agents tree
    write(tmp_path / ".claude/agents/b/x.md", agent("x"))
    found = sorted((f.code, f.path) for f in lint_tree(tmp_path, "agents", ".claude/agents"))
    assert found == [
        ("CC601", ".claude/agents/a/x.md"),
        ("CC601", ".claude/agents/b/x.md"),
        ("CC601", "agents/python/reviewer-2.md"),
        ("CC601", "agents/python/reviewer.md"),
    ]


# --- !`command` snippets the client runs without asking -------------------------------------------


def command(front: str, body: str) -> str:
    return f"---\ndescription: Show the state.\n{front}---\n\n{body}\n"


# measured: the read-only ones ran from a command whose allowed-tools is only Read (2.1.197 and
# 2.1.332); touch and npm --version stopped it ('This command requires approval')
SNIPPETS = [
    *[(snippet, True) for snippet in ("git diff HEAD", "git status --short", "git branch")],
    *[(snippet, True) for snippet in ("git log --oneline -5", "ls -la", "cat README.md")],
    ("find . -name '*.py'", True),
    *[(snippet, False) for snippet in ("npm --version", "touch made.txt", "git tag v1")],
    *[(snippet, False) for snippet in ("git branch -D main", "find . -delete")],
    *[(snippet, False) for snippet in ("git status > out.txt", "sort -o out.txt in.txt")],
]


@pytest.mark.parametrize(("snippet", "runs"), SNIPPETS)
def test_read_only_snippets_need_no_rule(tmp_path: Path, snippet: str, runs: bool) -> None:
    write(tmp_path / ".claude/commands/s.md", command("allowed-tools: Read\n", f"!`{snippet}`"))
    findings = lint_tree(tmp_path)
    if runs:
        assert findings == []
        return
    [finding] = findings
    assert (finding.code, finding.severity) == ("CC308", ERROR)
    assert "Shell command permission check failed" in finding.message


def test_plugin_script_matched_by_a_plugin_root_rule(tmp_path: Path) -> None:
    """Measured: "${CLAUDE_PLUGIN_ROOT}/x.sh", quoted, runs under a rule for the unquoted path."""
    write(tmp_path / ".claude-plugin/plugin.json", json.dumps(MANIFEST))
    rule = "allowed-tools: Bash(${CLAUDE_PLUGIN_ROOT}/scripts/setup.sh:*)\n"
    for name, snippet in [
        ("plain", "${CLAUDE_PLUGIN_ROOT}/scripts/setup.sh --check"),
        ("quoted", '"${CLAUDE_PLUGIN_ROOT}/scripts/setup.sh" --check'),
    ]:
        write(tmp_path / f"commands/{name}.md", command(rule, f"!`{snippet}`"))
    assert lint_tree(tmp_path, "commands", ".claude-plugin") == []


def test_the_rule_documentation_example_is_one_the_client_blocks(tmp_path: Path) -> None:
    rule = RULES["CC308"]
    write(tmp_path / ".claude/commands/bad.md", rule.bad.replace("\\n", "\n") + "\n")
    write(tmp_path / ".claude/commands/good.md", rule.good.replace("\\n", "\n") + "\n")
    assert "npm test" in rule.bad  # 'This command requires approval' in 2.1.332
    assert [(f.code, f.path) for f in lint_tree(tmp_path)] == [("CC308", ".claude/commands/bad.md")]


# --- what is not an agent, and what is legitimate -------------------------------------------------


def test_readme_overview_and_skill_internal_agents_are_not_agents(tmp_path: Path) -> None:
    write(tmp_path / ".claude/agents/README.md", "# Our agents\n\nOne per file.\n")
    write(tmp_path / "agents/overview.md", "# Overview\n")
    write(tmp_path / ".claude/skills/review/SKILL.md", "---\nname: review\ndescription: d\n---\n")
    write(tmp_path / ".claude/skills/review/agents/grader.md", "# How the grader works\n")
    write(tmp_path / "skills/pdf/SKILL.md", "---\nname: pdf\ndescription: d\n---\n")
    write(tmp_path / "skills/pdf/agents/helper.md", "---\nname: helper\n---\n")  # no description
    # agents/ holds nothing the client reads, so the only finding says so (CC031)
    found = lint_tree(tmp_path, ".claude", "agents", "skills")
    assert [(f.code, f.path) for f in found] == [("CC031", "agents")]


def test_a_readme_named_explicitly_is_explained_as_info(tmp_path: Path) -> None:
    """pre-commit passes every changed agents/*.md: a README gets an explanation, not a warning."""
    write(tmp_path / "agents/README.md", "# Our agents\n")
    [finding] = lint_tree(tmp_path, "agents/README.md")
    assert (finding.code, finding.severity) == ("CC604", INFO)


def test_a_readme_with_agent_frontmatter_is_an_agent(tmp_path: Path) -> None:
    write(tmp_path / ".claude/agents/README.md", "---\nname: readme\n---\nBody\n")
    assert [f.code for f in lint_tree(tmp_path)] == ["CC207"]


def _marketplace(root: Path, name: str) -> None:
    write(
        root / ".claude-plugin/marketplace.json",
        json.dumps({"name": name, "owner": {"name": "o"}, "plugins": []}, indent=2),
    )


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_claude_code_plugins_is_legitimate_in_anthropics_own_repository(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "remote", "add", "origin", "https://github.com/anthropics/claude-code.git")
    _marketplace(tmp_path, "claude-code-plugins")
    assert lint_tree(tmp_path, ".claude-plugin") == []


def test_claude_code_plugins_is_refused_elsewhere(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "remote", "add", "origin", "git@github.com:someone/plugins.git")
    _marketplace(tmp_path, "claude-code-plugins")
    [finding] = lint_tree(tmp_path, ".claude-plugin")
    assert finding.code == "CC505"
    assert finding.message.endswith("Claude Code cannot add this marketplace")


@pytest.mark.parametrize(
    "prose",
    [
        "Call the Agent tool with subagent_type: the selected role.",
        'Pass subagent_type: "the role picked above" to the Agent tool.',
        "subagent_type = whichever specialist fits the task",
    ],
)
def test_prose_after_subagent_type_is_not_an_agent_name(tmp_path: Path, prose: str) -> None:
    write(tmp_path / ".claude/commands/run.md", command("", prose))
    assert lint_tree(tmp_path) == []


@pytest.mark.parametrize(
    "named",
    ['subagent_type: "code-reviewr"', "subagent_type: code-reviewr", "subagent_type=code-reviewr,"],
)
def test_a_real_subagent_type_is_still_checked(tmp_path: Path, named: str) -> None:
    write(tmp_path / ".claude/agents/code-reviewer.md", agent("code-reviewer"))
    write(tmp_path / ".claude/commands/run.md", command("", f"Delegate the diff with\n{named}\n"))
    [finding] = lint_tree(tmp_path)
    assert finding.code == "CC602"
    assert finding.hint == "Write 'code-reviewer' (the agent that exists)."


# --- messages that help ---------------------------------------------------------------------------


def test_no_message_mentions_our_bundle(tmp_path: Path) -> None:
    write(tmp_path / ".claude/commands/run.md", command("", "Hand it to the `planner-bot` agent."))
    [finding] = lint_tree(tmp_path)
    assert finding.code == "CC602"
    assert "ml-agents" not in finding.message + finding.hint
    assert "bundle" not in finding.message + finding.hint


def test_manifest_errors_say_the_plugin_does_not_load(tmp_path: Path) -> None:
    write(tmp_path / "a/.claude-plugin/plugin.json", json.dumps({**MANIFEST, "version": 1}))
    write(tmp_path / "b/.claude-plugin/plugin.json", '{"name": "b",}')
    messages = {f.code: f.message for f in lint_tree(tmp_path, "a", "b")}
    assert messages["CC504"].endswith("Claude Code does not load this plugin at all")
    assert messages["CC501"].endswith("Claude Code does not load this plugin at all")


def test_words_of_one_bad_rule_are_one_finding(tmp_path: Path) -> None:
    front = "allowed-tools: git status, git diff, Read\n"
    write(tmp_path / ".claude/commands/s.md", command(front, "Look."))
    findings = lint_tree(tmp_path)
    assert [(f.code, f.line, f.col) for f in findings] == [("CC301", 3, 16), ("CC301", 3, 28)]
    assert findings[0].hint == "Write it as a shell rule: Bash(git status:*)."
    assert "'git', 'status'" in findings[0].message


def test_a_rule_with_parentheses_inside_is_one_finding(tmp_path: Path) -> None:
    front = 'allowed-tools: ["Bash(echo $(date) now)", Read]\n'
    write(tmp_path / ".claude/commands/s.md", command(front, "Look."))
    [finding] = lint_tree(tmp_path)
    assert finding.code == "CC303"
    assert finding.hint == "Write it without parentheses inside the rule: Bash(echo $ *)."


def test_tool_names_split_by_a_space_are_one_finding(tmp_path: Path) -> None:
    write(
        tmp_path / ".claude/agents/r.md",
        agent("r").replace("---\nB", "tools: Read, Web Search\n---\nB"),
    )
    [finding] = lint_tree(tmp_path)
    assert (finding.code, finding.hint) == ("CC301", "Write WebSearch.")


@pytest.mark.parametrize(
    ("front", "hint"),
    [
        (
            "color: teal\n",
            "Write 'color: red' (one of: red, blue, green, yellow, purple, orange, pink, cyan).",
        ),
        ("color: bleu\n", "Write 'color: blue'."),
        ("model: sonet\n", "Write 'model: sonnet'."),
        ("memory: global\n", "Write 'memory: user' (one of: user, project, local)."),
    ],
)
def test_hints_name_the_key_and_show_the_corrected_text(
    tmp_path: Path, front: str, hint: str
) -> None:
    write(tmp_path / ".claude/agents/r.md", agent("r").replace("---\nB", front + "---\nB"))
    [finding] = lint_tree(tmp_path)
    assert finding.hint == hint


def test_no_hint_points_at_a_hint_that_is_not_there(tmp_path: Path) -> None:
    write(tmp_path / ".claude/agents/r.md", agent("r").replace("---\nB", "zzqqx: 1\n---\nB"))
    write(tmp_path / ".claude-plugin/plugin.json", json.dumps({**MANIFEST, "zzqqx": 1}))
    findings = lint_tree(tmp_path, ".claude", ".claude-plugin")
    assert len(findings) == 2
    for finding in findings:
        assert "from the hint" not in finding.hint and "as the hint says" not in finding.hint
    for rule in RULES.values():
        assert "from the hint" not in rule.hint and "as the hint says" not in rule.hint, rule.code


def test_a_command_name_equal_to_its_file_is_not_reported(tmp_path: Path) -> None:
    write(tmp_path / ".claude/commands/review.md", "---\nname: review\ndescription: d\n---\nGo.\n")
    write(tmp_path / ".claude/commands/check.md", "---\nname: code-check\ndescription: d\n---\n")
    [finding] = lint_tree(tmp_path)
    assert (finding.code, finding.path) == ("CC402", ".claude/commands/check.md")
    assert finding.hint == "Remove the name line, or rename the file to code-check.md."


# --- every rule states its consequence in the client ----------------------------------------------


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_states_what_the_client_does(code: str) -> None:
    rule = RULES[code]
    if code in {"CC000", "CC007"}:  # the linter's own limits, not the client's
        return
    assert "Claude Code" in rule.why or "client" in rule.why, (code, rule.why)
    if rule.severity == INFO:
        assert "Advisory" in rule.why or "as intended" in rule.why or "as written" in rule.why
