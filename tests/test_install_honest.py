"""Issue 9, points 2 and 8: side files the user changed stay theirs, and exit codes and output
tell the truth (closed stdout, blocked plans, status errors, read errors, empty or long input)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_install
from conftest import RunCli, as_nobody, cli_executable, tree_bytes, write
from test_install import (
    MANIFEST,
    as_older_install,
    make_bundle,
    manifest,
    no_traceback,
    shipped,
    snapshot,
)

# the fixtures of the main install tests: a git project to run in, and the CLI run inside it
cli = test_install.cli
project = test_install.project

NEW = ".ml-agents-new"
LONG = 100_000


def install_with_a_side_file(cli: RunCli, home: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """v1 installed, the user edits data-scientist.md, v2 installed: ours lands beside it.
    Returns the target, the side file and the v2 bundle."""
    v1 = make_bundle(tmp_path / "v1", "1.0.0")
    v2 = make_bundle(
        tmp_path / "v2",
        "2.0.0",
        edits={"agents/data-scientist.md": lambda t: t + "\nVersion two.\n"},
    )
    target = home / ".claude"
    assert cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v1)}).returncode == 0
    as_older_install(target)
    edited = target / "agents" / "data-scientist.md"
    edited.write_bytes(edited.read_bytes() + b"\nMy rule.\n")
    assert cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)}).returncode == 0
    side = target / "agents" / f"data-scientist.md{NEW}"
    assert side.read_bytes() == (v2 / "agents" / "data-scientist.md").read_bytes()
    return target, side, v2


def backups_of(side: Path) -> list[Path]:
    return sorted(side.parent.glob(f"{side.name}.ml-agents-backup-*"))


# --- point 2: a side file the user changed is theirs ----------------------------------------


def test_a_side_file_the_user_edited_is_backed_up_before_install_writes_it_again(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    target, side, v2 = install_with_a_side_file(cli, home, tmp_path)
    merged = side.read_bytes() + b"\nHalf-way through my merge.\n"
    side.write_bytes(merged)

    status = json.loads(cli("status", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(v2)}).stdout)
    (reported,) = status["scopes"][0]["side_files"]
    assert reported["state"] == "modified", "status calls the changed side file the user's"

    dry = json.loads(
        cli("install", "--dry-run", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(v2)}).stdout
    )
    result = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert result.returncode == 0, result.stderr
    (backup,) = backups_of(side)
    assert backup.read_bytes() == merged, "the user's edit of the side file is kept"
    assert side.read_bytes() == (v2 / "agents" / "data-scientist.md").read_bytes()
    assert f"agents/{backup.name}" in result.stdout
    assert f"agents/{backup.name}" in manifest(target)["backups"]
    real = [
        (a["action"], a["path"])
        for a in json.loads(
            cli("install", "--dry-run", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(v2)}).stdout
        )["actions"]
    ]
    assert ("backup", f"agents/data-scientist.md{NEW}") in [
        (a["action"], a["path"]) for a in dry["actions"]
    ]
    assert ("backup", f"agents/data-scientist.md{NEW}") not in real, "converged: ours again"

    assert cli("uninstall").returncode == 0
    assert backup.read_bytes() == merged, "uninstall leaves the backup, which is the user's"


def test_a_side_file_the_user_created_is_never_overwritten(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    v2 = make_bundle(
        tmp_path / "v2", "2.0.0", edits={"agents/ml-engineer.md": lambda t: t + "\nv2\n"}
    )
    target = home / ".claude"
    assert cli("install").returncode == 0
    as_older_install(target)
    (target / "agents" / "ml-engineer.md").write_bytes(b"mine\n")
    side = write(target / "agents" / f"ml-engineer.md{NEW}", "my own notes\n")

    result = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert result.returncode == 0, result.stderr
    (backup,) = backups_of(side)
    assert backup.read_bytes() == b"my own notes\n"
    assert side.read_bytes() == (v2 / "agents" / "ml-engineer.md").read_bytes()
    assert (target / "agents" / "ml-engineer.md").read_bytes() == b"mine\n"


def test_install_status_and_uninstall_agree_on_a_changed_side_file(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    _, side, v2 = install_with_a_side_file(cli, home, tmp_path)
    side.write_bytes(b"merged by hand\n")
    human = cli("status", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert f"modified  agents/data-scientist.md{NEW} (changed by you" in human.stdout

    removed = cli("uninstall")
    assert removed.returncode == 0, removed.stderr
    assert side.read_bytes() == b"merged by hand\n"
    assert f"keep       agents/data-scientist.md{NEW} (new-version copy changed by you" in (
        removed.stdout
    )


# --- point 8: a closed stdout ----------------------------------------------------------------


def run_with_closed_stdout(
    args: list[str], cli_env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to stdout now fails with EPIPE
    try:
        return subprocess.run(
            [cli_executable(), *args],
            cwd=cwd,
            env=cli_env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("as_json", [[], ["--json"]])
def test_a_closed_stdout_does_not_turn_a_complete_install_into_a_failure(
    cli_env: dict[str, str], home: Path, tmp_path: Path, as_json: list[str]
) -> None:
    result = run_with_closed_stdout(["install", *as_json], cli_env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    installed = tree_bytes(home / ".claude")
    for rel, data in shipped().items():
        assert installed[rel] == data, rel
    assert MANIFEST in installed


def test_a_closed_stdout_leaves_uninstall_and_status_exit_codes_alone(
    cli_env: dict[str, str], home: Path, tmp_path: Path
) -> None:
    assert run_with_closed_stdout(["install"], cli_env, tmp_path).returncode == 0
    status = run_with_closed_stdout(["status"], cli_env, tmp_path)
    assert (status.returncode, status.stderr) == (0, "")
    removed = run_with_closed_stdout(["uninstall"], cli_env, tmp_path)
    assert (removed.returncode, removed.stderr) == (0, "")
    assert not (home / ".claude").exists()


def test_install_piped_into_head_exits_0_and_completes(
    cli_env: dict[str, str], home: Path, tmp_path: Path
) -> None:
    script = f'"{cli_executable()}" install | head -1; echo "rc=${{PIPESTATUS[0]}}"'
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.splitlines()[-1] == "rc=0", result.stdout + result.stderr
    assert "run again" not in result.stderr and "Traceback" not in result.stderr
    assert (home / ".claude" / MANIFEST).is_file()


# --- point 8: a blocked install says nothing was written --------------------------------------


def test_a_blocked_install_claims_no_creations(cli: RunCli, home: Path) -> None:
    write(home / ".claude" / "agents" / "data-scientist.md", "---\nname: data-scientist\n---\nx\n")
    result = cli("install")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "nothing was written" in lines[1] and "would" in lines[1], lines[:2]
    summary = lines[-1]
    assert not re.search(r"\d+ created", summary), summary
    others = len(shipped()) - 1  # every shipped file but the one in conflict
    assert f"{others} would be created" in summary and "1 conflicts" in summary, summary
    assert not (home / ".claude" / "agents" / "ml-engineer.md").exists()


def test_a_dry_run_summary_claims_nothing_done(cli: RunCli, home: Path) -> None:
    result = cli("install", "--dry-run")
    assert result.returncode == 0
    summary = [line for line in result.stdout.splitlines() if "create" in line][-1]
    assert not re.search(r"\d+ created", summary), summary
    assert "would be created" in summary


# --- point 8: status exit code -----------------------------------------------------------------


def test_status_exits_1_when_it_reports_an_error(cli: RunCli, home: Path) -> None:
    write(home / ".claude" / MANIFEST, "{ not json")
    result = cli("status")
    assert "error:" in result.stdout
    assert result.returncode == 1
    as_json = cli("status", "--json")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["scopes"][0]["error"]


# --- point 8: read errors are read errors ----------------------------------------------------


@pytest.fixture
def shared_home() -> Iterator[Path]:
    """A HOME that the unprivileged user can reach (pytest's tmp_path is root-only)."""
    root = Path(tempfile.mkdtemp(prefix="ml-agents-honest-"))
    root.chmod(0o777)
    try:
        yield root
    finally:
        for path in root.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o700)
        shutil.rmtree(root)


@pytest.mark.parametrize("verb", ["install", "uninstall"])
def test_an_unreadable_file_is_reported_as_a_read_error(
    cli_env: dict[str, str], shared_home: Path, verb: str
) -> None:
    env = {**cli_env, "HOME": str(shared_home)}
    run = [cli_executable(), "install"]
    first = subprocess.run(
        as_nobody(run), cwd=shared_home, env=env, capture_output=True, text=True, check=False
    )
    assert first.returncode == 0, first.stderr
    locked = shared_home / ".claude" / "agents" / "ml-engineer.md"
    locked.chmod(0)
    before = tree_bytes(shared_home, skip=())  # root reads it for the comparison
    result = subprocess.run(
        as_nobody([cli_executable(), verb]),
        cwd=shared_home,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    no_traceback(result)
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"ml-agents {verb}: error: cannot read {locked}: permission denied")
    assert "cannot write" not in line and "run `ml-agents" not in line
    assert tree_bytes(shared_home) == before


# --- point 8: empty, separator-less and long input are usage errors ----------------------------


@pytest.mark.parametrize("verb", ["install", "uninstall", "status"])
def test_an_empty_target_is_a_usage_error(
    cli: RunCli, home: Path, project: Path, verb: str
) -> None:
    before = snapshot(project)
    result = cli(verb, "--target", "")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--target" in result.stderr.splitlines()[-1]
    assert snapshot(project) == before


@pytest.mark.parametrize("option", ["--only", "--exclude"])
@pytest.mark.parametrize("value", [",,,", "", " , "])
def test_a_selection_without_any_name_is_a_usage_error(
    cli: RunCli, home: Path, option: str, value: str
) -> None:
    result = cli("install", option, value)
    assert result.returncode == 2, result.stdout + result.stderr
    assert option in result.stderr.splitlines()[-1]
    assert list(home.iterdir()) == []


def test_a_prefix_needs_a_trailing_hyphen(cli: RunCli, home: Path) -> None:
    result = cli("install", "--prefix", "ml")
    assert result.returncode == 2
    assert "--prefix ml-" in result.stderr.splitlines()[-1]
    assert list(home.iterdir()) == []
    assert "must end with '-'" in " ".join(cli("install", "--help").stdout.split())


def test_a_remembered_prefix_without_its_hyphen_is_one_clear_error(cli: RunCli, home: Path) -> None:
    assert cli("install", "--prefix", "ml-").returncode == 0
    recorded = home / ".claude" / MANIFEST
    recorded.write_text(recorded.read_text().replace('"prefix": "ml-"', '"prefix": "ml"'))
    before = tree_bytes(home)
    result = cli("install")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "--prefix ml-" in line and "the manifest remembers it" in line
    assert tree_bytes(home) == before
    assert cli("install", "--prefix", "ml-").returncode == 0


@pytest.mark.parametrize(
    ("verb", "args"),
    [
        ("install", ["--prefix", "a" * LONG]),
        ("install", ["--only", "x" * LONG]),
        ("install", ["--exclude", "y" * LONG]),
        ("install", ["--scope", "s" * LONG]),
        ("install", ["--target", "/" + "t" * LONG]),
        ("install", ["--" + "o" * LONG]),
        ("uninstall", ["--target", "/" + "t" * LONG]),
        ("uninstall", ["--scope", "s" * LONG]),
        ("status", ["--target", "/" + "t" * LONG]),
        ("status", ["--scope", "s" * LONG]),
    ],
)
def test_long_input_is_truncated_in_error_messages(
    cli: RunCli, home: Path, verb: str, args: list[str]
) -> None:
    result = cli(verb, *args)
    output = result.stdout + result.stderr
    assert result.returncode in (1, 2), output[:500]
    assert len(output) < 1500, output[:500]
    assert "…" in output
    assert list(home.iterdir()) == []
