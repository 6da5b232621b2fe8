"""After a case closes, re-arrests are checked at 6, 12 and 24 months (policy) and
recorded, domestic-violence and other apart, with severity; a namesake is not a
re-arrest."""

from datetime import timedelta
from pathlib import Path

from domain.enums import Outcome, Plea
from domain.recidivism import Severity
from tests.workflows.harness import Case, Harness, demo_referral
from tests.workflows.steps import screening
from tests.workflows.test_police_incidents import drop_incident, participant
from workflows.follow_up import RecidivismFollowUp
from workflows.follow_up_input import follow_up_workflow_id

SIX_MONTHS = timedelta(days=184)


async def through_two_years(case: Case) -> None:
    """Move the clock past the 24-month check. Awaiting the follow-up's result does not
    make this test server skip time (it was not started by this client), so the test
    moves it, one check at a time."""
    for _ in range(4):
        await case.advance(SIX_MONTHS + timedelta(days=2))


async def closed_case(harness: Harness, **participant_changes: object) -> Case:
    person = participant().model_copy(update=participant_changes)
    case = await harness.start(demo_referral().model_copy(update={"participant": person}))
    await case.complete(screening(plea=Plea.NOT_GUILTY))  # not eligible: closes at once
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    return case


async def test_rearrests_are_recorded_at_each_follow_up(harness: Harness, tmp_path: Path) -> None:
    police = Path(harness.jurisdiction.police.settings["submissions_dir"])
    case = await closed_case(harness)
    follow_up = harness.env.client.get_workflow_handle_for(
        RecidivismFollowUp.run, follow_up_workflow_id(case.handle.id)
    )
    closed_at = (await follow_up.query(RecidivismFollowUp.view)).closed_at
    # A DV arrest in month 7: after the 6-month check, before the 12-month one.
    drop_incident(police, "2027-000415", closed_at + timedelta(days=200))
    await through_two_years(case)
    state = await follow_up.result()
    assert [c.months for c in state.checks] == [6, 12, 24]
    first, *later = state.checks
    assert (first.dv_rearrests, first.other_rearrests) == (0, 0)
    assert first.checked_at - closed_at >= timedelta(days=181)
    assert all(c.dv_rearrests == 1 and c.other_rearrests == 0 for c in later)
    assert all(c.most_serious_dv is Severity.VIOLENT_MISDEMEANOR for c in later)  # a 13B
    assert later[0].incident_numbers == ["2027-000415"]
    assert state.checks[2].checked_at - closed_at >= timedelta(days=730)


async def test_a_namesakes_arrest_is_no_rearrest(harness: Harness) -> None:
    police = Path(harness.jurisdiction.police.settings["submissions_dir"])
    case = await closed_case(harness, identifiers={}, date_of_birth=None)
    drop_incident(police, "2027-000416", await case.now() + timedelta(days=3))
    follow_up = harness.env.client.get_workflow_handle_for(
        RecidivismFollowUp.run, follow_up_workflow_id(case.handle.id)
    )
    await through_two_years(case)
    state = await follow_up.result()
    assert [c.months for c in state.checks] == [6, 12, 24]
    assert all(c.dv_rearrests == c.other_rearrests == 0 for c in state.checks)


async def test_no_follow_up_when_the_policy_asks_for_none(harness: Harness) -> None:
    case = await harness.start(recidivism_follow_up_months=[])
    await case.complete(screening(plea=Plea.NOT_GUILTY))
    assert await case.outcome() is Outcome.NOT_PROCEEDED
    assert follow_up_workflow_id(case.handle.id) not in await harness.workflow_ids()
