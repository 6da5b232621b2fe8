"""The `rest` police adapter (a police records system's JSON API): the search body and
its URL, the mapping of a pushed incident, re-matching an RMS's loose results, paging,
the shared HTTP behaviour (OAuth2, Retry-After) and refusals. Invented people only;
every exchange is mocked with respx and time is a `FakeTime`, so nothing sleeps."""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from pydantic import ValidationError

from adapters.conformance import PoliceAdapterConformance
from adapters.errors import AdapterError
from adapters.police.base import PoliceAdapter
from adapters.police.rest_rms_adapter import RestRmsPoliceAdapter, RestRmsSettings
from domain.enums import RiskFlag
from domain.incidents import (
    Arrest,
    DatePrecision,
    IncidentArrestee,
    IncidentPerson,
    IncidentSubject,
    IncidentVictim,
    Offense,
    PersonAge,
    Relationship,
    VictimSubjectRelationship,
)
from domain.referral import Incident, Participant
from tests.adapters.test_http_client import SECRET_ENV, FakeTime, oauth_settings, token_reply

FIXTURES = Path(__file__).parent.parent / "fixtures" / "police" / "rms"
RMS = "https://rms.police.example/api/v1"
SEARCH = f"{RMS}/incidents/search"
TOKEN_URL = "https://login.police.example/oauth2/token"
SPOUSE = "incident-spouse-13B-injury.json"
MONTH = "incident-month-date-unknown-codes.json"
STRANGER = "incident-same-name-stranger.json"
AS_VICTIM = "incident-participant-as-victim-report-date.json"

MARCUS = Participant(
    given_name="Marcus",
    family_name="Lindqvist",
    date_of_birth=date(1989, 5, 17),
    identifiers={"state_id": "ST-4417-0093", "fbi_id": "FBI-NOT-A-MATCH-KEY"},
)
SINCE = date(2026, 1, 1)


@pytest.fixture
def rms() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


def adapter(time: FakeTime | None = None, **settings: Any) -> RestRmsPoliceAdapter:
    return RestRmsPoliceAdapter(
        RestRmsSettings.model_validate({"base_url": RMS, **settings}),
        clock=(time or FakeTime()).clock(),
    )


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


def page(*names: str, next_cursor: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"incidents": [fixture(n) for n in names]}
    if next_cursor is not None:
        body["next"] = next_cursor
    return httpx.Response(200, json=body)


def sent_body(call: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(call.request.content)
    return body


# --- the search request -------------------------------------------------------------------


async def test_the_search_posts_the_match_fields_in_the_body_and_nothing_in_the_url(
    rms: respx.MockRouter,
) -> None:
    route = rms.post(SEARCH).mock(return_value=page())
    assert await adapter().incidents_for(MARCUS, SINCE) == []
    [call] = route.calls
    assert str(call.request.url) == SEARCH  # no query string
    for personal in ("Marcus", "Lindqvist", "1989", "ST-4417"):
        assert personal not in str(call.request.url)
    assert call.request.headers["Content-Type"] == "application/json"
    assert sent_body(call) == {
        "person": {
            # Only identifiers that are match keys: fbi_id is not one by default.
            "identifiers": {"state_id": "ST-4417-0093"},
            "date_of_birth": "1989-05-17",
            "family_name": "Lindqvist",
            "given_name": "Marcus",
        },
        "since": "2026-01-01",
    }


def test_names_are_sent_only_within_a_key_set_the_person_has_completely() -> None:
    no_birth_date = MARCUS.model_copy(update={"date_of_birth": None})
    assert adapter().search_fields(no_birth_date) == {"identifiers": {"state_id": "ST-4417-0093"}}


def test_a_person_without_any_complete_key_set_cannot_be_searched_for() -> None:
    unmatchable = Participant(given_name="Marcus", family_name="Lindqvist")
    with pytest.raises(AdapterError, match="no complete set of match fields") as refused:
        adapter().search_fields(unmatchable)
    assert "Lindqvist" not in str(refused.value)


# --- the search answer --------------------------------------------------------------------


async def test_an_over_matching_answer_is_matched_again_by_our_keys(
    rms: respx.MockRouter,
) -> None:
    rms.post(SEARCH).mock(return_value=page(SPOUSE, STRANGER, AS_VICTIM))
    found = await adapter().incidents_for(MARCUS, SINCE)
    # The same-name stranger (other birth date and state id) is dropped, and so is the
    # incident where the participant was the victim, not a subject or arrestee.
    assert [i.incident_number for i in found] == ["RMS-2026-004417"]


async def test_incidents_before_since_are_dropped_even_when_the_rms_returns_them(
    rms: respx.MockRouter,
) -> None:
    rms.post(SEARCH).mock(return_value=page(SPOUSE, MONTH))
    found = await adapter().incidents_for(MARCUS, date(2026, 4, 1))
    assert [i.incident_number for i in found] == ["RMS-2026-004417"]


async def test_pages_are_followed_by_posting_the_cursor_in_the_body(
    rms: respx.MockRouter,
) -> None:
    route = rms.post(SEARCH).mock(side_effect=[page(SPOUSE, next_cursor="opaque-c2"), page(MONTH)])
    found = await adapter().incidents_for(MARCUS, SINCE)
    assert [i.incident_number for i in found] == ["RMS-2026-004417", "RMS-2026-003102"]
    first, second = (sent_body(call) for call in route.calls)
    assert "cursor" not in first
    assert second == {**first, "cursor": "opaque-c2"}
    assert all(str(call.request.url) == SEARCH for call in route.calls)


async def test_more_pages_than_max_pages_is_an_error_not_a_truncation(
    rms: respx.MockRouter,
) -> None:
    route = rms.post(SEARCH).mock(
        side_effect=[page(SPOUSE, next_cursor="c2"), page(MONTH, next_cursor="c3")]
    )
    with pytest.raises(AdapterError, match=r"more than 2 pages .*max_pages"):
        await adapter(max_pages=2).incidents_for(MARCUS, SINCE)
    assert route.call_count == 2


async def test_an_unreadable_incident_fails_the_search_naming_its_page_and_path(
    rms: respx.MockRouter,
) -> None:
    broken = {**fixture(SPOUSE), "occurred_at": "the night of the party"}
    rms.post(SEARCH).mock(
        side_effect=[
            page(STRANGER, next_cursor="c2"),
            httpx.Response(200, json={"incidents": [fixture(MONTH), broken]}),
        ]
    )
    with pytest.raises(AdapterError, match=r"page 2: incidents\.1\.occurred_at: not a date"):
        await adapter().incidents_for(MARCUS, SINCE)


async def test_an_answer_without_an_incidents_list_is_refused(rms: respx.MockRouter) -> None:
    rms.post(SEARCH).mock(return_value=httpx.Response(200, json={"results": []}))
    with pytest.raises(AdapterError, match="page 1: incidents: not a list"):
        await adapter().incidents_for(MARCUS, SINCE)


# --- shared HTTP behaviour ----------------------------------------------------------------


async def test_an_oauth2_token_is_fetched_once_and_reused_across_pages(
    rms: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_ENV, "invented-client-secret-7f3a")
    token = rms.post(TOKEN_URL).mock(return_value=token_reply("tok-rms-1"))
    search = rms.post(SEARCH).mock(
        side_effect=[page(SPOUSE, next_cursor="c2"), page(), page(MONTH)]
    )
    police = adapter(auth=oauth_settings(token_url=TOKEN_URL, scope="incidents.read"))
    await police.incidents_for(MARCUS, SINCE)
    await police.incidents_for(MARCUS, SINCE)
    assert token.call_count == 1
    assert [c.request.headers["Authorization"] for c in search.calls] == ["Bearer tok-rms-1"] * 3
    await police.aclose()


async def test_a_503_with_retry_after_is_waited_out_and_the_search_sent_again(
    rms: respx.MockRouter,
) -> None:
    time = FakeTime()
    route = rms.post(SEARCH).mock(
        side_effect=[httpx.Response(503, headers={"Retry-After": "2"}), page(SPOUSE)]
    )
    found = await adapter(time).incidents_for(MARCUS, SINCE)
    assert [i.incident_number for i in found] == ["RMS-2026-004417"]
    assert time.waits == [2.0]
    first, second = route.calls
    assert first.request.content == second.request.content


# --- one incident by number ---------------------------------------------------------------


async def test_an_incident_is_fetched_by_its_number_alone(rms: respx.MockRouter) -> None:
    route = rms.get(f"{RMS}/incidents/RMS-2026-004417").mock(
        return_value=httpx.Response(200, json=fixture(SPOUSE))
    )
    rms.get(f"{RMS}/incidents/RMS%2F2026%2F1").mock(return_value=httpx.Response(404))
    police = adapter()
    incident = await police.fetch_incident("RMS-2026-004417")
    assert incident is not None and incident.domestic_violence
    assert route.call_count == 1
    assert await police.fetch_incident("RMS/2026/1") is None  # quoted, not a path


# --- a pushed incident, field by field ----------------------------------------------------


def test_a_pushed_incident_maps_field_by_field() -> None:
    incident = adapter().parse_police_incident((FIXTURES / SPOUSE).read_bytes(), "application/json")
    assert incident.incident_number == "RMS-2026-004417"
    assert incident.incident_date == date(2026, 4, 2)  # the local day, not UTC's
    assert incident.date_precision is DatePrecision.DAY
    assert not incident.date_is_report_date
    assert incident.offenses == [
        Offense(key="O1", ucr_code="13B", attempted=False, force_codes=["40"])
    ]
    assert incident.persons == {
        "P1": IncidentPerson(
            key="P1",
            given_name="Marcus",
            middle_name="Edvin",
            family_name="Lindqvist",
            date_of_birth=date(1989, 5, 17),
            age=PersonAge(years=36),
            identifiers={"state_id": "ST-4417-0093"},
        ),
        "P2": IncidentPerson(
            key="P2",
            given_name="Annika",
            family_name="Lindqvist",
            date_of_birth=date(1991, 11, 2),
            age=PersonAge(minimum=34, maximum=35),
        ),
    }
    assert incident.victims == [
        IncidentVictim(person="P2", category="I", injury_codes=["M"], offenses=["O1"])
    ]
    assert incident.subjects == [IncidentSubject(person="P1")]
    assert incident.arrestees == [IncidentArrestee(person="P1", armed_with_codes=["01"])]
    assert incident.arrests == [
        Arrest(
            arrest_number="ARR-2026-000871",
            arrested_on=date(2026, 4, 3),
            charge_codes=["13B"],
            arrestees=["P1"],
        )
    ]
    assert incident.relationships == [
        VictimSubjectRelationship(
            victim="P2", subject="P1", raw="SE", relationship=Relationship.SPOUSE
        )
    ]
    assert incident.warnings == []


def test_a_spouse_victim_of_13b_with_an_injury_is_dv_with_the_injury_flag() -> None:
    police = adapter()
    document = (FIXTURES / SPOUSE).read_bytes()
    incident = police.parse_police_incident(document, "application/json")
    assert incident.domestic_violence
    assert incident.flags == [RiskFlag.INJURY]  # force 40 is hands and fists: no weapon
    assert police.parse_incident(document, "application/json; charset=utf-8") == Incident(
        incident_number="RMS-2026-004417",
        occurred_on=date(2026, 4, 2),
        offense_codes=["13B"],
        flags=[RiskFlag.INJURY],
        domestic_violence=True,
        arrested=True,  # the fixture has an arrestee
    )


def test_the_same_incident_with_a_stranger_victim_is_not_domestic_violence() -> None:
    data = fixture(SPOUSE)
    data["victims"][0]["relationships"][0]["relationship"] = "Stranger"
    incident = adapter().parse_police_incident(json.dumps(data).encode(), "application/json")
    assert not incident.domestic_violence
    assert incident.flags == [RiskFlag.INJURY]


def test_a_local_relationship_token_and_order_breach_code_come_from_settings() -> None:
    data = fixture(SPOUSE)
    data["victims"][0]["relationships"][0]["relationship"] = "EB"
    data["arrestees"][0]["charges"] = ["13B", "90Z"]
    police = adapter(relationship_codes={"EB": "ex_relationship"}, order_breach_codes=["90z"])
    incident = police.parse_police_incident(json.dumps(data).encode(), "application/json")
    assert incident.relationships[0].relationship is Relationship.EX_RELATIONSHIP
    assert incident.domestic_violence
    assert RiskFlag.ORDER_BREACH in incident.flags


def test_unknown_codes_and_fields_are_kept_raw_with_warnings_naming_their_path() -> None:
    incident = adapter().parse_police_incident((FIXTURES / MONTH).read_bytes(), "application/json")
    assert (incident.incident_date, incident.date_precision) == (
        date(2026, 3, 1),
        DatePrecision.MONTH,
    )
    assert [o.ucr_code for o in incident.offenses] == ["13C", "77X"]
    assert [o.key for o in incident.offenses] == ["offenses.0", "offenses.1"]
    assert incident.relationships[0].raw == "Victim Was Cousin Twice Removed"
    assert incident.relationships[0].relationship is None
    assert incident.persons["S-1"].date_of_birth is None  # a month is no birth date
    assert incident.persons["V-1"].age == PersonAge(code="QQ")
    assert sorted(incident.warnings) == sorted(
        [
            "beat: not a field we read; ignored",
            "offenses.1.code: '77X' is not a known NIBRS code; kept raw",
            "persons.0.date_of_birth: not a full date; not used for matching",
            "persons.1.age: 'QQ' is not a known age code; kept raw",
            "victims.0.relationships.0.relationship: 'Victim Was Cousin Twice Removed' is not "
            "a known relationship code; kept raw",
        ]
    )
    assert not any("1989" in w or "Lindqvist" in w for w in incident.warnings)


def test_a_report_date_is_used_when_the_police_do_not_say_when_it_happened() -> None:
    incident = adapter().parse_police_incident(
        (FIXTURES / AS_VICTIM).read_bytes(), "application/json"
    )
    assert incident.incident_date == date(2026, 4, 20)
    assert incident.date_is_report_date
    assert incident.summary().occurred_on is None
    assert incident.persons["P2"].age == PersonAge(code="00")  # unknown, not a newborn


# --- refusals -----------------------------------------------------------------------------


def test_invalid_json_is_refused_with_its_line_and_column() -> None:
    with pytest.raises(AdapterError, match=r"not valid JSON: .* at line 2, column 31"):
        adapter().parse_incident(
            (FIXTURES / "invalid-not-json.json").read_bytes(), "application/json"
        )


def test_wrong_field_types_are_refused_by_path_without_their_values() -> None:
    with pytest.raises(AdapterError) as refused:
        adapter().parse_incident(
            (FIXTURES / "invalid-wrong-field-types.json").read_bytes(), "application/json"
        )
    message = str(refused.value)
    assert "offenses.0.code: Input should be a valid string" in message
    assert "persons.0.date_of_birth: Input should be a valid string" in message
    assert "19890517" not in message


def test_a_subject_naming_no_person_is_refused() -> None:
    with pytest.raises(AdapterError, match=r"subjects\.0\.person_id: names no person"):
        adapter().parse_incident(
            (FIXTURES / "invalid-subject-names-no-person.json").read_bytes(), "application/json"
        )


def test_an_unreadable_date_is_refused_by_field_without_its_text() -> None:
    data = {**fixture(SPOUSE), "occurred_at": "", "occurred_on": "the 2nd of April"}
    with pytest.raises(AdapterError, match=r"^occurred_on: not a date") as refused:
        adapter().parse_incident(json.dumps(data).encode(), "application/json")
    assert "April" not in str(refused.value)


@pytest.mark.parametrize(
    ("document", "content_type", "reason"),
    [
        (b"{}", "application/xml", "reads application/json, not 'application/xml'"),
        (b"[]", "application/json", "must be a JSON object, not list"),
        (b"\xff{}", "application/json", "not UTF-8: invalid byte at offset 0"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", "nested too deeply"),
    ],
)
def test_documents_that_are_no_json_incident_are_refused(
    document: bytes, content_type: str, reason: str
) -> None:
    with pytest.raises(AdapterError, match=reason):
        adapter().parse_incident(document, content_type)


def test_a_document_over_max_bytes_is_refused_before_it_is_read() -> None:
    document = json.dumps(fixture(SPOUSE)).encode()
    with pytest.raises(
        AdapterError, match=rf"is {len(document)} bytes, more than max_bytes \(64\)"
    ):
        adapter(max_bytes=64).parse_incident(document, "application/json")


# --- settings -----------------------------------------------------------------------------


def test_the_incident_path_may_hold_only_the_incident_number() -> None:
    with pytest.raises(ValidationError, match="no other placeholder"):
        RestRmsSettings.model_validate({"base_url": RMS, "incident_path": "/p/{family_name}"})
    with pytest.raises(ValidationError, match="without placeholders"):
        RestRmsSettings.model_validate({"base_url": RMS, "search_path": "/s/{given_name}"})


def test_match_keys_are_never_names_alone_and_are_what_the_adapter_reports() -> None:
    with pytest.raises(ValidationError, match="made only of names"):
        RestRmsSettings.model_validate(
            {"base_url": RMS, "match_keys": [["family_name", "given_name"]]}
        )
    police = adapter(match_keys=[["state_id"], ["fbi_id"]])
    assert police.match_keys == (("state_id",), ("fbi_id",))


def test_the_base_url_must_be_https() -> None:
    with pytest.raises(ValidationError, match="base_url must use https"):
        RestRmsSettings.model_validate({"base_url": "http://rms.police.example"})


# --- the conformance kit, on the adapter built directly ----------------------------------


class TestRestRmsConformance(PoliceAdapterConformance):
    adapter_name = "rest"
    samples = FIXTURES
    content_type = "application/json"

    def adapter(self) -> PoliceAdapter:
        settings = json.loads((self.samples / "settings.json").read_text())
        return RestRmsPoliceAdapter(RestRmsSettings.model_validate(settings))
