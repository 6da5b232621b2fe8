"""Request examples for the OpenAPI documents: invented people and case numbers only."""

from typing import Any

REFERRAL: dict[str, Any] = {
    "jurisdiction": "demo",
    "court": {
        "court_id": "demo-county-district-court",
        "case_number": "CR-2026-00417",
        "judge": "Hon. Teresa Lindqvist",
        "hearings": [{"at": "2026-12-19T09:30:00-05:00", "purpose": "Diversion status review"}],
    },
    "participant": {
        "given_name": "Darnell",
        "family_name": "Okafor",
        "date_of_birth": "1991-07-14",
        "phone": "+1 555 0100 418",
    },
    "victim": {
        "given_name": "Mira",
        "family_name": "Okafor",
        "contact": {"phone": "+1 555 0100 417", "address": "12 Alder Row, Demo City"},
    },
    "charges": [
        {
            "statute": "DEMO PEN. CODE 22.01(b)(2)",
            "description": "Assault causing bodily injury, family member",
            "severity": "misdemeanor",
            "offense_date": "2026-01-11",
            "domestic_violence": True,
        }
    ],
    "plea": "guilty",
    "referred_on": "2026-11-20",
    "referring_officer": "Clerk J. Moreno",
}

SCREEN_CASE: dict[str, Any] = {
    "kind": "screen_case",
    "plea": "guilty",
    "responsibility_accepted": True,
    "risk": {"instrument": "ODARA", "score": 2},
    "notes": "Accepts responsibility; no prior protection orders.",
}

ASSIGN_FACILITATORS: dict[str, Any] = {
    "kind": "assign_facilitators",
    "facilitators": ["amaru-quispe", "ngozi-eze"],
}

PRE_MEETING_VICTIM: dict[str, Any] = {
    "kind": "pre_meeting_victim",
    "held_on": "2026-12-02T15:00:00Z",
    "advocate_present": "Leilani Kahale",
}

RECORD_OUTCOME: dict[str, Any] = {
    "kind": "record_outcome",
    "result": "agreement",
    "agreement": {
        "obligations": [
            {
                "kind": "apology",
                "description": "Written apology, through the facilitator",
                "first_due": "2027-01-15T17:00:00Z",
            }
        ]
    },
}

CONSENT_WITHDRAWAL: dict[str, Any] = {"party": "victim", "note": "Asked by phone to stop."}
SAFETY_EVENT: dict[str, Any] = {"kind": "advocate_alert", "description": "Threat by text."}
COURT_DIRECTIVE: dict[str, Any] = {"kind": "continue", "note": "Resume after review."}
DISPOSITION: dict[str, Any] = {"kind": "completed", "decided_on": "2027-06-01T10:00:00Z"}
UNSHARE: dict[str, Any] = {"share_with_court": False}


def one(summary: str, value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"example": {"summary": summary, "value": value}}


TASK_COMPLETIONS: dict[str, dict[str, Any]] = {
    "screen_case": {"summary": "Screening a case", "value": SCREEN_CASE},
    "assign_facilitators": {
        "summary": "Assigning facilitators by their roster ids",
        "value": ASSIGN_FACILITATORS,
    },
    "pre_meeting_victim": {
        "summary": "The victim's pre-meeting, recorded by an assigned facilitator",
        "value": PRE_MEETING_VICTIM,
    },
    "record_outcome": {
        "summary": "The conference outcome, recorded by an assigned facilitator",
        "value": RECORD_OUTCOME,
    },
}
