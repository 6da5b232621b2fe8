"""The NIBRS police adapter (DESIGN §7): mapping, derived DV finding and flags, refusals,
and a person's incidents from the police drop folder. Invented people only."""

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from adapters.errors import AdapterConfigError, AdapterError
from adapters.police.base import PoliceAdapter
from adapters.police.nibrs_adapter import NibrsPoliceAdapter, NibrsSettings
from adapters.police.relationship_codes import RelationshipCodes
from adapters.xml.hardened import XmlRefused
from domain.enums import RiskFlag
from domain.incidents import DatePrecision, PersonAge, PoliceIncident, Relationship
from domain.referral import Participant

FIXTURES = Path(__file__).parent.parent / "fixtures" / "police" / "nibrs"
SINGLE = "incident-single-offense-4.2.xml"
MULTI = "incident-multi-offense-4.1-niem4.xml"
REPORT_MONTH = "incident-report-date-month-2019.2.xml"
UNKNOWN = "incident-unknown-codes-4.2.xml"
ARREST_ONLY = "incident-arrest-only-90Z-4.2.xml"
TWO = "invalid-two-incidents-and-a-delete-4.2.xml"

MARCUS = Participant(
    given_name="Marcus",
    family_name="Lindqvist",
    date_of_birth=date(1989, 5, 17),
    identifiers={"state_id": "ST-4417-0093"},
)


def adapter(**settings: Any) -> NibrsPoliceAdapter:
    return NibrsPoliceAdapter(NibrsSettings.model_validate(settings))


def incidents(name: str, **settings: Any) -> list[PoliceIncident]:
    return adapter(**settings).parse_incidents((FIXTURES / name).read_bytes(), "application/xml")


def only(name: str, **settings: Any) -> PoliceIncident:
    [incident] = incidents(name, **settings)
    return incident


# --- registry ----------------------------------------------------------------------------


def test_the_registry_finds_it_by_name_and_refuses_name_only_match_keys() -> None:
    found = PoliceAdapter.from_registry(
        "nibrs", {}, where="jurisdiction 'x'", name_field="police.adapter", settings_field="s"
    )
    assert isinstance(found, NibrsPoliceAdapter)
    with pytest.raises(AdapterConfigError, match=r"s\.match_keys: .*made only of names"):
        PoliceAdapter.from_registry(
            "nibrs",
            {"match_keys": [["family_name", "given_name"]]},
            where="jurisdiction 'x'",
            name_field="police.adapter",
            settings_field="s",
        )


# --- mapping, field by field -------------------------------------------------------------


def test_single_offense_incident_maps_field_by_field() -> None:
    incident = only(SINGLE)
    assert incident.incident_number == "2026-000731"
    assert incident.incident_date == date(2026, 2, 14)
    assert incident.date_precision is DatePrecision.DAY
    assert incident.date_is_report_date is False
    [offense] = incident.offenses
    assert (offense.key, offense.ucr_code, offense.attempted) == ("Offense1", "13B", False)
    assert offense.force_codes == ["40"]
    [victim] = incident.victims
    assert victim.person == "PersonVictim1"
    assert (victim.category, victim.injury_codes, victim.offenses) == ("I", ["M"], ["Offense1"])
    assert [s.person for s in incident.subjects] == ["PersonSubject1"]
    [arrestee] = incident.arrestees
    assert (arrestee.person, arrestee.armed_with_codes) == ("PersonSubject1", ["01"])
    [arrest] = incident.arrests
    assert arrest.arrest_number == "2026-A-0088"
    assert arrest.arrested_on == date(2026, 2, 15)
    assert (arrest.charge_codes, arrest.arrestees) == (["13B"], ["PersonSubject1"])
    [link] = incident.relationships
    assert (link.victim, link.subject, link.raw) == (
        "PersonVictim1",
        "PersonSubject1",
        "Family Member_Spouse",
    )
    assert link.relationship is Relationship.SPOUSE
    subject = incident.persons["PersonSubject1"]
    assert (subject.given_name, subject.middle_name, subject.family_name) == (
        "Marcus",
        None,  # <nc:PersonMiddleName/> is absent, not ""
        "Lindqvist",
    )
    assert subject.date_of_birth == date(1989, 5, 17)
    assert subject.age == PersonAge(years=36)
    assert subject.identifiers == {"state_id": "ST-4417-0093"}
    assert incident.persons["PersonVictim1"].age == PersonAge(years=34)
    assert incident.warnings == []


def test_summary_is_the_incident_cases_keep() -> None:
    summary = only(SINGLE).summary()
    assert summary.incident_number == "2026-000731"
    assert summary.occurred_on == date(2026, 2, 14)
    assert summary.offense_codes == ["13B"]
    assert summary.flags == [RiskFlag.INJURY]
    assert summary.domestic_violence is True


def test_older_generation_under_niem_4_resolves_references_to_persons() -> None:
    incident = only(MULTI)
    assert incident.incident_number == "2026-000802"
    assert [(o.ucr_code, o.force_codes, o.attempted) for o in incident.offenses] == [
        ("13A", ["12", "85"], False),
        ("13C", [], False),
        ("520", [], True),
    ]
    victims = {v.person: v for v in incident.victims}
    # Injuries written on the person, associations naming persons rather than roles.
    assert victims["PersonSofia"].injury_codes == ["I"]
    assert victims["PersonSofia"].offenses == ["OffenseAggravated"]
    assert victims["PersonSofia"].circumstance_codes == ["01"]
    assert victims["PersonElin"].offenses == ["OffenseIntimidation"]
    assert [s.person for s in incident.subjects] == ["PersonMarcus", "PersonTobias"]
    assert {(r.victim, r.subject): r.relationship for r in incident.relationships} == {
        ("PersonSofia", "PersonMarcus"): Relationship.BOYFRIEND_GIRLFRIEND,  # HR, older
        ("PersonElin", "PersonMarcus"): Relationship.CHILD_OF_BOYFRIEND_GIRLFRIEND,
        ("PersonSofia", "PersonTobias"): Relationship.ACQUAINTANCE,
        ("PersonElin", "PersonTobias"): Relationship.STRANGER,
    }
    assert incident.persons["PersonElin"].age == PersonAge(minimum=9, maximum=11)
    assert incident.persons["PersonTobias"].identifiers == {"local_record_number": "LOC-55120"}
    assert incident.arrests == [] and incident.arrestees == []
    assert incident.warnings == []


def test_a_month_that_is_the_report_date_is_kept_as_such() -> None:
    incident = only(REPORT_MONTH)
    assert incident.incident_date == date(2026, 4, 1)
    assert incident.date_precision is DatePrecision.MONTH
    assert incident.date_is_report_date is True
    assert incident.summary().occurred_on is None  # when it happened is not known
    [warning] = incident.warnings
    assert warning.startswith("incident date: given as month")
    assert incident.persons["PersonVictim1"].age == PersonAge(code="00")


@pytest.mark.parametrize(
    ("form", "expected", "precision"),
    [
        ("<nc:DateTime>2026-02-14T21:30:00</nc:DateTime>", date(2026, 2, 14), DatePrecision.DAY),
        ("<nc:Date>2026-02-14</nc:Date>", date(2026, 2, 14), DatePrecision.DAY),
        ("<nc:YearMonthDate>2026-02</nc:YearMonthDate>", date(2026, 2, 1), DatePrecision.MONTH),
        # The most precise of several forms wins, whatever their order.
        (
            "<nc:YearMonthDate>2026-02</nc:YearMonthDate><nc:Date>2026-02-14</nc:Date>",
            date(2026, 2, 14),
            DatePrecision.DAY,
        ),
    ],
)
def test_each_date_form(form: str, expected: date, precision: DatePrecision) -> None:
    text = (FIXTURES / SINGLE).read_text()
    text = text.replace("<nc:DateTime>2026-02-14T21:30:00</nc:DateTime>", form)
    [incident] = adapter().parse_incidents(text.encode(), "application/xml")
    assert (incident.incident_date, incident.date_precision) == (expected, precision)


def test_unknown_codes_are_kept_raw_with_a_warning_each() -> None:
    incident = only(UNKNOWN)
    assert [o.ucr_code for o in incident.offenses] == ["13X", "13B"]
    assert incident.offenses[0].force_codes == ["77"]
    victims = {v.person: v for v in incident.victims}
    assert victims["PersonAdult"].injury_codes == ["Q"]
    assert victims["PersonAdult"].category == "X"
    assert [r.relationship for r in incident.relationships] == [None, Relationship.CHILD]
    assert incident.relationships[0].raw == "Housemate"
    assert incident.persons["PersonAdult"].age == PersonAge(code="ZZ")
    assert incident.persons["PersonInfant"].age == PersonAge(years=0, code="BABY")
    assert sorted(incident.warnings) == sorted(
        [
            "offense UCR code '13X' is not a known NIBRS code; kept raw",
            "ForceCategoryCode '77' is not a known NIBRS code; kept raw",
            "InjuryCategoryCode 'Q' is not a known NIBRS code; kept raw",
            "victim type 'X' is not a known NIBRS code; kept raw",
            "person PersonAdult: age code 'ZZ' is not a known code; kept raw",
            "victim-to-subject relationship 'Housemate' is not a known code; kept raw",
        ]
    )


@pytest.mark.parametrize("written", ["-3", "3.5", "thirty"])
def test_an_age_that_is_no_whole_number_is_left_unset_with_a_warning(written: str) -> None:
    document = (
        (FIXTURES / SINGLE)
        .read_text()
        .replace(
            "<nc:MeasureIntegerValue>34</nc:MeasureIntegerValue>",
            f"<nc:MeasureIntegerValue>{written}</nc:MeasureIntegerValue>",
        )
    )
    [incident] = adapter().parse_incidents(document.encode(), "application/xml")
    assert incident.persons["PersonVictim1"].age is None
    assert "person PersonVictim1: age is not a whole number; left unset" in incident.warnings


def test_a_value_the_model_refuses_is_an_adapter_error_naming_the_field_not_the_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should a mapping let an out-of-range value through, the document is refused
    (kept in quarantine with the reason), never a crash."""
    from adapters.police import nibrs_persons

    monkeypatch.setattr(nibrs_persons, "_whole", lambda text: None if text is None else -417)
    with pytest.raises(AdapterError) as refused:
        only(SINGLE)
    assert "incident 2026-000731: persons.PersonVictim1.age.years:" in str(refused.value)
    assert "-417" not in str(refused.value)


def test_warnings_never_quote_a_birth_date() -> None:
    text = (FIXTURES / SINGLE).read_text().replace("1989-05-17", "1989-05-32")
    [incident] = adapter().parse_incidents(text.encode(), "application/xml")
    assert incident.persons["PersonSubject1"].date_of_birth is None
    assert incident.warnings == ["person PersonSubject1: date of birth is not a date; left unset"]
    assert not any("1989" in w for w in incident.warnings)


def test_a_group_b_arrest_report_is_an_incident_numbered_by_its_arrest() -> None:
    incident = only(ARREST_ONLY)
    assert incident.incident_number == "2026-B-0142"
    assert incident.incident_date == date(2026, 5, 2)
    assert incident.offenses == []
    assert incident.summary().offense_codes == ["90Z"]
    [arrest] = incident.arrests
    assert arrest.arrestees == ["PersonArrestee1"]


def test_a_submission_of_several_reports_maps_each_incident_and_skips_a_delete() -> None:
    found = incidents(TWO)
    assert [i.incident_number for i in found] == ["2026-001010", "2026-001011"]
    assert found[0].relationships[0].relationship is Relationship.EX_RELATIONSHIP  # XR, 2019


def test_relationship_tokens_of_both_generations_and_a_local_extension() -> None:
    codes = RelationshipCodes({"EB": Relationship.EX_RELATIONSHIP})
    for token, expected in [
        ("SE", Relationship.SPOUSE),
        ("Family Member_Spouse", Relationship.SPOUSE),
        ("victim was spouse", Relationship.SPOUSE),
        ("CS", Relationship.COMMON_LAW_SPOUSE),
        ("Family Member_Spouse_Common Law", Relationship.COMMON_LAW_SPOUSE),
        ("HR", Relationship.BOYFRIEND_GIRLFRIEND),
        ("Homosexual relationship", Relationship.BOYFRIEND_GIRLFRIEND),
        ("Boyfriend/Girlfriend", Relationship.BOYFRIEND_GIRLFRIEND),
        ("XS", Relationship.EX_SPOUSE),
        ("Ex_Spouse", Relationship.EX_SPOUSE),
        ("XR", Relationship.EX_RELATIONSHIP),
        ("0F", Relationship.OTHER_FAMILY),
        ("Family Member", Relationship.OTHER_FAMILY),
        ("NonFamily_Otherwise Known", Relationship.OTHERWISE_KNOWN),
        ("VictimSegment Was OffenderSegment", Relationship.VICTIM_WAS_OFFENDER),
        ("EB", Relationship.EX_RELATIONSHIP),
    ]:
        assert codes.lookup(token) is expected, token
    assert codes.lookup("Housemate") is None


# --- derived DV finding and flags per fixture -------------------------------------------


def test_spouse_and_simple_assault_is_domestic_violence() -> None:
    assert only(SINGLE).domestic_violence is True


def test_stranger_and_simple_assault_is_not() -> None:
    assert only(REPORT_MONTH).domestic_violence is False


def test_the_dv_offense_codes_are_the_jurisdictions_to_set() -> None:
    assert only(SINGLE, dv_offense_codes=["13A"]).domestic_violence is False


@pytest.mark.parametrize(
    ("name", "flags"),
    [
        (SINGLE, [RiskFlag.INJURY]),
        (
            MULTI,
            [RiskFlag.CHILD_HARM, RiskFlag.INJURY, RiskFlag.STRANGULATION, RiskFlag.WEAPON],
        ),
        (REPORT_MONTH, []),
        (UNKNOWN, [RiskFlag.CHILD_HARM]),
        (ARREST_ONLY, [RiskFlag.ORDER_BREACH, RiskFlag.WEAPON]),
    ],
)
def test_flags_per_fixture(name: str, flags: list[RiskFlag]) -> None:
    assert only(name).flags == flags


def test_a_local_order_breach_code_replaces_90z() -> None:
    assert RiskFlag.ORDER_BREACH not in only(ARREST_ONLY, order_breach_codes=["26X"]).flags


# --- refusals ---------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<nibrs:Submission xmlns:nibrs="http://fbi.gov/cjis/nibrs/4.2">&lol2;</nibrs:Submission>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE s [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<nibrs:Submission xmlns:nibrs="http://fbi.gov/cjis/nibrs/4.2">&xxe;</nibrs:Submission>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_hostile_xml_is_refused(document: bytes) -> None:
    with pytest.raises(XmlRefused, match="DOCTYPE"):
        adapter().parse_incident(document, "application/xml")


def test_a_document_over_the_size_limit_is_refused() -> None:
    with pytest.raises(XmlRefused, match="the limit is 1,000"):
        adapter(max_bytes=1000).parse_incident((FIXTURES / SINGLE).read_bytes(), "text/xml")


def test_another_format_or_generation_is_refused_with_the_reason() -> None:
    with pytest.raises(AdapterError, match=r"root is <CaseResponseMessage> in urn:x"):
        adapter().parse_incident(b'<CaseResponseMessage xmlns="urn:x"/>', "application/xml")
    with pytest.raises(AdapterError, match="reads application/xml, text/xml, not 'text/csv'"):
        adapter().parse_incident(b"a,b", "text/csv")


def test_a_newer_generation_is_read_through_the_namespaces_setting() -> None:
    newer = "http://fbi.gov/cjis/nibrs/2023.0"
    text = (FIXTURES / SINGLE).read_text().replace("http://fbi.gov/cjis/nibrs/4.2", newer)
    with pytest.raises(AdapterError, match="not a NIBRS submission"):
        adapter().parse_incident(text.encode(), "application/xml")
    summary = adapter(namespaces={"nibrs": newer}).parse_incident(text.encode(), "text/xml")
    assert summary.incident_number == "2026-000731"


def test_an_incident_without_a_number_is_refused_naming_the_field() -> None:
    text = (FIXTURES / SINGLE).read_text().replace("2026-000731", "")
    with pytest.raises(AdapterError, match="incident number is missing or empty"):
        adapter().parse_incident(text.encode(), "application/xml")


def test_a_pushed_submission_of_several_incidents_is_refused_not_cut() -> None:
    with pytest.raises(AdapterError, match=r"holds 2 incident reports \(2026-001010, 2026-001011"):
        adapter().parse_incident((FIXTURES / TWO).read_bytes(), "application/xml")


# --- a person's incidents from the drop folder -------------------------------------------


def drop(folder: Path, *names: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
    return folder


async def test_incidents_for_filters_by_match_keys_and_since(tmp_path: Path) -> None:
    folder = drop(tmp_path / "police", SINGLE, MULTI, REPORT_MONTH, ARREST_ONLY, TWO)
    police = adapter(submissions_dir=str(folder))
    found = await police.incidents_for(MARCUS, date(2026, 1, 1))
    # 000731 and 001010 by state id, 000802 by name and birth date, B-0142 as arrestee;
    # 000915 is a namesake with another birth date, 001011 someone else.
    assert sorted(i.incident_number for i in found) == [
        "2026-000731",
        "2026-000802",
        "2026-001010",
        "2026-B-0142",
    ]
    later = await police.incidents_for(MARCUS, date(2026, 3, 4))
    assert sorted(i.incident_number for i in later) == ["2026-001010", "2026-B-0142"]


async def test_match_keys_decide_who_is_the_person(tmp_path: Path) -> None:
    folder = drop(tmp_path / "police", SINGLE, MULTI)
    police = adapter(submissions_dir=str(folder), match_keys=[["state_id"]])
    found = await police.incidents_for(MARCUS, date(2026, 1, 1))
    assert [i.incident_number for i in found] == ["2026-000731"]


async def test_a_missing_folder_has_no_incidents(tmp_path: Path) -> None:
    police = adapter(submissions_dir=str(tmp_path / "never-created"))
    assert await police.incidents_for(MARCUS, date(2026, 1, 1)) == []
    assert await adapter().incidents_for(MARCUS, date(2026, 1, 1)) == []


async def test_an_unreadable_submission_fails_the_search_naming_the_file(tmp_path: Path) -> None:
    folder = drop(tmp_path / "police", SINGLE)
    (folder / "broken.xml").write_bytes(b"<nibrs:Submission")
    with pytest.raises(AdapterError, match=r"police submission broken\.xml: not well-formed"):
        await adapter(submissions_dir=str(folder)).incidents_for(MARCUS, date(2026, 1, 1))


async def test_a_later_file_replaces_an_earlier_version_of_an_incident(tmp_path: Path) -> None:
    folder = drop(tmp_path / "police", SINGLE)
    corrected = (FIXTURES / SINGLE).read_text().replace("ST-4417-0093", "ST-9999-0001")
    corrected = corrected.replace("<nc:Date>1989-05-17</nc:Date>", "<nc:Date>1990-01-01</nc:Date>")
    (folder / "zz-replacement.xml").write_text(corrected)
    assert await adapter(submissions_dir=str(folder)).incidents_for(MARCUS, date(2026, 1, 1)) == []
