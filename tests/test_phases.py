"""The phase catalog is the one source: the command and the workflow agree with it; it is sound."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import AGENT_NAMES, PLUGIN, REPO

from ml_agents import phases
from ml_agents.bundle import PLUGIN_FOLDER
from ml_agents.phases import PHASES


def copy_checkout(dest: Path) -> Path:
    for rel in ("commands/ml-integration.md", "workflows/ml-integration-phase.js"):
        (dest / PLUGIN_FOLDER / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PLUGIN / rel, dest / PLUGIN_FOLDER / rel)
    return dest


def test_command_and_workflow_are_generated_from_the_catalog() -> None:
    drifts = phases.regenerate(REPO)
    assert not drifts, (
        f"{[str(d.path) for d in drifts]} differ from src/ml_agents/phases.py: run "
        "`python -m ml_agents.phases --write`"
    )


def test_an_edit_to_a_generated_part_is_caught_and_write_restores_it(tmp_path: Path) -> None:
    repo = copy_checkout(tmp_path)
    command = repo / PLUGIN_FOLDER / "commands" / "ml-integration.md"
    script = repo / PLUGIN_FOLDER / "workflows" / "ml-integration-phase.js"
    original = command.read_text(encoding="utf-8"), script.read_text(encoding="utf-8")
    command.write_text(original[0].replace("02-research.md", "02-notes.md", 1), encoding="utf-8")
    script.write_text(original[1].replace('"ml-engineer"', '"ml-ops"', 1), encoding="utf-8")
    assert sorted(d.path.name for d in phases.regenerate(repo)) == [
        "ml-integration-phase.js",
        "ml-integration.md",
    ]
    checked = phases_cli(cwd=repo)
    assert checked.returncode == 1 and "ml-integration.md: differs" in checked.stderr
    assert phases_cli("--write", str(repo), cwd=tmp_path).returncode == 0
    assert (command.read_text(encoding="utf-8"), script.read_text(encoding="utf-8")) == original
    assert phases_cli(cwd=repo).returncode == 0


def phases_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m ml_agents.phases`` as a developer runs it; the package itself may be installed
    elsewhere than the checkout."""
    return subprocess.run(
        [sys.executable, "-m", "ml_agents.phases", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def test_the_check_command_passes_on_this_checkout() -> None:
    done = phases_cli(cwd=REPO)
    assert done.returncode == 0, done.stderr


def test_the_check_command_outside_a_checkout_is_one_clear_error(tmp_path: Path) -> None:
    done = phases_cli(cwd=tmp_path)
    assert done.returncode == 2
    assert "not a checkout of ml-agents" in done.stderr and "Traceback" not in done.stderr


def test_nine_phases_and_every_agent_has_work() -> None:
    assert [phase.number for phase in PHASES] == list(range(1, 10))
    assert sorted(phases.roles()) == sorted(AGENT_NAMES)
    assert phases.roles()[0] == "product-manager"


def test_each_step_reads_only_what_earlier_steps_wrote() -> None:
    written: set[str] = set()
    for phase in PHASES:
        for step in phase.steps:
            missing = set(step.reads) - written
            assert not missing, f"phase {phase.number} {step.role} reads {missing} before it exists"
            assert not set(step.writes) & written, f"{step.role} overwrites an earlier artifact"
            written |= set(step.writes)
        written |= set(phase.artifacts)


def test_two_agent_phases_hand_the_first_artifact_to_the_second() -> None:
    for phase in PHASES:
        if len(phase.steps) == 2:
            first, second = phase.steps
            assert set(first.writes) & set(second.reads), f"phase {phase.number}"


def named_artifacts(text: str) -> set[str]:
    """Artifacts a file names, one by one or as a range "`01-a.md` through `07-b.md`"."""
    order = [name for phase in PHASES for name in phase.artifacts]
    named = {name for name in order if name in text}
    for first, last in re.findall(r"`([\w.-]+\.md)` through `([\w.-]+\.md)`", text):
        named |= set(order[order.index(first) : order.index(last) + 1])
    return named


def test_each_agent_file_names_the_artifacts_it_writes_and_reads() -> None:
    for phase in PHASES:
        for step in phase.steps:
            text = (PLUGIN / "agents" / f"{step.role}.md").read_text(encoding="utf-8")
            named = named_artifacts(text)
            for name in step.writes:
                assert name in named, f"{step.role}.md never mentions {name}, which it writes"
            for name in step.reads:
                assert name in named, f"{step.role}.md never mentions {name}, which it reads"


def test_the_security_phase_is_read_only_and_has_the_three_lenses() -> None:
    (security,) = [phase for phase in PHASES if phase.lenses]
    assert security.number == 8 and security.report_file == "08-security-review.md"
    assert [step.writes for step in security.steps] == [()]
    titles = [lens.title.lower() for lens in security.lenses]
    assert titles == ["model security", "data privacy and compliance", "model governance"]
    assert len({lens.key for lens in security.lenses}) == 3


def test_every_artifact_the_command_names_comes_from_the_catalog() -> None:
    body = (PLUGIN / "commands" / "ml-integration.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\b(?:0\d-[a-z-]+|datasheet)\.md\b", body))
    known = {name for phase in PHASES for name in phase.artifacts} | {"10-scorecard.md"}
    assert named <= known, named - known


def test_phase_1_keeps_its_two_agents_and_decides_the_feature_type() -> None:
    first = PHASES[0]
    assert [step.role for step in first.steps] == ["product-manager", "data-scientist"]
    assert "the feature type" in first.steps[0].task
    assert "gate floors" in first.steps[0].task, "floors are an exit criterion of phase 1"
    assert [t.key for t in phases.FEATURE_TYPES] == [
        "classical",
        "prompted-llm",
        "rag",
        "fine-tuned",
        "agentic",
    ]


def test_phase_2_research_stops_for_the_users_pick_and_ends_with_a_threat_model() -> None:
    research = PHASES[1]
    assert research.steps[0].role == "data-scientist"
    assert "needs-input for the user to pick one" in research.steps[0].task
    assert "deep analysis of the chosen approach only" in research.steps[0].task
    last = research.steps[-1]
    assert (last.role, last.writes, last.report) == ("security-auditor", (), "02-threat-model.md")


def test_read_only_steps_write_nothing_and_hand_back_a_report() -> None:
    for phase in PHASES:
        for step in phase.steps:
            if step.role == "security-auditor":
                assert not step.writes and step.report, f"phase {phase.number}"
            else:
                assert step.writes and not step.report, f"phase {phase.number} {step.role}"


def test_phase_3_ends_with_a_release_candidate_and_phase_6_offers_both_revisions() -> None:
    training = PHASES[2].steps[0].task
    assert "compute budget the user approved" in training
    assert "release candidate registered with its URI" in training
    assert "`cloud-architect`" in PHASES[5].rule and "`devops-engineer`" in PHASES[5].rule


def test_the_documentation_phase_writes_the_scorecard_after_reading_everything() -> None:
    docs = PHASES[-1].steps[0]
    assert docs.writes[-1] == "10-scorecard.md"
    earlier = [name for phase in PHASES[:-1] for name in phase.artifacts]
    assert list(docs.reads) == earlier
