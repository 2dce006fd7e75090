"""Lint Claude Code files: what the client would drop or ignore, with a location and a fix."""
