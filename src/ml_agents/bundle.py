"""Where the shipped bundle (commands/, agents/, workflows/, schemas/) lives at run time.

An installed wheel carries the bundle as package data under ``ml_agents/_bundle``, flat. A source
checkout (editable install, or ``PYTHONPATH=src``) reads the repository's own folders, the single
source of truth the wheel is built from: the plugin in ``plugins/ml-agents/`` (the folder the
marketplace lists, so the client's cached copy holds the plugin and nothing else) and ``schemas/``.
"""

from __future__ import annotations

from pathlib import Path

BUNDLE_KINDS = ("commands", "agents", "workflows", "schemas")
PATTERNS = {"schemas": "*.json", "workflows": "*.js"}
PLUGIN_FOLDER = Path("plugins") / "ml-agents"
"""The plugin inside a checkout, relative to the repository root."""


def _packaged() -> Path:
    # the package's own folder, as importlib.resources.files() gives for an installed package,
    # without importing importlib.resources (about 10 ms: every lint run asks for the schemas)
    return Path(__file__).resolve().parent / "_bundle"


def _checkout() -> Path:
    return Path(__file__).resolve().parents[2]


def bundle_root() -> Path:
    """The folder holding agents/, commands/ and workflows/."""
    packaged = _packaged()
    if (packaged / "agents").is_dir():
        return packaged
    plugin = _checkout() / PLUGIN_FOLDER
    if (plugin / "agents").is_dir() and (plugin / "commands").is_dir():
        return plugin
    raise FileNotFoundError(
        f"the ml-agents bundle is missing: neither {packaged} nor {plugin} "
        "holds agents/ and commands/"
    )


def schema_folder() -> Path:
    """The folder holding the shipped JSON Schemas."""
    packaged = _packaged() / "schemas"
    if packaged.is_dir():
        return packaged
    return _checkout() / "schemas"


def bundle_files(kind: str) -> list[Path]:
    """One kind of bundle file, sorted: ``*.md`` for agents and commands, ``*.js`` for workflows,
    ``*.json`` for schemas."""
    if kind not in BUNDLE_KINDS:
        raise ValueError(f"unknown bundle kind {kind!r}")
    folder = schema_folder() if kind == "schemas" else bundle_root() / kind
    return sorted(folder.glob(PATTERNS.get(kind, "*.md")))


def schema_path(name: str) -> Path:
    """A shipped JSON Schema: ``schema_path("agent")`` is ``schemas/agent.schema.json``."""
    return schema_folder() / f"{name}.schema.json"
