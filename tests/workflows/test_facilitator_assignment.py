"""Assigning facilitators in a running case (DESIGN §2 rule 6): the case's own validator
refuses anyone not on the roster, unendorsed or with an expired endorsement, and fewer
than two; a refused assignment leaves the task open for a good one."""

from datetime import date

import pytest

from domain.enums import Stage, TaskKind
from domain.roster import RosterFacilitator
from domain.task_payloads import AssignFacilitators
from tests.workflows import steps
from tests.workflows.harness import Harness
from tests.workflows.test_facilitators import refused

LAPSED = RosterFacilitator(
    id="marama-te-whata",
    name="Marama Te Whata",
    sub="dev-facilitator-lapsed",
    fv_endorsed=True,
    fv_endorsement_expires=date(2020, 6, 30),
)
ROSTER = [*steps.ROSTER, LAPSED]
ENDORSED = steps.FACILITATOR.id


@pytest.mark.parametrize(
    ("named", "refusal"),
    [
        ([ENDORSED, "hemi-unknown"], "'hemi-unknown' is not on the"),
        ([ENDORSED, steps.TRAINEE.id], "has no family-violence endorsement on the roster"),
        ([ENDORSED, LAPSED.id], "endorsement expired on 2020-06-30"),
        ([ENDORSED], "a conference needs 2 different facilitators from the roster, not 1"),
        ([ENDORSED, ENDORSED], "is named twice"),
    ],
    ids=["unknown", "unendorsed", "expired", "one facilitator", "the same one twice"],
)
async def test_the_case_refuses_an_assignment(
    harness: Harness, named: list[str], refusal: str
) -> None:
    case = await harness.start()
    await steps.through_engagement(case)
    task = await case.task(TaskKind.ASSIGN_FACILITATORS)
    bad = AssignFacilitators(facilitators=named).with_roster(ROSTER)

    assert refusal in await refused(case.complete(bad, task.id))

    view = await case.view()
    assert [t.id for t in view.open_tasks()] == [task.id] and view.facilitators == []
    await case.complete(steps.FACILITATORS, task.id)
    assert [f.id for f in (await case.view()).facilitators] == [
        steps.FACILITATOR.id,
        steps.CO_FACILITATOR.id,
    ]
    assert (await case.view()).stage is Stage.PREPARATION
