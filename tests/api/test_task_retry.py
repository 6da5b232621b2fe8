"""A lost answer can be retried (issue 17, finding 7). When the API dies while a task
completion is in flight, the completion may still be applied; the client's identical
retry used to answer 422 "already done", so it could not tell whether its own request
went in. Now the same payload from the same caller on a task it completed answers 200
with the closed task, from any API process; an `Idempotency-Key` works as on referrals."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.dev_tokens import dev_signing_key, mint_token
from domain.enums import Role
from tests.api.conftest import Api
from tests.api.walk import SCREENING, Walk
from tests.jurisdictions import HOME

OTHER_NOTES = {**SCREENING, "notes": "Second thoughts."}


@pytest.fixture(scope="module")
async def restarted(api: Api) -> AsyncIterator[httpx.AsyncClient]:
    """Another API process over the same settings and cluster: the one a client retries
    against after the first died."""
    app = create_app(api.settings, client=api.client)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


def coordinator(api: Api, subject: str = "coordinator-ines") -> dict[str, str]:
    token = mint_token(
        dev_signing_key(api.settings),
        issuer=api.settings.token_issuer,
        audience=api.settings.auth_audience,
        subject=subject,
        roles=[Role.COORDINATOR],
        jurisdictions=[HOME],
    )
    return {"Authorization": f"Bearer {token}"}


async def screening_task(api: Api) -> str:
    return await (await Walk.refer(api)).wait_for("screen_case")


async def complete(
    client: httpx.AsyncClient, task_id: str, body: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    return await client.post(f"/v1/tasks/{task_id}/complete", json=body, headers=headers)


async def test_an_identical_retry_after_a_lost_answer_gets_the_closed_task(
    api: Api, restarted: httpx.AsyncClient
) -> None:
    task_id = await screening_task(api)
    first = await complete(api.http, task_id, SCREENING, coordinator(api))  # its answer lost
    assert first.status_code == 200, first.text

    retry = await complete(restarted, task_id, SCREENING, coordinator(api))

    assert retry.status_code == 200, retry.text
    assert retry.json() == first.json()
    assert retry.json()["done_at"] is not None


async def test_another_payload_or_another_caller_is_still_refused(api: Api) -> None:
    task_id = await screening_task(api)
    assert (await complete(api.http, task_id, SCREENING, coordinator(api))).status_code == 200

    other_payload = await complete(api.http, task_id, OTHER_NOTES, coordinator(api))
    other_caller = await complete(api.http, task_id, SCREENING, coordinator(api, "coord-tomas"))

    for refused in (other_payload, other_caller):
        assert refused.status_code == 422, refused.text
        assert refused.json()["type"] == "/problems/task-rejected"
        assert "already done" in refused.json()["detail"]


async def test_an_idempotency_key_replays_and_refuses_reuse(api: Api) -> None:
    task_id = await screening_task(api)
    key = {"Idempotency-Key": "inbox-retry-7f3a"}
    first = await complete(api.http, task_id, SCREENING, coordinator(api) | key)
    assert first.status_code == 200, first.text

    replay = await complete(api.http, task_id, SCREENING, coordinator(api) | key)
    reused = await complete(api.http, task_id, OTHER_NOTES, coordinator(api) | key)
    unkeyed = await complete(api.http, task_id, SCREENING, coordinator(api))

    assert replay.status_code == 200 and replay.json() == first.json()
    assert reused.status_code == 422, reused.text
    assert reused.json()["type"] == "/problems/idempotency-key-reused"
    assert unkeyed.status_code == 200 and unkeyed.json() == first.json()
    hostile = await complete(
        api.http, task_id, SCREENING, coordinator(api) | {"Idempotency-Key": "x'y"}
    )
    assert hostile.status_code == 422 and hostile.json()["type"] == "/problems/validation"


async def test_a_retry_of_the_completion_that_closed_the_case_gets_the_task(api: Api) -> None:
    walk = await Walk.refer(api)
    task_id = await walk.wait_for("screen_case")
    closing = {**SCREENING, "plea": "none"}  # ineligible: the case closes
    first = await complete(api.http, task_id, closing, coordinator(api))
    assert first.status_code == 200, first.text
    await walk.until_closed()
    await api.client.get_workflow_handle(walk.case_id).result()

    retry = await complete(api.http, task_id, closing, coordinator(api))
    other = await complete(api.http, task_id, SCREENING, coordinator(api))

    assert retry.status_code == 200 and retry.json() == first.json()
    assert other.status_code == 422 and other.json()["detail"] == "the case is closed"
