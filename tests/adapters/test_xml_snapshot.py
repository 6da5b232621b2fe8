"""A document read once (`adapters.xml.snapshot`) reads like `XmlReader` reads it:
references followed, empty text absent, paths as XPath's string() finds them."""

import gc

import pytest
from lxml import etree

from adapters.errors import AdapterError
from adapters.xml.hardened import parse_xml
from adapters.xml.reading import XmlReader
from adapters.xml.snapshot import Node, Tags, snapshot

NC = "http://release.niem.gov/niem/niem-core/5.0/"
S = "http://release.niem.gov/niem/structures/5.0/"
DOC = f"""<root xmlns:nc="{NC}" xmlns:s="{S}">
  <nc:Person s:id="P1"><nc:PersonGivenName>Ines</nc:PersonGivenName></nc:Person>
  <nc:Person s:id="P2" s:ref=""><nc:PersonGivenName>Rafa</nc:PersonGivenName></nc:Person>
  <nc:Person s:id="P1"><nc:PersonGivenName>Later</nc:PersonGivenName></nc:Person>
  <Role><nc:RoleOfPerson s:ref="P2"/><nc:PersonGivenName>  </nc:PersonGivenName></Role>
  <Uri><nc:RoleOfPerson s:uri="#P1"/></Uri>
  <Dangling><nc:RoleOfPerson s:ref="P9"/></Dangling>
  <Link><nc:Injury><nc:Code>I</nc:Code><!-- a comment --><nc:Code s:ref="P2"/></nc:Injury>
    <nc:Injury><nc:Code>N</nc:Code></nc:Injury></Link>
  <Names><nc:PersonName/><nc:PersonName><nc:PersonGivenName>Second</nc:PersonGivenName>
    <nc:PersonSurName>Name</nc:PersonSurName></nc:PersonName></Names>
  <Deep><A><B/></A><A><B><C>first c</C></B><B><C>second c</C></B></A></Deep>
</root>""".encode()

T = Tags({"nc": NC, "s": S})


@pytest.fixture
def document() -> etree._Element:
    return parse_xml(DOC)


def test_tags_spell_prefixed_names_and_refuse_an_unknown_prefix() -> None:
    assert T["nc:Person"] == f"{{{NC}}}Person"
    assert T["Role"] == "Role"
    with pytest.raises(KeyError, match="no namespace for the prefix of 'x:Thing'"):
        T["x:Thing"]


def test_children_by_tag_with_references_followed(document: etree._Element) -> None:
    with snapshot(document) as root:
        assert [p.id for p in root.all(T["nc:Person"])] == ["P1", "P2", "P1"]
        role = root.first(T["Role"])
        assert role is not None
        person = role.first(T["nc:RoleOfPerson"])
        assert person is not None and person.text_of(T["nc:PersonGivenName"]) == "Rafa"
        # As written, the reference is not followed.
        assert role.named(T["nc:RoleOfPerson"])[0].ref == "P2"
        # Whitespace-only text is absent, and the next tag is tried.
        assert role.text_of(T["nc:PersonGivenName"], T["nc:Missing"]) is None
        assert root.first(T["nc:Missing"]) is None and root.all(T["nc:Missing"]) == []


def test_the_last_element_with_an_id_wins_and_uri_references_work(
    document: etree._Element,
) -> None:
    with snapshot(document) as root:
        uri = root.first(T["Uri"])
        assert uri is not None
        person = uri.first(T["nc:RoleOfPerson"])
        assert person is not None and person.text_of(T["nc:PersonGivenName"]) == "Later"


def test_a_reference_to_a_missing_id_is_refused_where_it_is_followed(
    document: etree._Element,
) -> None:
    with snapshot(document) as root:
        dangling = root.first(T["Dangling"])
        assert dangling is not None
        with pytest.raises(AdapterError, match="<RoleOfPerson> at line 7 refers to id 'P9'"):
            dangling.first(T["nc:RoleOfPerson"])


def test_under_matches_the_xpath_form_and_skips_comments(document: etree._Element) -> None:
    reader = XmlReader(document, {"nc": NC, "s": S})
    with snapshot(document) as root:
        link = root.first(T["Link"])
        assert link is not None
        codes = link.under(T["nc:Injury"], T["nc:Code"])
        expected = reader.all(document, "Link/nc:Injury/nc:Code")
        assert [c.element for c in codes] == expected
        assert [c.id or c.text for c in codes] == ["I", "P2", "N"]


@pytest.mark.parametrize(
    ("steps", "xpath"),
    [
        (
            ("Names", "nc:PersonName", "nc:PersonGivenName"),
            "Names/nc:PersonName/nc:PersonGivenName",
        ),
        (
            ("Names", "nc:PersonName", "nc:PersonMiddleName"),
            "Names/nc:PersonName/nc:PersonMiddleName",
        ),
        (("Deep", "A", "B", "C"), "Deep/A/B/C"),
        (("Deep", "A", "B"), "Deep/A/B"),
        (("Role", "nc:PersonGivenName"), "Role/nc:PersonGivenName"),
        (("Missing", "A"), "Missing/A"),
    ],
)
def test_path_text_reads_what_xpath_string_reads(
    document: etree._Element, steps: tuple[str, ...], xpath: str
) -> None:
    reader = XmlReader(document, {"nc": NC, "s": S})
    with snapshot(document) as root:
        assert root.path_text(*(T[s] for s in steps)) == reader.strings(document, [xpath])[0]


def test_path_texts_read_like_path_text_with_one_or_several_outer_elements(
    document: etree._Element,
) -> None:
    with snapshot(document) as root:
        names = root.first(T["Names"])
        deep = root.first(T["Deep"])
        assert names is not None and deep is not None
        inner = (T["nc:PersonGivenName"], T["nc:PersonSurName"], T["nc:Missing"])
        several = names.path_texts(T["nc:PersonName"], *inner)
        assert several == ["Second", "Name", None]
        assert several == [names.path_text(T["nc:PersonName"], name) for name in inner]
        [only_a] = deep.named("A")[:1]
        assert only_a.path_texts("B", "C") == [only_a.path_text("B", "C")] == [None]


def test_keys_are_ids_or_places_and_lines_are_the_elements(document: etree._Element) -> None:
    with snapshot(document) as root:
        link = root.first(T["Link"])
        assert link is not None
        assert link.key() == "/root/Link"
        assert link.line == 8
        assert root.all(T["nc:Person"])[1].key() == "P2"


def test_leaving_the_block_frees_the_snapshot_without_the_garbage_collector(
    document: etree._Element,
) -> None:
    def live_nodes() -> int:
        # Objects the collector tracks include garbage it has not collected yet.
        return sum(isinstance(o, Node) for o in gc.get_objects())

    gc.collect()
    gc.disable()
    try:
        before = live_nodes()
        with snapshot(document) as root:
            assert root.first(T["Role"]) is not None
            assert live_nodes() > before
            del root
        assert live_nodes() == before, "a reference cycle kept the snapshot alive"
    finally:
        gc.enable()


def test_a_snapshot_of_an_inner_element_holds_that_element_and_what_is_under_it(
    document: etree._Element,
) -> None:
    deep = document.find("Deep")
    assert deep is not None
    with snapshot(deep) as top:
        assert top.tag == "Deep"
        assert top.path_text("A", "B", "C") == "first c"
        assert top.first("Role") is None  # a sibling, outside the snapshot
    leaf = etree.fromstring(b"<only>  alone  </only>")
    with snapshot(leaf) as top:
        assert (top.tag, top.text, top.all("only")) == ("only", "alone", [])
