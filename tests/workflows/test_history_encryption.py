"""Victim data is never in plaintext in Temporal's store (DESIGN §2 rule 3)."""

import json

from google.protobuf.json_format import MessageToJson

from tests.workflows.harness import Harness
from tests.workflows.steps import VICTIM_STATEMENT, through_conference


async def test_raw_history_holds_no_victim_name_phone_address_or_words(harness: Harness) -> None:
    case = await harness.start()
    await through_conference(case, count=1)
    history = await case.handle.fetch_history()  # raw events: payloads stay encoded
    raw = "\n".join(MessageToJson(event) for event in history.events)
    raw_bytes = b"".join(event.SerializeToString() for event in history.events)

    victim = case.referral.victim
    secrets = [victim.given_name, victim.contact.phone, victim.contact.address, VICTIM_STATEMENT]
    for secret in secrets:
        assert secret is not None
        assert secret not in raw and secret.encode() not in raw_bytes, f"{secret!r} in history"

    # The same history, decoded with the key, does hold them: the search above could fail.
    first_input = history.events[0].workflow_execution_started_event_attributes.input
    decoded = await harness.env.client.data_converter.decode(first_input.payloads)
    assert str(victim.contact.phone) in json.dumps(decoded[0])
