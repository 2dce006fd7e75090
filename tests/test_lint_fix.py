"""``ml-agents lint --fix`` and ``--diff`` on real files, run as a user runs them.

Each repair is checked byte for byte; every run is repeated to show that a second one changes
nothing; the shipped bundle and a copy of tests/lint_corpus go through --fix with what the client
reads compared before and after.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import REPO, RunCli, examples, tree_bytes, write
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_agents import frontmatter
from ml_agents.lint.engine import lint
from ml_agents.lint.fix import plan_fixes
from ml_agents.lint.fix_write import write_fix

BOM = "\ufeff".encode()
# the result cache lint keeps beside the files it lints is not the user's content
LINT_CACHE = (".ml-agents-cache",)
BODY = (
    "\nUse the Task tool, then grep for `description: Use for: x` in agents/reviewer.md.\n"
    "Tools: read, Task, KillShell.\n"
)


class Case(NamedTuple):
    id: str
    count: int
    """How many findings the repair fixes."""
    relative: str
    """The file in the project."""
    before: bytes
    after: bytes
    """The file after --fix."""


REPAIRS = [
    Case(
        "bom",
        1,
        ".claude/agents/reviewer.md",
        BOM + b"---\nname: reviewer\ndescription: Reviews code.\n---\n" + BODY.encode(),
        b"---\nname: reviewer\ndescription: Reviews code.\n---\n" + BODY.encode(),
    ),
    Case(
        "quoting",
        1,
        ".claude/agents/reviewer.md",
        f"---\nname: reviewer\ndescription: Use for: reviews #1\n---\n{BODY}".encode(),
        f'---\nname: reviewer\ndescription: "Use for: reviews #1"\n---\n{BODY}'.encode(),
    ),
    Case(
        "quoting-escapes",
        1,
        ".claude/agents/reviewer.md",
        b'---\nname: reviewer\ndescription: Say "hi": C:\\tmp [x]\n---\nBody.\n',
        b'---\nname: reviewer\ndescription: "Say \\"hi\\": C:\\\\tmp [x]"\n---\nBody.\n',
    ),
    Case(
        "legacy-tools",
        2,
        ".claude/agents/reviewer.md",
        f"---\nname: reviewer\ndescription: Reviews.\ntools: Read, Task, KillShell\n---\n"
        f"{BODY}".encode(),
        f"---\nname: reviewer\ndescription: Reviews.\ntools: Read, Agent, TaskStop\n---\n"
        f"{BODY}".encode(),
    ),
    Case(
        "legacy-in-flow-list",
        1,
        ".claude/agents/reviewer.md",
        b"---\nname: reviewer\ndescription: Reviews.\ntools: [Read, Task]\n---\nBody.\n",
        b"---\nname: reviewer\ndescription: Reviews.\ntools: [Read, Agent]\n---\nBody.\n",
    ),
    Case(
        "tool-case-block-list",
        1,  # the agent is refused (CC232): one finding for the whole list
        ".claude/agents/reviewer.md",
        b"---\nname: reviewer\ndescription: Reviews.\ntools:\n  - read\n  - GREP\n---\nBody.\n",
        b"---\nname: reviewer\ndescription: Reviews.\ntools:\n  - Read\n  - Grep\n---\nBody.\n",
    ),
    Case(
        "tool-case-in-rule",
        2,  # the two names (the body's !`git status` is read-only: allowed either way)
        ".claude/commands/status.md",
        b"---\ndescription: Shows status.\nallowed-tools: bash(git status:*), read\n---\n"
        b"Run !`git status`.\n",
        b"---\ndescription: Shows status.\nallowed-tools: Bash(git status:*), Read\n---\n"
        b"Run !`git status`.\n",
    ),
    Case(
        "manifest-path",
        1,
        ".claude-plugin/plugin.json",
        b'{\n  "name": "demo",\n  "version": "1.0.0",\n  "description": "Demo.",\n'
        b'  "author": {"name": "me"},\n  "agents": ["agents/reviewer.md"]\n}\n',
        b'{\n  "name": "demo",\n  "version": "1.0.0",\n  "description": "Demo.",\n'
        b'  "author": {"name": "me"},\n  "agents": ["./agents/reviewer.md"]\n}\n',
    ),
]
LEGACY = REPAIRS[3]
MANIFEST = REPAIRS[-1]
GOOD_AGENT = b"---\nname: reviewer\ndescription: Reviews code.\n---\nYou review.\n"


def _project(root: Path, relative: str, data: bytes) -> Path:
    if relative.startswith(".claude-plugin"):
        write(root / "agents" / "reviewer.md", GOOD_AGENT)
    return write(root / relative, data)


@pytest.mark.parametrize(
    ("count", "relative", "before", "after"), [r[1:] for r in REPAIRS], ids=[r.id for r in REPAIRS]
)
def test_each_repair(
    run_cli: RunCli, tmp_path: Path, count: int, relative: str, before: bytes, after: bytes
) -> None:
    root = tmp_path / "project"
    path = _project(root, relative, before)
    result = run_cli("lint", "--fix", cwd=root)
    assert path.read_bytes() == after, result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    noun = "finding" if count == 1 else "findings"
    assert result.stderr.endswith(f"fixed {count} {noun} in 1 file\n"), result.stderr
    assert "Traceback" not in result.stderr
    again = run_cli("lint", "--fix", cwd=root)
    assert path.read_bytes() == after
    assert "fixed" not in again.stderr
    assert run_cli("lint", "--diff", cwd=root).returncode == 0


def test_diff_shows_the_repair_and_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "project"
    relative, before = LEGACY.relative, LEGACY.before
    path = _project(root, relative, before)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    snapshot = tree_bytes(root, skip=LINT_CACHE)
    result = run_cli("lint", "--diff", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:3] == [
        "--- .claude/agents/reviewer.md",
        "+++ .claude/agents/reviewer.md",
        "@@ -1,7 +1,7 @@",
    ]
    assert "-tools: Read, Task, KillShell\n+tools: Read, Agent, TaskStop\n" in result.stdout
    assert "would fix 2 findings in 1 file" in result.stderr
    assert tree_bytes(root, skip=LINT_CACHE) == snapshot
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert sorted(p.name for p in path.parent.iterdir()) == ["reviewer.md"]  # no temporary file


def test_diff_of_a_file_without_final_newline(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "project"
    write(root / ".claude/agents/a.md", "---\nname: a\ndescription: A.\ntools: Task\n---")
    result = run_cli("lint", "--diff", cwd=root)
    assert result.returncode == 1
    assert "-tools: Task\n+tools: Agent\n" in result.stdout
    assert result.stdout.endswith(" ---\n\\ No newline at end of file\n")


def test_crlf_mode_and_missing_final_newline_are_kept(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "project"
    text = (
        # (an unquoted 'Use for: x' here would drop the agent: the client's quoting retry does
        # not cope with CRLF, CC104)
        "---\r\nname: reviewer\r\ndescription: Use for x\r\ntools: Read, Task\r\n---\r\nBody: Task."
    )
    path = write(root / ".claude/agents/reviewer.md", BOM + text.encode())
    path.chmod(0o640)
    before = frontmatter.parse(text)
    result = run_cli("lint", "--fix", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fixed 2 findings in 1 file" in result.stderr
    data = path.read_bytes()
    assert data == (
        b"---\r\nname: reviewer\r\ndescription: Use for x\r\ntools: Read, Agent\r\n---\r\n"
        b"Body: Task."
    )
    assert data.count(b"\n") == data.count(b"\r\n")
    assert path.stat().st_mode & 0o7777 == 0o640
    after = frontmatter.parse(data.decode())
    assert after.frontmatter is not None and before.frontmatter is not None
    assert not after.frontmatter.recovered
    assert after.frontmatter.fields == {**before.frontmatter.fields, "tools": "Read, Agent"}
    assert after.body == before.body


def test_a_repair_that_would_add_a_finding_is_not_made(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "project"
    manifest = MANIFEST.before.replace(b"agents/reviewer.md", b"agents/missing.md")
    path = write(root / ".claude-plugin/plugin.json", manifest)
    result = run_cli("lint", "--fix", cwd=root)
    assert path.read_bytes() == manifest
    assert (
        "ml-agents lint: .claude-plugin/plugin.json: not fixed: manifest paths: the repair "
        "would add CC508" in result.stderr
    )
    assert result.returncode == 1  # CC507 is still there, and still an error
    assert "CC507" in result.stdout


def test_a_case_repair_that_would_grant_a_whole_tool_is_not_made(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    agent = b"---\nname: a\ndescription: A.\ntools: Task, bash(git status:*)\n---\nBody.\n"
    path = write(root / ".claude/agents/a.md", agent)
    result = run_cli("lint", "--fix", cwd=root)
    # Bash(git status:*) in an agent's tools grants all of Bash (CC306): that edit is refused,
    # and it does not block the other one
    assert path.read_bytes() == agent.replace(b"Task", b"Agent")
    assert "not fixed: tool names: the repair would add CC306" in result.stderr
    assert "fixed 1 finding in 1 file" in result.stderr
    assert result.returncode == 1


MARKETPLACE = """{
  "name": "market",
  "owner": {"name": "me"},
  "description": "A marketplace.",
  "plugins": [
    {"name": "good", "source": "plugins/good", "version": "1.0.0"},
    {"name": "stale", "source": "plugins/stale", "version": "0.9.0"}
  ]
}
"""


def test_marketplace_sources_get_dot_slash_unless_that_reveals_a_mismatch(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    for name in ("good", "stale"):
        plugin = {"name": name, "version": "1.0.0", "description": "P.", "author": {"name": "me"}}
        write(root / "plugins" / name / ".claude-plugin/plugin.json", json.dumps(plugin))
    path = write(root / ".claude-plugin/marketplace.json", MARKETPLACE)
    result = run_cli("lint", "--fix", cwd=root)
    # ./plugins/stale would be read, and its version differs from the entry's: CC603 is new
    assert path.read_text() == MARKETPLACE.replace('"plugins/good"', '"./plugins/good"')
    assert "not fixed: manifest paths: the repair would add CC603" in result.stderr
    assert result.returncode == 1


def test_paths_that_only_look_relative_are_left_alone(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "project"
    write(root / "agents" / "reviewer.md", GOOD_AGENT)
    manifest = MANIFEST.before.replace(
        b'["agents/reviewer.md"]', b'["/agents/reviewer.md", "../agents/reviewer.md"]'
    )
    path = write(root / ".claude-plugin/plugin.json", manifest)
    result = run_cli("lint", "--diff", cwd=root)
    assert result.returncode == 0 and result.stdout == ""
    assert path.read_bytes() == manifest


def test_ignored_rules_are_not_repaired(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "project"
    relative, before = LEGACY.relative, LEGACY.before
    path = _project(root, relative, before)
    result = run_cli("lint", "--fix", "--ignore", "CC302", cwd=root)
    assert path.read_bytes() == before
    assert result.returncode == 0


def test_fix_keeps_machine_output_clean(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "project"
    write(root / ".claude/agents/a.md", "---\nname: a\ndescription: A.\ntools: Task, Reed\n---\n")
    result = run_cli("lint", "--fix", "--format", "json", cwd=root)
    report = json.loads(result.stdout)
    assert [f["code"] for f in report["findings"]] == ["CC301"]  # Reed is not a known tool
    assert result.returncode == 1
    assert "fixed .claude/agents/a.md: CC302" in result.stderr


def test_a_symlink_stays_a_symlink(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shared = write(tmp_path / "shared" / "reviewer.md", LEGACY.before)
    link = root / ".claude/agents/reviewer.md"
    link.parent.mkdir(parents=True)
    link.symlink_to(shared)
    assert run_cli("lint", "--fix", cwd=root).returncode == 0
    assert link.is_symlink()
    assert shared.read_bytes() == LEGACY.after


def test_a_file_changed_after_planning_is_not_overwritten(tmp_path: Path) -> None:
    root = tmp_path / "project"
    relative, before, after = LEGACY.relative, LEGACY.before, LEGACY.after
    path = _project(root, relative, before)
    fixes = plan_fixes([], cwd=root)
    assert [fix.fixed for fix in fixes] == [after]
    edited = before.replace(b"Reviews.", b"Reviews, edited meanwhile.")
    path.write_bytes(edited)
    assert write_fix(fixes[0]) == "it changed while it was being fixed, so it was left as it is"
    assert path.read_bytes() == edited
    assert sorted(p.name for p in path.parent.iterdir()) == ["reviewer.md"]


# --- round trips --------------------------------------------------------------------------------

BUNDLE_PARTS = (".claude-plugin", "plugins")  # the marketplace and the plugin it lists


def test_the_shipped_bundle_round_trips(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "bundle"
    for part in BUNDLE_PARTS:
        shutil.copytree(REPO / part, root / part)
    snapshot = tree_bytes(root, skip=LINT_CACHE)
    result = run_cli("lint", "--fix", *BUNDLE_PARTS, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fixed" not in result.stderr
    assert tree_bytes(root, skip=LINT_CACHE) == snapshot
    assert run_cli("lint", "--diff", *BUNDLE_PARTS, cwd=root).returncode == 0


# what --fix changes in a copy of tests/lint_corpus: file -> the fields it changes, and to what
CORPUS_CHANGES: dict[str, dict[str, Any]] = {
    "CC103/agents/bom.md": {},
    "CC105/agents/needs-quoting.md": {},
    "CC301/agents/tool-case.md": {"tools": "Read, Grep, context7"},
    "CC302/agents/legacy.md": {"tools": "Read, Agent"},
    "CC232/agents/reviewer.md": {"tools": "Read, Grep"},
    "CC507/.claude-plugin/plugin.json": {"agents": ["./agents/reviewer.md"]},
}


def test_the_lint_corpus_round_trips(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(REPO / "tests" / "lint_corpus", root)
    before = tree_bytes(root, skip=LINT_CACHE)
    result = run_cli("lint", "--fix", ".", cwd=root)
    assert "Traceback" not in result.stderr
    assert f"fixed {len(CORPUS_CHANGES)} findings in {len(CORPUS_CHANGES)} files" in result.stderr
    after = tree_bytes(root, skip=LINT_CACHE)
    assert after.keys() == before.keys()  # nothing left behind, nothing removed
    changed = {name for name in before if before[name] != after[name]}
    assert changed == set(CORPUS_CHANGES)
    for name in changed:
        old, new = before[name], after[name]
        if name.endswith(".json"):
            assert json.loads(new) == {**json.loads(old), **CORPUS_CHANGES[name]}
            continue
        old_doc = frontmatter.parse(old.decode("utf-8"))
        new_doc = frontmatter.parse(new.decode("utf-8"))
        assert new_doc.body == old_doc.body, name  # no prose changed
        assert old_doc.frontmatter is not None and new_doc.frontmatter is not None
        assert not new_doc.frontmatter.recovered and not new_doc.bom
        expected = {**old_doc.frontmatter.fields, **CORPUS_CHANGES[name]}
        assert new_doc.frontmatter.fields == expected, name  # what the client reads
    remaining = run_cli("lint", "--format", "json", ".", cwd=root)
    codes = [(f["code"], f["path"]) for f in json.loads(remaining.stdout)["findings"]]
    assert not {code for code, _ in codes} & {"CC103", "CC105", "CC302", "CC507"}
    assert [path for code, path in codes if code == "CC301"] == ["CC301/agents/tool-case.md"]
    # a second run changes nothing
    assert "fixed" not in run_cli("lint", "--fix", ".", cwd=root).stderr
    assert tree_bytes(root, skip=LINT_CACHE) == after
    assert run_cli("lint", "--diff", ".", cwd=root).returncode == 0


# --- any mix of repairable and unrepairable frontmatter -----------------------------------------

_TOOLS = ["Read", "Task", "grep", "KillShell", "bash(git status:*)", "context7", "Task(x)", "READ"]
_VALUES = ["Reviews code.", "Use for: x", 'Say "hi": now', "x # y", "[a, b]", "a\tb: c", "é: ü"]


@st.composite
def _agent_files(draw: st.DrawFn) -> bytes:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    tools = draw(st.lists(st.sampled_from(_TOOLS), max_size=4))
    style = draw(st.sampled_from(["plain", "flow", "block", "quoted"]))
    lines = ["---", "name: x", f"description: {draw(st.sampled_from(_VALUES))}"]
    if tools and style == "plain":
        lines.append("tools: " + ", ".join(tools))
    elif tools and style == "flow":
        lines.append("tools: [" + ", ".join(tools) + "]")
    elif tools and style == "block":
        lines += ["tools:", *(f"  - {tool}" for tool in tools)]
    elif tools:
        lines.append("tools: '" + ", ".join(tools) + "'")
    lines += ["---", draw(st.sampled_from(["Use Task and grep: x", "", "tools: Task"]))]
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


@given(data=_agent_files())
@settings(max_examples=examples(300), deadline=None, derandomize=True, database=None)
def test_any_repair_keeps_the_body_and_a_second_run_changes_nothing(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = write(root / ".claude/agents/x.md", data)
        before = lint([], cwd=root).findings
        for fix in plan_fixes([], cwd=root):
            assert write_fix(fix) is None
        fixed = path.read_bytes()
        old_doc = frontmatter.parse(data.decode("utf-8"))
        new_doc = frontmatter.parse(fixed.decode("utf-8"))
        assert new_doc.body == old_doc.body  # no prose changed
        assert fixed.count(b"\r\n") == data.count(b"\r\n")
        after = lint([], cwd=root).findings
        assert {f.code for f in after} <= {f.code for f in before}
        assert len(after) <= len(before)
        # nothing left to repair (a refused repair stays refused: bash(git status:*) in an
        # agent's tools would become Bash(...), which grants all of Bash: CC306)
        assert [fix for fix in plan_fixes([], cwd=root) if fix.fixed != fix.original] == []
