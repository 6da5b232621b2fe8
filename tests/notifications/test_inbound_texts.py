"""STOP and START by text (Twilio's signed webhook) and by staff, through the API into
the real opt-out ledger on the test server, then a reminder sent or held."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment
from twilio.request_validator import RequestValidator

from api.app import create_app
from api.dev_tokens import dev_token
from diversion.opt_out_ledgers import OptOutLedgers
from diversion.settings import Settings
from domain.contacts import Contact, ContactKind
from domain.enums import Role
from domain.notifications import DeliveryStatus
from domain.opt_outs import ChoiceSource
from domain.policy import DEMO_FILE
from tests.notifications.conftest import SID_ENV, TOKEN_ENV
from tests.notifications.driver import Sending, sending
from tests.notifications.examples import OUR_NUMBER, PARTICIPANT_NUMBER, to_participant
from tests.notifications.servers import TWILIO_TOKEN, FakeTwilio

INBOUND = "http://api/v1/notifications/inbound"
PARTICIPANT = Contact(ContactKind.PHONE, PARTICIPANT_NUMBER)


@dataclass
class Service:
    settings: Settings
    http: httpx.AsyncClient
    run: Sending
    twilio: FakeTwilio

    @property
    def ledgers(self) -> OptOutLedgers:
        return OptOutLedgers(
            self.run.client, self.settings.contact_key_bytes(), self.settings.task_queue
        )

    async def text(
        self, body: str, *, to: str = OUR_NUMBER, token: str = TWILIO_TOKEN
    ) -> httpx.Response:
        form = {"From": PARTICIPANT_NUMBER, "To": to, "Body": body, "MessageSid": "SM1"}
        signature = RequestValidator(token).compute_signature(INBOUND, form)
        return await self.http.post(INBOUND, data=form, headers={"X-Twilio-Signature": signature})

    def auth(self, role: Role) -> dict[str, str]:
        token = dev_token(self.settings, role, ["demo"], subject=f"staff-{role.value}")
        return {"Authorization": f"Bearer {token}"}


def sms_jurisdictions_file(folder: Path, base_url: str) -> Path:
    text = DEMO_FILE.read_text(encoding="utf-8")
    text = text.replace('root = "var/court/demo"', f'root = "{folder / "court"}"')
    text = text.replace('"var/police/demo"', f'"{folder / "police"}"')
    outbox = '[jurisdictions.demo.notifier]\nkind = "outbox"\n'
    assert outbox in text
    sms = (
        '[jurisdictions.demo.notifier]\nkind = "sms"\n'
        f'settings = {{ account_sid_env = "{SID_ENV}", auth_token_env = "{TOKEN_ENV}", '
        f'from_number = "{OUR_NUMBER}", base_url = "{base_url}", allow_insecure_http = true }}\n'
    )
    path = folder / "jurisdictions.toml"
    path.write_text(text.replace(outbox, sms), encoding="utf-8")
    return path


@pytest.fixture
async def service(
    env: WorkflowEnvironment, twilio: FakeTwilio, tmp_path: Path
) -> AsyncIterator[Service]:
    settings = Settings(
        data_dir=tmp_path,
        jurisdictions_file=sms_jurisdictions_file(tmp_path, twilio.base_url),
        task_queue="inbound-texts",
    )
    demo = settings.jurisdictions()["demo"]
    key = settings.contact_key_bytes()
    async with sending(env.client, demo, tmp_path, key, settings.task_queue) as run:
        app = create_app(settings, client=env.client)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
                yield Service(settings, http, run, twilio)
        await run.replay_everything([OptOutLedgers(env.client, key, "").workflow_id(PARTICIPANT)])


async def test_stop_by_text_holds_the_next_reminder_and_start_resumes(service: Service) -> None:
    stopped = await service.text("Stop")
    assert stopped.status_code == 200
    assert stopped.headers["content-type"].startswith("text/xml")
    assert (await service.run.send(to_participant())).status is DeliveryStatus.SUPPRESSED_OPT_OUT

    assert (await service.text("START")).status_code == 200
    assert (await service.run.send(to_participant())).status is DeliveryStatus.SENT
    assert [m["To"] for m in service.twilio.sent] == [PARTICIPANT_NUMBER]


async def test_a_forged_or_missing_signature_changes_nothing(service: Service) -> None:
    forged = await service.text("STOP", token="not-our-auth-token")
    assert forged.status_code == 403
    assert forged.headers["content-type"] == "application/problem+json"
    assert forged.json()["type"] == "/problems/signature-refused"
    unsigned = await service.http.post(
        INBOUND, data={"From": PARTICIPANT_NUMBER, "To": OUR_NUMBER, "Body": "STOP"}
    )
    assert unsigned.status_code == 403
    elsewhere = await service.text("STOP", to="+15550100777")  # not one of our numbers
    assert elsewhere.status_code == 403
    assert not (await service.ledgers.state(PARTICIPANT)).opted_out
    assert (await service.run.send(to_participant())).status is DeliveryStatus.SENT


async def test_other_texts_are_read_and_change_nothing(service: Service) -> None:
    answer = await service.text("Can I move Tuesday's session? STOP by if so")
    assert answer.status_code == 200
    assert (await service.run.send(to_participant())).status is DeliveryStatus.SENT


async def test_staff_record_a_choice_made_by_phone(service: Service) -> None:
    recorded = await service.http.post(
        "/v1/notifications/opt-outs",
        json={"address": "+1 555 0100 418", "choice": "stop", "note": "asked by phone, 9 March"},
        headers=service.auth(Role.COORDINATOR),
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json() == {"choice": "stop", "contact": "phone"}
    state = await service.ledgers.state(PARTICIPANT)
    assert state.opted_out and state.last_choice is not None
    assert state.last_choice.source is ChoiceSource.STAFF
    assert state.last_choice.by == "staff-coordinator"  # audited: who, when, why
    assert state.last_choice.note == "asked by phone, 9 March"
    assert state.last_choice.at is not None
    assert (await service.run.send(to_participant())).status is DeliveryStatus.SUPPRESSED_OPT_OUT

    resumed = await service.http.post(
        "/v1/notifications/opt-outs",
        json={"address": PARTICIPANT_NUMBER, "choice": "start"},
        headers=service.auth(Role.VICTIM_ADVOCATE),
    )
    assert resumed.status_code == 200
    assert (await service.run.send(to_participant())).status is DeliveryStatus.SENT


async def test_staff_choices_are_refused_clearly(service: Service) -> None:
    url = "/v1/notifications/opt-outs"
    facilitator = await service.http.post(
        url,
        json={"address": PARTICIPANT_NUMBER, "choice": "stop"},
        headers=service.auth(Role.FACILITATOR),
    )
    assert facilitator.status_code == 403
    local = await service.http.post(
        url,
        json={"address": "555 0100 418", "choice": "stop"},
        headers=service.auth(Role.COORDINATOR),
    )
    assert local.status_code == 422
    assert local.headers["content-type"] == "application/problem+json"
    assert "international form" in local.json()["detail"]
    unknown = await service.http.post(
        url,
        json={"address": PARTICIPANT_NUMBER, "choice": "pause"},
        headers=service.auth(Role.COORDINATOR),
    )
    assert unknown.status_code == 422
    anonymous = await service.http.post(url, json={"address": PARTICIPANT_NUMBER, "choice": "stop"})
    assert anonymous.status_code == 401
    assert not (await service.ledgers.state(PARTICIPANT)).opted_out
