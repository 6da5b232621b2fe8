"""The gateway's mapping of failures to problems, and its path for ids it cannot serve,
without Temporal: a client that records every call stands in."""

from typing import Any, cast

import pydantic_core
import pytest
from temporalio.client import Client

from api.gateway import CaseGateway
from api.problems import ProblemError, ProblemKind
from domain.tasks import ActingAs, TaskCompletion
from tests.api.walk import SCREENING


class RecordingClient:
    """Fails the test's expectations loudly if any call reaches it."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        self.calls.append(name)
        raise AssertionError(f"the gateway asked Temporal ({name})")


def gateway(client: RecordingClient) -> CaseGateway:
    return CaseGateway(cast(Client, client), {}, "diversion")


async def test_text_the_payload_converter_cannot_encode_is_a_validation_problem() -> None:
    async def encoding() -> bytes:
        return pydantic_core.to_json({"note": "\ud800"})

    with pytest.raises(ProblemError) as refused:
        await gateway(RecordingClient()).call(encoding())
    assert refused.value.kind is ProblemKind.VALIDATION
    assert "not valid Unicode" in refused.value.detail


async def test_other_failures_to_encode_stay_errors() -> None:
    async def encoding() -> bytes:
        return pydantic_core.to_json(object())

    with pytest.raises(pydantic_core.PydanticSerializationError):
        await gateway(RecordingClient()).call(encoding())


@pytest.mark.parametrize(
    "case_id",
    ["case-north-cr-1", "case-demo-cr-1.f", "case-demo-CR-1", "case-south-1", "x" * 500],
)
async def test_an_id_that_cannot_be_the_callers_case_asks_temporal_nothing(case_id: str) -> None:
    client = RecordingClient()
    assert await gateway(client).case_for(case_id, ["demo"]) is None
    assert await gateway(client).task(f"{case_id}.t1", ["demo"]) is None
    completion = TaskCompletion.model_validate({"task_id": f"{case_id}.t1", "payload": SCREENING})
    with pytest.raises(ProblemError) as refused:
        await gateway(client).complete(completion, ActingAs(roles=[], jurisdictions=["demo"]))
    assert refused.value.kind is ProblemKind.NOT_FOUND
    assert client.calls == []
