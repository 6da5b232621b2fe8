"""The paths a fault run walks its cases through, each with the outcome it must end in and
the reports the court must hold for it, exactly once each (DESIGN §3, §8)."""

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from domain.case import case_workflow_id
from domain.enums import Outcome, ReportKind

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "referrals" / "demo-referral.json"


class Walk(StrEnum):
    AGREEMENT = "agreement"  # every step, the apology made: completed, the judge disposes
    DECLINE = "decline"  # the victim declines at engagement
    WITHDRAWAL = "withdrawal"  # the participant withdraws in preparation
    MISS = "miss"  # agreed, the apology missed, breached; the court terminates
    SAFETY = "safety"  # the advocate's alert at engagement; her review ends it


OUTCOMES = {
    Walk.AGREEMENT: Outcome.COMPLETED,
    Walk.DECLINE: Outcome.NOT_PROCEEDED,
    Walk.WITHDRAWAL: Outcome.NOT_PROCEEDED,
    Walk.MISS: Outcome.NONCOMPLIANT,
    Walk.SAFETY: Outcome.TERMINATED_SAFETY,
}
SCREENED = ReportKind.SCREENING_OUTCOME
REPORTS = {
    Walk.AGREEMENT: [SCREENED, ReportKind.AGREEMENT_REACHED, ReportKind.FINAL],
    Walk.DECLINE: [SCREENED, ReportKind.NOT_PROCEEDED],
    Walk.WITHDRAWAL: [SCREENED, ReportKind.NOT_PROCEEDED],
    Walk.MISS: [SCREENED, ReportKind.AGREEMENT_REACHED, ReportKind.NON_COMPLIANCE],
    Walk.SAFETY: [SCREENED, ReportKind.SAFETY_EVENT, ReportKind.NOT_PROCEEDED],
}

# Invented people, names from many languages.
PEOPLE = [
    (("Tāmati", "Ngāwhika"), ("Aroha", "Ngāwhika")),
    (("Nguyễn Văn", "Đức"), ("Trần Thị", "Mai")),
    (("Oluwaseun", "Adébáyọ̀"), ("Folake", "Adébáyọ̀")),
    (("Jüri", "Mägi"), ("Kätlin", "Tamm")),
    (("Rahul", "Deshpande"), ("Ananya", "Kulkarni")),
    (("Yusuf", "Karaca"), ("Elif", "Şahin")),
    (("Mateus", "Conceição"), ("Luíza", "Araújo")),
    (("Bolat", "Seitqali"), ("Aigerim", "Nurlanqyzy")),
]


@dataclass(frozen=True)
class PlannedCase:
    number: int
    walk: Walk
    jurisdiction: str
    case_number: str
    racing_clerks: int  # how many clerks post this referral at the same moment

    @property
    def case_id(self) -> str:
        return case_workflow_id(self.jurisdiction, self.case_number)

    @property
    def expected_reports(self) -> Counter[str]:
        return Counter(kind.value for kind in REPORTS[self.walk])

    @property
    def expected_outcome(self) -> Outcome:
        return OUTCOMES[self.walk]

    def referral(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
        participant, victim = PEOPLE[self.number % len(PEOPLE)]
        document["jurisdiction"] = self.jurisdiction
        document["court"]["case_number"] = self.case_number
        document["court"]["hearings"] = []
        document["participant"]["given_name"], document["participant"]["family_name"] = participant
        document["victim"]["given_name"], document["victim"]["family_name"] = victim
        return document


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def soon(seconds: float) -> str:
    return iso(datetime.now(UTC) + timedelta(seconds=seconds))
