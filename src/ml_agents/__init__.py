"""ml-agents: the /ml-integration Claude Code plugin, its installer and its linter."""

__version__ = "0.1.0"
