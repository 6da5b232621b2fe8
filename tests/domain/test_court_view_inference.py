"""The court cannot infer who declined, withdrew or missed (DESIGN §2 rule 2): whatever
the case records about consents, meetings, reschedules, no-shows, tasks, counters, staff
notes, what the victim asked for or which messages reached whom, the court's view of it is
the same.

The workflow-level twin of this test (tests/workflows/test_court_cannot_tell.py) runs
real pairs of cases; this one varies every such field at once, many times over.
"""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.case import CaseState, ConsentRecord, Statement, TimelineEntry
from domain.court_reports import build_report
from domain.court_view import court_view
from domain.enums import (
    ConferenceResult,
    ConsentMode,
    NotProceededReason,
    Party,
    ReportKind,
    Role,
    Stage,
    TaskKind,
)
from domain.message_kinds import MessageKind
from domain.message_log import PARTICIPANT, MessageRecord
from domain.notifications import DeliveryStatus
from domain.referral import VictimContact
from domain.tasks import Task
from tests.domain.factories import T0, make_case

NOW = T0 + timedelta(days=50)
moments = st.integers(min_value=0, max_value=40 * 24).map(lambda h: T0 + timedelta(hours=h))
digits = st.integers(min_value=10**6, max_value=10**9 - 1).map(str)
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)

# Timeline entries a court must never read, whoever wrote them and for whom.
HIDDEN_EVENTS = [
    "conference to be rescheduled",
    "conference scheduled",
    "victim consented",
    "participant consented",
    "victim withdrew consent",
    "participant withdrew consent",
    "new police incident",
    "safety event reported",
    "record_outcome done",
]


@st.composite
def consent_records(draw: st.DrawFn) -> list[ConsentRecord]:
    parties = draw(st.lists(st.sampled_from(list(Party)), unique=True))
    return [
        ConsentRecord(
            party=p,
            given_at=draw(st.none() | moments),
            mode=draw(st.none() | st.sampled_from([m.value for m in ConsentMode])),
            withdrawn_at=draw(st.none() | moments),
        )
        for p in parties
    ]


@st.composite
def hidden_timeline(draw: st.DrawFn) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            at=draw(moments),
            stage=draw(st.sampled_from(list(Stage))),
            event=draw(st.sampled_from(HIDDEN_EVENTS) | words.map(lambda w: f"note: {w}")),
            audience=draw(st.sampled_from(["court", "staff"])),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]


@st.composite
def tasks(draw: st.DrawFn) -> list[Task]:
    return [
        Task(
            id=f"t{n}",
            kind=draw(st.sampled_from(list(TaskKind))),
            roles=[draw(st.sampled_from(list(Role)))],
            stage=draw(st.sampled_from(list(Stage))),
            opened_at=draw(moments),
            done_at=draw(st.none() | moments),
            cancelled=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 4)))
    ]


@st.composite
def message_log(draw: st.DrawFn) -> list[MessageRecord]:
    """Which reminders reached him, which he opted out of, which alerts reached nobody."""
    return [
        MessageRecord(
            id=f"m{n}",
            kind=draw(st.sampled_from(list(MessageKind))),
            to=draw(st.sampled_from([PARTICIPANT, *Role])),
            status=draw(st.sampled_from(list(DeliveryStatus))),
            at=draw(moments),
            held_until=draw(st.none() | moments),
            detail=draw(words),
        )
        for n in range(draw(st.integers(0, 4)))
    ]


@st.composite
def what_only_staff_know(draw: st.DrawFn) -> dict[str, object]:
    """Values for every field of the case the court must not be able to read."""
    return {
        "consents": draw(consent_records()),
        "victim_wants_updates": draw(st.booleans()),
        "victim_statements": [
            Statement(text=f"PRIVATE {t}") for t in draw(st.lists(words, max_size=2))
        ],
        "meetings_held": draw(st.lists(st.sampled_from(["victim", "participant"]))),
        "safety_plan_in_place": draw(st.booleans()),
        "conference_result": draw(st.none() | st.sampled_from(list(ConferenceResult))),
        "reschedules": draw(st.integers(0, 3)),
        "notifications_sent": draw(st.integers(0, 500)),
        "next_task_number": draw(st.integers(1, 500)),
        "version": draw(st.integers(0, 5000)),
        "continued_as_new": draw(st.integers(0, 9)),
        "stage_reminded": draw(st.booleans()),
        "stage_escalated": draw(st.booleans()),
        "tasks": draw(tasks()),
        "messages": draw(message_log()),
        "hidden": draw(hidden_timeline()),
        "stop_cause": draw(words),
        "contact": VictimContact(
            phone=draw(st.none() | digits.map(lambda d: f"+64 21 {d}")),
            email=draw(st.none() | digits.map(lambda d: f"whanau{d}@example.org.nz")),
        ),
    }


def with_staff_knowledge(base: CaseState, known: dict[str, object]) -> CaseState:
    case = base.model_copy(deep=True)
    for name in (
        "consents",
        "victim_wants_updates",
        "victim_statements",
        "meetings_held",
        "safety_plan_in_place",
        "notifications_sent",
        "next_task_number",
        "version",
        "continued_as_new",
        "stage_reminded",
        "stage_escalated",
        "tasks",
        "messages",
    ):
        setattr(case, name, known[name])
    case.conference.result = known["conference_result"]  # type: ignore[assignment]
    case.conference.reschedules = known["reschedules"]  # type: ignore[assignment]
    case.referral.victim.contact = known["contact"]  # type: ignore[assignment]
    hidden = known["hidden"]
    assert isinstance(hidden, list)
    case.timeline = sorted([*case.timeline, *hidden], key=lambda e: e.at)
    if case.stop is not None:
        case.stop.cause = str(known["stop_cause"])
    return case


def closed_case() -> CaseState:
    from domain.case import StopRecord
    from domain.enums import Outcome

    case = make_case(
        stage=Stage.CLOSED,
        stop=StopRecord(
            outcome=Outcome.NOT_PROCEEDED,
            reason=NotProceededReason.PROCESS_DID_NOT_PROCEED,
            cause="",
        ),
    )
    case.outcome = Outcome.NOT_PROCEEDED
    return case


cases = st.sampled_from([make_case, closed_case])


@given(cases, what_only_staff_know(), what_only_staff_know())
def test_the_court_view_cannot_tell_two_cases_apart(
    base: object, one: dict[str, object], other: dict[str, object]
) -> None:
    assert callable(base)
    case = base()
    first = court_view(with_staff_knowledge(case, one), NOW)
    second = court_view(with_staff_knowledge(case, other), NOW)
    assert first == second


@given(cases, what_only_staff_know(), what_only_staff_know(), st.sampled_from(list(ReportKind)))
def test_no_report_can_tell_two_cases_apart(
    base: object, one: dict[str, object], other: dict[str, object], kind: ReportKind
) -> None:
    assert callable(base)
    case = base()
    reason = NotProceededReason.PROCESS_DID_NOT_PROCEED
    first = build_report(with_staff_knowledge(case, one), kind, NOW, reason)
    second = build_report(with_staff_knowledge(case, other), kind, NOW, reason)
    assert first == second
