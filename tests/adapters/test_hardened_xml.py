import time
from pathlib import Path

import pytest
from lxml import etree

from adapters.hostile_documents import hostile_documents, no_io
from adapters.xml import hardened
from adapters.xml.hardened import XmlLimits, XmlRefused, load_schema, parse_xml


@pytest.mark.parametrize("name", list(hostile_documents(Path("/nonexistent"))))
def test_each_hostile_document_is_refused_in_under_100_ms_without_io(
    name: str, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("HARDENED-SECRET")
    document = hostile_documents(secret)[name]
    with no_io() as attempts:
        started = time.thread_time()  # CPU time: see adapters.hostile_documents
        with pytest.raises(XmlRefused) as refused:
            parse_xml(document)
        elapsed = time.thread_time() - started
    assert elapsed < 0.1
    assert attempts == []
    assert "HARDENED-SECRET" not in str(refused.value)


def test_behind_the_doctype_refusal_the_parser_reads_no_entity_and_no_dtd(
    tmp_path: Path,
) -> None:
    """Were the DOCTYPE scan bypassed, the parser settings alone keep a local file unread,
    and the resolver refuses the external DTD libxml2 would otherwise fetch."""
    secret = tmp_path / "secret.txt"
    secret.write_text("HARDENED-SECRET")
    entity = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]><r>&x;</r>'.encode()
    root = etree.fromstring(entity, hardened._hardened_parser())
    assert etree.tostring(root) == b"<r>&x;</r>"
    court_dtd = tmp_path / "court.dtd"
    court_dtd.write_text('<!ATTLIST r from-dtd CDATA "loaded">')
    dtd = f'<!DOCTYPE r SYSTEM "{court_dtd.as_uri()}"><r/>'.encode()
    assert etree.fromstring(dtd, hardened._hardened_parser()).get("from-dtd") is None
    # Were libxml2 to ask for it all the same, the resolver refuses.
    with pytest.raises(XmlRefused, match="asks to load an external resource"):
        hardened._RefuseEveryLoad().resolve(court_dtd.as_uri(), None, None)


def test_a_syntax_error_names_line_and_column() -> None:
    with pytest.raises(XmlRefused) as refused:
        parse_xml(b"<case>\n  <docket>A-1</dockt>\n</case>")
    assert refused.value.line == 2
    assert refused.value.column is not None
    assert "Opening and ending tag mismatch" in str(refused.value)
    assert "(line 2, column" in str(refused.value)


def test_depth_is_reported_in_our_words() -> None:
    with pytest.raises(XmlRefused, match="nested deeper than 256 levels"):
        parse_xml(b"<a>" * 300 + b"</a>" * 300)
    assert parse_xml(b"<a>" * 200 + b"</a>" * 200).tag == "a"


def test_size_limit_is_a_setting() -> None:
    with pytest.raises(XmlRefused, match="1,000 bytes; the limit is 999"):
        parse_xml(b"<a>" + b"x" * 993 + b"</a>", limits=XmlLimits(max_bytes=999))


def test_comments_and_processing_instructions_do_not_reach_the_mapping() -> None:
    root = parse_xml(b"<a><!-- note --><?pi x?><b>1</b></a>")
    assert [child.tag for child in root] == ["b"]


def test_schema_validation_refuses_with_the_schema_message(tmp_path: Path) -> None:
    xsd = tmp_path / "case.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:element name="case"><xs:complexType><xs:sequence>'
        '<xs:element name="docket" type="xs:string"/>'
        "</xs:sequence></xs:complexType></xs:element></xs:schema>"
    )
    schema = load_schema(xsd)
    assert parse_xml(b"<case><docket>D-1</docket></case>", schema=schema).tag == "case"
    with pytest.raises(XmlRefused, match="not valid against the jurisdiction's schema") as bad:
        parse_xml(b"<case>\n<court>X</court></case>", schema=schema)
    assert bad.value.line == 2


def test_schema_errors_do_not_quote_the_value(tmp_path: Path) -> None:
    xsd = tmp_path / "person.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:element name="BirthDate" type="xs:date"/></xs:schema>'
    )
    with pytest.raises(XmlRefused) as refused:
        parse_xml(b"<BirthDate>1988</BirthDate>", schema=load_schema(xsd))
    assert "1988" not in str(refused.value)
    assert "Element 'BirthDate': <value> is not a valid value" in str(refused.value)


def test_an_unusable_schema_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"schema .*missing\.xsd"):
        load_schema(tmp_path / "missing.xsd")


@pytest.mark.parametrize(
    "document",
    [
        b"<!DOCTYPE r><r/>",
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a <r> in a comment -->'
        b"<?pi <r>?>\n<!DOCTYPE r><r/>",
        " <!DOCTYPE r><r/>".encode("utf-16-le"),
        "<!DOCTYPE r><r/>".encode("utf-16"),
        "<!DOCTYPE r><r/>".encode("utf-16-be"),
    ],
)
def test_the_scan_finds_a_doctype_behind_comments_instructions_and_in_utf16(
    document: bytes,
) -> None:
    assert hardened._declares_doctype(hardened._as_utf8(document))
    with pytest.raises(XmlRefused, match="has a DOCTYPE"):
        parse_xml(document)


def test_the_scan_stops_at_the_root_so_doctype_text_in_the_body_is_content() -> None:
    body = b'<?xml version="1.0"?><!-- x --><r><![CDATA[<!DOCTYPE r>]]></r>'
    assert not hardened._declares_doctype(body)
    assert parse_xml(body).text == "<!DOCTYPE r>"
    assert not hardened._declares_doctype(b"<!-- never closed <!DOCTYPE r><r/>")
