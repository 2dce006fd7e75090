"""hooks/hooks.json, .mcp.json and settings.json: the linter and Claude Code 2.1.332 agree.

hooks.json and .mcp.json are judged by ``claude plugin validate``; settings.json by a headless run
against a fake API, whose debug log tells whether the file's env was applied (a wrong-typed key
drops the whole file) and which entries were skipped.

Each variant goes into a throwaway plugin; the client must report a problem with the file exactly
when the linter reports one it can see. Rules about other things are left out of the comparison:
CC804 (the older client 2.1.197) and CC853 (variables the client passes on literally: validate
does not look at them).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import write
from e2e.client import (
    LAST_ON_NODE_20,
    ClientUnavailable,
    ensure_client,
    new_project,
    offline_env,
    run_client,
)
from e2e.fake_api import always_text
from test_lint_corpus import CORPUS
from test_lint_kinds import CLEAN_HOOKS, CLEAN_MCP, PLUGIN_JSON
from test_plugin_manifest import claude, validate

from ml_agents.lint.engine import lint
from ml_agents.lint.result import Finding

pytestmark = pytest.mark.e2e
__all__ = ["claude"]  # the fixture, imported for this module's tests

NOT_SEEN_BY_VALIDATE = {"CC804", "CC853"}


def _handler(**fields: Any) -> dict[str, Any]:
    return {"hooks": {"Stop": [{"hooks": [fields]}]}}


HOOKS_CASES = {
    "clean": CLEAN_HOOKS,
    "event-not-a-list": {"hooks": {"Stop": {"hooks": []}}},
    "matcher-number": {"hooks": {"Stop": [{"matcher": 5, "hooks": []}]}},
    "unknown-event": {"hooks": {"PreTooluse": []}},
    "type-shell": _handler(type="shell", command="x"),
    "no-command": _handler(type="command"),
    "no-url": _handler(type="http"),
    "mcp-tool-no-tool": _handler(type="mcp_tool", server="a"),
    "timeout-string": _handler(type="command", command="x", timeout="30"),
    "model-number": _handler(type="agent", prompt="p", model=3),
    "guard-outside-hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "x"}]}]},
    "unquoted-root": _handler(type="command", command="${CLAUDE_PLUGIN_ROOT}/x.sh"),
    "quoted-root": _handler(type="command", command='"${CLAUDE_PLUGIN_ROOT}"/x.sh'),
}
MCP_CASES = {
    "clean": CLEAN_MCP,
    "bare-map": CLEAN_MCP["mcpServers"],
    "no-command": {"mcpServers": {"s": {"type": "stdio"}}},
    "no-url": {"mcpServers": {"s": {"type": "http"}}},
    "type-websocket": {"mcpServers": {"s": {"type": "websocket", "url": "ws://x"}}},
    "args-string": {"mcpServers": {"s": {"command": "npx", "args": "-y x"}}},
    "env-number": {"mcpServers": {"s": {"command": "npx", "env": {"A": 1}}}},
    "url-relative": {"mcpServers": {"s": {"type": "sse", "url": "not a url"}}},
    "server-string": {"mcpServers": {"s": "npx server"}},
}


def _plugin(tmp_path: Path, name: str, value: Any) -> Path:
    root = tmp_path / "kit"
    write(root / ".claude-plugin" / "plugin.json", PLUGIN_JSON)
    write(root / name, json.dumps(value, indent=2))
    return root


def _client_sees_a_problem(report: dict[str, Any], file: Path) -> bool:
    for content in report["contents"]:
        if Path(content["file"]) == file and (content["errors"] or content["warnings"]):
            return True
    return False


@pytest.mark.parametrize(
    ("name", "value"),
    [("hooks/hooks.json", v) for v in HOOKS_CASES.values()]
    + [(".mcp.json", v) for v in MCP_CASES.values()],
    ids=[f"hooks-{k}" for k in HOOKS_CASES] + [f"mcp-{k}" for k in MCP_CASES],
)
def test_linter_and_client_agree(claude: Any, tmp_path: Path, name: str, value: Any) -> None:
    root = _plugin(tmp_path, name, value)
    found = [
        f for f in lint([root / name], cwd=tmp_path).findings if f.code not in NOT_SEEN_BY_VALIDATE
    ]
    verdict = validate(claude, root, strict=False)
    client = _client_sees_a_problem(verdict.report, root / name)
    assert client == bool(found), (found, verdict.output[:3000])


def test_an_event_newer_than_2_1_197_is_rejected_there_only(claude: Any) -> None:
    plugin = CORPUS / "CC804" / "corpus-plugin"
    try:
        older = ensure_client(LAST_ON_NODE_20)
    except ClientUnavailable as error:
        pytest.skip(f"Claude Code {LAST_ON_NODE_20.version}: {error}")
    assert not _client_sees_a_problem(validate(claude, plugin).report, plugin / "hooks/hooks.json")
    with tempfile.TemporaryDirectory(prefix="ml-agents-validate-home-") as home:
        done = subprocess.run(  # 2.1.197 has no --json
            ["claude", "plugin", "validate", str(plugin)],
            env=offline_env(older.bin_dir, home),
            cwd=home,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    output = done.stdout + done.stderr
    assert done.returncode == 1 and "hooks.DirectoryAdded: Invalid key in record" in output, output


# --- settings.json: what a headless run applies -------------------------------------------------

MARK = "ML_AGENTS_SETTINGS_MARK"
SETTINGS_CASES = {
    "clean": {},
    "unknown-key": {"permisions": {"allow": ["Read"]}},
    "model-number": {"model": 5},
    "permissions-list": {"permissions": []},
    "allow-string": {"permissions": {"allow": "Bash(ls)"}},
    "default-mode": {"permissions": {"defaultMode": "yolo"}},
    "boolean-as-text": {"disableAllHooks": "yes"},
    "number-as-text": {"cleanupPeriodDays": "30"},
    "typed-boolean": {"includeCoAuthoredBy": "no"},
    "typed-array": {"enabledMcpjsonServers": "db"},
    "typed-object": {"statusLine": "~/status.sh"},
    "typed-string": {"language": 5},
    "typed-object-2": {"enabledPlugins": ["kit@market"]},
    "typed-string-2": {"apiKeyHelper": ["x"]},
    "t-disabledMcpjsonServers": {"disabledMcpjsonServers": "db"},
    "t-companyAnnouncements": {"companyAnnouncements": "hi"},
    "t-includeGitInstructions": {"includeGitInstructions": "no"},
    "t-respectGitignore": {"respectGitignore": 1},
    "t-enableAllProjectMcpServers": {"enableAllProjectMcpServers": "true"},
    "t-alwaysThinkingEnabled": {"alwaysThinkingEnabled": "true"},
    "t-spinnerTipsEnabled": {"spinnerTipsEnabled": 0},
    "t-autoMemoryEnabled": {"autoMemoryEnabled": "off"},
    "t-skipDangerous": {"skipDangerousModePermissionPrompt": "yes"},
    "t-outputStyle": {"outputStyle": 1},
    "t-plansDirectory": {"plansDirectory": 1},
    "t-extraKnownMarketplaces": {"extraKnownMarketplaces": []},
    "t-sandbox": {"sandbox": True},
    "t-attribution": {"attribution": "x"},
    "t-cleanup-zero": {"cleanupPeriodDays": 0},
    "lowercase-rule": {"permissions": {"deny": ["bash(rm *)", "Bash(git push *)"]}},
    "mcp-rule-pattern": {"permissions": {"allow": ["mcp__db(query)"]}},
    "non-string-rule": {"permissions": {"ask": [5]}},
    "misspelt-tool": {"permissions": {"allow": ["Bahs(ls)"]}},
    "unknown-event": {"hooks": {"PreTooluse": []}},
    "broken-stop-hook": {"hooks": {"Stop": [{"hooks": [{"type": "command"}]}]}},
    "broken-guard-hook": {"hooks": {"PreToolUse": [{"hooks": [{"type": "command"}]}]}},
    "guard-event-not-a-list": {"hooks": {"PreToolUse": {"hooks": []}}},
    "guard-outside-hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "x"}]}]},
    "stop-outside-hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x"}]}]},
    "unknown-permissions-key": {"permissions": {"alow": ["Read"]}},
}


class Applied(NamedTuple):
    whole_file: bool
    """The client applied the file (its env reached the session)."""
    skipped_entries: bool
    """The debug log says some entry of the file was skipped."""


def _client_applied(claude: Any, root: Path, value: Any) -> Applied:
    home, project = new_project(root)
    settings_file = home / ".claude" / "settings.json"
    write(settings_file, json.dumps(value | {"env": {MARK: "1"}}))
    run = run_client(claude, prompt="hi", home=home, project=project, script=always_text())
    env_line = next(
        (line for line in run.debug_log.splitlines() if "settingsEnv keys:" in line), ""
    )
    skipped = [
        line
        for line in run.debug_log.splitlines()
        if "Invalid setting skipped" in line and str(settings_file) in line
    ]
    return Applied(MARK in env_line, bool(skipped))


@pytest.mark.parametrize("value", SETTINGS_CASES.values(), ids=SETTINGS_CASES)
def test_settings_findings_match_what_the_client_applies(
    claude: Any, tmp_path: Path, value: dict[str, Any]
) -> None:
    found = findings_of_settings(tmp_path / "lint", value)
    client = _client_applied(claude, tmp_path / "client", value)
    whole = any("whole settings file" in f.message for f in found)
    assert client.whole_file == (not whole), (found, client)
    entry_codes = {"CC703", "CC802", "CC803", "CC805"}
    # an event beside "hooks" (not a guard) is dropped without a log line, like any unknown key
    logged = [
        f
        for f in found
        if (f.code in entry_codes and "outside the 'hooks'" not in f.message)
        or (f.code == "CC702" and not whole)  # a key dropped alone (extraKnownMarketplaces)
    ]
    if client.whole_file:
        assert client.skipped_entries == bool(logged), (found, client)
    # what the client keeps silently: unknown keys and rules that never match are warnings
    assert all(f.severity == "warning" for f in found if f.code in ("CC704", "CC706"))


def findings_of_settings(root: Path, value: dict[str, Any]) -> list[Finding]:
    path = write(root / ".claude" / "settings.json", json.dumps(value | {"env": {MARK: "1"}}))
    return lint([path], cwd=root).findings
