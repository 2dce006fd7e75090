"""Hostile file-system shapes an adversary found (issue 9): install, uninstall and status never
write through a symlink of ours, never read without a bound, never hang, never lose an edit and
never print a traceback.

Every run is a real subprocess of the installed CLI with its address space capped, so that an
unbounded read ends in a quick MemoryError instead of eating the machine, and with a timeout, so
that a read that blocks (a FIFO) fails the test instead of hanging it.
"""

from __future__ import annotations

import errno
import json
import os
import re
import resource
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import cli_executable, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_install import MANIFEST, agent_text, as_older_install, make_bundle, sha, shipped
from test_install_faults import base_env

ADDRESS_SPACE = 1 << 30  # 1 GiB: the CLI needs far less; a whole 3 GB file or /dev/zero needs more
TIMEOUT = 30
LOCK = ".ml-agents.lock"
JOURNAL = ".ml-agents-journal.json"


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(
    home: Path, cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI, capped and timed; any traceback fails the test."""
    result = subprocess.run(
        [cli_executable(), *args],
        cwd=cwd,
        env=base_env(home, env or {}),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_cap_memory,
        check=False,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository to run in: the project scope stops at its root."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    return tmp_path / "repo"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    return write(tmp_path / "bashrc", "export PATH=$HOME/bin:$PATH\n")


def one_error_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("ml-agents ")]
    for word in words:
        assert word in line, line
    return line


# --- 1. a symlink where one of our files belongs is reported, never written through ----------


def _link(link: Path, to: Path, how: str) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(to, link.parent) if how == "relative" else to)


@pytest.mark.parametrize("how", ["relative", "absolute", "dangling"])
@pytest.mark.parametrize("state", ["fresh", "installed", "uninstall"])
def test_a_symlinked_lock_is_never_written_through(
    home: Path, repo: Path, victim: Path, tmp_path: Path, how: str, state: str
) -> None:
    claude = repo / ".claude"
    if state != "fresh":
        assert run(home, repo, "install", "--scope", "project").returncode == 0
    pointed = tmp_path / "nowhere" if how == "dangling" else victim
    _link(claude / LOCK, pointed, how)
    before = victim.read_bytes()
    verb = ("uninstall",) if state == "uninstall" else ("install",)
    result = run(home, repo, *verb, "--scope", "project")
    one_error_line(result, str(claude / LOCK), "is a symlink")
    assert victim.read_bytes() == before
    assert not (tmp_path / "nowhere").exists(), "a dangling link's target is never created"
    assert (claude / LOCK).is_symlink(), "the link is reported and left for the user"


@pytest.mark.parametrize("name", [MANIFEST, JOURNAL])
def test_a_symlinked_manifest_or_journal_is_damage_not_followed(
    home: Path, repo: Path, victim: Path, name: str
) -> None:
    claude = home / ".claude"
    assert run(home, repo, "install").returncode == 0
    (claude / name).unlink(missing_ok=True)
    (claude / name).symlink_to(victim)
    before = victim.read_bytes()
    for verb in ("install", "uninstall"):
        one_error_line(run(home, repo, verb), str(claude / name), "is a symlink")
    assert victim.read_bytes() == before
    status = run(home, repo, "status", "--json")
    if name == MANIFEST:
        assert "is a symlink" in json.loads(status.stdout)["scopes"][0]["error"]


@pytest.mark.parametrize("suffix", [".ml-agents-new", ".ml-agents-merge"])
def test_a_symlink_where_the_new_version_goes_is_reported(
    home: Path, repo: Path, victim: Path, tmp_path: Path, suffix: str
) -> None:
    """Beside an edited file goes our new version (an install without pristine copies) or the
    merge with conflict markers (overlapping edits): a symlink there is a conflict, not followed."""
    assert run(home, repo, "install").returncode == 0
    claude = home / ".claude"
    if suffix == ".ml-agents-new":
        as_older_install(claude)
    edited = claude / "agents" / "data-scientist.md"
    edited.write_bytes(edited.read_bytes() + b"\nMine.\n")
    side = claude / "agents" / f"data-scientist.md{suffix}"
    side.symlink_to(victim)
    v2 = make_bundle(
        tmp_path / "v2", "2.0.0", edits={"agents/data-scientist.md": lambda t: t + "\nTwo.\n"}
    )
    result = run(home, repo, "install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"conflict   agents/data-scientist.md{suffix} (a symlink sits" in result.stdout
    assert side.is_symlink() and victim.read_text() == "export PATH=$HOME/bin:$PATH\n"


# --- 4. bounded, regular-files-only reads --------------------------------------------------


@pytest.mark.parametrize("name", [MANIFEST, JOURNAL])
def test_a_manifest_or_journal_that_never_ends_is_refused(
    home: Path, repo: Path, name: str
) -> None:
    claude = home / ".claude"
    claude.mkdir()
    (claude / name).symlink_to("/dev/zero")
    for verb in ("install", "uninstall"):
        one_error_line(run(home, repo, verb), str(claude / name))
    (claude / name).unlink()
    os.mkfifo(claude / name)
    for verb in ("install", "uninstall"):
        one_error_line(run(home, repo, verb), str(claude / name), "not a regular file")
    status_reports_damage(run(home, repo, "status"), damaged=name == MANIFEST)


def test_endless_and_blocking_agent_files_elsewhere_are_skipped(
    home: Path, repo: Path, tmp_path: Path
) -> None:
    user_agents = home / ".claude" / "agents"
    user_agents.mkdir(parents=True)
    os.mkfifo(user_agents / "fifo.md")
    project_agents = repo / ".claude" / "agents"
    project_agents.mkdir(parents=True)
    (project_agents / "zero.md").symlink_to("/dev/zero")
    plugin = home / ".claude" / "plugins" / "cache" / "p" / "p" / "1.0.0"
    (plugin / "agents").mkdir(parents=True)
    (plugin / ".claude-plugin").mkdir()
    (plugin / ".claude-plugin" / "plugin.json").symlink_to("/dev/zero")
    os.mkfifo(plugin / "agents" / "fifo.md")
    installed = run(home, repo, "install")
    assert installed.returncode == 0, installed.stderr
    status = run(home, repo, "status")
    assert status.returncode == 0, status.stderr
    assert run(home, repo, "install", "--scope", "project").returncode == 0


def _sparse(path: Path, size: int = 3 << 30) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_a_huge_file_at_our_path_is_never_read_whole(home: Path, repo: Path) -> None:
    claude = home / ".claude"
    huge = _sparse(claude / "agents" / "data-scientist.md")
    blocked = run(home, repo, "install")
    assert blocked.returncode == 1 and "conflict   agents/data-scientist.md" in blocked.stdout
    forced = run(home, repo, "install", "--force")
    assert forced.returncode == 0, forced.stderr
    (backup,) = (claude / "agents").glob("data-scientist.md.ml-agents-backup-*")
    assert backup.stat().st_size == 3 << 30, "the user's file is kept whole"
    assert huge.read_bytes() == shipped()["agents/data-scientist.md"]
    ours = claude / "agents" / "ml-engineer.md"
    ours.unlink()
    _sparse(ours)
    status = run(home, repo, "status", "--json")
    files = {f["path"]: f["state"] for f in json.loads(status.stdout)["scopes"][0]["files"]}
    assert files["agents/ml-engineer.md"] == "modified"
    kept = run(home, repo, "uninstall")
    assert kept.returncode == 0, kept.stderr
    assert ours.stat().st_size == 3 << 30, "a modified file is the user's: uninstall keeps it"


# --- 12 and 6. manifest values are checked against a schema ----------------------------------


def _installed_manifest(home: Path, repo: Path) -> dict[str, Any]:
    assert run(home, repo, "install").returncode == 0
    data: dict[str, Any] = json.loads((home / ".claude" / MANIFEST).read_text())
    return data


DAMAGE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "null prefix": lambda m: m.update(prefix=None),
    "bad prefix": lambda m: m.update(prefix="Not A Prefix/"),
    "true format": lambda m: m.update(format=True),
    "list version": lambda m: m.update(version=["1"]),
    "number path": lambda m: m["files"][0].update(path=7),
    "short sha": lambda m: m["files"][0].update(sha256="abc"),
    "files object": lambda m: m.update(files={"a": 1}),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_manifest_with_wrong_values_is_damage(home: Path, repo: Path, damage: str) -> None:
    data = _installed_manifest(home, repo)
    DAMAGE[damage](data)
    path = home / ".claude" / MANIFEST
    path.write_text(json.dumps(data))
    for verb in ("install", "uninstall"):
        one_error_line(run(home, repo, verb), str(path), "damaged")
    status = json.loads(run(home, repo, "status", "--json").stdout)
    assert "damaged" in status["scopes"][0]["error"]
    assert path.read_text() == json.dumps(data), "the damaged manifest is left for the user"


def test_a_recorded_prefix_that_makes_bad_names_is_damage_not_a_usage_error(
    home: Path, repo: Path
) -> None:
    data = _installed_manifest(home, repo)
    data["prefix"] = "ml--"  # the pattern allows it; the agent names it makes are not kebab-case
    path = write(home / ".claude" / MANIFEST, json.dumps(data))
    one_error_line(run(home, repo, "install"), str(path), "damaged", "its prefix 'ml--'")
    assert run(home, repo, "install", "--prefix", "ml-").returncode == 0, "an explicit one wins"


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"files": ' + "[" * 900 + "]" * 900 + "}",
        '{"tool": "ml-agents", "format": 1, "version": ' + "9" * 5000 + ', "files": []}',
    ],
    ids=["deep", "deep-but-parseable", "huge-int"],
)
@pytest.mark.parametrize("name", [MANIFEST, JOURNAL])
def test_deep_or_huge_json_is_damage(home: Path, repo: Path, text: str, name: str) -> None:
    path = write(home / ".claude" / name, text)
    for verb in ("install", "uninstall"):
        one_error_line(run(home, repo, verb), str(path), "damaged")
    status_reports_damage(run(home, repo, "status"), damaged=name == MANIFEST)


def status_reports_damage(status: subprocess.CompletedProcess[str], *, damaged: bool) -> None:
    """``status`` returns, reads no journal, and exits 1 exactly when it reports a damaged
    manifest (an error it reports is never exit 0)."""
    assert "Traceback" not in status.stderr
    assert status.returncode == (1 if damaged else 0), status.stdout + status.stderr
    if damaged:
        assert "damaged" in status.stdout + status.stderr or "not a regular file" in (
            status.stdout + status.stderr
        ), status.stdout


def test_a_journal_with_wrong_values_is_damage(home: Path, repo: Path) -> None:
    path = write(home / ".claude" / JOURNAL, json.dumps({"tool": "ml-agents", "created_dirs": 5}))
    one_error_line(run(home, repo, "install"), str(path), "damaged")


# --- 9. concurrency ---------------------------------------------------------------------------


def _race(commands: list[tuple[str, ...]], home: Path, cwd: Path) -> list[str]:
    procs = [
        subprocess.Popen(
            [cli_executable(), *args],
            cwd=cwd,
            env=base_env(home, {"ML_AGENTS_LOCK_TIMEOUT": "120"}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    failures = []
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        if proc.returncode != 0:
            failures.append(f"{proc.args}: {err.strip()}")
    return failures


@pytest.mark.slow
def test_racing_installs_into_a_missing_target_all_succeed(tmp_path: Path, repo: Path) -> None:
    rounds = int(os.environ.get("ML_AGENTS_RACE_ROUNDS", "3"))
    for number in range(rounds):
        home = tmp_path / f"home{number}"
        home.mkdir()
        failures = _race([("install",)] * 16, home, repo)
        assert not failures, failures
        assert sorted(p.name for p in home.iterdir()) == [".claude"], "no staging folder is left"
        claude = home / ".claude"
        for rel, data in shipped().items():
            assert (claude / rel).read_bytes() == data


@pytest.mark.slow
def test_install_racing_uninstall_never_fails_on_a_half_seen_folder(
    tmp_path: Path, repo: Path
) -> None:
    rounds = int(os.environ.get("ML_AGENTS_RACE_ROUNDS", "3"))
    for number in range(rounds):
        home = tmp_path / f"home{number}"
        home.mkdir()
        assert run(home, repo, "install").returncode == 0
        failures = _race([("install",), ("uninstall",)] * 4, home, repo)
        assert not failures, failures


def _paused(home: Path, cwd: Path, step: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [cli_executable(), "install"],
        cwd=cwd,
        env=base_env(home, {"ML_AGENTS_FAULT": f"pause:{step}:3"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "the paused run never got there"
        time.sleep(0.01)


def test_a_folder_made_by_someone_else_meanwhile_is_used_not_an_error(
    home: Path, repo: Path
) -> None:
    claude = home / ".claude"
    claude.mkdir()
    paused = _paused(home, repo, 1)  # step 1 writes the journal, before "mkdir agents"
    _wait_for(lambda: any(claude.glob("..ml-agents-journal.json.ml-agents-tmp-*")))
    (claude / "agents").mkdir()
    _, err = paused.communicate(timeout=TIMEOUT)
    assert paused.returncode == 0, err
    assert (claude / "agents" / "data-scientist.md").read_bytes() == shipped()[
        "agents/data-scientist.md"
    ]


def test_a_target_made_by_another_run_while_ours_is_staged_is_locked_and_used(
    home: Path, repo: Path
) -> None:
    paused = _paused(home, repo, 1)  # step 1 renames the staged target into place
    _wait_for(lambda: any(home.glob("..claude.ml-agents-tmp-*/.ml-agents.lock")))
    other = run(home, repo, "install")
    assert other.returncode == 0, other.stderr
    out, err = paused.communicate(timeout=TIMEOUT)
    assert paused.returncode == 0, err
    assert f"{len(shipped())} unchanged." in out, (
        "it planned again under the other run's target and lock"
    )
    assert sorted(p.name for p in home.iterdir()) == [".claude"], "no staging folder is left"


# --- 10. crash windows ----------------------------------------------------------------------


def test_a_kill_while_creating_the_target_leaves_nothing_behind(home: Path, repo: Path) -> None:
    dry = json.loads(run(home, repo, "install", "--dry-run", "--json").stdout)
    assert dry["steps"][0] == {"op": "mkdir", "path": "."}, dry["steps"][:2]
    killed = subprocess.run(
        [cli_executable(), "install"],
        cwd=repo,
        env=base_env(home, {"ML_AGENTS_FAULT": "kill:1"}),
        capture_output=True,
        check=False,
        timeout=TIMEOUT,
    )
    assert killed.returncode < 0
    assert not (home / ".claude").exists(), "the target never exists empty and unlocked"
    assert run(home, repo, "install").returncode == 0
    assert sorted(p.name for p in home.iterdir()) == [".claude"], "the staging folder is gone"
    assert run(home, repo, "uninstall").returncode == 0
    assert list(home.iterdir()) == []


def _edit_during_pause(
    home: Path,
    repo: Path,
    args: tuple[str, ...],
    env: dict[str, str],
    edit: Path,
    step: int,
    reached: Callable[[], bool],
) -> tuple[subprocess.CompletedProcess[str], bytes]:
    """Run with a pause at ``step`` (after the file was checked) and edit ``edit`` once
    ``reached()`` shows the run got there."""
    edited = edit.read_bytes() + b"\nMy edit, made while ml-agents was running.\n"

    def editor() -> None:
        deadline = time.monotonic() + TIMEOUT
        while not reached() and time.monotonic() < deadline:
            time.sleep(0.005)
        edit.write_bytes(edited)

    thread = threading.Thread(target=editor)
    thread.start()
    result = run(home, repo, *args, env={**env, "ML_AGENTS_FAULT": f"pause:{step}:3"})
    thread.join()
    return result, edited


def _step(home: Path, repo: Path, args: tuple[str, ...], env: dict[str, str], path: str) -> int:
    dry = json.loads(run(home, repo, *args, "--dry-run", "--json", env=env).stdout)
    ops = [(s["op"], s["path"]) for s in dry["steps"]]
    first = ops.index(next(op for op in ops if op[1] == path))
    return first + 1


def test_an_edit_made_after_the_check_survives_an_update(
    home: Path, repo: Path, tmp_path: Path
) -> None:
    assert run(home, repo, "install").returncode == 0
    v2 = make_bundle(
        tmp_path / "v2", "2.0.0", edits={"agents/data-scientist.md": lambda t: t + "\nTwo.\n"}
    )
    env = {"ML_AGENTS_BUNDLE_DIR": str(v2)}
    rel = "agents/data-scientist.md"
    path = home / ".claude" / rel
    for op in ("write", "replace"):
        step = _step(home, repo, ("install",), env, rel) + (op == "replace")
        result, edited = _edit_during_pause(
            home,
            repo,
            ("install",),
            env,
            path,
            step,
            lambda: any(path.parent.glob(f".{path.name}.ml-agents-tmp-*")),  # being written
        )
        one_error_line(result, "changed while ml-agents was working")
        assert path.read_bytes() == edited, op
        assert not [p for p in path.parent.iterdir() if ".ml-agents-tmp-" in p.name]
        path.write_bytes(shipped()[rel])  # back to ours, unmodified


def test_an_edit_made_after_the_check_survives_an_uninstall(home: Path, repo: Path) -> None:
    assert run(home, repo, "install").returncode == 0
    rel = "agents/data-scientist.md"
    path = home / ".claude" / rel
    step = _step(home, repo, ("uninstall",), {}, rel)
    before = home / ".claude" / "agents" / "cloud-architect.md"  # removed just before ours
    result, edited = _edit_during_pause(
        home, repo, ("uninstall",), {}, path, step, lambda: not before.exists()
    )
    one_error_line(result, "changed while ml-agents was working")
    assert path.read_bytes() == edited
    owned = json.loads((home / ".claude" / MANIFEST).read_text())["files"]
    assert {"path": rel, "sha256": sha(shipped()[rel])} in owned, "the run stopped before it"


# --- the user's own files survive every hostile shape ---------------------------------------


def test_users_agents_elsewhere_are_untouched(home: Path, repo: Path) -> None:
    mine = write(home / ".claude" / "agents" / "mine.md", agent_text("mine"))
    os.mkfifo(home / ".claude" / "agents" / "pipe.md")
    assert run(home, repo, "install").returncode == 0
    assert run(home, repo, "uninstall").returncode == 0
    assert mine.read_text() == agent_text("mine")


# --- the shared bounded reader and the schemas ----------------------------------------------


def test_the_bounded_reader_refuses_without_reading(tmp_path: Path) -> None:
    from ml_agents.bounded_read import NotRegular, TooLarge, read_regular, sha256_regular

    data = os.urandom(CHUNKS_AND_A_HALF)
    plain = write(tmp_path / "plain", data)
    assert read_regular(plain, len(data)) == data
    assert sha256_regular(plain, len(data)) == sha(data), "hashed in chunks, same digest"
    with pytest.raises(TooLarge):
        read_regular(plain, len(data) - 1)
    huge = _sparse(tmp_path / "huge")
    started = time.process_time()
    with pytest.raises(TooLarge):
        sha256_regular(huge, 1 << 20)
    assert time.process_time() - started < 1, "refused from its size, never read"
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotRegular):
        read_regular(tmp_path / "fifo", 10)  # returns at once: no writer is waited for
    (tmp_path / "link").symlink_to(plain)
    assert read_regular(tmp_path / "link", len(data)) == data
    for refuse in (
        lambda: read_regular(tmp_path / "link", len(data), follow_symlinks=False),
        lambda: sha256_regular(tmp_path / "link", len(data)),
    ):
        with pytest.raises(OSError) as caught:
            refuse()
        assert caught.value.errno == errno.ELOOP


CHUNKS_AND_A_HALF = (5 << 20) // 2


@pytest.mark.parametrize("name", ["install-manifest", "install-journal"])
def test_the_record_schemas_are_documented_2020_12_schemas(name: str) -> None:
    from jsonschema import Draft202012Validator
    from test_schemas import DRAFT_2020_12, documented_properties

    from ml_agents.bundle import schema_path

    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_2020_12
    assert schema["$id"] == f"https://ml-agents.dev/schemas/{name}.schema.json"
    undocumented = [
        where
        for where, sub in documented_properties(schema)
        if not (isinstance(sub, dict) and sub.get("title") and sub.get("description"))
    ]
    assert not undocumented


def test_the_manifest_schema_takes_its_prefix_rule_from_the_cli(home: Path, repo: Path) -> None:
    from jsonschema import Draft202012Validator

    from ml_agents.bundle import schema_path
    from ml_agents.install.payload import PREFIX_RE

    schema = json.loads(schema_path("install-manifest").read_text(encoding="utf-8"))
    # the schema also takes the prefixes older versions accepted (no trailing '-'): those are
    # not damage, `install` asks for --prefix again; every prefix the CLI takes today fits it
    pattern = re.compile(schema["properties"]["prefix"]["pattern"])
    for prefix in ("", "ml-", "a-b-", "x0-", "team-ml-", "ml"):
        assert pattern.match(prefix), prefix
        assert bool(PREFIX_RE.match(prefix)) == prefix.endswith("-"), prefix
    assert not pattern.match("ML_") and not pattern.match("a/b-")
    assert run(home, repo, "install", "--prefix", "ml-").returncode == 0
    written = json.loads((home / ".claude" / MANIFEST).read_text())
    assert written["prefix"] == "ml-"
    assert not list(Draft202012Validator(schema).iter_errors(written))


# --- property: whatever the records hold, reading them is a manifest or one clean error -------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["agents/x.md", "../x", "ml-", "0" * 64, "ml-agents", "."]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)
KEYS = ("tool", "format", "version", "prefix", "files", "side_files", "created_dirs", "backups")


@st.composite
def records(draw: st.DrawFn) -> bytes:
    """A valid manifest with some values swapped for hostile ones, or raw hostile text."""
    base: dict[str, Any] = {
        "tool": "ml-agents",
        "format": 1,
        "version": "1.0.0",
        "prefix": "",
        "files": [{"path": "agents/a.md", "sha256": "a" * 64}],
        "created_dirs": ["."],
    }
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3)):
        base[key] = draw(JSON_VALUES)
    shapes = [
        json.dumps(base).encode(),
        ("[" * draw(st.integers(0, 50_000))).encode(),
        ('{"version": ' + "9" * draw(st.integers(4000, 6000)) + "}").encode(),
        draw(st.binary(max_size=64)),
    ]
    return shapes[draw(st.integers(0, len(shapes) - 1))]


@settings(
    max_examples=int(os.environ.get("ML_AGENTS_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=records())
def test_reading_any_record_is_a_manifest_or_a_clean_damage_report(
    tmp_path: Path, data: bytes
) -> None:
    from ml_agents.install.manifest import (
        JOURNAL_NAME,
        Manifest,
        ManifestError,
        read_journal,
        read_manifest,
    )

    for name, read in ((MANIFEST, read_manifest), (JOURNAL_NAME, read_journal)):
        (tmp_path / name).write_bytes(data)
        try:
            result = read(tmp_path)
        except ManifestError as error:
            assert "\n" not in str(error) and str(tmp_path / name) in str(error)
            assert len(str(error)) < 600
            continue
        if isinstance(result, Manifest):
            assert all(isinstance(v, str) for v in (result.version, result.prefix))
            assert all(len(f.sha256) == 64 for f in result.files)
        else:
            assert all(isinstance(d, str) for d in result)


def test_a_target_an_uninstall_removes_mid_plan_is_installed_into(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The race the test above samples, made certain: install sees the folder, then an uninstall
    removes it before install lists it. Install goes on as into a missing folder, as it would a
    moment later, instead of failing with "cannot read ... No such file or directory"."""
    from ml_agents.cli import main

    target = tmp_path / "home/.claude"
    target.mkdir(parents=True)
    real_iterdir = Path.iterdir

    def removed_first(self: Path) -> Any:
        if self == target and target.is_dir():
            target.rmdir()  # what a racing uninstall of an empty, created folder does
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", removed_first)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert main(["install", "--target", str(target)]) == 0, capsys.readouterr()
    monkeypatch.undo()
    for rel, data in shipped().items():
        assert (target / rel).read_bytes() == data
