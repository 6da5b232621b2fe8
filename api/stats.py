"""Program outcomes per jurisdiction (GET /v1/stats), counted from search attributes:
no case is opened, and nothing personal is read.

Referrals, conversion to a conference, completion and the neutral reasons cases did not
proceed come from the cases (`CaseReachedConference`, `CaseOutcome`, `CaseStopReason`);
re-arrest rates at each follow-up month from the follow-up workflows
(`FollowUpFindings`), each rate over the follow-ups that reached that month.
Cases started before these attributes existed are counted as referrals only.
"""

import asyncio

from pydantic import BaseModel, Field

from api.gateway import CaseGateway
from api.visibility_query import CASE_TYPE, quote
from domain.enums import NotProceededReason, Outcome
from workflows import search_attributes as sa

FOLLOW_UP_TYPE = "RecidivismFollowUp"


class FollowUpRates(BaseModel):
    months: int
    followed_up: int = Field(description="Closed cases whose check at this month is done.")
    dv_rearrested: int
    other_rearrested: int
    dv_rate: float | None
    other_rate: float | None


class JurisdictionStats(BaseModel):
    jurisdiction: str
    referrals: int
    closed: int
    reached_conference: int
    conversion_to_conference: float | None = Field(description="Of all referrals.")
    completed: int
    completion_rate: float | None = Field(description="Of closed cases.")
    not_proceeded: dict[NotProceededReason, int]
    follow_ups: list[FollowUpRates]


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class ProgramStats:
    def __init__(self, gateway: CaseGateway) -> None:
        self._gateway = gateway

    async def of(self, jurisdiction: str) -> JurisdictionStats:
        case = (
            f"WorkflowType = {quote(CASE_TYPE)} AND {sa.JURISDICTION.name} = {quote(jurisdiction)}"
        )
        outcomes = ", ".join(quote(o.value) for o in Outcome)
        months = self._gateway.jurisdictions[jurisdiction].policy.recidivism_follow_up_months
        referrals, closed, conference, completed, *rest = await asyncio.gather(
            self._count(case),
            self._count(f"{case} AND {sa.OUTCOME.name} IN ({outcomes})"),
            self._count(f"{case} AND {sa.REACHED_CONFERENCE.name} = true"),
            self._count(f"{case} AND {sa.OUTCOME.name} = {quote(Outcome.COMPLETED)}"),
            *(
                self._count(
                    f"{case} AND {sa.OUTCOME.name} = {quote(Outcome.NOT_PROCEEDED)}"
                    f" AND {sa.STOP_REASON.name} = {quote(reason)}"
                )
                for reason in NotProceededReason
            ),
        )
        follow_ups = await asyncio.gather(*(self._follow_up(jurisdiction, m) for m in months))
        return JurisdictionStats(
            jurisdiction=jurisdiction,
            referrals=referrals,
            closed=closed,
            reached_conference=conference,
            conversion_to_conference=rate(conference, referrals),
            completed=completed,
            completion_rate=rate(completed, closed),
            not_proceeded=dict(zip(NotProceededReason, rest, strict=True)),
            follow_ups=sorted(follow_ups, key=lambda f: f.months),
        )

    async def _follow_up(self, jurisdiction: str, months: int) -> FollowUpRates:
        base = (
            f"WorkflowType = {quote(FOLLOW_UP_TYPE)}"
            f" AND {sa.JURISDICTION.name} = {quote(jurisdiction)}"
        )
        findings = sa.FOLLOW_UP_FINDINGS.name
        done, dv, other = await asyncio.gather(
            *(
                self._count(f"{base} AND {findings} = {quote(f'{months}:{finding}')}")
                for finding in ("checked", "dv_rearrest", "other_rearrest")
            )
        )
        return FollowUpRates(
            months=months,
            followed_up=done,
            dv_rearrested=dv,
            other_rearrested=other,
            dv_rate=rate(dv, done),
            other_rate=rate(other, done),
        )

    async def _count(self, query: str) -> int:
        counted = await self._gateway.call(self._gateway.client.count_workflows(query))
        return counted.count
