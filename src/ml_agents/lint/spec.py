"""What the Claude Code client accepts, as data (claude-code-format.md §1.3, §2.2, §3, §4, §5, §6).

The keys, tool names, model forms, colours and enum values are read from the schemas lint uses
(``contract.schema_folder()``), so editing a schema changes what lint reports. What stays here is
what a schema cannot say: size limits, the client's plugin-agent rules, the advice for retired tool
names and the permission-rule grammar's tool groups.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from ml_agents.lint.contract import allowed_keys, branches, enum, forbidden_keys, load_schema, node

AGENT_NAME_MAX = 256
FILE_SIZE_LIMIT = 1_048_576  # agents and commands over 1 MiB are skipped (§1.1, §2.1)
SKILL_SIZE_LIMIT = 1_000_000  # SKILL.md is capped at 1,000,000 bytes (§5)

KEBAB_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_AGENT = load_schema("agent")
_COMMAND = load_schema("command")
_SKILL = load_schema("skill")

# §3.1: the canonical built-in tool names, and the legacy names the client still maps
BUILTIN_TOOLS = frozenset(enum(_AGENT, "$defs", "toolName"))
LEGACY_TOOLS: dict[str, str] = dict(node(_AGENT, "$defs", "legacyToolName", "x-replaced-by"))

# names that were tools once and are dropped by current clients, with what to use instead
RETIRED_TOOLS = {
    "MultiEdit": "use Edit",
    "NotebookRead": "use Read",
    "LS": "use Glob (or Bash)",
    "TodoRead": "use TaskList",
    "TaskOutput": "remove it (gone since 2.1.332)",
    "AgentOutputTool": "remove it (gone since 2.1.332)",
    "BashOutputTool": "remove it (gone since 2.1.332)",
    "AgentOutput": "remove it (gone since 2.1.332)",
    "BashOutput": "remove it (gone since 2.1.332)",
}

SHELL_TOOLS = frozenset({"Bash", "PowerShell"})
PATH_RULE_TOOLS = frozenset({"Read", "Edit"})
# §3.2: accepted in a permission rule but never matched
NEVER_MATCHING_RULE_TOOLS = {
    "Write": "Edit",
    "NotebookEdit": "Edit",
    "MultiEdit": "Edit",
    "Glob": "Read",
}

# §6: 'inherit' (any case), an alias, or a Claude model id
MODEL_ALIASES = frozenset(
    a for b in branches(_AGENT, "properties", "model") for a in b.get("enum", ())
)
MODEL_PATTERNS = tuple(
    re.compile(b["pattern"]) for b in branches(_AGENT, "properties", "model") if "pattern" in b
)


def is_model_id(text: str) -> bool:
    """A model written as an id (``claude-...``) in a form the agent schema allows."""
    return any(pattern.search(text) for pattern in MODEL_PATTERNS)


# §1.3
ISOLATIONS = enum(_AGENT, "properties", "isolation")
# §1.6: plugin agents cannot run remotely (the schema describes the project form)
PLUGIN_ISOLATIONS = ("worktree",)

AGENT_KEYS = allowed_keys(_AGENT)
PLUGIN_AGENT_EXTRA_KEYS = frozenset({"when_to_use", "when-to-use"})
# §1.6: read from project agents, ignored (with a warning) in plugin agents
PLUGIN_AGENT_IGNORED_KEYS = (
    "permissionMode",
    "hooks",
    "mcpServers",
    "initialPrompt",
    "observer",
    "observerMessage",
    "observeSubagents",
)
# the client's own "did you mean" table for agent keys (normalised: lower case, no - or _)
AGENT_KEY_HINTS = {"allowedtools": "tools", "whentouse": "description", "mode": "permissionMode"}

# §2.2 and §5 (a command's 'name' is declared only to be reported: CC402)
COMMAND_KEYS = allowed_keys(_COMMAND)
SKILL_KEYS = allowed_keys(_SKILL)
COMMAND_KEY_HINTS = {"tools": "allowed-tools", "allowedtools": "allowed-tools"}

# §4.6
HOOK_EVENTS = frozenset(enum(_AGENT, "$defs", "hooks", "propertyNames"))
# hook guards that, written at the frontmatter top level instead of under hooks:, make 2.1.332
# refuse to load an agent (§1.3) and drop a command's hooks and allowed-tools
MISPLACED_HOOK_EVENTS = forbidden_keys(_AGENT)
HOOK_TYPES = frozenset(enum(_AGENT, "$defs", "hookHandler", "properties", "type"))

# §1.2: agents every client has, so a command may name them
BUILTIN_AGENTS = frozenset({"general-purpose", "Explore", "Plan", "statusline-setup", "claude"})

# manifest keys whose values are ./ paths to components, and what the path must be
PLUGIN_PATH_KEYS = {
    "commands": "any",
    "agents": "file",
    "skills": "dir",
    "hooks": "file",
    "mcpServers": "file",
    "lspServers": "file",
    "outputStyles": "any",
    "themes": "any",
    "workflows": "any",
    "monitors": "any",
    "types": "file",
}
RESERVED_MARKETPLACE_NAMES = frozenset(
    {"inline", "builtin", "skills-dir", "synced", "claude-plugin-test"}
)
OFFICIAL_MARKETPLACE_NAMES = frozenset(
    {
        "claude-code-marketplace",
        "claude-code-plugins",
        "claude-plugins-official",
        "anthropic-marketplace",
        "anthropic-plugins",
        "agent-skills",
    }
)


class ManifestTables(NamedTuple):
    """What the manifest checks read from plugin.schema.json and marketplace.schema.json."""

    plugin_keys: frozenset[str]
    marketplace_keys: frozenset[str]
    entry_keys: frozenset[str]
    source_fields: dict[str, tuple[str, ...]]
    """Each marketplace source type, and the string fields it needs."""


@cache
def manifest_tables() -> ManifestTables:
    """Read on first use: manifests are rare, and their schemas are most of the bundle's bytes."""
    plugin, marketplace = load_schema("plugin"), load_schema("marketplace")
    sources = {
        b["properties"]["source"]["const"]: tuple(f for f in b.get("required", ()) if f != "source")
        for b in branches(marketplace, "$defs", "source")
        if "const" in b.get("properties", {}).get("source", {})
    }
    return ManifestTables(
        allowed_keys(plugin),
        allowed_keys(marketplace),
        frozenset(node(marketplace, "$defs", "entry", "properties")),
        sources,
    )
