"""The wheel and sdist carry the bundle byte for byte, and an installed wheel finds it."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import PLUGIN, REPO

from ml_agents.bundle import BUNDLE_KINDS as BUNDLE_DIRS


def bundle_sources() -> dict[str, Path]:
    """Each bundle file by its name in the wheel (``agents/x.md``), with its source in the
    checkout: the plugin's folders under plugins/ml-agents/, the schemas at the root."""
    files = {
        f"{kind}/{path.relative_to(folder).as_posix()}": path
        for kind in BUNDLE_DIRS
        for folder in [REPO / "schemas" if kind == "schemas" else PLUGIN / kind]
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    for kind in BUNDLE_DIRS:
        assert any(name.startswith(f"{kind}/") for name in files), f"no {kind} to check"
    return files


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def test_wheel_holds_every_bundle_file_byte_for_byte(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packaged = {
            name.removeprefix("ml_agents/_bundle/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("ml_agents/_bundle/") and not name.endswith("/")
        }
        names = set(archive.namelist())
    assert packaged == {name: path.read_bytes() for name, path in bundle_sources().items()}
    assert "ml_agents/py.typed" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_sdist_holds_the_sources_of_the_bundle(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = {
            m.name.split("/", 1)[1]: archive.extractfile(m).read()  # type: ignore[union-attr]
            for m in archive.getmembers()
            if m.isfile()
        }
    for path in bundle_sources().values():
        name = path.relative_to(REPO).as_posix()
        assert members.get(name) == path.read_bytes(), name
    assert "LICENSE" in members
    assert "plugins/ml-agents/.claude-plugin/plugin.json" in members
    assert ".claude-plugin/marketplace.json" in members


def test_installed_wheel_finds_its_bundle_away_from_the_checkout(
    dist: Path, tmp_path: Path
) -> None:
    (wheel,) = dist.glob("*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import ml_agents.bundle as b; print(b.bundle_root()); print(len(b.bundle_files('agents')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    root, count = result.stdout.split()
    assert Path(root) == target / "ml_agents" / "_bundle"
    assert int(count) == len(list((PLUGIN / "agents").glob("*.md")))
