"""A warm run replays the stored report (lint/replay.py), only while nothing it rests on changed.

Every run is ``ml_agents.cli.main`` in a fresh interpreter. The driver counts calls to
``engine.lint``: a replayed run never makes one. Each case starts from a tree whose files have
settled (``cache.SETTLED_NS``), stores a report, checks that the next run replays it, makes one
change, and then demands exactly the output of ``--no-cache``: a stored report must never hide
or invent a finding.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, run_python, write

from ml_agents.lint import cache as result_cache
from ml_agents.lint import contract

AGENT = "---\nname: {name}\ndescription: Reviews a diff for bugs.\n{extra}---\nYou review.\n"
COMMAND = '---\ndescription: Go.\n---\nUse subagent_type: "a0", then subagent_type: "a1".\n'
MANIFEST = '{"name": "p", "version": "1.0.0", "description": "d", "author": {"name": "a"}%s}\n'
DRIVER = """
import sys
from ml_agents.lint import engine
calls = []
real = engine.lint
def counted(*args, **kwargs):
    calls.append(1)
    return real(*args, **kwargs)
engine.lint = counted
from ml_agents.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
heavy = sorted(m for m in ("click", "yaml", "jsonschema") if m in sys.modules)
sys.stderr.write(f"\\nENGINE={len(calls)} HEAVY={','.join(heavy)}\\n")
raise SystemExit(code)
"""


class Run:
    def __init__(self, done: subprocess.CompletedProcess[str]) -> None:
        self.stdout = done.stdout
        self.returncode = done.returncode
        tail = [line for line in done.stderr.splitlines() if line.startswith("ENGINE=")]
        assert tail, done.stderr
        engine, heavy = tail[-1].split()
        self.replayed = engine == "ENGINE=0"
        self.heavy = [m for m in heavy.removeprefix("HEAVY=").split(",") if m]


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    return Run(run_python(DRIVER, ["lint", *args], cwd, env))


def codes(report: str) -> list[tuple[str, str]]:
    return sorted((f["path"], f["code"]) for f in json.loads(report)["findings"])


def like_uncached(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    cached = run(cwd, *args, env=env)
    fresh = run(cwd, "--no-cache", *args, env=env)
    assert (cached.stdout, cached.returncode) == (fresh.stdout, fresh.returncode)
    return cached


def same_size_edit(path: Path, old: str, new: str) -> None:
    """Rewrite ``path`` with ``old`` replaced, keeping its size and modification time: only the
    change time tells."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def make_tree(root: Path) -> None:
    (root / ".git").mkdir(parents=True)
    for index in range(3):
        extra = "color: teal\n" if index == 0 else ""  # not a colour the client knows
        write(root / f".claude/agents/a{index}.md", AGENT.format(name=f"a{index}", extra=extra))
    write(root / ".claude/commands/go.md", COMMAND)
    later = '---\ndescription: Later.\n---\nUse subagent_type: "a7" once it exists.\n'
    write(root / ".claude/commands/later.md", later)
    plugin = root / "plug"
    write(plugin / ".claude-plugin/plugin.json", MANIFEST % ', "agents": ["./agents/one.md"]')
    for name in ("one", "two"):
        write(plugin / f"agents/{name}.md", AGENT.format(name=name, extra=""))
    write(plugin / "commands/use.md", "---\ndescription: Use.\n---\nRun subagent_type: p:one.\n")
    write(root / ".claude/agents/README.md", "# Our agents\n\nDocumentation, not an agent.\n")
    write(root / ".claude/agents/team/t1.md", AGENT.format(name="t1", extra=""))
    write(root / "shared/one.md", AGENT.format(name="s1", extra=""))
    write(root / "shared/two.md", AGENT.format(name="a0", extra=""))
    (root / ".claude/agents/linked.md").symlink_to("../../shared/one.md")
    write(root / ".claude/commands/ops/deploy.md", "---\ndescription: Deploy.\n---\nGo.\n")
    write(root / "elsewhere", "a file for now\n")
    (root / ".claude/commands/more").symlink_to("../../elsewhere")


def edit_agent(root: Path) -> None:
    same_size_edit(root / ".claude/agents/a1.md", "name: a1", "name: a0")  # a clash


def rename_neighbour(root: Path) -> None:
    # linted as `lint .claude/commands`: the agents are neighbours, read but not linted
    same_size_edit(root / ".claude/agents/a0.md", "name: a0", "name: b0")


def add_neighbour(root: Path) -> None:
    # linted as `lint .claude/commands`: only the agents folder's own listing tells
    write(root / ".claude/agents/a7.md", AGENT.format(name="a7", extra=""))


def add_duplicate(root: Path) -> None:
    write(root / ".claude/agents/copy.md", AGENT.format(name="a2", extra=""))


def remove_agent(root: Path) -> None:
    (root / ".claude/agents/a1.md").unlink()


def list_the_other_plugin_agent(root: Path) -> None:
    manifest = root / "plug/.claude-plugin/plugin.json"
    same_size_edit(manifest, "./agents/one.md", "./agents/two.md")


def readme_becomes_an_agent(root: Path) -> None:
    write(root / ".claude/agents/README.md", AGENT.format(name="a0", extra=""))


def add_to_a_subfolder(root: Path) -> None:
    # only team/ changes: discovery's answer for .claude/agents/ itself stays the same
    write(root / ".claude/agents/team/t2.md", AGENT.format(name="t1", extra=""))


def repoint_a_symlink(root: Path) -> None:
    link = root / ".claude/agents/linked.md"
    link.unlink()
    link.symlink_to("../../shared/two.md")


def change_a_symlinked_file(root: Path) -> None:
    same_size_edit(root / "shared/one.md", "name: s1", "name: a1")


def add_a_command_to_a_subfolder(root: Path) -> None:
    # nothing but ops/'s own listing tells: no cross-file check lists a commands folder
    write(root / ".claude/commands/ops/bad.md", "---\ndescription: Bad.\nmodel: gpt-4\n---\nGo.\n")


def turn_a_linked_file_into_a_folder(root: Path) -> None:
    # .claude/commands/more points at a file, then at a folder of commands: only the link's own
    # answer tells, since the folder holding the link is untouched
    (root / "elsewhere").unlink()
    write(root / "elsewhere/bad.md", "---\ndescription: Bad.\nmodel: gpt-4\n---\nGo.\n")


def configure(root: Path) -> None:
    write(root / ".ml-agents.toml", 'ignore = ["CC610"]\n')


def add_root_plugin_folder(root: Path) -> None:
    # `lint` with no path looks at agents/ beside .claude/: a folder that appears is walked
    write(root / "agents/extra.md", AGENT.format(name="extra", extra="color: teal\n"))


def make_plugin_a_plain_folder(root: Path) -> None:
    (root / "plug/.claude-plugin/plugin.json").unlink()
    (root / "plug/.claude-plugin").rmdir()


BOTH = (".claude", "plug")
CHANGES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "an agent's bytes": (edit_agent, BOTH),
    "a neighbour agent's name": (rename_neighbour, (".claude/commands",)),
    "a new neighbour agent": (add_neighbour, (".claude/commands",)),
    "a new file": (add_duplicate, BOTH),
    "a removed file": (remove_agent, BOTH),
    "plugin.json's listing": (list_the_other_plugin_agent, BOTH),
    "a configuration file": (configure, BOTH),
    "a README that becomes an agent": (readme_becomes_an_agent, BOTH),
    "a file in a subfolder": (add_to_a_subfolder, BOTH),
    "a command in a subfolder": (add_a_command_to_a_subfolder, BOTH),
    "a linked file that becomes a folder": (turn_a_linked_file_into_a_folder, BOTH),
    "a symlink pointed elsewhere": (repoint_a_symlink, BOTH),
    "the file behind a symlink": (change_a_symlinked_file, BOTH),
    "nothing named, a new plugin layout": (add_root_plugin_folder, ()),
    "a plugin folder's manifest": (make_plugin_a_plain_folder, ("plug/agents",)),
}


@pytest.fixture(scope="module")
def settled_trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One tree per case, made at once and left alone until every file has settled."""
    base = tmp_path_factory.mktemp("replay")
    trees = {}
    for index, case in enumerate(
        [*CHANGES, "schema", "version", "options", "imports", "racy", "damaged"]
    ):
        trees[case] = base / f"tree{index}"
        make_tree(trees[case])
    time.sleep(result_cache.SETTLED_NS / 1e9 + 0.3)
    return trees


def stored_then_replayed(root: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    first = like_uncached(root, "--format", "json", *args, env=env)
    assert not first.replayed
    again = run(root, "--format", "json", *args, env=env)
    assert again.replayed, "a settled, unchanged tree must be replayed"
    assert (again.stdout, again.returncode) == (first.stdout, first.returncode)
    return first


@pytest.mark.parametrize("case", list(CHANGES))
def test_a_change_is_never_hidden_by_the_stored_report(
    settled_trees: dict[str, Path], case: str
) -> None:
    root = settled_trees[case]
    change, args = CHANGES[case]
    before = stored_then_replayed(root, *args)
    change(root)
    after = like_uncached(root, "--format", "json", *args)
    assert not after.replayed
    assert codes(after.stdout) != codes(before.stdout), "the case must change the findings"


def test_a_replayed_run_imports_neither_click_nor_yaml_nor_jsonschema(
    settled_trees: dict[str, Path],
) -> None:
    root = settled_trees["imports"]
    stored_then_replayed(root)
    replayed = run(root, "--format", "json")
    assert replayed.replayed
    assert replayed.heavy == []


def test_options_that_shape_the_report_have_reports_of_their_own(
    settled_trees: dict[str, Path],
) -> None:
    root = settled_trees["options"]
    json_report = stored_then_replayed(root)
    for options in (("--format", "text"), ("--show-info",), ("--ignore", "CC610")):
        plain = like_uncached(root, *options)
        assert plain.stdout != json_report.stdout
        again = run(root, *options)
        assert again.replayed and again.stdout == plain.stdout
    assert run(root, "--format", "json").stdout == json_report.stdout


def test_an_edited_schema_is_not_replayed(settled_trees: dict[str, Path], tmp_path: Path) -> None:
    """The schemas are the contract: adding a colour to a copy of them, and nothing else, must
    make the stored report stale (a0 is teal, which the shipped schema does not allow)."""
    root = settled_trees["schema"]
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    env = {contract.SCHEMA_DIR_ENV: str(schemas)}
    before = stored_then_replayed(root, env=env)
    assert (".claude/agents/a0.md", "CC211") in codes(before.stdout)
    agent_schema = schemas / "agent.schema.json"
    document = json.loads(agent_schema.read_text(encoding="utf-8"))
    document["properties"]["color"]["enum"].append("teal")
    agent_schema.write_text(json.dumps(document), encoding="utf-8")
    after = like_uncached(root, "--format", "json", env=env)
    assert not after.replayed
    assert (".claude/agents/a0.md", "CC211") not in codes(after.stdout)


def test_another_linter_version_is_not_replayed(
    settled_trees: dict[str, Path], tmp_path: Path
) -> None:
    root = settled_trees["version"]
    stored_then_replayed(root)
    package = tmp_path / "checkout/src"
    shutil.copytree(REPO / "src", package, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("plugins", "schemas"):
        shutil.copytree(REPO / folder, package.parent / folder)
    init = package / "ml_agents/__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace('= "', '= "99.'), encoding="utf-8")
    other = like_uncached(root, "--format", "json", env={"PYTHONPATH": str(package)})
    assert not other.replayed
    # the report names the linter that made it: a replay of the old one would say 0.x
    assert json.loads(other.stdout)["tool"]["version"].startswith("99."), other.stdout


def test_files_written_just_now_are_not_stored(settled_trees: dict[str, Path]) -> None:
    """A file that changed within the settling time may change again unseen (same size, same
    mtime, same ctime tick): no report is stored until it has settled."""
    root = settled_trees["racy"]
    edit_agent(root)
    like_uncached(root, "--format", "json")
    assert not run(root, "--format", "json").replayed
    assert not list((root / result_cache.FOLDER_NAME).glob("report-*.json"))


def test_only_the_most_recent_reports_and_caches_are_kept(tmp_path: Path) -> None:
    """Each set of options stores a report of its own, each configuration a cache file: the
    folder keeps the newest ``KEPT`` of each and leaves every other file alone."""
    from ml_agents.lint import replay

    for index in range(replay.KEPT + 5):
        path = write(tmp_path / f"report-{index:02}.json", "{}")
        os.utime(path, ns=(index * 10**9, index * 10**9))
    write(tmp_path / "lint-old.json", "{}")
    write(tmp_path / "CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n")
    result_cache.prune(tmp_path, "report-", replay.KEPT)
    reports = sorted(p.name for p in tmp_path.glob("report-*.json"))
    assert reports == [f"report-{i:02}.json" for i in range(5, replay.KEPT + 5)]
    assert (tmp_path / "lint-old.json").exists() and (tmp_path / "CACHEDIR.TAG").exists()


def test_a_damaged_stored_report_is_ignored(settled_trees: dict[str, Path]) -> None:
    root = settled_trees["damaged"]
    first = stored_then_replayed(root)
    (report,) = (root / result_cache.FOLDER_NAME).glob("report-*.json")
    body = report.read_bytes()
    for damaged in (body[: len(body) // 2], b"", body.replace(b'"exit"', b'"exif"')):
        report.write_bytes(damaged)
        again = run(root, "--format", "json")
        assert not again.replayed
        assert (again.stdout, again.returncode) == (first.stdout, first.returncode)
