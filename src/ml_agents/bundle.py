"""Where the shipped bundle (commands/, agents/, workflows/, schemas/) lives at run time.

An installed wheel carries the bundle as package data under ``ml_agents/_bundle``; a source checkout
(editable install, or ``PYTHONPATH=src``) reads the repository's own folders, which are the single
source of truth the wheel is built from.
"""

from __future__ import annotations

from pathlib import Path

BUNDLE_KINDS = ("commands", "agents", "workflows", "schemas")
PATTERNS = {"schemas": "*.json", "workflows": "*.js"}


def bundle_root() -> Path:
    # the package's own folder, as importlib.resources.files() gives for an installed package,
    # without importing importlib.resources (about 10 ms: every lint run asks for the schemas)
    packaged = Path(__file__).resolve().parent / "_bundle"
    if (packaged / "agents").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "agents").is_dir() and (checkout / "commands").is_dir():
        return checkout
    raise FileNotFoundError(
        f"the ml-agents bundle is missing: neither {packaged} nor {checkout} "
        "holds agents/ and commands/"
    )


def bundle_files(kind: str) -> list[Path]:
    """One kind of bundle file, sorted: ``*.md`` for agents and commands, ``*.js`` for workflows,
    ``*.json`` for schemas."""
    if kind not in BUNDLE_KINDS:
        raise ValueError(f"unknown bundle kind {kind!r}")
    return sorted((bundle_root() / kind).glob(PATTERNS.get(kind, "*.md")))


def schema_path(name: str) -> Path:
    """A shipped JSON Schema: ``schema_path("agent")`` is ``schemas/agent.schema.json``."""
    return bundle_root() / "schemas" / f"{name}.schema.json"
