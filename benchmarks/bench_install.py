"""Benchmark ``ml-agents install`` end to end into an empty home.

    python benchmarks/bench_install.py [--runs N] [--target-ms MS]

Each run is a separate process, ``ml-agents install`` with ``HOME`` set to a fresh empty folder
(so it creates ``~/.claude``, its ``agents/`` and ``commands/``, eleven files and the manifest,
each written atomically with fsync). Prints min / median / max wall time, the ratio to the target
(250 ms), and where the time goes:

- the floor: ``python -c pass`` and ``ml-agents --version`` (interpreter and click start-up);
- inside the install (``ML_AGENTS_TIMINGS=1``): bundle read and parse, lint import, lint, plan
  (clash scan included), lock, apply (writes and fsyncs), report;
- start-up and imports: wall time minus the phases above;
- the heaviest imports of the install path, from ``python -X importtime``.

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIMINGS_RE = re.compile(r"^ml-agents timings-ms (\{.*\})$", re.MULTILINE)


def cli() -> str:
    beside = Path(sys.executable).with_name("ml-agents")
    found = str(beside) if beside.exists() else shutil.which("ml-agents")
    if not found:
        sys.exit("the ml-agents console script is not installed: run `pip install .` first")
    return found


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE", "ML_AGENTS"))}
    env.update(HOME=str(home), LANG="C.UTF-8", NO_COLOR="1")
    return env


def timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return elapsed, result.stderr


def floor(runs: int, work: Path) -> tuple[list[float], list[float]]:
    env = clean_env(work)
    python = [timed([sys.executable, "-c", "pass"], env, work)[0] for _ in range(runs)]
    version = [timed([cli(), "--version"], env, work)[0] for _ in range(runs)]
    return python, version


def install_runs(runs: int, work: Path) -> tuple[list[float], list[dict[str, float]]]:
    walls: list[float] = []
    phases: list[dict[str, float]] = []
    for index in range(runs):
        home = work / f"home-{index}"
        home.mkdir()
        env = clean_env(home)
        env["ML_AGENTS_TIMINGS"] = "1"
        wall, stderr = timed([cli(), "install"], env, work)
        found = TIMINGS_RE.search(stderr)
        if found is None:
            sys.exit(f"no timings line in the install's stderr:\n{stderr}")
        walls.append(wall)
        phases.append(json.loads(found.group(1)))
        installed = sorted(p.name for p in (home / ".claude" / "agents").glob("*.md"))
        if not installed or not (home / ".claude" / ".ml-agents-manifest.json").is_file():
            sys.exit(f"run {index} did not install anything into {home}")
    return walls, phases


def heaviest_imports(work: Path, top: int = 8) -> list[tuple[str, float]]:
    """Cumulative import time (ms) of the top-level packages the install path imports."""
    code = "import ml_agents.cli, ml_agents.install.run, ml_agents.lint.engine"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=clean_env(work),
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    totals: dict[str, float] = {}
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2][1:].rstrip()
        if name.startswith(" ") and not name.strip().startswith("ml_agents"):
            continue  # a nested import is counted in its parent's cumulative time
        key = name.strip()
        totals[key] = max(totals.get(key, 0.0), int(parts[1]) / 1000)
    return sorted(totals.items(), key=lambda item: -item[1])[:top]


def show(label: str, values: list[float]) -> str:
    return (
        f"{label:<34} min {min(values):7.1f}  median {statistics.median(values):7.1f}"
        f"  max {max(values):7.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per measurement (default 15)")
    parser.add_argument("--target-ms", type=float, default=250.0, help="target (default 250)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ml-agents-bench-install-") as folder:
        work = Path(folder)
        timed([cli(), "install", "--dry-run"], clean_env(work), work)  # warm the page cache
        python, version = floor(options.runs, work)
        walls, phases = install_runs(options.runs, work)
        imports = heaviest_imports(work)

    print(f"ml-agents install into an empty home, {options.runs} runs, {os.cpu_count()} cores")
    print(show("python -c pass", python))
    print(show("ml-agents --version", version))
    print(show("ml-agents install (wall)", walls))
    median = statistics.median(walls)
    verdict = "within" if median <= options.target_ms else "OVER"
    print(
        f"target {options.target_ms:.0f} ms: median / target = {median / options.target_ms:.2f}"
        f" ({verdict} target); median / python floor = {median / statistics.median(python):.1f}x"
    )
    print()
    print("time split (median of runs, ms):")
    names = list(phases[0])
    inside = [sum(run.values()) for run in phases]
    startup = [wall - inner for wall, inner in zip(walls, inside, strict=True)]
    print(f"  {'start-up and imports':<26} {statistics.median(startup):7.1f}")
    for name in names:
        print(f"  {name:<26} {statistics.median(run.get(name, 0.0) for run in phases):7.1f}")
    print(f"  {'(sum inside install)':<26} {statistics.median(inside):7.1f}")
    print()
    print("heaviest imports on the install path (cumulative, one -X importtime run, ms):")
    for name, ms in imports:
        print(f"  {name:<40} {ms:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
