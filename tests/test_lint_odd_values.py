"""Every key the linter knows, given every odd value shape, must give findings, never CC000.

Hypothesis draws random documents; this walks the known keys on purpose, because a checker that
compares a nested value with a set of allowed names only breaks when that one key holds a list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ml_agents.lint import spec
from ml_agents.lint.engine import lint

ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    "",
    "x",
    [],
    ["x"],
    [["x"]],
    [{"a": ["b"]}],
    {},
    {"a": 1},
    {"a": ["b"]},
    {"source": ["x"], "type": ["x"], "hooks": [{"type": ["x"]}]},
]
HOOK_SHAPES: list[Any] = (
    [
        {"PreToolUse": [{"matcher": value, "hooks": [{"type": value, "command": value}]}]}
        for value in ODD_VALUES
    ]
    + [{"PreToolUse": value} for value in ODD_VALUES]
    + [{"Stop": [value]} for value in ODD_VALUES]
)


def frontmatter_file(key: str, value: Any) -> str:
    # JSON is valid YAML flow syntax, so any value shape can be written inline
    return (
        "---\nname: odd-agent\ndescription: Use it for tests.\n"
        f"{json.dumps(key)}: {json.dumps(value)}\n---\nbody\n"
    )


def lint_one(tmp_path: Path, relative: str, text: str) -> list[str]:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    findings = lint([path], cwd=tmp_path).findings
    return [f"{f.code} {f.message}" for f in findings if f.code == "CC000"]


@pytest.mark.parametrize(
    ("relative", "keys"),
    [
        ("agents/odd.md", sorted(spec.AGENT_KEYS)),
        ("commands/odd.md", sorted(spec.COMMAND_KEYS)),
        ("skills/odd/SKILL.md", sorted(spec.SKILL_KEYS)),
    ],
    ids=["agent", "command", "skill"],
)
def test_frontmatter_keys_with_odd_values(tmp_path: Path, relative: str, keys: list[str]) -> None:
    crashes = []
    for key in keys:
        values = HOOK_SHAPES + ODD_VALUES if key == "hooks" else ODD_VALUES
        for value in values:
            crashed = lint_one(tmp_path, relative, frontmatter_file(key, value))
            if crashed:
                crashes.append((key, value, crashed))
    assert not crashes, crashes[:5]


def test_manifest_keys_with_odd_values(tmp_path: Path) -> None:
    (tmp_path / "plugin-folder").mkdir()
    crashes = []
    for key in sorted(spec.manifest_tables().plugin_keys):
        for value in ODD_VALUES:
            manifest = {"name": "odd", "version": "1.0.0", key: value}
            text = json.dumps(manifest)
            crashed = lint_one(tmp_path, ".claude-plugin/plugin.json", text)
            if crashed:
                crashes.append(("plugin.json", key, value, crashed))
    for key in sorted(spec.manifest_tables().marketplace_keys | spec.manifest_tables().entry_keys):
        for value in ODD_VALUES:
            entry = {"name": "odd", "source": "./plugin-folder", key: value}
            top = {"name": "market", "owner": {"name": "o"}, "plugins": [entry], key: value}
            crashed = lint_one(tmp_path, ".claude-plugin/marketplace.json", json.dumps(top))
            if crashed:
                crashes.append(("marketplace.json", key, value, crashed))
    assert not crashes, crashes[:5]
