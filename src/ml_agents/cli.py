"""The ``ml-agents`` command line: ``main`` is the console script.

A plain ``ml-agents lint`` (paths and common options, see ``lint.run.plain_options``) runs without
importing click, which alone costs more than a warm lint of a thousand unchanged files; every
other invocation goes through the click group in ``verbs.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from ml_agents.output import UserError, clipped_message, discard, say


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 findings or failure, 2 usage error)."""
    args = list(sys.argv[1:] if argv is None else argv)
    return _guarded(lambda: _dispatch(args))


def _dispatch(args: list[str]) -> int:
    if args[:1] == ["lint"]:
        from ml_agents.lint.run import plain_options, run

        options = plain_options(args[1:])
        if options is not None:
            return run(options)
    from ml_agents.verbs import run_click

    return run_click(args)


def _guarded(work: Callable[[], int]) -> int:
    try:
        return work()
    except UserError as error:
        say(clipped_message(f"ml-agents: error: {error}"), err=True)
        return error.exit_code
    except BrokenPipeError:  # a verb that stopped because its output was cut off did not finish
        discard(sys.stdout)
        return 1
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] == "ml_agents":
            raise  # our own package broken: a bug to see whole
        say(
            f"ml-agents: error: the package {error.name!r} that ml-agents needs is not installed; "
            "reinstall ml-agents with its dependencies (pip install --force-reinstall ml-agents)",
            err=True,
        )
        return 1
