"""Where Claude Code reads agents from, and which ``.claude`` folder a command writes to.

The client reads user agents from ``$CLAUDE_CONFIG_DIR/agents`` (else ``~/.claude/agents``), project
agents from ``.claude/agents`` in the working folder and every ancestor up to the repository root
(or ``$HOME``), and plugin agents from the plugins it installed (``claude-code-format.md`` §1.2).
No subprocess is run: the repository root is found by walking up to a ``.git`` entry.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

USER = "user"
PROJECT = "project"
TARGET = "target"


class Target(NamedTuple):
    """A ``.claude`` folder that install, uninstall and status work on."""

    scope: str
    """``user``, ``project``, or ``target`` for an explicit ``--target`` folder."""
    path: Path
    """As given (a symlinked ``~/.claude`` is kept as the link: writes go through it)."""


def home_dir() -> Path:
    """``$HOME`` when set, else the account's home folder."""
    return Path(os.environ.get("HOME") or str(Path.home())).absolute()


def user_config_dir() -> Path:
    """``$CLAUDE_CONFIG_DIR`` when set, else ``~/.claude`` (``$HOME`` decides ``~``)."""
    configured = os.environ.get("CLAUDE_CONFIG_DIR", "").strip()
    if configured:
        return Path(configured).expanduser().absolute()
    return home_dir() / ".claude"


def git_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``.git`` (a folder, or a worktree file)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def project_dir(cwd: Path) -> Path:
    """``.claude`` at the repository root, else in the working folder."""
    root = git_root(cwd)
    return (root if root is not None else cwd) / ".claude"


def project_chain(cwd: Path) -> list[Path]:
    """Every project ``.claude`` folder the client reads from ``cwd``, deepest first.

    The client walks from the working folder up to the repository root, or up to ``$HOME`` outside
    a repository; ``$HOME/.claude`` itself is the user scope, not a project one.
    """
    home = home_dir()
    stop = git_root(cwd)
    chain: list[Path] = []
    for folder in (cwd, *cwd.parents):
        if stop is None and folder == home:
            break
        chain.append(folder / ".claude")
        if folder == stop:
            break
    return chain


def resolve_target(scope: str | None, target: str | None, cwd: Path) -> Target:
    """The folder a command works on: ``--target`` wins, then ``--scope`` (default ``user``)."""
    if target is not None:
        return Target(TARGET, Path(target).expanduser().absolute())
    if scope == PROJECT:
        return Target(PROJECT, project_dir(cwd))
    return Target(USER, user_config_dir())


def same_folder(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)
