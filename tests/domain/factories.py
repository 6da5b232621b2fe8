"""Small builders for domain objects in tests. Invented people only."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from domain.agreement import Agreement, Obligation, ObligationProgress
from domain.case import (
    CaseState,
    ConferenceRecord,
    ConsentRecord,
    DirectiveRecord,
    SafetyEventRecord,
    ScreeningRecord,
    Statement,
    StopRecord,
    TimelineEntry,
    case_workflow_id,
)
from domain.enums import (
    ConferenceResult,
    DirectiveKind,
    ObligationKind,
    Party,
    Plea,
    ReportKind,
    RiskLevel,
    Role,
    SafetyEventKind,
    Stage,
    TaskKind,
)
from domain.policy import DEMO_FILE, Jurisdiction, load_jurisdictions
from domain.referral import (
    Charge,
    CourtReference,
    Hearing,
    Participant,
    Referral,
    SupportPerson,
    Victim,
    VictimContact,
)
from domain.reports import FiledReport
from domain.task_payloads import Facilitator, RiskAssessment
from domain.tasks import Task

CASE_NUMBER = "CR-2026-00417"
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def demo_jurisdiction() -> Jurisdiction:
    return load_jurisdictions(DEMO_FILE)["demo"]


DEMO = demo_jurisdiction()


def dv_charge(*, domestic_violence: bool = True, statute: str = "720 ILCS 5/12-3.2") -> Charge:
    return Charge(
        statute=statute,
        description="Domestic battery" if domestic_violence else "Criminal damage to property",
        severity="misdemeanor",
        offense_date=date(2026, 1, 18),
        domestic_violence=domestic_violence,
    )


def make_referral(
    *,
    contact: VictimContact | None = None,
    plea: Plea = Plea.GUILTY,
    charges: Sequence[Charge] | None = None,
    case_number: str = CASE_NUMBER,
) -> Referral:
    return Referral(
        jurisdiction="demo",
        court=CourtReference(
            court_id="demo-circuit-3",
            case_number=case_number,
            judge="Hon. Lorraine Vasquez-Whitfield",
            hearings=[Hearing(at=T0 + timedelta(days=60), purpose="status")],
        ),
        participant=Participant(
            given_name="Darnell",
            family_name="Okafor",
            date_of_birth=date(1988, 5, 14),
            phone="+1-312-555-0100",
            email="darnell.okafor@example.com",
        ),
        victim=Victim(
            given_name="Mira",
            family_name="Okafor",
            contact=contact if contact is not None else VictimContact(),
        ),
        support_people=[SupportPerson(name="Tobias Renn", supports="participant")],
        charges=list(charges) if charges is not None else [dv_charge()],
        plea=plea,
        referred_on=date(2026, 2, 27),
        referring_officer="Clerk Annette Polk",
    )


def _obligation() -> Obligation:
    return Obligation(
        kind=ObligationKind.BEHAVIOUR_CHANGE_PROGRAMME,
        description="Weekly behaviour-change group",
        provider="Lakeside Men's Programme",
        first_due=T0 + timedelta(days=40),
        every_days=7,
        occurrences=24,
        allowed_misses=2,
    )


def make_case(
    *,
    contact: VictimContact | None = None,
    statements: Sequence[Statement] = (),
    timeline: Sequence[TimelineEntry] | None = None,
    consents: Sequence[ConsentRecord] | None = None,
    stop: StopRecord | None = None,
    safety_events: Sequence[SafetyEventRecord] | None = None,
    conference_result: ConferenceResult | None = ConferenceResult.AGREEMENT,
    stage: Stage = Stage.MONITORING,
) -> CaseState:
    """A case well into monitoring, with something in every field redaction touches."""
    referral = make_referral(contact=contact)
    obligation = _obligation()
    return CaseState(
        case_id=case_workflow_id("demo", CASE_NUMBER),
        jurisdiction=DEMO,
        referral=referral,
        stage=stage,
        stage_entered_at=T0 + timedelta(days=35),
        stage_deadline=obligation.due_dates()[-1],
        stop=stop,
        screening=ScreeningRecord(
            eligible=True,
            risk=RiskAssessment(instrument="DA", score=9),
            risk_level=RiskLevel.MODERATE,
            flags=[],
        ),
        consents=list(consents)
        if consents is not None
        else [
            ConsentRecord(party=Party.VICTIM, given_at=T0 + timedelta(days=5), mode="shuttle"),
            ConsentRecord(party=Party.PARTICIPANT, given_at=T0 + timedelta(days=8)),
        ],
        victim_wants_updates=True,
        victim_statements=list(statements),
        facilitators=[
            Facilitator(id="ines-calloway", name="Ines Calloway", subject="staff-ines"),
            Facilitator(id="rory-abernathy", name="Rory Abernathy", subject="staff-rory"),
        ],
        meetings_held=["victim", "participant"],
        safety_plan_in_place=True,
        conference=ConferenceRecord(
            at=T0 + timedelta(days=30), location="Program office, room 2", result=conference_result
        ),
        agreement=Agreement(obligations=[obligation], summary="Group programme."),
        obligations=[
            ObligationProgress(
                index=0,
                kind=obligation.kind,
                description=obligation.description,
                occurrences=obligation.occurrences,
                next_due=obligation.first_due,
            )
        ],
        safety_events=list(safety_events) if safety_events is not None else [],
        directives=[DirectiveRecord(kind=DirectiveKind.CONTINUE, at=T0 + timedelta(days=50))],
        tasks=[
            Task(
                id="t-1",
                kind=TaskKind.VERIFY_EVIDENCE,
                roles=[Role.COORDINATOR],
                stage=Stage.MONITORING,
                opened_at=T0 + timedelta(days=41),
            )
        ],
        reports=[
            FiledReport(
                kind=ReportKind.AGREEMENT_REACHED,
                sequence=1,
                document_hash="0" * 64,
                court_reference="DEMO-FILE-1",
                filed_at=T0 + timedelta(days=31),
            )
        ],
        timeline=list(timeline)
        if timeline is not None
        else [
            TimelineEntry(at=T0, stage=Stage.REFERRED, event="referral received"),
            TimelineEntry(at=T0 + timedelta(days=30), stage=Stage.CONFERENCE, event="conference"),
        ],
    )


def safety_event(description: str) -> SafetyEventRecord:
    return SafetyEventRecord(
        kind=SafetyEventKind.ADVOCATE_ALERT, at=T0 + timedelta(days=45), description=description
    )
