"""`ml-agents install / uninstall / status` through the installed CLI, on real temp folders.

Helpers at the top are shared with the other ``test_install_*`` modules.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import AGENT_NAMES, PLUGIN, RunCli, tree_bytes, write

MANIFEST = ".ml-agents-manifest.json"
PRISTINE = ".ml-agents-pristine"
NEXT_STEP = "Next: restart Claude Code (or run /agents)"


def shipped() -> dict[str, bytes]:
    """The bundle as the package ships it: relative install path -> bytes."""
    files = {f"agents/{p.name}": p.read_bytes() for p in sorted((PLUGIN / "agents").glob("*.md"))}
    files.update(
        {f"commands/{p.name}": p.read_bytes() for p in sorted((PLUGIN / "commands").glob("*.md"))}
    )
    files.update(
        {f"workflows/{p.name}": p.read_bytes() for p in sorted((PLUGIN / "workflows").glob("*.js"))}
    )
    return files


def make_bundle(
    dest: Path,
    version: str,
    *,
    edits: Mapping[str, Callable[[str], str]] | None = None,
    drop: tuple[str, ...] = (),
    add: Mapping[str, str] | None = None,
) -> Path:
    """A bundle folder for ``ML_AGENTS_BUNDLE_DIR``: the shipped files, edited."""
    for rel, data in shipped().items():
        if rel in drop:
            continue
        text = data.decode("utf-8")
        if edits and rel in edits:
            text = edits[rel](text)
        write(dest / rel, text)
    for rel, text in (add or {}).items():
        write(dest / rel, text)
    write(dest / "VERSION", version + "\n")
    return dest


def as_older_install(target: Path) -> None:
    """Make ``target`` look installed by a version that kept no pristine copies."""
    shutil.rmtree(target / PRISTINE)
    recorded = manifest(target)
    del recorded["pristine"]
    (target / MANIFEST).write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")


def pristine_paths(datas: Iterable[bytes]) -> set[str]:
    return {f"{PRISTINE}/{sha(data)}" for data in datas}


def agent_text(name: str, description: str = "Someone else's agent.") -> str:
    return f"---\nname: {name}\ndescription: {description}\n---\n\nA user's own agent.\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(target: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    return data


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every entry under ``root`` with its bytes (None for folders) and mtime, to prove that a
    run changed nothing at all."""
    result: dict[str, tuple[bytes | None, int]] = {}
    if not root.exists():
        return result
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        data = path.read_bytes() if path.is_file() else None
        result[rel] = (data, path.lstat().st_mtime_ns)
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository to run in, so the project scope never reaches above the test folder."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    return root


@pytest.fixture
def cli(run_cli: RunCli, project: Path) -> RunCli:
    """``run_cli`` with the working folder inside ``project``."""

    def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        kwargs.setdefault("cwd", project)
        result = run_cli(*args, **kwargs)
        no_traceback(result)
        return result

    return run


# --- install -------------------------------------------------------------------------------


def test_install_into_an_empty_home_writes_the_bundle_and_a_manifest(
    cli: RunCli, home: Path
) -> None:
    result = cli("install")
    assert result.returncode == 0, result.stderr
    target = home / ".claude"
    expected = shipped()
    assert set(expected) >= {f"agents/{n}.md" for n in AGENT_NAMES}
    installed = tree_bytes(target)
    for rel, data in expected.items():
        assert installed[rel] == data, rel
        assert f"create     {rel}" in result.stdout
    pristine = pristine_paths(expected.values())
    assert set(installed) == {*expected, MANIFEST, *pristine}, "nothing else is left behind"
    for path in pristine:
        assert installed[path] in expected.values(), "each pristine copy is a shipped file"
    assert ".ml-agents-pristine" not in result.stdout, "bookkeeping is shown only with -v"
    recorded = manifest(target)
    assert recorded["tool"] == "ml-agents"
    assert recorded["version"]
    assert {f["path"]: f["sha256"] for f in recorded["files"]} == {
        rel: sha(data) for rel, data in expected.items()
    }
    assert recorded["created_dirs"] == [".", "agents", "commands", "workflows"]
    assert not any(p.is_symlink() for p in target.rglob("*")), "copies, never symlinks"
    assert result.stdout.strip().splitlines()[-1].startswith(NEXT_STEP)
    assert "/ml-integration <goal>" in result.stdout


def test_a_second_install_of_the_same_version_changes_nothing(cli: RunCli, home: Path) -> None:
    assert cli("install").returncode == 0
    before = snapshot(home)
    result = cli("install")
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before, "not even a lock file or an mtime may change"
    assert f"{len(shipped())} unchanged." in result.stdout
    assert "create" not in result.stdout and "replace" not in result.stdout


def test_dry_run_writes_nothing_and_prints_the_plan_the_real_run_applies(
    cli: RunCli, home: Path
) -> None:
    dry = cli("install", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert list(home.iterdir()) == [], "a dry run creates nothing, not even ~/.claude"
    planned = json.loads(dry.stdout)
    real = json.loads(cli("install", "--json").stdout)
    strip = [(a["action"], a["path"]) for a in planned["actions"]]
    assert strip == [(a["action"], a["path"]) for a in real["actions"]]
    assert planned["steps"] == real["steps"]
    assert all(a["done"] for a in real["actions"]) and not any(
        a["done"] for a in planned["actions"]
    )
    assert real["result"] == "ok" and real["next_step"].startswith(NEXT_STEP)
    human = cli("install", "--dry-run")
    assert "nothing is written" in human.stdout and "unchanged" in human.stdout


def test_claude_config_dir_is_honoured(cli: RunCli, home: Path, tmp_path: Path) -> None:
    config = tmp_path / "custom config"
    config.mkdir()
    result = cli("install", env={"CLAUDE_CONFIG_DIR": str(config)})
    assert result.returncode == 0, result.stderr
    assert (config / "agents" / "data-scientist.md").is_file()
    assert not (home / ".claude").exists()
    status = json.loads(cli("status", "--json", env={"CLAUDE_CONFIG_DIR": str(config)}).stdout)
    assert status["scopes"][0]["target"] == str(config)
    assert status["scopes"][0]["state"] == "up-to-date"


def test_a_symlinked_dot_claude_is_written_through(cli: RunCli, home: Path, tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "claude"
    real.mkdir(parents=True)
    (home / ".claude").symlink_to(real, target_is_directory=True)
    assert cli("install").returncode == 0
    assert (home / ".claude").is_symlink(), "the link itself is left alone"
    assert (real / "agents" / "data-scientist.md").read_bytes() == shipped()[
        "agents/data-scientist.md"
    ]
    assert json.loads(cli("status", "--json").stdout)["scopes"][0]["files"][0]["state"] == "ok"
    assert cli("uninstall").returncode == 0
    assert (home / ".claude").is_symlink() and real.is_dir(), "not created by us: kept"
    assert list(real.iterdir()) == []


def test_project_scope_is_dot_claude_at_the_git_root(
    cli: RunCli, project: Path, tmp_path: Path
) -> None:
    deep = project / "src" / "pkg"
    deep.mkdir(parents=True)
    assert cli("install", "--scope", "project", cwd=deep).returncode == 0
    assert (project / ".claude" / "commands" / "ml-integration.md").is_file()
    loose = tmp_path / "no-repo"
    loose.mkdir()
    assert cli("install", "--scope", "project", cwd=loose).returncode == 0
    assert (loose / ".claude" / "agents" / "ml-engineer.md").is_file()


def test_target_option_and_scope_are_exclusive(cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "explicit" / ".claude"
    target.parent.mkdir()
    assert cli("install", "--target", str(target)).returncode == 0
    assert (target / "agents" / "data-scientist.md").is_file()
    both = cli("install", "--target", str(target), "--scope", "user")
    assert both.returncode == 2 and "either --scope or --target" in both.stderr
    orphan = cli("install", "--target", str(tmp_path / "missing" / "deeper" / ".claude"))
    assert orphan.returncode == 1 and "does not exist" in orphan.stderr


def test_bundle_text_is_normalised_to_utf8_lf(cli: RunCli, home: Path, tmp_path: Path) -> None:
    crlf = make_bundle(
        tmp_path / "crlf",
        "1.0.0",
        edits={"agents/ml-engineer.md": lambda t: "\ufeff" + t.replace("\n", "\r\n")},
    )
    assert (crlf / "agents" / "ml-engineer.md").read_bytes().startswith(b"\xef\xbb\xbf---\r\n")
    assert cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(crlf)}).returncode == 0
    written = (home / ".claude" / "agents" / "ml-engineer.md").read_bytes()
    assert written == shipped()["agents/ml-engineer.md"]
    assert b"\r" not in written and not written.startswith(b"\xef\xbb\xbf")
    files = {f["path"]: f["sha256"] for f in manifest(home / ".claude")["files"]}
    assert files["agents/ml-engineer.md"] == sha(written)


# --- the scenarios -----------------------------------------------------------------


def test_an_edit_to_a_file_an_older_version_installed_keeps_the_new_one_beside_it(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    v1 = make_bundle(tmp_path / "v1", "1.0.0")
    v2 = make_bundle(
        tmp_path / "v2",
        "2.0.0",
        edits={
            "agents/data-scientist.md": lambda t: t + "\nVersion two.\n",
            "agents/ml-engineer.md": lambda t: t + "\nVersion two.\n",
        },
    )
    target = home / ".claude"
    assert cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v1)}).returncode == 0
    as_older_install(target)
    edited = target / "agents" / "data-scientist.md"
    mine = edited.read_bytes() + b"\nMy own rule: always use polars.\n"
    edited.write_bytes(mine)

    result = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert result.returncode == 0, result.stderr
    assert edited.read_bytes() == mine, "the user's edit survives"
    beside = target / "agents" / "data-scientist.md.ml-agents-new"
    assert beside.read_bytes() == (v2 / "agents" / "data-scientist.md").read_bytes()
    assert not beside.name.endswith(".md"), "the client must not load the new copy"
    assert "keep       agents/data-scientist.md (modified by you; new version written to " in (
        result.stdout
    )
    assert (target / "agents" / "ml-engineer.md").read_bytes() == (
        v2 / "agents" / "ml-engineer.md"
    ).read_bytes(), "an unmodified owned file is updated"
    assert "replace    agents/ml-engineer.md" in result.stdout
    recorded = manifest(target)
    assert recorded["version"] == "2.0.0"
    assert recorded["side_files"] == [
        {
            "path": "agents/data-scientist.md.ml-agents-new",
            "sha256": sha(beside.read_bytes()),
            "beside": "agents/data-scientist.md",
        }
    ]
    again = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert "already beside it" in again.stdout
    assert edited.read_bytes() == mine

    status = json.loads(cli("status", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(v2)}).stdout)
    states = {f["path"]: f["state"] for f in status["scopes"][0]["files"]}
    assert states["agents/data-scientist.md"] == "modified"
    assert states["agents/ml-engineer.md"] == "ok"

    # taking our version over (copying .new onto the file) makes it ours and current again
    edited.write_bytes(beside.read_bytes())
    adopt = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert "remove     agents/data-scientist.md.ml-agents-new" in adopt.stdout
    assert not beside.exists()

    removed = cli("uninstall", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert removed.returncode == 0
    assert not target.exists(), "everything was ours, including ~/.claude itself"


def test_the_users_own_agent_at_our_path_is_a_conflict_and_never_overwritten(
    cli: RunCli, home: Path
) -> None:
    target = home / ".claude"
    theirs = write(target / "agents" / "data-scientist.md", agent_text("data-scientist"))
    write(target / "settings.json", '{"theme": "dark"}\n')
    before = tree_bytes(home)

    result = cli("install")
    assert result.returncode == 1
    assert "conflict   agents/data-scientist.md (not installed by ml-agents)" in result.stdout
    assert "Nothing was written: 1 conflict(s). --adopt keeps" in result.stderr
    assert "--force moves it to a backup" in result.stderr
    assert tree_bytes(home) == before, "nothing at all is written while a conflict remains"
    assert not (target / MANIFEST).exists()
    assert json.loads(cli("install", "--json").stdout)["result"] == "blocked"

    forced = cli("install", "--force")
    assert forced.returncode == 0, forced.stderr
    backups = list((target / "agents").glob("data-scientist.md.ml-agents-backup-*"))
    assert len(backups) == 1
    assert re.fullmatch(r"data-scientist\.md\.ml-agents-backup-\d{8}T\d{6}Z", backups[0].name)
    assert backups[0].read_bytes() == before[".claude/agents/data-scientist.md"]
    assert theirs.read_bytes() == shipped()["agents/data-scientist.md"]
    assert f"moved to agents/{backups[0].name}" in forced.stdout
    assert manifest(target)["backups"] == [f"agents/{backups[0].name}"]

    assert cli("uninstall").returncode == 0
    assert backups[0].read_bytes() == before[".claude/agents/data-scientist.md"], "backups stay"
    assert (target / "settings.json").read_bytes() == b'{"theme": "dark"}\n'


def test_our_name_in_another_file_of_the_same_folder_is_a_conflict(cli: RunCli, home: Path) -> None:
    target = home / ".claude"
    write(target / "agents" / "team" / "ds.md", agent_text("data-scientist"))
    before = tree_bytes(home)
    result = cli("install")
    assert result.returncode == 1
    assert "conflict   agents/team/ds.md (defines `data-scientist` too" in result.stdout
    assert tree_bytes(home) == before
    prefixed = cli("install", "--prefix", "ml-")
    assert prefixed.returncode == 0, prefixed.stderr
    assert (target / "agents" / "ml-data-scientist.md").is_file()
    assert tree_bytes(target)["agents/team/ds.md"] == before[".claude/agents/team/ds.md"]


def test_a_project_agent_shadowing_a_user_install_is_explained(
    cli: RunCli, home: Path, project: Path
) -> None:
    write(project / ".claude" / "agents" / "mine.md", agent_text("data-scientist"))
    result = cli("install", "--json")
    assert result.returncode == 0, result.stdout
    clashes = json.loads(result.stdout)["clashes"]
    assert [(c["name"], c["winner"], c["other_scope"]) for c in clashes] == [
        ("data-scientist", "theirs", "project")
    ]
    assert "project scope beats user scope" in clashes[0]["explanation"]
    assert str(project) in clashes[0]["explanation"]
    human = cli("install")
    assert "Name clashes:" in human.stdout and "--prefix" in human.stdout


def test_a_project_install_shadows_a_user_agent_and_says_so(cli: RunCli, home: Path) -> None:
    write(home / ".claude" / "agents" / "ds.md", agent_text("data-scientist"))
    result = cli("install", "--scope", "project", "--json")
    assert result.returncode == 0, result.stdout
    (clash,) = json.loads(result.stdout)["clashes"]
    assert clash["winner"] == "ours" and clash["other_scope"] == "user"
    assert "ours shadows" in clash["explanation"]


def test_a_plugin_agent_with_our_name_is_explained(cli: RunCli, home: Path) -> None:
    plugin = home / ".claude" / "plugins" / "cache" / "market" / "other" / "1.0.0"
    write(plugin / ".claude-plugin" / "plugin.json", '{"name": "other-collection"}')
    write(plugin / "agents" / "data-scientist.md", agent_text("data-scientist"))
    unnamed = home / ".claude" / "plugins" / "cache" / "market" / "loose" / "2.0.1"
    write(unnamed / "agents" / "roles" / "ml-engineer.md", agent_text("ml-engineer"))
    result = cli("install", "--json")
    assert result.returncode == 0, result.stdout
    by_name = {c["name"]: c for c in json.loads(result.stdout)["clashes"]}
    assert set(by_name) == {"data-scientist", "ml-engineer"}
    clash = by_name["data-scientist"]
    assert clash["winner"] == "both" and clash["other_scope"] == "plugin"
    assert "`other-collection:data-scientist`" in clash["explanation"]
    assert "ask you which to use" in clash["explanation"]
    assert "`loose:roles:ml-engineer`" in by_name["ml-engineer"]["explanation"]


def test_prefix_renames_agents_and_every_reference(cli: RunCli, home: Path) -> None:
    result = cli("install", "--prefix", "ml-")
    assert result.returncode == 0, result.stderr
    target = home / ".claude"
    names = [p.stem for p in (PLUGIN / "agents").glob("*.md")]
    for name in names:
        text = (target / "agents" / f"ml-{name}.md").read_text(encoding="utf-8")
        assert f"\nname: ml-{name}\n" in text
        assert not (target / "agents" / f"{name}.md").exists()
    command = (target / "commands" / "ml-integration.md").read_text(encoding="utf-8")
    body = (target / "agents" / "ml-data-scientist.md").read_text(encoding="utf-8")
    for name in names:
        assert f"`{name}`" not in command, name
        assert f"`ml-{name}`" in command, name
        assert f"`{name}`" not in body
    assert "`ml-ml-engineer`" in body
    assert manifest(target)["prefix"] == "ml-"

    same = cli("install")
    unchanged = f"{len(shipped())} unchanged."
    assert same.returncode == 0 and unchanged in same.stdout, "the prefix is remembered"
    status = json.loads(cli("status", "--json").stdout)["scopes"][0]
    assert status["prefix"] == "ml-" and {f["state"] for f in status["files"]} == {"ok"}

    back = cli("install", "--prefix", "")
    assert back.returncode == 0
    assert (target / "agents" / "data-scientist.md").is_file()
    assert sorted(p.name for p in (target / "agents").iterdir()) == sorted(
        f"{name}.md" for name in names
    )
    assert "remove     agents/ml-data-scientist.md" in back.stdout


@pytest.mark.parametrize("prefix", ["ml/", "ML-", "a:b-", "../", "-x", "x--"])
def test_a_bad_prefix_is_a_usage_error(cli: RunCli, home: Path, prefix: str) -> None:
    result = cli("install", "--prefix", prefix)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: --prefix {prefix!r}")
    assert list(home.iterdir()) == []


def test_only_and_exclude_select_agents_but_never_a_command_without_its_agents(
    cli: RunCli, home: Path
) -> None:
    target = home / ".claude"
    alone = cli("install", "--exclude", "data-scientist")
    assert alone.returncode == 2
    assert "/ml-integration launches data-scientist" in alone.stderr
    assert "--exclude ml-integration" in alone.stderr
    assert list(home.iterdir()) == []

    unknown = cli("install", "--only", "no-such-agent")
    assert unknown.returncode == 2 and "not in this bundle" in unknown.stderr
    separator = cli("install", "--only", "agents/data-scientist")
    assert separator.returncode == 2 and "path separators" in separator.stderr

    one = cli("install", "--only", "data-scientist,ml-engineer")
    assert one.returncode == 0, one.stderr
    assert sorted(p.name for p in (target / "agents").iterdir()) == [
        "data-scientist.md",
        "ml-engineer.md",
    ]
    assert not (target / "commands").exists()
    assert "Next: restart Claude Code (or run /agents) so it loads the new agents." in one.stdout

    nine = cli("install", "--exclude", "data-scientist", "--exclude", "/ml-integration")
    assert nine.returncode == 0
    assert len(list((target / "agents").glob("*.md"))) == len(AGENT_NAMES) - 1
    assert "remove     agents/data-scientist.md" in nine.stdout, "the selection is the new state"


def test_an_invalid_bundle_is_never_installed(cli: RunCli, home: Path, tmp_path: Path) -> None:
    broken = make_bundle(
        tmp_path / "broken",
        "9.9.9",
        edits={"agents/ml-engineer.md": lambda t: t.replace("---\n", "", 1)},
    )
    result = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(broken)})
    assert result.returncode == 1
    assert "ml-engineer.md" in result.stderr
    assert list(home.iterdir()) == []
    dry = cli("install", "--dry-run", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(broken)})
    assert dry.returncode == 1 and json.loads(dry.stdout)["result"] == "invalid-bundle"

    renamed = make_bundle(
        tmp_path / "renamed",
        "9.9.9",
        edits={"agents/ml-engineer.md": lambda t: t.replace("name: ml-engineer", "name: ../x")},
    )
    result = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(renamed)})
    assert result.returncode == 1 and "differs from the file name" in result.stderr
    assert list(home.iterdir()) == []


def test_a_symlink_leading_outside_the_target_is_refused(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (home / ".claude").mkdir()
    (home / ".claude" / "agents").symlink_to(outside, target_is_directory=True)
    result = cli("install")
    assert result.returncode == 1
    assert "outside" in result.stderr and "symlink" in result.stderr
    assert list(outside.iterdir()) == []
    assert not (home / ".claude" / "commands").exists()


def test_a_file_where_a_folder_belongs_fails_clearly(cli: RunCli, home: Path) -> None:
    write(home / ".claude" / "agents", "not a folder")
    result = cli("install")
    assert result.returncode == 1
    assert "is not a folder" in result.stderr
    assert not (home / ".claude" / "commands").exists()


def test_an_owned_file_that_is_deleted_is_restored_and_a_dropped_one_removed(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    v1 = make_bundle(tmp_path / "v1", "1.0.0")
    v2 = make_bundle(
        tmp_path / "v2",
        "1.1.0",
        drop=("agents/cloud-architect.md",),
        edits={"commands/ml-integration.md": lambda t: t.replace("`cloud-architect`", "it")},
    )
    target = home / ".claude"
    assert cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v1)}).returncode == 0
    (target / "agents" / "ml-engineer.md").unlink()
    result = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert result.returncode == 0, result.stderr
    assert (target / "agents" / "ml-engineer.md").is_file()
    assert not (target / "agents" / "cloud-architect.md").exists(), "no stale copies"
    assert "remove     agents/cloud-architect.md (no longer part of this install)" in result.stdout


# --- uninstall -----------------------------------------------------------------------------


def test_uninstall_removes_only_what_it_owns(cli: RunCli, home: Path) -> None:
    target = home / ".claude"
    assert cli("install").returncode == 0
    mine = write(target / "agents" / "my-helper.md", agent_text("my-helper"))
    edited = target / "agents" / "ml-engineer.md"
    edited.write_bytes(edited.read_bytes() + b"\nmine\n")
    kept_bytes = edited.read_bytes()
    result = cli("uninstall")
    assert result.returncode == 0, result.stderr
    assert sorted(tree_bytes(target)) == ["agents/ml-engineer.md", "agents/my-helper.md"]
    assert edited.read_bytes() == kept_bytes and mine.read_text(encoding="utf-8")
    assert "keep       agents/ml-engineer.md (modified by you" in result.stdout
    assert "rmdir      commands/" in result.stdout
    assert "keep       agents/ (still holds" in result.stdout
    assert not (target / MANIFEST).exists()
    again = cli("uninstall")
    assert again.returncode == 0 and "Nothing to uninstall" in again.stdout


def test_uninstall_force_moves_modified_files_to_a_backup(cli: RunCli, home: Path) -> None:
    target = home / ".claude"
    assert cli("install").returncode == 0
    edited = target / "agents" / "ml-engineer.md"
    edited.write_bytes(b"my rewrite\n")
    dry = cli("uninstall", "--force", "--dry-run")
    assert "backup     agents/ml-engineer.md" in dry.stdout and edited.exists()
    result = cli("uninstall", "--force")
    assert result.returncode == 0, result.stderr
    (backup,) = (target / "agents").iterdir()
    assert backup.name.startswith("ml-engineer.md.ml-agents-backup-")
    assert backup.read_bytes() == b"my rewrite\n"


def test_uninstall_of_an_install_into_a_fresh_home_leaves_it_empty(cli: RunCli, home: Path) -> None:
    assert cli("install").returncode == 0
    result = cli("uninstall", "--json")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["result"] == "ok"
    assert list(home.iterdir()) == []


def test_a_damaged_or_hostile_manifest_is_refused_clearly(cli: RunCli, home: Path) -> None:
    target = home / ".claude"
    write(target / MANIFEST, "{not json")
    result = cli("install")
    assert result.returncode == 1 and "is damaged" in result.stderr
    hostile = {
        "tool": "ml-agents",
        "format": 1,
        "version": "0.0.1",
        "files": [{"path": "../../etc/passwd", "sha256": "0" * 64}],
    }
    write(target / MANIFEST, json.dumps(hostile))
    for verb in ("install", "uninstall"):
        refused = cli(verb)
        assert refused.returncode == 1 and "unsafe path" in refused.stderr, verb


# --- status --------------------------------------------------------------------------------


def test_status_reports_versions_file_states_and_context_cost(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    v1 = make_bundle(tmp_path / "v1", "1.0.0")
    v2 = make_bundle(
        tmp_path / "v2",
        "1.2.0",
        edits={"agents/devops-engineer.md": lambda t: t + "\nnew\n"},
    )
    target = home / ".claude"
    assert cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v1)}).returncode == 0
    (target / "agents" / "ml-engineer.md").unlink()
    edited = target / "agents" / "data-scientist.md"
    edited.write_bytes(edited.read_bytes() + b"x")

    result = cli("status", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["package_version"] == "1.2.0"
    user = document["scopes"][0]
    assert (user["scope"], user["installed_version"], user["state"]) == (
        "user",
        "1.0.0",
        "outdated",
    )
    states = {f["path"]: f["state"] for f in user["files"]}
    assert states["agents/ml-engineer.md"] == "missing"
    assert states["agents/data-scientist.md"] == "modified"
    assert states["agents/devops-engineer.md"] == "outdated"
    assert states["commands/ml-integration.md"] == "ok"
    assert document["scopes"][1]["scope"] == "project"
    assert document["scopes"][1]["installed_version"] is None

    from ml_agents.frontmatter import parse

    def description(path: Path) -> str:
        fm = parse(path.read_text(encoding="utf-8")).frontmatter
        assert fm is not None
        return str(fm.fields["description"])

    present = [p for p in (target / "agents").glob("*.md")]
    agent_chars = sum(len(description(p)) for p in present)
    command_chars = len(description(target / "commands" / "ml-integration.md"))
    cost = user["context_cost"]
    assert cost["agent_characters"] == agent_chars
    assert cost["command_characters"] == command_chars
    assert cost["tokens_estimate"] == math.ceil((agent_chars + command_chars) / 4)

    human = cli("status", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert "installed 1.0.0: older than this package (1.2.0)" in human.stdout
    assert "missing   agents/ml-engineer.md" in human.stdout
    assert f"{agent_chars + command_chars:,} characters" in human.stdout
    assert "estimate" in human.stdout


def test_status_shows_shadowing_and_duplicate_names(cli: RunCli, home: Path, project: Path) -> None:
    assert cli("install").returncode == 0
    write(project / ".claude" / "agents" / "ds.md", agent_text("data-scientist"))
    write(home / ".claude" / "agents" / "x" / "helper.md", agent_text("helper"))
    write(project / ".claude" / "agents" / "helper.md", agent_text("helper"))
    document = json.loads(cli("status", "--json").stdout)
    (clash,) = document["scopes"][0]["clashes"]
    assert (clash["name"], clash["winner"]) == ("data-scientist", "theirs")
    assert set(document["duplicates"]) == {"data-scientist", "helper"}
    human = cli("status")
    assert "shadows ours" in human.stdout
    assert "defined more than once" in human.stdout


def test_status_without_any_install(cli: RunCli, home: Path) -> None:
    result = cli("status")
    assert result.returncode == 0
    assert result.stdout.count("not installed") == 2
    assert list(home.iterdir()) == [], "status never writes"


# --- light start-up --------------------------------------------------------------------------


def test_install_help_does_not_import_yaml_or_jsonschema(cli_env: dict[str, str]) -> None:
    code = (
        "import sys\n"
        "from ml_agents.cli import main\n"
        "rc = main(['install', '--help'])\n"
        "heavy = [m for m in ('yaml', 'jsonschema', 'ml_agents.install.run') if m in sys.modules]\n"
        "print(rc, heavy)\n"
    )
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr
    assert "--dry-run" in result.stdout and "--prefix" in result.stdout


def test_every_path_touched_is_printed_with_verbose(cli: RunCli, home: Path) -> None:
    result = cli("install", "--verbose")
    printed = {line.split()[1].rstrip("/") for line in result.stdout.splitlines()[1:] if line[:1]}
    written = {str(p.relative_to(home / ".claude")) for p in (home / ".claude").rglob("*")}
    assert written <= printed
    assert (home / ".claude" / MANIFEST).exists()


def test_uninstall_removes_the_new_copies_it_wrote_and_keeps_the_edit(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    v1 = make_bundle(tmp_path / "v1", "1.0.0")
    v2 = make_bundle(
        tmp_path / "v2", "2.0.0", edits={"agents/ml-engineer.md": lambda t: t + "\nv2\n"}
    )
    target = home / ".claude"
    assert cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v1)}).returncode == 0
    edited = target / "agents" / "ml-engineer.md"
    as_older_install(target)
    edited.write_bytes(b"mine\n")
    assert cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v2)}).returncode == 0
    assert (target / "agents" / "ml-engineer.md.ml-agents-new").is_file()
    result = cli("uninstall")
    assert result.returncode == 0, result.stderr
    assert "remove     agents/ml-engineer.md.ml-agents-new" in result.stdout
    assert tree_bytes(target) == {"agents/ml-engineer.md": b"mine\n"}


def test_a_bad_fault_spec_is_a_usage_error(cli: RunCli, home: Path) -> None:
    result = cli("install", env={"ML_AGENTS_FAULT": "explode:x"})
    assert result.returncode == 2 and "ML_AGENTS_FAULT" in result.stderr
    assert list(home.iterdir()) == []


def test_a_bundle_with_lint_errors_is_never_installed(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    bad_tools = make_bundle(
        tmp_path / "bad-tools",
        "9.9.9",
        edits={"agents/ml-engineer.md": lambda t: re.sub(r"(?m)^tools: .*$", "tools: read", t)},
    )
    result = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(bad_tools)})
    assert result.returncode == 1
    # an agent whose only tool is unknown is refused by the client: one CC232 naming it
    assert re.search(r"ml-engineer\.md:\d+:\d+: error CC232 .*\[read\]", result.stderr)
    assert "lint error(s); nothing was installed" in result.stderr
    assert list(home.iterdir()) == []
    document = json.loads(
        cli("install", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(bad_tools)}).stdout
    )
    assert document["result"] == "invalid-bundle"
    assert any(f["severity"] == "error" for f in document["lint"])
