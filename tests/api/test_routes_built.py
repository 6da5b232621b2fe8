"""Every route is built when the app is: the first request after a start does not pay
for FastAPI building its router's routes (dependencies, validators) inside its answer.
Without Temporal: only route matching runs."""

from pathlib import Path
from typing import Any, cast

import pytest
from fastapi.dependencies.utils import get_dependant
from temporalio.client import Client

from api.app import build_routes, create_app
from diversion.settings import Settings
from tests.jurisdictions import two_jurisdictions_file


def completion_scope() -> dict[str, Any]:
    return {
        "type": "http",
        "method": "POST",
        "path": "/v1/tasks/case-home-cr-1.t1/complete",
        "root_path": "",
        "headers": [],
        "query_string": b"",
    }


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The routes FastAPI builds a dependency tree for, from now on."""
    seen: list[str] = []

    def noting(*, path: str, **kwargs: Any) -> Any:
        seen.append(path)
        return get_dependant(path=path, **kwargs)

    # FastAPI's routing module calls it by that name when it builds a route.
    monkeypatch.setattr("fastapi.routing.get_dependant", noting)
    return seen


def test_a_request_after_start_builds_no_route(tmp_path: Path, built: list[str]) -> None:
    settings = Settings(data_dir=tmp_path, jurisdictions_file=two_jurisdictions_file(tmp_path))
    app = create_app(settings, client=cast(Client, None))
    at_start = len(built)
    assert "/v1/tasks/{task_id}/complete" in built, "the routes were built with the app"
    for route in app.router.routes:
        route.matches(completion_scope())
    assert len(built) == at_start


def test_without_it_the_first_request_would_build_them(
    tmp_path: Path, built: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The control: FastAPI leaves them to the first request, so the test above can fail.
    monkeypatch.setattr("api.app.build_routes", lambda app: None)
    settings = Settings(data_dir=tmp_path, jurisdictions_file=two_jurisdictions_file(tmp_path))
    app = create_app(settings, client=cast(Client, None))
    assert "/v1/tasks/{task_id}/complete" not in built
    for route in app.router.routes:
        route.matches(completion_scope())
    assert "/v1/tasks/{task_id}/complete" in built
    build_routes(app)  # and building after the fact is harmless
