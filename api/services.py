"""What every request needs, built once per app and reached through `request.app.state`."""

from dataclasses import dataclass

from fastapi import Request

from api.auth import TokenVerifier
from api.contact_choices import ContactChoices
from api.court_documents import CourtDocuments
from api.gateway import CaseGateway
from api.inbox import Inbox
from api.metrics import ApiMetrics
from api.police_incidents import PoliceIncidents
from api.referral_intake import ReferralIntake
from api.stats import ProgramStats
from diversion.settings import Settings
from domain.policy import Jurisdiction


@dataclass
class Services:
    settings: Settings
    jurisdictions: dict[str, Jurisdiction]
    gateway: CaseGateway
    intake: ReferralIntake
    documents: CourtDocuments
    police: PoliceIncidents
    stats: ProgramStats
    inbox: Inbox
    verifier: TokenVerifier
    metrics: ApiMetrics
    contact_choices: ContactChoices


async def services(request: Request) -> Services:
    # async, though it awaits nothing: FastAPI runs a plain function dependency in a thread
    # of its pool, a hand-off that cost more than the lookup on every request.
    found: Services = request.app.state.services
    return found
