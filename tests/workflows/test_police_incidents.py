"""A new police incident during the program is a safety event (DESIGN §2 rule 4):
pushed or found on the policy's cadence, it suspends the case in the workflow task it
arrives in, opens an urgent advocate task and reports to the court. A person is matched
by the jurisdiction's identifiers, never by name alone."""

from datetime import date, datetime, timedelta
from pathlib import Path

from temporalio.api.enums.v1 import EventType

from domain.enums import ReportKind, RiskFlag, SafetyEventKind, Stage, TaskKind
from domain.referral import Incident, Participant
from tests.workflows.harness import Case, Harness, demo_referral
from tests.workflows.steps import screening
from workflows.case import DiversionCase

NIBRS = Path(__file__).parent.parent / "fixtures" / "police" / "nibrs"
STATE_ID = "ST-4417-0093"  # the subject's state id in the NIBRS fixture
CADENCE = timedelta(days=7)


def watched_by_nibrs(harness: Harness, folder: Path) -> None:
    police = harness.jurisdiction.police.model_copy(
        update={"adapter": "nibrs", "settings": {"submissions_dir": str(folder)}}
    )
    harness.configure(harness.jurisdiction.model_copy(update={"police": police}))


def drop_incident(folder: Path, number: str, at: datetime) -> None:
    """The fixture incident (a 13B by the subject on his spouse), renumbered and re-dated."""
    text = (NIBRS / "incident-single-offense-4.2.xml").read_text()
    text = text.replace("2026-000731", number).replace(
        "2026-02-14T21:30:00", f"{at:%Y-%m-%dT%H:%M:%S}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{number}.xml").write_text(text)


async def fetches(case: Case) -> int:
    history = await case.started.fetch_history()
    return sum(
        1
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        and e.activity_task_scheduled_event_attributes.activity_type.name == "fetch_incidents"
    )


async def test_a_pushed_incident_suspends_the_case_and_reports_to_the_court(
    harness: Harness,
) -> None:
    case = await harness.start()
    await case.complete(screening())
    await case.reach(Stage.ENGAGEMENT)
    incident = Incident(
        incident_number="2026-004410",
        occurred_on=date(2026, 11, 20),
        offense_codes=["13B"],
        flags=[RiskFlag.INJURY],
        domestic_violence=True,
    )
    assert await case.handle.execute_update(DiversionCase.report_incident, incident) is True
    view = await case.view()  # already suspended when the update returned
    assert view.stage is Stage.SUSPENDED
    assert [e.kind for e in view.safety_events] == [SafetyEventKind.NEW_INCIDENT]
    review = await case.task(TaskKind.SAFETY_REVIEW)
    assert review.urgent
    await case.filed(ReportKind.SAFETY_EVENT)
    assert RiskFlag.INJURY in (await case.view()).auto_flags

    again = await case.handle.execute_update(DiversionCase.report_incident, incident)
    assert again is False
    assert len((await case.view()).safety_events) == 1


async def test_an_incident_found_on_the_cadence_is_a_safety_event(
    harness: Harness, tmp_path: Path
) -> None:
    police = tmp_path / "police"
    watched_by_nibrs(harness, police)
    case = await harness.start(demo_referral().model_copy(update={"participant": participant()}))
    await case.complete(screening())
    await case.reach(Stage.ENGAGEMENT)
    drop_incident(police, "2026-005120", await case.now() + timedelta(hours=2))
    await case.advance(CADENCE + timedelta(hours=1))
    await case.reach(Stage.SUSPENDED)
    view = await case.view()
    assert [e.description for e in view.safety_events] == ["police incident 2026-005120"]
    await case.filed(ReportKind.SAFETY_EVENT)
    assert (await case.task(TaskKind.SAFETY_REVIEW)).urgent


async def test_no_incident_means_nothing_happens(harness: Harness, tmp_path: Path) -> None:
    watched_by_nibrs(harness, tmp_path / "police")
    case = await harness.start(demo_referral().model_copy(update={"participant": participant()}))
    await case.complete(screening())
    await case.reach(Stage.ENGAGEMENT)
    await case.advance(2 * CADENCE + timedelta(hours=1))  # inside engagement's 21 days
    view = await case.view()
    assert view.stage is Stage.ENGAGEMENT and view.safety_events == []
    assert await fetches(case) >= 3  # intake, then every week: it did look


async def test_the_same_name_alone_does_not_make_a_match(harness: Harness, tmp_path: Path) -> None:
    police = tmp_path / "police"
    watched_by_nibrs(harness, police)
    namesake = participant().model_copy(
        update={"identifiers": {}, "date_of_birth": date(1990, 1, 1)}
    )
    case = await harness.start(demo_referral().model_copy(update={"participant": namesake}))
    await case.complete(screening())
    await case.reach(Stage.ENGAGEMENT)
    drop_incident(police, "2026-005121", await case.now() + timedelta(hours=2))
    await case.advance(2 * CADENCE)
    view = await case.view()
    assert view.stage is Stage.ENGAGEMENT and view.safety_events == []
    assert await fetches(case) >= 3


def participant() -> Participant:
    """The NIBRS fixture's subject, as the court knows him: same name and state id."""
    base = demo_referral().participant
    return base.model_copy(
        update={
            "given_name": "Marcus",
            "family_name": "Lindqvist",
            "date_of_birth": date(1989, 5, 17),
            "identifiers": {"state_id": STATE_ID},
        }
    )
