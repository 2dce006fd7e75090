"""Defects that break real plugins in the client and that the linter used to miss (issue 13).

Each test writes its own minimal files and lints them as a user would; the client behaviour each
one pins is in claude-code-format.md and, where an e2e test exists, in tests/e2e/.
"""

from __future__ import annotations

from pathlib import Path

from conftest import write

from ml_agents import frontmatter
from ml_agents.lint.engine import lint
from ml_agents.lint.result import Finding

NEEDS_QUOTING = "description: Use for: reviews, #1 priority\n"


def lint_file(tmp_path: Path, relative: str, text: str) -> list[Finding]:
    write(tmp_path / relative, text)
    return lint([Path(relative)], cwd=tmp_path).findings


def codes(findings: list[Finding]) -> list[tuple[str, int]]:
    return sorted((f.code, f.line) for f in findings)


# --- the client's auto-quote retry, as its code does it ------------------------------------------


def test_a_flow_list_next_to_a_line_needing_quotes_stays_a_list() -> None:
    document = frontmatter.parse(f'---\nname: r\n{NEEDS_QUOTING}tools: ["Read", "Grep"]\n---\n')
    assert document.frontmatter is not None
    assert document.frontmatter.fields["tools"] == ["Read", "Grep"]


def test_a_value_that_starts_quoted_but_goes_on_is_quoted_whole() -> None:
    text = '---\nname: r\ndescription: "Quoted start" but: unquoted end\n---\n'
    document = frontmatter.parse(text)
    assert document.frontmatter is not None
    assert document.frontmatter.fields["description"] == '"Quoted start" but: unquoted end'


def test_an_indented_line_or_a_key_with_a_digit_is_not_repaired() -> None:
    for block in ("meta:\n  a: b: c\n", "name: r\nstep2: run: now\n"):
        document = frontmatter.parse(f"---\n{block}---\n")
        assert document.frontmatter is None, block
        assert document.problem is not None
        assert document.problem.code == frontmatter.PROBLEM_YAML


def test_only_leading_tabs_become_spaces() -> None:
    document = frontmatter.parse("---\nname: r\ndescription: a\tb: c\n---\n")
    assert document.frontmatter is not None
    assert document.frontmatter.fields["description"] == "a\tb: c"


def test_flow_list_tools_beside_a_repaired_description_are_not_unknown(tmp_path: Path) -> None:
    text = f'---\nname: reviewer\n{NEEDS_QUOTING}tools: ["Read", "Grep"]\n---\nBody\n'
    findings = lint_file(tmp_path, "agents/reviewer.md", text)
    assert "CC301" not in {f.code for f in findings}, findings


def test_quoted_start_description_is_read(tmp_path: Path) -> None:
    text = '---\nname: reviewer\ndescription: "Quoted start" but: unquoted end\n---\nBody\n'
    findings = lint_file(tmp_path, "agents/reviewer.md", text)
    assert not {"CC104", "CC207"} & {f.code for f in findings}, findings


def test_unrepairable_yaml_in_an_agent_is_an_error(tmp_path: Path) -> None:
    text = "---\nname: reviewer\ndescription: Reviews.\nnotes:\n  when: run: now\n---\nBody\n"
    findings = lint_file(tmp_path, "agents/reviewer.md", text)
    assert [(f.code, f.severity) for f in findings] == [("CC104", "error")], findings


def test_bracketed_argument_hint_beside_a_repaired_line_is_reported(tmp_path: Path) -> None:
    text = f"---\n{NEEDS_QUOTING}argument-hint: [file]\n---\nReview $ARGUMENTS.\n"
    findings = lint_file(tmp_path, "commands/review.md", text)
    assert "CC401" in {f.code for f in findings}, findings


# --- '---' inside a value ------------------------------------------------------------------------


def test_dashes_inside_a_value_cut_the_frontmatter(tmp_path: Path) -> None:
    text = "---\nname: reviewer\ndescription: Reviews code --- fast\ntools: Read\n---\nBody\n"
    findings = lint_file(tmp_path, "agents/reviewer.md", text)
    assert codes(findings) == [("CC030", 3)], findings
    (finding,) = findings
    assert finding.col == len("description: Reviews code ") + 1
    assert "description" in finding.message
    assert "'description: Reviews code \u2014 fast'" in finding.hint


def test_dashes_on_their_own_line_close_the_block_as_meant(tmp_path: Path) -> None:
    text = "---\nname: reviewer\ndescription: Reviews code.\n---\nBody --- more\n"
    assert lint_file(tmp_path, "agents/reviewer.md", text) == []


# --- what an agent's tools resolve to in a subagent ----------------------------------------------

AGENT_HEAD = "---\nname: planner\ndescription: Plans work.\n"


def test_tools_withheld_from_subagents_are_errors(tmp_path: Path) -> None:
    text = f"{AGENT_HEAD}tools: Read, TodoWrite, TaskCreate\n---\nBody\n"
    findings = lint_file(tmp_path, "agents/planner.md", text)
    assert [(f.code, f.line, f.col, f.severity) for f in findings] == [
        ("CC230", 4, 14, "error"),
        ("CC230", 4, 25, "error"),
    ]
    assert "'tools: Read'" in findings[0].hint


def test_empty_tools_give_zero_tools(tmp_path: Path) -> None:
    for value in ("[]", '""', ""):
        text = f"{AGENT_HEAD}tools: {value}\n---\nBody\n"
        findings = lint_file(tmp_path, "agents/planner.md", text)
        assert codes(findings) == [("CC231", 4)], (value, findings)


def test_an_agent_whose_tools_all_drop_is_one_headline(tmp_path: Path) -> None:
    text = f"{AGENT_HEAD}tools: read, grep, TodoWrite\n---\nBody\n"
    findings = lint_file(tmp_path, "agents/planner.md", text)
    assert codes(findings) == [("CC232", 4)], findings
    (finding,) = findings
    assert finding.message.startswith("Claude Code will refuse to run this agent")
    assert "unrecognized [read, grep]" in finding.message
    assert "not available to subagents [TodoWrite]" in finding.message
    assert finding.hint == "Write 'tools: Read, Grep'."


def test_wildcards_and_mcp_entries_are_never_refused(tmp_path: Path) -> None:
    for value in ("*", "mcp__github__get_issue", "mcp__github__*, nope"):
        text = f"{AGENT_HEAD}tools: {value}\n---\nBody\n"
        findings = lint_file(tmp_path, "agents/planner.md", text)
        assert "CC232" not in {f.code for f in findings}, (value, findings)


# --- layouts -------------------------------------------------------------------------------------

SKILL = "---\nname: security-review\ndescription: Reviews code for security.\n---\nReview it.\n"


def test_a_skill_under_a_category_folder_is_linted_and_reported(tmp_path: Path) -> None:
    write(
        tmp_path / "skills/review/security-review/SKILL.md",
        SKILL.replace("name:", "effort: 9x\nname:"),
    )
    findings = lint([Path("skills")], cwd=tmp_path).findings
    assert codes(findings) == [("CC214", 2), ("CC410", 1)], findings
    nested = next(f for f in findings if f.code == "CC410")
    assert nested.path == "skills/review/security-review/SKILL.md"
    assert "skills/security-review/SKILL.md" in nested.hint


def test_a_nested_skill_named_on_the_command_line_is_linted(tmp_path: Path) -> None:
    write(tmp_path / "plug/skills/review/security-review/SKILL.md", SKILL)
    findings = lint([Path("plug/skills/review/security-review/SKILL.md")], cwd=tmp_path)
    assert codes(findings.findings) == [("CC410", 1)], findings
    assert findings.files == ["plug/skills/review/security-review/SKILL.md"]


def test_a_folder_with_nothing_to_lint_says_so(tmp_path: Path) -> None:
    write(tmp_path / "docs/README.md", "# Notes\n")
    (tmp_path / "empty").mkdir()
    findings = lint([Path("docs"), Path("empty")], cwd=tmp_path).findings
    assert sorted((f.path, f.code) for f in findings) == [("docs", "CC031"), ("empty", "CC031")]


def test_a_folder_with_only_clean_files_is_not_reported_as_empty(tmp_path: Path) -> None:
    write(tmp_path / "skills/security-review/SKILL.md", SKILL)
    assert lint([Path("skills")], cwd=tmp_path).findings == []


# --- files a plugin's own list leaves out --------------------------------------------------------


def _plugin(root: Path, manifest: str) -> None:
    write(root / ".claude-plugin/plugin.json", manifest)
    for name in ("listed", "unlisted"):
        write(
            root / f"agents/{name}.md",
            f"---\nname: {name}\ndescription: Agent {name}.\ntools: Read\n---\nBody\n",
        )
        write(root / f"commands/{name}.md", f"---\ndescription: Command {name}.\n---\nDo it.\n")


def test_an_agent_missing_from_the_plugin_list_is_never_loaded(tmp_path: Path) -> None:
    manifest = (
        '{"name": "probe", "version": "1.0.0", "description": "Probe.", "author": {"name": "a"},'
        ' "agents": ["./agents/listed.md"], "commands": "./commands/listed.md"}'
    )
    _plugin(tmp_path / "probe", manifest)
    findings = lint([Path("probe")], cwd=tmp_path).findings
    assert sorted((f.path, f.code) for f in findings) == [
        ("probe/agents/unlisted.md", "CC610"),
        ("probe/commands/unlisted.md", "CC610"),
    ], findings
    agent = next(f for f in findings if f.path == "probe/agents/unlisted.md")
    assert '"./agents/unlisted.md"' in agent.hint


def test_without_a_list_the_default_folders_load(tmp_path: Path) -> None:
    manifest = '{"name": "probe", "version": "1.0.0", "description": "P.", "author": {"name": "a"}}'
    _plugin(tmp_path / "probe", manifest)
    assert lint([Path("probe")], cwd=tmp_path).findings == []


def _listing(root: Path, listed: list[str], present: dict[str, str]) -> None:
    manifest = '{"name": "probe", "version": "1.0.0", "description": "P.", "author": {"name": "a"}'
    entries = ", ".join(f'"./{path}"' for path in listed)
    write(root / ".claude-plugin/plugin.json", f'{manifest}, "agents": [{entries}]}}')
    for path, name in present.items():
        write(root / path, f"---\nname: {name}\ndescription: From {path}.\n---\nBody\n")


def test_listed_agents_of_one_name_clash_across_folders(tmp_path: Path) -> None:
    """Listed in plugin.json, ``agents/a/x.md`` and ``extra/x.md`` are both ``probe:x``: the
    client loads one (tests/e2e/test_e2e_lint_missed.py); in the default folder they would be
    ``probe:a:x`` and ``probe:x``."""
    files = {"agents/a/x.md": "x", "extra/x.md": "x", "agents/b/y.md": "y"}
    _listing(tmp_path / "probe", list(files), files)
    findings = lint([Path("probe")], cwd=tmp_path).findings
    assert sorted((f.path, f.code) for f in findings) == [
        ("probe/agents/a/x.md", "CC601"),
        ("probe/extra/x.md", "CC601"),
    ], findings
    # named alone on the command line, a listed file is still an agent, with the same clash
    alone = lint([Path("probe/extra/x.md")], cwd=tmp_path).findings
    assert [(f.path, f.code) for f in alone] == [("probe/extra/x.md", "CC601")], alone


def test_agents_a_plugin_list_leaves_out_clash_with_nothing(tmp_path: Path) -> None:
    files = {"agents/x.md": "x", "agents/old/x.md": "x", "agents/older/x.md": "x"}
    _listing(tmp_path / "probe", ["agents/x.md"], files)
    findings = lint([Path("probe")], cwd=tmp_path).findings
    assert sorted((f.path, f.code) for f in findings) == [
        ("probe/agents/old/x.md", "CC610"),
        ("probe/agents/older/x.md", "CC610"),
    ], findings


def test_default_folder_subfolders_are_namespaces_not_clashes(tmp_path: Path) -> None:
    manifest = '{"name": "probe", "version": "1.0.0", "description": "P.", "author": {"name": "a"}}'
    write(tmp_path / "probe/.claude-plugin/plugin.json", manifest)
    for path in ("agents/x.md", "agents/a/x.md", "agents/b/x.md"):
        write(tmp_path / "probe" / path, f"---\nname: x\ndescription: From {path}.\n---\nB\n")
    assert lint([Path("probe")], cwd=tmp_path).findings == []


# --- agent names in a plugin's commands and skills -----------------------------------------------

PLUGIN_JSON = '{"name": "team", "version": "1.0.0", "description": "T.", "author": {"name": "a"}}'
REVIEWER = "---\nname: reviewer\ndescription: Reviews code.\ntools: Read\n---\nBody\n"


def _team_plugin(root: Path, command_body: str) -> None:
    write(root / ".claude-plugin/plugin.json", PLUGIN_JSON)
    write(root / "agents/reviewer.md", REVIEWER)
    write(root / "commands/review.md", f"---\ndescription: Review.\n---\n{command_body}")


def test_a_bare_subagent_type_in_a_plugin_command_is_an_error(tmp_path: Path) -> None:
    body = 'Call the Agent tool with subagent_type: "reviewer" and the diff.\n'
    _team_plugin(tmp_path / "team", body)
    findings = lint([Path("team")], cwd=tmp_path).findings
    assert [(f.code, f.path, f.line, f.col) for f in findings] == [
        ("CC315", "team/commands/review.md", 4, 42)
    ], findings
    assert findings[0].severity == "error"
    assert "Agent type 'reviewer' not found" in findings[0].message
    assert findings[0].hint == "Write 'team:reviewer'."


def test_a_namespaced_or_built_in_type_is_fine(tmp_path: Path) -> None:
    body = "Use subagent_type: team:reviewer, then subagent_type: general-purpose.\n"
    _team_plugin(tmp_path / "team", body)
    assert lint([Path("team")], cwd=tmp_path).findings == []


def test_a_bare_type_outside_a_plugin_is_fine(tmp_path: Path) -> None:
    write(tmp_path / ".claude/agents/reviewer.md", REVIEWER)
    write(
        tmp_path / ".claude/commands/review.md",
        "---\ndescription: Review.\n---\nUse subagent_type: reviewer.\n",
    )
    assert lint([Path(".claude")], cwd=tmp_path).findings == []


def test_a_doubled_colon_is_an_error(tmp_path: Path) -> None:
    _team_plugin(tmp_path / "team", "Use subagent_type: team::reviewer.\n")
    findings = lint([Path("team")], cwd=tmp_path).findings
    assert "CC316" in {f.code for f in findings}, findings
    doubled = next(f for f in findings if f.code == "CC316")
    assert (doubled.line, doubled.hint) == (4, "Write 'team:reviewer'.")


# --- shell snippets the client refuses although a rule matches -----------------------------------


def _snippet(tmp_path: Path, rule: str, snippet: str) -> list[Finding]:
    text = f"---\ndescription: Status.\nallowed-tools: {rule}\n---\n\nNow: !`{snippet}`\n"
    return lint_file(tmp_path, "commands/status.md", text)


def test_snippets_the_client_refuses_say_why(tmp_path: Path) -> None:
    cases = [
        ("Bash(git log:*)", "git log --oneline @{u}..HEAD", "Brace expansion"),
        ("Bash(git status:*)", "git status --short $(pwd)", "A nested command in this"),
        ("Bash(echo:*)", 'echo "$(date)"', "Quoted text in this command"),
        ("Bash(cat:*)", "cat ~/.claude/settings.json", "may only concatenate files from"),
        ("Bash(ls:*)", "ls $HOME/.claude", "may only list files in"),
    ]
    for rule, snippet, reason in cases:
        findings = _snippet(tmp_path, rule, snippet)
        assert [(f.code, f.line, f.severity) for f in findings] == [("CC317", 6, "error")], snippet
        assert reason in findings[0].message, findings[0].message


def test_the_brace_hint_shows_the_quoted_word(tmp_path: Path) -> None:
    (finding,) = _snippet(tmp_path, "Bash(git log:*)", "git log @{u}..HEAD")
    assert finding.hint == "Quote the word: !`git log '@{u}..HEAD'`."


def test_snippets_the_client_runs_are_clean(tmp_path: Path) -> None:
    for rule, snippet in [
        ("Bash(git log:*)", "git log --oneline '@{u}..HEAD'"),
        ("Bash(git log:*)", "git log @{u}"),
        ("Bash(git log:*)", "git log -1 --format='%H'"),
        ("Bash(cat:*)", "cat README.md"),
        ("Bash(echo:*)", "echo '$(not run)'"),
    ]:
        assert _snippet(tmp_path, rule, snippet) == [], snippet


def test_a_skill_file_directly_in_skills_is_explained_not_called_nested(tmp_path: Path) -> None:
    write(tmp_path / "skills/SKILL.md", SKILL)
    findings = lint([Path("skills/SKILL.md")], cwd=tmp_path).findings
    assert [f.code for f in findings] == ["CC005"], findings


def test_unrepairable_yaml_hint_shows_the_quoted_line(tmp_path: Path) -> None:
    text = "---\nname: reviewer\ndescription: Reviews.\nnotes:\n  when: run: now\n---\nBody\n"
    (finding,) = lint_file(tmp_path, "agents/reviewer.md", text)
    assert finding.code == "CC104"
    assert finding.hint == (
        "Line 5: Claude Code quotes values only on unindented keys of letters, '_' and '-', "
        "so quote when yourself: 'when: \"run: now\"'."
    )


def test_the_refused_agent_headline_clips_what_it_echoes(tmp_path: Path) -> None:
    # found by the property tests: a 10,000-character tool name came back whole in the message
    names = ", ".join(["x" * 10_000, *(f"nope{i}" for i in range(8))])
    write(tmp_path / ".git/HEAD", "")
    write(tmp_path / ".claude/agents/a.md", f"---\nname: a\ndescription: d\ntools: {names}\n---\n")
    [finding] = [f for f in lint([Path(".claude")], cwd=tmp_path).findings if f.code == "CC232"]
    assert len(finding.message) < 400, finding.message
    assert "and 4 more" in finding.message


def test_a_dotdot_after_a_symlink_names_the_file_the_system_reads(tmp_path: Path) -> None:
    """``link/../agents/a.md`` is the file beside the link's target; normpath would name the one
    beside the link, and report (and read suppressions from) the wrong file."""
    repo, other = tmp_path / "repo", tmp_path / "other"
    (other / "sub").mkdir(parents=True)
    (repo / ".git").mkdir(parents=True)
    (repo / "link").symlink_to(other / "sub")
    write(other / "agents/a.md", "---\nname: a\ndescription: R.\ntools: Bash, Foo\n---\nBody\n")
    write(repo / "agents/a.md", "---\nname: a\ndescription: Fine.\n---\nBody\n")
    for given in ("link/../agents/a.md", "link/../agents"):
        findings = lint([Path(given)], cwd=repo).findings
        assert [(f.path, f.code) for f in findings] == [(str(other / "agents/a.md"), "CC301")], (
            given,
            findings,
        )
