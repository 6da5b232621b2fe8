"""Trained people (DESIGN §2 rule 6): who may facilitate a case, and who records its
pre-meetings and outcome. Pure, so the case's update validator can use it and every rule
is unit-tested.

How the roster reaches a case. The roster is the jurisdiction's current configuration,
not part of the policy a case snapshots at referral: an endorsement withdrawn or expired
since must stop counting, and a workflow cannot read a file. So:

1. the coordinator names facilitators by roster id (`AssignFacilitators.facilitators`);
2. the API, which loaded the jurisdictions file, adds the roster entries of those ids
   (`AssignFacilitators.with_roster`), replacing anything a caller put there;
3. the case's validator (`assignment_problem`, at the workflow's now) refuses an id not
   on the roster, a repeated one, a facilitator without a current endorsement, and fewer
   than `max(2, facilitators_per_conference)`;
4. accepted, the case records each facilitator's id, name and token subject, from the
   entries in the payload: the history keeps exactly what was checked, so replays agree;
5. a pre-meeting or the outcome is then accepted only from one of those subjects
   (`recorder_problem`); the victim's pre-meeting also names the advocate who was there.

A case whose facilitators were assigned before the roster recorded names only, without a
subject: anyone it is for may still record it, as when it started, so it is not stranded.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.enums import TaskKind
from domain.policy import MIN_FACILITATORS, Jurisdiction
from domain.roster import RosterFacilitator
from domain.task_payloads import AssignFacilitators, Facilitator, PreMeeting, RecordOutcome

_RECORDED = {
    TaskKind.RECORD_OUTCOME: "the conference outcome",
    TaskKind.PRE_MEETING_VICTIM: "the victim's pre-meeting",
    TaskKind.PRE_MEETING_PARTICIPANT: "the participant's pre-meeting",
}


def assignment_problem(
    payload: AssignFacilitators, jurisdiction: Jurisdiction, now: datetime
) -> str | None:
    """Why these facilitators may not be assigned (every reason, each naming the person),
    or None."""
    today = now.astimezone(ZoneInfo(jurisdiction.timezone)).date()
    entries = {entry.id: entry for entry in payload.roster}
    problems: list[str] = []
    seen: set[str] = set()
    for named in payload.facilitators:
        entry = entries.get(named)
        if named in seen:
            problems.append(f"{_who(entry, named)} is named twice")
            continue
        seen.add(named)
        if entry is None:
            problems.append(f"{named!r} is not on the {jurisdiction.name} facilitator roster")
        elif (why := endorsement_problem(entry, today)) is not None:
            problems.append(why)
    needed = max(MIN_FACILITATORS, jurisdiction.policy.facilitators_per_conference)
    if len(seen) < needed:
        problems.append(
            f"a conference needs {needed} different facilitators from the roster, not {len(seen)}"
        )
    return "; ".join(problems) or None


def endorsement_problem(entry: RosterFacilitator, today: date) -> str | None:
    """Why the roster does not show a current family-violence endorsement, or None. It is
    current through its expiry date, in the jurisdiction's own calendar."""
    who = _who(entry, entry.id)
    if not entry.fv_endorsed:
        return f"{who} has no family-violence endorsement on the roster"
    if entry.fv_endorsement_expires is None:
        return f"{who}'s family-violence endorsement has no expiry date on the roster"
    if entry.fv_endorsement_expires < today:
        return (
            f"{who}'s family-violence endorsement expired on "
            f"{entry.fv_endorsement_expires.isoformat()}"
        )
    return None


def recorder_problem(
    assigned: list[Facilitator], payload: PreMeeting | RecordOutcome, completed_by: str
) -> str | None:
    """Why `completed_by` (a token subject) may not record this meeting or outcome, or None."""
    what = _RECORDED[payload.kind]
    victims = payload.kind is TaskKind.PRE_MEETING_VICTIM
    if not assigned:
        return f"no facilitators are assigned to this case yet; {what} is recorded by one of them"
    subjects = {f.subject for f in assigned if f.subject}
    if subjects and completed_by not in subjects:
        names = " or ".join(f.name for f in assigned)
        with_advocate = ", naming the advocate who was present" if victims else ""
        return (
            f"{what} is recorded by one of the case's assigned facilitators ({names})"
            f"{with_advocate}; you are not assigned to this case"
        )
    if victims and isinstance(payload, PreMeeting) and not payload.advocate_present.strip():
        return (
            "the victim's pre-meeting is held with the victim's advocate: name the advocate "
            "who was present (advocate_present)"
        )
    return None


def _who(entry: RosterFacilitator | None, named: str) -> str:
    return f"{entry.name} ({entry.id})" if entry is not None else repr(named)
