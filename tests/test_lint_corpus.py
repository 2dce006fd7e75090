"""Every lint rule fires on its corpus case at the right line, and nothing else fires there.

tests/lint_corpus/<CODE>/ holds a small layout shaped like a real repository for each rule; the
table below says which file must report the rule and on which line. Cases that cannot live in git
(unreadable files, symlink loops, a 1 MiB file, a missing path) are built in a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import REPO, write

from ml_agents.lint import suppress
from ml_agents.lint.docs import render_rules_markdown
from ml_agents.lint.engine import lint
from ml_agents.lint.result import Finding
from ml_agents.lint.rules import RULES

CORPUS = REPO / "tests" / "lint_corpus"

# (code, file inside tests/lint_corpus/<code>/ that reports it, expected line)
CASES = [
    ("CC004", "agents/latin1.md", 3),  # the byte 0xe9 in "Café"
    ("CC021", "agents/window.md", 4),  # autoCompactWindow: 5000
    ("CC030", "agents/reviewer.md", 3),  # "Reviews code --- fast"
    ("CC031", ".", 1),  # a folder with only notes/README.md
    ("CC101", "agents/no-frontmatter.md", 1),  # no '---' at all
    ("CC101", "commands/late.md", 2),  # a blank line before '---'
    ("CC102", "agents/unterminated.md", 1),  # the opening '---' is never closed
    ("CC103", "agents/bom.md", 1),  # BOM before '---'
    ("CC104", "agents/yaml.md", 4),  # "  tools: Read" under a scalar
    ("CC105", "agents/needs-quoting.md", 3),  # "description: Use for: reviews"
    ("CC106", "agents/duplicate.md", 5),  # the second "tools:"
    ("CC107", "agents/list.md", 2),  # "- name: reviewer"
    ("CC201", "agents/noname.md", 1),  # no name key at all
    ("CC202", "agents/number.md", 2),  # name: 1234
    ("CC203", "agents/colon.md", 2),  # name: team:reviewer
    ("CC204", "agents/dash.md", 2),  # name: -reviewer
    ("CC205", "agents/long.md", 2),  # a 269-character name
    ("CC206", "agents/camel.md", 2),  # name: CodeReviewer
    ("CC207", "agents/nodesc.md", 1),  # no description key at all
    ("CC208", "agents/desclist.md", 4),  # the list under "description:"
    ("CC209", "agents/unknown-key.md", 4),  # allowed-tools in an agent
    ("CC210", "agents/model.md", 4),  # model: Claude Sonnet 4.5
    ("CC211", "agents/color.md", 4),  # color: teal
    ("CC212", "agents/mode.md", 4),  # permissionMode: yolo
    ("CC213", "agents/bypass.md", 4),  # permissionMode: bypassPermissions
    ("CC214", "agents/effort.md", 4),  # effort: extreme
    ("CC215", "agents/turns.md", 4),  # maxTurns: 0
    ("CC216", "agents/memory.md", 4),  # memory: global
    ("CC217", "agents/isolation.md", 4),  # isolation: container
    ("CC218", "agents/background.md", 4),  # background: sometimes
    ("CC219", "agents/plugin-mode.md", 4),  # permissionMode in a plugin agent
    ("CC220", "agents/hooks.md", 5),  # "PreToolUse: echo hi"
    ("CC221", "skills/pdf/SKILL.md", 5),  # author: in a skill (license: is a skill field)
    ("CC230", "agents/planner.md", 4),  # TodoWrite in a subagent's tools
    ("CC231", "agents/reviewer.md", 4),  # tools: []
    ("CC232", "agents/reviewer.md", 4),  # tools: read, grep (nothing survives)
    ("CC301", "agents/tool-case.md", 4),  # grep, context7
    ("CC302", "agents/legacy.md", 4),  # Task
    ("CC303", "commands/empty-prefix.md", 3),  # Bash(:*)
    ("CC304", "commands/mcp-parens.md", 3),  # mcp__github(get_issue)
    ("CC305", "commands/write-rule.md", 3),  # Write(docs/**)
    ("CC306", "agents/scoped-bash.md", 4),  # Bash(git diff:*) in an agent's tools
    ("CC307", "agents/tools-number.md", 4),  # tools: 42
    ("CC308", "commands/status.md", 8),  # !`npm test` with only Read allowed (not read-only)
    ("CC315", "commands/review.md", 7),  # subagent_type: "reviewer" in a plugin
    ("CC316", "commands/review.md", 7),  # subagent_type: "corpus-plugin::reviewer"
    ("CC317", "commands/ahead.md", 7),  # !`git log --oneline @{u}..HEAD`
    ("CC401", "commands/hint-list.md", 3),  # argument-hint: [file]
    ("CC402", "commands/named.md", 2),  # name: in a command
    ("CC403", "commands/shell.md", 3),  # shell: zsh
    ("CC404", "commands/boolean.md", 3),  # user-invocable: sometimes
    ("CC405", "skills/review/SKILL.md", 4),  # context: subagent
    ("CC410", "skills/review/security-review/SKILL.md", 1),  # a category folder between
    ("CC501", ".claude-plugin/plugin.json", 4),  # the '}' after a trailing comma
    ("CC502", ".claude-plugin/plugin.json", 1),  # a JSON list
    ("CC503", ".claude-plugin/plugin.json", 1),  # no "name"
    ("CC504", ".claude-plugin/plugin.json", 3),  # "version": 1.0
    ("CC505", ".claude-plugin/plugin.json", 2),  # "Corpus Plugin"
    ("CC506", ".claude-plugin/plugin.json", 2),  # "CorpusPlugin"
    ("CC507", ".claude-plugin/plugin.json", 9),  # "agents/reviewer.md" without ./
    ("CC508", ".claude-plugin/plugin.json", 9),  # "./agents/reviewr.md"
    ("CC509", ".claude-plugin/plugin.json", 8),  # "descripton"
    ("CC510", ".claude-plugin/plugin.json", 1),  # no author
    ("CC511", ".claude-plugin/marketplace.json", 13),  # the second "corpus-plugin"
    ("CC512", ".claude-plugin/plugin.json", 8),  # "tags" (not a misspelling of a known key)
    ("CC601", "agents/reviewer-copy.md", 2),  # name: reviewer, twice
    ("CC601", "agents/reviewer.md", 2),
    ("CC602", "commands/review.md", 8),  # the `code-reviewr` agent
    ("CC603", ".claude-plugin/marketplace.json", 11),  # "version": "0.9.0" vs 1.0.0
    ("CC610", "agents/tester.md", 1),  # plugin.json lists only agents/reviewer.md
    ("CC008", "agents/stale.md", 4),  # ignore[CC302] on a line with no legacy name
    ("CC010", "agents/no-reason.md", 4),  # ignore[CC302] with no reason
    ("CC011", "commands/review.md", 6),  # "ignore CC602" without brackets
    ("CC901", ".claude/workflows/typed.js", 3),  # step: { role: string }
    ("CC902", ".claude/workflows/late-meta.js", 2),  # const RELEASE = 1 before meta
    ("CC903", ".claude/workflows/computed.js", 3),  # `Runs ${3} review steps`
    ("CC904", ".claude/workflows/nameless.js", 1),  # meta without name
    ("CC905", ".claude/workflows/phases.js", 8),  # phase('Verification')
    ("CC906", ".claude/workflows/analyse.js", 5),  # agentType: 'data-scientsit'
    ("CC907", "workflows/analyse.js", 5),  # agentType: 'data-scientist' in corpus-plugin
    ("CC908", "workflows/analyse.js", 5),  # agentType: 'code-reviewer', not shipped
    ("CC909", ".claude/workflows/stamp.js", 5),  # Date.now()
    ("CC910", "workflows/review.mjs", 1),  # .mjs is never loaded
    ("CC911", "workflows/review.js", 1),  # plugin.json lists only ./extra/deploy.js
    ("CC912", ".claude/workflows/phases.js", 4),  # 'Verify' instead of { title: 'Verify' }
    ("CC913", ".claude/workflows/release/deploy.js", 1),  # one folder down: never read
    ("CC701", ".claude/settings.json", 4),  # the '}' after a trailing comma
    ("CC702", ".claude/settings.json", 3),  # "allow": "Bash(npm test)"
    ("CC703", ".claude/settings.json", 4),  # "bash(rm -rf *)"
    ("CC704", ".claude/settings.json", 4),  # "Bahs(npm test)"
    ("CC705", ".claude/settings.local.json", 4),  # the second "permissions"
    ("CC706", ".claude/settings.json", 3),  # "permisions"
    ("CC707", ".claude/settings.json", 3),  # "model": "Claude Sonnet 4.5"
    ("CC801", "corpus-plugin/hooks/hooks.json", 4),  # the '}' after a trailing comma
    ("CC802", "corpus-plugin/hooks/hooks.json", 2),  # PreToolUse outside "hooks"
    ("CC803", "corpus-plugin/hooks/hooks.json", 3),  # "PreTooluse"
    ("CC804", "corpus-plugin/hooks/hooks.json", 3),  # "DirectoryAdded"
    ("CC805", "corpus-plugin/hooks/hooks.json", 4),  # "type": "shell"
    ("CC806", "corpus-plugin/hooks/hooks.json", 6),  # ${CLAUDE_PLUGIN_ROOT}/scripts/format.sh
    ("CC807", "corpus-plugin/hooks/hooks.json", 4),  # the second "Stop"
    ("CC851", ".mcp.json", 3),  # the '}' after a trailing comma
    ("CC852", ".mcp.json", 5),  # "args": "--port 5432"
    ("CC853", ".mcp.json", 5),  # "$HOME/data"
    ("CC854", ".mcp.json", 4),  # the second "db"
]
# the case that is linted by naming the file, not by walking its folder
EXPLICIT_CASES = [("CC005", "notes/reviewer.md", 1), ("CC604", "agents/README.md", 1)]
# CC000 is the linter's own failure: no input may trigger it (test_lint_hypothesis checks that)
NO_CORPUS = {"CC000"}


def _findings_for(target: Path) -> list[Finding]:
    """Lint a corpus path given relative to the repository, as a user in the checkout would,
    with its suppression comments applied as the CLI applies them."""
    result = lint([target.relative_to(REPO)], cwd=REPO)
    return suppress.apply(result.findings, result.files, REPO, RULES)


@pytest.mark.parametrize(("code", "relative", "line"), CASES, ids=[f"{c}:{r}" for c, r, _ in CASES])
def test_rule_fires_at_its_line(code: str, relative: str, line: int) -> None:
    folder = CORPUS / code
    findings = _findings_for(folder)
    expected_path = os.path.relpath(folder / relative, REPO)
    hits = [f for f in findings if f.code == code and f.path == expected_path]
    assert hits, f"{code} did not fire on {expected_path}: {findings}"
    assert line in {f.line for f in hits}, f"{code} fired at {[f.line for f in hits]}, not {line}"
    assert all(f.col >= 1 and f.message and f.hint for f in hits)
    # the case is about one rule: nothing else fires in its folder
    assert {f.code for f in findings} == {code}, findings


@pytest.mark.parametrize(("code", "relative", "line"), EXPLICIT_CASES)
def test_rule_fires_on_explicit_file(code: str, relative: str, line: int) -> None:
    path = CORPUS / code / relative
    findings = _findings_for(path)
    assert [(f.code, f.line) for f in findings] == [(code, line)]


@pytest.mark.parametrize("code", [code for code, _, _ in EXPLICIT_CASES])
def test_explicit_file_case_is_skipped_when_walking_its_folder(code: str) -> None:
    # a stray Markdown file or an agents/README.md is not a Claude Code file: walking skips it,
    # and the folder that holds nothing else is reported as holding nothing to lint (CC031)
    assert [f.code for f in _findings_for(CORPUS / code)] == ["CC031"]


def test_unreadable_and_odd_files(tmp_path: Path) -> None:
    agents = tmp_path / "agents"
    write(agents / "good.md", "---\nname: good\ndescription: Reviews code.\n---\nBody\n")
    (agents / "dangling.md").symlink_to(tmp_path / "gone.md")  # CC001
    os.mkfifo(agents / "pipe.md")  # CC001: not a regular file (and reading it would block)
    (agents / "loop").symlink_to(agents)  # CC002: a folder that contains itself
    (agents / "self.md").symlink_to(agents / "self.md")  # CC002: a file symlink loop
    write(
        agents / "huge.md", "---\nname: huge\ndescription: Big.\n---\n" + "x" * (1 << 20)
    )  # CC003
    missing = tmp_path / "no-such-folder"  # CC006
    findings = lint([agents, missing], cwd=tmp_path).findings
    got = {(f.code, Path(f.path).name, f.line) for f in findings}
    assert got == {
        ("CC001", "dangling.md", 1),
        ("CC001", "pipe.md", 1),
        ("CC002", "loop", 1),
        ("CC002", "self.md", 1),
        ("CC003", "huge.md", 1),
        ("CC006", "no-such-folder", 1),
    }


def test_every_rule_has_a_case() -> None:
    covered = {code for code, _, _ in CASES + EXPLICIT_CASES}
    covered |= {"CC001", "CC002", "CC003", "CC006"}  # test_unreadable_and_odd_files
    covered |= {"CC007"}  # test_lint_adversary: a walk bounded at MAX_FOLDERS folders
    assert set(RULES) - NO_CORPUS == covered
    assert set(RULES) >= NO_CORPUS


def test_shipped_bundle_lints_clean() -> None:
    result = lint([Path(".claude-plugin"), Path("plugins/ml-agents")], cwd=REPO)
    assert result.findings == []
    assert len(result.files) >= 11


def test_rules_page_is_up_to_date() -> None:
    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == render_rules_markdown(), (
        "regenerate: python -m ml_agents.lint.docs > docs/rules.md"
    )


def test_every_rule_is_documented_completely() -> None:
    for rule in RULES.values():
        assert rule.code and rule.name and rule.why and rule.bad and rule.good and rule.hint, rule
        assert rule.bad != rule.good, rule.code
