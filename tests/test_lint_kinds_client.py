"""hooks/hooks.json and .mcp.json: the linter and ``claude plugin validate`` (2.1.332) agree.

Each variant goes into a throwaway plugin; the client must report a problem with the file exactly
when the linter reports one it can see. Rules about other things are left out of the comparison:
CC804 (the older client 2.1.197) and CC853 (variables the client passes on literally: validate
does not look at them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from test_lint_kinds import CLEAN_HOOKS, CLEAN_MCP, PLUGIN_JSON
from test_plugin_manifest import claude, validate

from ml_agents.lint.engine import lint

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
