"""A jurisdiction's staff directory (domain/staff_directory.py): an entry no notifier could
reach is refused when the file is loaded, word for word as the administrator reads it,
and a staff alert for a role reaches everyone who holds it."""

from domain.enums import Role
from domain.policy import DEMO_FILE, load_jurisdictions
from domain.staff_directory import StaffMember, staff_problems, staff_with_role
from tests.domain.test_policy import demo_with, refusal

AMARU_EMAIL = 'email = "amaru.quispe@demo-rj.example"'
INTERNATIONAL = "must be in international form (+ and the country code)"


def test_an_entry_with_no_address_at_all_is_refused_naming_it() -> None:
    assert refusal(demo_with(AMARU_EMAIL, "")) == (
        "test.toml: jurisdiction 'demo': staff.3: Amaru Quispe has neither email nor phone"
    )


def test_an_email_that_is_not_an_address_is_refused_naming_its_field() -> None:
    text = demo_with('email = "advocate@demo-rj.example"', 'email = "advocate at demo-rj"')
    assert refusal(text) == (
        "test.toml: jurisdiction 'demo': staff.1.email: Tuệ Lâm Nguyễn's email is not an "
        "email address"
    )


def test_a_national_phone_number_is_refused_since_no_country_is_guessed() -> None:
    text = demo_with(AMARU_EMAIL, 'phone = "(555) 010-0204"')
    assert refusal(text) == (
        f"test.toml: jurisdiction 'demo': staff.3.phone: Amaru Quispe's phone {INTERNATIONAL}"
    )


def test_every_problem_of_every_entry_is_named_in_one_message() -> None:
    text = demo_with('phone = "+15550100203"', 'phone = "0555 010 0203"')
    text = text.replace('email = "coordinator@demo-rj.example"', 'email = "coordinator@"', 1)
    text = text.replace(AMARU_EMAIL, "")
    assert refusal(text) == (
        "test.toml: jurisdiction 'demo': "
        "staff.0.email: Mariana Oyelaran-Souza's email is not an email address; "
        f"staff.2.phone: Astrid Halvorsen's phone {INTERNATIONAL}; "
        "staff.3: Amaru Quispe has neither email nor phone"
    )


def test_both_addresses_of_one_entry_are_checked() -> None:
    member = StaffMember(
        name="Søren Ibsen-Kawa", roles=[Role.FACILITATOR], email="soren@", phone="12345"
    )
    assert staff_problems([member]) == [
        "staff.0.email: Søren Ibsen-Kawa's email is not an email address",
        f"staff.0.phone: Søren Ibsen-Kawa's phone {INTERNATIONAL}",
    ]


def test_an_alert_for_a_role_reaches_everyone_who_holds_it_in_directory_order() -> None:
    staff = load_jurisdictions(DEMO_FILE)["demo"].staff
    names = {role: [m.name for m in staff_with_role(staff, role)] for role in Role}
    assert names[Role.COORDINATOR] == ["Mariana Oyelaran-Souza", "Astrid Halvorsen"]
    assert names[Role.VICTIM_ADVOCATE] == ["Tuệ Lâm Nguyễn", "Astrid Halvorsen"]
    assert names[Role.FACILITATOR] == ["Amaru Quispe"]
    assert names[Role.CLERK] == []
    assert staff_with_role([], Role.COORDINATOR) == []
