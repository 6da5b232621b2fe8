"""What every message kind says (issue 15): a participant's message never holds the
victim's name or contact details, the charge or a word that tells what the programme is
for; a staff message never holds her contact details. Checked over generated cases with
names in many scripts, their contact details and charges typed into every free-text field."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.agreement import Obligation
from domain.case import CaseState, Statement
from domain.enums import ObligationKind, Role
from domain.message_kinds import (
    FORBIDDEN_FOR_PARTICIPANT,
    PARTICIPANT_KINDS,
    URGENT_KINDS,
    MessageKind,
    StaffContext,
    staff_context,
)
from domain.referral import Charge, Victim, VictimContact
from domain.reports import Notification
from rendering.message_text import TEMPLATES, participant_message, render_message
from tests.domain.factories import make_case
from workflows import notices

STAFF_KINDS = sorted(set(MessageKind) - PARTICIPANT_KINDS)
ZONES = ["America/Chicago", "Pacific/Tongatapu", "Pacific/Honolulu", "Pacific/Auckland"]

# Letters of several scripts; a name of them holds at least one letter no template has.
SCRIPTS = [
    "абвгдежзиклмнопрстуфхцчшщыэюя",  # Cyrillic
    "αβγδεζηθικλμνξοπρστυφχψω",  # Greek
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",  # Arabic
    "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह",  # Devanagari
    "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗",  # Han
    "가나다라마바사아자차카타파하민서지",  # Hangul
    "āēīōūñçøåæœßğışżźł",  # Latin with marks
]
# Invented names in plain Latin letters, none a word or a date's part in any template.
LATIN_NAMES = ["Okafor", "Lindqvist", "Tuilagi", "Kahale", "Quispe", "Adeyemi", "Nakamura"]

names = st.sampled_from(LATIN_NAMES) | st.sampled_from(SCRIPTS).flatmap(
    lambda letters: st.text(alphabet=letters, min_size=2, max_size=12)
)
digits = st.text(alphabet="0123456789", min_size=6, max_size=9)
contacts = st.builds(
    VictimContact,
    phone=digits.map(lambda d: f"+64 21 {d}"),
    email=st.tuples(names, digits).map(lambda p: f"{p[0]}.{p[1]}@example.org"),
    address=st.tuples(digits, names).map(lambda p: f"{p[0][:3]} {p[1]} Road, Unit 9"),
    safe_times_to_call=st.sampled_from(
        ["Weekdays 10:00-14:00", "after 18:30 only", "never Sundays"]
    ),
)
charge_texts = st.sampled_from(
    [
        "Assault causing bodily injury, family member",
        "Domestic battery",
        "Breach of a protection order",
        "Strangulation, intimate partner",
        "Harassment by telephone",
    ]
)
statutes = st.tuples(st.sampled_from(["DEMO PEN. CODE", "720 ILCS", "Crimes Act 1961 s"]), digits)
charges = st.builds(
    Charge,
    statute=statutes.map(lambda s: f"{s[0]} {s[1][:3]}.{s[1][3:]}"),
    description=charge_texts,
)


@st.composite
def cases(draw: st.DrawFn) -> CaseState:
    case = make_case(contact=draw(contacts), statements=[Statement(text=draw(charge_texts))])
    case.referral.victim = Victim(
        given_name=draw(names), family_name=draw(names), contact=case.referral.victim.contact
    )
    case.referral.charges = draw(st.lists(charges, min_size=1, max_size=3))
    case.jurisdiction = case.jurisdiction.model_copy(
        update={"timezone": draw(st.sampled_from(ZONES))}
    )
    return case


def secrets_of(case: CaseState) -> list[str]:
    victim = case.referral.victim
    contact = [v for v in victim.contact.model_dump().values() if v]
    charged = [t for c in case.referral.charges for t in (c.statute, c.description) if t]
    return [victim.given_name, victim.family_name, *contact, *charged]


def all_about_her(case: CaseState) -> str:
    """A staff member's free text that quotes everything of the victim and the charge."""
    return "; ".join(f"note {s} here" for s in secrets_of(case))


def outgoing(message: Notification) -> str:
    """Everything that leaves: what a phone or a mailbox shows."""
    return "\n".join([message.subject, message.body, message.opt_out])


def to_participant(kind: MessageKind, case: CaseState, item: Obligation, n: int) -> Notification:
    due = item.due_dates()[n]
    text = participant_message(kind, item, n, due, case.jurisdiction.timezone)
    return notices.notification("n1", case.case_id, "demo", kind, text, due, phone="+1 555 0100")


@settings(max_examples=150, deadline=None)
@given(
    cases(),
    st.sampled_from(sorted(PARTICIPANT_KINDS)),
    st.sampled_from(list(ObligationKind)),
    st.integers(0, 4),
    st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
)
def test_no_participant_message_tells_of_her_the_charge_or_the_harm(
    case: CaseState, kind: MessageKind, item_kind: ObligationKind, n: int, due: datetime
) -> None:
    item = Obligation(
        kind=item_kind,
        description=f"Apology to {all_about_her(case)}, domestic violence victim",
        provider=f"Abuse programme for {case.referral.victim.given_name}",
        first_due=due,
        every_days=7,
        occurrences=5,
    )
    sent = outgoing(to_participant(kind, case, item, n))
    for secret in secrets_of(case):
        assert secret not in sent, f"{secret!r} reached the participant: {sent}"
    for word in FORBIDDEN_FOR_PARTICIPANT:
        assert word not in sent.casefold(), f"{word!r} reached the participant: {sent}"
    # Nothing of the case but the item's kind and its date reaches him.
    plain = item.model_copy(update={"description": "x", "provider": None})
    assert sent == outgoing(to_participant(kind, case, plain, n))


@settings(max_examples=150, deadline=None)
@given(cases(), st.sampled_from(STAFF_KINDS), st.integers(1, 9))
def test_no_staff_message_holds_her_contact_details(
    case: CaseState, kind: MessageKind, count: int
) -> None:
    quoted = all_about_her(case)
    facts: dict[str, str | int] = {
        name: quoted for name in ("task", "subject", "stage", "due", "deadline", "detail", "item")
    }
    text = render_message(kind, staff_context(case, **facts, count=count, total=count))
    sent = f"{text.subject}\n{text.body}"
    for detail in (v for v in case.referral.victim.contact.model_dump().values() if v):
        assert detail not in sent, f"{detail!r} reached staff by {kind}: {sent}"
    unshared = case.victim_statements[0].text
    assert unshared not in sent


def test_every_kind_has_its_template_and_participant_words_are_plain() -> None:
    assert set(TEMPLATES) == set(MessageKind)
    for kind in PARTICIPANT_KINDS:
        for item_kind in ObligationKind:
            item = Obligation(
                kind=item_kind, description="d", first_due=datetime(2026, 3, 2, tzinfo=UTC)
            )
            text = participant_message(kind, item, 0, item.first_due, "America/Chicago")
            assert text.subject in ("Reminder", "Warning")
            # Midnight UTC is the evening before in Chicago: local, with its abbreviation.
            assert "due Sun 1 Mar 2026, 18:00 CST" in text.body
            assert not {w for w in FORBIDDEN_FOR_PARTICIPANT if w in text.body.casefold()}


def test_only_a_participant_message_carries_the_opt_out_and_safety_alerts_are_urgent() -> None:
    case = make_case()
    at = datetime(2026, 3, 2, tzinfo=UTC)
    for kind in STAFF_KINDS:
        text = render_message(kind, StaffContext(case_number="CR-1", count=2, total=3))
        staff = notices.notification(
            "n", case.case_id, "demo", kind, text, at, role=Role.COORDINATOR
        )
        assert staff.opt_out == "" and staff.participant_phone is None
        assert staff.urgent is (kind in URGENT_KINDS)
        assert text.body.startswith("Case CR-1: ")
    item = Obligation(kind=ObligationKind.COUNSELLING, description="d", first_due=at)
    him = to_participant(MessageKind.OBLIGATION_REMINDER, case, item, 0)
    assert "STOP" in him.opt_out and not him.urgent and him.to_participant
    assert him.participant_phone == "+1 555 0100" and him.to_role is None


def test_a_reminder_reads_in_the_jurisdictions_time() -> None:
    item = Obligation(
        kind=ObligationKind.COMMUNITY_WORK,
        description="d",
        first_due=datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
        every_days=7,
        occurrences=3,
    )
    due = item.first_due + timedelta(days=7)
    tonga = participant_message(MessageKind.OBLIGATION_REMINDER, item, 1, due, "Pacific/Tongatapu")
    honolulu = participant_message(
        MessageKind.OBLIGATION_REMINDER, item, 1, due, "Pacific/Honolulu"
    )
    assert "your community work (2 of 3) is due Tue 10 Mar 2026, 04:00 UTC+13." in tonga.body
    assert "your community work (2 of 3) is due Mon 9 Mar 2026, 05:00 HST." in honolulu.body
