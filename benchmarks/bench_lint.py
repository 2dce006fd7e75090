"""Benchmark ``ml-agents lint`` against the interpreter floor and cclint, in one run.

    python benchmarks/bench_lint.py [--runs N] [--no-cclint] [--keep]

Generates a project with 1,000 agents and 200 commands (about 5% with a planted error) in a
temporary folder, then times, as separate processes, with min and median of repeated runs:

- the floor: ``python -c pass``;
- ``ml-agents lint`` on the corpus, on a one-file project, and on 10,000 files (linearity);
- ``cclint`` (npm ``@carlrannaberg/cclint``) on the same corpus and one-file project. It is
  installed into ~/.cache/ml-agents/bench/ on first use; without npm the script says so and still
  prints the ml-agents numbers.

Targets: ml-agents <= 0.4 x cclint on the corpus, <= 0.5 x cclint on one file, and a per-file cost
at 10,000 files no worse than at 1,200 (linear). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

CCLINT_PACKAGE = "@carlrannaberg/cclint"
CCLINT_VERSION = "0.2.10"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ml-agents" / "bench"
ERROR_RATE = 0.05
SEED = 20261126

PARAGRAPH = (
    "Read the files the task names before anything else, and say what you could not find. "
    "Work in small steps, run the project's own tests after each change, and report the "
    "command you ran with its exact result. Never invent numbers: measure, or write that the "
    "value is not measured yet. Stop and ask when a decision belongs to the user.\n"
)
TOOLS = ["Read", "Grep", "Glob", "Bash", "Write", "Edit", "WebFetch", "WebSearch"]
MODELS = ["sonnet", "opus", "haiku", "inherit", "claude-sonnet-4-5"]
COLORS = ["red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"]

# (label, how to break a clean frontmatter) -- each is an error both linters should see
AGENT_ERRORS = [
    ("unknown tool", lambda fm: fm.replace("tools: Read", "tools: read, context7")),
    ("invalid model", lambda fm: fm.replace("model: ", "model: gpt-4 # ")),
    (
        "missing description",
        lambda fm: "\n".join(x for x in fm.split("\n") if not x.startswith("description:")),
    ),
    ("name with colon", lambda fm: fm.replace("name: agent-", "name: team:agent-")),
    ("invalid color", lambda fm: fm.replace("color: ", "color: teal # ")),
    ("broken yaml", lambda fm: fm.replace("description: ", "description: [unclosed ")),
]
COMMAND_ERRORS = [
    (
        "malformed rule",
        lambda fm: fm.replace("allowed-tools: Read", "allowed-tools: Bash(:*), Read"),
    ),
    (
        "argument-hint list",
        lambda fm: fm.replace('argument-hint: "<file>"', "argument-hint: [file]"),
    ),
]


def agent_text(index: int, rng: random.Random) -> tuple[str, str]:
    tools = ", ".join(["Read", *rng.sample(TOOLS[1:], rng.randint(1, 4))])
    frontmatter = (
        f"name: agent-{index:05d}\n"
        f"description: Use for task family {index} - reviews, fixes and reports results.\n"
        f"tools: {tools}\n"
        f"model: {rng.choice(MODELS)}\n"
        f"color: {rng.choice(COLORS)}\n"
    )
    body = f"You are agent {index}.\n\n" + "".join(
        f"## Step {i}\n\n{PARAGRAPH}\n" for i in range(rng.randint(6, 14))
    )
    return frontmatter, body


def command_text(index: int, rng: random.Random) -> tuple[str, str]:
    frontmatter = (
        f"description: Run workflow {index} on a file and summarise the result.\n"
        'argument-hint: "<file>"\n'
        "allowed-tools: Read, Grep, Glob\n"
    )
    body = f"# Workflow {index}\n\nTarget: $ARGUMENTS\n\n" + PARAGRAPH * rng.randint(3, 8)
    return frontmatter, body


def generate(root: Path, agents: int, commands: int, seed: int = SEED) -> int:
    """Write a .claude/ project; return the number of files with a planted error."""
    rng = random.Random(seed)
    planted = 0
    for kind, count, make, errors in (
        ("agents", agents, agent_text, AGENT_ERRORS),
        ("commands", commands, command_text, COMMAND_ERRORS),
    ):
        folder = root / ".claude" / kind
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(count):
            frontmatter, body = make(index, rng)
            if rng.random() < ERROR_RATE:
                _, breaker = rng.choice(errors)
                frontmatter = breaker(frontmatter)
                planted += 1
            name = f"agent-{index:05d}.md" if kind == "agents" else f"workflow-{index:05d}.md"
            (folder / name).write_text(f"---\n{frontmatter}---\n\n{body}", encoding="utf-8")
    return planted


def timed(
    commands: dict[str, tuple[Sequence[str], Path]], runs: int
) -> dict[str, tuple[float, float]]:
    """(min, median) wall time in seconds per command, after one warm-up run each.

    The commands are interleaved round by round, so a burst of load from elsewhere on the machine
    hits all of them alike instead of skewing one.
    """
    # bytecode caches as in a normal install: a wheel install compiles them, and
    # PYTHONDONTWRITEBYTECODE would make every run recompile
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for round_number in range(runs + 1):
        for label, (command, cwd) in commands.items():
            start = time.perf_counter()
            subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
            if round_number:  # round 0 warms caches
                samples[label].append(time.perf_counter() - start)
    return {label: (min(times), statistics.median(times)) for label, times in samples.items()}


def ml_agents_command() -> list[str]:
    beside = Path(sys.executable).with_name("ml-agents")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ml-agents")
    return [found] if found else [sys.executable, "-m", "ml_agents"]


def cclint_command() -> tuple[list[str] | None, str]:
    binary = CACHE / "node_modules" / ".bin" / "cclint"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            return None, "npm is not installed"
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"installing {CCLINT_PACKAGE}@{CCLINT_VERSION} into {CACHE} ...", file=sys.stderr)
        done = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(CACHE),
                f"{CCLINT_PACKAGE}@{CCLINT_VERSION}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not binary.exists():
            return None, f"npm install failed: {done.stderr.strip().splitlines()[-1:]}"
    return [str(binary)], f"{CCLINT_PACKAGE} {CCLINT_VERSION}"


def count_findings(command: list[str], cwd: Path) -> tuple[int, int]:
    """(files with a finding, files checked) from ml-agents' JSON output."""
    done = subprocess.run(
        [*command, "lint", "--format", "json"], cwd=cwd, capture_output=True, text=True, check=False
    )
    report = json.loads(done.stdout)
    return len({f["path"] for f in report["findings"]}), report["summary"]["files"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs", type=int, default=7, help="timed runs per case (after one warm-up)"
    )
    parser.add_argument("--no-cclint", action="store_true", help="skip cclint")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    args = parser.parse_args(argv)

    ours = ml_agents_command()
    cclint, cclint_label = (None, "skipped (--no-cclint)") if args.no_cclint else cclint_command()
    workdir = Path(tempfile.mkdtemp(prefix="ml-agents-bench-"))
    try:
        corpus, one, big = workdir / "corpus", workdir / "one", workdir / "big"
        planted = generate(corpus, 1000, 200)
        generate(one, 1, 0)
        generate(big, 8334, 1666, seed=SEED + 1)
        found, checked = count_findings(ours, corpus)

        cases: dict[str, tuple[Sequence[str], Path]] = {
            "floor": ([sys.executable, "-c", "pass"], workdir)
        }
        for label, folder in (("one", one), ("corpus", corpus)):
            cases[f"ml-{label}"] = ([*ours, "lint"], folder)
            if cclint:
                cases[f"cc-{label}"] = (cclint, folder)
        times = timed(cases, args.runs)
        times.update(timed({"ml-big": ([*ours, "lint"], big)}, max(3, args.runs // 2)))
        floor = times["floor"]
        rows = [
            (label, times[f"ml-{key}"], times.get(f"cc-{key}"))
            for label, key in (("1 file", "one"), ("1,000 agents + 200 commands", "corpus"))
        ]
        big_time = times["ml-big"]
    finally:
        if args.keep:
            print(f"corpora kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    def ms(pair: tuple[float, float] | None) -> str:
        return f"{pair[0] * 1000:7.0f} / {pair[1] * 1000:<7.0f}" if pair else f"{'n/a':^17}"

    print(
        f"ml-agents lint benchmark: {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, cclint: {cclint_label}"
    )
    print(f"times in ms, min / median of {args.runs} interleaved runs after a warm-up\n")
    print(
        f"{'case':<30} {'floor':>17} {'ml-agents':>17} {'cclint':>17} "
        f"{'ml/cclint':>17} {'target':>7}"
    )
    targets = {"1 file": 0.5, "1,000 agents + 200 commands": 0.4}
    verdicts = []
    for label, ml, cc in rows:
        ratios = (ml[0] / cc[0], ml[1] / cc[1]) if cc else None
        ratio_text = f"{ratios[0]:7.2f} / {ratios[1]:<7.2f}" if ratios else f"{'n/a':^17}"
        target = targets[label]
        print(
            f"{label:<30} {ms(floor):>17} {ms(ml):>17} {ms(cc):>17} "
            f"{ratio_text:>17} {'<= ' + str(target):>7}"
        )
        if ratios is not None:
            verdict = "meets" if ratios[1] <= target else "MISSES"
            verdicts.append(
                f"{label}: {ratios[1]:.2f} x cclint by median, {ratios[0]:.2f} by min "
                f"({verdict} <= {target})"
            )
    print(f"{'10,000 files (ml-agents only)':<30} {ms(floor):>17} {ms(big_time):>17}")

    corpus_ml = rows[1][1][1]
    one_ml = rows[0][1][1]
    per_file_small = (corpus_ml - one_ml) / 1199 * 1000
    per_file_big = (big_time[1] - one_ml) / 9999 * 1000
    print()
    print(
        f"over the floor: 1 file {(one_ml - floor[1]) * 1000:.0f} ms, "
        f"corpus {(corpus_ml - floor[1]) * 1000:.0f} ms"
    )
    print(
        f"linearity: {per_file_small:.3f} ms/file at 1,200 files, "
        f"{per_file_big:.3f} ms/file at 10,000 files "
        f"(ratio {per_file_big / per_file_small:.2f}; 1.00 = linear)"
    )
    print(
        f"planted errors: {planted} files; ml-agents reports findings in {found} of {checked} files"
    )
    for verdict in verdicts:
        print(verdict)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
