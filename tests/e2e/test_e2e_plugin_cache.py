"""What the client copies when the plugin is installed from this repository's marketplace.

``claude plugin install`` copies the folder a marketplace entry names into
``~/.claude/plugins/cache/<marketplace>/<plugin>/<version>/`` (everything but ``.git``). The entry
names ``./plugins/ml-agents``, so the copy holds the plugin and none of the package's sources,
tests or documentation. The negative control points the entry at ``./`` (the layout before) and
shows the check catches the whole tree being copied.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import PLUGIN, REPO  # tests/conftest.py

from .client import ClientInstall, claude_cli

pytestmark = pytest.mark.e2e

# Beside the marketplace and the plugin, what a clone of the repository holds: the cache must
# not get any of it.
REPOSITORY_PARTS = (".claude-plugin", "plugins", "src", "tests", "schemas", "README.md")


def install_from_marketplace(client: ClientInstall, root: Path, source: str | None) -> Path:
    """A repository-shaped marketplace in ``root``; install the plugin; return its cached copy."""
    repository = root / "repository"
    for name in REPOSITORY_PARTS:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, repository / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, repository / name)
    if source is not None:
        manifest = repository / ".claude-plugin" / "marketplace.json"
        document = json.loads(manifest.read_text(encoding="utf-8"))
        document["plugins"][0]["source"] = source
        manifest.write_text(json.dumps(document), encoding="utf-8")
    home = root / "home"
    home.mkdir()
    for args in (
        ("plugin", "marketplace", "add", str(repository)),
        ("plugin", "install", "ml-agents@ml-agents"),
    ):
        done = claude_cli(client, home, *args)
        assert done.returncode == 0, done.stdout + done.stderr
    versions = list((home / ".claude" / "plugins" / "cache" / "ml-agents" / "ml-agents").iterdir())
    assert len(versions) == 1, versions
    return versions[0]


def files_under(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_the_cached_copy_is_the_plugin_and_nothing_else(
    client: ClientInstall, tmp_path: Path
) -> None:
    cached = install_from_marketplace(client, tmp_path, source=None)
    assert files_under(cached) == files_under(PLUGIN)
    for path in files_under(PLUGIN):
        assert (cached / path).read_bytes() == (PLUGIN / path).read_bytes(), path


def test_negative_control_a_root_source_copies_the_whole_repository(
    client: ClientInstall, tmp_path: Path
) -> None:
    cached = install_from_marketplace(client, tmp_path, source="./")
    copied = files_under(cached)
    assert copied != files_under(PLUGIN)
    assert any(path.startswith("src/") for path in copied), sorted(copied)[:20]
