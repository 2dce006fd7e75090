"""``.mcp.json`` at a project or plugin root: ``{"mcpServers": {name: server}}``.

Measured with ``claude plugin validate`` (2.1.332): a server of the wrong shape is dropped at load,
one with a url that is not absolute is never connected; a plugin may also give the bare map of
servers. The client expands only ``${NAME}`` and ``${NAME:-default}`` in the server's strings.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ml_agents.lint.configfile import Report
from ml_agents.lint.context import suggest
from ml_agents.lint.jsonpos import JsonPath
from ml_agents.lint.positions import shown, type_name

LOCAL_TYPES = ("stdio",)
REMOTE_TYPES = ("http", "sse", "ws")
DROPPED = "the client drops this server at load"
_EXPANDED = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}")
_DOLLAR = re.compile(r"\$(?:\{[^}]*\}?|[A-Za-z_][A-Za-z0-9_]*)")
_ABSOLUTE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]\S*")


def check_mcp(report: Report, value: dict[str, Any]) -> None:
    path: JsonPath = ()
    if "mcpServers" not in value:
        servers = value  # the bare map of servers a plugin may give
    else:
        servers, path = value["mcpServers"], ("mcpServers",)
        if not isinstance(servers, dict):
            report.value(
                "CC852",
                path,
                f"mcpServers must be an object of servers by name, not {type_name(servers)}; "
                "no server is started",
                'Write "mcpServers": {"<name>": {"command": "..."}}.',
            )
            return
    for name, server in servers.items():
        _check_server(report, (*path, name), server)


def _check_server(report: Report, path: JsonPath, server: Any) -> None:
    name = shown(str(path[-1]))
    if not isinstance(server, dict):
        report.value(
            "CC852",
            path,
            f"server {name} must be an object, not {type_name(server)}; {DROPPED}",
            'Write {"command": "<program>", "args": ["..."]}.',
        )
        return
    kind = server.get("type", "stdio")
    if kind in LOCAL_TYPES:
        _need_string(report, path, server, "command", '"command": "npx"')
        _need_strings(report, path, server, "args", list)
        _need_strings(report, path, server, "env", dict)
    elif kind in REMOTE_TYPES:
        if _need_string(report, path, server, "url", '"url": "https://host/mcp"'):
            url = server["url"]
            if not _EXPANDED.match(url) and not _ABSOLUTE_URL.fullmatch(url):
                report.value(
                    "CC852",
                    (*path, "url"),
                    f"server {name}: url {shown(url)} is not an absolute URL; the client never "
                    "connects it",
                    'Write "url": "https://host/path".',
                )
        _need_strings(report, path, server, "headers", dict)
    else:
        choices = (*LOCAL_TYPES, *REMOTE_TYPES)
        guess = suggest(kind, frozenset(choices), {}) if isinstance(kind, str) else None
        report.value(
            "CC852",
            (*path, "type"),
            f"server {name}: type {shown(kind)} is not one of {', '.join(choices)}; {DROPPED}",
            f'Write "type": "{guess}".' if guess else 'Write "type": "http" (or stdio, sse, ws).',
        )
        return
    _check_variables(report, path, server)


def _need_string(
    report: Report, path: JsonPath, server: dict[str, Any], key: str, good: str
) -> bool:
    if isinstance(server.get(key), str):
        return True
    found = type_name(server[key]) if key in server else "missing"
    report.value(
        "CC852",
        (*path, key) if key in server else path,
        f"server {shown(str(path[-1]))} needs a string {key!r} ({found}); {DROPPED}",
        f"Write {good}.",
    )
    return False


def _need_strings(
    report: Report, path: JsonPath, server: dict[str, Any], key: str, container: type
) -> None:
    """``key`` is absent, or a list (``container`` list) or an object of strings."""
    if key not in server:
        return
    value = server[key]
    shape = "a list of strings" if container is list else "an object of strings"
    example = '["--port", "5432"]' if container is list else '{"NAME": "value"}'
    if container is list and isinstance(value, str):
        example = json.dumps(value.split())  # the words the author meant, one string each
    items = value if isinstance(value, list) else value.values() if isinstance(value, dict) else []
    if isinstance(value, container) and all(isinstance(item, str) for item in items):
        return
    report.value(
        "CC852",
        (*path, key),
        f"server {shown(str(path[-1]))}: {key} must be {shape}; {DROPPED}",
        f'Write "{key}": {example}.',
    )


def _check_variables(report: Report, path: JsonPath, server: dict[str, Any]) -> None:
    strings: list[tuple[JsonPath, str]] = []
    for key in ("command", "url"):
        if isinstance(server.get(key), str):
            strings.append(((*path, key), server[key]))
    for key in ("args", "env", "headers"):
        value = server.get(key)
        pairs = (
            enumerate(value)
            if isinstance(value, list)
            else (value.items() if isinstance(value, dict) else [])
        )
        strings.extend(
            ((*path, key, index), item) for index, item in pairs if isinstance(item, str)
        )
    for where, text in strings:
        expanded = {m.start() for m in _EXPANDED.finditer(text)}
        for match in _DOLLAR.finditer(text):
            if match.start() in expanded:
                continue
            written = match.group()
            name = re.sub(r"[^A-Za-z0-9_]", "_", written.strip("${}")) or "NAME"
            report.value(
                "CC853",
                where,
                f"{shown(written)} is not expanded by Claude Code; the server receives it as "
                "written",
                f"Write ${{{name}}} (or ${{{name}:-default}}).",
            )
            break
