from __future__ import annotations

import click

from ml_agents.cli import not_available


@click.command()
def lint() -> int:
    """Lint Claude Code files."""
    return not_available("lint")
