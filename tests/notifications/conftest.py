from collections.abc import AsyncIterator, Iterator

import pytest
from temporalio.testing import WorkflowEnvironment

from diversion.codec import data_converter
from tests.notifications.servers import (
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeTwilio,
    Mailbox,
    fake_twilio,
    smtp_server,
)
from tests.workflows.conftest import TEST_KEYS, skip_to_test_hour, test_server_path

SID_ENV, TOKEN_ENV = "TEST_TWILIO_SID", "TEST_TWILIO_TOKEN"


@pytest.fixture
def twilio_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Twilio credentials, in the environment variables the settings name."""
    monkeypatch.setenv(SID_ENV, TWILIO_SID)
    monkeypatch.setenv(TOKEN_ENV, TWILIO_TOKEN)


@pytest.fixture
def twilio(twilio_env: None) -> Iterator[FakeTwilio]:
    with fake_twilio() as fake:
        yield fake


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as running:
        yield running


@pytest.fixture
async def env() -> AsyncIterator[WorkflowEnvironment]:
    async with await WorkflowEnvironment.start_time_skipping(
        data_converter=data_converter(TEST_KEYS), test_server_existing_path=test_server_path()
    ) as environment:
        await skip_to_test_hour(environment)
        yield environment
