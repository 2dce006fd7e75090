"""The phase workflow's own logic, run offline in node under stand-ins for the client's globals.

``tests/workflow/run_script.mjs`` gives the script ``agent``, ``parallel``, ``phase``, ``log`` and
``args``, answers each ``agent()`` call from a table keyed by label (no entry: ``null``, as when a
subagent dies) and reports every call. This checks our script's ordering, stops, refusals and
prompts; the real client running it is the e2e test (tests/e2e/test_e2e_workflow_headless.py).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import PLUGIN

from ml_agents.phases import FEATURE_TYPES, PHASES, Phase

SCRIPT = PLUGIN / "workflows" / "ml-integration-phase.js"
RUNNER = Path(__file__).parent / "workflow" / "run_script.mjs"
FOLDER = "ml-integration/churn-model/"
GOAL = 'predict churn from billing events, "monthly"'
ROLES = sorted({step.role for phase in PHASES for step in phase.steps})
PLUGIN_AGENTS = {role: f"ml-agents:{role}" for role in ROLES}
RETURN_KEYS = ["status", "wrote", "summary", "open_questions", "handoffs"]

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not on PATH")


class Run(NamedTuple):
    result: dict[str, Any]
    calls: list[dict[str, Any]]
    logs: list[str]

    @property
    def labels(self) -> list[str]:
        return [call["opts"]["label"] for call in self.calls]


def run(args: Any, replies: dict[str, Any] | None = None) -> Run:
    assert NODE is not None
    stdin = json.dumps({"script": str(SCRIPT), "args": args, "replies": replies or {}})
    done = subprocess.run(
        [NODE, str(RUNNER)], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert output["error"] is None, output["error"]
    return Run(output["result"], output["calls"], output["logs"])


def args_for(number: int, /, **overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "phase": number,
        "folder": FOLDER,
        "goal": GOAL,
        "agents": dict(PLUGIN_AGENTS),
        "decisions": [],
        "revision_notes": "",
        "handoffs": [],
    }
    if number > 1:  # phase 1 decides the feature type; every later phase is given it
        args["feature_type"] = "classical"
    args.update(overrides)
    return args


def reply(status: str = "done", **fields: Any) -> dict[str, Any]:
    block: dict[str, Any] = {
        "status": status,
        "wrote": [],
        "summary": "- a summary",
        "open_questions": [],
        "handoffs": [],
    }
    block.update(fields)
    return block


def all_done(phase: Phase) -> dict[str, Any]:
    return {step.role: reply(wrote=[FOLDER + w for w in step.writes]) for step in phase.steps}


# --- the file itself ----------------------------------------------------------------------------


def meta_literal(text: str) -> str:
    assert text.startswith("export const meta = {"), "meta must be the first statement"
    return text[len("export const meta = ") : text.index("\n}\n") + 2]


def test_meta_is_the_first_statement_and_a_pure_literal() -> None:
    literal = meta_literal(SCRIPT.read_text(encoding="utf-8"))
    without_strings = re.sub(r"'(?:[^'\\\n]|\\.)*'", "''", literal)
    assert "`" not in without_strings and "${" not in literal, "no template interpolation"
    assert "..." not in without_strings, "no spreads"
    # outside strings only keys, punctuation and literals may appear: no variables or calls
    words = re.findall(r"[A-Za-z_$][\w$]*", without_strings)
    keys = re.findall(r"([A-Za-z_$][\w$]*)\s*:", without_strings)
    assert sorted(words) == sorted(keys), f"a non-key identifier in meta: {set(words) - set(keys)}"
    assert "(" not in without_strings, "no calls in meta"
    name = re.search(r"name: '([^']+)'", literal)
    assert name and name.group(1) == SCRIPT.stem


def test_script_uses_nothing_the_client_forbids() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    code = re.sub(r"//.*", "", text)
    for forbidden in ("Date.now", "Math.random", "new Date()", "require(", "import ", "process."):
        assert forbidden not in code, forbidden
    assert not re.search(r"\bfs\.|readFile|writeFile", code), "the script never touches files"


# --- running a phase ----------------------------------------------------------------------------


@pytest.mark.parametrize("phase", PHASES, ids=lambda p: f"phase-{p.number}")
def test_each_phase_runs_its_catalog_agents_in_order_with_exact_types(phase: Phase) -> None:
    result = run(args_for(phase.number), all_done(phase) | lens_replies(phase)).result
    assert result["phase"] == phase.number
    assert result["status"] == "done", result
    assert result["error"] is None and result["stopped_before"] is None
    expected = [step.role for step in phase.steps] if not phase.lenses else []
    if expected:
        assert [a["role"] for a in result["agents"]] == expected
        assert [a["agentType"] for a in result["agents"]] == [f"ml-agents:{r}" for r in expected]
        assert [a["wrote"] for a in result["agents"]] == [
            [FOLDER + w for w in step.writes] for step in phase.steps
        ]


def test_agents_get_their_type_schema_and_a_prompt_built_from_the_catalog() -> None:
    phase = PHASES[1]
    handoffs = [
        {"from": "product-manager", "to": "ml-engineer", "note": "latency target is TBD"},
        {"from": "product-manager", "to": "data-scientist", "note": "check the label delay"},
    ]
    decisions = ["approve phase 1: use the billing table only", {"question": "q", "answer": "a"}]
    calls = run(
        args_for(2, decisions=decisions, revision_notes="add a time split", handoffs=handoffs),
        all_done(phase),
    ).calls
    assert [c["opts"]["agentType"] for c in calls] == [
        f"ml-agents:{step.role}" for step in phase.steps
    ]
    for call, step in zip(calls, phase.steps, strict=True):
        schema = call["opts"]["schema"]
        if step.report:  # read-only: its report and findings come back with the block
            assert schema["required"] == [*RETURN_KEYS, "report", "findings"]
            assert f"the caller saves it as {step.report}" in call["prompt"]
            continue
        assert schema["type"] == "object" and schema["required"] == RETURN_KEYS
        assert schema["properties"]["status"]["enum"] == ["done", "needs-input", "blocked"]
        prompt = call["prompt"]
        assert f"Working folder: {FOLDER}" in prompt
        assert f'"""\n{GOAL}\n"""' in prompt, "the goal is quoted as the user's own words"
        assert f"Phase 2, {phase.name}. Your task: {step.task}." in prompt
        assert f"Read first (in the working folder): {', '.join(step.reads)}" in prompt
        assert f"Write: {', '.join(step.writes)}" in prompt
        assert "- approve phase 1: use the billing table only" in prompt
        assert '- {"question":"q","answer":"a"}' in prompt
        assert "add a time split" in prompt
    assert "check the label delay" in calls[0]["prompt"]
    assert "latency target" not in calls[0]["prompt"], "hand-offs go only to their addressee"
    assert "- from product-manager: latency target is TBD" in calls[1]["prompt"]


@pytest.mark.parametrize("status", ["needs-input", "blocked"])
def test_a_first_agent_that_is_not_done_stops_the_phase_before_the_second(status: str) -> None:
    question = "Which table holds the churn label?"
    replies = {"product-manager": reply(status, open_questions=[question])}
    outcome = run(args_for(1), replies)
    assert outcome.labels == ["product-manager"], "data-scientist must not start"
    result = outcome.result
    assert result["status"] == status
    assert result["stopped_before"] == "data-scientist"
    assert result["agents"][0]["open_questions"] == [question]
    assert result["error"] is None


def test_an_agent_that_returns_nothing_blocks_the_phase_with_an_error() -> None:
    outcome = run(args_for(1), {})
    assert outcome.labels == ["product-manager"]
    assert outcome.result["status"] == "blocked"
    assert outcome.result["stopped_before"] == "data-scientist"
    assert "ml-agents:product-manager returned no result" in outcome.result["error"]


def test_start_at_reruns_from_that_agent() -> None:
    outcome = run(args_for(1, start_at="data-scientist"), all_done(PHASES[0]))
    assert outcome.labels == ["data-scientist"]
    assert outcome.result["status"] == "done"


def test_args_as_a_json_string_run_like_the_object() -> None:
    replies = all_done(PHASES[0])
    as_object = run(args_for(1), replies)
    as_string = run(json.dumps(args_for(1)), replies)
    assert as_string.result == as_object.result
    assert [c["prompt"] for c in as_string.calls] == [c["prompt"] for c in as_object.calls]


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"folder": "ml-integration/../../etc/"}, "folder must be"),
        ({"folder": "/tmp/ml-integration/x/"}, "folder must be"),
        ({"folder": "ml-integration/x"}, "folder must be"),
        ({"folder": "ml-integration/x/../y/"}, "folder must be"),
        ({"folder": "src/"}, "folder must be"),
        ({"folder": ["ml-integration/x/"]}, "folder must be"),
        ({"phase": 0}, "phase must be"),
        ({"phase": "1"}, "phase must be"),
        ({"phase": 10}, "phase must be"),
        ({"goal": "  "}, "goal must be"),
        ({"agents": {"product-manager": "general-purpose"}}, 'agents["product-manager"]'),
        ({"agents": {"product-manager": "../product-manager"}}, 'agents["product-manager"]'),
        ({"decisions": "approve"}, "decisions must be a list"),
        ({"start_at": "ml-engineer"}, "start_at must be one of"),
    ],
)
def test_bad_args_are_refused_before_any_agent_runs(overrides: dict[str, Any], says: str) -> None:
    outcome = run(args_for(1, **overrides), all_done(PHASES[0]))
    assert outcome.calls == []
    assert outcome.result["status"] == "blocked"
    assert outcome.result["error"].startswith("refused: ")
    assert says in outcome.result["error"]


def test_a_read_only_step_hands_its_report_back_for_the_caller_to_save() -> None:
    phase = next(p for p in PHASES if any(s.report for s in p.steps) and not p.lenses)
    (step,) = [s for s in phase.steps if s.report]
    replies = all_done(phase) | {step.role: reply(report="# Threat model\nT-1", findings=[])}
    result = run(args_for(phase.number), replies).result
    assert result["status"] == "done" and result["report"] == "# Threat model\nT-1"
    assert run(args_for(phase.number), all_done(phase)).result["report"] is None


def test_phase_1_runs_before_the_feature_type_is_decided_and_says_so() -> None:
    calls = run(args_for(1), all_done(PHASES[0])).calls
    assert [c["opts"]["label"] for c in calls] == ["product-manager", "data-scientist"]
    for call in calls:
        assert "Feature type: not decided yet" in call["prompt"]


@pytest.mark.parametrize("feature_type", [t.key for t in FEATURE_TYPES])
def test_every_agent_of_a_later_phase_is_given_the_feature_type(feature_type: str) -> None:
    calls = run(args_for(2, feature_type=feature_type), all_done(PHASES[1])).calls
    assert len(calls) == len(PHASES[1].steps)
    for call in calls:
        assert f"Feature type: {feature_type}" in call["prompt"]


@pytest.mark.parametrize(
    "overrides",
    [{"feature_type": None}, {"feature_type": "llm"}, {"feature_type": ["rag"]}, {"phase": 3}],
)
def test_a_later_phase_without_a_known_feature_type_is_refused(overrides: dict[str, Any]) -> None:
    args = args_for(2, **overrides)
    if overrides.get("feature_type", "") is None:
        del args["feature_type"]
    if "phase" in overrides:
        del args["feature_type"]
    outcome = run(args, all_done(PHASES[args["phase"] - 1]))
    assert outcome.calls == []
    assert outcome.result["error"].startswith("refused: feature_type must be")
    assert all(t.key in outcome.result["error"] for t in FEATURE_TYPES)


def test_an_unknown_feature_type_is_refused_in_phase_1_too() -> None:
    outcome = run(args_for(1, feature_type="deep-learning"), all_done(PHASES[0]))
    assert outcome.calls == []
    assert "feature_type must be" in outcome.result["error"]


@pytest.mark.parametrize("args", ["not json {", None, [1, 2], 7])
def test_args_that_are_no_object_are_refused(args: Any) -> None:
    outcome = run(args)
    assert outcome.calls == []
    assert outcome.result["error"].startswith("refused: ")


# --- phase 8 ------------------------------------------------------------------------------------

SECURITY = next(phase for phase in PHASES if phase.lenses)


def finding(fid: str, severity: str) -> dict[str, str]:
    return {
        "id": fid,
        "severity": severity,
        "where": "service/app.py:10",
        "what": "unauthenticated endpoint",
        "fix": "add auth",
        "owner": "backend-developer",
    }


def lens_replies(phase: Phase, findings: dict[str, list[dict[str, str]]] | None = None) -> dict:
    return {
        f"security:{lens.key}": reply(
            report=f"report of {lens.key}", findings=(findings or {}).get(lens.key, [])
        )
        for lens in phase.lenses
    }


def test_phase_8_runs_the_lenses_then_checks_every_critical_or_high_finding() -> None:
    keys = [lens.key for lens in SECURITY.lenses]
    findings = {
        keys[0]: [finding("ML05-1", "critical"), finding("ML06-1", "low")],
        keys[1]: [finding("Data 5-1", "high")],
    }
    replies = lens_replies(SECURITY, findings)
    replies["verify:ML05-1"] = {"verdict": "confirmed", "severity": "critical", "reason": "seen"}
    replies["verify:Data 5-1"] = {"verdict": "refuted", "severity": "low", "reason": "hashed"}
    outcome = run(args_for(8), replies)
    assert outcome.labels[:3] == [f"security:{k}" for k in keys]
    assert sorted(outcome.labels[3:]) == ["verify:Data 5-1", "verify:ML05-1"], "not low ones"
    for call in outcome.calls:
        assert call["opts"]["agentType"] == "ml-agents:security-auditor"
    lens_prompts = [c["prompt"] for c in outcome.calls[:3]]
    for lens, prompt in zip(SECURITY.lenses, lens_prompts, strict=True):
        assert lens.title in prompt and lens.focus in prompt
    verify = next(c for c in outcome.calls if c["opts"]["label"] == "verify:ML05-1")
    assert verify["opts"]["schema"]["required"] == ["verdict", "severity", "reason"]
    assert "unauthenticated endpoint" in verify["prompt"]
    result = outcome.result
    assert result["status"] == "done" and result["error"] is None
    assert [a["label"] for a in result["agents"]] == [f"security:{k}" for k in keys]
    report = result["report"]
    for key in keys:
        assert f"report of {key}" in report
    assert "- ML05-1 (critical, Model security): confirmed, severity critical: seen" in report
    assert "refuted, severity low: hashed" in report
    # the gate's input: every critical or high finding, with the severity its check supports
    assert result["findings"] == [
        {"id": "ML05-1", "severity": "critical", "owner": "backend-developer", "open": True},
        {"id": "Data 5-1", "severity": "low", "owner": "backend-developer", "open": False},
    ]


def test_a_serious_finding_whose_check_returned_nothing_stays_open() -> None:
    replies = lens_replies(SECURITY, {SECURITY.lenses[0].key: [finding("LLM01-1", "high")]})
    result = run(args_for(8), replies).result
    assert result["findings"] == [
        {"id": "LLM01-1", "severity": "high", "owner": "backend-developer", "open": True}
    ]


def test_phases_without_a_review_return_no_findings() -> None:
    assert run(args_for(1), all_done(PHASES[0])).result["findings"] == []


def test_phase_8_with_a_lens_missing_reports_it_and_blocks() -> None:
    replies = lens_replies(SECURITY)
    del replies[f"security:{SECURITY.lenses[2].key}"]
    result = run(args_for(8), replies).result
    assert result["status"] == "blocked"
    assert f"security:{SECURITY.lenses[2].key}" in result["error"]
    assert "(this lens returned no report)" in result["report"]
