"""Court case numbers of every script through the API (issue 17, finding 6): `Ж-1`, `Щ-1`
and `ß-1` are three cases (they were one, `case-demo-1`, and the second referral was
refused 409 naming the first's id); control and format characters are refused with a
422 naming the rule, in JSON and in a court document (which is kept in quarantine)."""

import uuid
from typing import Any

import pytest

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.test_court_documents import ecf_referral
from tests.api.walk import referral
from tests.jurisdictions import HOME


async def refer(api: Api, case_number: str) -> Any:
    return await api.http.post(
        "/v1/referrals", json=referral(case_number), headers=api.auth(Role.CLERK)
    )


async def test_numbers_in_other_scripts_are_other_cases(api: Api) -> None:
    tail = uuid.uuid4().hex[:6]
    numbers = [f"Ж-{tail}", f"Щ-{tail}", f"ß-{tail}", f"事件-{tail}", f"कि-{tail}", f"कु-{tail}"]
    case_ids = []
    for number in numbers:
        response = await refer(api, number)
        assert response.status_code == 201, (number, response.text)
        case_ids.append(response.json()["case"]["case_id"])
    assert len(set(case_ids)) == len(numbers)
    assert case_ids[0] == f"case-{HOME}-ж-{tail}"
    again = await refer(api, f"ж {tail}")  # the same number, spelled otherwise
    assert again.status_code == 409 and again.json()["case_id"] == case_ids[0], again.text
    read = await api.http.get(f"/v1/cases/{case_ids[0]}", headers=api.auth(Role.JUDGE))
    assert read.status_code == 200 and read.json()["court"]["case_number"] == numbers[0]


async def test_an_ascii_number_keeps_its_id(api: Api) -> None:
    number = f"CR-2026/{uuid.uuid4().hex[:6].upper()} "
    response = await refer(api, number)
    assert response.status_code == 201, response.text
    expected = f"case-{HOME}-cr-2026-{number[8:].strip().lower()}"
    assert response.json()["case"]["case_id"] == expected


INVISIBLE = {
    "right-to-left override": ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    "zero-width space": ("\u200b", "U+200B (ZERO WIDTH SPACE)"),
    "NUL": ("\x00", "U+0000"),
}


@pytest.mark.parametrize("name", list(INVISIBLE))
async def test_control_and_format_characters_are_refused(api: Api, name: str) -> None:
    char, named = INVISIBLE[name]
    response = await refer(api, f"CR-{uuid.uuid4().hex[:6]}{char}-1")
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "/problems/validation"
    assert named in problem["detail"] and "control and format characters" in problem["detail"]
    assert problem["errors"][0]["location"] == "body.court.case_number"

    listed = await api.http.get(
        "/v1/cases", params={"court_case_number": f"CR{char}1"}, headers=api.auth(Role.JUDGE)
    )
    assert listed.status_code == 422, listed.text


async def test_a_court_document_with_a_bidi_control_in_its_number_is_quarantined(
    api: Api,
) -> None:
    docket, document = ecf_referral()
    hostile = document.replace(docket.encode(), (docket + "\u202e").encode())
    response = await api.http.post(
        "/v1/referrals",
        content=hostile,
        headers=api.auth(Role.CLERK) | {"Content-Type": "application/xml"},
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "/problems/document-refused"
    assert "U+202E" in problem["detail"] and problem["quarantine_id"].startswith("q-")
