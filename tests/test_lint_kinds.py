"""settings.json, a plugin's hooks/hooks.json and .mcp.json: found where the client reads them, and
checked as the client treats them.

The expected consequences were measured on Claude Code 2.1.332: ``claude plugin validate`` for
hooks.json and .mcp.json, and the debug log of a headless run for settings.json (a wrong-typed key
there makes the client drop the whole file: its ``env`` is then not applied).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, RunCli, write
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from test_lint_corpus import CASES, CORPUS
from test_schemas import documented_properties

from ml_agents.lint.engine import lint
from ml_agents.lint.result import Finding
from ml_agents.lint.rules import HOOKS_CONFIG, MCP_CONFIG, SETTINGS

PLUGIN_JSON = json.dumps(
    {"name": "kit", "version": "1.0.0", "description": "A kit.", "author": {"name": "a"}}
)


def findings_in(path: Path, text: str | dict[str, Any] | list[Any]) -> list[Finding]:
    """Write ``text`` (JSON for a value) at ``path`` and lint that one file."""
    write(path, text if isinstance(text, str) else json.dumps(text, indent=2))
    return lint([path], cwd=path.parent).findings


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def settings(tmp_path: Path, value: str | dict[str, Any] | list[Any]) -> list[Finding]:
    return findings_in(tmp_path / "project" / ".claude" / "settings.json", value)


def hooks(tmp_path: Path, value: str | dict[str, Any] | list[Any]) -> list[Finding]:
    write(tmp_path / "kit" / ".claude-plugin" / "plugin.json", PLUGIN_JSON)
    return findings_in(tmp_path / "kit" / "hooks" / "hooks.json", value)


def mcp(tmp_path: Path, value: str | dict[str, Any] | list[Any]) -> list[Finding]:
    return findings_in(tmp_path / "project" / ".mcp.json", value)


# --- where the files are found ----------------------------------------------------------------


def test_walk_finds_every_config_kind_where_the_client_reads_it(tmp_path: Path) -> None:
    write(tmp_path / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(tmp_path / ".claude" / "settings.json", "{}")
    write(tmp_path / ".claude" / "settings.local.json", "{}")
    write(tmp_path / ".mcp.json", '{"mcpServers": {}}')
    plugin = tmp_path / "plugins" / "kit"
    manifest = json.loads(PLUGIN_JSON) | {
        "hooks": "./extra/more-hooks.json",
        "mcpServers": "./servers.json",
    }
    write(plugin / ".claude-plugin" / "plugin.json", json.dumps(manifest))
    write(plugin / "hooks" / "hooks.json", '{"hooks": {}}')
    write(plugin / "extra" / "more-hooks.json", '{"hooks": {}}')
    write(plugin / "servers.json", "{}")
    write(plugin / ".mcp.json", "{}")
    # not read by the client: settings outside .claude/, hooks.json outside hooks/
    write(tmp_path / "settings.json", '{"bogus": 1}')
    write(tmp_path / "config" / "hooks.json", "[]")
    result = lint([Path()], cwd=tmp_path)
    assert result.findings == []
    assert sorted(result.files) == sorted(
        [
            ".claude/settings.json",
            ".claude/settings.local.json",
            ".mcp.json",
            "plugins/kit/.claude-plugin/plugin.json",
            "plugins/kit/.mcp.json",
            "plugins/kit/extra/more-hooks.json",
            "plugins/kit/hooks/hooks.json",
            "plugins/kit/servers.json",
        ]
    )


def test_lint_without_paths_reads_the_project_settings_and_mcp(tmp_path: Path) -> None:
    write(tmp_path / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(tmp_path / ".claude" / "settings.json", '{"permisions": {}}')
    write(tmp_path / ".mcp.json", '{"mcpServers": {"db": {"args": []}}}')
    result = lint([], cwd=tmp_path)
    assert sorted(result.files) == [".claude/settings.json", ".mcp.json"]
    assert sorted(codes(result.findings)) == ["CC706", "CC852"]


def test_user_settings_named_on_the_command_line(tmp_path: Path) -> None:
    user_settings = tmp_path / "home" / ".claude" / "settings.json"
    found = findings_in(user_settings, {"permissions": {"allow": ["read"]}})
    assert codes(found) == ["CC703"]
    assert found[0].path == str(user_settings)


def test_a_settings_json_elsewhere_is_explained_not_linted(tmp_path: Path) -> None:
    found = findings_in(tmp_path / "settings.json", {"permisions": 1})
    assert codes(found) == ["CC005"]


def test_cli_reports_config_findings_and_fails(run_cli: RunCli, tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(project / ".claude" / "settings.json", '{\n  "permissions": {"deny": ["bash(rm *)"]}\n}')
    write(project / ".mcp.json", '{"mcpServers": {"db": {"command": "db", "args": "-v"}}}')
    done = run_cli("lint", ".claude/settings.json", ".mcp.json", cwd=project)
    assert done.returncode == 1, done.stdout + done.stderr
    assert ".claude/settings.json:2:28: error CC703" in done.stdout
    assert ".mcp.json:1:49: error CC852" in done.stdout
    assert 'hint: Write "args": ["-v"].' in done.stdout
    assert "Traceback" not in done.stderr


def test_pre_commit_files_pattern_covers_the_config_kinds() -> None:
    hooks_yaml = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    pattern = re.compile(hooks_yaml[0]["files"])
    for path in (
        ".claude/settings.json",
        ".claude/settings.local.json",
        "plugins/kit/hooks/hooks.json",
        "hooks/hooks.json",
        ".mcp.json",
        "plugins/kit/.mcp.json",
        ".claude/agents/reviewer.md",
    ):
        assert pattern.search(path), path
    for path in ("schemas/settings.schema.json", "settings.json", "config/hooks.json", "mcp.json"):
        assert not pattern.search(path), path


# --- settings.json ----------------------------------------------------------------------------

CLEAN_SETTINGS = {
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
    "model": "opusplan",
    "env": {"DEBUG": "1", "RETRIES": 3},
    "permissions": {
        "allow": [
            "Bash(npm run test:*)",
            "Bash(git diff *)",
            "Read(//etc/hosts)",
            "Edit(src/**)",
            "WebFetch(domain:*.example.com)",
            "mcp__github",
            "mcp__github__get_*",
            "Task(reviewer)",
            "Skill(deploy)",
        ],
        "ask": ["Bash(git push *)"],
        "deny": ["Read(./.env)", "Agent(Explore)", "mcp__db__drop_table"],
        "defaultMode": "acceptEdits",
        "additionalDirectories": ["../docs"],
    },
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Bash",
                "hooks": [{"type": "command", "command": "./guard.sh", "timeout": 5}],
            }
        ],
        "Stop": [{"hooks": [{"type": "prompt", "prompt": "Are the tests green?"}]}],
    },
    "statusLine": {"type": "command", "command": "~/.claude/status.sh"},
    "enabledPlugins": {"kit@market": True},
    "cleanupPeriodDays": 60,
    "includeCoAuthoredBy": False,
}


def test_clean_settings_have_no_findings(tmp_path: Path) -> None:
    assert settings(tmp_path, CLEAN_SETTINGS) == []


def test_a_second_permissions_key_is_reported_where_it_replaces_the_first(tmp_path: Path) -> None:
    text = '{\n  "permissions": {"allow": ["Read"]},\n  "permissions": {"deny": ["Bash"]}\n}\n'
    found = settings(tmp_path, text)
    assert [(f.code, f.severity, f.line, f.col) for f in found] == [("CC705", "error", 3, 3)]
    assert "'permissions' appears twice" in found[0].message
    assert "'permissions'" in found[0].hint


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"model": 5}, "model must be a string"),
        ({"permissions": []}, "permissions must be an object"),
        ({"permissions": {"allow": "Bash(ls)"}}, "permissions.allow must be an array"),
        ({"permissions": {"defaultMode": "yolo"}}, "permissions.defaultMode 'yolo'"),
        ({"permissions": {"additionalDirectories": "../x"}}, "additionalDirectories must be"),
        ({"disableAllHooks": "yes"}, "disableAllHooks must be a boolean"),
        ({"cleanupPeriodDays": "30"}, "cleanupPeriodDays must be an integer"),
        ([], "the file must hold a JSON object"),
    ],
)
def test_a_wrong_type_drops_the_whole_file(tmp_path: Path, value: Any, where: str) -> None:
    found = settings(tmp_path, value)
    assert codes(found) == ["CC702"], found
    assert where in found[0].message
    assert "ignores this whole settings file" in found[0].message
    assert found[0].hint.startswith(("Write", "Use"))


@pytest.mark.parametrize(
    ("key", "value"), [("env", ["A=1"]), ("extraKnownMarketplaces", ["tools"])]
)
def test_a_key_the_client_drops_alone(tmp_path: Path, key: str, value: Any) -> None:
    found = settings(tmp_path, {key: value})
    assert codes(found) == ["CC702"]
    assert f"drops {key}" in found[0].message and "whole" not in found[0].message


@pytest.mark.parametrize(
    ("rule", "code", "fixed"),
    [
        ("bash(ls)", "CC703", "Bash(ls)"),
        ("task(reviewer)", "CC703", "Agent(reviewer)"),
        ("Bash(:*)", "CC703", "Bash(npm run *)"),
        ("Bash(npm test", "CC703", None),
        ("Read()", "CC703", "Read"),
        ("mcp__db(query)", "CC703", "mcp__db__*"),
        ("WebFetch(https://example.com/docs)", "CC703", "WebFetch(domain:example.com)"),
        (7, "CC703", None),
        ("", "CC703", None),
        ("Bahs(npm test)", "CC704", "Bash"),
        ("Write(docs/**)", "CC704", "Edit(docs/**)"),
    ],
)
def test_permission_rules(tmp_path: Path, rule: Any, code: str, fixed: str | None) -> None:
    found = settings(tmp_path, {"permissions": {"deny": ["Bash(rm *)", rule]}})
    assert codes(found) == [code], found
    assert found[0].line == 5  # the rule's own line, not the list's
    if fixed is not None:
        assert fixed in found[0].hint


@pytest.mark.parametrize(
    ("model", "flagged"),
    [
        ("Claude Sonnet 4.5", True),
        ("gpt-4o", True),
        ("sonnet", False),
        ("Opus", False),
        ("claude-opus-4-8", False),
        ("opus[1m]", False),
    ],
)
def test_settings_model(tmp_path: Path, model: str, flagged: bool) -> None:
    found = settings(tmp_path, {"model": model})
    assert codes(found) == (["CC707"] if flagged else [])


def test_unknown_settings_key_names_the_likely_key(tmp_path: Path) -> None:
    found = settings(tmp_path, {"permisions": {}, "my-own-tool": True})
    assert codes(found) == ["CC706", "CC706"]
    assert found[0].hint == "Rename it to 'permissions'."
    assert "Remove 'my-own-tool'" in found[1].hint


@pytest.mark.parametrize(
    ("event", "consequence"),
    [("PreToolUse", "refuses this whole settings file"), ("Stop", "the client ignores it")],
)
def test_hook_events_outside_hooks_in_settings(
    tmp_path: Path, event: str, consequence: str
) -> None:
    found = settings(tmp_path, {event: [{"hooks": [{"type": "command", "command": "x"}]}]})
    assert [(f.code, f.severity) for f in found] == [("CC802", "error")]
    assert consequence in found[0].message


def test_a_broken_guard_hook_in_settings_drops_the_whole_file(tmp_path: Path) -> None:
    value = {"hooks": {"PreToolUse": [{"hooks": [{"type": "command"}]}]}}
    found = settings(tmp_path, value)
    assert codes(found) == ["CC805"]
    assert "refuses this whole settings file" in found[0].message


# --- hooks/hooks.json -------------------------------------------------------------------------

CLEAN_HOOKS = {
    "description": "Formatting and checks.",
    "hooks": {
        "PostToolUse": [
            {
                "matcher": "Write|Edit",
                "hooks": [
                    {"type": "command", "command": '"${CLAUDE_PLUGIN_ROOT}"/fmt.sh', "timeout": 30},
                    {"type": "command", "command": "bash '${CLAUDE_PLUGIN_ROOT}/x.sh'"},
                    {"type": "command", "command": "node", "args": ["${CLAUDE_PLUGIN_ROOT}/a.js"]},
                ],
            }
        ],
        "Stop": [{"hooks": [{"type": "agent", "prompt": "Check the work.", "model": "haiku"}]}],
        "Notification": [{"hooks": [{"type": "http", "url": "https://hooks.example.com/n"}]}],
        "SessionStart": [
            {"hooks": [{"type": "mcp_tool", "server": "kb", "tool": "warm", "once": True}]}
        ],
        "PermissionRequest": [],
    },
}


def test_clean_hooks_have_no_findings(tmp_path: Path) -> None:
    assert hooks(tmp_path, CLEAN_HOOKS) == []


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ({"hooks": {"Stop": {"hooks": []}}}, "CC802", "must be a list of matchers"),
        ({"hooks": {"Stop": [{"matcher": 5, "hooks": []}]}}, "CC802", "matcher must be a string"),
        ({"hooks": {"Stop": [{"matcher": "x"}]}}, "CC802", "needs a 'hooks' list"),
        ({"hooks": []}, "CC802", "must be an object mapping event names"),
        ([], "CC802", "must hold a JSON object"),
        ({"description": "no hooks"}, "CC802", "no 'hooks' object"),
        ({"Stop": []}, "CC802", "outside the 'hooks' object: the client ignores it"),
        ({"hooks": {"stop": []}}, "CC803", "'stop'"),
        ({"hooks": {"Stop": [{"hooks": [{"command": "x"}]}]}}, "CC805", "hook type missing"),
        ({"hooks": {"Stop": [{"hooks": [{"type": "command"}]}]}}, "CC805", "'command'"),
        ({"hooks": {"Stop": [{"hooks": [{"type": "http"}]}]}}, "CC805", "'url'"),
        ({"hooks": {"Stop": [{"hooks": [{"type": "mcp_tool", "server": "a"}]}]}}, "CC805", "tool"),
        (
            {"hooks": {"Stop": [{"hooks": [{"type": "prompt", "prompt": "p", "timeout": "9"}]}]}},
            "CC805",
            "timeout must be a positive number",
        ),
        ({"hooks": {"Stop": [{"hooks": ["echo"]}]}}, "CC805", "must be an object"),
    ],
)
def test_hooks_shapes(tmp_path: Path, value: Any, code: str, words: str) -> None:
    found = hooks(tmp_path, value)
    assert codes(found) == [code], found
    assert words in found[0].message
    consequences = ("the client ignores it", "registers no hooks")
    assert any(c in found[0].message for c in consequences) or code == "CC803"


def test_a_broken_guard_hook_refuses_every_hook_in_the_file(tmp_path: Path) -> None:
    value = {
        "hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "x", "timeout": "30"}]}]}
    }
    found = hooks(tmp_path, value)
    assert codes(found) == ["CC805"]
    assert "refuses every hook in this file" in found[0].message


def test_unquoted_plugin_root_shows_the_quoted_command(tmp_path: Path) -> None:
    command = "python3 ${CLAUDE_PLUGIN_ROOT}/hooks/check.py --fast"
    found = hooks(
        tmp_path, {"hooks": {"Stop": [{"hooks": [{"type": "command", "command": command}]}]}}
    )
    assert codes(found) == ["CC806"]
    assert found[0].hint == (
        'Write "command": "python3 \\"${CLAUDE_PLUGIN_ROOT}\\"/hooks/check.py --fast".'
    )


def test_invalid_hooks_json_says_the_plugin_fails_to_load(tmp_path: Path) -> None:
    found = hooks(tmp_path, '{"hooks": {"Stop": [}}')
    assert codes(found) == ["CC801"]
    assert "the whole plugin fails to load" in found[0].message


# --- .mcp.json ----------------------------------------------------------------------------------

CLEAN_MCP = {
    "mcpServers": {
        "files": {"command": "npx", "args": ["-y", "files-mcp", "${HOME}/data", "${ROOT:-/srv}"]},
        "api": {
            "type": "http",
            "url": "${API_URL:-https://api.example.com}/mcp",
            "headers": {"Authorization": "Bearer ${API_TOKEN}"},
        },
        "events": {"type": "sse", "url": "https://events.example.com/sse"},
        "local": {"type": "stdio", "command": "./server", "env": {"LOG": "debug"}},
    }
}


def test_clean_mcp_has_no_findings(tmp_path: Path) -> None:
    assert mcp(tmp_path, CLEAN_MCP) == []
    assert mcp(tmp_path, CLEAN_MCP["mcpServers"]) == []  # the bare map a plugin may give


@pytest.mark.parametrize(
    ("server", "code", "words"),
    [
        ({"type": "stdio"}, "CC852", "needs a string 'command' (missing)"),
        ({"type": "http"}, "CC852", "needs a string 'url'"),
        ({"type": "websocket", "url": "ws://x"}, "CC852", "type 'websocket' is not one of"),
        ({"command": "npx", "args": "-y x"}, "CC852", "args must be a list of strings"),
        ({"command": "npx", "args": ["-y", 5]}, "CC852", "args must be a list of strings"),
        ({"command": "npx", "env": {"A": 1}}, "CC852", "env must be an object of strings"),
        ({"type": "sse", "url": "not a url"}, "CC852", "never connects"),
        ("npx server", "CC852", "must be an object, not a string"),
        ({"command": "srv", "args": ["$HOME/x"]}, "CC853", "'$HOME'"),
        ({"command": "srv", "env": {"T": "${my-token}"}}, "CC853", "'${my-token}'"),
        ({"type": "http", "url": "https://x/${TOKEN"}, "CC853", "'${TOKEN'"),
    ],
)
def test_mcp_servers(tmp_path: Path, server: Any, code: str, words: str) -> None:
    found = mcp(tmp_path, {"mcpServers": {"srv": server}})
    assert codes(found) == [code], found
    assert words in found[0].message


def test_duplicate_server_and_bad_json(tmp_path: Path) -> None:
    text = '{"mcpServers": {\n"db": {"command": "a"},\n"db": {"command": "b"}}}'
    assert [(f.code, f.line) for f in mcp(tmp_path, text)] == [("CC854", 3)]
    assert codes(mcp(tmp_path, '{"mcpServers": }')) == ["CC851"]


@pytest.mark.parametrize(
    "value",
    [None, 0, "x", [], [None], {"": None}, {"mcpServers": None}, {"hooks": {"Stop": [None]}}],
)
@pytest.mark.parametrize("kind", [settings, hooks, mcp])
def test_odd_values_are_findings_not_crashes(tmp_path: Path, kind: Any, value: Any) -> None:
    for finding in kind(tmp_path, value):
        assert finding.code != "CC000", finding


# --- the schemas say the same -------------------------------------------------------------------

SCHEMA_FOR_KIND = {SETTINGS: "settings", HOOKS_CONFIG: "hooks", MCP_CONFIG: "mcp"}
SCHEMA_EXPRESSIBLE = {"CC702", "CC706", "CC802", "CC803", "CC805", "CC852"}


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    return loaded


def validator(name: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resources(
        (schema(n)["$id"], Resource.from_contents(schema(n))) for n in SCHEMA_FOR_KIND.values()
    )
    return Draft202012Validator(schema(name), registry=registry)


@pytest.mark.parametrize("name", sorted(SCHEMA_FOR_KIND.values()))
def test_schema_is_documented_2020_12(name: str) -> None:
    loaded = schema(name)
    Draft202012Validator.check_schema(loaded)
    assert loaded["$id"] == f"https://ml-agents.dev/schemas/{name}.schema.json"
    undocumented = [
        where
        for where, sub in documented_properties(loaded)
        if not (isinstance(sub, dict) and sub.get("title") and sub.get("description"))
    ]
    assert not undocumented, undocumented


@pytest.mark.parametrize(
    ("code", "relative"),
    [(c, r) for c, r, _ in CASES if c in SCHEMA_EXPRESSIBLE],
    ids=[c for c, _, _ in CASES if c in SCHEMA_EXPRESSIBLE],
)
def test_schema_rejects_the_corpus_case(code: str, relative: str) -> None:
    path = CORPUS / code / relative
    kind = {".mcp.json": MCP_CONFIG, "hooks.json": HOOKS_CONFIG}.get(path.name, SETTINGS)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(validator(SCHEMA_FOR_KIND[kind]).iter_errors(data)), path


@pytest.mark.parametrize(
    ("name", "value"),
    [("settings", CLEAN_SETTINGS), ("hooks", CLEAN_HOOKS), ("mcp", CLEAN_MCP)],
)
def test_schema_accepts_the_clean_files(name: str, value: dict[str, Any]) -> None:
    assert list(validator(name).iter_errors(value)) == []


def test_every_x_rule_names_a_rule_of_this_kind() -> None:
    from ml_agents.lint.rules import RULES

    def x_rules(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [v for k, v in node.items() if k.startswith("x-rule")]
            return found + [r for v in node.values() for r in x_rules(v)]
        if isinstance(node, list):
            return [r for v in node for r in x_rules(v)]
        return []

    for kind, name in SCHEMA_FOR_KIND.items():
        named = x_rules(schema(name))
        assert named, name
        for code in named:
            assert kind in RULES[code].kinds, (name, code)


def test_every_rule_has_its_section_in_the_rules_page() -> None:
    from ml_agents.lint.docs import render_rules_markdown
    from ml_agents.lint.rules import RULES

    page = render_rules_markdown()
    missing = [code for code, rule in RULES.items() if f"### {code} {rule.name}" not in page]
    assert not missing
