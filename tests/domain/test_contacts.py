"""Contact addresses in normal form (domain/contacts.py): one spelling per phone number and
email address, so a person's opt-out is found however a referral or staff wrote it, and
the keyed hash that names their ledger. Numbers are from the ranges kept for drama
(555-01xx in North America, 020 7946 0xxx in London)."""

import pytest

from domain.contacts import (
    Contact,
    ContactKind,
    contact_hash,
    normal_email,
    normal_phone,
    parse_contact,
)

LONDON = "+442079460958"
KEY = b"lakeshore-ledger-key"


@pytest.mark.parametrize(
    "raw",
    ["+15550100201", " +1 555 010 0201 ", "+1 (555) 010-0201", "+1.555.010.0201", "+1/555/0100201"],
)
def test_separators_people_type_are_dropped(raw: str) -> None:
    assert normal_phone(raw) == "+15550100201"


@pytest.mark.parametrize("raw", ["0044 20 7946 0958", "00442079460958", "00 44 (20) 7946-0958"])
def test_a_00_prefix_is_the_international_plus(raw: str) -> None:
    assert normal_phone(raw) == LONDON
    assert normal_phone(raw, default_country_code="1") == LONDON  # its own country wins


@pytest.mark.parametrize("raw", ["020 7946 0958", "20 7946 0958", "(020) 7946-0958"])
def test_a_national_number_gets_the_default_country_code_without_its_trunk_0(raw: str) -> None:
    assert normal_phone(raw, default_country_code="44") == LONDON


def test_only_the_leading_trunk_0_is_dropped() -> None:
    assert normal_phone("020 7946 0950", default_country_code="44") == "+442079460950"


def test_a_number_with_a_country_code_keeps_it_whatever_the_default() -> None:
    assert normal_phone("+1 555 010 0201", default_country_code="44") == "+15550100201"


def test_a_national_number_without_a_default_is_not_guessed() -> None:
    assert normal_phone("020 7946 0958") is None
    assert normal_phone("555 010 0201", default_country_code="") is None


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "+",
        "+0 555 010 0201",  # no country code starts with 0
        "+123456",  # six digits: too short for any country
        "+1234567890123456",  # sixteen: longer than E.164 allows
        "+1 555 CALL NOW",
        "+1 555 010 0201 ext 4",
        "++15550100201",
    ],
)
def test_what_cannot_be_a_number_is_refused(raw: str) -> None:
    assert normal_phone(raw) is None
    assert normal_phone(raw, default_country_code="1") is None


def test_the_shortest_and_longest_e164_numbers_are_kept() -> None:
    assert normal_phone("+1234567") == "+1234567"
    assert normal_phone("+123456789012345") == "+123456789012345"


def test_an_email_address_is_trimmed_and_lower_cased() -> None:
    assert normal_email("  Aroha.Ngata@Example.ORG ") == "aroha.ngata@example.org"
    assert normal_email("ŞEYMA.yildiz@örnek.example") == "şeyma.yildiz@örnek.example"


@pytest.mark.parametrize(
    "raw",
    ["", "aroha", "aroha@", "@example.org", "aroha@example", "aroha@@example.org", "a b@x.org"],
)
def test_what_is_not_an_email_address_is_refused(raw: str) -> None:
    assert normal_email(raw) is None


def test_staff_type_an_email_or_a_phone_number_and_get_its_normal_form() -> None:
    assert parse_contact(" Kwame.Mensah@Example.org") == Contact(
        ContactKind.EMAIL, "kwame.mensah@example.org"
    )
    assert parse_contact("+1 (555) 010-0201") == Contact(ContactKind.PHONE, "+15550100201")
    assert parse_contact("020 7946 0958", default_country_code="44") == Contact(
        ContactKind.PHONE, LONDON
    )
    assert parse_contact("020 7946 0958") is None
    assert parse_contact("kwame.mensah@") is None  # an @ makes it an email, never a phone
    assert parse_contact("+1555@0100201") is None
    assert parse_contact("not a number") is None


def test_a_contacts_hash_is_keyed_and_stable() -> None:
    phone = Contact(ContactKind.PHONE, "+15550100201")
    # A ledger's workflow id holds this hash: a change to it would lose every opt-out
    # recorded before, so the value itself is pinned.
    assert contact_hash(phone, KEY) == (
        "fda54c60795a201fb7bbe4300978af7c215e7b2efb4812636c959c79439a4208"
    )
    assert contact_hash(phone, b"riverbend-ledger-key") != contact_hash(phone, KEY)
    assert "5550100201" not in contact_hash(phone, KEY)


def test_one_person_however_written_has_one_hash() -> None:
    typed = [parse_contact(raw) for raw in ("+1 555 010 0201", "001-555-010-0201", "+15550100201")]
    assert len({contact_hash(c, KEY) for c in typed if c is not None}) == 1
    emails = [parse_contact(raw) for raw in ("Aroha.Ngata@example.org", "aroha.ngata@EXAMPLE.org")]
    assert len({contact_hash(c, KEY) for c in emails if c is not None}) == 1
    assert contact_hash(Contact(ContactKind.PHONE, "+15550100202"), KEY) != contact_hash(
        Contact(ContactKind.PHONE, "+15550100201"), KEY
    )


def test_the_kind_is_part_of_what_is_hashed() -> None:
    assert contact_hash(Contact(ContactKind.EMAIL, "x"), KEY) != contact_hash(
        Contact(ContactKind.PHONE, "x"), KEY
    )
    assert contact_hash(Contact(ContactKind.EMAIL, "aroha.ngata@example.org"), KEY) == (
        "e8d479a18025efa51e6dffcbf2e49a13d5eb8d2d1fdeb2855f619fa6463cbbff"
    )
