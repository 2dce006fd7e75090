"""The shipped content: /ml-integration and its ten agents, against every rule a program can check.

The coverage map (docs/coverage.md) assigns every rubric item to one owner; each row is checked
against the owner's file here, and the specification's bullets against the original specification.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import AGENT_NAMES, REPO

from ml_agents import frontmatter

COMMAND = REPO / "commands" / "ml-integration.md"
AGENTS = REPO / "agents"
# the original specification is not part of the repository: ML_AGENTS_SEED names it
SEED_ENV = "ML_AGENTS_SEED"
SEED = Path(os.environ.get(SEED_ENV) or REPO.parent / "shared" / "seed" / "ml-integration.md")
COLOURS = {"red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"}
MODEL_ALIASES = {"sonnet", "opus", "haiku", "fable", "best", "opusplan"}

# Least privilege by role: the exact grants, and the rules they must satisfy.
TOOLS = {
    "product-manager": {"Read", "Grep", "Glob", "Write", "Edit"},
    "data-scientist": {"Read", "Grep", "Glob", "Bash", "Write", "Edit", "NotebookEdit"},
    "ml-engineer": {"Read", "Grep", "Glob", "Bash", "Write", "Edit"},
    "backend-developer": {"Read", "Grep", "Glob", "Bash", "Write", "Edit"},
    "cloud-architect": {"Read", "Grep", "Glob", "Write", "Edit"},
    "devops-engineer": {"Read", "Grep", "Glob", "Bash", "Write", "Edit"},
    "performance-optimizer": {"Read", "Grep", "Glob", "Bash", "Write", "Edit"},
    "frontend-developer": {"Read", "Grep", "Glob", "Bash", "Write", "Edit"},
    "security-auditor": {"Read", "Grep", "Glob"},
    "documentation-specialist": {"Read", "Grep", "Glob", "Write", "Edit"},
}
READ_ONLY = {"security-auditor"}
NO_BASH = {"product-manager", "documentation-specialist", "cloud-architect", "security-auditor"}
WRITE_TOOLS = {"Bash", "Write", "Edit", "NotebookEdit"}

UNMAINTAINED = re.compile(
    r"TorchServe|text-generation-inference|\bTGI\b|Seldon|MLServer|whylogs|deepchecks|Featureform"
    r"|alibi-detect|openai evals",
    re.IGNORECASE,
)
AVOIDANCE = re.compile(
    r"\b(not|never|avoid|don't|do not|instead|deprecated|maintenance|archived)\b", re.I
)
# A number with a unit or comparison is a target; targets come from the user or from measurement.
INVENTED_NUMBER = re.compile(
    r"[<>≤≥]=?\s*\d"
    r"|\d+(?:\.\d+)?\s*(?:ms|msec|milliseconds?|seconds?|secs?|minutes?|hours?|%|percent|x\b|\u00d7"
    r"|rps|qps|req/s|requests per second|GB|MB|TB|GiB|MiB|USD|\$)"
    r"|\$\d|\b(?!0\.5\b)\d+\.\d+\b",  # 0.5 is the ML Test Score's half point, not a target
    re.IGNORECASE,
)

# The ML Test Score paper's own bands (Table V) are facts, not targets.
TABLE_V_BAND = re.compile(r"^\| (?:0|\(\d,\d\]|>5) \|")


class Agent(NamedTuple):
    path: Path
    fields: dict[str, object]
    body: str
    raw: str


def load(path: Path) -> Agent:
    data = path.read_bytes()
    text, bom = frontmatter.decode(data)
    assert not bom, f"{path.name}: BOM"
    document = frontmatter.parse(text)
    assert document.problem is None, f"{path.name}: {document.problem}"
    assert document.frontmatter is not None
    assert not document.frontmatter.recovered, f"{path.name}: YAML only parses after auto-quoting"
    assert not document.frontmatter.duplicate_keys, f"{path.name}: duplicate keys"
    return Agent(path, document.frontmatter.fields, document.body, text)


def tool_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [t for t in re.split(r"[,\s]+", str(value)) if t]


@pytest.fixture(scope="module")
def agents() -> dict[str, Agent]:
    return {path.stem: load(path) for path in sorted(AGENTS.glob("*.md"))}


@pytest.fixture(scope="module")
def command() -> Agent:
    return load(COMMAND)


def shipped_files() -> list[Path]:
    return [COMMAND, *sorted(AGENTS.glob("*.md"))]


def test_exactly_the_ten_agents_and_nothing_else_in_agents(agents: dict[str, Agent]) -> None:
    assert sorted(agents) == sorted(AGENT_NAMES)
    every_md = sorted(str(p.relative_to(AGENTS)) for p in AGENTS.rglob("*.md"))
    assert every_md == sorted(f"{name}.md" for name in AGENT_NAMES), (
        f"the client loads every .md under agents/, so nothing else may sit there: {every_md}"
    )


@pytest.mark.parametrize("name", AGENT_NAMES)
def test_agent_frontmatter(agents: dict[str, Agent], name: str) -> None:
    fields = agents[name].fields
    assert list(fields) == ["name", "description", "tools", "model", "color"], name
    assert fields["name"] == name
    assert isinstance(fields["description"], str)
    assert fields["model"] in MODEL_ALIASES
    assert fields["color"] in COLOURS
    assert set(tool_list(fields["tools"])) == TOOLS[name]


@pytest.mark.parametrize("name", AGENT_NAMES)
def test_tool_policy_by_role(agents: dict[str, Agent], name: str) -> None:
    tools = set(tool_list(agents[name].fields["tools"]))
    assert len(tools) == len(tool_list(agents[name].fields["tools"])), "a tool is listed twice"
    if name in READ_ONLY:
        assert not tools & WRITE_TOOLS, f"{name} is read-only but has {tools & WRITE_TOOLS}"
    if name in NO_BASH:
        assert "Bash" not in tools
    assert not any("(" in tool for tool in tools), (
        "a scoped rule in an agent's tools grants all of it"
    )


@pytest.mark.parametrize("name", AGENT_NAMES)
def test_agent_body_has_its_contract(agents: dict[str, Agent], name: str) -> None:
    body = agents[name].body
    assert body.lstrip().startswith("You are"), (
        "the body is the agent's system prompt, in second person"
    )
    headings = " ".join(re.findall(r"^#+\s+(.*)$", body, re.MULTILINE)).lower()
    for part in ("input", "procedure", "checklist", "output", "hand", "stop"):
        assert part in headings, f"{name}: no section heading about {part!r} ({headings})"
    for key in ("STATUS:", "WROTE:", "SUMMARY:", "OPEN QUESTIONS:", "HAND-OFFS:"):
        assert key in body, f"{name}: the return block lacks {key}"
    mentioned = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", body)) & set(AGENT_NAMES)
    assert mentioned - {name}, f"{name} hands off to no sibling by exact name"


def test_descriptions_fit_the_always_on_budget(agents: dict[str, Agent], command: Agent) -> None:
    total = sum(len(str(a.fields["description"])) for a in agents.values())
    total += len(str(command.fields["description"]))
    assert total <= 4000, f"descriptions are sent with every request: {total} characters"
    for agent in agents.values():
        description = str(agent.fields["description"]).lower()
        assert re.search(r"\buse\b", description), f"{agent.path.name}: say when to use it"
        siblings = {n for n in AGENT_NAMES if n in description} - {agent.path.stem}
        assert siblings, f"{agent.path.name}: say when to use a named sibling instead"


def test_command_frontmatter(command: Agent) -> None:
    fields = command.fields
    assert set(fields) <= {"description", "argument-hint", "allowed-tools"}, set(fields)
    assert {"description", "argument-hint", "allowed-tools"} <= set(fields)
    assert isinstance(fields["argument-hint"], str), "an unquoted [x] argument-hint is a YAML list"
    assert re.search(r"^argument-hint:\s*[\"']", command.raw, re.MULTILINE), "quote argument-hint"
    assert len(str(fields["description"])) <= 200
    allowed = tool_list(fields["allowed-tools"])
    assert "Agent" in allowed
    assert not any(rule.startswith(("Bash", "Write(")) for rule in allowed), allowed


def test_command_body(command: Agent) -> None:
    body = command.body
    assert len(body) < 15_000, f"the command is loaded whole on every run: {len(body)} characters"
    assert "$ARGUMENTS" in body
    for name in AGENT_NAMES:
        assert f"`{name}`" in body, f"the command never names `{name}`"
    for phrase in ("state.json", "run_in_background", "ml-agents install", "/plugin install"):
        assert phrase in body, phrase
    for phase in range(1, 10):
        assert re.search(rf"^#+ .*\b{phase}\b", body, re.MULTILINE), f"no heading for phase {phase}"
    assert "ML Test Score" in body


def test_plain_text_files() -> None:
    for path in [*shipped_files(), REPO / "docs" / "coverage.md"]:
        data = path.read_bytes()
        data.decode("utf-8")
        assert not data.startswith(b"\xef\xbb\xbf"), path
        assert b"\r" not in data, f"{path.name}: CRLF"
        assert b"\t" not in data, f"{path.name}: tab"
        assert data.endswith(b"\n") and not data.endswith(b"\n\n"), f"{path.name}: end of file"


def test_only_maintained_tools_are_recommended() -> None:
    for path in shipped_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UNMAINTAINED.search(line):
                assert AVOIDANCE.search(line), f"{path.name}:{number} recommends {line.strip()!r}"


def test_no_invented_numbers() -> None:
    for path in shipped_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TABLE_V_BAND.match(line):
                continue
            match = INVENTED_NUMBER.search(line)
            assert match is None, f"{path.name}:{number}: {match.group(0)!r} in {line.strip()!r}"


def test_only_real_agents_are_named() -> None:
    role = re.compile(
        r"`([a-z]+(?:-[a-z]+)*-(?:engineer|developer|scientist|manager|architect|auditor|specialist"
        r"|optimizer|analyst|reviewer|expert|agent))`"
    )
    for path in shipped_files():
        for name in role.findall(path.read_text(encoding="utf-8")):
            assert name in AGENT_NAMES, f"{path.name} names an agent that does not exist: {name}"


# --- the coverage map ---------------------------------------------------------------------------


class Row(NamedTuple):
    id: str
    item: str
    owner: str
    evidence: str


def coverage_rows() -> list[Row]:
    rows = []
    for line in (REPO / "docs" / "coverage.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("ID", "---") and not set(cells[0]) <= {"-"}:
            rows.append(Row(*cells))
    return rows


def owner_text(owner: str) -> str:
    path = COMMAND if owner == "ml-integration" else AGENTS / f"{owner}.md"
    return path.read_text(encoding="utf-8")


def evidence_found(evidence: str, text: str) -> bool:
    # All-caps evidence (NIST's GOVERN, MAP...) must match as written; the rest ignores case.
    flags = 0 if evidence.isupper() else re.IGNORECASE
    return re.search(rf"(?<![\w-]){re.escape(evidence)}(?![\w-])", text, flags) is not None


def test_coverage_map_counts() -> None:
    ids = [row.id for row in coverage_rows()]
    assert len(ids) == len(set(ids)), "duplicate rows"

    def count(pattern: str) -> int:
        return sum(1 for i in ids if re.fullmatch(pattern, i))

    assert count(r"(Data|Model|Infra|Monitor) [1-7]") == 28
    assert count(r"MC-[1-9]") == 9
    assert count(r"DSH-[1-7]") == 7
    assert count(r"ML(0[1-9]|10)") == 10
    assert count(r"LLM(0[1-9]|10)") == 10
    assert count(r"NIST-(GOVERN|MAP|MEASURE|MANAGE)") == 4
    assert count(r"EU-[1-5]") == 5
    assert count(r"MLOPS-[0-2]") == 3
    assert count(r"LEVER-[1-9]") == 9
    assert count(r"METRIC-[1-6]") == 6


@pytest.mark.parametrize("row", coverage_rows(), ids=lambda r: r.id)
def test_coverage_row_is_owned_in_the_owners_file(row: Row) -> None:
    assert row.owner in (*AGENT_NAMES, "ml-integration"), row.owner
    assert evidence_found(row.evidence, owner_text(row.owner)), (
        f"{row.id} ({row.item}) is mapped to {row.owner}, whose file never says {row.evidence!r}"
    )


def test_rubric_ids_appear_in_an_owned_checklist_line() -> None:
    """Each ML Test Score, OWASP and NIST item is named in its owner's checklist with an action."""
    for row in coverage_rows():
        if not re.fullmatch(r"(Data|Model|Infra|Monitor) [1-7]|ML\d\d|LLM\d\d|NIST-\w+", row.id):
            continue
        blocks = checklist_blocks(owner_text(row.owner))
        found = [block for block in blocks if evidence_found(row.evidence, block.split("\n")[0])]
        assert any(len(block.split()) >= 10 for block in found), f"{row.id}: named but no action"


def checklist_blocks(text: str) -> list[str]:
    """Each line together with the indented lines under it (a list item and its sub-items)."""
    blocks: list[str] = []
    for line in text.splitlines():
        if line[:1].isspace() and line.strip() and blocks:
            blocks[-1] += "\n" + line
        else:
            blocks.append(line)
    return blocks


def seed_bullets() -> list[tuple[str, str]]:
    """(agent, bullet) for every bullet of the specification's nine sections."""
    if not SEED.exists():
        if os.environ.get(SEED_ENV):
            pytest.fail(f"{SEED_ENV} names a file that does not exist")
        pytest.skip(
            "compares the agents with the original ml-integration specification, which is not "
            f"part of this repository; set {SEED_ENV}=<its path> to run it"
        )
    bullets: list[tuple[str, str]] = []
    agent = ""
    section = ""
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line
        if not section.startswith("## Multi-Agent"):
            continue
        named = re.search(r"\*\*([a-z-]+)\*\*", line)
        if named:
            agent = named.group(1)
        item = re.match(r"^\s*- (?!Use the)(.+)$", line)
        if item:
            bullets.append((agent, item.group(1).strip()))
        elif named and not line.rstrip().endswith(":"):
            bullets.append((agent, line.split("agent to", 1)[-1].strip()))
    return bullets


def test_every_specification_bullet_is_carried_by_its_agent() -> None:
    rows = {row.item.lower(): row for row in coverage_rows() if row.id.startswith("SPEC-")}
    bullets = seed_bullets()
    assert len(bullets) == 34, len(bullets)
    for agent, bullet in bullets:
        key = next((k for k in rows if k in bullet.lower() or bullet.lower() in k), None)
        assert key is not None, f"no coverage row for the specification's {bullet!r}"
        assert rows[key].owner == agent, (bullet, rows[key].owner, agent)


def test_success_metrics_match_the_specification() -> None:
    metrics = [row for row in coverage_rows() if row.id.startswith("METRIC-")]
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else ""
    for row in metrics:
        assert row.owner == "ml-integration"
        if seed:
            assert row.item in seed, row.item
