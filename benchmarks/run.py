"""Run every benchmark in turn: ``python benchmarks/run.py`` (extra arguments are not forwarded)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("bench_lint.py", "bench_install.py")


def main() -> int:
    worst = 0
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        result = subprocess.run([sys.executable, str(HERE / name)], check=False)
        worst = max(worst, result.returncode)
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
