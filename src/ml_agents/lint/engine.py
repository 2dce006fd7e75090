"""Lint engine entry point (stub: the real rules land with the lint issue)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ml_agents.lint.result import Finding


def lint_paths(paths: Sequence[Path]) -> list[Finding]:
    """Lint files and folders; each file's kind comes from where it lives. Never raises on bad input."""
    return []
