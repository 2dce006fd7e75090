"""The shipped JSON Schemas: valid 2020-12, documented, and as strict as Claude Code 2.1.332.

Frontmatter examples are YAML text read through ``ml_agents.frontmatter.parse``, so the schemas are
fed exactly what the shared model yields. The good and bad examples come from
``shared/reference/claude-code-format.md`` and from the client's own loader code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PLUGIN, REPO
from jsonschema import Draft202012Validator

from ml_agents import frontmatter
from ml_agents.bundle import schema_path
from ml_agents.lint import spec

SCHEMA_NAMES = ("agent", "command", "skill", "plugin", "marketplace")
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# The linter's tool tables are the one list of names; the schemas must agree with them.
CANONICAL_TOOLS = tuple(sorted(spec.BUILTIN_TOOLS))
LEGACY_TOOLS = tuple(sorted(spec.LEGACY_TOOLS))
# Names the client drops: wrong case, tools that no longer exist, other products' tool names.
NOT_TOOLS = (
    "bash",
    "read",
    "write",
    "Read_",
    "READ",
    "MultiEdit",
    "NotebookRead",
    "LS",
    "TaskOutput",
    "BashOutput",
    "AgentOutputTool",
    "REPL",
    "JavaScript",
    "context7",
    "brave-search",
    "WebBrowser",
)
HOOK_EVENTS = tuple(sorted(spec.HOOK_EVENTS))


def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return schema


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    return {name: Draft202012Validator(load_schema(name)) for name in SCHEMA_NAMES}


def frontmatter_of(yaml_text: str) -> dict[Any, Any]:
    """The fields the shared model reads from a file whose frontmatter is ``yaml_text``."""
    document = frontmatter.parse(f"---\n{yaml_text}\n---\nThe body.\n")
    assert document.problem is None, document.problem
    assert document.frontmatter is not None
    return document.frontmatter.fields


def problems(validator: Draft202012Validator, instance: object) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message[:200]}"
        for error in validator.iter_errors(instance)
    ]


# --- the schemas themselves -------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_draft_2020_12_with_an_id(name: str) -> None:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_2020_12
    assert schema["$id"] == f"https://ml-agents.dev/schemas/{name}.schema.json"
    assert schema["title"]
    assert "additionalProperties" in schema["description"], "the unknown-key choice is documented"
    assert schema["additionalProperties"] is False


def documented_properties(node: object, path: str = "#") -> Iterator[tuple[str, object]]:
    """Every property schema and $defs entry anywhere in a schema (``if`` conditions aside)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "if":
                continue
            if key in ("properties", "$defs") and isinstance(value, dict):
                for prop, sub in value.items():
                    yield f"{path}/{key}/{prop}", sub
            yield from documented_properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from documented_properties(value, f"{path}/{index}")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_title_and_a_description(name: str) -> None:
    schema = load_schema(name)
    undocumented = [
        where
        for where, sub in documented_properties(schema)
        if not (isinstance(sub, dict) and sub.get("title") and sub.get("description"))
    ]
    assert not undocumented, undocumented


def test_the_installed_bundle_carries_these_schemas() -> None:
    for name in SCHEMA_NAMES:
        shipped = REPO / "schemas" / f"{name}.schema.json"
        assert schema_path(name).read_bytes() == shipped.read_bytes(), name


# --- agent frontmatter ------------------------------------------------------------------------

AGENT_BASE = "name: ml-reviewer\ndescription: Reviews ML code.\n"

VALID_AGENT_FIELDS = [
    "tools: Read, Grep",
    "tools: Read Grep Glob",
    'tools: [Read, "Bash(git *)"]',
    'tools: ["Bash(git status:*)", Read]',
    "tools: mcp__github__get_issue",
    "tools: mcp__github, mcp__github__*, mcp__github__get_*",
    "tools: Agent(worker, reviewer)",
    "tools: Agent(worker, reviewer), Read",
    "tools: Task(worker), KillShell",
    "tools: Read(src/**), Edit(**/*.py), WebFetch(domain:example.com)",
    "tools: '*'",
    "tools:",
    "tools: []",
    'tools: ""',
    "tools: Read,Grep,,Glob",
    "disallowedTools: Bash, Write",
    "skills: model-card, datasheet",
    "skills: [model-card]",
    "model: claude-opus-4-8",
    "model: claude-sonnet-5[1m]",
    "model: sonnet[1m]",
    "model: opusplan",
    "model: INHERIT",
    "model: inherit",
    "color: cyan",
    "permissionMode: plan",
    "permissionMode: manual",
    "effort: med",
    "effort: HIGH",
    "effort: 3",
    "effort: '7'",
    "maxTurns: 5",
    "maxTurns: '12'",
    "maxTurns: 1e3",
    "memory: project",
    "isolation: worktree",
    "background: true",
    "background: 'false'",
    "omitClaudeMd: true",
    "autoCompactWindow: 100000",
    "autoCompactWindow: '250000'",
    "observer: auditor, scribe",
    "observerMessage: Report anomalies.",
    "observeToolResults: 'no'",
    "observeSubagents: false",
    "experimental: {cacheTtl: 1h}",
    "initialPrompt: Start with the data.",
    "hooks: {PreToolUse: [{matcher: Bash, hooks: [{type: command, command: ./check.sh}]}]}",
    "hooks: {Stop: [{hooks: [{type: prompt, prompt: 'Done? $ARGUMENTS', timeout: 30}]}]}",
    "hooks: {PostToolUse: [{hooks: [{type: http, url: 'https://example.com/hook'}]}]}",
    "mcpServers: [github, {local: {command: ./server}}, {remote: {type: http, url: 'https://x'}}]",
]

INVALID_AGENT_FIELDS = [
    ("tools: bash, read", "lowercase names are unknown tools"),
    ("tools: context7, brave-search", "not Claude Code tools"),
    ("tools: MultiEdit", "no longer a tool"),
    ("tools: Bash()", "an empty rule"),
    ("tools: mcp__github(get)", "MCP specs take no parentheses"),
    ("tools: [Read, 5]", "list items must be strings"),
    ("tools: Read\tGrep", "only commas and spaces separate entries"),
    ("disallowedTools: Nope", "unknown tool"),
    ("model: gpt-4", "not a Claude model"),
    ("model: Claude Sonnet 4.5", "a display name, not a model id"),
    ("model: Sonnet", "aliases are lowercase"),
    ("color: magenta", "not one of the eight colours"),
    ("permissionMode: yolo", "not a permission mode"),
    ("effort: ultracode", "not an effort level"),
    ("effort: true", "a boolean"),
    ("maxTurns: 0", "not positive"),
    ("maxTurns: -1", "not positive"),
    ("maxTurns: 2.5", "not an integer"),
    ("maxTurns: true", "a boolean"),
    ("memory: global", "not a memory scope"),
    ("isolation: docker", "not an isolation mode"),
    ("background: yes", "YAML 1.2 (the client) reads yes as a string, which the client rejects"),
    ("background: 1", "only true/false"),
    ("autoCompactWindow: 99999", "below 100000"),
    ("observer: a, b, c, d, e", "more than four observers"),
    ("experimental: {cacheTtl: 2h}", "not 5m or 1h"),
    ("hooks: {Bogus: []}", "unknown hook event"),
    ("hooks: {Stop: [{hooks: [{type: command}]}]}", "a command hook without command"),
    ("hooks: {Stop: [{hooks: [{type: shell, command: x}]}]}", "unknown hook type"),
    ("hooks: [Stop]", "hooks is a map"),
    ("mcpServers: [{s: {}}]", "a server with neither command nor url"),
    ("PreToolUse: [{hooks: [{type: command, command: x}]}]", "outside hooks: the agent is refused"),
    ("allowed-tools: Read", "the command spelling; agents use tools"),
    ("disallowed_tools: Bash", "keys are not normalised"),
    ("unknownkey: 1", "unknown keys are never applied"),
]


@pytest.mark.parametrize("fields", VALID_AGENT_FIELDS)
def test_agent_accepts_what_the_client_applies(
    validators: dict[str, Draft202012Validator], fields: str
) -> None:
    assert problems(validators["agent"], frontmatter_of(AGENT_BASE + fields)) == []


@pytest.mark.parametrize(("fields", "why"), INVALID_AGENT_FIELDS)
def test_agent_rejects_what_the_client_drops(
    validators: dict[str, Draft202012Validator], fields: str, why: str
) -> None:
    assert problems(validators["agent"], frontmatter_of(AGENT_BASE + fields)), why


INVALID_AGENT_IDENTITY = [
    ("name: 42\ndescription: d", "name is a YAML number"),
    ("name: true\ndescription: d", "name is a YAML boolean"),
    ("name: ''\ndescription: d", "empty name"),
    ("name: a\ndescription: true", "description is a YAML boolean"),
    ("name: a\ndescription: 7", "description is a YAML number"),
    ("name: a\ndescription: ''", "empty description"),
    ("description: d", "no name: the file is silently skipped"),
    ("name: a", "no description: the agent is rejected"),
    ("name: ml:reviewer\ndescription: d", "':' is reserved for plugin namespacing"),
    ("name: 'ml\uff1areviewer'\ndescription: d", "a fullwidth colon is ':' after NFKC"),
    ("name: '-reviewer'\ndescription: d", "leading '-'"),
    (f"name: {'a' * 257}\ndescription: d", "longer than 256 characters"),
]


@pytest.mark.parametrize(("yaml_text", "why"), INVALID_AGENT_IDENTITY)
def test_agent_identity_rules(
    validators: dict[str, Draft202012Validator], yaml_text: str, why: str
) -> None:
    assert problems(validators["agent"], frontmatter_of(yaml_text)), why


@pytest.mark.parametrize(
    "yaml_text",
    [
        f"name: {'a' * 256}\ndescription: d",
        "name: Data Scientist\ndescription: d",  # not kebab-case: a lint warning, no schema error
        "name: données\ndescription: d",
        "name: a\ndescription: 2024-01-01",  # YAML 1.2 reads this as a string, as the client does
        'name: a\ndescription: "Use when: the data changes"',
    ],
)
def test_agent_identity_the_client_accepts(
    validators: dict[str, Draft202012Validator], yaml_text: str
) -> None:
    assert problems(validators["agent"], frontmatter_of(yaml_text)) == []


def test_agent_name_kebab_case_is_an_annotation_not_a_rule() -> None:
    name = load_schema("agent")["properties"]["name"]
    assert "kebab-case" in name["description"]
    assert all(example == example.lower() for example in name["examples"])
    assert Draft202012Validator(name).is_valid("Data Scientist")


@pytest.mark.parametrize("tool", (*CANONICAL_TOOLS, *LEGACY_TOOLS))
def test_every_known_tool_is_accepted_everywhere(
    validators: dict[str, Draft202012Validator], tool: str
) -> None:
    agent = frontmatter_of(f"{AGENT_BASE}tools: [{tool}, '{tool}(x y)']\ndisallowedTools: {tool}")
    command = frontmatter_of(f"allowed-tools: {tool}, {tool}(x)\ndisallowed-tools: [{tool}]")
    assert problems(validators["agent"], agent) == []
    assert problems(validators["command"], command) == []


@pytest.mark.parametrize("name", NOT_TOOLS)
def test_unknown_tool_names_are_rejected_everywhere(
    validators: dict[str, Draft202012Validator], name: str
) -> None:
    assert problems(validators["agent"], frontmatter_of(f"{AGENT_BASE}tools: Read, {name}"))
    assert problems(validators["command"], frontmatter_of(f"allowed-tools: [Read, {name}]"))


@pytest.mark.parametrize("event", HOOK_EVENTS)
def test_every_hook_event_is_accepted(
    validators: dict[str, Draft202012Validator], event: str
) -> None:
    fields = frontmatter_of(
        f"{AGENT_BASE}hooks: {{{event}: [{{hooks: [{{type: agent, prompt: p}}]}}]}}"
    )
    assert problems(validators["agent"], fields) == []


# --- command frontmatter ----------------------------------------------------------------------

VALID_COMMAND_FRONTMATTER = [
    "",
    "description: Run the whole workflow.",
    "description: 42",
    "description: true",
    'argument-hint: "[file] [--fix]"',
    "argument-hint: <goal>",
    "allowed-tools: Agent, Read, Glob, Grep, Edit(ml-integration/**)",
    "allowed-tools: [Read, 'Bash(git diff:*)', 'Read(${CLAUDE_SKILL_DIR}/**)']",
    "disallowed-tools: Bash",
    "disallowedTools: [Write]",
    "model: opus",
    "model: claude-haiku-4-5",
    "effort: max",
    "disable-model-invocation: true",
    "disable-model-invocation: 'yes'",
    "disable-model-invocation: 'Off'",
    "user-invocable: 0",
    "shell: bash",
    "shell: PowerShell",
    "arguments: file mode",
    "arguments: [file, mode]",
    "context: fork",
    "agent: data-scientist",
    "when_to_use: When the user asks for an ML feature.",
    "paths: 'src/**, docs/**'",
    "paths: ['*.py']",
    "version: 1.0",
    "metadata: {owner: ml-team}",
    "background: false",
    "hooks: {Stop: [{hooks: [{type: prompt, prompt: x}]}]}",
    "name: ml-integration",
]

INVALID_COMMAND_FRONTMATTER = [
    ("description: [a, b]", "a list is dropped by the client"),
    ("description: {a: b}", "a map is dropped by the client"),
    ("argument-hint: [file]", "unquoted, YAML reads [file] as a list"),
    ("argument-hint: {file: x}", "a map"),
    ("allowed-tools: read, write", "unknown tools"),
    ("allowed-tools: [Bash()]", "an empty rule"),
    ("model: gpt-4", "not a Claude model"),
    ("effort: extreme", "not an effort level"),
    ("disable-model-invocation: maybe", "not a boolean spelling"),
    ("user-invocable: 2", "not a boolean spelling"),
    ("shell: zsh", "only bash or powershell"),
    ("arguments: file 123", "names made only of digits are dropped"),
    ("arguments: [file, '123']", "names made only of digits are dropped"),
    ("context: spoon", "only inline or fork"),
    ("metadata: x", "metadata is a map"),
    ("name: [x]", "name must be a string"),
    ("tools: Read", "the agent spelling; commands use allowed-tools"),
    ("allowed_tools: Read", "keys are not normalised"),
    ("PreToolUse: x", "outside hooks"),
]


@pytest.mark.parametrize("yaml_text", VALID_COMMAND_FRONTMATTER)
def test_command_accepts_what_the_client_applies(
    validators: dict[str, Draft202012Validator], yaml_text: str
) -> None:
    assert problems(validators["command"], frontmatter_of(yaml_text)) == []


@pytest.mark.parametrize(("yaml_text", "why"), INVALID_COMMAND_FRONTMATTER)
def test_command_rejects_what_the_client_drops(
    validators: dict[str, Draft202012Validator], yaml_text: str, why: str
) -> None:
    assert problems(validators["command"], frontmatter_of(yaml_text)), why


def test_command_name_is_allowed_but_marked_deprecated() -> None:
    name = load_schema("command")["properties"]["name"]
    assert name["deprecated"] is True
    assert "ignored" in name["description"].lower()


# --- plugin.json and marketplace.json ---------------------------------------------------------

PLUGIN_BASE: dict[str, Any] = {
    "name": "ml-agents",
    "version": "1.0.0",
    "description": "d",
    "author": {"name": "a"},
}

VALID_PLUGIN_FIELDS: list[dict[str, Any]] = [
    {},
    {"name": "My_Plugin"},  # not kebab-case: `validate` only warns
    {"name": "claudex"},
    {"homepage": "https://example.com/docs"},
    {"homepage": "http:example.com"},  # WHATWG URL parsing is lenient, and so is the client
    {"homepage": "mailto:team@example.com"},
    {"repository": "https://github.com/ml-agents/ml-agents"},
    {"license": "MIT", "keywords": ["ml"], "displayName": "ML Agents", "defaultEnabled": False},
    {"commands": "./commands"},
    {"commands": ["./extra.md", "./commands"]},
    {"commands": {"about": {"content": "# About"}}},
    {"agents": ["./agents/a.md"]},
    {"skills": "."},
    {
        "hooks": {
            "PreToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": "x"}]}]
        }
    },
    {"mcpServers": {"db": {"command": "db-mcp", "args": ["--ro"]}}},
    {"mcpServers": "https://example.com/server.mcpb"},
    {"lspServers": {"py": {"command": "pyright", "extensionToLanguage": {".py": "python"}}}},
    {"dependencies": ["helper", "helper@market", {"name": "x", "marketplace": "m"}]},
    {"engines": {"claude-code": ">=2.1.0"}},
    {"userConfig": {"API_URL": {"type": "string", "title": "API", "description": "Where"}}},
]

INVALID_PLUGIN_FIELDS: list[tuple[dict[str, Any], str]] = [
    ({"version": 1}, "version must be a string"),
    ({"version": 1.0}, "version must be a string"),
    ({"name": "my plugin"}, "spaces"),
    ({"name": ""}, "empty"),
    ({"name": "a\tb"}, "control character"),
    ({"name": "a/b"}, "refused when loaded by path"),
    ({"name": "claude-helper"}, "passes as one of Anthropic's own"),
    ({"name": "cc-plugin-x"}, "passes as one of Anthropic's own"),
    ({"name": "my-claude-official"}, "official beside claude"),
    ({"homepage": "not a url"}, "homepage must be a URL"),
    ({"homepage": "https://"}, "a URL needs a host"),
    ({"homepage": "https://example.com:99999"}, "port out of range"),
    ({"author": {}}, "author needs a name"),
    ({"author": {"name": ""}}, "author name cannot be empty"),
    ({"author": "bob"}, "author is an object"),
    ({"repository": {"type": "git", "url": "x"}}, "repository is a string"),
    ({"keywords": "ml"}, "keywords is a list"),
    ({"commands": "commands"}, "paths must start with ./"),
    ({"commands": "./a/../b"}, "no .. segments"),
    ({"commands": {"about": {"source": "./a.md", "content": "x"}}}, "source or content, not both"),
    ({"agents": "./agents"}, "agent paths end in .md"),
    ({"skills": "skills"}, "paths must start with ./"),
    ({"hooks": {"hooks": {}}}, "an inline hooks object is the event map"),
    ({"mcpServers": {"db": {}}}, "a server needs command or url"),
    ({"lspServers": {"py": {"command": "pyright"}}}, "extensionToLanguage is required"),
    ({"engines": {"claude-code": "banana"}}, "not a version range"),
    ({"dependencies": ["-bad"]}, "not a plugin name"),
    ({"userConfig": {"1KEY": {"type": "string", "title": "t", "description": "d"}}}, "bad key"),
    ({"defaultEnabled": "yes"}, "a boolean"),
    ({"descripton": "typo"}, "unknown keys have no effect"),
]


@pytest.mark.parametrize("fields", VALID_PLUGIN_FIELDS, ids=lambda f: json.dumps(f)[:60])
def test_plugin_accepts_valid_manifests(
    validators: dict[str, Draft202012Validator], fields: dict[str, Any]
) -> None:
    assert problems(validators["plugin"], {**PLUGIN_BASE, **fields}) == []


@pytest.mark.parametrize(
    ("fields", "why"), INVALID_PLUGIN_FIELDS, ids=[why for _, why in INVALID_PLUGIN_FIELDS]
)
def test_plugin_rejects_invalid_manifests(
    validators: dict[str, Draft202012Validator], fields: dict[str, Any], why: str
) -> None:
    assert problems(validators["plugin"], {**PLUGIN_BASE, **fields}), why


def test_plugin_name_is_required(validators: dict[str, Draft202012Validator]) -> None:
    assert problems(validators["plugin"], {"version": "1.0.0"})


def marketplace(**changes: Any) -> dict[str, Any]:
    entry = {"name": "ml-agents", "source": "./", "description": "d", "version": "1.0.0"}
    entry.update(changes.pop("entry", {}))
    document: dict[str, Any] = {
        "name": "ml-agents",
        "owner": {"name": "o"},
        "description": "d",
        "plugins": [entry],
    }
    document.update(changes)
    return document


VALID_MARKETPLACES: list[dict[str, Any]] = [
    marketplace(),
    marketplace(entry={"source": "."}),
    marketplace(entry={"source": "./plugins/ml-agents"}),
    marketplace(entry={"source": {"source": "github", "repo": "ml-agents/ml-agents"}}),
    marketplace(entry={"source": {"source": "github", "repo": "o/r", "sha": "a" * 40}}),
    marketplace(entry={"source": {"source": "npm", "package": "@ml/agents", "version": "^1"}}),
    marketplace(entry={"source": {"source": "git-subdir", "url": "o/r", "path": "plugin"}}),
    marketplace(entry={"source": {"source": "archive", "url": "https://x.dev/p.zip"}}),
    marketplace(entry={"category": "ml", "tags": ["mlops"], "strict": True, "license": "MIT"}),
    marketplace(metadata={"pluginRoot": "./plugins"}, entry={"source": "ml-agents"}),
    marketplace(name="my-claude-plugins"),
    marketplace(renames={"old-name": "ml-agents", "gone": None}),
]

INVALID_MARKETPLACES: list[tuple[dict[str, Any], str]] = [
    (marketplace(entry={"source": "../x"}), "sources resolve inside the marketplace root"),
    (marketplace(entry={"source": "./a/../b"}), "no .. segments"),
    (marketplace(entry={"source": "ml-agents"}), "a bare name needs metadata.pluginRoot"),
    (marketplace(entry={"source": {"source": "github", "repo": "o/r", "sha": "abc"}}), "short sha"),
    (marketplace(entry={"source": {"source": "archive", "url": "http://x/p.zip"}}), "https only"),
    (marketplace(entry={"source": {"source": "svn", "url": "x"}}), "unknown source kind"),
    (marketplace(entry={"version": 1}), "version must be a string"),
    (marketplace(entry={"name": "ml agents"}), "plugin names have no spaces"),
    (marketplace(entry={"foo": 1}), "unknown entry key"),
    (marketplace(name="inline"), "reserved for --plugin-dir plugins"),
    (marketplace(name="Claude-Plugin-Test"), "reserved, any case"),
    (marketplace(name="claude-plugins-official"), "reserved for Anthropic's marketplaces"),
    (marketplace(name="claude-marketplace"), "impersonates an official marketplace"),
    (marketplace(name="anthropic-official-tools"), "official beside anthropic"),
    (marketplace(name="a..b"), "no .. in the name"),
    (marketplace(name="my market"), "no spaces"),
    (marketplace(name="marché"), "ASCII only"),
    (marketplace(owner={}), "owner needs a name"),
    (marketplace(version=2), "version must be a string"),
    ({"name": "ml-agents", "plugins": []}, "owner is required"),
]


@pytest.mark.parametrize("document", VALID_MARKETPLACES, ids=lambda d: json.dumps(d)[-70:])
def test_marketplace_accepts_valid_manifests(
    validators: dict[str, Draft202012Validator], document: dict[str, Any]
) -> None:
    assert problems(validators["marketplace"], document) == []


@pytest.mark.parametrize(
    ("document", "why"), INVALID_MARKETPLACES, ids=[why for _, why in INVALID_MARKETPLACES]
)
def test_marketplace_rejects_invalid_manifests(
    validators: dict[str, Draft202012Validator], document: dict[str, Any], why: str
) -> None:
    assert problems(validators["marketplace"], document), why


# --- the shipped files validate against their schemas -----------------------------------------


def shipped(folder: str) -> list[Path]:
    return sorted((PLUGIN / folder).glob("*.md"))


def read_frontmatter(path: Path) -> dict[Any, Any]:
    text, bom = frontmatter.decode(path.read_bytes())
    document = frontmatter.parse(text, bom=bom)
    assert document.problem is None, f"{path.name}: {document.problem}"
    assert document.frontmatter is not None
    return document.frontmatter.fields


def test_the_bundle_has_files_to_check() -> None:
    assert shipped("agents"), "no agents/*.md in the repository"
    assert shipped("commands"), "no commands/*.md in the repository"


@pytest.mark.parametrize("path", shipped("agents"), ids=lambda p: p.name)
def test_shipped_agent_validates(validators: dict[str, Draft202012Validator], path: Path) -> None:
    assert problems(validators["agent"], read_frontmatter(path)) == []


@pytest.mark.parametrize("path", shipped("commands"), ids=lambda p: p.name)
def test_shipped_command_validates(validators: dict[str, Draft202012Validator], path: Path) -> None:
    assert problems(validators["command"], read_frontmatter(path)) == []


@pytest.mark.parametrize("name", ["plugin", "marketplace"])
def test_shipped_manifest_validates(validators: dict[str, Draft202012Validator], name: str) -> None:
    folder = PLUGIN if name == "plugin" else REPO
    document = json.loads((folder / ".claude-plugin" / f"{name}.json").read_text(encoding="utf-8"))
    assert problems(validators[name], document) == []
