"""What an adversary found (issue 9): hostile inputs that made ``lint`` hang, walk the whole disk,
crash with a traceback or take minutes. Each case runs the real CLI on real files.

Hang cases are bounded by a generous time limit: linear work on a 1 MiB file takes well under a
second, while a backtracking pattern needs hours on the same input.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import RunCli, write
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_agents import frontmatter
from ml_agents.lint import spec
from ml_agents.lint.checks_command import _shell_blocks
from ml_agents.lint.checks_tools import glob_matches, is_mcp_name
from ml_agents.lint.discover import MAX_FOLDERS
from ml_agents.lint.jsonpos import syntax_error

MIB = spec.FILE_SIZE_LIMIT
# A hang guard, not a speed test (speed is measured in benchmarks/): a quadratic pattern on a 1 MiB
# input takes hours, so a generous bound still tells a hang from a loaded machine.
SECONDS = 120


def _fill(head: str, unit: str, tail: str) -> str:
    """``head`` + ``unit`` repeated + ``tail``, as close to the 1 MiB limit as fits."""
    room = MIB - len((head + tail).encode()) - 16
    return head + unit * (room // len(unit.encode())) + tail


AGENT_HEAD = "---\nname: a\ndescription: d\n"
# (where the file lives, its text): one shape for each pattern that reads user input
HOSTILE = {
    # the client's auto-quoting retry, on a block the YAML parser rejects (issue: 21 s at 40 KB)
    "quoting-retry-spaces": (
        "agents/a.md",
        _fill(AGENT_HEAD + "bad: [\nkey: x", " ", "y\n---\n"),
    ),
    "quoting-retry-key": ("agents/a.md", _fill("---\n bad: [\n", "k", "\n---\n")),
    "quoting-retry-indent": ("agents/a.md", _fill("---\n bad: [\n", " ", "k\n---\n")),
    "quoting-retry-colon": ("agents/a.md", _fill("---\n bad: [\nk:", " ", ": \n---\n")),
    # the frontmatter block itself: whitespace after the opening '---' and no closing one
    "unterminated-newlines": ("agents/a.md", _fill("---", "\n", "")),
    "unterminated-blank-lines": ("agents/a.md", _fill("---", " \n", "x")),
    "late-frontmatter": ("commands/c.md", _fill("", "\n", "---\n")),
    "html-comment": ("commands/c.md", _fill("<!--", "-", "")),
    "odd-line-breaks": ("agents/a.md", _fill(AGENT_HEAD + "x: [", "\r", "\n---\n")),
    "number-like-scalar": ("agents/a.md", _fill(AGENT_HEAD + "x: ", "1", "x\n---\n")),
    "integer-text": ("agents/a.md", _fill(AGENT_HEAD + "maxTurns: '1", " ", "x'\n---\n")),
    # the command body: shell injection and agent mentions
    "shell-block": ("commands/c.md", _fill("---\ndescription: d\n---\n```!", "\n", "")),
    "shell-block-spaces": ("commands/c.md", _fill("---\ndescription: d\n---\n```!", " ", "x")),
    "inline-shell": ("commands/c.md", _fill("---\ndescription: d\n---\n !`", "a", "")),
    "subagent-type": ("commands/c.md", _fill("---\ndescription: d\n---\nsubagent_type", " ", "")),
    "agent-word": ("commands/c.md", _fill("---\ndescription: d\n---\nthe agent", " ", "x")),
    "backticked-name": ("commands/c.md", _fill("---\ndescription: d\n---\n`", "a-", "!")),
    "backticked-list": ("commands/c.md", _fill("---\ndescription: d\n---\n`a`", " ", ",`b`")),
    "shell-rule-glob": (  # six stars in a rule took over 30 s on a 200-character command
        "commands/c.md",
        _fill("---\ndescription: d\nallowed-tools: Bash(*a*a*a*a*a*a*b)\n---\n!`", "a", "`"),
    ),
    # tool names
    "mcp-name": ("agents/a.md", _fill(AGENT_HEAD + "tools: mcp__a", "_", "!\n---\n")),
    "mcp-name-star": ("agents/a.md", _fill(AGENT_HEAD + "tools: mcp__a", "_", "*!\n---\n")),
    # manifests
    "homepage": (
        ".claude-plugin/plugin.json",
        _fill('{"name": "p", "homepage": "a://', "b", ' x"}'),
    ),
    "json-whitespace": (".claude-plugin/plugin.json", _fill('{"name": "p"', " ", "")),
    "json-number": (".claude-plugin/plugin.json", _fill('{"name": "p", "version": 1', "0", "")),
}


@pytest.mark.parametrize("shape", list(HOSTILE))
def test_hostile_shapes_finish(run_cli: RunCli, tmp_path: Path, shape: str) -> None:
    relative, text = HOSTILE[shape]
    path = write(tmp_path / relative, text)
    assert path.stat().st_size <= MIB
    result = run_cli("lint", relative, cwd=tmp_path, timeout=SECONDS)
    assert result.returncode in (0, 1), result.stderr[-500:]
    assert result.stderr == ""
    assert "CC000" not in result.stdout
    assert len(result.stdout) < 5000  # findings never repeat the huge input


@pytest.mark.parametrize(
    ("shape", "name"), [("quoting-retry-spaces", "a"), ("unterminated-newlines", "None")]
)
def test_install_reads_a_hostile_user_agent(tmp_path: Path, shape: str, name: str) -> None:
    """install and status read the names of the user's own agents, through the same model."""
    path = write(tmp_path / "agents/evil.md", HOSTILE[shape][1])
    code = (
        "import sys, pathlib; from ml_agents.install.clashes import agent_name; "
        "print(agent_name(pathlib.Path(sys.argv[1])))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, name + "\n", "")


# --- the folder walk -----------------------------------------------------------------------------


def test_a_folder_linked_to_the_root_of_the_disk(run_cli: RunCli, tmp_path: Path) -> None:
    """Was over 60 s. Each real folder is listed once and at most MAX_FOLDERS of them (a CC007
    finding when a disk has more; this one may not)."""
    write(tmp_path / ".git/HEAD", "")
    write(tmp_path / ".claude/agents/a.md", "---\nname: a\ndescription: d\n---\n")
    (tmp_path / ".claude/agents/disk").symlink_to("/")
    result = run_cli("lint", "--format", "json", cwd=tmp_path, timeout=300)  # a hang guard
    assert result.returncode == 1, result.stderr
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert "CC000" not in codes


def test_every_real_folder_is_walked_once(tmp_path: Path) -> None:
    """Links to sibling folders are not loops, yet each real folder is read only once."""
    from ml_agents.lint.engine import lint

    agents = tmp_path / "agents"
    write(agents / "shared/x/reviewer.md", "---\nname: reviewer\ndescription: d\n---\n")
    # every link points at a real folder reached before: a chain of 2^20 paths unless remembered
    previous = agents / "shared"
    for index in range(20):
        level = agents / f"level{index}"
        level.mkdir()
        (level / "a").symlink_to(previous)
        (level / "b").symlink_to(previous)
        previous = level
    started = time.monotonic()
    result = lint([Path("agents")], cwd=tmp_path)
    assert time.monotonic() - started < SECONDS
    assert [f.code for f in result.findings] == []
    assert result.files == ["agents/shared/x/reviewer.md"]


def test_the_walk_is_bounded_with_a_finding(tmp_path: Path) -> None:
    from ml_agents.lint.engine import lint

    agents = tmp_path / "agents"
    for index in range(MAX_FOLDERS + 1):
        (agents / f"f{index:05d}").mkdir(parents=True)
    write(agents / "a.md", "---\nname: a\ndescription: d\n---\n")
    findings = lint([Path("agents")], cwd=tmp_path).findings
    assert [(f.code, f.path) for f in findings] == [("CC007", "agents")]
    assert f"{MAX_FOLDERS:,}" in findings[0].message


# --- tracebacks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_file_names_that_are_not_utf8(run_cli: RunCli, tmp_path: Path, output_format: str) -> None:
    write(tmp_path / "agents" / os.fsdecode(b"b\xff.md"), "---\nname: b\n---\n")
    result = run_cli("lint", "--format", output_format, "agents", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert "CC207" in result.stdout
    if output_format in ("json", "sarif"):
        json.loads(result.stdout)


HUGE = "9" * 5000


def test_huge_integers_in_frontmatter(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "agents/a.md", f"---\nname: a\ndescription: d\nmaxTurns: {HUGE}\n---\n")
    write(tmp_path / "agents/b.md", f"---\nname: b\ndescription: {HUGE}\n---\n")
    result = run_cli("lint", "--format", "json", "agents", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    codes = {(f["path"], f["code"]) for f in findings}
    assert not any(code in ("CC000", "CC104") for _, code in codes), findings
    assert ("agents/a.md", "CC215") in codes  # not a usable positive integer
    assert all(len(f["message"]) < 300 for f in findings)


def test_huge_integers_in_manifests(run_cli: RunCli, tmp_path: Path) -> None:
    write(
        tmp_path / ".claude-plugin/plugin.json",
        f'{{"name": "p", "version": {HUGE}, "author": {{"name": "a"}}}}',
    )
    result = run_cli("lint", "--format", "json", ".claude-plugin/plugin.json", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    codes = [f["code"] for f in findings]
    assert "CC504" in codes, findings  # a version is a string
    assert "CC000" not in codes
    assert all(len(f["message"]) < 300 for f in findings)


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        ("agents/a.md", "---\nname: a\ndescription: " + "[" * 50_000 + "]" * 50_000 + "\n---\n"),
        ("agents/a.md", "---\nname: a\ndescription: " + "{a: " * 30_000 + "}" * 30_000 + "\n---\n"),
        (
            "agents/a.md",
            "---\nname: a\ndescription: d\nx:\n"
            + "".join(" " * i + "- \n" for i in range(2000))
            + "---\n",
        ),
        (".claude-plugin/plugin.json", '{"name": "p", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        (".claude-plugin/plugin.json", '{"name": "p", "x": ' + '{"a": ' * 50_000 + "}" * 50_000),
    ],
    ids=["yaml-flow-lists", "yaml-flow-maps", "yaml-block", "json-lists", "json-objects"],
)
def test_deep_nesting_is_a_finding(
    run_cli: RunCli, tmp_path: Path, relative: str, text: str
) -> None:
    write(tmp_path / relative, text)
    # --show-info: a flow list too deep to parse is quoted by the client, which then reads the
    # text as written (an info finding, hidden by default)
    result = run_cli("lint", "--format", "json", "--show-info", relative, cwd=tmp_path)
    assert result.stderr == ""
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert "CC000" not in codes
    assert codes, "deep nesting is reported"


# --- did you mean, across many files -------------------------------------------------------------


def test_many_agents_and_unknown_references(run_cli: RunCli, tmp_path: Path) -> None:
    agents = tmp_path / ".claude/agents"
    agents.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for index in range(5000):
        name = f"agent-{index:04d}"
        (agents / f"{name}.md").write_text(f"---\nname: {name}\ndescription: Agent {index}\n---\n")
    body = "".join(f"Use the `missing-{i:03d}` agent.\n" for i in range(200))
    body += "Use the `agent-0042x` agent and the `agnet-0042` one.\n"
    write(tmp_path / ".claude/commands/run.md", "---\ndescription: run\n---\n" + body)
    result = run_cli("lint", "--format", "json", cwd=tmp_path, timeout=600)  # a hang guard
    findings = json.loads(result.stdout)["findings"]
    assert len([f for f in findings if f["code"] == "CC602"]) == 202
    hints = {f["message"].split("'")[1]: f["hint"] for f in findings}
    assert hints["agent-0042x"] == "Write 'agent-0042' (the agent that exists)."
    assert hints["agnet-0042"] == "Write 'agent-0042' (the agent that exists)."
    assert (
        hints["missing-007"]
        == "Fix the name, or add agents/missing-007.md with 'name: missing-007'."
    )


def test_did_you_mean_is_the_same_without_rapidfuzz(run_cli: RunCli, tmp_path: Path) -> None:
    """rapidfuzz only narrows the candidates: where it is not installed, lint still runs (no
    traceback) and reports exactly the same findings and hints."""
    agents = tmp_path / ".claude/agents"
    agents.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in ("ml-engineer", "data-scientist", "code-reviewer", "agent-0042"):
        (agents / f"{name}.md").write_text(f"---\nname: {name}\ndescription: {name}\n---\n")
    body = (
        "Hand it to `ml-enginer`, then `data-sceintist`, then the data-science team.\n"
        "Use the `agent-0042x` agent, the `agnet-0042` one and the `missing-one` agent.\n"
        "Ask the `code-reviewers` about it.\n"
    )
    write(tmp_path / ".claude/commands/run.md", "---\ndescription: run\n---\n" + body)
    with_it = run_cli("lint", "--format", "json", cwd=tmp_path)
    blocked = "import sys; sys.modules['rapidfuzz'] = None; from ml_agents.cli import main; "
    without = subprocess.run(
        [sys.executable, "-c", blocked + "raise SystemExit(main())", "lint", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in without.stderr, without.stderr
    assert (without.returncode, without.stdout) == (with_it.returncode, with_it.stdout)
    hints = {f["message"].split("'")[1]: f["hint"] for f in json.loads(with_it.stdout)["findings"]}
    assert hints["ml-enginer"] == "Write 'ml-engineer' (the agent that exists)."
    assert hints["agnet-0042"] == "Write 'agent-0042' (the agent that exists)."
    assert (
        hints["missing-one"]
        == "Fix the name, or add agents/missing-one.md with 'name: missing-one'."
    )


# --- unreadable files and long input in messages -------------------------------------------------


@pytest.mark.parametrize("option", ["--ignore", "--explain", "--format", "--fail-on"])
def test_usage_errors_do_not_echo_long_input(run_cli: RunCli, option: str) -> None:
    result = run_cli("lint", option, "CC" + "9" * 100_000)
    assert result.returncode == 2
    assert len(result.stderr) < 1000, len(result.stderr)


def test_long_paths_in_findings_are_shown_whole_but_values_are_not(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write(
        tmp_path / "agents/a.md",
        "---\nname: a\ndescription: d\ncolor: " + "x" * 100_000 + "\n---\n",
    )
    result = run_cli("lint", "agents", cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stdout) < 1000


def test_a_long_dangling_symlink_target_is_shortened(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents/a.md").symlink_to("/" + "x/" * 2000 + "gone.md")
    result = run_cli("lint", "agents", cwd=tmp_path)
    assert result.returncode == 1
    assert "CC001 dangling symlink to '/x/x/x" in result.stdout
    assert len(result.stdout) < 1000


def test_yaml_errors_do_not_echo_a_long_tag(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "agents/a.md", "---\n? !" + "a" * 100_000 + " k\n: v\n---\n")
    result = run_cli("lint", "agents", cwd=tmp_path)
    assert result.returncode == 1
    assert "CC104" in result.stdout
    assert len(result.stdout) < 1000


# --- Python versions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ('{"name": "p",\n}', 2, 1, "a trailing comma before '}'"),
        ('{"name": "p", "keywords": ["a",\n ]}', 2, 2, "a trailing comma before ']'"),
        ('{"name": "p"\n "x": 1}', 2, 2, "expected ',' or '}'"),
        ('{"name": "p", x: 1}', 1, 15, "expected a key in double quotes"),
        ('{"name": "p", "x" 1}', 1, 19, "expected ':'"),
        ('{"name": "p", "x": }', 1, 20, "expected a value"),
        ('{"name": "p"} x', 1, 15, "more text after the JSON value"),
        ('{"name": "p', 1, 10, "unterminated string"),
        ('{"name": "a\tb"}', 1, 12, "invalid control character in a string"),
        ('{"name": "\\q"}', 1, 11, "invalid escape in a string"),
        ("", 1, 1, "expected a value"),
        ("[1, 2", 1, 6, "expected ',' or ']'"),
    ],
)
def test_json_errors_do_not_depend_on_the_python_version(
    tmp_path: Path, text: str, line: int, col: int, message: str
) -> None:
    """Python 3.13 reports a trailing comma elsewhere than 3.10-3.12: positions are our own."""
    from ml_agents.lint.jsonpos import load

    document, problem = load(text)
    assert document is None
    assert problem is not None
    assert (problem.position.line, problem.position.col) == (line, col)
    assert problem.message == f"invalid JSON: {message}"


# --- the linear readers agree with the client's patterns -----------------------------------------
# Each pattern below is the one the client (or an earlier version of this linter) applies; on
# inputs small enough for backtracking to be harmless, the linear code must find the same thing.

SMALL = settings(max_examples=1500, deadline=None, derandomize=True, database=None)
PIECES = st.sampled_from(
    [*"ab-_:*!` \t\n\r\"'[]{}#.", "---", "```!", "```", ": ", "mcp__", "__", "\u2028", "\x85"]
)
small_texts = st.lists(PIECES, max_size=24).map("".join)


@SMALL
@given(text=small_texts)
def test_frontmatter_block_matches_the_client_pattern(text: str) -> None:
    client = re.compile(r"\A---\s*\n(.*?)---\s*\n?", re.DOTALL).match(text)
    block = frontmatter.find_block(text)
    if client is None:
        assert block is None
    else:
        assert block == (client.start(1), client.end(1), client.end())
    assert (frontmatter.yaml_start(text) is not None) == bool(re.match(r"\A---\s*\n", text))


@SMALL
@given(lines=st.lists(small_texts, max_size=4))
def test_auto_quote_matches_the_client_pattern(lines: list[str]) -> None:
    # 2.1.332's own code: /^([a-zA-Z_-]+):\s+(\S.*)$/ per line ('.' stops at CR, LS and PS),
    # values quoted at both ends or flow lists that parse are kept, then leading tabs go
    client = re.compile("^([a-zA-Z_-]+):\\s+(\\S[^\\n\\r\u2028\u2029]*)$")
    needs_quotes = re.compile(r"[{}\[\]*&#!|>%@`]|: ")
    expected = []
    for line in "\n".join(lines).split("\n"):
        match = client.match(line)
        if match:
            key, value = match.groups()
            quoted = any(value.startswith(q) and value.endswith(q) for q in "\"'")
            if not quoted and not _parses_as_flow_list(value) and needs_quotes.search(value):
                escaped = value.replace("\\", "\\\\").replace('"', '\\"')
                line = f'{key}: "{escaped}"'
        expected.append(re.sub("^\t+", lambda tabs: "  " * len(tabs.group()), line))
    assert frontmatter.auto_quote("\n".join(lines)) == "\n".join(expected)


def _parses_as_flow_list(value: str) -> bool:
    if not (value.startswith("[") and value.endswith("]")):
        return False
    try:
        return isinstance(yaml.safe_load(value), list)
    except yaml.YAMLError:
        return False


@SMALL
@given(body=small_texts)
def test_shell_blocks_match_the_client_pattern(body: str) -> None:
    client = re.compile(r"```!\s*\n?([\s\S]*?)\n?```")
    expected = [(m.start(), m.group(1)) for m in client.finditer(body)]
    assert _shell_blocks(body) == expected


@SMALL
@given(rest=small_texts)
def test_mcp_names_match_the_client_pattern(rest: str) -> None:
    name = "mcp__" + rest
    client = re.compile(r"mcp__[A-Za-z0-9.-][A-Za-z0-9_.-]*(__[A-Za-z0-9_.*-]*)?")
    assert is_mcp_name(name) == bool(client.fullmatch(name))


@SMALL
@given(pattern=st.text("ab*", max_size=10), text=st.text("ab\n", max_size=12))
def test_shell_rule_globs_match_a_regex(pattern: str, text: str) -> None:
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    assert glob_matches(pattern, text) == bool(re.fullmatch(regex, text, re.DOTALL))


JSON_PIECES = st.sampled_from(
    [*'{}[],:" \n\t\\abu0-1.eE+', "true", "null", "NaN", "-Infinity", '"k"', "\x01", "12"]
)


@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(text=st.lists(JSON_PIECES, max_size=20).map("".join))
def test_json_syntax_errors_agree_with_json(text: str) -> None:
    try:
        json.loads(text)
        valid = True
    except ValueError:
        valid = False
    assert (syntax_error(text) is None) == valid, syntax_error(text)
