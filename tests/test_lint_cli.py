"""``ml-agents lint`` as a user runs it: formats, exit codes, --explain, colour, bad input."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from conftest import REPO, RunCli, as_nobody, cli_executable, write

from ml_agents.lint.rules import RULES

# the OASIS SARIF 2.1.0 schema, from an npm package (see tests/data/README.md)
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
GOOD_AGENT = "---\nname: reviewer\ndescription: Reviews a diff for bugs.\n---\nYou review.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with one clean agent, one agent with an error and one with a warning."""
    root = tmp_path / "project"
    write(root / ".claude/agents/good.md", GOOD_AGENT)
    write(
        root / ".claude/agents/bad colour.md",
        GOOD_AGENT.replace("reviewer", "painter").replace("---\nYou", "color: teal\n---\nYou"),
    )
    write(
        root / ".claude/agents/warn.md",
        GOOD_AGENT.replace("reviewer", "modeller").replace("---\nYou", "model: gpt-4\n---\nYou"),
    )
    return root


def test_text_output_and_exit_code(run_cli: RunCli, project: Path) -> None:
    result = run_cli("lint", cwd=project)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        ".claude/agents/bad colour.md:4:8: error CC211 color must be one of red, blue, "
        "green, yellow, purple, orange, pink, cyan, not 'teal'; it is ignored (invalid-color)"
    )
    assert lines[1].startswith("    hint: ")
    assert ".claude/agents/warn.md:4:8: warning CC210" in result.stdout
    assert lines[-1] == "Found 2 problems (1 error, 1 warning) in 3 files."
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert result.stderr == ""


def test_exit_codes(run_cli: RunCli, project: Path) -> None:
    only_warning = project / ".claude/agents/warn.md"
    assert run_cli("lint", str(only_warning), cwd=project).returncode == 0
    assert run_cli("lint", "--strict", str(only_warning), cwd=project).returncode == 1
    assert run_cli("lint", "--fail-on", "warning", str(only_warning), cwd=project).returncode == 1
    assert (
        run_cli("lint", "--fail-on", "info", ".claude/agents/good.md", cwd=project).returncode == 0
    )
    assert (
        run_cli("lint", "--ignore", "CC211", "--ignore", "invalid-model", cwd=project).returncode
        == 0
    )
    assert run_cli("lint", "--ignore", "CC211,CC210", "--strict", cwd=project).returncode == 0
    assert run_cli("lint", "--ignore", "CC21", "--strict", cwd=project).returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "xml"),
        ("--fail-on", "fatal"),
        ("--explain", "CC999"),
        ("--ignore", "no-such-rule"),
        ("--no-such-option",),
    ],
)
def test_usage_errors_exit_2(run_cli: RunCli, project: Path, args: tuple[str, ...]) -> None:
    result = run_cli("lint", *args, cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_explain_and_list_rules(run_cli: RunCli, tmp_path: Path) -> None:
    explained = run_cli("lint", "--explain", "CC306")
    assert explained.returncode == 0
    rule = RULES["CC306"]
    for part in (rule.code, rule.name, rule.why, "Bad:", "Good:", rule.hint):
        assert part in explained.stdout
    assert run_cli("lint", "--explain", "scoped-rule-in-agent-tools").stdout == explained.stdout
    assert run_cli("lint", "--explain", "cc306").stdout == explained.stdout
    listed = run_cli("lint", "--list-rules").stdout.splitlines()
    assert [line.split()[0] for line in listed] == list(RULES)


def test_json_format(run_cli: RunCli, project: Path) -> None:
    result = run_cli("lint", "--format", "json", cwd=project)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["summary"] == {
        "files": 3,
        "errors": 1,
        "warnings": 1,
        "infos": 0,
        "hidden_infos": 0,
    }
    first = report["findings"][0]
    assert first == {
        "path": ".claude/agents/bad colour.md",
        "line": 4,
        "col": 8,
        "code": "CC211",
        "name": "invalid-color",
        "severity": "error",
        "message": first["message"],
        "hint": first["hint"],
    }
    assert "cyan" in first["hint"]


def _sarif(run_cli: RunCli, cwd: Path, *paths: str) -> dict[str, object]:
    result = run_cli("lint", "--format", "sarif", *paths, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    log: dict[str, object] = json.loads(result.stdout)
    return log


def test_sarif_is_valid_sarif_2_1_0(run_cli: RunCli, project: Path) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    log = _sarif(run_cli, project)
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    clean = _sarif(run_cli, project, ".claude/agents/good.md")
    jsonschema.Draft4Validator(schema).validate(clean)


def test_sarif_meets_github_code_scanning_rules(run_cli: RunCli, project: Path) -> None:
    """What GitHub's upload checks beyond the schema: rule ids, relative URIs, 1-based regions."""
    log = _sarif(run_cli, project)
    assert log["version"] == "2.1.0"
    runs = log["runs"]
    assert isinstance(runs, list) and len(runs) == 1
    run = runs[0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ml-agents" and driver["version"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == list(RULES)
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in driver["rules"])
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"CC210", "CC211"}
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert not uri.startswith("/") and ".." not in uri
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert (project / unquote(uri)).is_file()
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    assert "%20" in json.dumps(results)  # "bad colour.md" is URI-encoded


def test_github_annotations(run_cli: RunCli, project: Path) -> None:
    result = run_cli("lint", "--format", "github", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "::error file=.claude/agents/bad colour.md,line=4,col=8,"
        "title=CC211 invalid-color::color must be one of red"
    )
    assert "%0AFix: " in lines[0]  # the hint, on its own line in the annotation
    assert lines[1].startswith("::warning file=.claude/agents/warn.md,line=4,col=8,title=CC210")


def test_github_escapes_properties(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "agents/a,b:c%.md", GOOD_AGENT.replace("---\nYou", "color: teal\n---\nYou"))
    result = run_cli("lint", "--format", "github", "agents", cwd=tmp_path)
    assert result.stdout.startswith("::error file=agents/a%2Cb%3Ac%25.md,line=4,")


def _run_on_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    controller, terminal = pty.openpty()
    try:
        process = subprocess.run(
            [cli_executable(), *args],
            cwd=cwd,
            env=env,
            stdout=terminal,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
        assert process.returncode == 1
        os.close(terminal)
        terminal = -1
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the terminal side is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(controller)
        if terminal != -1:
            os.close(terminal)


def test_text_is_coloured_on_a_terminal_unless_no_color(
    cli_env: dict[str, str], project: Path
) -> None:
    env = {k: v for k, v in cli_env.items() if k != "NO_COLOR"}
    coloured = _run_on_terminal(["lint"], project, env)
    assert "\x1b[31m" in coloured  # errors in red
    plain = _run_on_terminal(["lint"], project, {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "error CC211" in plain


def test_bad_files_are_reported_not_fatal(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "agents/binary.md", bytes(range(256)) * 4)
    write(tmp_path / "agents/utf16.md", GOOD_AGENT.encode("utf-16"))
    aliases = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 10):  # nine levels of nine: 9**10 items if anything expanded them
        name, previous = chr(97 + index), chr(96 + index)
        aliases.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    bomb = "---\n" + "\n".join(aliases) + "\nname: bomb\ndescription: d\ntools: *j\n---\n"
    write(tmp_path / "agents/bomb.md", bomb)
    write(
        tmp_path / "agents/deep.md",
        "---\nname: deep\ndescription: " + "[" * 5000 + "]" * 5000 + "\n---\n",
    )
    write(tmp_path / "agents/good.md", GOOD_AGENT)
    # --show-info: the client quotes the over-deep list, an advisory finding
    result = run_cli("lint", "--show-info", "agents", cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr == ""
    assert "CC000" not in result.stdout
    for name in ("binary.md", "utf16.md", "bomb.md", "deep.md"):
        assert f"agents/{name}:" in result.stdout, name
    assert "in 5 files." in result.stdout


def test_no_files_found(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    result = run_cli("lint", cwd=tmp_path)
    assert result.returncode == 0
    assert "no Claude Code files found" in result.stderr
    assert result.stdout == "All clean: 0 files checked.\n"


def test_explicit_unknown_file_and_missing_path(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "notes/agent.md", GOOD_AGENT)
    result = run_cli("lint", "notes/agent.md", "nope/x.md", cwd=tmp_path)
    assert result.returncode == 1  # CC006 is an error; CC005 alone is a warning
    assert "notes/agent.md:1:1: warning CC005" in result.stdout
    assert "nope/x.md:1:1: error CC006" in result.stdout


def test_the_repository_lints_clean(run_cli: RunCli) -> None:
    result = run_cli("lint", "--strict", cwd=REPO)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("All clean: ")


def jsonschema_modules_after_lint(cli_env: dict[str, str], cwd: Path) -> str:
    code = (
        "import sys; from ml_agents.cli import main; main(['lint', '--format', 'sarif']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'jsonschema'), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=cli_env, capture_output=True, text=True
    )
    return result.stderr.strip()


def test_lint_imports_jsonschema_only_when_a_file_is_validated(
    cli_env: dict[str, str], project: Path, tmp_path: Path
) -> None:
    """jsonschema costs more to import than reading a repository: only frontmatter or a manifest
    to validate brings it in."""
    assert jsonschema_modules_after_lint(cli_env, project) != "[]"
    plain = tmp_path / "plain"
    write(plain / ".git/HEAD", "")
    write(plain / ".claude/commands/plain.md", "# Review\n\nReview $ARGUMENTS.\n")
    assert jsonschema_modules_after_lint(cli_env, plain) == "[]"


def test_unreadable_files_and_folders_are_findings(cli_env: dict[str, str]) -> None:
    """Permission denied on a file or a folder: reported, the run goes on. Root reads everything,
    so as root the linter runs as nobody (setpriv), the way a user's CI would meet such files."""
    root = Path(tempfile.mkdtemp(prefix="ml-agents-perm-"))
    try:
        root.chmod(0o755)
        write(root / "agents/good.md", GOOD_AGENT)
        write(root / "agents/secret.md", GOOD_AGENT.replace("reviewer", "secret"))
        write(root / "agents/locked/inner.md", GOOD_AGENT.replace("reviewer", "inner"))
        for path in (root / "agents", root / "agents/good.md"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (root / "agents/secret.md").chmod(0)
        (root / "agents/locked").chmod(0)
        command = as_nobody([cli_executable(), "lint", "agents"])
        env = {**cli_env, "HOME": str(root)}
        result = subprocess.run(
            command, cwd=root, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert "agents/secret.md:1:1: error CC001 cannot read: Permission denied" in result.stdout
        assert (
            "agents/locked:1:1: error CC001 cannot list folder: Permission denied" in result.stdout
        )
        assert "in 2 files." in result.stdout  # good.md and secret.md were both attempted
    finally:
        for path in (root / "agents/secret.md", root / "agents/locked"):
            path.chmod(0o700)
        shutil.rmtree(root)


def test_an_explicitly_named_unreadable_file_is_a_finding(cli_env: dict[str, str]) -> None:
    """Named on the command line, as met in a folder: CC001, exit 1 (was a usage error, exit 2)."""
    root = Path(tempfile.mkdtemp(prefix="ml-agents-perm-"))
    try:
        root.chmod(0o755)
        write(root / "agents/secret.md", "---\nname: s\ndescription: d\n---\n")
        (root / "agents").chmod(0o755)
        (root / "agents/secret.md").chmod(0)
        write(root / "agents/locked/inner.md", "---\nname: i\ndescription: d\n---\n")
        (root / "agents/locked").chmod(0)
        for named, message in (
            ("agents/secret.md", "agents/secret.md:1:1: error CC001 cannot read"),
            ("agents/locked", "agents/locked:1:1: error CC001 cannot list folder"),
        ):
            result = subprocess.run(
                as_nobody([cli_executable(), "lint", named]),
                cwd=root,
                env={**cli_env, "HOME": str(root)},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 1, result.stdout + result.stderr
            assert result.stderr == ""
            assert message in result.stdout
    finally:
        (root / "agents/secret.md").chmod(0o600)
        (root / "agents/locked").chmod(0o700)
        shutil.rmtree(root)


# --- conventions: colour, output file, GitHub Actions, SARIF fingerprints, completion ------------


def test_color_option_and_environment(run_cli: RunCli, project: Path) -> None:
    """Not a terminal here: auto is plain unless FORCE_COLOR; NO_COLOR and --color win."""
    coloured = "\x1b[31m"
    assert coloured in run_cli("lint", "--color", "always", cwd=project).stdout
    assert "\x1b[" not in run_cli("lint", cwd=project, env={"NO_COLOR": ""}).stdout
    forced = {"NO_COLOR": "", "FORCE_COLOR": "1"}
    assert coloured in run_cli("lint", cwd=project, env=forced).stdout
    # NO_COLOR (set in every test's environment) wins over FORCE_COLOR
    assert "\x1b[" not in run_cli("lint", cwd=project, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run_cli("lint", "--color", "never", cwd=project, env=forced).stdout
    assert coloured in run_cli("lint", "--color", "always", cwd=project).stdout
    # machine formats are never coloured
    sarif = run_cli("lint", "--format", "sarif", "--color", "always", cwd=project).stdout
    assert "\x1b[" not in sarif


def test_color_never_on_a_terminal(cli_env: dict[str, str], project: Path) -> None:
    env = {k: v for k, v in cli_env.items() if k != "NO_COLOR"}
    assert "\x1b[" not in _run_on_terminal(["lint", "--color", "never"], project, env)


def test_output_file(run_cli: RunCli, project: Path) -> None:
    printed = run_cli("lint", cwd=project)
    written = run_cli(
        "lint", "-o", "reports/lint.txt", cwd=project, env={"NO_COLOR": "", "FORCE_COLOR": "1"}
    )
    assert written.returncode == printed.returncode == 1  # the exit code still reflects findings
    assert written.stdout == "" and written.stderr == ""
    report = project / "reports/lint.txt"
    assert report.read_text(encoding="utf-8") == printed.stdout  # plain: colour is for terminals
    assert report.stat().st_mode & 0o777 == 0o644  # umask 022 in run_cli's environment
    # replaced in one step: no temporary file is left beside it
    run_cli("lint", "--format", "sarif", "--output", "reports/lint.txt", cwd=project)
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert sorted(p.name for p in report.parent.iterdir()) == ["lint.txt"]


def test_output_file_that_cannot_be_written(run_cli: RunCli, project: Path) -> None:
    (project / "taken").mkdir()
    write(project / "file", "not a folder")
    folder = run_cli("lint", "-o", "taken", cwd=project)  # refused as a usage error
    assert folder.returncode == 2 and "'taken' is a directory" in folder.stderr
    result = run_cli("lint", "-o", "file/lint.txt", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        "ml-agents lint: error: cannot write file/lint.txt: file is not a folder\n"
    )
    assert (project / "file").read_text(encoding="utf-8") == "not a folder"


def test_github_format_is_the_default_under_github_actions(run_cli: RunCli, project: Path) -> None:
    actions = {"GITHUB_ACTIONS": "true"}
    result = run_cli("lint", cwd=project, env=actions)
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=.claude/agents/bad colour.md,line=4,col=8,")
    assert run_cli("lint", "--format", "text", cwd=project, env=actions).stdout.startswith(
        ".claude/agents/bad colour.md:4:8: error CC211"
    )
    run_cli("lint", "-o", "lint.txt", cwd=project, env=actions)  # a file gets the text report
    assert (project / "lint.txt").read_text(encoding="utf-8").startswith(".claude/agents/")
    assert run_cli("lint", cwd=project, env={"GITHUB_ACTIONS": "false"}).stdout.startswith(
        ".claude/agents/"
    )


def _fingerprints(run_cli: RunCli, cwd: Path) -> list[tuple[str, str, int, str]]:
    """(rule, path, line, fingerprint) of every SARIF result."""
    log = _sarif(run_cli, cwd)
    found = []
    for result in log["runs"][0]["results"]:  # type: ignore[index]
        location = result["locations"][0]["physicalLocation"]
        uri = unquote(location["artifactLocation"]["uri"])
        fingerprint = result["partialFingerprints"]["mlAgentsFindingHash/v1"]
        found.append((result["ruleId"], uri, location["region"]["startLine"], fingerprint))
    return found


def test_sarif_fingerprints_survive_inserted_lines(run_cli: RunCli, project: Path) -> None:
    """Re-uploading after an edit above a finding updates the alert instead of adding one."""
    write(
        project / ".claude/agents/tools.md",
        "---\nname: toolsmith\ndescription: Builds tools.\ntools: Read, Red, Gerp\n---\n"
        "You build.\n",
    )
    before = _fingerprints(run_cli, project)
    assert len({f[3] for f in before}) == len(before) == 4  # two on one line are distinct
    assert [f[2] for f in before if f[1] == ".claude/agents/tools.md"] == [4, 4]
    for relative in (".claude/agents/tools.md", ".claude/agents/bad colour.md"):
        path = project / relative
        path.write_text(path.read_text().replace("---\n", "---\n# owner: platform\n\n", 1))
    after = _fingerprints(run_cli, project)
    assert [f[2] for f in after if f[1] == ".claude/agents/tools.md"] == [6, 6]
    assert sorted(f[3] for f in after) == sorted(f[3] for f in before)
    # a changed offending line is a different alert
    path = project / ".claude/agents/warn.md"
    path.write_text(path.read_text().replace("gpt-4", "gpt-5"))
    changed = {f[3] for f in _fingerprints(run_cli, project)}
    assert len(changed - {f[3] for f in after}) == 1


def test_shell_completion(run_cli: RunCli, project: Path) -> None:
    script = run_cli(env={"_ML_AGENTS_COMPLETE": "bash_source"})
    assert script.returncode == 0 and "_ml_agents_completion" in script.stdout
    words = {"COMP_WORDS": "ml-agents lint --color ", "COMP_CWORD": "3"}
    completed = run_cli(env={"_ML_AGENTS_COMPLETE": "bash_complete", **words})
    assert completed.stdout.split() == ["plain,auto", "plain,always", "plain,never"]
