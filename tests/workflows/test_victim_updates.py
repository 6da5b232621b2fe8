"""News of the agreement for the victim (DESIGN §9, issue 15): only when she asked for
it, only as a message to her advocate, never to an address of hers; when she did not
ask, nothing about her goes anywhere."""

from datetime import timedelta

import pytest

from domain.agreement import Agreement, Obligation
from domain.enums import ConferenceResult, ObligationKind, ReportKind, Role
from domain.message_kinds import MessageKind
from domain.task_payloads import SafetyPlan, VerifyEvidence
from tests.workflows import steps
from tests.workflows.harness import Harness


@pytest.mark.parametrize("asked", [True, False])
async def test_she_hears_only_through_her_advocate_and_only_if_she_asked(
    harness: Harness, asked: bool
) -> None:
    case = await harness.start()
    await steps.through_screening(case)
    await case.complete(steps.victim_consent(wants_progress_updates=asked))
    await case.complete(steps.participant_consent())
    await case.complete(steps.FACILITATORS)
    await steps.pre_meetings(case)
    await case.complete(SafetyPlan(in_place=True))
    item = Obligation(
        kind=ObligationKind.RESTITUTION,
        description="Repay the broken phone",
        first_due=await case.now() + timedelta(days=40),
        victim_informed=True,
    )
    await steps.hold_conference(case, ConferenceResult.AGREEMENT, Agreement(obligations=[item]))
    await case.advance(item.first_due - timedelta(hours=12) - await case.now())  # reminders
    await case.complete(VerifyEvidence(evidence_seen=True))
    await case.filed(ReportKind.FINAL)

    sent = case.notifications()
    updates = [n for n in sent if n.kind == MessageKind.VICTIM_UPDATE]
    assert [n.to_role for n in updates] == ([Role.VICTIM_ADVOCATE] if asked else [])
    for update in updates:
        assert not update.to_participant and update.participant_phone is None
        assert update.body.endswith("Repay the broken phone: 1 of 1 met.")
    logged = [m.to for m in (await case.view()).messages if m.kind == MessageKind.VICTIM_UPDATE]
    assert logged == (["victim_advocate"] if asked else [])

    # The participant heard his reminders; nothing went to any address of hers.
    assert [n.kind for n in sent if n.to_participant] == [MessageKind.OBLIGATION_REMINDER] * 2
    contact = case.referral.victim.contact
    hers = {v for v in (contact.phone, contact.email, contact.address) if v}
    for message in sent:
        assert not {message.participant_phone, message.participant_email} & hers
        assert not [v for v in hers if v in f"{message.subject} {message.body}"]
