"""What starts a case's re-arrest follow-up (workflows/follow_up.py), and its id."""

from datetime import datetime

from pydantic import BaseModel

from domain.enums import Outcome
from domain.policy import Jurisdiction
from domain.referral import Participant


class FollowUpInput(BaseModel):
    case_id: str
    jurisdiction: Jurisdiction
    participant: Participant
    closed_at: datetime
    outcome: Outcome


def follow_up_workflow_id(case_id: str) -> str:
    return f"{case_id}.f"
