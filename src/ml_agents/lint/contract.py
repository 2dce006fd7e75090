"""The shipped JSON Schemas as the lint contract: where they are, and the lists read from them.

The schemas in ``schema_folder()`` (the bundle's ``schemas/``, or ``$ML_AGENTS_SCHEMA_DIR``) are
the one place that lists keys, tool names, model forms, colours and enum values: ``spec`` builds its
tables from them, and ``validation`` checks every frontmatter and manifest against them. A process
reads each schema once. The generated parts of the bundle (the ``toolList`` patterns,
skill.schema.json) are rebuilt by ``python -m ml_agents.lint.contract --write``; a test fails when
they are stale.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

from ml_agents.bundle import schema_path
from ml_agents.output import UserError

SCHEMA_DIR_ENV = "ML_AGENTS_SCHEMA_DIR"
FRONTMATTER_SCHEMAS = ("agent", "command", "skill")


class ContractError(UserError):
    """A schema the linter needs is missing or unreadable: one line, never a traceback."""


def schema_folder() -> Path:
    """The folder of schemas lint uses: ``$ML_AGENTS_SCHEMA_DIR`` if set, else the bundle's."""
    override = os.environ.get(SCHEMA_DIR_ENV)
    return Path(override) if override else _bundled_folder()


@cache
def _bundled_folder() -> Path:
    return schema_path("agent").parent


def load_schema(name: str) -> dict[str, Any]:
    return schema_in(schema_folder(), name)


@cache
def schema_in(folder: Path, name: str) -> dict[str, Any]:
    """Schema ``name`` from ``folder``, read once per process."""
    path = folder / f"{name}.schema.json"
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not valid JSON"
        raise ContractError(f"cannot read the lint schema {path}: {reason}") from None
    if not isinstance(schema, dict):
        raise ContractError(f"the lint schema {path} is not a JSON object")
    return schema


# --- the catalog: lists lint reads from the schemas -----------------------------------------------


def node(schema: dict[str, Any], *path: str) -> Any:
    """The subschema at ``path``; a ContractError naming the schema when it is not there."""
    found: Any = schema
    for step in path:
        if not isinstance(found, dict) or step not in found:
            where = schema.get("$id", "a lint schema")
            raise ContractError(f"{where} has no {'/'.join(path)}: the linter needs it")
        found = found[step]
    return found


def enum(schema: dict[str, Any], *path: str) -> tuple[Any, ...]:
    return tuple(node(schema, *path, "enum"))


def allowed_keys(schema: dict[str, Any]) -> frozenset[str]:
    """Keys the client applies: declared, neither forbidden (``not``) nor ``deprecated``."""
    properties = node(schema, "properties")
    return frozenset(
        key
        for key, sub in properties.items()
        if not (isinstance(sub, dict) and (sub.get("not") == {} or sub.get("deprecated")))
    )


def forbidden_keys(schema: dict[str, Any]) -> frozenset[str]:
    """Keys the schema declares only to forbid them (``"not": {}``)."""
    properties = node(schema, "properties")
    return frozenset(
        k for k, sub in properties.items() if isinstance(sub, dict) and sub.get("not") == {}
    )


def branches(schema: dict[str, Any], *path: str) -> list[dict[str, Any]]:
    found = node(schema, *path)
    return [b for b in found.get("anyOf", [found]) if isinstance(b, dict)]


# --- the generated parts of the bundle ------------------------------------------------------------


def tool_list_pattern(agent_schema: dict[str, Any]) -> str:
    """The ``toolList`` pattern, from the ``toolName`` and ``legacyToolName`` enums."""
    names = {
        *enum(agent_schema, "$defs", "toolName"),
        *enum(agent_schema, "$defs", "legacyToolName"),
    }
    ordered = sorted(names, key=lambda n: (-len(n), n))  # longest first: no prefix wins early
    entry = r"(?:\*|mcp__[A-Za-z0-9_-]+\*?|(?:" + "|".join(ordered) + r")(?:\((?:[^()\\]|\\.)+\))?)"
    return r"^[\s,]*(?:" + entry + r"(?:[ ,]+" + entry + r")*[\s,]*)?$"


def skill_schema(command_schema: dict[str, Any]) -> dict[str, Any]:
    """SKILL.md frontmatter: the command keys, with ``name`` the skill's display name."""
    skill = copy.deepcopy(command_schema)
    skill["$id"] = str(skill["$id"]).replace("command.schema.json", "skill.schema.json")
    skill["title"] = "Claude Code skill frontmatter"
    skill["description"] = (
        "The YAML frontmatter of a skill (`skills/<name>/SKILL.md`, `.claude/skills/<name>/"
        "SKILL.md`). Generated from command.schema.json by `python -m ml_agents.lint.contract "
        "--write`: a skill takes every command key, and its `name` is the display name (a "
        "command's `name` is ignored). Unknown keys are ignored by the client; the mapping is "
        "closed (`additionalProperties: false`) so a misspelt key is caught, and `ml-agents lint` "
        "reports it as a warning."
    )
    name = skill["properties"]["name"]
    name.pop("deprecated", None)
    name["description"] = "The skill's display name; the folder name is used when it is absent."
    # the Agent Skills standard's own fields (agentskills.io), which skill collections carry
    skill["properties"]["license"] = {
        "type": "string",
        "title": "License",
        "description": "The skill's license (an Agent Skills standard field; not read by the "
        "client).",
    }
    skill["properties"]["compatibility"] = {
        "type": "string",
        "title": "Compatibility",
        "description": "Where the skill works (an Agent Skills standard field; not read by the "
        "client).",
    }
    return skill


def generated_files(folder: Path) -> dict[Path, str]:
    """Every generated schema file as it should read, from the hand-written ones in ``folder``."""
    agent, command = _read(folder / "agent.schema.json"), _read(folder / "command.schema.json")
    pattern = tool_list_pattern(agent)
    for schema in (agent, command):
        tool_list = node(schema, "$defs", "toolList", "anyOf")
        tool_list[0]["pattern"] = pattern
        tool_list[1]["items"]["pattern"] = pattern
    return {
        folder / "agent.schema.json": _dump(agent),
        folder / "command.schema.json": _dump(command),
        folder / "skill.schema.json": _dump(skill_schema(command)),
    }


def _read(path: Path) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return value


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    folder = schema_path("agent").parent
    stale = [p for p, text in generated_files(folder).items() if _current(p) != text]
    if "--write" in argv:
        for path, text in generated_files(folder).items():
            path.write_text(text, encoding="utf-8")
        return 0
    for path in stale:
        print(f"{path} is stale: run python -m ml_agents.lint.contract --write", file=sys.stderr)
    return 1 if stale else 0


def _current(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
