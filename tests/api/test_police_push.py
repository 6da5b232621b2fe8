"""A police system pushes an incident: the open case of the person it concerns is
suspended before the push is answered; a namesake's case is untouched; the police
learn nothing of either."""

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.visibility import eventually
from tests.api.walk import referral
from tests.jurisdictions import HOME, OTHER

NIBRS = Path(__file__).parent.parent / "fixtures" / "police" / "nibrs"
XML = {"Content-Type": "application/xml"}
SUBJECT = {  # the subject of the NIBRS fixture, as a court would refer him
    "given_name": "Marcus",
    "family_name": "Lindqvist",
    "date_of_birth": "1989-05-17",
    "identifiers": {"state_id": "ST-4417-0093"},
}


def incident(number: str) -> bytes:
    text = (NIBRS / "incident-single-offense-4.2.xml").read_text()
    now = datetime.now(UTC)
    return (
        text.replace("2026-000731", number)
        .replace("2026-02-14T21:30:00", f"{now:%Y-%m-%dT%H:%M:%S}")
        .encode()
    )


async def refer(api: Api, participant: dict[str, Any]) -> str:
    """A referral, once the case shows in lists: a push finds cases through visibility,
    which trails a start by a moment (the case's own police check covers that moment)."""
    document = referral()
    document["participant"] = participant
    response = await api.http.post("/v1/referrals", json=document, headers=api.auth(Role.CLERK))
    assert response.status_code == 201, response.text
    case_id: str = response.json()["case"]["case_id"]
    number = document["court"]["case_number"]

    async def listed() -> list[str]:
        response = await api.http.get(
            "/v1/cases", params={"court_case_number": number}, headers=api.auth(Role.JUDGE)
        )
        return [c["case_id"] for c in response.json()["items"]]

    assert await eventually(listed, lambda ids: ids == [case_id]) == [case_id]
    return case_id


async def view(api: Api, case_id: str) -> dict[str, Any]:
    response = await api.http.get(f"/v1/cases/{case_id}", headers=api.auth(Role.COORDINATOR))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def push(api: Api, document: bytes, role: Role = Role.INTEGRATOR, **query: str) -> Any:
    return await api.http.post(
        "/v1/police/incidents", content=document, params=query, headers=api.auth(role) | XML
    )


async def test_a_pushed_incident_suspends_the_participants_case(api: Api) -> None:
    case_id = await refer(api, SUBJECT)
    namesake = await refer(
        api, {**SUBJECT, "date_of_birth": "1990-01-01", "identifiers": {}}
    )  # same name, another man: never matched by name alone
    number = f"2026-{uuid.uuid4().hex[:6]}"
    response = await push(api, incident(number))
    assert response.status_code == 202, response.text
    assert response.json() == {"incident_number": number}  # nothing of any case

    matched = await view(api, case_id)
    assert matched["stage"] == "suspended"
    assert [e["kind"] for e in matched["safety_events"]] == ["new_incident"]
    untouched = await view(api, namesake)
    assert untouched["stage"] != "suspended" and untouched["safety_events"] == []

    again = await push(api, incident(number))
    assert again.status_code == 202
    assert len((await view(api, case_id))["safety_events"]) == 1


async def test_only_integrators_push_and_only_at_home(api: Api) -> None:
    document = incident(f"2026-{uuid.uuid4().hex[:6]}")
    assert (await push(api, document, Role.CLERK)).status_code == 403
    assert (await push(api, document, jurisdiction=OTHER)).status_code == 403
    assert (await push(api, document, jurisdiction=HOME)).status_code == 202


async def test_an_unreadable_push_is_kept_in_quarantine(api: Api) -> None:
    response = await push(api, b"<nibrs:Submission")
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "/problems/document-refused"
    assert problem["quarantine_id"].startswith("q-")
