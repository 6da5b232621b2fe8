"""The worked example in docs/notifiers.md runs, so the page an integrator copies from
cannot rot."""

import importlib.util
import re
import sys
from pathlib import Path

import httpx
import pytest
import respx

from adapters.notifiers.base import (
    Channel,
    Notifier,
    OutgoingMessage,
    PermanentFailure,
    TemporaryFailure,
)

DOC = Path(__file__).parent.parent / "docs" / "notifiers.md"
GATEWAY = "https://sms.lakeside.example/v1"


@pytest.fixture
def gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Notifier:
    [code] = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)[:1]
    module_path = tmp_path / "lakeside_notifier.py"
    module_path.write_text(code)
    spec = importlib.util.spec_from_file_location("lakeside_notifier", module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["lakeside_notifier"] = module
    spec.loader.exec_module(module)
    monkeypatch.setenv("LAKESIDE_SMS_TOKEN", "t0ken")
    settings = module.GatewaySettings(base_url=GATEWAY, token_env="LAKESIDE_SMS_TOKEN")
    notifier: Notifier = module.GatewaySmsNotifier(settings)
    return notifier


def message() -> OutgoingMessage:
    return OutgoingMessage(
        id="case-lakeside-cr-9.n2",
        case_id="case-lakeside-cr-9",
        jurisdiction="lakeside",
        channel=Channel.SMS,
        address="+15550100418",
        subject="Reminder",
        body="Your session is on Tuesday at 18:00.\n\nReply STOP to stop.",
    )


async def test_the_example_sends_with_its_reference(gateway: Notifier) -> None:
    with respx.mock(assert_all_called=True) as router:
        route = router.post(f"{GATEWAY}/messages").respond(202, json={"id": "g-1"})
        receipt = await gateway.send(message())
    assert receipt.provider_id == "g-1"
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == "Bearer t0ken"
    assert b'"reference":"case-lakeside-cr-9.n2"' in sent.content.replace(b" ", b"")


@pytest.mark.parametrize(
    ("status", "raised"),
    [(503, TemporaryFailure), (429, TemporaryFailure), (422, PermanentFailure)],
)
async def test_the_example_says_how_a_send_ended(
    gateway: Notifier, status: int, raised: type[Exception]
) -> None:
    with respx.mock() as router:
        router.post(f"{GATEWAY}/messages").respond(status)
        with pytest.raises(raised) as failure:
            await gateway.send(message())
    assert "+1555" not in str(failure.value)


async def test_the_example_treats_no_answer_as_temporary(gateway: Notifier) -> None:
    with respx.mock() as router:
        router.post(f"{GATEWAY}/messages").mock(side_effect=httpx.ConnectTimeout("slow"))
        with pytest.raises(TemporaryFailure, match="could not be reached"):
            await gateway.send(message())
