"""A document refused at the drop folder is resolved like one refused at the API: listed
under /v1/quarantine (source "folder"), resubmitted there corrected, never served back."""

from diversion.court_answers import COURT_CALLBACK
from diversion.folder_intake import intake_once
from diversion.kept_documents import KeptDocuments
from domain.enums import Role
from tests.api.conftest import Api
from tests.api.test_court_documents import VICTIM_PHONE, ecf_referral, post
from tests.jurisdictions import HOME


async def test_a_folder_quarantined_document_is_listed_and_resubmitted(api: Api) -> None:
    docket, good = ecf_referral()
    _, plain = ecf_referral()
    broken = plain[: plain.index(b"<criminal:CaseCharge>")]  # cut before the charges
    inbox = api.settings.data_dir / "court" / HOME / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "referral.xml").write_bytes(good)
    (inbox / "cut-short.xml").write_bytes(broken)

    kept = KeptDocuments.for_settings(api.settings, api.settings.payload_key_ring())
    report = await intake_once(
        api.client,
        api.settings.jurisdictions(),
        api.settings.task_queue,
        api.settings.match_secret_bytes(),
        kept=kept,
    )
    assert report.deferred == [] and list(inbox.iterdir()) == []
    [started] = report.started
    [kept_as] = report.processed
    assert kept.document(kept_as) == good
    record = kept.processed.get(kept_as)
    assert record is not None and record.case_id == started
    case = await api.http.get(f"/v1/cases/{started}", headers=api.auth(Role.CLERK))
    assert case.status_code == 200 and docket in case.text

    [held] = report.quarantined
    listed = await api.http.get("/v1/quarantine", headers=api.auth(Role.CLERK))
    [entry] = [e for e in listed.json() if e["id"] == held]
    assert (entry["source"], entry["original_name"], entry["status"]) == (
        "folder",
        "cut-short.xml",
        "held",
    )
    assert entry["reason"].startswith("not well-formed XML")
    assert VICTIM_PHONE not in listed.text
    assert kept.document(held) == broken

    corrected_docket, corrected = ecf_referral()
    accepted = await post(api, f"/v1/quarantine/{held}/resubmit", corrected)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["case"]["court_case_number"] == corrected_docket
    again = await api.http.get(f"/v1/quarantine/{held}", headers=api.auth(Role.CLERK))
    assert again.json()["status"] == "resubmitted"


async def test_a_quarantined_court_callback_is_not_resubmitted_as_a_referral(api: Api) -> None:
    kept = KeptDocuments.for_settings(api.settings, api.settings.payload_key_ring())
    record = kept.quarantine.keep(
        b'{"court_reference": ',
        jurisdiction=HOME,
        content_type="application/json",
        reason="court callback not taken: not valid JSON",
        source=COURT_CALLBACK,
        original_name="answer.json",
    )
    _, referral = ecf_referral()
    refused = await post(api, f"/v1/quarantine/{record.id}/resubmit", referral)
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"] == (
        f"{record.id} is a court's callback, not a referral: correct it and drop it into the "
        "jurisdiction's callbacks/ folder again"
    )
