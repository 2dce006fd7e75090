from __future__ import annotations

import click

from ml_agents.cli import not_available


@click.command()
def install() -> int:
    """Install /ml-integration and its ten agents."""
    return not_available("install")


@click.command()
def uninstall() -> int:
    """Remove what install wrote."""
    return not_available("uninstall")


@click.command()
def status() -> int:
    """Show what is installed."""
    return not_available("status")
