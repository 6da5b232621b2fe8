"""Court and police documents in an encoding other than UTF-8 or UTF-16 (issue 17,
finding 3) are refused before they are parsed, kept in quarantine, with a reason naming
the encoding; a referral in UTF-16 is still read."""

from pathlib import Path
from typing import Any

import pytest

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.test_court_documents import ecf_referral

ENCODINGS = Path(__file__).parent.parent / "fixtures" / "xml" / "encodings"
XML = {"Content-Type": "application/xml"}


def recoded(document: bytes, codec: str, name: str) -> bytes:
    text = document.decode().replace('encoding="UTF-8"', f'encoding="{name}"')
    assert f'encoding="{name}"' in text
    return text.encode(codec)


async def post(api: Api, path: str, document: bytes, role: Role) -> Any:
    return await api.http.post(path, content=document, headers=api.auth(role) | XML)


@pytest.mark.parametrize(("codec", "name"), [("utf-32", "UTF-32LE"), ("utf-32-be", "UTF-32BE")])
async def test_a_referral_in_utf32_is_refused_naming_it_and_quarantined(
    api: Api, codec: str, name: str
) -> None:
    _, document = ecf_referral()
    response = await post(api, "/v1/referrals", recoded(document, codec, "UTF-32"), Role.CLERK)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "/problems/document-refused"
    assert name in problem["detail"] and "only UTF-8 and UTF-16" in problem["detail"]
    assert problem["quarantine_id"].startswith("q-")


async def test_a_referral_in_utf16_still_starts_a_case(api: Api) -> None:
    docket, document = ecf_referral()
    response = await post(api, "/v1/referrals", recoded(document, "utf-16", "UTF-16"), Role.CLERK)
    assert response.status_code == 201, response.text
    assert response.json()["case"]["court_case_number"] == docket


@pytest.mark.parametrize("fixture", sorted(p.name for p in ENCODINGS.iterdir()))
@pytest.mark.parametrize(
    ("path", "role"), [("/v1/referrals", Role.CLERK), ("/v1/police/incidents", Role.INTEGRATOR)]
)
async def test_hostile_documents_are_refused_by_their_encoding(
    api: Api, fixture: str, path: str, role: Role
) -> None:
    response = await post(api, path, (ENCODINGS / fixture).read_bytes(), role)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "only UTF-8 and UTF-16 are accepted" in detail, detail
    assert "external resource" not in detail and "amplification" not in detail
