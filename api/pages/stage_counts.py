"""Counts of open cases by stage for the inbox page."""

import asyncio
import time

from api.services import Services
from api.visibility_query import CASE_TYPE, in_list, quote
from domain.enums import Role, Stage
from workflows import search_attributes as sa

COUNTS_TTL_SECONDS = 10.0


class StageCounts:
    """Open cases with tasks for some roles, by stage. Visibility cannot group by a custom
    attribute, so one count per stage, kept a few seconds: the page refreshes itself."""

    def __init__(self, ttl: float = COUNTS_TTL_SECONDS) -> None:
        self._ttl = ttl
        self._held: dict[str, tuple[float, dict[Stage, int]]] = {}

    async def of(
        self, found: Services, roles: frozenset[Role], jurisdictions: list[str]
    ) -> dict[Stage, int]:
        if not roles or not jurisdictions:
            return {}
        base = (
            f"WorkflowType = {quote(CASE_TYPE)} AND ExecutionStatus = 'Running'"
            f" AND {sa.JURISDICTION.name} IN {in_list(jurisdictions)}"
            f" AND {sa.OPEN_TASK_ROLES.name} IN {in_list(sorted(r.value for r in roles))}"
        )
        clock = time.monotonic()
        held = self._held.get(base)
        if held is not None and held[0] > clock:
            return held[1]
        client = found.gateway.client
        stages = [s for s in Stage if s is not Stage.CLOSED]
        answers = await found.gateway.call(
            asyncio.gather(
                *(
                    client.count_workflows(f"{base} AND {sa.STAGE.name} = {quote(s.value)}")
                    for s in stages
                )
            )
        )
        counts: dict[Stage, int] = {
            s: a.count for s, a in zip(stages, answers, strict=True) if a.count
        }
        for stale in [k for k, (expires, _) in self._held.items() if expires <= clock]:
            del self._held[stale]
        self._held[base] = (clock + self._ttl, counts)
        return counts
