"""The CLI skeleton: entry points, version, help, and a light start-up."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO, RunCli

from ml_agents import __version__

VERBS = ("install", "uninstall", "status", "lint")


def test_version_comes_from_one_place(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ml-agents, version {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject, (
        "the version must be read from ml_agents/__init__.py"
    )


def test_python_dash_m_runs_the_same_cli(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ml_agents", "--version"],
        cwd=tmp_path,
        env=cli_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ml-agents, version {__version__}"


def test_help_lists_every_verb(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for verb in VERBS:
        assert re.search(rf"^\s+{verb}\s+\S", result.stdout, re.MULTILINE), verb


def test_each_verb_has_real_help(run_cli: RunCli) -> None:
    for verb in VERBS:
        result = run_cli(verb, "--help")
        assert result.returncode == 0, (verb, result.stderr)
        assert result.stdout.startswith(f"Usage: ml-agents {verb}"), result.stdout
        description = result.stdout.split("\n\n", 2)[1]
        assert len(description.split()) >= 5, f"{verb} --help says too little: {description!r}"


def test_unknown_verb_is_a_usage_error_without_traceback(run_cli: RunCli) -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_does_not_import_jsonschema_or_yaml(cli_env: dict[str, str], tmp_path: Path) -> None:
    for args in (["--help"], ["--version"]):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "ml_agents", *args],
            cwd=tmp_path,
            env=cli_env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
        assert "click" in imported, "the import trace is empty: the check would prove nothing"
        heavy = {name for name in imported if name.split(".")[0] in {"jsonschema", "yaml", "_yaml"}}
        assert not heavy, f"`ml-agents {' '.join(args)}` imported {sorted(heavy)}"


def test_a_missing_dependency_is_one_line_not_a_traceback(
    run_cli: RunCli, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """A broken environment (a dependency uninstalled, or the package installed without its
    dependencies): the verb that needs it says which package is missing and how to mend it."""
    assert run_cli("install", cwd=tmp_path).returncode == 0  # a manifest that status validates
    blocked = "import sys; sys.modules['jsonschema'] = None; from ml_agents.cli import main; "
    result = subprocess.run(
        [sys.executable, "-c", blocked + "raise SystemExit(main())", "status"],
        cwd=tmp_path,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert "the package 'jsonschema' that ml-agents needs is not installed" in result.stderr
    assert "pip install --force-reinstall ml-agents" in result.stderr
