"""Staff, the clerk and the judge acting on one case through the API until it closes.

Each turn reads the case as the coordinator sees it and does the one thing its walk asks
next. Nothing is remembered between turns, so a request whose answer was lost (an API
process restarted under it) is never sent twice blindly: the next turn reads whether it
took effect. Between turns that changed nothing the case is polled, a bounded number of
times, never slept on "to let it settle"."""

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from domain.enums import Role
from tests.faults.api_client import ApiPool, DriverFailure
from tests.faults.paths import PlannedCase, Walk, iso, soon
from tests.jurisdictions import CO_FACILITATOR, FACILITATOR

POLL_SECONDS = 0.75
CONFERENCE_IN_SECONDS = 8.0  # the readiness check must come before it, faults or not
# The agreed apology: due soon where it is to be missed; where it is made, due in an hour,
# and the evidence, verified as soon as its task opens, meets it at once.
MISSED_DUE_IN_SECONDS = 3.0
MADE_DUE_IN_SECONDS = 3600.0

SCREENING = {
    "kind": "screen_case",
    "plea": "guilty",
    "responsibility_accepted": True,
    "risk": {"instrument": "ODARA", "score": 2},
}
VICTIM_CONSENT = {
    "kind": "victim_consent",
    "consents": True,
    "mode": "direct",
    "informed": True,
    "wants_progress_updates": False,
}
VICTIM_DECLINES = {"kind": "victim_consent", "consents": False, "informed": True}
PARTICIPANT_CONSENT = {
    "kind": "participant_consent",
    "consents": True,
    "legal_advice_explained": True,
    "no_obligation_explained": True,
    "refusal_not_weighed_explained": True,
}
FACILITATORS = {"kind": "assign_facilitators", "facilitators": [FACILITATOR.id, CO_FACILITATOR.id]}
READY = {
    "kind": "readiness_check",
    "victim_safe_to_proceed": True,
    "no_new_incidents": True,
    "risk_rechecked": {"instrument": "ODARA", "score": 2},
}


@dataclass
class Action:
    role: Role
    method: str
    path: str
    body: dict[str, Any]
    subject: str | None = None


@dataclass
class CaseRecord:
    """What the driver saw of one case, for the checks and the report."""

    planned: PlannedCase
    view: dict[str, Any] | None = None
    refusals: list[str] = field(default_factory=list)  # 422 answers, for diagnosis
    steps: int = 0
    conference_in: float = CONFERENCE_IN_SECONDS  # the conference's lead time, seconds
    referred_at: float | None = None  # the loop's clock
    closed_at: float | None = None


def next_action(
    case: PlannedCase, view: dict[str, Any], conference_in: float = CONFERENCE_IN_SECONDS
) -> Action | None:
    """What the case's walk does next, read from the case alone; None: wait for it."""
    walk, stage = case.walk, view["stage"]
    kinds = {"safety_event": False, "non_compliance": False}
    for report in view["reports"]:
        kinds[report["kind"]] = True
    if walk is Walk.SAFETY and stage == "engagement" and not view["safety_events"]:
        body = {"kind": "advocate_alert", "description": "advocate's alert (invented)"}
        return Action(Role.VICTIM_ADVOCATE, "POST", f"/v1/cases/{case.case_id}/safety-events", body)
    if walk is Walk.WITHDRAWAL and stage == "preparation" and not _withdrawn(view, "participant"):
        body = {"party": "participant", "note": "by phone"}
        return Action(
            Role.COORDINATOR, "POST", f"/v1/cases/{case.case_id}/consent-withdrawals", body
        )
    if walk is Walk.MISS and kinds["non_compliance"] and not view["directives"]:
        body = {"kind": "terminate", "note": "at the review hearing"}
        return Action(Role.JUDGE, "POST", f"/v1/cases/{case.case_id}/court-directives", body)
    if stage == "final_report" and view["disposition"] is None and view["compliance"]:
        body = {"kind": "completed", "decided_on": iso(datetime.now(UTC))}
        return Action(Role.JUDGE, "POST", f"/v1/cases/{case.case_id}/dispositions", body)
    for task in view["tasks"]:
        if task["done_at"] is None:
            action = _task_action(case, view, task, conference_in)
            if action is not None:
                return action
    return None


def _task_action(
    case: PlannedCase, view: dict[str, Any], task: dict[str, Any], conference_in: float
) -> Action | None:
    role, subject, body = _task_payload(case.walk, view, task["kind"], conference_in)
    if body is None:
        return None
    return Action(role, "POST", f"/v1/tasks/{task['id']}/complete", body, subject)


def _task_payload(
    walk: Walk, view: dict[str, Any], kind: str, conference_in: float
) -> tuple[Role, str | None, dict[str, Any] | None]:
    coordinator, advocate, facilitator = Role.COORDINATOR, Role.VICTIM_ADVOCATE, Role.FACILITATOR
    now = iso(datetime.now(UTC))
    match kind:
        case "screen_case":
            return coordinator, None, SCREENING
        case "victim_consent":
            if walk is Walk.SAFETY:
                return advocate, None, None  # the alert comes first: the case waits for it
            return advocate, None, VICTIM_DECLINES if walk is Walk.DECLINE else VICTIM_CONSENT
        case "participant_consent":
            return coordinator, None, PARTICIPANT_CONSENT
        case "assign_facilitators":
            return coordinator, None, None if walk is Walk.WITHDRAWAL else FACILITATORS
        case "pre_meeting_victim":
            body = {"kind": kind, "held_on": now, "advocate_present": "Leilani Kahale"}
            return facilitator, FACILITATOR.sub, body
        case "pre_meeting_participant":
            return facilitator, CO_FACILITATOR.sub, {"kind": kind, "held_on": now}
        case "safety_plan":
            return advocate, None, {"kind": kind, "in_place": True}
        case "schedule_conference":
            body = {"kind": kind, "at": soon(conference_in), "location": "Room 2"}
            return coordinator, None, body
        case "readiness_check":
            return advocate, None, READY
        case "record_outcome":
            at = view["conference"]["at"]
            if at is None or datetime.fromisoformat(at) > datetime.now(UTC):
                return facilitator, None, None  # not held yet
            item = {
                "kind": "apology",
                "description": "Written apology",
                "first_due": soon(
                    MISSED_DUE_IN_SECONDS if walk is Walk.MISS else MADE_DUE_IN_SECONDS
                ),
            }
            agreement = {"obligations": [item]}
            return (
                facilitator,
                FACILITATOR.sub,
                {"kind": kind, "result": "agreement", "agreement": agreement},
            )
        case "verify_evidence":
            if walk is Walk.MISS:
                return coordinator, None, None  # the apology never comes
            return coordinator, None, {"kind": kind, "evidence_seen": True, "reference": "letter"}
        case "review_missed_obligation":
            return coordinator, None, {"kind": kind, "decision": "breach", "reason": "no letter"}
        case "safety_review":
            return advocate, None, {"kind": kind, "safe_to_resume": False, "notes": "unsafe"}
        case "resolve_filing":
            return coordinator, None, {"kind": kind, "refile": True}
    return coordinator, None, None  # not a task of these walks: the case will read as stuck


def _withdrawn(view: dict[str, Any], party: str) -> bool:
    return any(c["party"] == party and c["withdrawn_at"] for c in view["consents"])


async def drive(api: ApiPool, record: CaseRecord, deadline: float) -> None:
    """Act on the case until it closes or the loop's clock passes `deadline`."""
    case = record.planned
    loop = asyncio.get_running_loop()
    record.referred_at = loop.time()
    while loop.time() < deadline:
        try:
            response = await api.call(
                "GET",
                f"/v1/cases/{case.case_id}",
                role=Role.COORDINATOR,
                jurisdiction=case.jurisdiction,
            )
        except DriverFailure as e:
            record.refusals.append(f"GET: 5xx {e}")  # the ledger reads it once more
            return
        assert response is not None
        if response.status_code == 404:
            await asyncio.sleep(POLL_SECONDS)  # the referral's answer was lost: the clerk retries
            continue
        if response.status_code != 200:
            record.refusals.append(f"GET: {response.status_code} {response.text[:200]}")
            await asyncio.sleep(POLL_SECONDS)
            continue
        view = record.view = response.json()
        if view["outcome"] is not None:
            record.closed_at = loop.time()
            return
        action = next_action(case, view, record.conference_in)
        if action is None:
            await asyncio.sleep(POLL_SECONDS)
            continue
        done = await api.call(
            action.method,
            action.path,
            role=action.role,
            jurisdiction=case.jurisdiction,
            subject=action.subject,
            json=action.body,
            once=True,
        )
        record.steps += 1
        if done is not None and done.status_code >= 400:
            record.refusals.append(f"{action.path}: {done.status_code} {done.text[:300]}")
            await asyncio.sleep(POLL_SECONDS)
