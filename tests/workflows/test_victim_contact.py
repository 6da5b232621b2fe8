"""Contact details from a repeat referral (issue 17, finding 5): the case keeps them as a
proposal for the victim advocate, never applies them by itself, and never shows them to
the court."""

from domain.enums import ReportKind, Role, TaskKind
from domain.referral import VictimContact
from domain.task_payloads import ReviewVictimContact
from tests.workflows.harness import Harness
from tests.workflows.steps import through_screening
from workflows.case import DiversionCase

NEW = VictimContact(phone="+1 555 0177 204", safe_times_to_call="after 18:00")


async def test_new_details_wait_for_the_advocate_and_are_taken_only_when_she_says(
    harness: Harness,
) -> None:
    case = await harness.start()
    await through_screening(case)
    held = (await case.view()).referral.victim.contact

    await case.handle.execute_update(DiversionCase.propose_victim_contact, NEW)
    await case.handle.execute_update(DiversionCase.propose_victim_contact, NEW)  # no news
    await case.handle.execute_update(DiversionCase.propose_victim_contact, held)  # no news

    view = await case.view()
    reviews = [t for t in view.tasks if t.kind is TaskKind.REVIEW_VICTIM_CONTACT]
    assert [(t.roles, t.done_at) for t in reviews] == [([Role.VICTIM_ADVOCATE], None)]
    assert view.referral.victim.contact == held and view.proposed_victim_contact == NEW
    await case.complete(ReviewVictimContact(use_new_contact=True))
    taken = await case.view()
    assert taken.referral.victim.contact == NEW and taken.proposed_victim_contact is None
    await case.filed(ReportKind.SCREENING_OUTCOME)  # rendered and filed beside the flow
    case.assert_court_never_sees_the_victim("0177 204")


async def test_declined_details_are_dropped(harness: Harness) -> None:
    case = await harness.start()
    await through_screening(case)
    held = (await case.view()).referral.victim.contact
    await case.handle.execute_update(DiversionCase.propose_victim_contact, NEW)
    await case.complete(ReviewVictimContact(use_new_contact=False))
    view = await case.view()
    assert view.referral.victim.contact == held and view.proposed_victim_contact is None
