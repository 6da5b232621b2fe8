"""What starts (or continues) a `DiversionCase` run."""

from pydantic import BaseModel

from domain.case import CaseState
from domain.policy import Jurisdiction
from domain.referral import Referral

TASK_QUEUE = "diversion"


class CaseInput(BaseModel):
    referral: Referral
    jurisdiction: Jurisdiction
    state: CaseState | None = None
    continue_as_new_after_events: int = 10_000
