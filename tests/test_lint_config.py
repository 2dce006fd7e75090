"""Lint configuration (pyproject.toml / .ml-agents.toml) and inline suppressions, as a user runs
``ml-agents lint``: real files in temporary repositories, the real CLI in a subprocess."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, RunCli, write

from ml_agents.lint import config
from ml_agents.lint.docs import SUPPRESSIONS

# CC206 (name not kebab-case), CC210 (invalid model), CC211 (invalid colour) in one agent
AGENT = (
    "---\nname: CodeReviewer\ndescription: Reviews a diff.\nmodel: gpt-4\ncolor: teal\n---\n"
    "You review.\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    write(root / ".claude/agents/reviewer.md", AGENT)
    return root


def lint_json(run_cli: RunCli, cwd: Path, *args: str) -> tuple[int, list[tuple[str, str, int]]]:
    """The exit code and (code, severity, line) of every finding, info included (CC206, which these
    tests use, is advisory)."""
    result = run_cli("lint", "--format", "json", "--show-info", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return result.returncode, [(f["code"], f["severity"], f["line"]) for f in report["findings"]]


def codes(run_cli: RunCli, cwd: Path, *args: str) -> list[str]:
    return [code for code, _, _ in lint_json(run_cli, cwd, *args)[1]]


# --- configuration --------------------------------------------------------------------------------


def test_without_configuration_every_rule_applies(run_cli: RunCli, repo: Path) -> None:
    assert codes(run_cli, repo) == ["CC206", "CC210", "CC211"]


def test_select_and_ignore_take_codes_names_and_prefixes(run_cli: RunCli, repo: Path) -> None:
    write(
        repo / "pyproject.toml", '[tool.ml-agents]\nselect = ["CC2"]\nignore = ["invalid-color"]\n'
    )
    assert codes(run_cli, repo) == ["CC206", "CC210"]
    write(repo / "pyproject.toml", '[tool.ml-agents]\nselect = ["cc206", "invalid-model"]\n')
    assert codes(run_cli, repo) == ["CC206", "CC210"]
    # --ignore on the command line adds to the configuration's ignore
    assert codes(run_cli, repo, "--ignore", "CC206") == ["CC210"]


def test_severity_override_changes_label_and_exit_code(run_cli: RunCli, repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.ml-agents]\nignore = ["CC211"]\n')
    status, found = lint_json(run_cli, repo)
    assert status == 0 and ("CC210", "warning", 4) in found
    write(
        repo / "pyproject.toml",
        '[tool.ml-agents]\nignore = ["CC211"]\n'
        '[tool.ml-agents.severity]\ninvalid-model = "error"\n',
    )
    status, found = lint_json(run_cli, repo)
    assert status == 1 and ("CC210", "error", 4) in found


def test_per_file_ignores_and_extend_exclude(run_cli: RunCli, repo: Path) -> None:
    write(repo / ".claude/agents/legacy/old.md", AGENT.replace("CodeReviewer", "old"))
    write(repo / "vendor/agents/theirs.md", AGENT)
    write(
        repo / ".ml-agents.toml",
        'extend-exclude = ["vendor"]\n'
        "[per-file-ignores]\n"
        '".claude/agents/legacy/*.md" = ["CC210", "CC211"]\n'
        '"reviewer.md" = ["CC206"]\n',
    )
    result = run_cli("lint", "--format", "json", ".claude", "vendor", cwd=repo)
    report = json.loads(result.stdout)
    shown = sorted((f["path"], f["code"]) for f in report["findings"])
    assert shown == [
        (".claude/agents/reviewer.md", "CC210"),
        (".claude/agents/reviewer.md", "CC211"),
    ]
    assert sorted(report["files"]) == [".claude/agents/legacy/old.md", ".claude/agents/reviewer.md"]


def test_nearest_configuration_wins(run_cli: RunCli, tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    write(outer / "pyproject.toml", '[tool.ml-agents]\nignore = ["CC206"]\n')
    repo = outer / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "agents/reviewer.md", AGENT)
    # above the repository root: not read
    assert codes(run_cli, repo) == ["CC206", "CC210", "CC211"]
    # a pyproject.toml without [tool.ml-agents] does not count
    write(repo / "pyproject.toml", '[project]\nname = "x"\n')
    write(repo / "agents/.ml-agents.toml", 'ignore = ["CC210"]\n')
    assert codes(run_cli, repo) == ["CC206", "CC210", "CC211"]
    # linting the folder that holds it finds the nearer file
    assert codes(run_cli, repo, "agents") == ["CC206", "CC211"]
    assert codes(run_cli, repo / "agents") == ["CC206", "CC211"]
    # one folder, both files: .ml-agents.toml wins
    write(repo / "pyproject.toml", '[tool.ml-agents]\nignore = ["CC211"]\n')
    write(repo / ".ml-agents.toml", 'ignore = ["CC206"]\n')
    assert codes(run_cli, repo) == ["CC210", "CC211"]
    assert codes(run_cli, repo, "--config", "pyproject.toml") == ["CC206", "CC210"]
    assert codes(run_cli, repo, "--no-config") == ["CC206", "CC210", "CC211"]


BAD_CONFIGS = [
    ('[tool.ml-agents]\nselct = ["CC2"]\n', "pyproject.toml:2:", "selct", "did you mean 'select'"),
    ('[tool.ml-agents]\nselect = "CC2"\n', "pyproject.toml:2:", "select", "list of strings"),
    ('[tool.ml-agents]\nignore = ["CC99"]\n', "pyproject.toml:2:", "ignore", "no rule 'CC99'"),
    ('[tool.ml-agents]\nignore = ["unknwn-tool"]\n', "pyproject.toml:2:", "ignore", "unknown-tool"),
    ("[tool.ml-agents]\nselect = [CC2\n", "pyproject.toml:2:", "invalid TOML", "TOML"),
    ('[tool.ml-agents]\nshow-info = "yes"\n', "pyproject.toml:2:", "show-info", "true or false"),
    (
        '[tool.ml-agents.severity]\nCC206 = "fatal"\n',
        "pyproject.toml:2:",
        "severity.CC206",
        "'fatal' is not one of error, warning, info",
    ),
    (
        '[tool.ml-agents]\nx = 1\n\n[tool.ml-agents.per-file-ignores]\n"../up/*.md" = ["CC2"]\n',
        "pyproject.toml:2:",
        "x",
        "unknown key",
    ),
    (
        '[tool.ml-agents.per-file-ignores]\n"*.md" = ["CC2"]\n"../up/*.md" = ["CC2"]\n',
        "pyproject.toml:3:",
        '"../up/*.md"',
        "not a path pattern relative",
    ),
    (
        '[tool.ml-agents.per-file-ignores]\n"*.md" = ["CC2x"]\n',
        "pyproject.toml:2:",
        'per-file-ignores."*.md"',
        "no rule 'CC2x'",
    ),
]


@pytest.mark.parametrize(("text", "where", "key", "problem"), BAD_CONFIGS)
def test_bad_configuration_is_one_line_and_exit_2(
    run_cli: RunCli, repo: Path, text: str, where: str, key: str, problem: str
) -> None:
    write(repo / "pyproject.toml", text)
    result = run_cli("lint", cwd=repo)
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"ml-agents lint: error: {where}")
    assert key in lines[0] and problem in lines[0]


def test_a_pyproject_table_in_the_dedicated_file(run_cli: RunCli, repo: Path) -> None:
    write(repo / ".ml-agents.toml", '[tool.ml-agents]\nignore = ["CC206"]\n')
    result = run_cli("lint", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == (
        "ml-agents lint: error: .ml-agents.toml:1: tool: in .ml-agents.toml the keys go at the "
        "top level, not under [tool.ml-agents]\n"
    )


def test_unreadable_and_undecodable_configuration(run_cli: RunCli, repo: Path) -> None:
    write(repo / ".ml-agents.toml", b'ignore = ["CC206"] # caf\xe9\n')
    result = run_cli("lint", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.startswith("ml-agents lint: error: .ml-agents.toml: not UTF-8")
    missing = run_cli("lint", "--config", "nope.toml", cwd=repo)
    assert missing.returncode == 2
    assert missing.stderr == (
        "ml-agents lint: error: nope.toml: cannot read: No such file or directory\n"
    )


def test_fingerprint_is_stable_and_follows_the_effective_config(tmp_path: Path) -> None:
    def fingerprint(name: str, text: str) -> str:
        return config.load(write(tmp_path / name / ".ml-agents.toml", text)).fingerprint()

    first = fingerprint("a", 'select = ["CC2"]\nignore = ["CC206", "CC210"]\n')
    same = fingerprint("a", 'ignore = ["CC210", "agent-name-not-kebab-case"]\nselect = ["CC2"]\n')
    assert first == same
    assert fingerprint("a", 'select = ["CC2"]\nignore = ["CC206"]\n') != first
    assert fingerprint("b", 'select = ["CC2"]\nignore = ["CC206", "CC210"]\n') != first  # base
    assert fingerprint("a", "[severity]\nCC206 = 'error'\n") != fingerprint("a", "")
    assert fingerprint("a", "show-info = true\n") != fingerprint("a", "")
    # the defaults are the same wherever lint runs (a cache keyed on them must not depend on it)
    assert config.default(tmp_path / "a").fingerprint() == config.default(tmp_path).fingerprint()


# --- info findings --------------------------------------------------------------------------------


def test_info_findings_are_hidden_and_counted(run_cli: RunCli, repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        '[tool.ml-agents]\nignore = ["CC211"]\n[tool.ml-agents.severity]\nCC206 = "info"\n'
        'CC210 = "info"\n',
    )
    result = run_cli("lint", cwd=repo)
    assert result.returncode == 0
    assert result.stdout == (
        "All clean: 1 file checked. 2 info findings hidden (--show-info shows them).\n"
    )
    shown = run_cli("lint", "--show-info", cwd=repo)
    assert "info CC206" in shown.stdout and "info CC210" in shown.stdout
    assert shown.stdout.splitlines()[-1] == "Found 2 problems (2 notes) in 1 file."
    assert run_cli("lint", "--fail-on", "info", cwd=repo).returncode == 1
    assert "info CC210" in run_cli("lint", "--fail-on", "info", cwd=repo).stdout
    report = json.loads(run_cli("lint", "--format", "json", cwd=repo).stdout)
    assert report["findings"] == [] and report["summary"]["hidden_infos"] == 2
    write(repo / ".ml-agents.toml", 'show-info = true\n[severity]\nCC206 = "info"\n')
    assert "info CC206" in run_cli("lint", cwd=repo).stdout


# --- inline suppressions --------------------------------------------------------------------------


def test_frontmatter_comments_silence_their_line_or_the_next(run_cli: RunCli, repo: Path) -> None:
    write(
        repo / ".claude/agents/reviewer.md",
        "---\n"
        "name: CodeReviewer  # ml-agents: ignore[CC206] the name users already type\n"
        "description: Reviews a diff.\n"
        "# ml-agents: ignore[invalid-model, CC211] our gateway maps it\n"
        "\n"
        "# an ordinary comment\n"
        "model: gpt-4\n"
        "color: teal\n"
        "---\nYou review.\n",
    )
    status, found = lint_json(run_cli, repo)
    # the comment covers line 7 only: colour (line 8) is still reported, and so is its idle code
    assert found == [("CC008", "warning", 4), ("CC211", "error", 8)] and status == 1


def test_file_wide_and_body_suppressions(run_cli: RunCli, repo: Path) -> None:
    write(
        repo / ".claude/agents/reviewer.md",
        AGENT.replace("color: teal\n", "color: teal\n# ml-agents: ignore-file[CC211] one palette\n")
        + "<!-- ml-agents: ignore-file[CC206, CC210] generated by our tool -->\n",
    )
    assert codes(run_cli, repo) == []


def test_unused_and_reasonless_suppressions_are_reported(run_cli: RunCli, repo: Path) -> None:
    write(
        repo / ".claude/agents/reviewer.md",
        "---\n"
        "name: reviewer  # ml-agents: ignore[CC206] was camel case once\n"
        "description: Reviews a diff.\n"
        "model: gpt-4  # ml-agents: ignore[CC210]\n"
        "---\nYou review.\n"
        "<!-- ml-agents: ignore-file[CC211] no colour here -->\n"
        "<!-- ml-agents: ignore[CC999] no such rule -->\n"
        "<!-- ml-agents: ignore CC206 forgot the brackets -->\n",
    )
    result = run_cli("lint", "--strict", cwd=repo)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if not line.startswith("    ")]
    assert lines == [
        ".claude/agents/reviewer.md:2:17: warning CC008 suppression of CC206 is unused: "
        "no such finding on line 2 (unused-suppression)",
        ".claude/agents/reviewer.md:4:15: warning CC010 suppression of CC210 gives no reason "
        "(suppression-without-reason)",
        ".claude/agents/reviewer.md:7:1: warning CC008 suppression of CC211 is unused: "
        "no such finding in this file (unused-suppression)",
        ".claude/agents/reviewer.md:8:1: warning CC011 this ml-agents comment suppresses "
        "nothing: no rule 'CC999' (malformed-suppression)",
        ".claude/agents/reviewer.md:9:1: warning CC011 this ml-agents comment suppresses "
        "nothing: expected ignore[CODE] or ignore-file[CODE] and a reason (malformed-suppression)",
        "Found 5 problems (5 warnings) in 1 file.",
    ]
    assert "hint: Write it as: ml-agents: ignore[CC206] forgot the brackets" in result.stdout
    assert "ignore[CC210] <why it is fine here>" in result.stdout
    # a suppression of a rule the configuration switches off is not "unused"
    write(repo / ".ml-agents.toml", 'ignore = ["CC206", "CC211", "CC010", "CC011"]\n')
    assert codes(run_cli, repo) == []


def test_comments_that_are_not_suppressions(run_cli: RunCli, repo: Path) -> None:
    """A '#' inside a quoted value is text, and so is a comment inside a fenced code block."""
    write(
        repo / ".claude/agents/reviewer.md",
        "---\n"
        "name: CodeReviewer\n"
        "description: 'Use # ml-agents: ignore[CC206] to silence a finding'\n"
        "tools: Read  # text: '\n"
        "x-notes: |\n"
        "  # ml-agents: ignore-file[CC206] text of a block scalar\n"
        "\n"
        "  more text\n"
        "---\n"
        "```markdown\n<!-- ml-agents: ignore-file[CC206] an example in the docs -->\n```\n"
        "Write `<!-- ml-agents: ignore-file[CC206] why -->` in the body.\n",
    )
    assert codes(run_cli, repo) == ["CC206", "CC221"]  # x-notes: a key the client does not read
    # after the block scalar, a comment is a comment again
    path = repo / ".claude/agents/reviewer.md"
    path.write_text(
        path.read_text().replace("  more text\n", "  more text\n# ml-agents: ignore[x]\n")
    )
    assert sorted(codes(run_cli, repo)) == ["CC011", "CC206", "CC221"]


def test_the_documented_example_works_as_documented(run_cli: RunCli, repo: Path) -> None:
    example = re.search(r"```markdown\n(.*?)```", SUPPRESSIONS, re.DOTALL)
    assert example is not None
    command = repo / ".claude/commands/review.md"
    write(command, example[1])
    result = run_cli("lint", "--strict", "--show-info", ".claude/commands", cwd=repo)
    assert result.returncode == 0, result.stdout
    # each comment is needed: without them, each rule fires
    bare = re.sub(r"\s*(?:# ml-agents:.*|<!-- ml-agents:.*?-->)", "", example[1])
    write(command, bare)
    result = run_cli("lint", "--format", "json", "--show-info", ".claude/commands", cwd=repo)
    found = sorted(f["code"] for f in json.loads(result.stdout)["findings"])
    assert found == ["CC210", "CC302", "CC401", "CC602", "CC602"]


@pytest.mark.parametrize("source", ["README.md", "docs/rules.md"])
def test_the_documented_configuration_loads(tmp_path: Path, source: str) -> None:
    page = (REPO / source).read_text(encoding="utf-8")
    example = re.search(r"```toml\n(\[tool\.ml-agents\].*?)```", page, re.DOTALL)
    assert example is not None
    loaded = config.load(write(tmp_path / "pyproject.toml", example[1]))
    assert "CC602" not in loaded.enabled and dict(loaded.severity) == {"CC206": "error"}


def test_a_caller_that_knows_the_marked_files_spares_the_rereads(tmp_path: Path) -> None:
    """The result cache tells apply() which files hold the marker; the others are not read."""
    from ml_agents.lint.engine import lint
    from ml_agents.lint.rules import RULES
    from ml_agents.lint.suppress import apply, has_marker

    agent = write(
        tmp_path / "agents/reviewer.md",
        AGENT.replace("teal\n", "teal  # ml-agents: ignore[CC211] our palette\n"),
    )
    assert has_marker(agent.read_bytes())
    result = lint([Path("agents")], cwd=tmp_path)
    every = apply(result.findings, result.files, tmp_path, RULES)
    told = apply(result.findings, result.files, tmp_path, RULES, {"agents/reviewer.md"})
    assert [f.code for f in every] == [f.code for f in told] == ["CC206", "CC210"]
    unmarked = apply(result.findings, result.files, tmp_path, RULES, set())
    assert [f.code for f in unmarked] == ["CC206", "CC210", "CC211"]


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("vendor", "vendor/agents/x.md", True),  # a folder name: everything under it
        ("agents", "myagents/x.md", False),
        ("vendor/**", "vendor/agents/x.md", True),
        ("**/legacy", "a/b/legacy/x.md", True),
        (".claude/agents/legacy/*.md", ".claude/agents/legacy/old.md", True),
        (".claude/agents/*.md", ".claude/agents/legacy/old.md", False),  # '*' stays in a folder
        ("reviewer.md", ".claude/agents/reviewer.md", True),  # a name at any depth
        ("review?.md", "agents/reviews.md", True),
        ("[ab].md", "agents/[ab].md", True),  # no character classes: brackets are literal
    ],
)
def test_path_patterns(pattern: str, path: str, expected: bool) -> None:
    assert config.matches(pattern, path) is expected


def test_a_partly_used_suppression_names_its_idle_codes(run_cli: RunCli, repo: Path) -> None:
    write(
        repo / ".claude/agents/reviewer.md",
        AGENT.replace("teal\n", "teal  # ml-agents: ignore[CC211, CC210] our palette\n"),
    )
    result = run_cli("lint", "--format", "json", "--show-info", cwd=repo)
    found = [(f["code"], f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [
        ("CC206", 2, found[0][2]),
        ("CC210", 4, found[1][2]),
        ("CC008", 5, "suppression of CC210 is unused: no such finding on line 5"),
    ]


def test_the_suppression_pass_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    """Even told about a FIFO with no finding to explain it, the re-read returns at once."""
    import os
    import subprocess
    import sys

    (tmp_path / "agents").mkdir()
    os.mkfifo(tmp_path / "agents/pipe.md")
    write(tmp_path / "agents/big.md", "<!-- ml-agents: ignore[CC211] x -->\n" + "x" * (3 << 20))
    code = (
        "from pathlib import Path; from ml_agents.lint.suppress import apply; "
        "print(apply([], ['agents/pipe.md', 'agents/big.md'], Path.cwd(), ['CC211']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"
