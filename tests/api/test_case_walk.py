"""Whole cases walked through the HTTP API only, on the real dev server with a worker."""

from datetime import UTC, datetime

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.walk import SOON, Walk, iso, wall_clock_reaches

VICTIM_PHONE = "+1 555 0100 417"


async def test_referral_to_completed_through_the_api(api: Api) -> None:
    walk = await Walk.refer(api)
    await walk.through_preparation()
    conference_at = datetime.now(UTC) + SOON
    await walk.complete(
        Role.COORDINATOR,
        "schedule_conference",
        {
            "kind": "schedule_conference",
            "at": iso(conference_at),
            "location": "Program office, room 2",
        },
    )
    await walk.complete(
        Role.VICTIM_ADVOCATE,
        "readiness_check",
        {
            "kind": "readiness_check",
            "victim_safe_to_proceed": True,
            "no_new_incidents": True,
            "risk_rechecked": {"instrument": "ODARA", "score": 2},
        },
    )
    agreement = {
        "obligations": [
            {
                "kind": "apology",
                "description": "Written apology, through the facilitator",
                "first_due": iso(datetime.now(UTC) + SOON),
            }
        ]
    }
    await wall_clock_reaches(conference_at)
    await walk.complete(
        Role.FACILITATOR,
        "record_outcome",
        {"kind": "record_outcome", "result": "agreement", "agreement": agreement},
    )
    await walk.complete(
        Role.COORDINATOR,
        "verify_evidence",
        {"kind": "verify_evidence", "evidence_seen": True, "reference": "letter on file"},
    )
    # Stage and version from one read: read apart, the case reached the final report
    # between them once, and the wait was for a change that never came.
    while (case := await walk.view())["stage"] != "final_report":
        await walk.changed_since(case)
    response = await walk.post(
        Role.JUDGE, "dispositions", {"kind": "completed", "decided_on": iso(datetime.now(UTC))}
    )
    assert response.status_code == 200, response.text

    closed = await walk.until_closed()
    assert closed["outcome"] == "completed"
    assert closed["compliance"] == "full"
    judge = await walk.view(Role.JUDGE)
    assert judge["audience"] == "court" and judge["outcome"] == "completed"
    assert "tasks" not in judge and "consents" not in judge and "version" not in judge
    assert VICTIM_PHONE not in str(judge)
    assert VICTIM_PHONE in str(await walk.view(Role.VICTIM_ADVOCATE))
    timeline = await api.http.get(
        f"/v1/cases/{walk.case_id}/timeline", headers=api.auth(Role.CLERK)
    )
    events = [(entry["stage"], entry["event"]) for entry in timeline.json()]
    assert events[0] == ("referred", "referral received")
    assert events[-1] == ("closed", "case closed")
    assert ("monitoring", "stage entered") in events


async def test_victim_withdrawal_reads_neutrally_to_the_court(api: Api) -> None:
    walk = await Walk.refer(api)
    await walk.through_engagement()
    await walk.wait_for("assign_facilitators")

    by_coordinator = await walk.post(Role.COORDINATOR, "consent-withdrawals", {"party": "victim"})
    assert by_coordinator.status_code == 403  # only the advocate speaks for the victim
    assert by_coordinator.json()["type"] == "/problems/forbidden"

    response = await walk.post(
        Role.VICTIM_ADVOCATE, "consent-withdrawals", {"party": "victim", "note": "by phone"}
    )
    assert response.status_code == 200, response.text
    closed = await walk.until_closed()
    assert closed["outcome"] == "not_proceeded"

    again = await walk.post(Role.VICTIM_ADVOCATE, "consent-withdrawals", {"party": "victim"})
    assert again.status_code == 422 and again.json()["type"] == "/problems/task-rejected"

    judge = await walk.view(Role.JUDGE)
    dumped = str(judge).lower()
    assert judge["not_proceeded_reason"] == "process_did_not_proceed"
    assert "consent" not in dumped and "withdrew" not in dumped and "victim" not in dumped
    staff = await walk.view(Role.COORDINATOR)
    assert "victim withdrew consent" in [e["event"] for e in staff["timeline"]]
