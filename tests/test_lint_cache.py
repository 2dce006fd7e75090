"""The lint result cache, through the real CLI: a cached run reports exactly what an uncached one
does, after any change to a file, its place, the schemas, the configuration or the linter.

Every run goes through ``ml_agents.cli.main`` in a fresh interpreter; the driver counts the files
the engine actually parsed and checked (``engine.lint_data``), which is how a test tells a cache
hit from a miss without looking inside the cache. The driver never replays a stored report
(a tree left alone for two seconds would be replayed, whatever the per-file cache holds);
tests/test_lint_replay.py covers that.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_python, tree_bytes, write

from ml_agents.lint import cache as result_cache
from ml_agents.lint import contract
from ml_agents.lint.digest import hex_hash
from ml_agents.lint.engine import lint
from ml_agents.lint.parallel import MIN_ITEMS, can_fork

AGENT = "---\nname: {name}\ndescription: Reviews a diff for bugs.\n{extra}---\nYou review.\n"
DRIVER = """
import sys
from ml_agents.lint import engine, replay
replay.stored_report = lambda *args: None  # never replay: see the docstring
calls = []
real = engine.lint_data
def counted(target, data):
    calls.append(target.display)
    return real(target, data)
engine.lint_data = counted
from ml_agents.cli import main
code = main(sys.argv[1:])
sys.stderr.write(f"\\nLINTED={len(calls)}\\n")
sys.stderr.write(f"JSONSCHEMA={'jsonschema' in sys.modules}\\n")
raise SystemExit(code)
"""


class Run:
    def __init__(self, stdout: str, stderr: str, returncode: int) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.returncode = returncode
        counts = [line for line in stderr.splitlines() if line.startswith("LINTED=")]
        assert counts, stderr
        self.linted = int(counts[-1].removeprefix("LINTED="))
        self.imported_jsonschema = "JSONSCHEMA=True" in stderr


def run_lint(
    cwd: Path, *args: str, env: dict[str, str] | None = None, pythonpath: Path | None = None
) -> Run:
    """``ml-agents lint ARGS`` in ``cwd``; ``pythonpath`` runs another copy of the package."""
    extra = dict(env or {})
    if pythonpath is not None:
        extra["PYTHONPATH"] = str(pythonpath)
    done = run_python(DRIVER, ["lint", "--format", "json", *args], cwd, extra)
    return Run(done.stdout, done.stderr, done.returncode)


def findings(run: Run) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["code"]) for f in json.loads(run.stdout)["findings"]]


def assert_like_uncached(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """A cached run, compared with ``--no-cache``: the same output, byte for byte."""
    cached = run_lint(cwd, *args, env=env)
    fresh = run_lint(cwd, "--no-cache", *args, env=env)
    assert cached.stdout == fresh.stdout
    assert cached.returncode == fresh.returncode
    return cached


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    for index in range(3):
        write(root / f".claude/agents/a{index}.md", AGENT.format(name=f"a{index}", extra=""))
    write(root / ".claude/commands/go.md", "---\ndescription: Go.\n---\nUse `a0`.\n")
    return root


def cache_files(root: Path) -> list[Path]:
    return sorted((root / result_cache.FOLDER_NAME).glob("lint-*.json"))


def test_the_cache_lives_at_the_git_root_and_git_ignores_it(project: Path) -> None:
    run_lint(project / ".claude")
    folder = project / result_cache.FOLDER_NAME
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text(encoding="utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert len(cache_files(project)) == 1
    if shutil.which("git"):
        shutil.rmtree(project / ".git")
        subprocess.run(["git", "init", "-q", str(project)], check=True)
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        )
        assert result_cache.FOLDER_NAME not in status.stdout
        assert ".claude/agents/a0.md" in status.stdout


def test_an_unchanged_tree_is_not_linted_again(project: Path) -> None:
    cold = assert_like_uncached(project)
    assert cold.linted == 4
    warm = assert_like_uncached(project)
    assert warm.linted == 0
    assert warm.stdout == cold.stdout
    assert not warm.imported_jsonschema  # nothing to validate


def test_a_changed_file_is_linted_again_and_its_finding_shows(project: Path) -> None:
    agent = write(project / ".claude/agents/a1.md", AGENT.format(name="a1", extra="color: blue\n"))
    assert_like_uncached(project)
    stat = agent.stat()
    # the same size and modification time: only the bytes tell
    agent.write_text(AGENT.format(name="a1", extra="color: teal\n"), encoding="utf-8")
    os.utime(agent, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert agent.stat().st_size == stat.st_size
    changed = assert_like_uncached(project)
    assert changed.linted == 1
    assert (".claude/agents/a1.md", 4, "CC211") in findings(changed)
    agent.write_text(AGENT.format(name="a1", extra=""), encoding="utf-8")
    fixed = assert_like_uncached(project)
    assert fixed.linted == 1
    assert not [f for f in findings(fixed) if f[0].endswith("a1.md")]


def test_a_change_to_a_settled_file_is_seen(project: Path) -> None:
    """Files left alone for a while are known by their status (size, times, inode): a write that
    keeps the size and puts the modification time back still changes the ctime."""
    agent = write(project / ".claude/agents/a1.md", AGENT.format(name="a1", extra="color: blue\n"))
    time.sleep(result_cache.SETTLED_NS / 1e9 + 0.2)
    assert run_lint(project).linted == 4  # hashed, and the settled status recorded
    assert run_lint(project).linted == 0  # known by status alone
    stat = agent.stat()
    agent.write_text(AGENT.format(name="a1", extra="color: teal\n"), encoding="utf-8")
    os.utime(agent, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    time.sleep(result_cache.SETTLED_NS / 1e9 + 0.2)  # settled again, by its new ctime
    changed = assert_like_uncached(project)
    assert changed.linted == 1
    assert (".claude/agents/a1.md", 4, "CC211") in findings(changed)


def test_the_same_bytes_in_another_place_are_linted_for_that_place(project: Path) -> None:
    # a command's name must match its file (CC402); an agent's need not
    text = "---\nname: shared-one\ndescription: Either.\nmodel: opus\n---\nBody.\n"
    write(project / ".claude/agents/shared.md", text)
    assert_like_uncached(project)
    write(project / ".claude/commands/shared.md", text)
    both = assert_like_uncached(project)
    assert both.linted == 1
    assert {f[2] for f in findings(both) if f[0] == ".claude/commands/shared.md"} != {
        f[2] for f in findings(both) if f[0] == ".claude/agents/shared.md"
    }


def test_paths_are_shown_from_where_lint_runs(project: Path) -> None:
    write(project / ".claude/agents/bad.md", AGENT.format(name="bad", extra="color: teal\n"))
    assert_like_uncached(project)
    inside = assert_like_uncached(project / ".claude", "agents")
    assert inside.linted == 0
    assert ("agents/bad.md", 4, "CC211") in findings(inside)


def test_becoming_a_plugin_changes_the_cached_results(tmp_path: Path) -> None:
    """A plugin agent may omit its name; the same file outside a plugin may not."""
    root = tmp_path / "plugin"
    (root / ".git").mkdir(parents=True)
    write(root / "agents/nameless.md", "---\ndescription: Reviews.\n---\nYou review.\n")
    before = assert_like_uncached(root)
    assert ("agents/nameless.md", 1, "CC201") in findings(before)
    manifest = '{"name": "p", "version": "1.0.0", "description": "d", "author": {"name": "a"}}'
    write(root / ".claude-plugin/plugin.json", manifest)
    after = assert_like_uncached(root)
    assert not [f for f in findings(after) if f[2] == "CC201"]


def test_a_manifest_is_linted_again_when_a_path_it_names_appears(tmp_path: Path) -> None:
    root = tmp_path / "plugin"
    (root / ".git").mkdir(parents=True)
    manifest = {
        "name": "p",
        "version": "1.0.0",
        "description": "d",
        "author": {"name": "a"},
        "agents": ["./extra/helper.md"],
    }
    write(root / ".claude-plugin/plugin.json", json.dumps(manifest, indent=2))
    missing = assert_like_uncached(root)
    assert [f[2] for f in findings(missing)] == ["CC508"]
    assert assert_like_uncached(root).linted == 0  # the folder was asked about, and is unchanged
    write(root / "extra/helper.md", AGENT.format(name="helper", extra=""))
    present = assert_like_uncached(root)
    assert findings(present) == []


def test_a_marketplace_is_linted_again_when_its_plugin_folder_goes(tmp_path: Path) -> None:
    root = tmp_path / "market"
    (root / ".git").mkdir(parents=True)
    market = {
        "name": "m",
        "owner": {"name": "o"},
        "plugins": [{"name": "p", "source": "./plugins/p", "description": "d"}],
    }
    write(root / ".claude-plugin/marketplace.json", json.dumps(market, indent=2))
    write(root / "plugins/p/README.md", "p\n")
    present = assert_like_uncached(root, ".claude-plugin/marketplace.json")
    assert not [f for f in findings(present) if f[2] == "CC508"]
    shutil.rmtree(root / "plugins")
    gone = assert_like_uncached(root, ".claude-plugin/marketplace.json")
    assert gone.linted == 1
    assert [f[2] for f in findings(gone) if f[2] == "CC508"] == ["CC508"]


def test_another_schema_folder_is_another_cache(project: Path, tmp_path: Path) -> None:
    """The schemas in use are part of the key, by their bytes (ML_AGENTS_SCHEMA_DIR)."""
    assert_like_uncached(project)
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    env = {contract.SCHEMA_DIR_ENV: str(schemas)}
    assert assert_like_uncached(project, env=env).linted == 0  # the same bytes: the same key
    agent_schema = schemas / "agent.schema.json"
    document = json.loads(agent_schema.read_text(encoding="utf-8"))
    document["$comment"] = "edited"
    agent_schema.write_text(json.dumps(document), encoding="utf-8")
    assert assert_like_uncached(project, env=env).linted == 4
    assert len(cache_files(project)) == 2


def test_a_configuration_fingerprint_is_part_of_the_key(project: Path) -> None:
    folder = project / "cache"
    first = lint([], project, cache=result_cache.open_cache(folder, extra=("select=CC2",)))
    again = result_cache.open_cache(folder, extra=("select=CC2",))
    other = result_cache.open_cache(folder, extra=("select=CC6",))
    again.load()
    other.load()
    assert again.entries and not other.entries
    assert lint([], project, cache=other) == first


def copy_checkout(tmp_path: Path) -> Path:
    """This package and its bundle in a folder of their own, as a second installed linter."""
    copy = tmp_path / "checkout"
    shutil.copytree(REPO / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("plugins", "schemas"):
        shutil.copytree(REPO / folder, copy / folder)
    return copy


def test_another_linter_version_or_source_is_another_cache(project: Path, tmp_path: Path) -> None:
    copy = copy_checkout(tmp_path)
    package = copy / "src"
    write(project / ".claude/agents/pink.md", AGENT.format(name="pink", extra="color: pink\n"))
    assert run_lint(project, pythonpath=package).linted == 5
    assert run_lint(project, pythonpath=package).linted == 0
    init = package / "ml_agents/__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace('= "', '= "99.'), encoding="utf-8")
    assert run_lint(project, pythonpath=package).linted == 5
    # an edited linter (same version) is another linter: nothing it cached before is reused
    # (what colours it knows is the schemas' business now: see the schema-folder test)
    spec = package / "ml_agents/lint/spec.py"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert run_lint(project, pythonpath=package).linted == 5


def test_no_cache_reads_and_writes_nothing(project: Path) -> None:
    before = tree_bytes(project)
    run = run_lint(project, "--no-cache")
    assert run.linted == 4
    assert tree_bytes(project) == before
    assert not (project / result_cache.FOLDER_NAME).exists()


def test_cache_dir_option_and_environment(project: Path, tmp_path: Path) -> None:
    chosen = tmp_path / "elsewhere"
    assert_like_uncached(project, "--cache-dir", str(chosen))
    assert run_lint(project, "--cache-dir", str(chosen)).linted == 0
    assert not (project / result_cache.FOLDER_NAME).exists()
    from_env = tmp_path / "from-env"
    env = {result_cache.ENV_FOLDER: str(from_env)}
    assert run_lint(project, env=env).linted == 4
    assert run_lint(project, env=env).linted == 0
    assert len(list(from_env.glob("lint-*.json"))) == 1


def test_an_unusable_cache_folder_means_an_uncached_run(project: Path, tmp_path: Path) -> None:
    blocker = write(tmp_path / "a-file", "not a folder\n")
    env = {result_cache.ENV_FOLDER: str(blocker / "cache")}
    first = assert_like_uncached(project, env=env)
    assert first.linted == 4
    assert run_lint(project, env=env).linted == 4
    said = [line for line in first.stderr.splitlines() if line.strip()]
    assert [line for line in said if not line.startswith(("LINTED=", "JSONSCHEMA="))] == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_means_an_uncached_run(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        run = assert_like_uncached(project, "--cache-dir", str(folder))
        assert run.linted == 4
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def corrupt_ways(body: bytes) -> list[bytes]:
    """A cache file cut short, overwritten, bit-flipped, and well-formed with a valid checksum
    but the wrong shapes inside."""
    _, _, rest = body.partition(b"\n")
    document = json.loads(rest)
    document["entries"] = {
        key: [digest, [[[None, "x", 1, "CC211", "error", "m", "h"]], None, None, None, None], quick]
        for key, (digest, _, quick) in document["entries"].items()
    }
    reshaped = json.dumps(document).encode()
    flipped = bytearray(body)
    flipped[len(body) // 2] ^= 0x01
    return [
        body[: len(body) // 2],
        b"\x00" * len(body),
        bytes(flipped),
        b"",
        hex_hash(reshaped).encode() + b"\n" + reshaped,  # a valid checksum, a wrong shape
        hex_hash(b"[]").encode() + b"\n[]",
    ]


def test_a_corrupt_cache_is_ignored_and_rebuilt(project: Path) -> None:
    write(project / ".claude/agents/bad.md", AGENT.format(name="bad", extra="color: teal\n"))
    expected = run_lint(project, "--no-cache").stdout
    run_lint(project)
    (path,) = cache_files(project)
    good = path.read_bytes()
    for body in corrupt_ways(good):
        path.write_bytes(body)
        run = run_lint(project)
        assert run.stdout == expected
        assert run.linted == 5
        assert run_lint(project).linted == 0  # rebuilt
    path.unlink()
    os.mkfifo(path)  # a reader would wait forever for a writer
    assert run_lint(project).stdout == expected


def test_a_run_large_enough_to_fork_caches_what_the_child_linted(project: Path) -> None:
    """From 200 files on, a forked child lints every other file and sends its results back."""
    for index in range(MIN_ITEMS + 20):
        extra = "color: teal\n" if index % 7 == 0 else ""
        write(project / f".claude/agents/f{index}.md", AGENT.format(name=f"f{index}", extra=extra))
    total = MIN_ITEMS + 20 + 4
    cold = assert_like_uncached(project)
    # the child's calls happen in its own memory: the parent counts only its half
    assert cold.linted == (total + 1) // 2 if can_fork() else total
    warm = assert_like_uncached(project)
    assert warm.linted == 0
    assert warm.stdout == cold.stdout
    assert len([f for f in findings(warm) if f[2] == "CC211"]) == len(range(0, MIN_ITEMS + 20, 7))


def test_concurrent_runs_leave_a_whole_cache(project: Path) -> None:
    for index in range(40):
        write(project / f".claude/agents/m{index}.md", AGENT.format(name=f"m{index}", extra=""))
    expected = run_lint(project, "--no-cache").stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE", "ML_AGENTS"))}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", DRIVER, "lint", "--format", "json"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for process in runs:
        out, _ = process.communicate(timeout=120)
        assert out == expected
    (path,) = cache_files(project)
    assert result_cache._load(path, path.stem.removeprefix("lint-"))
    assert run_lint(project).linted == 0
    assert not [
        p for p in (project / result_cache.FOLDER_NAME).iterdir() if p.name.startswith(".lint-")
    ]


def test_a_plugin_json_listing_change_is_seen_by_its_agents(tmp_path: Path) -> None:
    """CC610 is decided by plugin.json, not by the agent file: editing only the listing must
    move the finding, though every agent's bytes are unchanged."""
    plugin = tmp_path / "plugin"
    manifest = plugin / ".claude-plugin/plugin.json"
    listing = '{"name": "p", "version": "1.0.0", "description": "d", "author": {"name": "a"}, '
    write(manifest, listing + '"agents": ["./agents/one.md"]}\n')
    for name in ("one", "two"):
        write(plugin / f"agents/{name}.md", AGENT.format(name=name, extra=""))
    first = assert_like_uncached(plugin)
    assert [f for f in findings(first) if f[2] == "CC610"] == [("agents/two.md", 1, "CC610")]
    write(manifest, listing + '"agents": ["./agents/two.md"]}\n')
    moved = assert_like_uncached(plugin)
    assert [f for f in findings(moved) if f[2] == "CC610"] == [("agents/one.md", 1, "CC610")]
