"""What the drop-folder intake keeps holds no victim contact detail in plaintext.

Court documents (ECF 4.01, the demo court's format) go through one intake pass, some
processed and some quarantined; then every file under the data directory, the court's
drop folder included, is searched for the victim's phone, email and address in the forms
a leak would take (UTF-8, UTF-16, base64). Each kept document still opens by its id, to
the very bytes the court sent, and only with a key that sealed it.
"""

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest

from diversion import folder_intake
from diversion.codec import PayloadDecryptionError, parse_keys
from diversion.kept_documents import KeptDocuments
from diversion.sealed_store import NoPayloadKeyError
from diversion.settings import Settings
from domain.policy import DEMO_FILE, Jurisdiction, load_jurisdictions
from tests.test_folder_intake import CLIENT, FakeStarter, use

ECF4 = Path(__file__).parent / "fixtures" / "courts" / "ecf4"
PLAIN = (ECF4 / "referral-plain.xml").read_bytes()
OLD_KEY = "k0:" + base64.b64encode(bytes(range(32))).decode()
NEW_KEY = "k1:" + base64.b64encode(bytes(range(32, 64))).decode()

# The victim's contact details in referral-plain.xml, and her name. The postal code is
# searched with the element's delimiters: five bare digits could turn up by chance in a
# timestamp's microseconds, and a flaky test would teach nobody anything.
VICTIM = [
    "555-0143",
    "m.quenby@example.org",
    "27 Quillmore Street",
    "Apt 4",
    "Harrowgate",
    ">99901<",
    "Marisol",
    "Quenby",
]
OTHERS = ["t.wrenfield@example.net", "555-0187", "Tindall"]  # the defendants' details


def without_charges(document: bytes) -> bytes:
    head = document[: document.index(b"<criminal:CaseCharge>")]
    return head + b"</criminal:CriminalCase></CaseResponseMessage>\n"


INBOX = {
    # processed: a referral, and the same referral as the court's UTF-16 export
    "referral-plain.xml": PLAIN,
    "referral-utf16.xml": PLAIN.decode().replace('"UTF-8"', '"UTF-16"').encode("utf-16"),
    # quarantined, each holding the victim's contact details but one
    "no-charges.xml": without_charges(PLAIN),
    "cut-after-phone.xml": PLAIN[: PLAIN.index(b"555-0143") + len(b"555-0143")],
    "city-not-utf8.xml": PLAIN.replace(b"Harrowgate", "Härrowgate".encode("latin-1")),
    "invalid-no-victim.xml": (ECF4 / "invalid-no-victim.xml").read_bytes(),
}
PROCESSED = {"referral-plain.xml", "referral-utf16.xml"}


def leak_forms(value: str) -> list[bytes]:
    """`value` as it would show in a file that leaked it."""
    raw = value.encode()
    forms = [raw, value.encode("utf-16-le"), value.encode("utf-16-be")]
    # In base64 the value's characters depend on where it starts within a 3-byte group:
    # for each of the three, the characters made of its bytes alone.
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        core = encoded[-(-4 * shift // 3) : (shift + len(raw)) * 4 // 3]
        forms += [core, core.replace(b"+", b"-").replace(b"/", b"_")]
    return forms


def assert_nothing_plaintext(root: Path, values: list[str]) -> None:
    checked = 0
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        assert not path.name.startswith("."), f"temporary file left: {path}"
        content = path.read_bytes()
        for value in values:
            for form in leak_forms(value):
                assert form not in content, f"{value!r} ({form!r}) in {path.relative_to(root)}"
            assert value.lower().encode() not in content.lower(), f"{value!r} in {path}"
        checked += 1
    assert checked > 0


def demo(court_root: Path) -> dict[str, Jurisdiction]:
    jurisdiction = load_jurisdictions(DEMO_FILE)["demo"]
    court = jurisdiction.court.model_copy(
        update={"settings": {**jurisdiction.court.settings, "transport": {"root": court_root}}}
    )
    return {"demo": jurisdiction.model_copy(update={"court": court})}


def settings(data: Path, keys: str) -> Settings:
    return Settings(data_dir=data, payload_keys=keys)


def kept_with(data: Path, keys: str | None) -> KeptDocuments:
    return KeptDocuments.for_settings(settings(data, OLD_KEY), parse_keys(keys) if keys else None)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("DIVERSION_"):
            monkeypatch.delenv(name)


async def one_pass(data: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The inbox through one intake pass, the court's folder under the data directory as
    in the demo; each original name with the id it is kept under."""
    use(monkeypatch, FakeStarter())
    court = data / "court" / "demo"
    (court / "inbox").mkdir(parents=True)
    for name, content in INBOX.items():
        (court / "inbox" / name).write_bytes(content)
    kept = kept_with(data, OLD_KEY)
    report = await folder_intake.intake_once(CLIENT, demo(court), "cases-test", kept=kept)
    assert report.deferred == []
    ids = {}
    for found in report.processed + report.quarantined:
        record = kept.get(found)
        assert record is not None and record.original_name is not None
        ids[record.original_name] = found
    assert sorted(ids) == sorted(INBOX)
    assert {name for name, found in ids.items() if found.startswith("p-")} == PROCESSED
    return ids


async def test_nothing_kept_holds_a_victims_contact_details_in_plaintext(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "var"
    ids = await one_pass(data, monkeypatch)
    # Guard the search itself: it finds the details where they are.
    for value in VICTIM:
        assert any(form in INBOX["referral-utf16.xml"] for form in leak_forms(value))
    (tmp_path / "b64.txt").write_bytes(base64.b64encode(b"xy" + PLAIN))
    with pytest.raises(AssertionError, match="555-0143"):
        assert_nothing_plaintext(tmp_path, VICTIM)
    (tmp_path / "b64.txt").unlink()

    assert list((data / "court" / "demo" / "inbox").iterdir()) == []
    assert_nothing_plaintext(tmp_path, VICTIM + OTHERS)

    kept = kept_with(data, OLD_KEY)
    for name, found in ids.items():
        assert kept.document(found) == INBOX[name], name
    # The quarantined ones are in the quarantine the API lists, with a reason of its own.
    listed = {r.id: r for r in kept.quarantine.list({"demo"})}
    assert sorted(listed) == sorted(found for found in ids.values() if found.startswith("q-"))
    assert all(r.source == "folder" and r.reason for r in listed.values())
    receipts = sorted((data / "court" / "demo" / "quarantine").iterdir())
    assert {json.loads(p.read_bytes())["quarantine_id"] for p in receipts} == set(listed)


async def test_a_kept_document_opens_after_a_key_rotation_and_not_without_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "var"
    ids = await one_pass(data, monkeypatch)
    processed, quarantined = ids["referral-plain.xml"], ids["no-charges.xml"]

    rotated = kept_with(data, f"{NEW_KEY},{OLD_KEY}")
    assert rotated.document(processed) == INBOX["referral-plain.xml"]
    assert rotated.document(quarantined) == INBOX["no-charges.xml"]

    only_the_new_key = kept_with(data, NEW_KEY)
    for found in (processed, quarantined):
        with pytest.raises(PayloadDecryptionError, match="key id 'k0'"):
            only_the_new_key.document(found)
    an_impostor = "k0:" + base64.b64encode(bytes(32)).decode()  # right id, wrong key
    with pytest.raises(PayloadDecryptionError, match="failed authentication"):
        kept_with(data, an_impostor).document(processed)
    with pytest.raises(NoPayloadKeyError):
        kept_with(data, None).document(processed)


def legacy_folder(court: Path) -> dict[str, bytes]:
    """A drop folder as versions before sealing left it: documents moved in plaintext."""
    (court / "processed").mkdir(parents=True)
    (court / "quarantine").mkdir()
    (court / "processed" / "referral-plain.xml").write_bytes(PLAIN)
    broken = without_charges(PLAIN)
    (court / "quarantine" / "no-charges.xml").write_bytes(broken)
    sidecar: dict[str, Any] = {
        "file": "no-charges.xml",
        "original_name": "no-charges.xml",
        "reason": "the case has no charge",
        "jurisdiction": "demo",
        "sha256": "0" * 64,
        "received_at": "2026-02-01T09:00:00Z",
        "quarantined_at": "2026-02-01T09:00:01Z",
    }
    (court / "quarantine" / "no-charges.xml.reason.json").write_text(json.dumps(sidecar))
    cut = PLAIN[: PLAIN.index(b"Harrowgate") + 4]
    (court / "quarantine" / "cut.xml").write_bytes(cut)  # its sidecar never written
    return {"referral-plain.xml": PLAIN, "no-charges.xml": broken, "cut.xml": cut}


async def test_documents_kept_in_plaintext_before_are_sealed_when_the_intake_starts(
    tmp_path: Path,
) -> None:
    data = tmp_path / "var"
    court = data / "court" / "demo"
    before = legacy_folder(court)
    kept = kept_with(data, OLD_KEY)
    api_entry = kept.quarantine.keep(
        without_charges(PLAIN).replace(b"Apt 4", b"Apt 5"),
        jurisdiction="demo",
        content_type="application/xml",
        reason="the case has no charge",
        source="api",
    )
    plain_entry = data / "quarantine" / api_entry.id  # as the API kept it before sealing
    (plain_entry / "document").write_bytes(kept.document(api_entry.id))
    (plain_entry / "document.sealed").unlink()

    done = await folder_intake.seal_documents_left(demo(court), kept)
    assert done.failed == []
    assert len(done.sealed) == 4 and api_entry.id in done.sealed
    assert_nothing_plaintext(tmp_path, VICTIM)

    opened = {}
    for found in done.sealed:
        record = kept.get(found)
        assert record is not None
        opened[record.original_name] = kept.document(found)
    assert opened == before | {None: without_charges(PLAIN).replace(b"Apt 4", b"Apt 5")}
    reasons = {r.original_name: r.reason for r in kept.quarantine.list({"demo"})}
    assert reasons["no-charges.xml"] == "the case has no charge"  # the one recorded then
    assert "no reason recorded" in reasons["cut.xml"]
    assert sorted(p.name for p in court.rglob("*")) == [
        "cut.xml.reason.json",
        "no-charges.xml.reason.json",
        "processed",
        "quarantine",
        "referral-plain.xml.receipt.json",
    ]
    again = await folder_intake.seal_documents_left(demo(court), kept)
    assert again.sealed == again.failed == []
