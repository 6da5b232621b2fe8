"""GET /v1/stats counts outcomes from search attributes: referrals, neutral reasons not
proceeded, completion, and re-arrests at each follow-up month."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from domain.enums import Outcome, Role
from domain.policy import Jurisdiction
from domain.referral import Participant
from tests.api.conftest import Api
from tests.api.visibility import eventually
from tests.api.walk import SCREENING, Walk
from tests.jurisdictions import HOME, OTHER
from workflows.follow_up import RecidivismFollowUp
from workflows.follow_up_input import FollowUpInput, follow_up_workflow_id

NIBRS = Path(__file__).parent.parent / "fixtures" / "police" / "nibrs"

Stats = dict[str, Any]


async def stats(api: Api, role: Role = Role.JUDGE) -> Stats:
    response = await api.http.get(
        "/v1/stats", params={"jurisdiction": HOME}, headers=api.auth(role)
    )
    assert response.status_code == 200, response.text
    [mine] = response.json()
    assert mine["jurisdiction"] == HOME
    found: Stats = mine
    return found


async def until(api: Api, shown: Callable[[Stats], bool]) -> Stats:
    now = await eventually(lambda: stats(api), shown)
    assert shown(now), now
    return now


async def test_referrals_and_neutral_reasons_are_counted(api: Api) -> None:
    before = await stats(api)
    eligible = await Walk.refer(api)
    ineligible = await Walk.refer(api)
    await ineligible.complete(Role.COORDINATOR, "screen_case", {**SCREENING, "plea": "none"})
    assert (await ineligible.until_closed())["outcome"] == Outcome.NOT_PROCEEDED
    await eligible.complete(Role.COORDINATOR, "screen_case", SCREENING)
    await eligible.wait_for("victim_consent")

    def counted(now: Stats) -> bool:
        return bool(
            now["referrals"] >= before["referrals"] + 2
            and now["not_proceeded"]["not_eligible"] == before["not_proceeded"]["not_eligible"] + 1
            and now["closed"] >= before["closed"] + 1
        )

    after = await until(api, counted)
    assert after["not_proceeded"]["process_did_not_proceed"] >= 0
    assert after["conversion_to_conference"] == round(
        after["reached_conference"] / after["referrals"], 4
    )
    assert [f["months"] for f in after["follow_ups"]] == [6, 12, 24]


async def test_rearrests_at_a_follow_up_give_its_rates(api: Api) -> None:
    """A follow-up whose 6-month check is due at once (closed seven months ago) and an
    arrest of the participant since closure, in the police's drop folder."""
    jurisdiction: Jurisdiction = api.settings.jurisdictions()[HOME]
    state_id = f"ST-{uuid.uuid4().hex[:8]}"
    closed_at = datetime.now(UTC) - timedelta(days=213)
    police = Path(jurisdiction.police.settings["submissions_dir"])
    police.mkdir(parents=True, exist_ok=True)
    text = (NIBRS / "incident-single-offense-4.2.xml").read_text()
    (police / f"{state_id}.xml").write_text(
        text.replace("ST-4417-0093", state_id)
        .replace("2026-000731", f"R-{state_id}")
        .replace("2026-02-14T21:30:00", f"{closed_at + timedelta(days=30):%Y-%m-%dT%H:%M:%S}")
    )
    before = {f["months"]: f for f in (await stats(api))["follow_ups"]}
    case_id = f"case-{HOME}-stats-{uuid.uuid4().hex[:8]}"
    only_six = jurisdiction.policy.model_copy(update={"recidivism_follow_up_months": [6]})
    handle = await api.client.start_workflow(
        RecidivismFollowUp.run,
        FollowUpInput(
            case_id=case_id,
            jurisdiction=jurisdiction.model_copy(update={"policy": only_six}),
            participant=Participant(
                given_name="Marcus",
                family_name="Lindqvist",
                identifiers={"state_id": state_id},
            ),
            closed_at=closed_at,
            outcome=Outcome.NOT_PROCEEDED,
        ),
        id=follow_up_workflow_id(case_id),
        task_queue=api.settings.task_queue,
    )
    [check] = (await handle.result()).checks
    assert (check.months, check.dv_rearrests) == (6, 1)

    def counted(now: Stats) -> bool:
        six = {f["months"]: f for f in now["follow_ups"]}[6]
        return bool(six["followed_up"] == before[6]["followed_up"] + 1)

    six = {f["months"]: f for f in (await until(api, counted))["follow_ups"]}[6]
    assert six["dv_rearrested"] == before[6]["dv_rearrested"] + 1
    assert six["other_rearrested"] == before[6]["other_rearrested"]
    assert six["dv_rate"] == round(six["dv_rearrested"] / six["followed_up"], 4)


async def test_stats_are_only_for_your_jurisdictions(api: Api) -> None:
    elsewhere = await api.http.get(
        "/v1/stats", params={"jurisdiction": OTHER}, headers=api.auth(Role.JUDGE)
    )
    assert elsewhere.status_code == 403
    both = await api.http.get("/v1/stats", headers=api.auth(Role.ADMIN, [HOME, OTHER]))
    assert [s["jurisdiction"] for s in both.json()] == sorted([HOME, OTHER])
    assert (await api.http.get("/v1/stats")).status_code == 401
