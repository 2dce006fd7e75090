"""Benchmark ``ml-agents lint`` against the interpreter floor, cclint and agnix, in one run.

    python benchmarks/bench_lint.py [--runs N] [--no-cclint] [--no-agnix] [--keep]

Generates 1,000 agents and 200 commands (about 5% with a planted error) in both layouts, a
``.claude/`` project and a plugin (``agents/``, ``commands/``, ``.claude-plugin/plugin.json``),
a one-agent project and a 10,000-file project, in a temporary folder. Then it times, as separate
processes interleaved round by round, min and median of repeated runs:

- the floor, ``python -c pass``;
- ``ml-agents lint`` cold (empty cache), warm (nothing changed) and with one file changed;
- cclint (npm ``@carlrannaberg/cclint``, ``.claude/`` layout) and agnix (the Rust linter, pip
  ``agnix``), each installed into ~/.cache/ml-agents/bench/ on first use; without npm or pip
  the script says so and prints the rest.

It prints the ratios against the targets, the per-file cost at 1,200 and 10,000 files, the peak
RSS of each ml-agents case, and where a run's time goes (``ML_AGENTS_TIMINGS=1``). Timings are
printed, never asserted.

Targets (issue 12): cold corpus <= 0.6 x cclint, cold one file <= 0.8 x cclint; warm corpus
<= 1.0 x agnix in both layouts; one changed file in the 1,200 <= 0.3 x cclint; linear to 10,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

CCLINT_PACKAGE = "@carlrannaberg/cclint"
CCLINT_VERSION = "0.2.10"
AGNIX_VERSION = "0.59.3"
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


def generate(
    root: Path, agents: int, commands: int, seed: int = SEED, *, plugin: bool = False
) -> int:
    """Write a .claude/ project (or a plugin); return the number of files with a planted error."""
    rng = random.Random(seed)
    (root / ".git").mkdir(parents=True, exist_ok=True)  # the project root, as in a checkout
    base = root if plugin else root / ".claude"
    if plugin:
        manifest = {
            "name": "bench",
            "version": "1.0.0",
            "description": "A generated plugin.",
            "author": {"name": "bench"},
        }
        (root / ".claude-plugin").mkdir(parents=True, exist_ok=True)
        (root / ".claude-plugin" / "plugin.json").write_text(json.dumps(manifest, indent=2))
    planted = 0
    for kind, count, make, errors in (
        ("agents", agents, agent_text, AGENT_ERRORS),
        ("commands", commands, command_text, COMMAND_ERRORS),
    ):
        folder = base / kind
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


class Case(NamedTuple):
    command: Sequence[str]
    cwd: Path
    env: dict[str, str] | None = None
    prepare: Callable[[], None] | None = None
    """Run before each timed run, untimed (empty the cache, change a file)."""


Times = dict[str, tuple[float, float]]


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    # bytecode caches as in a normal install: a wheel install compiles them, and
    # PYTHONDONTWRITEBYTECODE would make every run recompile
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("ML_AGENTS")
    }
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def run_case(case: Case, extra_env: dict[str, str] | None = None) -> tuple[float, str]:
    """One run: (wall seconds, stderr)."""
    if case.prepare:
        case.prepare()
    env = clean_env({**(case.env or {}), **(extra_env or {})})
    start = time.perf_counter()
    done = subprocess.run(case.command, cwd=case.cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - start, done.stderr.decode(errors="replace")


def timed(cases: dict[str, Case], runs: int, *, warm_up: bool = True) -> Times:
    """(min, median) wall time in seconds per case, after one warm-up run each.

    The cases are interleaved round by round, so a burst of load from elsewhere on the machine
    hits all of them alike instead of skewing one.
    """
    samples: dict[str, list[float]] = {label: [] for label in cases}
    for round_number in range(runs + 1 if warm_up else runs):
        for label, case in cases.items():
            wall, _ = run_case(case)
            if round_number or not warm_up:  # round 0 warms the OS caches and primes ours
                samples[label].append(wall)
    return {label: (min(times), statistics.median(times)) for label, times in samples.items()}


def peak_rss_mb(case: Case) -> float:
    """The peak resident memory of one run (and its forked child), in MB."""
    code = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    if case.prepare:
        case.prepare()
    done = subprocess.run(
        [sys.executable, "-c", code, *case.command],
        cwd=case.cwd,
        env=clean_env(case.env),
        capture_output=True,
        text=True,
        check=False,
    )
    return int(done.stdout.strip() or 0) / 1024


COUNT_KEYS = ("files", "known by status", "known by hash", "linted", "replayed")
TIMINGS_RE = re.compile(r"^ml-agents lint timings-ms (\{.*\})$", re.MULTILINE)


def split(case: Case, runs: int = 3) -> tuple[float, dict[str, float]]:
    """The median wall time (ms) of ``runs`` runs and the phases of that run."""
    measured = []
    for _ in range(runs):
        wall, stderr = run_case(case, {"ML_AGENTS_TIMINGS": "1"})
        found = TIMINGS_RE.search(stderr)
        phases = json.loads(found.group(1)) if found else {}
        measured.append((wall * 1000, phases))
    measured.sort(key=lambda pair: pair[0])
    return measured[len(measured) // 2]


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


def agnix_command() -> tuple[list[str] | None, str]:
    """agnix from PyPI (a compiled Rust binary in the wheel), in a venv of its own."""
    venv = CACHE / "agnix-venv"
    binary = venv / ("Scripts" if os.name == "nt" else "bin") / "agnix"
    if not binary.exists():
        print(f"installing agnix=={AGNIX_VERSION} into {venv} ...", file=sys.stderr)
        made = subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, check=False
        )
        pip = venv / ("Scripts" if os.name == "nt" else "bin") / "pip"
        done = (
            subprocess.run(
                [str(pip), "install", "-q", f"agnix=={AGNIX_VERSION}"],
                capture_output=True,
                text=True,
                check=False,
            )
            if made.returncode == 0
            else made
        )
        if done.returncode != 0 or not binary.exists():
            return None, f"pip install agnix failed: {done.stderr.strip().splitlines()[-1:]}"
    return [str(binary)], f"agnix {AGNIX_VERSION}"


def count_findings(command: list[str], cwd: Path) -> tuple[int, int]:
    """(files with a finding, files checked) from ml-agents' JSON output."""
    done = subprocess.run(
        [*command, "lint", "--no-cache", "--format", "json"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    return len({f["path"] for f in report["findings"]}), report["summary"]["files"]


def ml_cases(ours: list[str], label: str, root: Path, work: Path) -> dict[str, Case]:
    """Cold, warm and one-changed ``ml-agents lint`` cases for the project at ``root``."""
    cold_cache, warm_cache, changed_cache = (work / f"cache-{label}-{k}" for k in "cwx")
    changed_root = work / f"{root.name}-changed"
    shutil.copytree(root, changed_root)
    victims = sorted(changed_root.rglob("*.md"))
    victim = victims[len(victims) // 2]
    original = victim.read_text(encoding="utf-8")
    edits = iter(range(1_000_000))

    def empty_cache() -> None:
        shutil.rmtree(cold_cache, ignore_errors=True)

    def change_one() -> None:
        victim.write_text(f"{original}\nEdit {next(edits)}.\n", encoding="utf-8")

    command = [*ours, "lint"]
    return {
        f"{label} cold": Case(command, root, {"ML_AGENTS_CACHE_DIR": str(cold_cache)}, empty_cache),
        f"{label} warm": Case(command, root, {"ML_AGENTS_CACHE_DIR": str(warm_cache)}),
        f"{label} 1 changed": Case(
            command, changed_root, {"ML_AGENTS_CACHE_DIR": str(changed_cache)}, change_one
        ),
    }


def ms(pair: tuple[float, float] | None) -> str:
    return f"{pair[0] * 1000:7.0f} / {pair[1] * 1000:<7.0f}" if pair else f"{'n/a':^17}"


def ratio(ours: tuple[float, float] | None, theirs: tuple[float, float] | None) -> str:
    if not ours or not theirs:
        return f"{'n/a':^15}"
    return f"{ours[0] / theirs[0]:6.2f} / {ours[1] / theirs[1]:<6.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs per case (after a warm-up)")
    parser.add_argument("--no-cclint", action="store_true", help="skip cclint")
    parser.add_argument("--no-agnix", action="store_true", help="skip agnix")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    args = parser.parse_args(argv)

    ours = ml_agents_command()
    cclint, cclint_label = (None, "skipped (--no-cclint)") if args.no_cclint else cclint_command()
    agnix, agnix_label = (None, "skipped (--no-agnix)") if args.no_agnix else agnix_command()
    work = Path(tempfile.mkdtemp(prefix="ml-agents-bench-"))
    try:
        claude, plugin, one, big = (work / n for n in ("claude", "plugin", "one", "big"))
        planted = generate(claude, 1000, 200)
        generate(plugin, 1000, 200, plugin=True)
        generate(one, 1, 0)
        generate(big, 8334, 1666, seed=SEED + 1)
        found, checked = count_findings(ours, claude)

        cases = {
            "floor": Case([sys.executable, "-c", "pass"], work),
            "ml-agents --version": Case([*ours, "--version"], work),
        }
        cases |= ml_cases(ours, "one", one, work)
        cases |= ml_cases(ours, ".claude/", claude, work)
        cases |= ml_cases(ours, "plugin", plugin, work)
        theirs: dict[str, Case] = {}
        for name, tool in (("cclint", cclint), ("agnix", agnix)):
            if tool:
                theirs[f"{name} one"] = Case(tool, one)
                theirs[f"{name} plugin"] = Case(tool, plugin)
        if cclint:
            theirs["cclint .claude/"] = Case(cclint, claude)
        times = timed(cases | theirs, args.runs)
        if agnix:  # quadratic in this layout: seconds per run, so one run, no warm-up
            times |= timed({"agnix .claude/": Case(agnix, claude)}, 1, warm_up=False)
        big_cases = ml_cases(ours, "10,000", big, work)
        times |= timed(big_cases, max(3, args.runs // 2))
        memory = {label: peak_rss_mb(case) for label, case in (cases | big_cases).items()}
        phases = {
            label: split(case)
            for label, case in (cases | big_cases).items()
            if label.startswith(("one", ".claude/", "plugin", "10,000"))
        }
    finally:
        if args.keep:
            print(f"corpora kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    report(times, memory, phases, args.runs, cclint_label, agnix_label)
    print(
        f"\nplanted errors: {planted} files; ml-agents reports findings in {found} of "
        f"{checked} files"
    )
    return 0


def report(
    times: Times,
    memory: dict[str, float],
    phases: dict[str, tuple[float, dict[str, float]]],
    runs: int,
    cclint_label: str,
    agnix_label: str,
) -> None:
    get = times.get
    print(
        f"ml-agents lint benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"load {os.getloadavg()[0]:.1f}; cclint: {cclint_label}; agnix: {agnix_label}"
    )
    print(f"times in ms, min / median of {runs} interleaved runs after a warm-up\n")
    print(f"{'case':<22} {'ml-agents':>17} {'cclint':>17} {'agnix':>17} {'peak RSS':>9}")
    print(f"{'floor (python -c pass)':<22} {ms(get('floor')):>17}")
    print(f"{'ml-agents --version':<22} {ms(get('ml-agents --version')):>17}")
    for layout in ("one", ".claude/", "plugin", "10,000"):
        for state in ("cold", "warm", "1 changed"):
            label = f"{layout} {state}"
            tools = (get(f"cclint {layout}"), get(f"agnix {layout}")) if state == "cold" else ()
            cells = " ".join(f"{ms(t):>17}" for t in tools) if tools else f"{'':>35}"
            print(f"{label:<22} {ms(get(label)):>17} {cells} {memory.get(label, 0):7.1f} MB")
    if get("agnix .claude/"):
        print("(agnix .claude/: one run, no warm-up: it takes seconds in this layout)")

    cclint_corpus = get("cclint .claude/")
    print("\nratios (min / median) against the targets of issue 12:")
    checks = [
        ("cold .claude/ corpus / cclint", get(".claude/ cold"), cclint_corpus, 0.6),
        ("cold plugin corpus / cclint .claude/", get("plugin cold"), cclint_corpus, 0.6),
        ("cold one file / cclint", get("one cold"), get("cclint one"), 0.8),
        ("warm .claude/ corpus / agnix", get(".claude/ warm"), get("agnix .claude/"), 1.0),
        ("warm plugin corpus / agnix", get("plugin warm"), get("agnix plugin"), 1.0),
        ("1 changed (.claude/) / cclint", get(".claude/ 1 changed"), cclint_corpus, 0.3),
        ("1 changed (plugin) / cclint .claude/", get("plugin 1 changed"), cclint_corpus, 0.3),
        ("warm .claude/ corpus / floor", get(".claude/ warm"), get("floor"), None),
    ]
    for label, ours, theirs, target in checks:
        verdict = ""
        if ours and theirs and target is not None:
            verdict = "meets" if ours[1] / theirs[1] <= target else "MISSES"
            verdict = f"target <= {target}: {verdict}"
        print(f"  {label:<38} {ratio(ours, theirs)}  {verdict}")

    print("\nlinearity (ms per file over the one-file run, by median):")
    for state in ("cold", "warm", "1 changed"):
        single, corpus, big = (get(f"{k} {state}") for k in ("one", ".claude/", "10,000"))
        if single and corpus and big:
            small = (corpus[1] - single[1]) / 1199 * 1000
            large = (big[1] - single[1]) / 9999 * 1000
            print(
                f"  {state}: {small:.3f} at 1,200 files, {large:.3f} at 10,000 "
                f"(ratio {large / small:.2f}; 1.00 = linear)"
            )

    version = get("ml-agents --version")
    print(
        "\nwhere the time goes (one run with ML_AGENTS_TIMINGS=1, median of 3, ms): start-up is "
        "`python -c pass`, imports and output the rest of the wall time\n"
        "  (click and the CLI alone: `ml-agents --version`"
        + (f", {version[1] * 1000:.0f} ms" if version else "")
        + ")"
    )
    floor = get("floor")
    for label, (wall, measured) in phases.items():
        counts = {k: int(v) for k, v in measured.items() if k in COUNT_KEYS}
        inside = {k: v for k, v in measured.items() if k not in COUNT_KEYS}
        counted = sum(v for k, v in inside.items() if not k.startswith("parse"))
        start = floor[1] * 1000 if floor else 0.0
        parts = ", ".join(f"{k} {v:.0f}" for k, v in inside.items())
        files = ", ".join(f"{k} {v}" for k, v in counts.items())
        print(
            f"  {label:<18} wall {wall:6.0f}: start-up {start:.0f}, imports and output "
            f"{wall - counted - start:.0f}, {parts}\n  {'':<18} files: {files}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
