"""One interactive ``/ml-integration`` run in tmux, driven as a user would, against the fake model.

Session 1: start the client, type ``/<command> <goal>``, wait for phase 1's checkpoint question,
answer approve (the first option), wait until phase 2's first agent has started (its requests are
held unanswered: a slow model), quit. Session 2: start the client again in the same HOME and
project, type the same command, answer the resume question, wait for the resumed phase's agents and
its checkpoint, quit. Every wait polls the request log or the screen with a deadline. A permission
dialog on the screen ends the run at once, with the screen in the failure.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .checks import is_subagent_request
from .client import ClientInstall, offline_env
from .fake_api import Block, FakeApi
from .interactive import (
    CHECKPOINT_HEADER,
    RESUME_HEADER,
    checkpoint_fragment,
    fake_model,
    resume_fragment,
)
from .tmux import TmuxSession, WaitTimeout, wait_until

API_KEY = "sk-ant-test-interactive-0000000000"
START_TIMEOUT = 60.0
STEP_TIMEOUT = 120.0
QUIT_TIMEOUT = 30.0
KEY_RETRY = 10.0
SETTLE_TIMEOUT = 5.0
READY = "\u276f"  # the prompt marker of the input box
# what a permission dialog of 2.1.x says; none may appear in a run of the command
DIALOG = re.compile(r"Do you want to|Run a dynamic workflow\?|Allow this|requires approval")
# the question dialog AskUserQuestion opens
QUESTION_FOOTER = "Enter to select"
# 2.1.332 asks before it exits with a workflow or agent still running; the first option stops them
EXIT_WITH_TASKS = "Exit and stop tasks"
PRESS_AGAIN = "again to exit"


class RunStopped(WaitTimeout):
    """A dialog appeared, or the client exited: waiting longer cannot help."""


class Session(NamedTuple):
    first_request: int
    """Index into :attr:`InteractiveRun.requests` of the first request this session sent."""
    screens: list[str]


class InteractiveRun(NamedTuple):
    version: str
    requests: list[dict[str, Any]]
    sessions: list[Session]
    files: dict[str, str]
    """The project's files after the run (relative path -> text), ``.git`` left out."""
    replies: dict[int, list[Block]]
    """The fake model's answer to each request, by the request body's ``id()``."""
    marks: dict[str, int]
    """Request counts at the user's actions: ``approved`` (checkpoint answered), ``resumed``."""
    failure: str | None
    """Why the run stopped early (a wait that timed out, a dialog), with the screen; else None."""
    script_errors: list[str]
    seconds: float

    def screens(self) -> list[str]:
        return [screen for session in self.sessions for screen in session.screens]

    def describe(self) -> str:
        """For failure messages: how the run went and its last screen."""
        last = self.screens()[-1] if self.screens() else "(no screen)"
        return (
            f"client {self.version}; {len(self.requests)} requests; "
            f"{len(self.sessions)} session(s); {self.seconds:.0f} s; "
            f"stopped early: {self.failure or 'no'}\nlast screen:\n{last}"
        )


def prepare_home(home: Path, project: Path) -> None:
    """What an interactive start needs without any dialog: onboarding done, key approved, project
    trusted (claude-code-workflows.md §3); hooks off, since a test must not run anyone's hooks."""
    config = {
        "hasCompletedOnboarding": True,
        "customApiKeyResponses": {"approved": [API_KEY[-20:], API_KEY], "rejected": []},
        "projects": {str(project): {"hasTrustDialogAccepted": True}},
    }
    (home / ".claude.json").write_text(json.dumps(config), encoding="utf-8")
    settings = home / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    if not settings.exists():
        settings.write_text(json.dumps({"disableAllHooks": True}), encoding="utf-8")


class Driver:
    """Drives the sessions of one run and keeps what they showed."""

    def __init__(
        self,
        client: ClientInstall,
        api: FakeApi,
        *,
        home: Path,
        project: Path,
        client_args: list[str],
        extra_env: Mapping[str, str],
    ) -> None:
        self.client = client
        self.api = api
        self.home = home
        self.project = project
        self.client_args = client_args
        self.env = offline_env(
            client.bin_dir,
            home,
            ANTHROPIC_BASE_URL=api.base_url,
            ANTHROPIC_API_KEY=API_KEY,
            TERM="xterm-256color",
            **extra_env,
        )
        self.sessions: list[Session] = []

    def session(self) -> TmuxSession:
        debug = self.home.parent / f"debug-{len(self.sessions) + 1}.log"
        command = [str(self.client.bin_dir / "claude"), "--debug-file", str(debug)]
        screen = TmuxSession(
            self.home.parent / f"tmux-{uuid.uuid4().hex[:8]}.sock",
            [*command, *self.client_args],
            cwd=self.project,
            env=self.env,
        )
        self.sessions.append(Session(len(self.api.message_requests()), screen.history))
        return screen

    def wait(
        self, screen: TmuxSession, what: str, condition: Callable[[], bool], timeout: float
    ) -> None:
        def check() -> bool:
            shown = screen.screen()
            if DIALOG.search(shown):
                raise WaitTimeout(
                    f"a permission dialog appeared while waiting for {what}:\n{shown}"
                )
            if not screen.alive():
                raise WaitTimeout(f"the client exited while waiting for {what}:\n{shown}")
            return condition()

        wait_until(check, timeout, lambda: f"{what}; the screen shows:\n{screen.last_screen()}")

    def requests_since(self, index: int) -> list[dict[str, Any]]:
        return self.api.message_requests()[index:]

    def type_command(self, screen: TmuxSession, text: str) -> None:
        self.wait(screen, "the prompt", lambda: READY in screen.screen(), START_TIMEOUT)
        screen.type(text)
        # the `/` menu opens while typing; Enter runs what was typed once the line shows it
        self.wait(screen, f"{text!r} typed", lambda: text in screen.screen(), STEP_TIMEOUT)
        # one press only: a repeated Enter would wait in the input and could answer a later dialog
        screen.press("Enter")

    def settle(self, screen: TmuxSession) -> None:
        """Wait (a few seconds at most) until two captures a poll apart are the same: a dialog
        still being drawn may not read its keys yet."""
        last = [""]

        def steady() -> bool:
            now = screen.screen()
            same, last[0] = now == last[0], now
            return same

        with contextlib.suppress(WaitTimeout):
            wait_until(steady, SETTLE_TIMEOUT, lambda: "the screen to stop changing")

    def press_until(
        self, screen: TmuxSession, what: str, taken: Callable[[], bool], key: str = "Enter"
    ) -> None:
        """Press ``key`` until ``taken()``: a dialog drawn a moment before it reads its input
        drops a key pressed too early (seen under load), so a press still unanswered after
        ``KEY_RETRY`` seconds is repeated."""
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            screen.press(key)
            try:
                self.wait(screen, what, taken, KEY_RETRY)
                return
            except RunStopped:
                raise  # never press on into a dialog: Enter would approve it
            except WaitTimeout:
                if time.monotonic() > deadline or not screen.alive():
                    raise

    def answer_first_option(
        self,
        screen: TmuxSession,
        header: str,
        question: str,
        before: Callable[[], None] = lambda: None,
    ) -> int:
        """Wait for the question dialog, call ``before``, pick the first option; return the number
        of requests logged at that moment."""
        self.wait(
            screen,
            f"the {header} question ({question!r})",
            lambda: question in screen.screen() and QUESTION_FOOTER in screen.screen(),
            STEP_TIMEOUT,
        )
        self.settle(screen)
        before()
        answered_at = len(self.api.message_requests())
        self.press_until(
            screen,
            f"the answer to {question!r} to be taken",
            lambda: not (question in screen.screen() and QUESTION_FOOTER in screen.screen()),
        )
        return answered_at

    def wait_for_subagent(self, screen: TmuxSession, after: int, what: str) -> None:
        self.wait(
            screen,
            what,
            lambda: any(is_subagent_request(r) for r in self.requests_since(after)),
            STEP_TIMEOUT,
        )

    def quit(self, screen: TmuxSession) -> None:
        """Leave the client as a user does: Esc closes an open question; Ctrl-D twice on the empty
        prompt exits; with work still running the client asks first, and we stop the work."""
        deadline = time.monotonic() + QUIT_TIMEOUT
        while screen.alive() and time.monotonic() < deadline:
            shown = screen.screen()
            if EXIT_WITH_TASKS in shown:
                screen.press("Enter")
            elif QUESTION_FOOTER in shown:
                screen.press("Escape")
            elif PRESS_AGAIN in shown:
                screen.press("C-d")
            else:
                screen.press("C-d")
                # the second Ctrl-D counts only within a short window: poll for its hint
                with contextlib.suppress(WaitTimeout):
                    wait_until(
                        lambda: PRESS_AGAIN in screen.screen() or not screen.alive(),
                        2.0,
                        lambda: "the exit hint",
                    )
                continue
            with contextlib.suppress(WaitTimeout):
                wait_until(lambda: not screen.alive(), 1.0, lambda: "the client to exit")
        if screen.alive():
            raise WaitTimeout(f"the client did not exit:\n{screen.screen()}")


def run_interactive(
    client: ClientInstall,
    *,
    command: str,
    goal: str,
    home: Path,
    project: Path,
    client_args: list[str],
    extra_env: Mapping[str, str] | None = None,
    checkpoint_question: str = checkpoint_fragment(1),
    resume_question: str = resume_fragment(2),
    resumed_checkpoint: str = checkpoint_fragment(2),
) -> InteractiveRun:
    """Both sessions of one run; the result holds everything the tests judge."""
    prepare_home(home, project)
    started = time.monotonic()
    failure: str | None = None
    marks: dict[str, int] = {}
    # While closed, agents' requests wait unanswered (a slow model): session 1 quits while phase 2
    # is still running, so session 2 must resume it.
    agents_answer = threading.Event()
    agents_answer.set()

    def hold(request: dict[str, Any]) -> None:
        if is_subagent_request(request):
            agents_answer.wait(STEP_TIMEOUT)

    replies: dict[int, list[Block]] = {}

    def model(request: dict[str, Any]) -> list[Block]:
        replies[id(request)] = answer = fake_model(request)
        return answer

    with FakeApi(model, hold, verdicts=True) as api:
        driver = Driver(
            client,
            api,
            home=home,
            project=project,
            client_args=client_args,
            extra_env=extra_env or {},
        )
        try:
            with driver.session() as screen:
                driver.type_command(screen, f"/{command} {goal}")
                approved = driver.answer_first_option(
                    screen, CHECKPOINT_HEADER, checkpoint_question, before=agents_answer.clear
                )
                marks["approved"] = approved
                driver.wait_for_subagent(screen, approved, "an agent of phase 2 to start")
                driver.quit(screen)
            agents_answer.set()
            with driver.session() as screen:
                driver.type_command(screen, f"/{command} {goal}")
                resumed = driver.answer_first_option(screen, RESUME_HEADER, resume_question)
                marks["resumed"] = resumed
                driver.wait_for_subagent(screen, resumed, "an agent of the resumed phase to start")
                driver.wait(
                    screen,
                    f"the resumed phase's checkpoint ({resumed_checkpoint!r})",
                    lambda: resumed_checkpoint in screen.screen(),
                    STEP_TIMEOUT,
                )
                driver.quit(screen)
        except WaitTimeout as error:
            failure = str(error)
        finally:
            agents_answer.set()
        requests = api.message_requests()
        errors = list(api.script_errors)
    return InteractiveRun(
        client.version,
        requests,
        driver.sessions,
        project_files(project),
        replies,
        marks,
        failure,
        errors,
        time.monotonic() - started,
    )


def project_files(project: Path) -> dict[str, str]:
    return {
        str(p.relative_to(project)): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(project.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(project).parts
    }
