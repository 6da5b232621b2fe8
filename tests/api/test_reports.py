"""GET /v1/cases/{id}/reports and /reports/{n}: the reports filed to the court, read back
as filed (the PDF byte for byte), for court-side roles of the case's jurisdiction and for
staff; JSON, HTML or PDF by Accept, 406 otherwise."""

import hashlib
from pathlib import Path
from typing import Any

import httpx

from adapters.courts.ecf4_format import Ecf4CourtFormat
from adapters.courts.xml_settings import XmlFormatSettings
from domain.enums import Role
from domain.reports import CourtReport
from tests.api.conftest import Api
from tests.api.walk import SCREENING, VICTIM_CONSENT, Walk
from tests.jurisdictions import HOME, OTHER
from tests.rendering.pdfa import page_texts, pdfa_problems

SHARED = "Ka pai: I hope he keeps going to the group."
READERS = [Role.CLERK, Role.JUDGE, Role.INTEGRATOR, Role.COORDINATOR, Role.VICTIM_ADVOCATE]


async def screened(api: Api, **changes: Any) -> Walk:
    """A case whose screening outcome report (1) has been filed."""
    walk = await Walk.refer(api, **changes)
    await walk.complete(Role.COORDINATOR, "screen_case", SCREENING)
    await walk.wait_for("victim_consent")
    while not (case := await walk.view())["reports"]:
        await walk.changed_since(case)
    return walk


def filed_to_court(api: Api, walk: Walk, sequence: int) -> tuple[bytes, bytes]:
    """The PDF and structured report the demo court found in its drop folder."""
    stem = f"{walk.case_id}:report:{sequence}".replace(":", "_")
    outbox = Path(api.settings.data_dir) / "court" / HOME / "outbox"
    [path] = outbox.glob(f"{stem}-*.xml")  # the folder adds a hash of the key
    document = path.read_bytes()
    fmt = Ecf4CourtFormat(XmlFormatSettings(court_id="demo-county-district-court"))
    summary = fmt.read_filing(document)
    assert summary.lead_document is not None and summary.structured_report is not None
    return summary.lead_document, summary.structured_report


async def get(api: Api, walk: Walk, path: str, role: Role, accept: str | None) -> httpx.Response:
    headers = walk.auth(role) | ({"Accept": accept} if accept else {})
    return await api.http.get(f"/v1/cases/{walk.case_id}/{path}", headers=headers)


async def test_each_reader_lists_the_reports_and_reads_the_pdf_filed(api: Api) -> None:
    walk = await screened(api)
    pdf, _ = filed_to_court(api, walk, 1)
    kept = (await walk.view(Role.COORDINATOR))["reports"][0]["document_hash"]
    assert kept == hashlib.sha256(pdf).hexdigest()

    for role in READERS:
        listed = await get(api, walk, "reports", role, None)
        assert listed.status_code == 200, listed.text
        [entry] = listed.json()
        assert entry["kind"] == "screening_outcome" and entry["sequence"] == 1
        assert entry["status"] == "filed" and entry["court_reference"]

        read = await get(api, walk, "reports/1", role, "application/pdf")
        assert read.status_code == 200, f"{role}: {read.text}"
        assert read.headers["content-type"] == "application/pdf"
        assert read.content == pdf, f"{role} did not read the PDF filed"
        assert read.headers["etag"] == f'"{kept}"'
        assert read.headers["cache-control"] == "no-store"
        name = walk.case_id.replace(":", "_")
        assert read.headers["content-disposition"] == f'inline; filename="{name}_report_1.pdf"'

    assert pdfa_problems(pdf) == []
    assert "Darnell Okafor" in "\n".join(page_texts(pdf))


async def test_json_and_html_by_accept(api: Api) -> None:
    walk = await screened(api)
    _, structured = filed_to_court(api, walk, 1)

    as_json = await get(api, walk, "reports/1", Role.JUDGE, None)
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    assert CourtReport.model_validate(as_json.json()) == CourtReport.model_validate_json(structured)
    for victim_detail in ("Mira", "12 Alder Row", "0100 417", "10:00-14:00"):
        assert victim_detail not in as_json.text

    html = await get(api, walk, "reports/1", Role.CLERK, "text/html,*/*;q=0.8")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert '<h1><span class="report-title">Screening outcome report</span></h1>' in html.text
    assert "Darnell Okafor" in html.text and "<script" not in html.text

    refused = await get(api, walk, "reports/1", Role.CLERK, "image/png")
    assert refused.status_code == 406
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/not-acceptable"


async def test_other_jurisdictions_and_missing_reports_are_not_found(api: Api) -> None:
    walk = await screened(api)
    for path in ("reports", "reports/1"):
        elsewhere = await api.http.get(
            f"/v1/cases/{walk.case_id}/{path}", headers=api.auth(Role.JUDGE, [OTHER])
        )
        assert elsewhere.status_code == 404, path
        assert elsewhere.json()["type"] == "/problems/not-found"
    missing = await get(api, walk, "reports/7", Role.JUDGE, "application/pdf")
    assert missing.status_code == 404
    assert "has no report 7" in missing.json()["detail"]
    unsigned = await api.http.get(f"/v1/cases/{walk.case_id}/reports/1")
    assert unsigned.status_code == 401


async def test_a_statement_taken_back_is_withheld_from_a_report_read_back(api: Api) -> None:
    walk = await Walk.refer(api)
    await walk.complete(Role.COORDINATOR, "screen_case", SCREENING)
    shared = VICTIM_CONSENT | {"statement": SHARED, "share_statement_with_court": True}
    await walk.complete(Role.VICTIM_ADVOCATE, "victim_consent", shared)
    await walk.wait_for("participant_consent")
    alert = {"kind": "advocate_alert", "description": "a worrying message"}
    assert (await walk.post(Role.VICTIM_ADVOCATE, "safety-events", alert)).status_code == 200
    while len((case := await walk.view())["reports"]) < 2:
        await walk.changed_since(case)
    pdf, _ = filed_to_court(api, walk, 2)
    assert SHARED in "".join(page_texts(pdf)).replace("\n", " ")

    before = await get(api, walk, "reports/2", Role.JUDGE, "application/pdf")
    assert before.content == pdf
    path = f"/v1/cases/{walk.case_id}/victim-statements/1/sharing"
    taken_back = await api.http.put(
        path, json={"share_with_court": False}, headers=walk.auth(Role.VICTIM_ADVOCATE)
    )
    assert taken_back.status_code == 200, taken_back.text

    after = await get(api, walk, "reports/2", Role.JUDGE, None)
    assert SHARED not in after.text and after.json()["victim_statement"] == "[withheld]"
    again = await get(api, walk, "reports/2", Role.COORDINATOR, "application/pdf")
    assert SHARED not in "".join(page_texts(again.content)).replace("\n", " ")
    assert again.content != pdf
