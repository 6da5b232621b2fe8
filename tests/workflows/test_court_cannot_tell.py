"""Two real cases that differ only in who declined, withdrew or missed the conference, in
whether a victim's no-show was rescheduled, or in what the victim asked for, look the same
to the court (DESIGN §2 rule 2): its view and timeline for every court-side role, the
attributes its lists and statistics are read from, and every report filed, apart from
ids, dates and times.

The domain-level twin (tests/domain/test_court_view_inference.py) varies the case state
directly; this one lets the workflow write the state, as it does for real.
"""

import json
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest

from domain.case import CaseState
from domain.case_views import case_view_for
from domain.enums import ConferenceResult, Party, ReportKind, Role, Stage, TaskKind
from tests.workflows.harness import Case, Harness
from tests.workflows.steps import (
    hold_conference,
    obligations,
    participant_consent,
    prepare,
    through_engagement,
    through_preparation,
    through_screening,
    victim_consent,
)
from workflows import search_attributes as sa
from workflows.case import DiversionCase
from workflows.messages import ConsentWithdrawal

COURT_ROLES = [Role.CLERK, Role.JUDGE, Role.INTEGRATOR]
# Before every hearing of the fixture, so the next hearing is part of what is compared.
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
# What lists (GET /v1/cases) and statistics (GET /v1/stats) read of a case.
LISTED = [key.name for key in (sa.STAGE, sa.OUTCOME, sa.STOP_REASON, sa.REACHED_CONFERENCE)]
# The court's own reference for a filing is an id, like the case's.
COURT_REFERENCE = re.compile(r'("court_reference": )"[^"]*"')
MOMENT = re.compile(r"\d{4}-\d\d-\d\d(T[0-9:.]+(Z|[+-]\d\d:\d\d)?)?")

Path = Callable[[Case], Awaitable[None]]


async def victim_declines(case: Case) -> None:
    await through_screening(case)
    await case.complete(victim_consent(consents=False))
    await case.outcome()


async def participant_declines(case: Case) -> None:
    await through_screening(case)
    await case.complete(victim_consent())
    await case.complete(participant_consent(consents=False))
    await case.outcome()


def withdraws(party: Party) -> Path:
    async def path(case: Case) -> None:
        await through_engagement(case)
        await case.task(TaskKind.ASSIGN_FACILITATORS)
        await case.handle.execute_update(
            DiversionCase.withdraw_consent, ConsentWithdrawal(party=party, note="by phone")
        )
        await case.outcome()

    return path


async def victim_misses_twice(case: Case) -> None:
    await through_preparation(case)
    await hold_conference(case, ConferenceResult.VICTIM_NO_SHOW)
    await hold_conference(case, ConferenceResult.VICTIM_NO_SHOW)
    await case.outcome()


async def participant_misses(case: Case) -> None:
    await through_preparation(case)
    await hold_conference(case, ConferenceResult.PARTICIPANT_NO_SHOW)
    await case.outcome()


async def agreement_after_a_victim_no_show(case: Case) -> None:
    await through_preparation(case)
    await hold_conference(case, ConferenceResult.VICTIM_NO_SHOW)
    await hold_conference(
        case, ConferenceResult.AGREEMENT, obligations(await case.now() + timedelta(days=20), 2)
    )
    await case.filed(ReportKind.AGREEMENT_REACHED)
    await obligations_under_way(case)


async def agreement_at_once(case: Case) -> None:
    await through_preparation(case)
    await hold_conference(
        case, ConferenceResult.AGREEMENT, obligations(await case.now() + timedelta(days=20), 2)
    )
    await case.filed(ReportKind.AGREEMENT_REACHED)
    await obligations_under_way(case)


def agreement_when_the_victim_asks_for_updates(wants: bool) -> Path:
    async def path(case: Case) -> None:
        await through_screening(case)
        await case.complete(victim_consent(wants_progress_updates=wants))
        await case.complete(participant_consent())
        await prepare(case)
        await hold_conference(
            case, ConferenceResult.AGREEMENT, obligations(await case.now() + timedelta(days=20), 2)
        )
        await case.filed(ReportKind.AGREEMENT_REACHED)
        await obligations_under_way(case)

    return path


async def obligations_under_way(case: Case) -> None:
    """Monitoring, each agreed item's first due date reported by its workflow: read before
    that, one case of a pair could show an item's progress the other has yet to receive."""
    await case.until(
        "every obligation under way",
        lambda v: (
            v.stage is Stage.MONITORING
            and bool(v.obligations)
            and all(o.next_due is not None for o in v.obligations)
        ),
    )


PAIRS: dict[str, tuple[Path, Path]] = {
    "who declined": (victim_declines, participant_declines),
    "who withdrew": (withdraws(Party.VICTIM), withdraws(Party.PARTICIPANT)),
    "who missed the conference": (victim_misses_twice, participant_misses),
    "a victim no-show rescheduled": (agreement_after_a_victim_no_show, agreement_at_once),
    "what the victim asked for": (
        agreement_when_the_victim_asks_for_updates(True),
        agreement_when_the_victim_asks_for_updates(False),
    ),
}


def anonymous(value: Any, case: Case) -> Any:
    """`value` as JSON with the case's own ids and every date and time blanked."""
    text = json.dumps(value, sort_keys=True, default=str)
    text = COURT_REFERENCE.sub(r'\1"<reference>"', text)
    number = case.referral.court.case_number
    for own in sorted({case.handle.id, number, number.lower()}, key=len, reverse=True):
        text = text.replace(own, "<case>")
    return json.loads(MOMENT.sub("<moment>", text))


async def court_side(case: Case) -> dict[str, Any]:
    """Everything the court can read of `case`, but the view, which depends on roles."""
    # Raw: the test server writes an unset datetime attribute in a form the SDK's decoder
    # refuses, and only keywords and booleans are read here.
    described = await case.env.client.workflow_service.describe_workflow_execution(
        DescribeWorkflowExecutionRequest(
            namespace=case.env.client.namespace,
            execution=WorkflowExecution(workflow_id=case.handle.id),
        )
    )
    fields = described.workflow_execution_info.search_attributes.indexed_fields
    raw = {name: fields[name].data if name in fields else b"" for name in LISTED}
    listed = {name: json.loads(data) if data else None for name, data in raw.items()}
    outputs: dict[str, Any] = anonymous(
        {
            "listed": listed,
            "reports": [r.model_dump(mode="json") for r in case.filings()],
        },
        case,
    )
    return outputs


@pytest.mark.parametrize("pair", PAIRS, ids=list(PAIRS))
async def test_the_court_cannot_tell_the_two_cases_apart(harness: Harness, pair: str) -> None:
    # One case after the other, each read as its path ends: time skipped for the second
    # would otherwise move the first on.
    seen: list[tuple[Case, CaseState, dict[str, Any]]] = []
    for path in PAIRS[pair]:
        case = await harness.start()
        await path(case)
        seen.append((case, await case.view(), await court_side(case)))
    (one, first, first_outputs), (other, second, second_outputs) = seen
    inside = {"case_id", "referral", "timeline", "tasks", "stage_entered_at", "stage_deadline"}
    assert first.model_dump(exclude=inside) != second.model_dump(exclude=inside), (
        "the two cases must differ inside, or the test proves nothing"
    )
    assert one.filings(), "nothing was filed"
    assert first_outputs == second_outputs

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.sets(st.sampled_from(COURT_ROLES)))
    def views_match(roles: set[Role]) -> None:
        views = [
            anonymous(case_view_for(state, roles, LONG_AGO).model_dump(mode="json"), case)
            for state, case in ((first, one), (second, other))
        ]
        assert views[0] == views[1]

    views_match()
