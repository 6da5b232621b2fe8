"""Everything the case knows travels across continue-as-new (issue 17, finding 8): the
state the new run starts from is the old run's last state, field for field. Checked on
a case that knows a police incident from intake, so that losing `incidents` (which
the earlier test did not see) would fail here: the same incident would then read as new
and suspend the case falsely."""

from datetime import timedelta
from pathlib import Path

from temporalio.api.enums.v1 import EventType

from domain.case import CaseState
from domain.enums import Stage
from tests.workflows.harness import Harness, demo_referral
from tests.workflows.steps import through_conference
from tests.workflows.test_police_incidents import drop_incident, participant, watched_by_nibrs
from workflows.case import DiversionCase
from workflows.case_input import CaseInput


async def test_the_new_run_starts_from_the_old_runs_whole_state(
    harness: Harness, tmp_path: Path
) -> None:
    police = tmp_path / "police"
    watched_by_nibrs(harness, police)
    drop_incident(police, "2026-000731", await harness.env.get_current_time() - timedelta(days=30))
    case = await harness.start(
        demo_referral().model_copy(update={"participant": participant()}), history_limit=100
    )
    known = await case.until("the intake incident", lambda v: v.incidents or None)
    assert [i.incident_number for i in known] == ["2026-000731"]
    await through_conference(case, count=3)
    first_run = (await case.started.describe()).run_id
    await case.until("a continue-as-new", lambda v: v if v.continued_as_new >= 1 else None)

    before: CaseState = await harness.env.client.get_workflow_handle_for(
        DiversionCase.run, case.handle.id, run_id=first_run
    ).query(DiversionCase.view)
    history = await case.handle.fetch_history()  # the latest run's
    started = next(
        e for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
    )
    payloads = started.workflow_execution_started_event_attributes.input.payloads
    [carried] = await harness.env.client.data_converter.decode(payloads, [CaseInput])
    assert isinstance(carried, CaseInput) and carried.state is not None

    assert carried.state == before  # every field, whatever fields the state gains
    assert carried.state.incidents == known
    # And so the incident is still known: pushed again, it is not news.
    assert await case.handle.execute_update(DiversionCase.report_incident, known[0]) is False
    assert (await case.view()).stage is Stage.MONITORING
