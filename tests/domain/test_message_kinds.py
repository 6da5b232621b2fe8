"""The facts a staff message may say (`staff_context`, domain/message_kinds.py): each one
reaches the message, with the victim's contact details and unshared words withheld from
what staff typed."""

from domain.case import Statement
from domain.message_kinds import StaffContext, staff_context
from domain.referral import VictimContact
from domain.withholding import WITHHELD
from tests.domain.factories import make_case

PHONE = "+1 312 555 0188"
ADDRESS = "7 Kōwhai Lane, Apt 3"
UNSHARED = "Ich möchte nicht, dass er erfährt, wo ich arbeite."


def test_every_fact_reaches_the_message_with_the_victims_details_withheld() -> None:
    case = make_case(
        contact=VictimContact(phone=PHONE, address=ADDRESS),
        statements=[Statement(text=UNSHARED, share_with_court=False)],
    )
    context = staff_context(
        case,
        task="review_conditions",
        detail=f"She asked us to call {PHONE}, not to visit {ADDRESS}. {UNSHARED}",
        stage="monitoring",
        count=2,
        total=3,
    )
    assert context == StaffContext(
        case_number="CR-2026-00417",
        task="review_conditions",
        detail=f"She asked us to call {WITHHELD}, not to visit {WITHHELD}. {WITHHELD}",
        stage="monitoring",
        count=2,
        total=3,
    )


def test_a_case_with_nothing_to_withhold_passes_the_facts_as_they_are() -> None:
    context = staff_context(make_case(), subject="Ngā mihi, Whetū", occurrence=1)
    assert (context.subject, context.occurrence) == ("Ngā mihi, Whetū", 1)
