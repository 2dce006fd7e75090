"""A place in a file, shared by the frontmatter model and every lint finding.

A module of its own so that what only needs a position (discovery, the warm path) does not import
the frontmatter parser."""

from __future__ import annotations

from typing import NamedTuple


class Position(NamedTuple):
    """A 1-based line and column in the file (after the BOM, if any)."""

    line: int
    col: int
