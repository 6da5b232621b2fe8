"""POST /v1/court-callbacks/{jurisdiction}/ecf: an ECF docketing callback over SOAP
reaches the case it names; a callback that cannot be read (malformed, hostile) is
answered with a SOAP fault; another jurisdiction's case is not there (404).

The app runs over the time-skipping test server with a worker, the demo court filing by
drop folder and answering later (`callbacks = true`), so a filing is only received until
the callback comes."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from lxml import etree
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from api.dev_tokens import dev_token
from diversion.cases import start_case
from diversion.codec import data_converter
from diversion.search_attribute_registration import register_search_attributes
from diversion.settings import Settings
from diversion.worker import build_worker
from domain.enums import Role, TaskKind
from tests.jurisdictions import HOME, OTHER, two_jurisdictions_file
from tests.workflows import conftest as workflow_server
from tests.workflows.harness import Case, demo_referral
from tests.workflows.steps import through_screening

FIXTURES = Path(__file__).parent.parent / "fixtures" / "courts"
REJECTED = (FIXTURES / "ecf4" / "status-rejected-docketing.xml").read_bytes()
REASON = "Rejected: the filing is not signed by an authorised officer."
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
ECF_COMMON = "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd:CommonTypes-4.0"


@dataclass
class Court:
    settings: Settings
    http: httpx.AsyncClient
    case: Case

    def auth(self, role: Role = Role.INTEGRATOR, jurisdiction: str = HOME) -> dict[str, str]:
        token = dev_token(self.settings, role, [jurisdiction], subject="court-cms")
        return {"Authorization": f"Bearer {token}"}

    @property
    def key(self) -> str:
        return f"{self.case.handle.id}:report:1"


def callback(case_number: str, reference: str) -> bytes:
    """The fixture's docketing rejection, about our filing in the case."""
    return REJECTED.replace(b"HC-CR-2026-003158", case_number.encode()).replace(
        b"HRCC-F-2026-11873", reference.encode()
    )


def enveloped(document: bytes, namespace: str = SOAP11) -> bytes:
    body = document.split(b"?>", 1)[1]  # the message, without its XML declaration
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{namespace}">'
        f"<soap:Body>".encode()
        + body
        + b"</soap:Body></soap:Envelope>"
    )


@pytest.fixture
async def court(tmp_path: Path) -> AsyncIterator[Court]:
    jurisdictions = two_jurisdictions_file(tmp_path)
    text = jurisdictions.read_text()
    root = f'root = "{tmp_path / "court" / HOME}"'
    jurisdictions.write_text(text.replace(root, f"{root}, callbacks = true", 1))
    settings = Settings(data_dir=tmp_path, jurisdictions_file=jurisdictions)
    async with await WorkflowEnvironment.start_time_skipping(
        data_converter=data_converter(workflow_server.TEST_KEYS),
        test_server_existing_path=workflow_server.test_server_path(),
    ) as env:
        await register_search_attributes(env.client)
        async with build_worker(env.client, settings):
            app = create_app(settings, client=env.client)
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
                    referral = demo_referral()
                    jurisdiction = settings.jurisdictions()[HOME]
                    handle, _ = await start_case(
                        env.client, referral, jurisdiction, settings.task_queue
                    )
                    case = Case(env, handle, tmp_path / "court", tmp_path, referral, handle)
                    await through_screening(case)
                    await case.until("a received report", lambda v: bool(v.reports))
                    yield Court(settings, http, case)
                    await handle.terminate("test over")


def soap(namespace: str) -> dict[str, str]:
    kind = "text/xml" if namespace == SOAP11 else "application/soap+xml"
    return {"Content-Type": f"{kind}; charset=utf-8"}


async def test_a_docketing_rejection_reaches_the_case_and_is_answered_with_a_receipt(
    court: Court,
) -> None:
    number = court.case.referral.court.case_number
    response = await court.http.post(
        f"/v1/court-callbacks/{HOME}/ecf",
        content=enveloped(callback(number, court.key)),
        headers=court.auth() | soap(SOAP11),
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    reply = etree.fromstring(response.content)
    ns = {
        "soap": SOAP11,
        "ecf": "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd:CommonTypes-4.0",
    }
    assert reply.findtext(".//ecf:ErrorCode", namespaces=ns) == "0"
    assert court.key.encode() in response.content

    resolve = await court.case.task(TaskKind.RESOLVE_FILING)
    assert REASON in resolve.subject
    [filed] = (await court.case.view()).reports
    assert [(e.status, e.source, e.reason) for e in filed.status_history] == [
        ("received", "receipt", None),
        ("rejected", "callback", REASON),
    ]

    # Heard again (a court repeats callbacks): taken, nothing changes.
    again = await court.http.post(
        f"/v1/court-callbacks/{HOME}/ecf",
        content=enveloped(callback(number, court.key), SOAP12),
        headers=court.auth() | soap(SOAP12),
    )
    assert again.status_code == 200, again.text
    assert again.headers["content-type"].startswith("application/soap+xml")
    assert len((await court.case.view()).reports[0].status_history) == 2


HOSTILE = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    b"<RecordDocketingCallbackMessage>&lol2;</RecordDocketingCallbackMessage>"
)


@pytest.mark.parametrize(
    ("namespace", "document", "status", "reason"),
    [
        (SOAP11, HOSTILE, 500, "DOCTYPE; DTDs and entities are not accepted"),
        (SOAP12, b"<soap:Envelope xmlns:soap='x'><soap:Body>", 400, "not well-formed XML"),
        (SOAP11, enveloped(callback("CR-NOT-OURS-1", "HRCC-F-1")), 404, None),
    ],
)
async def test_a_callback_that_cannot_be_taken_is_refused(
    court: Court, namespace: str, document: bytes, status: int, reason: str | None
) -> None:
    response = await court.http.post(
        f"/v1/court-callbacks/{HOME}/ecf", content=document, headers=court.auth() | soap(namespace)
    )

    assert response.status_code == status, response.text
    if reason is None:  # no such case: problem+json, as for any case not there
        assert response.headers["content-type"] == "application/problem+json"
        return
    fault = etree.fromstring(response.content).find(f".//{{{namespace}}}Fault")
    assert fault is not None
    text = fault.findtext("faultstring") or "".join(fault.itertext())
    assert "the callback was not taken" in text and reason in text
    assert [e.status for e in (await court.case.view()).reports[0].status_history] == ["received"]


async def test_another_jurisdictions_case_is_not_found(court: Court) -> None:
    number = court.case.referral.court.case_number
    document = enveloped(callback(number, court.key))
    # The other jurisdiction's integrator: neither our path nor our case is there for it.
    for path in (f"/v1/court-callbacks/{HOME}/ecf", "/v1/court-callbacks/nowhere/ecf"):
        response = await court.http.post(
            path, content=document, headers=court.auth(jurisdiction=OTHER) | soap(SOAP11)
        )
        assert response.status_code == 404, response.text
        assert response.json()["detail"] == f"no ECF callbacks for {path.split('/')[3]!r}"
    response = await court.http.post(
        f"/v1/court-callbacks/{OTHER}/ecf",
        content=document,
        headers=court.auth(jurisdiction=OTHER) | soap(SOAP11),
    )
    assert response.status_code == 404, response.text
    clerk = await court.http.post(
        f"/v1/court-callbacks/{HOME}/ecf", content=document, headers=court.auth(Role.CLERK)
    )
    assert clerk.status_code == 403
    assert [e.status for e in (await court.case.view()).reports[0].status_history] == ["received"]
