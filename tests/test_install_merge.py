"""Updates merge a user's edits (issue 14): pristine copies, three-way merge, conflicts, adopt.

Every test runs the installed CLI on real folders; a "release" is a bundle folder given through
``ML_AGENTS_BUNDLE_DIR``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import test_install
from conftest import RunCli, tree_bytes, write
from test_install import (
    MANIFEST,
    PRISTINE,
    agent_text,
    make_bundle,
    manifest,
    sha,
    snapshot,
)

from ml_agents.install.merge import merge

cli = test_install.cli
project = test_install.project

DS = "agents/data-scientist.md"
MERGED_SIDE = DS + ".ml-agents-merge"
BODY_LINE = "## Role and boundaries\n"


def v2_description(text: str) -> str:
    """A release that changes frontmatter: the description line."""
    lines = text.splitlines(keepends=True)
    assert lines[2].startswith("description: ")
    line = lines[2].rstrip("\n")
    quote = line[-1] if line[-1] in "\"'" else ""  # inside a quoted description, not after it
    lines[2] = line[: len(line) - len(quote)] + " Now with drift checks." + quote + "\n"
    return "".join(lines)


def install(cli: RunCli, bundle: Path, *args: str) -> str:
    result = cli("install", *args, env={"ML_AGENTS_BUNDLE_DIR": str(bundle)})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class Setup(NamedTuple):
    v1: Path
    v2: Path
    edited: Path
    mine: str


def body_edit_after_v1(cli: RunCli, home: Path, tmp_path: Path) -> Setup:
    """v1 installed, the user adds a line to the body of data-scientist.md; v2 (not installed
    yet) changes its description in the frontmatter."""
    v1 = make_bundle(tmp_path / "v1", "1.0.0")
    v2 = make_bundle(tmp_path / "v2", "2.0.0", edits={DS: v2_description})
    install(cli, v1)
    edited = home / ".claude" / DS
    mine = edited.read_text().replace(BODY_LINE, BODY_LINE + "\nAlways use polars.\n", 1)
    edited.write_text(mine)
    return Setup(v1, v2, edited, mine)


def test_a_release_that_changes_frontmatter_merges_into_a_body_edit(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    v1, v2, edited, mine = body_edit_after_v1(cli, home, tmp_path)
    target = home / ".claude"

    before = snapshot(home)
    dry = install(cli, v2, "--dry-run")
    assert f"merge      {DS} (modified by you; this release's changes merged into your file)" in dry
    assert "1 would be merged into your file" in dry
    assert snapshot(home) == before, "a dry run writes nothing"

    out = install(cli, v2)
    assert f"merge      {DS}" in out and "1 merged into your file" in out
    merged = edited.read_text()
    assert "Always use polars." in merged, "the user's edit stays"
    assert "Now with drift checks." in merged.splitlines()[2], "our frontmatter change lands"
    assert merged == v2_description(mine)
    assert not (target / MERGED_SIDE).exists()
    assert not (target / (DS + ".ml-agents-new")).exists()

    shipped_v2 = (v2 / DS).read_bytes()
    recorded = manifest(target)
    assert {f["path"]: f["sha256"] for f in recorded["files"]}[DS] == sha(shipped_v2)
    assert f"{PRISTINE}/{sha(shipped_v2)}" in recorded["pristine"]
    assert f"{PRISTINE}/{sha((v1 / DS).read_bytes())}" not in recorded["pristine"]
    stored = {p.name for p in (target / PRISTINE).iterdir()}
    assert stored == {p.split("/")[1] for p in recorded["pristine"]}, "old copies are removed"

    status = json.loads(cli("status", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(v2)}).stdout)
    files = {f["path"]: f for f in status["scopes"][0]["files"]}
    assert files[DS]["state"] == "modified"
    assert "merges updates into it" in files[DS]["detail"]

    again = install(cli, v2)
    assert "merge      " not in again
    assert "restart Claude Code" not in again, "nothing changed: no restart advice"
    assert edited.read_text() == merged


def test_a_release_that_changes_nothing_leaves_an_edit_alone(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    v1 = make_bundle(tmp_path / "v1", "1.0.0")
    same = make_bundle(tmp_path / "v1.0.1", "1.0.1")
    target = home / ".claude"
    install(cli, v1)
    edited = target / DS
    edited.write_bytes(edited.read_bytes() + b"\nMine.\n")
    before = edited.read_bytes()

    out = install(cli, same)
    assert f"unchanged  {DS} (modified by you; already holds this release's changes)" in out
    assert edited.read_bytes() == before
    assert not list((target / "agents").glob("*.ml-agents-*")), "nothing is written beside it"
    assert "restart Claude Code" not in out


def test_overlapping_edits_leave_the_file_alone_and_put_the_merge_beside_it(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    v1 = make_bundle(tmp_path / "v1", "1.0.0")
    v2 = make_bundle(tmp_path / "v2", "2.0.0", edits={DS: v2_description})
    target = home / ".claude"
    install(cli, v1)
    edited = target / DS
    lines = edited.read_text().splitlines(keepends=True)
    lines[2] = "description: My own description.\n"
    mine = "".join(lines)
    edited.write_text(mine)

    dry = install(cli, v2, "--dry-run")
    assert f"keep       {DS} (modified by you, and 1 of this release's changes overlap" in dry
    assert "1 would be kept with merge conflicts beside" in dry

    out = install(cli, v2)
    assert edited.read_text() == mine, "the user's file is untouched"
    side = (target / MERGED_SIDE).read_text()
    assert "<<<<<<< yours\ndescription: My own description.\n=======\n" in side
    assert ">>>>>>> ml-agents 2.0.0\n" in side
    assert f"written to {MERGED_SIDE}" in out
    assert not MERGED_SIDE.endswith(".md"), "the client never loads it"

    status = cli("status", env={"ML_AGENTS_BUNDLE_DIR": str(v2)})
    assert f"conflict  {MERGED_SIDE} (merge conflict:" in status.stdout
    assert "then delete this file and run `ml-agents install`" in status.stdout

    again = install(cli, v2)
    assert "is already beside it in" in again
    assert (target / MERGED_SIDE).read_text() == side

    # resolving: the user fixes the file and deletes the merge; the release becomes the base
    edited.write_text(mine.replace("My own description.", "Mine, plus drift checks."))
    (target / MERGED_SIDE).unlink()
    resolved = install(cli, v2)
    assert "you resolved the merge" in resolved
    recorded = manifest(target)
    assert {f["path"]: f["sha256"] for f in recorded["files"]}[DS] == sha((v2 / DS).read_bytes())
    assert recorded["side_files"] == []

    # a later release that does not touch the line merges cleanly
    v3 = make_bundle(
        tmp_path / "v3", "3.0.0", edits={DS: lambda t: v2_description(t) + "\nVersion three.\n"}
    )
    later = install(cli, v3)
    assert f"merge      {DS}" in later
    final = edited.read_text()
    assert "Mine, plus drift checks." in final and final.endswith("\nVersion three.\n")


def test_uninstall_removes_the_pristine_store_and_keeps_edits(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    target = home / ".claude"
    install(cli, make_bundle(tmp_path / "v1", "1.0.0"))
    (target / DS).write_bytes(b"mine\n")
    result = cli("uninstall")
    assert result.returncode == 0, result.stderr
    assert tree_bytes(target) == {DS: b"mine\n"}, "pristine copies and their folder are gone"
    assert PRISTINE not in result.stdout, "bookkeeping is shown only with --verbose"


def test_after_uninstall_kept_an_edit_adopt_reinstalls_and_later_updates_merge(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    v1, v2, edited, mine = body_edit_after_v1(cli, home, tmp_path)
    removed = cli("uninstall")
    assert removed.returncode == 0
    assert "a later `ml-agents install --adopt` takes it back" in removed.stdout
    assert edited.read_text() == mine

    blocked = cli("install", env={"ML_AGENTS_BUNDLE_DIR": str(v1)})
    assert blocked.returncode == 1
    assert "--adopt keeps a file at our path" in blocked.stderr
    # every piece of advice works: data-scientist is launched by /ml-integration
    assert "--exclude data-scientist" not in blocked.stderr
    assert "data-scientist cannot be left out" in blocked.stderr
    forced = cli("install", "--force", "--dry-run", env={"ML_AGENTS_BUNDLE_DIR": str(v1)})
    assert forced.returncode == 0

    out = install(cli, v1, "--adopt")
    assert f"adopt      {DS} (your file, kept as your changed copy of ours" in out
    assert edited.read_text() == mine
    status = json.loads(cli("status", "--json", env={"ML_AGENTS_BUNDLE_DIR": str(v1)}).stdout)
    states = {f["path"]: f["state"] for f in status["scopes"][0]["files"]}
    assert states[DS] == "modified"

    update = install(cli, v2)
    assert f"merge      {DS}" in update
    assert edited.read_text() == v2_description(mine)


def test_excluding_a_name_is_advised_only_when_the_selection_allows_it(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    extra = agent_text("extra-helper", "Helps, launched by no command.")
    bundle = make_bundle(tmp_path / "v1", "1.0.0", add={"agents/extra-helper.md": extra})
    env = {"ML_AGENTS_BUNDLE_DIR": str(bundle)}
    target = home / ".claude"
    write(target / "agents" / "extra-helper.md", "my helper\n")
    write(target / DS, "my scientist\n")
    blocked = cli("install", env=env)
    assert blocked.returncode == 1
    assert "--exclude extra-helper leaves it out" in blocked.stderr
    assert "data-scientist cannot be left out" in blocked.stderr
    assert cli("install", "--exclude", "data-scientist", env=env).returncode == 2, "refused"
    chosen = cli("install", "--exclude", "extra-helper", "--adopt", env=env)
    assert chosen.returncode == 0, chosen.stderr
    assert (target / "agents" / "extra-helper.md").read_bytes() == b"my helper\n"
    assert (target / DS).read_bytes() == b"my scientist\n"


def test_plan_output_hides_bookkeeping_unless_verbose(cli: RunCli, home: Path) -> None:
    quiet = cli("install")
    assert quiet.returncode == 0
    assert MANIFEST not in quiet.stdout and "journal" not in quiet.stdout
    assert PRISTINE not in quiet.stdout
    assert "restart Claude Code" in quiet.stdout, "files changed: restart advice"
    cli("uninstall")
    loud = cli("install", "--verbose")
    assert MANIFEST in loud.stdout and ".ml-agents-journal.json" in loud.stdout
    assert PRISTINE in loud.stdout
    unchanged = cli("install")
    assert "restart Claude Code" not in unchanged.stdout


def test_diff_shows_your_changes_and_what_the_next_install_brings(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    _, v2, _, _ = body_edit_after_v1(cli, home, tmp_path)
    env = {"ML_AGENTS_BUNDLE_DIR": str(v2)}
    before = snapshot(home)
    result = cli("diff", "data-scientist", env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"--- {DS} (ml-agents 1.0.0)\n+++ {DS} (yours)\n" in out
    assert "\n+Always use polars.\n" in out
    assert f"+++ {DS} (next install)\n" in out
    assert "Now with drift checks." in out.split("(next install)")[1]
    assert snapshot(home) == before, "diff only reads"

    quiet = cli("diff", "ml-engineer", env=env)
    assert quiet.returncode == 0 and quiet.stdout.startswith("No differences")
    unknown = cli("diff", "nobody", env=env)
    assert unknown.returncode == 2 and "nobody: not installed in" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_a_missing_final_newline_neither_conflicts_nor_glues_a_marker() -> None:
    appended = merge(b"a\nb\nc", b"a\nB\nc", b"a\nb\nc\nd\n", new_version="2.0.0")
    assert appended == (b"a\nB\nc\nd\n", 0), "only the final newline differed: no conflict"
    clean = merge(b"a\nb\nc", b"A\nb\nc", b"a\nb\nC", new_version="2.0.0")
    assert clean == (b"A\nb\nC", 0), "both sides end without a newline: so does the merge"
    clash = merge(b"a\nb", b"a\nB", b"a\nX", new_version="2.0.0")
    assert clash.conflicts == 1
    assert clash.data == b"a\n<<<<<<< yours\nB\n=======\nX\n>>>>>>> ml-agents 2.0.0"


def test_a_pristine_folder_that_leads_outside_the_target_is_refused(
    cli: RunCli, home: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = home / ".claude"
    target.mkdir()
    (target / PRISTINE).symlink_to(outside)
    result = cli("install")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "outside" in line and "symlink" in line
    assert list(outside.iterdir()) == [], "nothing is written through the link"
