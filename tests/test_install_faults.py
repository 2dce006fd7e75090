"""Crash and failure safety of install, update and uninstall, through the installed CLI.

For every write step N of each operation (the steps ``--dry-run --json`` lists), the CLI is run
with ``ML_AGENTS_FAULT=kill:N`` (it SIGKILLs itself at step N, a write step with half the temp
file written) and with ``fail:N`` (step N raises EIO: a failed write or rename). After each:
every user-modified or foreign file is byte-identical, no visible file is half-written, and the
same command run again converges on exactly the tree an uninterrupted run leaves.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import cli_executable, write
from test_install import MANIFEST, agent_text, make_bundle, shipped

TEMP_RE = re.compile(r"\.ml-agents-tmp-")
BACKUP_RE = re.compile(r"ml-agents-backup-\d{8}T\d{6}Z(-\d+)?")


class Scenario(NamedTuple):
    name: str
    start: Path
    """A folder holding home/ and project/ in the state the command starts from."""
    args: tuple[str, ...]
    env: dict[str, str]
    protected: dict[str, bytes]
    """User files (relative to home/) that must survive byte-identical; a foreign file moved
    to a backup by --force counts when its bytes are in a backup beside it."""
    whole: frozenset[bytes]
    """Every complete content a visible file may have."""


def base_env(home: Path, extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE", "ML_AGENTS"))}
    env.update(HOME=str(home), NO_COLOR="1", LANG="C.UTF-8", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def run(
    root: Path, args: tuple[str, ...], env: Mapping[str, str], fault: str | None = None
) -> subprocess.CompletedProcess[str]:
    extra = dict(env)
    if fault:
        extra["ML_AGENTS_FAULT"] = fault
    return subprocess.run(
        [cli_executable(), *args],
        cwd=root / "project",
        env=base_env(root / "home", extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def normalised_tree(home: Path) -> dict[str, bytes]:
    """Every file under ``home`` with backup timestamps blanked (they differ between runs);
    symlinks and FIFOs as what they are, never read."""
    tree = {}
    for path in sorted(home.rglob("*")):
        if path.is_symlink():
            tree[str(path.relative_to(home))] = b"-> " + os.fsencode(path.readlink())
        elif stat.S_ISFIFO(path.lstat().st_mode):
            tree[str(path.relative_to(home))] = b"fifo"
        elif path.is_file():
            rel = BACKUP_RE.sub("ml-agents-backup-T", str(path.relative_to(home)))
            tree[rel] = BACKUP_RE.sub("ml-agents-backup-T", path.read_bytes().decode()).encode()
        elif path.is_dir():
            tree[str(path.relative_to(home)) + "/"] = b""
    return tree


def plan_steps(root: Path, scenario: Scenario) -> list[dict[str, str]]:
    dry = run(root, (*scenario.args, "--dry-run", "--json"), scenario.env)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    steps: list[dict[str, str]] = json.loads(dry.stdout)["steps"]
    return steps


def _copy_entry(source: str, dest: str) -> None:
    if stat.S_ISFIFO(os.lstat(source).st_mode):
        os.mkfifo(dest)  # copying would open it and wait for a writer
    else:
        shutil.copy2(source, dest)


def fresh_copy(scenario: Scenario, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(scenario.start, dest, symlinks=True, copy_function=_copy_entry)
    return dest


def add_hostile_shapes(home: Path, project: Path) -> None:
    """What an adversary leaves around a target (issue 9): an endless agent file, FIFOs where
    agents and plugin manifests are read, a manifest-shaped symlink in another scope."""
    agents = home / ".claude" / "agents"
    agents.mkdir(parents=True, exist_ok=True)
    (agents / "endless.md").symlink_to("/dev/zero")
    os.mkfifo(agents / "pipe.md")
    plugin = home / ".claude" / "plugins" / "cache" / "m" / "p" / "1.0.0"
    (plugin / ".claude-plugin").mkdir(parents=True)
    os.mkfifo(plugin / ".claude-plugin" / "plugin.json")
    (plugin / "agents").mkdir()
    (plugin / "agents" / "zero.md").symlink_to("/dev/zero")
    project_agents = project / ".claude" / "agents"
    project_agents.mkdir(parents=True)
    os.mkfifo(project_agents / "pipe.md")
    (project / ".claude" / MANIFEST).symlink_to("/dev/zero")


def check_after_fault(root: Path, scenario: Scenario, where: str) -> None:
    home = root / "home"
    backups = [p for p in home.rglob("*") if BACKUP_RE.search(p.name)]
    for rel, data in scenario.protected.items():
        path = home / rel
        in_place = path.is_file() and path.read_bytes() == data
        backed_up = any(b.read_bytes() == data for b in backups if b.parent == path.parent)
        assert in_place or backed_up, f"{where}: {rel} was not preserved"
    for path in home.rglob("*"):
        if not path.is_file() or TEMP_RE.search(path.name):
            continue  # hidden temp files are never loaded; the next run removes them
        data = path.read_bytes()
        if path.name in (MANIFEST, ".ml-agents-journal.json"):
            json.loads(data)  # complete, parseable JSON
        elif path.parent.name in ("agents", "commands"):
            assert data in scenario.whole, f"{where}: {path} is not a whole file"
        elif path.parent.name == ".ml-agents-pristine":
            assert hashlib.sha256(data).hexdigest() == path.name, f"{where}: {path} is torn"


def make_scenarios(base: Path) -> dict[str, Scenario]:
    v1 = make_bundle(base / "bundles" / "v1", "1.0.0")
    new_agent = agent_text("data-engineer", "Builds feature pipelines for `ml-engineer`.")
    v2 = make_bundle(
        base / "bundles" / "v2",
        "2.0.0",
        drop=("agents/cloud-architect.md",),
        add={"agents/data-engineer.md": new_agent},
        edits={
            "agents/data-scientist.md": lambda t: t + "\nVersion two.\n",
            "agents/ml-engineer.md": lambda t: t + "\nVersion two.\n",
            "commands/ml-integration.md": lambda t: t + "\nVersion two.\n",
        },
    )
    whole = {*shipped().values()}
    for bundle in (v1, v2):
        whole |= {p.read_bytes() for p in bundle.rglob("*.md")}
    v1_env = {"ML_AGENTS_BUNDLE_DIR": str(v1)}
    v2_env = {"ML_AGENTS_BUNDLE_DIR": str(v2)}

    fresh = base / "fresh"
    write(fresh / "home" / ".profile", "export EDITOR=vi\n")
    (fresh / "project" / ".git").mkdir(parents=True)

    update = base / "update"
    write(update / "home" / ".profile", "export EDITOR=vi\n")
    (update / "project" / ".git").mkdir(parents=True)
    done = run(update, ("install",), v1_env)
    assert done.returncode == 0, done.stderr
    claude = update / "home" / ".claude"
    edited = claude / "agents" / "data-scientist.md"
    # overlaps v2's edit: the merge with conflict markers goes beside it
    edited.write_bytes(edited.read_bytes() + b"\nMy own rule.\n")
    # does not overlap v2's edit: merged into the file
    merged = claude / "commands" / "ml-integration.md"
    merged.write_bytes(merged.read_bytes().replace(b"\n---\n", b"\n---\n\nMy preface.\n", 1))
    whole.add(merged.read_bytes())
    # a changed file whose .ml-agents-new the user made: it goes to a backup before ours lands
    changed = write(claude / "agents" / "ml-engineer.md", "my engineer\n")
    side = write(claude / "agents" / "ml-engineer.md.ml-agents-new", "my merge notes\n")
    mine = write(claude / "agents" / "mine.md", agent_text("mine"))
    foreign = write(claude / "agents" / "data-engineer.md", agent_text("data-engineer", "Mine."))
    settings = write(claude / "settings.json", '{"model": "opus"}\n')
    add_hostile_shapes(update / "home", update / "project")
    protected = {
        str(p.relative_to(update / "home")): p.read_bytes()
        for p in (edited, changed, side, mine, foreign, settings, update / "home" / ".profile")
    }
    whole |= set(protected.values())

    removal = base / "uninstall"
    shutil.copytree(update, removal, symlinks=True, copy_function=_copy_entry)
    finished = run(removal, ("install", "--force"), v2_env)
    assert finished.returncode == 0, finished.stderr
    updated = removal / "home" / ".claude"
    conflicted = updated / "agents" / "data-scientist.md.ml-agents-merge"
    assert b"<<<<<<< yours" in conflicted.read_bytes()
    merged_bytes = (updated / "commands" / "ml-integration.md").read_bytes()
    assert b"My preface." in merged_bytes and b"Version two." in merged_bytes
    # the merges the update writes are whole files too
    whole |= {
        p.read_bytes()
        for folder in ("agents", "commands")
        for p in (updated / folder).iterdir()
        if p.is_file() and not p.is_symlink()  # the hostile FIFOs and /dev/zero links stay unread
    }
    removal_protected = {k: v for k, v in protected.items() if "data-engineer" not in k}

    return {
        "install": Scenario(
            "install",
            fresh,
            ("install",),
            {},
            {".profile": b"export EDITOR=vi\n"},
            frozenset(whole),
        ),
        "update": Scenario(
            "update", update, ("install", "--force"), v2_env, protected, frozenset(whole)
        ),
        "uninstall": Scenario(
            "uninstall", removal, ("uninstall",), v2_env, removal_protected, frozenset(whole)
        ),
    }


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    return make_scenarios(tmp_path_factory.mktemp("fault-scenarios"))


def reference(scenario: Scenario, tmp_path: Path) -> dict[str, bytes]:
    root = fresh_copy(scenario, tmp_path / "reference")
    result = run(root, scenario.args, scenario.env)
    assert result.returncode == 0, result.stdout + result.stderr
    check_after_fault(root, scenario, "uninterrupted run")
    return normalised_tree(root / "home")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["install", "update", "uninstall"])
@pytest.mark.parametrize("action", ["kill", "fail"])
def test_every_write_step_survives_a_fault_and_a_rerun_converges(
    scenarios: dict[str, Scenario], tmp_path: Path, name: str, action: str
) -> None:
    scenario = scenarios[name]
    expected = reference(scenario, tmp_path)
    steps = plan_steps(fresh_copy(scenario, tmp_path / "plan"), scenario)
    ops = {step["op"] for step in steps}
    assert ops >= {"write", "replace"} or name == "uninstall", ops
    if name == "update":
        assert {"backup", "unlink"} <= ops
        written = {step["path"] for step in steps if step["op"] == "write"}
        # a clean merge, a merge with conflicts, and the pristine copies all go through faults
        assert {"commands/ml-integration.md", "agents/data-scientist.md.ml-agents-merge"} <= written
        assert any(path.startswith(".ml-agents-pristine/") for path in written)
    for number, step in enumerate(steps, start=1):
        where = f"{name} {action}:{number} ({step['op']} {step['path']})"
        root = fresh_copy(scenario, tmp_path / "run")
        faulty = run(root, scenario.args, scenario.env, f"{action}:{number}")
        if action == "kill":
            assert faulty.returncode == -signal.SIGKILL, f"{where}: {faulty.stderr}"
        else:
            assert faulty.returncode == 1, f"{where}: {faulty.stdout}{faulty.stderr}"
            assert "Traceback" not in faulty.stderr, where
            assert "injected at step" in faulty.stderr and "again to finish" in faulty.stderr
            assert not [p for p in root.rglob("*") if TEMP_RE.search(p.name)], where
        check_after_fault(root, scenario, where)

        rerun = run(root, scenario.args, scenario.env)
        assert rerun.returncode == 0, f"{where}, rerun: {rerun.stdout}{rerun.stderr}"
        assert normalised_tree(root / "home") == expected, f"{where}: the rerun did not converge"


@pytest.mark.parametrize("name", ["install", "update", "uninstall"])
def test_the_dry_run_lists_exactly_the_steps_the_run_takes(
    scenarios: dict[str, Scenario], tmp_path: Path, name: str
) -> None:
    scenario = scenarios[name]
    count = len(plan_steps(fresh_copy(scenario, tmp_path / "plan"), scenario))
    last = run(fresh_copy(scenario, tmp_path / "a"), scenario.args, scenario.env, f"fail:{count}")
    assert last.returncode == 1 and f"injected at step {count}" in last.stderr
    past = run(
        fresh_copy(scenario, tmp_path / "b"), scenario.args, scenario.env, f"fail:{count + 1}"
    )
    assert past.returncode == 0, past.stderr


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("enospc", "the disk is full"), ("erofs", "the file system is read-only")],
)
def test_full_or_read_only_disk_errors_are_one_clear_line(
    scenarios: dict[str, Scenario], tmp_path: Path, fault: str, reason: str
) -> None:
    scenario = scenarios["update"]
    root = fresh_copy(scenario, tmp_path / "run")
    for json_mode in (False, True):
        args = (*scenario.args, "--json") if json_mode else scenario.args
        result = run(root, args, scenario.env, f"{fault}:3")
        assert result.returncode == 1
        if json_mode:
            document = json.loads(result.stdout)
            assert document["result"] == "error" and reason in document["error"]
        else:
            (line,) = result.stderr.strip().splitlines()
            assert line.startswith("ml-agents install: error: cannot write ")
            assert reason in line
        check_after_fault(root, scenario, fault)


def _unshare_works() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
            "mount -t tmpfs -o size=64k tmpfs /tmp",
        ],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(
    not _unshare_works(), reason="needs root and `unshare -m` to mount a small tmpfs"
)

REAL_DISK_SCRIPT = r"""
set -u
mount -t tmpfs -o "size=$SIZE" tmpfs "$MOUNT"
mkdir -p "$MOUNT/home"
printf 'export EDITOR=vi\n' > "$MOUNT/home/.profile"
[ -n "$READONLY" ] && mount -o remount,ro "$MOUNT"
"$CLI" install > "$OUT/first.out" 2> "$OUT/first.err"; echo $? > "$OUT/first.rc"
cp -a "$MOUNT/home" "$OUT/after-failure"
mount -o "remount,rw,size=4m" "$MOUNT"
"$CLI" install > "$OUT/second.out" 2> "$OUT/second.err"; echo $? > "$OUT/second.rc"
cp -a "$MOUNT/home" "$OUT/after-rerun"
"""


@needs_mounts
@pytest.mark.parametrize(
    ("size", "readonly", "reason"),
    [("48k", "", "the disk is full"), ("1m", "yes", "the file system is read-only")],
)
def test_a_real_full_or_read_only_disk(
    tmp_path: Path, size: str, readonly: str, reason: str
) -> None:
    mount = tmp_path / "disk"
    mount.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    env = base_env(mount / "home", {})
    env.update(SIZE=size, READONLY=readonly, MOUNT=str(mount), OUT=str(out), CLI=cli_executable())
    subprocess.run(
        ["unshare", "-m", "sh", "-c", REAL_DISK_SCRIPT],
        env=env,
        cwd=tmp_path,
        check=True,
        timeout=120,
    )
    first_err = (out / "first.err").read_text()
    assert (out / "first.rc").read_text().strip() == "1", first_err
    assert "Traceback" not in first_err
    (line,) = first_err.strip().splitlines()
    assert line.startswith("ml-agents install: error: cannot ") and reason in line
    failed = out / "after-failure"
    assert (failed / ".profile").read_bytes() == b"export EDITOR=vi\n"
    whole = set(shipped().values())
    for path in [*failed.rglob("*.md"), *failed.rglob("*.js")]:
        assert path.read_bytes() in whole, f"{path} is half-written"
    assert not [p for p in failed.rglob("*") if TEMP_RE.search(p.name)]
    assert (out / "second.rc").read_text().strip() == "0", (out / "second.err").read_text()
    rerun = out / "after-rerun" / ".claude"
    for rel, data in shipped().items():
        assert (rerun / rel).read_bytes() == data
    assert json.loads((rerun / MANIFEST).read_text())["created_dirs"] == [
        ".",
        "agents",
        "commands",
        "workflows",
    ]


def test_a_held_lock_makes_a_second_run_wait_then_fail_clearly(
    scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    scenario = scenarios["update"]
    root = fresh_copy(scenario, tmp_path / "run")
    before = normalised_tree(root / "home")
    slow = subprocess.Popen(
        [cli_executable(), *scenario.args],
        cwd=root / "project",
        env=base_env(root / "home", {**scenario.env, "ML_AGENTS_FAULT": "pause:1:4"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lock = root / "home" / ".claude" / ".ml-agents.lock"
        deadline = time.monotonic() + 20
        while not lock.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert lock.exists(), "the first run never took the lock"
        busy = run(root, scenario.args, {**scenario.env, "ML_AGENTS_LOCK_TIMEOUT": "0.5"})
        assert busy.returncode == 1
        (line,) = busy.stderr.strip().splitlines()
        assert "another ml-agents run (process" in line and "run again" in line
        paused = normalised_tree(root / "home")
        assert paused.pop(".claude/.ml-agents.lock") == f"{slow.pid}\n".encode()
        assert paused == before, "the first run is still paused: nothing else has changed"
        waiting = run(root, scenario.args, scenario.env)  # waits up to 10 s, then runs
    finally:
        _, err = slow.communicate(timeout=60)
    assert slow.returncode == 0, err
    assert waiting.returncode == 0, waiting.stderr
    assert "replace" not in waiting.stdout and "create" not in waiting.stdout, waiting.stdout
    assert not (root / "home" / ".claude" / ".ml-agents.lock").exists()
