"""The shipped schemas are the lint contract at run time (contract.py, checks_schema.py).

Editing a schema in a copy of the bundle (ML_AGENTS_SCHEMA_DIR) changes what the real CLI reports,
with no code change; every kind of schema violation becomes a finding with a rule code, a position
and the linter's own words; the generated parts of the bundle are not stale.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, RunCli, examples, write
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ml_agents.lint import contract, validation
from ml_agents.lint.engine import lint
from ml_agents.lint.result import Finding
from ml_agents.lint.rules import RULES

GOOD = "name: reviewer\ndescription: Reviews a diff for bugs before merge.\n"
RAW_JSONSCHEMA = ("is not one of", "Additional properties are not allowed", "Failed validating")


def agent(front: str) -> str:
    return f"---\n{GOOD}{front}---\n\nYou review code.\n"


def schema_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", folder)
    return folder


def edit(folder: Path, name: str, change: Any) -> None:
    path = folder / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema), encoding="utf-8")


def findings_json(run_cli: RunCli, cwd: Path, folder: Path | None = None) -> list[dict[str, Any]]:
    env = {contract.SCHEMA_DIR_ENV: str(folder)} if folder else None
    result = run_cli("lint", "--format", "json", cwd=cwd, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


# --- editing the schema changes what lint reports ----------------------------------------------


def test_a_colour_added_to_the_schema_is_no_longer_reported(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    write(project / ".git/HEAD", "")
    write(project / ".claude/agents/reviewer.md", agent("color: teal\n"))
    shipped = findings_json(run_cli, project)
    assert [(f["code"], f["line"]) for f in shipped] == [("CC211", 4)]

    folder = schema_copy(tmp_path)
    edit(folder, "agent", lambda s: s["properties"]["color"]["enum"].append("teal"))
    assert findings_json(run_cli, project, folder) == []


def test_a_tool_removed_from_the_schema_is_reported(run_cli: RunCli, tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(project / ".git/HEAD", "")
    write(project / ".claude/agents/reviewer.md", agent("tools: Read, Grep\n"))
    assert findings_json(run_cli, project) == []

    folder = schema_copy(tmp_path)
    edit(folder, "agent", lambda s: s["$defs"]["toolName"]["enum"].remove("Grep"))
    found = findings_json(run_cli, project, folder)
    assert [(f["code"], f["line"], f["col"]) for f in found] == [("CC301", 4, 14)]
    assert "'Grep'" in found[0]["message"]


def test_a_missing_schema_folder_is_one_clear_line(run_cli: RunCli, tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(project / ".claude/agents/reviewer.md", agent(""))
    result = run_cli("lint", cwd=project, env={contract.SCHEMA_DIR_ENV: str(tmp_path / "nowhere")})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "cannot read the lint schema" in result.stderr
    assert "agent.schema.json" in result.stderr


# --- every violation: a rule, a position, the linter's words -----------------------------------

# (frontmatter lines after GOOD, expected (code, line, col)): one per kind of jsonschema error
AGENT_VIOLATIONS = [
    ("color: teal\n", ("CC211", 4, 8)),  # enum
    ("effort: extreme\n", ("CC214", 4, 9)),  # anyOf of patterns
    ("maxTurns: 0\n", ("CC215", 4, 11)),  # minimum, in the integer branch of an anyOf
    ("autoCompactWindow: 5000\n", ("CC021", 4, 20)),  # minimum, no x-rule: the default rule
    ("initialPrompt: '   '\n", ("CC021", 4, 16)),  # pattern
    ("observer: 12\n", ("CC021", 4, 11)),  # type
    ("experimental:\n  cacheTTL: 5m\n", ("CC209", 5, 3)),  # a nested unknown key
    ("experimental:\n  cacheTtl: 2h\n", ("CC021", 5, 3)),  # an enum one level down
    ("mcpServers:\n  - github\n  - 42\n", ("CC021", 6, 5)),  # a list item's type
]


@pytest.mark.parametrize(("front", "expected"), AGENT_VIOLATIONS)
def test_each_schema_violation_is_a_positioned_finding(
    tmp_path: Path, front: str, expected: tuple[str, int, int]
) -> None:
    write(tmp_path / ".claude/agents/reviewer.md", agent(front))
    findings = lint([Path(".claude/agents/reviewer.md")], cwd=tmp_path).findings
    assert [(f.code, f.line, f.col) for f in findings] == [expected], findings
    assert_in_our_words(findings)


def assert_in_our_words(findings: list[Finding]) -> None:
    for finding in findings:
        assert finding.code in RULES
        assert finding.hint, finding
        for phrase in RAW_JSONSCHEMA:
            assert phrase not in finding.message, finding.message


def test_did_you_mean_comes_from_the_schema(tmp_path: Path) -> None:
    front = "color: purpel\nexperimental:\n  cacheTTL: 5m\n"
    write(tmp_path / ".claude/agents/reviewer.md", agent(front))
    findings = lint([Path(".claude/agents/reviewer.md")], cwd=tmp_path).findings
    hints = {f.code: f.hint for f in findings}
    assert hints["CC211"] == "Write 'color: purple'."  # from properties.color.enum
    assert hints["CC209"] == "Rename it to 'cacheTtl'."  # from experimental.properties
    assert "did you mean 'cacheTtl'?" in " ".join(f.message for f in findings)


def test_a_manifest_violation_is_positioned_and_worded(tmp_path: Path) -> None:
    manifest = {
        "name": "my-plugin",
        "version": "1.0.0",
        "description": "d",
        "author": {"name": "me", "emial": "me@example.com"},
        "keywords": ["ml", 3],
    }
    write(tmp_path / ".claude-plugin/plugin.json", json.dumps(manifest, indent=2))
    findings = lint([Path(".claude-plugin/plugin.json")], cwd=tmp_path).findings
    assert [(f.code, f.line) for f in findings] == [("CC509", 7), ("CC504", 11)]
    assert "did you mean 'email'?" in findings[0].message
    assert_in_our_words(findings)


def test_the_skill_schema_is_used_for_skills(tmp_path: Path) -> None:
    text = "---\nname: Review Helper\ndescription: Review.\ncontext: subagent\n---\nReview.\n"
    write(tmp_path / ".claude/skills/review/SKILL.md", text)
    findings = lint([Path(".claude/skills/review/SKILL.md")], cwd=tmp_path).findings
    assert [(f.code, f.line) for f in findings] == [("CC405", 4)]


def test_a_value_too_large_for_the_schema_is_reported_not_walked(tmp_path: Path) -> None:
    aliases = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 10):  # 9**10 items if anything expanded them
        name, previous = chr(97 + index), chr(96 + index)
        aliases.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    text = "---\n" + "\n".join(aliases) + "\n" + GOOD + "mcpServers: *j\n---\nBody\n"
    write(tmp_path / ".claude/agents/reviewer.md", text)
    findings = lint([Path(".claude/agents/reviewer.md")], cwd=tmp_path).findings
    too_big = [f for f in findings if f.code == "CC021"]
    assert len(too_big) == 1 and "too large" in too_big[0].message


# --- one source ----------------------------------------------------------------------------------


def test_the_generated_schema_parts_are_up_to_date() -> None:
    """toolList patterns and skill.schema.json follow from the hand-written schemas."""
    for path, text in contract.generated_files(REPO / "schemas").items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run python -m ml_agents.lint.contract --write"
        )


def test_every_rule_a_schema_names_exists() -> None:
    named: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key.startswith("x-rule"):
                    named.update(item.values() if isinstance(item, dict) else [item])
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for path in (REPO / "schemas").glob("*.schema.json"):
        collect(json.loads(path.read_text(encoding="utf-8")))
    assert named and named <= set(RULES), named - set(RULES)


PROPERTIES = [
    (name, key, sub)
    for name in contract.FRONTMATTER_SCHEMAS
    for key, sub in contract.load_schema(name)["properties"].items()
]


@settings(max_examples=examples(2000), deadline=None)
@given(
    index=st.integers(0, len(PROPERTIES) - 1),
    value=st.one_of(
        st.none(),
        st.text(max_size=300),
        st.sampled_from(
            ["", "-x", "a:b", " ", "bash", "Claude", "x" * 257, "opus", "\uff1a", "teal", "red"]
        ),
        st.lists(
            st.sampled_from(["Read", "Grep", "bash", "Task", "mcp__x", "*", "Bash(git *)"])
        ).map(", ".join),
    ),
)
def test_the_fast_path_accepts_only_what_jsonschema_accepts(index: int, value: str | None) -> None:
    """A string or null is decided without jsonschema only when jsonschema would agree."""
    name, key, sub = PROPERTIES[index]
    schema = contract.load_schema(name)
    validator = Draft202012Validator(schema).evolve(schema=sub)
    fast = validation._plainly_valid(schema, sub, value)
    assert not fast or not list(validator.iter_errors(value)), (name, key, value)
