"""`ml-agents install` installs the phase workflow like every other owned file, through the CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import PLUGIN, RunCli, tree_bytes, write
from test_install import as_older_install, make_bundle, manifest, no_traceback, sha, shipped

WORKFLOW = "workflows/ml-integration-phase.js"
COMMAND = "commands/ml-integration.md"


@pytest.fixture
def cli(run_cli: RunCli, tmp_path: Path) -> RunCli:
    """The CLI run from a git repository of its own, never printing a traceback."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)

    def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        result = run_cli(*args, cwd=tmp_path / "repo", **kwargs)
        no_traceback(result)
        return result

    return run


def test_install_writes_the_workflow_owned_and_hashed(cli: RunCli, home: Path) -> None:
    dry = cli("install", "--dry-run")
    assert dry.returncode == 0
    assert f"create     {WORKFLOW}" in dry.stdout
    assert list(home.iterdir()) == [], "a dry run writes nothing"

    result = cli("install")
    assert result.returncode == 0, result.stderr
    target = home / ".claude"
    data = (PLUGIN / WORKFLOW).read_bytes()
    assert (target / WORKFLOW).read_bytes() == data
    assert f"create     {WORKFLOW}" in result.stdout
    files = {f["path"]: f["sha256"] for f in manifest(target)["files"]}
    assert files[WORKFLOW] == sha(data)
    status = json.loads(cli("status", "--json").stdout)["scopes"][0]
    assert {"path": WORKFLOW, "state": "ok", "detail": ""} in status["files"]
    assert WORKFLOW in cli("status").stdout

    removed = cli("uninstall")
    assert removed.returncode == 0
    assert f"remove     {WORKFLOW}" in removed.stdout
    assert not target.exists()


def test_prefix_renames_the_workflow_and_every_reference_to_it(cli: RunCli, home: Path) -> None:
    assert cli("install", "--prefix", "ml-").returncode == 0
    target = home / ".claude"
    assert sorted(p.name for p in (target / "workflows").iterdir()) == [
        "ml-ml-integration-phase.js"
    ]
    script = (target / "workflows" / "ml-ml-integration-phase.js").read_text(encoding="utf-8")
    shipped_script = (PLUGIN / WORKFLOW).read_text(encoding="utf-8")
    assert script.startswith("export const meta = {\n  name: 'ml-ml-integration-phase',\n")
    assert script.replace("ml-ml-integration-phase", "ml-integration-phase", 1) == shipped_script
    command = (target / COMMAND).read_text(encoding="utf-8")
    assert "Workflow(ml-ml-integration-phase)" in command
    assert "`ml-ml-integration-phase`" in command
    assert "`ml-integration-phase`" not in command
    assert "Workflow(ml-integration-phase)" not in command
    # the plugin route's name is another workflow: the pip install leaves it as it is
    assert "Workflow(ml-agents:ml-integration-phase)" in command

    back = cli("install", "--prefix", "")
    assert back.returncode == 0
    assert "remove     workflows/ml-ml-integration-phase.js" in back.stdout
    assert (target / WORKFLOW).read_bytes() == (PLUGIN / WORKFLOW).read_bytes()


@pytest.mark.parametrize("older", [False, True], ids=["merge", "older-install"])
def test_an_edited_workflow_is_kept_and_the_update_reaches_it(
    cli: RunCli, home: Path, tmp_path: Path, older: bool
) -> None:
    """Owned and hashed like every other file: an update merges into the user's edit, or, for an
    install without pristine copies, lands beside it under a name the client does not load."""
    v1 = make_bundle(tmp_path / "v1", "0.0.1")
    v2 = make_bundle(
        tmp_path / "v2",
        "0.0.2",
        edits={WORKFLOW: lambda t: t.replace("results checked", "results validated")},
    )
    assert cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v1)}).returncode == 0
    target = home / ".claude"
    if older:
        as_older_install(target)
    mine = (target / WORKFLOW).read_text(encoding="utf-8") + "// my note\n"
    write(target / WORKFLOW, mine)

    update = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert update.returncode == 0, update.stderr
    beside = target / f"{WORKFLOW}.ml-agents-new"
    if older:
        assert (target / WORKFLOW).read_text(encoding="utf-8") == mine, "the user's edit is kept"
        assert beside.read_bytes() == (v2 / WORKFLOW).read_bytes()
        assert not beside.name.endswith(".js"), "the client must not load the copy as a workflow"
    else:
        merged = (target / WORKFLOW).read_text(encoding="utf-8")
        assert merged == mine.replace("results checked", "results validated"), merged
        assert not beside.exists()
    status = json.loads(cli("status", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(v2)}).stdout)
    states = {f["path"]: f["state"] for f in status["scopes"][0]["files"]}
    assert states[WORKFLOW] == "modified"

    kept = (target / WORKFLOW).read_bytes()
    removed = cli("uninstall")
    assert removed.returncode == 0
    assert (target / WORKFLOW).read_bytes() == kept, "uninstall keeps the user's edited file"
    assert not beside.exists()


def test_the_workflow_goes_with_the_command_unless_left_out(cli: RunCli, home: Path) -> None:
    target = home / ".claude"
    agents_only = cli("install", "--exclude", "ml-integration")
    assert agents_only.returncode == 0, agents_only.stderr
    assert not (target / "workflows").exists(), "no command runs it, so it is not installed"

    without = cli("install", "--exclude", "ml-integration-phase")
    assert without.returncode == 0, without.stderr
    assert (target / COMMAND).is_file() and not (target / WORKFLOW).exists()

    again = cli("install")
    assert again.returncode == 0 and (target / WORKFLOW).is_file()


def test_prefix_renames_the_references_even_when_the_workflow_is_left_out(
    cli: RunCli, home: Path
) -> None:
    """Otherwise the prefixed command would pre-approve and call someone else's workflow."""
    result = cli("install", "--prefix", "ml-", "--exclude", "ml-integration-phase")
    assert result.returncode == 0, result.stderr
    command = (home / ".claude" / COMMAND).read_text(encoding="utf-8")
    assert "Workflow(ml-ml-integration-phase)" in command
    assert "Workflow(ml-integration-phase)" not in command
    assert "`ml-integration-phase`" not in command


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda t: "// a comment first\n" + t, "does not start with `export const meta = {`"),
        (lambda t: t.replace("name: 'ml-integration-phase'", "name: 'other'", 1), "differs"),
        (lambda t: t.replace("name: 'ml-integration-phase'", "title: 'x'", 1), "does not start"),
    ],
)
def test_a_workflow_the_client_would_skip_is_never_installed(
    cli: RunCli, home: Path, tmp_path: Path, edit: object, says: str
) -> None:
    bad = make_bundle(tmp_path / "bad", "0.0.3", edits={WORKFLOW: edit})  # type: ignore[dict-item]
    result = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(bad)})
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("ml-agents install: error: ") and says in line
    assert "nothing was installed" in line
    assert list(home.iterdir()) == []


def test_a_workflow_file_name_that_is_not_kebab_case_is_refused(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    bad = make_bundle(tmp_path / "bad", "0.0.3", drop=(WORKFLOW,))
    write(bad / "workflows" / "Phase.js", (PLUGIN / WORKFLOW).read_text(encoding="utf-8"))
    result = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(bad)})
    assert result.returncode == 1
    assert "not lowercase kebab-case" in result.stderr
    assert tree_bytes(home) == {}


def test_the_shipped_bundle_holds_the_workflow() -> None:
    assert WORKFLOW in shipped()
