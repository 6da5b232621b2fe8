"""The hardened parser reads UTF-8 and UTF-16 only (issue 17, finding 3): a document in
any other encoding is refused before libxml2 sees it, with a message naming the
encoding, so a DOCTYPE written in UTF-32 or UTF-7 never reaches the DTD parser. The
fixtures under tests/fixtures/xml/encodings are such documents; each would have reached
libxml2 before (and the UTF-7 and UTF-32 parameter entities made it ask the resolver)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from adapters.xml import hardened
from adapters.xml.hardened import XmlRefused, parse_xml

FIXTURES = Path(__file__).parent.parent / "fixtures" / "xml" / "encodings"
# Each fixture, with the encoding the refusal must name and its first bytes.
HOSTILE = {
    "utf32le-bom-parameter-entity.xml": ("UTF-32LE", b"\xff\xfe\x00\x00<\x00\x00\x00"),
    "utf32be-bom-parameter-entity.xml": ("UTF-32BE", b"\x00\x00\xfe\xff\x00\x00\x00<"),
    "utf32le-billion-laughs.xml": ("UTF-32LE", b"<\x00\x00\x00?\x00\x00\x00"),
    "utf32be-external-entity.xml": ("UTF-32BE", b"\x00\x00\x00<\x00\x00\x00?"),
    "utf7-bom-external-entity.xml": ("UTF-7", b"+/v8"),
    "utf7-parameter-entity.xml": ("UTF-7", b'<?xml version="1.0" encoding="UTF-7"?>+AD'),
}


class Recording(hardened._RefuseEveryLoad):
    """Records every load libxml2 asks for, then refuses it as the parser's own does."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str | None] = []

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> None:
        self.calls.append(system_url)
        super().resolve(system_url, public_id, context)


@dataclass
class Watch:
    resolver: Recording
    parser: etree.XMLParser
    handed_to_libxml2: list[bytes] = field(default_factory=list)


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Iterator[Watch]:
    """The hardened parser with a resolver that records what it refuses, and a record
    of every document handed to libxml2."""
    resolver = Recording()
    parser = hardened._parser()
    parser.resolvers.add(resolver)
    watch = Watch(resolver, parser)
    fromstring = etree.fromstring

    def handed(document: bytes, parser: etree.XMLParser) -> etree._Element:
        watch.handed_to_libxml2.append(document)
        return fromstring(document, parser)

    monkeypatch.setattr(hardened, "_thread_parser", lambda: parser)
    monkeypatch.setattr(etree, "fromstring", handed)
    yield watch


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_document_in_another_encoding_is_refused_before_parsing(
    name: str, watch: Watch
) -> None:
    encoding, first_bytes = HOSTILE[name]
    document = (FIXTURES / name).read_bytes()
    assert document.startswith(first_bytes)  # the fixture is what it claims

    with pytest.raises(XmlRefused) as refused:
        parse_xml(document)

    assert encoding in str(refused.value)
    assert "only UTF-8 and UTF-16 are accepted" in str(refused.value)
    assert watch.handed_to_libxml2 == []
    assert watch.resolver.calls == []


def test_the_recording_resolver_does_see_what_libxml2_asks_for() -> None:
    """The control: read by a parser that loads DTDs and resolves entities, a fixture
    makes libxml2 ask for its entity, and the resolver records it. (The hardened
    parser's own settings keep libxml2 from asking at all.)"""
    resolver = Recording()
    permissive = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)
    permissive.resolvers.add(resolver)
    document = (FIXTURES / "utf32le-bom-parameter-entity.xml").read_bytes()
    with pytest.raises(XmlRefused, match="asks to load an external resource"):
        etree.fromstring(document, permissive)
    assert resolver.calls == ["http://dtd.example.invalid/p.ent"]
    etree.fromstring(document, hardened._parser())  # read, asking for nothing


def _utf16_forms(text: str) -> dict[str, bytes]:
    return {
        "UTF-16LE with a mark": text.encode("utf-16"),  # this machine's order: LE
        "UTF-16BE with a mark": b"\xfe\xff" + text.encode("utf-16-be"),
        "UTF-16LE without": text.encode("utf-16-le"),
        "UTF-16BE without": text.encode("utf-16-be"),
        "UTF-8 with a mark": b"\xef\xbb\xbf" + text.encode(),
        "UTF-8 without": text.encode(),
    }


@pytest.mark.parametrize("form", list(_utf16_forms("")))
def test_utf8_and_utf16_are_read_in_every_form(form: str, watch: Watch) -> None:
    declared = "UTF-8" if form.startswith("UTF-8") else "UTF-16"
    text = f'<?xml version="1.0" encoding="{declared}"?><r>Zoë Ngữ 김</r>'
    assert parse_xml(_utf16_forms(text)[form]).text == "Zoë Ngữ 김"
    if "without" not in form or form.startswith("UTF-8"):
        # libxml2 tells UTF-16 without a mark by its declaration, as XML 1.0 F.1 says.
        assert parse_xml(_utf16_forms("<r>Ωμέγα</r>")[form]).text == "Ωμέγα"


@pytest.mark.parametrize("form", list(_utf16_forms("")))
def test_a_doctype_is_found_in_the_decoded_prolog_of_each_form(form: str, watch: Watch) -> None:
    text = '<?xml version="1.0"?><!-- a note --><!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'
    with pytest.raises(XmlRefused, match="has a DOCTYPE"):
        parse_xml(_utf16_forms(text)[form])
    assert watch.handed_to_libxml2 == []


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b'<?xml version="1.0" encoding="ISO-8859-1"?><r/>', "declares encoding ISO-8859-1"),
        (b"<?xml version='1.0' encoding='windows-1252'?><r/>", "declares encoding WINDOWS-1252"),
        (
            b'<?xml version="1.0" encoding="UTF-16"?><r/>',
            "declares encoding UTF-16 but is in UTF-8",
        ),
        ('<?xml version="1.0" encoding="UTF-8"?><r/>'.encode("utf-16"), "but is in UTF-16LE"),
        (b"\x4c\x6f\xa7\x94\x89\x93", "encoded in EBCDIC"),
        (b"\xdd\x73\x66\x73<r/>", "encoded in UTF-EBCDIC"),
        (b"<\x00\x00\x00r\x00\x00\x00/\x00\x00\x00>\x00\x00\x00", "encoded in UTF-32LE"),
        (b"\x00\x00<\x00\x00\x00r\x00", "encoded in UCS-4"),
        (b"\x00\x00\x00 \x00\x00\x00<", "encoded in UTF-32BE"),  # whitespace first
        (b"<\x00\x00r", "an encoding with NUL bytes"),
    ],
)
def test_other_encodings_are_refused_by_name(document: bytes, message: str, watch: Watch) -> None:
    with pytest.raises(XmlRefused, match=message):
        parse_xml(document)
    assert watch.handed_to_libxml2 == []


def test_a_declaration_in_any_case_and_quotes_is_read() -> None:
    assert parse_xml(b"<?xml version='1.0' encoding='utf-8' ?><r/>").tag == "r"
    assert parse_xml(b'<?xml version="1.0" standalone="yes"?><r/>').tag == "r"


def test_the_check_after_parsing_holds_should_the_scan_miss_a_doctype(
    monkeypatch: pytest.MonkeyPatch, watch: Watch
) -> None:
    """Issue 17, finding 8: the check of the parsed tree is the second line; with the
    scan made blind, a DOCTYPE still never gets through."""
    monkeypatch.setattr(hardened, "_declares_doctype", lambda document: False)
    for document in (b"<!DOCTYPE r><r/>", b'<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'):
        with pytest.raises(XmlRefused, match="has a DOCTYPE"):
            parse_xml(document)
        assert watch.handed_to_libxml2[-1] == document  # it was parsed: the later check
