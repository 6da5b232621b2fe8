"""Need to know (DESIGN §2 rules 2-3, §5): properties of the views `case_view_for` builds."""

from dataclasses import dataclass
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.case import (
    CaseState,
    ConsentRecord,
    Statement,
    StopRecord,
    TimelineEntry,
)
from domain.case_views import PROGRAM_STAFF, case_view_for
from domain.court_view import CourtCaseView, court_view
from domain.enums import ConferenceResult, NotProceededReason, Outcome, Party, Role, Stage
from domain.referral import VictimContact
from domain.staff_view import AdvocateCaseView, StaffCaseView, staff_view
from tests.domain.factories import T0, make_case, safety_event

NON_ADVOCATE_ROLES = [r for r in Role if r is not Role.VICTIM_ADVOCATE]
COURT_ROLES = [Role.CLERK, Role.JUDGE, Role.INTEGRATOR]
NOW = T0 + timedelta(days=50)

# Distinctive tokens: a prefix no other text in the case uses, plus random digits.
digits = st.integers(min_value=10**6, max_value=10**9 - 1).map(str)


@dataclass(frozen=True)
class Secrets:
    phone: str
    email: str
    address: str
    safe_times: str
    unshared: tuple[str, ...]
    shared: tuple[str, ...]

    def contact(self) -> VictimContact:
        return VictimContact(
            phone=self.phone,
            email=self.email,
            address=self.address,
            safe_times_to_call=self.safe_times,
        )

    def statements(self) -> list[Statement]:
        return [Statement(text=t) for t in self.unshared] + [
            Statement(text=t, share_with_court=True) for t in self.shared
        ]

    def contact_values(self) -> list[str]:
        return [self.phone, self.email, self.address, self.safe_times]


@st.composite
def secrets(draw: st.DrawFn) -> Secrets:
    return Secrets(
        phone=f"+1-555-{draw(digits)}",
        email=f"vmail{draw(digits)}@shelter-mail.example",
        address=f"{draw(digits)} Quillfeather Hollow Rd, Apt {draw(digits)}",
        safe_times=f"SAFE-WINDOW-{draw(digits)} weekdays after school run",
        unshared=tuple(
            draw(st.lists(digits.map(lambda d: f"PRIVATE-STMT-{d} he frightened me"), max_size=3))
        ),
        shared=tuple(
            draw(st.lists(digits.map(lambda d: f"SHARED-STMT-{d} I want it to stop"), max_size=2))
        ),
    )


def case_with(s: Secrets) -> CaseState:
    return make_case(contact=s.contact(), statements=s.statements())


non_advocate_roles = st.sets(st.sampled_from(NON_ADVOCATE_ROLES), min_size=1)
roles_with_advocate = st.sets(st.sampled_from(list(Role))).map(lambda r: r | {Role.VICTIM_ADVOCATE})
court_side_roles = st.sets(st.sampled_from(COURT_ROLES))
any_roles = st.sets(st.sampled_from(list(Role)))


# --- which view ------------------------------------------------------------------------


@given(any_roles)
def test_each_caller_gets_the_view_of_their_roles(roles: set[Role]) -> None:
    view = case_view_for(make_case(), roles, NOW)
    if Role.VICTIM_ADVOCATE in roles:
        assert isinstance(view, AdvocateCaseView)
    elif roles & PROGRAM_STAFF:
        assert type(view) is StaffCaseView
    else:
        assert isinstance(view, CourtCaseView)


def test_roles_may_be_any_iterable() -> None:
    case = make_case(contact=VictimContact(phone="+1-555-7770001"))
    advocate = case_view_for(case, iter([Role.VICTIM_ADVOCATE]), NOW)
    assert isinstance(advocate, AdvocateCaseView)
    assert advocate.referral.victim.contact.phone == "+1-555-7770001"
    assert "+1-555-7770001" not in case_view_for(case, (Role.ADMIN,), NOW).model_dump_json()


# --- victim contact and the victim's words --------------------------------------------


@given(secrets(), non_advocate_roles)
def test_without_advocate_no_contact_or_unshared_words(s: Secrets, roles: set[Role]) -> None:
    dumped = case_view_for(case_with(s), roles, NOW).model_dump_json()
    for value in [*s.contact_values(), *s.unshared]:
        assert value not in dumped
    assert '"contact"' not in dumped


@given(secrets(), st.sets(st.sampled_from(sorted(PROGRAM_STAFF)), min_size=1))
def test_staff_read_the_shared_words(s: Secrets, roles: set[Role]) -> None:
    view = case_view_for(case_with(s), roles, NOW)
    assert isinstance(view, StaffCaseView)
    assert [x.text for x in view.victim_statements] == list(s.shared)


@given(secrets(), court_side_roles)
def test_the_court_view_carries_no_statement_at_all(s: Secrets, roles: set[Role]) -> None:
    """Shared statements reach the court in reports, where the victim chose to put them."""
    dumped = case_view_for(case_with(s), roles, NOW).model_dump_json()
    for text in s.shared:
        assert text not in dumped


@given(secrets(), roles_with_advocate)
def test_with_advocate_contact_and_all_words_present(s: Secrets, roles: set[Role]) -> None:
    view = case_view_for(case_with(s), roles, NOW)
    assert isinstance(view, AdvocateCaseView)
    assert view.referral.victim.contact == s.contact()
    assert [x.text for x in view.victim_statements] == list(s.unshared) + list(s.shared)
    assert [x.number for x in view.victim_statements] == list(
        range(1, len(s.unshared) + len(s.shared) + 1)
    )


@given(secrets())
def test_no_roles_at_all_sees_no_contact(s: Secrets) -> None:
    dumped = case_view_for(case_with(s), [], NOW).model_dump_json()
    for value in [*s.contact_values(), *s.unshared]:
        assert value not in dumped


def test_a_victim_detail_typed_into_an_agreement_item_is_withheld_from_the_court() -> None:
    case = make_case(contact=VictimContact(address="12 Kōwhai Lane, Ōtaki"))
    case.obligations[0].description = "Stay away from 12 Kōwhai Lane, Ōtaki"
    view = court_view(case, NOW)
    assert "Kōwhai" not in view.model_dump_json()
    assert view.obligations[0].description == "Stay away from [withheld]"


# --- court-side roles ------------------------------------------------------------------


@dataclass(frozen=True)
class StaffOnly:
    timeline_text: str
    cause: str
    alert: str


@st.composite
def staff_only(draw: st.DrawFn) -> StaffOnly:
    return StaffOnly(
        timeline_text=f"STAFF-NOTE-{draw(digits)} victim declined by phone",
        cause=f"CAUSE-{draw(digits)} victim withdrew after contact from family",
        alert=f"ALERT-{draw(digits)} participant seen outside her work",
    )


def court_sensitive_case(s: StaffOnly) -> CaseState:
    case = make_case(
        stage=Stage.CLOSED,
        timeline=[
            TimelineEntry(at=T0, stage=Stage.REFERRED, event="referral received"),
            TimelineEntry(
                at=T0 + timedelta(days=3),
                stage=Stage.ENGAGEMENT,
                event=s.timeline_text,
                audience="staff",
            ),
            TimelineEntry(
                at=T0 + timedelta(days=4), stage=Stage.CLOSED, event="closed: not_proceeded"
            ),
        ],
        consents=[
            ConsentRecord(
                party=Party.VICTIM,
                given_at=T0 + timedelta(days=1),
                mode="letter",
                withdrawn_at=T0 + timedelta(days=3),
            )
        ],
        stop=StopRecord(
            outcome=Outcome.NOT_PROCEEDED,
            reason=NotProceededReason.PROCESS_DID_NOT_PROCEED,
            cause=s.cause,
        ),
        safety_events=[safety_event(s.alert)],
    )
    case.outcome = Outcome.NOT_PROCEEDED
    return case


@given(staff_only(), court_side_roles)
def test_court_side_never_sees_staff_material(s: StaffOnly, roles: set[Role]) -> None:
    view = case_view_for(court_sensitive_case(s), roles, NOW)
    assert isinstance(view, CourtCaseView)
    assert [e.event for e in view.timeline] == ["referral received", "case closed"]
    assert view.outcome is Outcome.NOT_PROCEEDED
    assert view.not_proceeded_reason is NotProceededReason.PROCESS_DID_NOT_PROCEED
    dumped = view.model_dump_json()
    for text in (s.timeline_text, s.cause, s.alert, "withdrawn", "letter", "victim"):
        assert text not in dumped


@given(staff_only(), court_side_roles, st.sets(st.sampled_from(sorted(PROGRAM_STAFF))))
def test_any_program_staff_role_sees_staff_material(
    s: StaffOnly, court: set[Role], staff: set[Role]
) -> None:
    view = case_view_for(court_sensitive_case(s), court | staff, NOW)
    dumped = view.model_dump_json()
    if staff:
        assert isinstance(view, StaffCaseView)
        for text in (s.timeline_text, s.cause, s.alert):
            assert text in dumped
        assert len(view.consents) == 1
        assert view.screening is not None
    else:
        assert s.cause not in dumped


def test_the_court_reads_the_case_reference_hearing_and_agreed_items() -> None:
    case = make_case()
    view = court_view(case, NOW)
    assert view.court.case_number == case.referral.court.case_number
    assert view.participant.family_name == case.referral.participant.family_name
    assert view.next_hearing is not None and view.next_hearing.at == T0 + timedelta(days=60)
    assert [o.description for o in view.obligations] == [o.description for o in case.obligations]
    assert court_view(case, T0 + timedelta(days=61)).next_hearing is None


def test_no_obligations_reach_the_court_before_an_agreement() -> None:
    case = make_case()
    case.agreement = None
    assert court_view(case, NOW).obligations == []


def test_staff_list_each_filing_with_its_hash_reference_and_time() -> None:
    view = staff_view(make_case())
    assert [
        (r.kind, r.sequence, r.document_hash, r.court_reference, r.filed_at) for r in view.reports
    ] == [("agreement_reached", 1, "0" * 64, "DEMO-FILE-1", T0 + timedelta(days=31))]


# --- no mutation, no shared parts ------------------------------------------------------


@given(secrets(), staff_only(), any_roles)
def test_views_never_mutate_their_input(s: Secrets, x: StaffOnly, roles: set[Role]) -> None:
    case = court_sensitive_case(x)
    case.referral.victim.contact = s.contact()
    case.victim_statements = s.statements()
    before = case.model_dump_json()
    view = case_view_for(case, roles, NOW)
    assert case.model_dump_json() == before
    if isinstance(view, StaffCaseView):  # the view shares no mutable parts with the case
        view.timeline.clear()
        view.consents.clear()
        assert view.stop is not None
        view.stop.cause = "overwritten"
        view.referral.participant.given_name = "overwritten"
    assert case.model_dump_json() == before


@given(
    st.sampled_from([ConferenceResult.PARTICIPANT_NO_SHOW, ConferenceResult.VICTIM_NO_SHOW]),
    court_side_roles,
)
def test_court_side_is_not_told_which_party_missed_the_conference(
    result: ConferenceResult, roles: set[Role]
) -> None:
    case = make_case(conference_result=result, stage=Stage.CLOSED)
    dumped = case_view_for(case, roles, NOW).model_dump_json()
    assert result.value not in dumped and "no_show" not in dumped


@given(any_roles)
def test_adapter_settings_reach_no_role(roles: set[Role]) -> None:
    case = make_case()
    court = case.jurisdiction.court.model_copy(
        update={"settings": {"transport": {"root": "/srv/court/SECRET-PATH"}}}
    )
    police = case.jurisdiction.police.model_copy(
        update={"settings": {"client_id": "SECRET-CLIENT"}}
    )
    case.jurisdiction = case.jurisdiction.model_copy(update={"court": court, "police": police})
    dumped = case_view_for(case, roles, NOW).model_dump_json()
    assert "SECRET-PATH" not in dumped and "SECRET-CLIENT" not in dumped
    assert case.jurisdiction.court.settings  # the case itself keeps them


@given(any_roles)
def test_bookkeeping_reaches_no_role(roles: set[Role]) -> None:
    view = case_view_for(make_case(), roles, NOW).model_dump()
    for internal in (
        "next_task_number",
        "version",
        "notifications_sent",
        "continued_as_new",
        "stage_reminded",
        "stage_escalated",
        "breaches_reported",
        "obligations_started",
        "report_sequence",
    ):
        assert internal not in view
