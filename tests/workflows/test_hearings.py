"""Hearings kept current (issue: progress reports before each hearing): the case reports
before a hearing already inside the lead window when monitoring starts, and follows a
hearing the court moves, as it pulls the court's hearings before each report."""

import json
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

from domain.agreement import Agreement, Obligation
from domain.enums import ConferenceResult, ObligationKind, ReportKind, Stage
from domain.referral import Hearing
from tests.workflows.harness import FIXTURES, Harness, demo_referral
from tests.workflows.steps import hold_conference, through_preparation

COURT_API = "https://courts.lakeside.example.test"
LEAD = timedelta(days=7)  # the demo policy's progress_report_before_hearing_days


def long_agreement(due: datetime) -> Agreement:
    return Agreement(
        obligations=[
            Obligation(
                kind=ObligationKind.COUNSELLING,
                description="Twelve counselling sessions",
                first_due=due,
            )
        ]
    )


async def test_a_hearing_already_inside_the_lead_window_gets_a_report(harness: Harness) -> None:
    start = await harness.env.get_current_time()
    hearing = Hearing(at=start + timedelta(days=14), purpose="review of the diversion")
    referral = demo_referral()
    referral.court.hearings = [hearing]
    case = await harness.start(referral)
    await through_preparation(case)
    await hold_conference(
        case, ConferenceResult.AGREEMENT, long_agreement(start + timedelta(days=90))
    )
    await case.reach(Stage.MONITORING)
    assert await case.now() > hearing.at - LEAD  # monitoring began inside the lead window

    await case.filed(ReportKind.PROGRESS)
    progress = [r for r in case.filings() if r.kind is ReportKind.PROGRESS]
    assert len(progress) == 1 and progress[0].generated_at < hearing.at
    assert (await case.view()).hearings_reported == [hearing.at]


def court_case(document: dict[str, Any], hearings: list[datetime]) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    document["court"]["hearings"] = [
        {"at": h.isoformat(), "purpose": "review of the diversion"} for h in hearings
    ]
    return document


@pytest.mark.parametrize(
    ("first_day", "moved_day"),
    [
        # Later: the case learns at its pull before the report it had planned.
        pytest.param(50, 70, id="later"),
        # Earlier than the next report (day 83): learnt at a weekly check between reports
        # (the policy's hearing_check_every_days).
        pytest.param(90, 48, id="earlier"),
    ],
)
async def test_a_hearing_the_court_moves_is_reported_before_its_new_date(
    harness: Harness, first_day: int, moved_day: int
) -> None:
    court = harness.jurisdiction.court.model_copy(
        update={"transport": "rest", "settings": {"transport": {"base_url": COURT_API}}}
    )
    harness.configure(harness.jurisdiction.model_copy(update={"court": court}))
    start = await harness.env.get_current_time()
    first, moved = start + timedelta(days=first_day), start + timedelta(days=moved_day)
    referral = demo_referral()
    referral.court.hearings = [Hearing(at=first, purpose="review of the diversion")]
    document = json.loads((FIXTURES / "referrals" / "demo-referral.json").read_text())
    document["court"]["case_number"] = referral.court.case_number
    listed = [first]

    with respx.mock(assert_all_called=False) as court_api:
        court_api.get(f"{COURT_API}/cases/{referral.court.case_number}").mock(
            side_effect=lambda request: httpx.Response(200, json=court_case(document, listed))
        )
        filings = court_api.post(f"{COURT_API}/filings").mock(
            return_value=httpx.Response(200, json={"court_reference": "LKDC-1", "accepted": True})
        )
        case = await harness.start(referral, progress_report_every_days=120)
        await through_preparation(case)
        await hold_conference(
            case, ConferenceResult.AGREEMENT, long_agreement(start + timedelta(days=130))
        )
        await case.reach(Stage.MONITORING)
        await case.advance(start + timedelta(days=30) - await case.now())
        listed[:] = [moved]  # the court moves the hearing
        await case.advance(moved - timedelta(days=2) - await case.now())

        sent = [json.loads(call.request.content)["report"] for call in filings.calls]
        view = await case.view()

    progress = [r for r in sent if r["kind"] == ReportKind.PROGRESS]
    assert len(progress) == 1, [r["kind"] for r in sent]
    filed_at = datetime.fromisoformat(progress[0]["generated_at"])
    assert moved - LEAD <= filed_at < moved, "the report came before the hearing's new date"
    assert [h.at for h in view.referral.court.hearings] == [moved]
    assert view.hearings_reported == [moved]
