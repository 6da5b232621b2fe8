"""Need to know (DESIGN §2 rule 3, §5): the one function every output of a case goes through."""

from collections.abc import Iterable

from domain.case import CaseState
from domain.enums import ConferenceResult, Role
from domain.referral import VictimContact

PROGRAM_STAFF = frozenset({Role.COORDINATOR, Role.FACILITATOR, Role.VICTIM_ADVOCATE, Role.ADMIN})


def redact_case(case: CaseState, roles: Iterable[Role]) -> CaseState:
    """A copy of `case` holding only what callers with `roles` may see.

    Victim contact details and the victim's unshared words reach the victim advocate
    only. Court-side roles (clerk, judge, integrator) see neutral reasons and timeline
    entries, never which party withdrew or why.
    """
    roles = frozenset(roles)
    view = case.model_copy(deep=True)
    # Adapter settings are deployment configuration (paths, client ids): no caller's business.
    court, police = view.jurisdiction.court, view.jurisdiction.police
    view.jurisdiction = view.jurisdiction.model_copy(
        update={
            "court": court.model_copy(update={"settings": {}}),
            "police": police.model_copy(update={"settings": {}}),
        }
    )
    if Role.VICTIM_ADVOCATE not in roles:
        view.referral.victim.contact = VictimContact()
        view.victim_statements = [s for s in view.victim_statements if s.share_with_court]
    if not roles & PROGRAM_STAFF:
        view.timeline = [e for e in view.timeline if e.audience == "court"]
        if view.stop is not None:
            view.stop.cause = "restorative process did not proceed"
        view.consents = []
        view.safety_events = [e.model_copy(update={"description": ""}) for e in view.safety_events]
        view.screening = None
        # Which consent task closed when could tell a court who declined.
        view.tasks = []
        if view.conference.result in (
            ConferenceResult.PARTICIPANT_NO_SHOW,
            ConferenceResult.VICTIM_NO_SHOW,
        ):
            view.conference.result = None
    return view
