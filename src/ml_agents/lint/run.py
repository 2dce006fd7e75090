"""One ``ml-agents lint`` run, from parsed options to exit code, with no click in sight.

``lint/cli.py`` declares the options with click; a plain invocation (paths and a few common
options, see ``plain_options``) skips click altogether, because importing click costs more than a
warm run over a thousand unchanged files. Both routes build the same ``LintOptions`` and call
``run``; tests/test_lint_run.py holds the two parsers to each other.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ml_agents.lint import config as config_module
from ml_agents.lint.config import Config, ConfigError
from ml_agents.lint.result import ERROR, INFO, SEVERITY_ORDER, WARNING
from ml_agents.output import say

if TYPE_CHECKING:
    from ml_agents.lint.cache import ResultCache

FORMATS = ("text", "json", "sarif", "github")
TIMINGS_ENV = "ML_AGENTS_TIMINGS"  # print the time split to stderr (benchmarks/)
COLOURS = ("auto", "always", "never")
SEVERITIES = (ERROR, WARNING, INFO)


class LintOptions(NamedTuple):
    paths: tuple[Path, ...] = ()
    output_format: str | None = None
    output: Path | None = None
    colour: str = "auto"
    show_info: bool = False
    config_file: Path | None = None
    no_config: bool = False
    fail_on: str = ERROR
    strict: bool = False
    ignored: frozenset[str] = frozenset()
    no_cache: bool = False
    cache_dir: Path | None = None


_FLAGS = {
    "--show-info": "show_info",
    "--no-config": "no_config",
    "--strict": "strict",
    "--no-cache": "no_cache",
}
_CHOICES = {
    "--format": ("output_format", FORMATS),
    "--color": ("colour", COLOURS),
    "--fail-on": ("fail_on", SEVERITIES),
}


def plain_options(args: Sequence[str]) -> LintOptions | None:
    """The options of ``ml-agents lint ARGS`` when ARGS are only paths and the options above
    (flags, and ``--format``/``--color``/``--fail-on`` with a valid value), else None: then click
    parses them, and gives any usage error its usual wording."""
    values: dict[str, object] = {}
    paths: list[Path] = []
    at = 0
    only_paths = False
    while at < len(args):
        arg = args[at]
        at += 1
        if only_paths or not arg.startswith("-"):
            if not arg:
                return None  # an empty path: let click decide
            paths.append(Path(arg))
            continue
        if arg == "--":
            only_paths = True
            continue
        if arg in _FLAGS:
            values[_FLAGS[arg]] = True
            continue
        name, equals, value = arg.partition("=")
        if name not in _CHOICES:
            return None
        if not equals:
            if at == len(args):
                return None
            value = args[at]
            at += 1
        field, allowed = _CHOICES[name]
        if value not in allowed:
            return None
        values[field] = value
    return LintOptions(paths=tuple(paths), **values)  # type: ignore[arg-type]


def run(options: LintOptions) -> int:
    """Lint, report, and return the exit code: 0 clean, 1 findings at or above the threshold,
    2 a configuration or output error."""
    cwd = Path.cwd()
    try:
        config = _config(options.config_file, options.no_config, options.paths, cwd)
    except ConfigError as error:
        say(f"ml-agents lint: error: {error}", err=True)
        return 2
    fail_on = options.fail_on
    strict = options.strict and SEVERITY_ORDER[fail_on] > SEVERITY_ORDER[WARNING]
    threshold = WARNING if strict else fail_on
    output_format = options.output_format
    if output_format is None:
        under_actions = os.environ.get("GITHUB_ACTIONS") == "true" and options.output is None
        output_format = "github" if under_actions else "text"

    shown = options.show_info or config.show_info or threshold == INFO
    coloured = output_format == "text" and use_colour(options.colour, options.output)
    cache = None if options.no_cache else _cache(options.cache_dir, config, cwd)
    started_ns = time.time_ns()
    replay_key = None
    if cache is not None and output_format != "sarif":  # SARIF reads the files it reports on
        from ml_agents.lint import replay

        parts = (str(cwd.absolute()), *map(str, options.paths), "\0", output_format)
        parts += (str(coloured), str(shown), threshold, *sorted(options.ignored))
        replay_key = replay.record_key(cache, parts)
        begun = time.perf_counter()
        stored = replay.stored_report(cache.folder, replay_key)
        if stored is not None:
            report, code = stored
            if os.environ.get(TIMINGS_ENV):
                _replay_timings(time.perf_counter() - begun)
            return _emit(report, coloured, options.output) or code

    from ml_agents.lint import deps, suppress
    from ml_agents.lint.engine import lint as run_lint
    from ml_agents.lint.report import render

    with deps.recording() as seen:  # discovery's questions; the engine keeps the checks' own
        result = run_lint(options.paths, cwd, parallel=True, cache=cache)
    ignored = options.ignored
    enabled = config.enabled - ignored
    findings = suppress.apply(result.findings, result.files, cwd, enabled, result.marked)
    findings = [f for f in config.apply(findings, cwd) if f.code not in ignored]
    files = [f for f in result.files if not config.excludes(f, cwd)]
    if not options.paths and not result.files and not findings:
        say(
            "ml-agents lint: no Claude Code files found here (.claude/, agents/, commands/, "
            "skills/, .claude-plugin/).",
            err=True,
        )
    # asking to fail on info findings is asking to see them
    visible = findings if shown else [f for f in findings if f.severity != INFO]
    style = ansi_style if coloured else None
    report = render(output_format, visible, files, style, len(findings) - len(visible))
    failed = _emit(report, coloured, options.output)
    code = failed or (1 if any(f.at_least(threshold) for f in findings) else 0)
    linted = set(result.files)
    if (
        replay_key is not None
        and result.answers is not None
        and not failed
        and all(f.path in linted and f.code != "CC000" for f in result.findings)
    ):
        assert cache is not None
        answers = {**seen, **result.answers}
        output = (report, code)
        replay.store_report(cache.folder, replay_key, result.sources, answers, output, started_ns)
    return code


def _replay_timings(checking: float) -> None:
    """The time split of a replayed run, as the engine prints that of a linted one."""
    import json

    split = {"replay check": round(checking * 1000, 2), "replayed": 1}
    say(f"ml-agents lint timings-ms {json.dumps(split)}", err=True)


def _emit(report: str, coloured: bool, output: Path | None) -> int:
    """Print the report, or write it to ``output``; 2 when that fails, else 0."""
    if output is None:
        if hasattr(sys.stdout, "reconfigure"):  # a file name or value the terminal cannot encode
            sys.stdout.reconfigure(errors="backslashreplace")
        if not coloured and "\033" in report:  # as click.echo did: no escape codes when plain
            import re

            report = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", report)
        sys.stdout.write(report)
        sys.stdout.flush()
        return 0
    try:
        write_atomically(output, report)
    except OSError as error:
        say(f"ml-agents lint: error: cannot write {output}: {error.strerror or error}", err=True)
        return 2
    return 0


def _config(file: Path | None, no_config: bool, paths: tuple[Path, ...], cwd: Path) -> Config:
    if no_config:
        return config_module.default(cwd)
    found = file or config_module.find(config_module.start_folder(paths, cwd))
    return config_module.load(found) if found else config_module.default(cwd)


def _cache(folder: Path | None, config: Config, cwd: Path) -> ResultCache:
    from ml_agents.lint.cache import default_folder, open_cache

    return open_cache(folder or default_folder(cwd), extra=(config.fingerprint(),))


def use_colour(choice: str, output: Path | None) -> bool:
    """--color always/never win; auto colours a terminal unless NO_COLOR is set (non-empty),
    and FORCE_COLOR (non-empty) colours a pipe too; a report written to a file stays plain."""
    if choice != "auto":
        return choice == "always"
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


# ANSI select graphic rendition codes per role of a piece of the text report
_SGR = {
    "path": (1,),
    ERROR: (31, 1),
    WARNING: (33, 1),
    INFO: (36,),
    "code": (1,),
    "dim": (2,),
}


def ansi_style(text: str, role: str) -> str:
    codes = _SGR.get(role)
    if not codes:
        return text
    return "".join(f"\033[{code}m" for code in codes) + text + "\033[0m"


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` in one step: a reader never sees half a report, a failure leaves no file."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder of the path should be
        raise NotADirectoryError(errno.ENOTDIR, f"{path.parent} is not a folder") from None
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
