"""Need to know (DESIGN §2 rules 2-3, §5): properties of `redact_case`."""

from dataclasses import dataclass
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.case import CaseState, ConsentRecord, Statement, StopRecord, TimelineEntry
from domain.enums import ConferenceResult, NotProceededReason, Outcome, Party, Role, Stage
from domain.redaction import PROGRAM_STAFF, redact_case
from domain.referral import VictimContact
from tests.domain.factories import T0, make_case, safety_event

NON_ADVOCATE_ROLES = [r for r in Role if r is not Role.VICTIM_ADVOCATE]
COURT_ROLES = [Role.CLERK, Role.JUDGE, Role.INTEGRATOR]

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


# --- victim contact and the victim's words --------------------------------------------


@given(secrets(), non_advocate_roles)
def test_without_advocate_no_contact_or_unshared_words(s: Secrets, roles: set[Role]) -> None:
    case = case_with(s)
    view = redact_case(case, roles)
    dumped = view.model_dump_json()
    for value in s.contact_values():
        assert value not in dumped
    assert view.referral.victim.contact == VictimContact()
    for text in s.unshared:
        assert text not in dumped
    assert all(st_.share_with_court for st_ in view.victim_statements)


@given(secrets(), non_advocate_roles)
def test_without_advocate_shared_words_remain(s: Secrets, roles: set[Role]) -> None:
    view = redact_case(case_with(s), roles)
    assert [x.text for x in view.victim_statements] == list(s.shared)


@given(secrets(), roles_with_advocate)
def test_with_advocate_contact_and_all_words_present(s: Secrets, roles: set[Role]) -> None:
    case = case_with(s)
    view = redact_case(case, roles)
    dumped = view.model_dump_json()
    for value in s.contact_values():
        assert value in dumped
    assert view.referral.victim.contact == s.contact()
    assert [x.text for x in view.victim_statements] == list(s.unshared) + list(s.shared)


@given(secrets())
def test_no_roles_at_all_sees_no_contact(s: Secrets) -> None:
    dumped = redact_case(case_with(s), []).model_dump_json()
    for value in [*s.contact_values(), *s.unshared]:
        assert value not in dumped


def test_roles_may_be_any_iterable() -> None:
    case = make_case(contact=VictimContact(phone="+1-555-7770001"))
    assert redact_case(case, iter([Role.VICTIM_ADVOCATE])).referral.victim.contact.phone
    assert redact_case(case, (Role.ADMIN,)).referral.victim.contact.phone is None


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
    return make_case(
        stage=Stage.CLOSED,
        timeline=[
            TimelineEntry(at=T0, stage=Stage.REFERRED, event="referral received"),
            TimelineEntry(
                at=T0 + timedelta(days=3),
                stage=Stage.ENGAGEMENT,
                event=s.timeline_text,
                audience="staff",
            ),
            TimelineEntry(at=T0 + timedelta(days=4), stage=Stage.CLOSED, event="closed"),
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


@given(staff_only(), court_side_roles)
def test_court_side_never_sees_staff_material(s: StaffOnly, roles: set[Role]) -> None:
    view = redact_case(court_sensitive_case(s), roles)
    dumped = view.model_dump_json()
    assert all(e.audience == "court" for e in view.timeline)
    assert [e.event for e in view.timeline] == ["referral received", "closed"]
    assert view.consents == []
    assert view.stop is not None
    assert view.stop.cause == "restorative process did not proceed"
    assert view.stop.reason is NotProceededReason.PROCESS_DID_NOT_PROCEED
    assert view.screening is None
    assert [e.description for e in view.safety_events] == [""]
    for text in (s.timeline_text, s.cause, s.alert, '"withdrawn_at"', '"mode":"letter"'):
        assert text not in dumped


@given(staff_only(), court_side_roles, st.sets(st.sampled_from(sorted(PROGRAM_STAFF))))
def test_any_program_staff_role_sees_staff_material(
    s: StaffOnly, court: set[Role], staff: set[Role]
) -> None:
    roles = court | staff
    view = redact_case(court_sensitive_case(s), roles)
    dumped = view.model_dump_json()
    if staff:
        for text in (s.timeline_text, s.cause, s.alert):
            assert text in dumped
        assert len(view.consents) == 1
        assert view.screening is not None
    else:
        assert s.cause not in dumped


def test_court_side_view_keeps_the_neutral_outcome() -> None:
    case = court_sensitive_case(StaffOnly("STAFF-NOTE-1", "CAUSE-1", "ALERT-1"))
    view = redact_case(case, [Role.JUDGE])
    assert view.stop is not None
    assert view.stop.outcome is Outcome.NOT_PROCEEDED
    assert view.stage is Stage.CLOSED
    assert view.referral.court.case_number == case.referral.court.case_number


# --- no mutation -----------------------------------------------------------------------


@given(secrets(), staff_only(), any_roles)
def test_redaction_never_mutates_its_input(s: Secrets, x: StaffOnly, roles: set[Role]) -> None:
    case = court_sensitive_case(x)
    case.referral.victim.contact = s.contact()
    case.victim_statements = s.statements()
    before = case.model_dump_json()
    view = redact_case(case, roles)
    assert case.model_dump_json() == before
    # The view shares no mutable parts with the case.
    view.referral.victim.contact.phone = "overwritten"
    view.timeline.clear()
    view.consents.clear()
    if view.stop is not None:
        view.stop.cause = "overwritten"
    view.victim_statements.clear()
    assert case.model_dump_json() == before


def test_court_side_conference_result_agreement_is_visible() -> None:
    view = redact_case(make_case(conference_result=ConferenceResult.AGREEMENT), [Role.JUDGE])
    assert view.conference.result is ConferenceResult.AGREEMENT


# --- found bug (see the report) --------------------------------------------------------


@given(
    st.sampled_from([ConferenceResult.PARTICIPANT_NO_SHOW, ConferenceResult.VICTIM_NO_SHOW]),
    court_side_roles,
)
def test_court_side_is_not_told_which_party_missed_the_conference(
    result: ConferenceResult, roles: set[Role]
) -> None:
    case = make_case(
        conference_result=result,
        stage=Stage.CLOSED,
        stop=StopRecord(
            outcome=Outcome.NOT_PROCEEDED,
            reason=NotProceededReason.PROCESS_DID_NOT_PROCEED,
            cause="no-show",
        ),
    )
    view = redact_case(case, roles)
    assert view.conference.result is not result
    dumped = view.model_dump_json()
    assert f'"{result.value}"' not in dumped


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
    dumped = redact_case(case, roles).model_dump_json()
    assert "SECRET-PATH" not in dumped and "SECRET-CLIENT" not in dumped
    assert case.jurisdiction.court.settings  # the case itself keeps them
