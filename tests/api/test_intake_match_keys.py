"""The intake reads a jurisdiction's police match keys from its adapter once, not per
referral (building an adapter looks up entry points), and every case still carries its
participant's match tokens. Without Temporal: a client that records each start."""

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from temporalio.client import Client

from adapters.police.base import police_adapter_for
from api.gateway import CaseGateway
from api.referral_intake import ReferralIntake
from diversion.cases import participant_tokens
from domain.policy import DEMO_FILE, Jurisdiction, load_jurisdictions
from domain.referral import Referral
from workflows import search_attributes as sa

FIXTURE = Path(__file__).parent.parent / "fixtures" / "referrals" / "demo-referral.json"
SECRET = b"intake-match-secret-0123456789abcdef"


class StartingClient:
    def __init__(self) -> None:
        self.tokens: list[list[str]] = []

    async def start_workflow(self, *_: Any, id: str, search_attributes: Any, **__: Any) -> Any:
        self.tokens.append(list(search_attributes.get(sa.PARTICIPANT_TOKENS) or []))
        return SimpleNamespace(id=id)


def referral(n: int) -> Referral:
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document["court"]["case_number"] = f"CR-KEYS-{n}"
    return Referral.model_validate(document)


async def test_match_keys_are_read_once_per_jurisdiction(monkeypatch: pytest.MonkeyPatch) -> None:
    demo: Jurisdiction = load_jurisdictions(DEMO_FILE)["demo"]
    built: list[str] = []

    def counting(jurisdiction: Jurisdiction) -> Any:
        built.append(jurisdiction.id)
        return police_adapter_for(jurisdiction)

    monkeypatch.setattr("api.referral_intake.police_adapter_for", counting)
    client = StartingClient()
    intake = ReferralIntake(CaseGateway(cast(Client, client), {"demo": demo}, "q"), SECRET)
    referrals = [referral(n) for n in range(3)]
    for one in referrals:
        _, created = await intake.refer(one)
        assert created
    assert built == ["demo"]
    expected = participant_tokens(referrals[0].participant, demo, SECRET)
    assert expected, "the demo participant has a match key set"
    assert client.tokens == [expected] * 3
