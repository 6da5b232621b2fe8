from datetime import date

import pytest

from adapters.errors import AdapterError
from adapters.xml.hardened import parse_xml
from adapters.xml.reading import MissingField, XmlReader

NC = "http://release.niem.gov/niem/niem-core/5.0/"
S = "http://release.niem.gov/niem/structures/5.0/"
DOC = f"""<root xmlns:nc="{NC}" xmlns:s="{S}">
  <nc:Person s:id="P1"><nc:PersonName><nc:PersonGivenName>Ines</nc:PersonGivenName>
    <nc:PersonMiddleName>  </nc:PersonMiddleName><nc:PersonMiddleName/></nc:PersonName></nc:Person>
  <Role><nc:RoleOfPerson s:ref="P1"/></Role>
  <Dangling><nc:RoleOfPerson s:ref="P9"/></Dangling>
  <Dates><A><nc:Date>2026-04-02</nc:Date></A><B><nc:YearMonthDate>2026-04</nc:YearMonthDate></B>
    <C><nc:DateTime>2026-04-02T10:00:00-05:00</nc:DateTime></C><D>02/04/2026</D><E>2026-04-03</E>
  </Dates>
  <Flags><Yes>true</Yes><No>0</No><Odd>maybe</Odd></Flags>
</root>""".encode()


@pytest.fixture
def reader() -> XmlReader:
    return XmlReader(parse_xml(DOC), {"nc": NC, "s": S})


def test_empty_elements_read_as_absent(reader: XmlReader) -> None:
    person = reader.first(reader.root, "nc:Person")
    assert person is not None
    assert reader.text(person, "nc:PersonName/nc:PersonMiddleName") is None
    assert reader.text(person, "nc:PersonName/nc:PersonGivenName") == "Ines"
    with pytest.raises(MissingField, match="expected nc:PersonName/nc:PersonMiddleName"):
        reader.required(person, "nc:PersonName/nc:PersonMiddleName", "middle name")


def test_references_resolve_to_the_element_with_that_id(reader: XmlReader) -> None:
    person = reader.first(reader.root, "Role/nc:RoleOfPerson")
    assert person is not None and reader.id_of(person) == "P1"
    with pytest.raises(AdapterError, match="refers to id 'P9', which the document lacks"):
        reader.first(reader.root, "Dangling/nc:RoleOfPerson")


def test_dates_in_any_representation_with_warnings_for_partial_or_bad(reader: XmlReader) -> None:
    dates = reader.first(reader.root, "Dates")
    assert dates is not None
    a, b, c = (reader.date(dates, name, name) for name in ("A", "B", "C"))
    assert a is not None and a.day == date(2026, 4, 2)
    assert b is not None and b.day == date(2026, 4, 1)
    assert c is not None and c.at is not None and c.at.utcoffset() is not None
    assert reader.date(dates, "D", "D") is None
    assert reader.date(dates, "E", "E") is not None
    assert reader.date(dates, "Missing", "missing") is None
    assert reader.warnings == [
        "B: given as month only; read as its first day",
        "D: not a date in any accepted form; left unset",
    ]


def test_flags_read_common_spellings_and_warn_otherwise(reader: XmlReader) -> None:
    flags = reader.first(reader.root, "Flags")
    assert flags is not None
    assert reader.flag(flags, "Yes", "yes") is True
    assert reader.flag(flags, "No", "no") is False
    assert reader.flag(flags, "Odd", "odd flag") is None
    assert reader.warnings == ["odd flag: 'maybe' is not a boolean; left unset"]


FAMILY = f"""<root xmlns:nc="{NC}" xmlns:s="{S}">
  <nc:Person s:id="P1"><nc:PersonGivenName>Ines</nc:PersonGivenName></nc:Person>
  <nc:Person s:id="P2" s:ref=""><nc:PersonGivenName>Rafa</nc:PersonGivenName></nc:Person>
  <nc:Person s:id="P1"><nc:PersonGivenName>Later</nc:PersonGivenName></nc:Person>
  <Role><nc:RoleOfPerson s:ref="P2"/><nc:PersonGivenName>  </nc:PersonGivenName></Role>
  <Link><nc:Injury><nc:Code>I</nc:Code><nc:Code s:ref="P2"/></nc:Injury>
    <nc:Injury><nc:Code>N</nc:Code></nc:Injury></Link>
</root>""".encode()


@pytest.fixture
def family() -> XmlReader:
    return XmlReader(parse_xml(FAMILY), {"nc": NC, "s": S})


def test_the_last_element_with_an_id_wins_and_an_empty_reference_is_none(
    family: XmlReader,
) -> None:
    found = family.first(family.root, "Role/nc:RoleOfPerson")
    assert found is not None and family.text(found, "nc:PersonGivenName") == "Rafa"
    ref = family.root.makeelement(f"{{{NC}}}RoleOfPerson", {f"{{{S}}}ref": "#P1"})
    assert family.text(family.resolve(ref), "nc:PersonGivenName") == "Later"


def test_flag_of_reads_a_text_already_found(reader: XmlReader) -> None:
    assert reader.flag_of("Yes", "yes") is True
    assert reader.flag_of("N", "no") is False
    assert reader.flag_of(None, "absent") is None
    assert reader.flag_of("perhaps", "odd flag") is None
    assert reader.warnings == ["odd flag: 'perhaps' is not a boolean; left unset"]
