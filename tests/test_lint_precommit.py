"""The ``ml-agents-lint`` hook in .pre-commit-hooks.yaml, run by real pre-commit.

A temporary git repository of this project is the hook repository (so the manifest itself is what
pre-commit reads, and pre-commit pip-installs the package from it); a second temporary repository
is the user's project.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, write

pytestmark = pytest.mark.slow

HOOK_REPO_CONTENT = (
    "pyproject.toml",
    "README.md",
    "LICENSE",
    ".pre-commit-hooks.yaml",
    "src",
    "schemas",  # the wheel force-includes every bundle folder, so the hook repo needs them all
    "plugins",
)
GOOD = "---\nname: reviewer\ndescription: Reviews a diff for bugs.\n---\nYou review.\n"


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_manifest_declares_the_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["ml-agents-lint"]
    hook = hooks[0]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["entry"] == "ml-agents lint"


@pytest.fixture
def git_env(cli_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    return {
        **cli_env,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
    }


def test_hook_runs_through_pre_commit(
    tmp_path: Path, git_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in git_env.items():
        monkeypatch.setenv(key, value)
    hook_repo = tmp_path / "hook-repo"
    hook_repo.mkdir()
    for name in HOOK_REPO_CONTENT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, hook_repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, hook_repo / name)
    git(hook_repo, "init", "-q")
    git(hook_repo, "add", "-A")
    git(hook_repo, "commit", "-q", "-m", "hook repo")
    rev = git(hook_repo, "rev-parse", "HEAD")

    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [{"id": "ml-agents-lint"}]}]}
    write(project / ".pre-commit-config.yaml", yaml.safe_dump(config))
    write(project / ".claude/agents/good.md", GOOD)
    write(
        project / ".claude/agents/bad.md",
        GOOD.replace("reviewer", "painter").replace("---\nYou", "color: teal\n---\nYou"),
    )
    write(project / "notes/draft.md", "no frontmatter, and not a Claude Code file\n")
    git(project, "add", "-A")

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    failed = pre_commit("run", "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "ml-agents lint" in failed.stdout and "Failed" in failed.stdout
    assert ".claude/agents/bad.md:4:8: error CC211" in failed.stdout
    assert "draft.md" not in failed.stdout  # the files pattern kept it out

    write(project / ".claude/agents/bad.md", GOOD.replace("reviewer", "painter"))
    git(project, "add", "-A")
    passed = pre_commit("run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    # only the changed file is passed, yet a clash with an unchanged sibling is still found
    write(project / ".claude/agents/copy.md", GOOD)
    git(project, "add", "-A")
    clash = pre_commit("run", "--files", ".claude/agents/copy.md")
    assert clash.returncode == 1
    assert "CC601" in clash.stdout and ".claude/agents/good.md" in clash.stdout


def test_the_readme_rev_a_commit_sha_is_moved_by_autoupdate_without_tags(
    tmp_path: Path, git_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README pins `rev` to a commit SHA (the repository has no tags) and says
    `pre-commit autoupdate` moves it: with no tags, it moves to the newest commit."""
    for key, value in git_env.items():
        monkeypatch.setenv(key, value)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "rev: <commit SHA>" in readme and "pre-commit autoupdate" in readme
    hook_repo = tmp_path / "hook-repo"
    hook_repo.mkdir()
    shutil.copy2(REPO / ".pre-commit-hooks.yaml", hook_repo / ".pre-commit-hooks.yaml")
    git(hook_repo, "init", "-q")
    git(hook_repo, "add", "-A")
    git(hook_repo, "commit", "-q", "-m", "first")
    first = git(hook_repo, "rev-parse", "HEAD")
    write(hook_repo / "NEWS", "second\n")
    git(hook_repo, "add", "-A")
    git(hook_repo, "commit", "-q", "-m", "second")
    newest = git(hook_repo, "rev-parse", "HEAD")
    assert git(hook_repo, "tag") == ""

    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    config = {
        "repos": [{"repo": str(hook_repo), "rev": first, "hooks": [{"id": "ml-agents-lint"}]}]
    }
    write(project / ".pre-commit-config.yaml", yaml.safe_dump(config))
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "autoupdate"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    updated = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert updated["repos"][0]["rev"] == newest
