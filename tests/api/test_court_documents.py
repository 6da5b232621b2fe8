"""Court documents through the API: the demo court's ECF 4.01 referral starts a case; a
document the format refuses is kept in quarantine, listed, and resubmitted corrected."""

import uuid
from pathlib import Path
from typing import Any

from domain.enums import Role
from tests.api.conftest import Api
from tests.jurisdictions import HOME, OTHER

ECF4 = Path(__file__).parent.parent / "fixtures" / "courts" / "ecf4"
XML = {"Content-Type": "application/xml"}
VICTIM_PHONE = "555-0143"  # in the ECF fixtures; must never come back to a clerk


def ecf_referral(fixture: str = "referral-plain.xml") -> tuple[str, bytes]:
    """The fixture under a fresh docket number, so each test has its own case."""
    docket = f"HC-CR-2026-{uuid.uuid4().hex[:8]}"
    text = (ECF4 / fixture).read_text()
    for original in ("HC-CR-2026-003158", "HC-CR-2026-004733"):
        text = text.replace(original, docket)
    return docket, text.encode()


async def post(api: Api, path: str, body: bytes, role: Role = Role.CLERK, **query: str) -> Any:
    return await api.http.post(path, content=body, params=query, headers=api.auth(role) | XML)


async def refused(api: Api, body: bytes) -> dict[str, Any]:
    response = await post(api, "/v1/referrals", body)
    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    assert problem["type"] == "/problems/document-refused"
    assert VICTIM_PHONE not in response.text
    return problem


async def test_an_ecf_referral_starts_a_case_once(api: Api) -> None:
    docket, document = ecf_referral()
    first = await post(api, "/v1/referrals", document)
    assert first.status_code == 201, first.text
    case = first.json()["case"]
    assert case["court_case_number"] == docket and case["jurisdiction"] == HOME
    again = await post(api, "/v1/referrals", document)
    assert again.status_code == 200 and again.json()["case"]["case_id"] == case["case_id"]


async def test_a_refused_document_is_quarantined_listed_and_resubmitted(api: Api) -> None:
    _, broken = ecf_referral("invalid-no-victim.xml")
    problem = await refused(api, broken)
    assert "victim" in problem["detail"]
    held = problem["quarantine_id"]

    listed = await api.http.get("/v1/quarantine", headers=api.auth(Role.CLERK))
    [entry] = [e for e in listed.json() if e["id"] == held]
    assert entry["reason"] == problem["detail"] and entry["jurisdiction"] == HOME
    assert entry["status"] == "held" and len(entry["sha256"]) == 64
    assert VICTIM_PHONE not in listed.text

    still_broken = await post(api, f"/v1/quarantine/{held}/resubmit", broken)
    assert still_broken.status_code == 422 and still_broken.json()["quarantine_id"] == held
    docket, corrected = ecf_referral()
    accepted = await post(api, f"/v1/quarantine/{held}/resubmit", corrected)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["case"]["court_case_number"] == docket

    record = (await api.http.get(f"/v1/quarantine/{held}", headers=api.auth(Role.CLERK))).json()
    assert record["status"] == "resubmitted"
    assert record["case_id"] == accepted.json()["case"]["case_id"]
    assert [a["reason"] for a in record["attempts"]] == [problem["detail"]]
    twice = await post(api, f"/v1/quarantine/{held}/resubmit", corrected)
    assert twice.status_code == 409


async def test_the_same_broken_document_twice_is_one_entry(api: Api) -> None:
    _, broken = ecf_referral("invalid-no-victim.xml")
    first, second = await refused(api, broken), await refused(api, broken)
    assert first["quarantine_id"] == second["quarantine_id"]


async def test_malformed_xml_names_line_and_column(api: Api) -> None:
    problem = await refused(api, b"<CaseResponseMessage>\n  <unclosed>\n</CaseResponseMessage>")
    assert problem["line"] == 3 and problem["column"] > 0
    assert problem["detail"].startswith("not well-formed XML")


async def test_hostile_xml_is_refused_and_kept(api: Api) -> None:
    laughs = b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]><r>&a;</r>'
    problem = await refused(api, laughs)
    assert "DOCTYPE" in problem["detail"] and problem["quarantine_id"].startswith("q-")


async def test_another_jurisdiction_never_sees_the_quarantine(api: Api) -> None:
    _, broken = ecf_referral("invalid-no-victim.xml")
    held = (await refused(api, broken))["quarantine_id"]
    outsider = api.auth(Role.CLERK, [OTHER])
    listed = await api.http.get("/v1/quarantine", headers=outsider)
    assert held not in {e["id"] for e in listed.json()}
    for response in (
        await api.http.get(f"/v1/quarantine/{held}", headers=outsider),
        await api.http.post(
            f"/v1/quarantine/{held}/resubmit", content=broken, headers=outsider | XML
        ),
    ):
        assert response.status_code == 404, response.text


async def test_staff_roles_may_not_read_the_quarantine(api: Api) -> None:
    for role in (Role.COORDINATOR, Role.VICTIM_ADVOCATE, Role.JUDGE):
        response = await api.http.get("/v1/quarantine", headers=api.auth(role))
        assert response.status_code == 403, role


async def test_a_caller_of_several_jurisdictions_must_say_which(api: Api) -> None:
    _, document = ecf_referral()
    both = api.auth(Role.CLERK, [HOME, OTHER]) | XML
    unsaid = await api.http.post("/v1/referrals", content=document, headers=both)
    assert unsaid.status_code == 422 and "?jurisdiction=" in unsaid.json()["detail"]
    said = await api.http.post(
        "/v1/referrals", content=document, headers=both, params={"jurisdiction": OTHER}
    )
    assert said.status_code == 201, said.text
    assert said.json()["case"]["jurisdiction"] == OTHER


async def test_a_type_the_format_does_not_read_is_415(api: Api) -> None:
    response = await api.http.post(
        "/v1/referrals",
        content=b"%PDF-1.4",
        headers=api.auth(Role.CLERK) | {"Content-Type": "application/pdf"},
    )
    assert response.status_code == 415
    assert "ecf4" in response.json()["detail"]
