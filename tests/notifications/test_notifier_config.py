"""A jurisdiction's notifier and staff directory: chosen in its config, refused at load
naming the jurisdiction and field, built once per worker, never in a case's snapshot."""

from pathlib import Path

import pytest

from activities.adapter_directory import AdapterDirectory
from activities.addressing import Recipient, Unaddressed, recipients
from adapters import registry
from adapters.errors import AdapterConfigError
from adapters.notifiers.base import Channel
from adapters.notifiers.choice import notifier_for
from adapters.notifiers.outbox import OutboxNotifier
from adapters.notifiers.smtp import SmtpNotifier
from diversion.cli import main
from domain.enums import Role
from domain.policy import DEMO_FILE, PolicyError, parse_jurisdictions
from domain.staff_directory import NotifierChoice
from tests.notifications.examples import DEMO, STAFF, jurisdiction, to_participant, to_staff
from tests.workflows.conftest import TEST_CONTACT_KEY


def demo_with(extra: str) -> str:
    return DEMO_FILE.read_text(encoding="utf-8") + "\n" + extra


def test_the_demo_uses_the_outbox_and_lists_its_staff(tmp_path: Path) -> None:
    assert DEMO.notifier == NotifierChoice(kind="outbox")
    assert {role for member in DEMO.staff for role in member.roles} >= {
        Role.COORDINATOR,
        Role.VICTIM_ADVOCATE,
    }
    directory = AdapterDirectory({"demo": DEMO}, outbox_dir=tmp_path)
    notifier = directory.notifier("demo")
    assert notifier is directory.notifier("demo")  # built once
    assert isinstance(notifier, OutboxNotifier) and notifier.settings.folder == tmp_path


def test_an_unknown_notifier_is_refused_naming_jurisdiction_and_field() -> None:
    pigeon = DEMO.model_copy(update={"notifier": NotifierChoice(kind="pigeon")})
    with pytest.raises(
        AdapterConfigError, match=r"jurisdiction 'demo': notifier\.kind: .*'pigeon'"
    ):
        AdapterDirectory({"demo": pigeon})


def test_bad_notifier_settings_are_refused_naming_the_field() -> None:
    smtp = jurisdiction("smtp", {"host": "smtp.example.org", "from_address": "nobody", "prot": 25})
    with pytest.raises(AdapterConfigError) as refused:
        notifier_for(smtp)
    message = str(refused.value)
    assert message.startswith("jurisdiction 'demo': ")
    assert "notifier.settings.from_address" in message and "notifier.settings.prot" in message


def test_an_smtp_notifier_is_built_from_its_settings() -> None:
    smtp = jurisdiction("smtp", {"host": "smtp.example.org", "from_address": "rj@example.org"})
    notifier = notifier_for(smtp)
    assert isinstance(notifier, SmtpNotifier)
    assert notifier.settings.port == 587 and notifier.settings.security == "starttls"


def test_an_unreachable_staff_entry_is_refused_at_load() -> None:
    text = demo_with(
        '[[jurisdictions.demo.staff]]\nname = "Chidi Okafor"\nroles = ["coordinator"]\n'
        'phone = "555 0100"\n\n'
        '[[jurisdictions.demo.staff]]\nname = "Ayelet Ben-David"\nroles = ["victim_advocate"]\n'
    )
    with pytest.raises(PolicyError) as refused:
        parse_jurisdictions(text, "j.toml")
    message = str(refused.value)
    assert "jurisdiction 'demo'" in message
    assert "staff.4.phone: Chidi Okafor's phone must be in international form" in message
    assert "staff.5: Ayelet Ben-David has neither email nor phone" in message


def test_a_staff_role_that_does_not_exist_is_refused() -> None:
    text = demo_with(
        '[[jurisdictions.demo.staff]]\nname = "Lior"\nroles = ["janitor"]\nemail = "l@x.example"\n'
    )
    with pytest.raises(PolicyError, match=r"jurisdiction 'demo': staff\.4\.roles\.0"):
        parse_jurisdictions(text, "j.toml")


def test_a_case_snapshot_holds_neither_notifier_nor_staff() -> None:
    sms = jurisdiction("sms", {"from_number": "+15550100999"})
    dumped = sms.model_dump(mode="json")
    assert "notifier" not in dumped and "staff" not in dumped
    assert "+15550100999" not in sms.model_dump_json()


def test_a_staff_message_goes_to_every_holder_of_the_role_by_the_notifiers_channel() -> None:
    found = recipients(
        to_staff(Role.COORDINATOR), STAFF, frozenset({Channel.EMAIL}), TEST_CONTACT_KEY
    )
    assert isinstance(found, list)
    assert [(r.channel, r.address) for r in found] == [
        (Channel.EMAIL, "mariana@demo-rj.example"),
        (Channel.EMAIL, "bjorn@demo-rj.example"),
    ]
    assert len({r.message_id for r in found}) == 2  # one deterministic id per person
    again = recipients(
        to_staff(Role.COORDINATOR), STAFF, frozenset({Channel.EMAIL}), TEST_CONTACT_KEY
    )
    assert isinstance(again, list) and [r.message_id.rsplit(".", 1)[1] for r in again] == [
        r.message_id.rsplit(".", 1)[1] for r in found
    ]


def test_an_urgent_alert_prefers_a_text_where_the_notifier_has_both() -> None:
    both = frozenset({Channel.EMAIL, Channel.SMS})
    urgent = recipients(to_staff(Role.COORDINATOR, urgent=True), STAFF, both, TEST_CONTACT_KEY)
    routine = recipients(to_staff(Role.COORDINATOR), STAFF, both, TEST_CONTACT_KEY)
    assert isinstance(urgent, list) and isinstance(routine, list)
    assert {r.channel for r in urgent} == {Channel.SMS}
    assert {r.channel for r in routine} == {Channel.EMAIL}


def test_a_staff_member_without_the_notifiers_channel_is_not_reached() -> None:
    advocates = recipients(
        to_staff(Role.VICTIM_ADVOCATE), STAFF, frozenset({Channel.EMAIL}), TEST_CONTACT_KEY
    )
    assert isinstance(advocates, list)
    assert [r.address for r in advocates] == ["bjorn@demo-rj.example"]  # Tuệ Lâm has no email
    only_phone = [m for m in STAFF if m.email is None]
    nobody = recipients(
        to_staff(Role.VICTIM_ADVOCATE), only_phone, frozenset({Channel.EMAIL}), TEST_CONTACT_KEY
    )
    assert nobody == Unaddressed("no victim advocate in the staff directory has an email address")


def test_the_participant_is_texted_first_then_emailed() -> None:
    notification = to_participant(email="kwame@mail.example")
    texted = recipients(notification, STAFF, frozenset({Channel.SMS, Channel.EMAIL}), b"k" * 32)
    emailed = recipients(notification, STAFF, frozenset({Channel.EMAIL}), b"k" * 32)
    assert isinstance(texted, list) and isinstance(emailed, list)
    assert [r.address for r in texted] == ["+15550100418"]
    assert [r.address for r in emailed] == ["kwame@mail.example"]
    assert texted[0].message_id == notification.id  # one person: the case's own id


def test_the_outbox_records_once_for_the_role_or_the_participant() -> None:
    outbox = frozenset({Channel.OUTBOX})
    [staff] = recipients(to_staff(), STAFF, outbox, b"k" * 32)  # type: ignore[misc]
    [person] = recipients(to_participant(email="kwame@mail.example"), STAFF, outbox, b"k" * 32)  # type: ignore[misc]
    assert isinstance(staff, Recipient) and (staff.address, staff.contacts) == ("coordinator", ())
    assert isinstance(person, Recipient) and person.address == "participant"
    assert len(person.contacts) == 2  # a STOP on either holds the message


def test_the_notifiers_are_registered_by_entry_point() -> None:
    assert registry.names(registry.NOTIFIERS) == ["outbox", "sms", "smtp"]


def test_jurisdictions_check_builds_the_notifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DEMO_FILE.read_text(encoding="utf-8").replace(
        '[jurisdictions.demo.notifier]\nkind = "outbox"',
        '[jurisdictions.demo.notifier]\nkind = "sms"\n'
        'settings = { account_sid_env = "UNSET_TWILIO_SID", auth_token_env = "UNSET_TWILIO_TOKEN", '
        'from_number = "+15550100999" }',
    )
    (tmp_path / "j.toml").write_text(text, encoding="utf-8")
    assert main(["jurisdictions", "check", str(tmp_path / "j.toml")]) == 1
    err = capsys.readouterr().err
    assert "jurisdiction 'demo': notifier.settings.account_sid_env: " in err
    assert "UNSET_TWILIO_SID (the Twilio account SID) is not set" in err
    assert main(["jurisdictions", "check", str(DEMO_FILE)]) == 0
    assert "notifier outbox, staff directory 4" in capsys.readouterr().out


def test_a_number_without_country_code_is_completed_only_when_the_notifier_says_how() -> None:
    local = to_participant(phone="(555) 0100-418")
    sms = frozenset({Channel.SMS})
    assert isinstance(recipients(local, STAFF, sms, b"k" * 32), Unaddressed)
    [texted] = recipients(local, STAFF, sms, b"k" * 32, default_country_code="1")  # type: ignore[misc]
    assert isinstance(texted, Recipient) and texted.address == "+15550100418"
    uk = to_participant(phone="07700 900123")
    [uk_texted] = recipients(uk, STAFF, sms, b"k" * 32, default_country_code="44")  # type: ignore[misc]
    assert isinstance(uk_texted, Recipient) and uk_texted.address == "+447700900123"
