"""The linter and the published JSON Schemas (schemas/) agree.

The linter validates every file against these schemas at run time (contract.py) and keeps in code
only what a schema cannot say; this test holds the two together from the schema's side: every
corpus case of a rule a schema can express must be rejected by that schema, and every form the
linter accepts as clean (the shipped bundle, and the client-accepted forms in test_lint_rules.py)
must be accepted by it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import PLUGIN, REPO
from jsonschema import Draft202012Validator
from test_lint_corpus import CASES, CORPUS
from test_lint_rules import CLEAN_AGENT_FIELDS, CLEAN_COMMAND_FIELDS, GOOD

from ml_agents import frontmatter
from ml_agents.lint.discover import place_of
from ml_agents.lint.rules import AGENT, COMMAND, MARKETPLACE_MANIFEST, PLUGIN_MANIFEST, SKILL

SCHEMA_FOR_KIND = {
    AGENT: "agent",
    COMMAND: "command",
    SKILL: "skill",
    PLUGIN_MANIFEST: "plugin",
    MARKETPLACE_MANIFEST: "marketplace",
}
# rules about the shape of one file's data: a JSON Schema can say the same thing
SCHEMA_EXPRESSIBLE = {
    "CC201", "CC202", "CC203", "CC204", "CC205", "CC207", "CC208", "CC209", "CC210", "CC211",
    "CC212", "CC214", "CC215", "CC216", "CC217", "CC218", "CC220", "CC301", "CC304", "CC307",
    "CC401", "CC403", "CC404", "CC405", "CC502", "CC503", "CC504", "CC505", "CC507", "CC509",
}  # fmt: skip


@cache
def validator(name: str) -> Draft202012Validator:
    path = REPO / "schemas" / f"{name}.schema.json"
    if not path.is_file():
        pytest.fail(f"{path} is missing: the schemas are part of the contract")
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def data_of(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    document = frontmatter.parse(text)
    assert document.frontmatter is not None, path
    return document.frontmatter.fields


@pytest.mark.parametrize(
    ("code", "relative"),
    [(c, r) for c, r, _ in CASES if c in SCHEMA_EXPRESSIBLE],
    ids=[c for c, _, _ in CASES if c in SCHEMA_EXPRESSIBLE],
)
def test_schema_rejects_what_the_linter_rejects(code: str, relative: str) -> None:
    path = CORPUS / code / relative
    schema = SCHEMA_FOR_KIND[place_of(path).kind]
    errors = list(validator(schema).iter_errors(data_of(path)))
    assert errors, (
        f"{schema}.schema.json accepts {path.relative_to(REPO)}, which the linter reports as {code}"
    )


def test_every_expressible_rule_is_checked() -> None:
    assert {c for c, _, _ in CASES} >= SCHEMA_EXPRESSIBLE


@pytest.mark.parametrize(
    "path",
    sorted(
        [
            *(PLUGIN / "agents").glob("*.md"),
            *(PLUGIN / "commands").glob("*.md"),
            *(REPO / ".claude-plugin").glob("*.json"),
        ]
    ),
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_schema_accepts_the_shipped_bundle(path: Path) -> None:
    schema = SCHEMA_FOR_KIND[place_of(path).kind]
    errors = [e.message for e in validator(schema).iter_errors(data_of(path))]
    assert errors == []


@pytest.mark.parametrize("front", CLEAN_AGENT_FIELDS)
def test_schema_accepts_clean_agent_forms(front: str) -> None:
    document = frontmatter.parse(f"---\n{GOOD}{front}---\nBody\n")
    assert document.frontmatter is not None
    errors = [e.message for e in validator("agent").iter_errors(document.frontmatter.fields)]
    assert errors == []


@pytest.mark.parametrize("front", CLEAN_COMMAND_FIELDS)
def test_schema_accepts_clean_command_forms(front: str) -> None:
    document = frontmatter.parse(f"---\ndescription: Review a diff.\n{front}---\nBody\n")
    assert document.frontmatter is not None
    errors = [e.message for e in validator("command").iter_errors(document.frontmatter.fields)]
    assert errors == []
