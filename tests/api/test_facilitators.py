"""Trained people (DESIGN §2 rule 6) through the HTTP API, on the real dev server: the
coordinator names facilitators by roster id, the API adds their entries from the
jurisdiction's configuration, and the case accepts pre-meetings and the outcome only from
an assigned facilitator's account."""

import base64
import json
from datetime import UTC, datetime
from typing import Any

from diversion.dev import dev_tokens_text
from domain.enums import Role
from tests.api.conftest import Api
from tests.api.walk import FACILITATORS, SOON, Walk, iso, wall_clock_reaches
from tests.jurisdictions import CO_FACILITATOR, FACILITATOR, TRAINEE


async def attempt(walk: Walk, kind: str, body: dict[str, Any], role: Role, subject: str) -> Any:
    task_id = await walk.wait_for(kind)
    return await walk.api.http.post(
        f"/v1/tasks/{task_id}/complete", json=body, headers=walk.auth(role, subject)
    )


def rejected(response: Any) -> str:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "/problems/task-rejected"
    detail: str = problem["detail"]
    return detail


async def test_the_outcome_from_a_facilitator_not_assigned_is_refused(api: Api) -> None:
    walk = await Walk.refer(api)
    await walk.through_preparation()
    conference_at = datetime.now(UTC) + SOON
    await walk.complete(
        Role.COORDINATOR,
        "schedule_conference",
        {"kind": "schedule_conference", "at": iso(conference_at), "location": "Room 2"},
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
    await wall_clock_reaches(conference_at)
    no_agreement = {"kind": "record_outcome", "result": "no_agreement"}

    response = await attempt(walk, "record_outcome", no_agreement, Role.FACILITATOR, TRAINEE.sub)
    assert rejected(response) == (
        "the conference outcome is recorded by one of the case's assigned facilitators "
        f"({FACILITATOR.name} or {CO_FACILITATOR.name}); you are not assigned to this case"
    )
    await walk.complete(Role.FACILITATOR, "record_outcome", no_agreement, CO_FACILITATOR.sub)
    assert (await walk.until_closed())["outcome"] == "not_proceeded"


async def test_facilitators_come_from_the_roster_and_record_their_meetings(api: Api) -> None:
    walk = await Walk.refer(api)
    await walk.through_engagement()
    coordinator = "dev-coordinator"
    with_trainee = {**FACILITATORS, "facilitators": [FACILITATOR.id, TRAINEE.id]}
    response = await attempt(
        walk, "assign_facilitators", with_trainee, Role.COORDINATOR, coordinator
    )
    assert rejected(response) == (
        f"{TRAINEE.name} ({TRAINEE.id}) has no family-violence endorsement on the roster"
    )
    # Endorsements come from the configuration, never from the request.
    forged = {
        **with_trainee,
        "roster": [
            {
                **TRAINEE.model_dump(mode="json"),
                "fv_endorsed": True,
                "fv_endorsement_expires": "2099-01-01",
            }
        ],
    }
    response = await attempt(walk, "assign_facilitators", forged, Role.COORDINATOR, coordinator)
    assert "has no family-violence endorsement" in rejected(response)
    unknown = {**FACILITATORS, "facilitators": [FACILITATOR.id, "olusegun-bello"]}
    response = await attempt(walk, "assign_facilitators", unknown, Role.COORDINATOR, coordinator)
    assert "'olusegun-bello' is not on the Demo County" in rejected(response)
    await walk.complete(Role.COORDINATOR, "assign_facilitators", FACILITATORS)

    participant = {"kind": "pre_meeting_participant", "held_on": iso(datetime.now(UTC))}
    response = await attempt(
        walk, "pre_meeting_participant", participant, Role.FACILITATOR, TRAINEE.sub
    )
    assert "the participant's pre-meeting is recorded by one of the case's" in rejected(response)
    await walk.complete(Role.FACILITATOR, "pre_meeting_participant", participant)
    case = await walk.view()
    assert [t["kind"] for t in case["tasks"] if t["done_at"] is None] == [
        "pre_meeting_victim",
        "safety_plan",
    ]


def test_make_run_prints_a_token_for_each_facilitator_on_the_roster(api: Api) -> None:
    text = dev_tokens_text(api.settings, api.app.state.services.jurisdictions)
    subjects = {}
    for line in text.splitlines()[1:]:
        label, token = line.rsplit(maxsplit=1)
        claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        subjects[label.strip()] = (claims["sub"], claims["roles"])
    assert subjects[f"facilitator {FACILITATOR.id}"] == (FACILITATOR.sub, ["facilitator"])
    assert subjects[f"facilitator {CO_FACILITATOR.id}"] == (CO_FACILITATOR.sub, ["facilitator"])
    assert subjects["coordinator"] == ("dev-coordinator", ["coordinator"])
