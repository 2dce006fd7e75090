"""Fixtures of the end-to-end tests: the pinned real client, and one scenario run per install route.

Without the client (no npm, a failed install) every e2e test is skipped with a loud reason, except
in CI (``CI=true``), where that is a failure: CI must run these against the real client.
"""

from __future__ import annotations

import pytest
from conftest import cli_executable  # tests/conftest.py

from .client import PINS, ClientInstall, ClientUnavailable, Pin, ensure_client
from .scenario import (
    ROUTES,
    InstallFailed,
    Route,
    Scenario,
    client_unavailable,
    fresh_dirs,
    prepare_route,
    run_scenario,
)


@pytest.fixture(scope="session", params=PINS, ids=[pin.version for pin in PINS])
def client(request: pytest.FixtureRequest) -> ClientInstall:
    pin: Pin = request.param
    try:
        return ensure_client(pin)
    except ClientUnavailable as error:
        reason = f"Claude Code {pin.version}: {error}"
    client_unavailable(reason)


@pytest.fixture(scope="session", params=ROUTES, ids=[route.id for route in ROUTES])
def scenario(
    request: pytest.FixtureRequest, client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> Scenario:
    """One client run per (version, route), shared by every test that judges it."""
    route: Route = request.param
    home, project = fresh_dirs(tmp_path_factory.mktemp(f"{route.id}-{client.version}"))
    executable = cli_executable() if route.install_args is not None else ""
    try:
        prepared = prepare_route(route, executable, home=home, project=project)
    except InstallFailed as error:
        failure = f"install route {route.id}: {error}"
    else:
        return run_scenario(
            client,
            prepared.naming,
            home=home,
            project=project,
            extra_args=prepared.client_args,
            log_names=prepared.log_names,
        )
    pytest.fail(failure, pytrace=False)  # outside the except block: no chained traceback
