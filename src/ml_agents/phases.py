"""The one source for the nine phases of /ml-integration: who runs, what they read, write and do.

The command's phase section (``commands/ml-integration.md``, from ``## The phases`` to the next
``## `` heading) and the table inside the phase workflow (``workflows/ml-integration-phase.js``,
between the GENERATED markers) are rendered from ``PHASES``. ``python -m ml_agents.phases --write``
rewrites both in a checkout; ``--check`` (and tests/test_phases.py) fails when either differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NamedTuple

from ml_agents.bundle import PLUGIN_FOLDER


class Step(NamedTuple):
    role: str
    reads: tuple[str, ...]
    """Artifacts in the working folder, in the order the agent should read them."""
    writes: tuple[str, ...]
    """Artifacts in the working folder; what else it writes (code) is in ``also``."""
    task: str
    also: str = ""
    """What the agent writes besides its artifacts, e.g. "the pipeline code"."""
    rule: str = ""
    """A rule for the orchestrator about this step, shown in the command only."""
    report: str = ""
    """A read-only step: the artifact the orchestrator writes from its report, verbatim."""


class Lens(NamedTuple):
    key: str
    title: str
    focus: str


class Phase(NamedTuple):
    number: int
    name: str
    steps: tuple[Step, ...]
    rule: str = ""
    """A rule for the orchestrator about the whole phase, shown in the command only."""
    lenses: tuple[Lens, ...] = ()
    """Phase 8: the parallel review lenses the workflow runs with the phase's one agent."""
    report_file: str = ""
    """Phase 8: the artifact the orchestrator writes from the read-only agent's report."""

    @property
    def artifacts(self) -> tuple[str, ...]:
        written = [name for step in self.steps for name in (*step.writes, step.report) if name]
        if self.report_file and self.report_file not in written:
            written.append(self.report_file)
        return tuple(written)


class FeatureType(NamedTuple):
    key: str
    meaning: str


FEATURE_TYPES: tuple[FeatureType, ...] = (
    FeatureType("classical", "a model trained on the user's own data"),
    FeatureType("prompted-llm", "an existing LLM used through prompts"),
    FeatureType("rag", "an LLM answering from a retrieval index"),
    FeatureType("fine-tuned", "a pretrained model fine-tuned on the user's data"),
    FeatureType("agentic", "an LLM that calls tools or takes actions"),
)
"""Phase 1 decides one; every later phase is given it and every agent branches on it."""


def feature_types_line() -> str:
    listed = "; ".join(f"`{t.key}` ({t.meaning})" for t in FEATURE_TYPES)
    return f"Feature types: {listed}."


REQ = "01-requirements.md"
DATA = "01-data-assessment.md"
SHEET = "datasheet.md"
RESEARCH = "02-research.md"
DESIGN = "02-pipeline-design.md"
TRAINING = "03-training.md"
API = "04-inference-api.md"
INFRA = "05-infrastructure.md"
DEPLOY = "05-deployment.md"
THREATS = "02-threat-model.md"
PERF = "06-performance.md"
FRONTEND = "07-frontend.md"
SECURITY = "08-security-review.md"
BUILT = (REQ, DATA, SHEET, RESEARCH, DESIGN, THREATS, TRAINING, API, INFRA, DEPLOY, PERF, FRONTEND)
"""Every artifact of phases 1 to 7: what the security review and the documentation read."""
DOCS = ("09-model-card.md", "09-api-reference.md", "09-runbook.md")
SCORECARD = "10-scorecard.md"

PHASES: tuple[Phase, ...] = (
    Phase(
        1,
        "Requirements and data analysis",
        (
            Step(
                "product-manager",
                (),
                (REQ,),
                "the decision the model supports, the feature type, users, success metrics and "
                "gate floors with the user's targets, online vs offline metric, non-ML baseline, "
                "constraints, EU AI Act and DPIA screens, Model 2 plan",
                rule="If the screen finds Unacceptable risk it returns blocked: end the run.",
            ),
            Step(
                "data-scientist",
                (REQ,),
                (DATA, SHEET),
                "data quality and availability, ML problem type, data collection and labeling "
                "strategy, datasheet",
            ),
        ),
    ),
    Phase(
        2,
        "Research and baselines",
        (
            Step(
                "data-scientist",
                (REQ, DATA, SHEET),
                (RESEARCH,),
                "first call: validation protocol, exploratory data analysis, baselines including "
                "the non-ML heuristic, candidate algorithms within the user's trial and time "
                "budget, then needs-input for the user to pick one; second call (a pick in the "
                "decisions): deep analysis of the chosen approach only",
            ),
            Step(
                "ml-engineer",
                (REQ, DATA, RESEARCH),
                (DESIGN,),
                "pipeline architecture, training infrastructure, MLOps level now and target, "
                "data engineering owner",
            ),
            Step(
                "security-auditor",
                (REQ, SHEET, RESEARCH, DESIGN),
                (),
                "threat model and data-flow pass: data flows, trust boundaries, the "
                "controls later phases must build",
                report=THREATS,
            ),
        ),
    ),
    Phase(
        3,
        "Production training pipeline",
        (
            Step(
                "ml-engineer",
                (REQ, DATA, RESEARCH, DESIGN, THREATS),
                (TRAINING,),
                "training pipeline with data and model versioning, experiment tracking, "
                "automated model validation; a full run within the compute budget the user "
                "approved, the gate, the release candidate registered with its URI",
                also="the pipeline code",
            ),
        ),
    ),
    Phase(
        4,
        "Inference API",
        (
            Step(
                "backend-developer",
                (REQ, DATA, SHEET, RESEARCH, DESIGN, THREATS, TRAINING),
                (API,),
                "inference API, serving architecture, fallback and error handling; for LLM "
                "features the caps, output validation, prompt assembly and fallback model",
                also="the service code",
            ),
        ),
    ),
    Phase(
        5,
        "Infrastructure and operations",
        (
            Step(
                "cloud-architect",
                (REQ, SHEET, DESIGN, TRAINING, API),
                (INFRA,),
                "scalable infrastructure, autoscaling, cost",
                also="IaC files only if the user wants them",
            ),
            Step(
                "devops-engineer",
                (REQ, DATA, RESEARCH, DESIGN, THREATS, TRAINING, API, INFRA),
                (DEPLOY,),
                "deployment pipeline, monitoring and alerting, automated retraining",
                also="CI/CD, monitoring and retraining config",
            ),
        ),
    ),
    Phase(
        6,
        "Performance",
        (
            Step(
                "performance-optimizer",
                (REQ, RESEARCH, TRAINING, API, INFRA, DEPLOY),
                (PERF,),
                "inference latency, resource use, prediction caching; measured before/after "
                "numbers only",
            ),
        ),
        rule=f'At its checkpoint, if {PERF} measured what {INFRA} left as "measure:", offer '
        "to revise phase 5 with `cloud-architect`, and with `devops-engineer` to add its load "
        "test to staging, before phase 7.",
    ),
    Phase(
        7,
        "Frontend integration, only if the goal needs a UI",
        (
            Step(
                "frontend-developer",
                (REQ, SHEET, RESEARCH, API, PERF),
                (FRONTEND,),
                "predictions in the UI, real-time display where needed, user feedback collection",
                also="the UI code",
            ),
        ),
        rule="Run it only if people see or act on predictions in a UI this project owns (judge "
        f"from the goal and users in {REQ}; ask if unclear). Otherwise mark it skipped with the "
        "reason, tell the user, and still hold the checkpoint so they can overrule.",
    ),
    Phase(
        8,
        "Security, privacy and governance",
        (
            Step(
                "security-auditor",
                BUILT,
                (),
                "model security, data privacy and compliance, model governance, the threat "
                "model's controls; read the code the artifacts point to; a skipped phase 7 leaves "
                "no 07-frontend.md",
                report=SECURITY,
            ),
        ),
        report_file=SECURITY,
        lenses=(
            Lens(
                "model-security",
                "Model security",
                "the OWASP ML and LLM Top 10 items, model loading, artifacts and the registry",
            ),
            Lens(
                "privacy",
                "Data privacy and compliance",
                "Data 5, privacy of outputs and logs, and the EU AI Act screen",
            ),
            Lens(
                "governance",
                "Model governance",
                "ownership, promotion rights, approvals, lineage and the NIST AI RMF functions",
            ),
        ),
    ),
    Phase(
        9,
        "Documentation",
        (
            Step(
                "documentation-specialist",
                (*BUILT, SECURITY),
                (*DOCS, SCORECARD),
                "model card, API documentation, operational runbooks and troubleshooting; the "
                "scorecard (success metrics, ML Test Score with N/A rows, next steps)",
            ),
        ),
    ),
)


def roles() -> tuple[str, ...]:
    """Every role, in the order the phases first use it."""
    seen: dict[str, None] = {}
    for phase in PHASES:
        for step in phase.steps:
            seen.setdefault(step.role)
    return tuple(seen)


def _files(names: tuple[str, ...]) -> str:
    return ", ".join(names)


def _reads(phase: Phase, step: Step) -> str:
    if not step.reads:
        return "nothing earlier (goal and repository)"
    earlier = [name for p in PHASES if p.number < phase.number for name in p.artifacts]
    if len(earlier) > 4 and list(step.reads) == earlier:
        return f"every earlier artifact ({earlier[0]} to {earlier[-1]})"
    return _files(step.reads)


def render_command_section() -> str:
    """The command's ``## The phases`` section, heading included, ending in one blank line."""
    lines = [
        "## The phases",
        "",
        'All files are in the working folder; "reads" is what you pass under "Read first".',
        feature_types_line(),
    ]
    for phase in PHASES:
        lines += ["", f"### Phase {phase.number}, {phase.name}"]
        if phase.rule and phase.number == 7:
            lines.append(phase.rule)
        numbered = len(phase.steps) > 1
        for index, step in enumerate(phase.steps, 1):
            writes = _files(step.writes) if step.writes else "nothing"
            if step.report:
                writes += f" (read-only: you write its report verbatim to {step.report})"
            if step.also:
                writes += f" plus {step.also}"
            reads = _reads(phase, step)
            line = f"`{step.role}` reads {reads} and writes {writes}. Task: {step.task}."
            if step.rule:
                line += f" {step.rule}"
            lines.append(f"{index}. {line}" if numbered else line)
        if phase.rule and phase.number != 7:
            lines.append(phase.rule)
    return "\n".join(lines) + "\n\n"


def catalog_json() -> list[dict[str, object]]:
    """The table the workflow script carries: what each step reads, writes and does."""
    return [
        {
            "phase": phase.number,
            "name": phase.name,
            "steps": [
                {
                    "role": s.role,
                    "reads": list(s.reads),
                    "writes": list(s.writes),
                    "also": s.also,
                    "report": s.report,
                    "task": s.task,
                }
                for s in phase.steps
            ],
            "lenses": [lens._asdict() for lens in phase.lenses],
            "report_file": phase.report_file,
        }
        for phase in PHASES
    ]


SCRIPT_BEGIN = "// BEGIN GENERATED from src/ml_agents/phases.py: python -m ml_agents.phases --write"
SCRIPT_END = "// END GENERATED"


def render_script_table() -> str:
    """The ``const PHASES = ...`` block of the workflow script, markers included."""
    # one line per phase: the table stays readable and diffs stay per phase
    rows = ",\n".join(f"  {json.dumps(phase, ensure_ascii=False)}" for phase in catalog_json())
    types = json.dumps([t.key for t in FEATURE_TYPES])
    return (
        f"{SCRIPT_BEGIN}\nconst PHASES = [\n{rows},\n]\nconst FEATURE_TYPES = {types}\n{SCRIPT_END}"
    )


class Drift(NamedTuple):
    path: Path
    expected: str
    actual: str


def command_section_of(text: str) -> str:
    start = text.index("## The phases\n")
    end = text.index("\n## ", start + 1) + 1
    return text[start:end]


def script_table_of(text: str) -> str:
    start = text.index(SCRIPT_BEGIN)
    end = text.index(SCRIPT_END, start) + len(SCRIPT_END)
    return text[start:end]


def regenerate(repo: Path) -> list[Drift]:
    """The generated parts that differ from the catalog, each with its expected text."""
    command = repo / PLUGIN_FOLDER / "commands" / "ml-integration.md"
    script = repo / PLUGIN_FOLDER / "workflows" / "ml-integration-phase.js"
    drifts = []
    text = command.read_text(encoding="utf-8")
    if command_section_of(text) != render_command_section():
        drifts.append(Drift(command, render_command_section(), command_section_of(text)))
    text = script.read_text(encoding="utf-8")
    if script_table_of(text) != render_script_table():
        drifts.append(Drift(script, render_script_table(), script_table_of(text)))
    return drifts


def main(argv: list[str]) -> int:
    """``python -m ml_agents.phases [--write] [REPO]``: check (or rewrite) the generated parts of
    a checkout, the current folder by default. The package may be installed anywhere, so the
    checkout is never guessed from this file's location."""
    args = argv[1:]
    write = "--write" in args
    rest = [a for a in args if a != "--write"]
    if len(rest) > 1 or any(a.startswith("-") for a in rest):
        print("usage: python -m ml_agents.phases [--write] [REPO]", file=sys.stderr)
        return 2
    repo = Path(rest[0]) if rest else Path.cwd()
    try:
        drifts = regenerate(repo)
    except (OSError, ValueError) as error:  # ValueError: a generated part's markers are missing
        print(
            f"{repo}: not a checkout of ml-agents with its generated parts ({error})",
            file=sys.stderr,
        )
        return 2
    if write:
        for drift in drifts:
            text = drift.path.read_text(encoding="utf-8")
            drift.path.write_text(text.replace(drift.actual, drift.expected), encoding="utf-8")
            print(f"rewrote the generated part of {drift.path.relative_to(repo)}")
        return 0
    for drift in drifts:
        where = drift.path.relative_to(repo)
        print(f"{where}: differs from src/ml_agents/phases.py (--write fixes it)", file=sys.stderr)
    return 1 if drifts else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
