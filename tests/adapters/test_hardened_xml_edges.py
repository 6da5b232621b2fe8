"""The hardened parser's edges, each pinned by a test: its exact refusals, the parser's
settings one by one, the one parser per thread, and the DOCTYPE scan's steps over the
prolog (so mutation testing finds every change to them; docs/mutation.md)."""

import threading
from pathlib import Path

import pytest
from lxml import etree

from adapters.xml import hardened
from adapters.xml.hardened import XmlLimits, XmlRefused, load_schema, parse_xml


def reason(document: bytes) -> str:
    with pytest.raises(XmlRefused) as refused:
        parse_xml(document)
    return refused.value.reason


def test_a_refusal_says_where_only_when_libxml2_did() -> None:
    plain = XmlRefused("the reason")
    assert (str(plain), plain.reason, plain.line, plain.column) == (
        "the reason",
        "the reason",
        None,
        None,
    )
    placed = XmlRefused("the reason", 3, 7)
    assert str(placed) == "the reason (line 3, column 7)" and placed.reason == "the reason"


@pytest.mark.parametrize("document", [b"", b" ", b"\n\t  \r\n"])
def test_an_empty_document_is_refused_as_empty(document: bytes) -> None:
    assert reason(document) == "the document is empty"


def test_a_document_at_the_size_limit_is_read() -> None:
    document = b"<a>" + b"x" * 993 + b"</a>"
    assert parse_xml(document, limits=XmlLimits(max_bytes=len(document))).text == "x" * 993


def test_the_doctype_refusal_and_a_syntax_error_read_exactly() -> None:
    assert reason(b"<!DOCTYPE r><r/>") == (
        "the document has a DOCTYPE; DTDs and entities are not accepted"
    )
    with pytest.raises(XmlRefused) as broken:
        parse_xml(b"<case>\n  <docket>A-1</dockt>\n</case>")
    assert broken.value.reason == (
        "not well-formed XML: Opening and ending tag mismatch: docket line 2 and dockt"
    )
    assert (broken.value.line, broken.value.column) == (2, 22)


def test_the_doctype_refusal_after_parsing_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hardened, "_declares_doctype", lambda document: False)
    assert reason(b"<!DOCTYPE r><r/>") == (
        "the document has a DOCTYPE; DTDs and entities are not accepted"
    )


def test_a_schema_error_says_line_and_column(tmp_path: Path) -> None:
    xsd = tmp_path / "case.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:element name="case" type="xs:string"/></xs:schema>'
    )
    with pytest.raises(XmlRefused) as refused:
        parse_xml(b"<case>\n  <court/></case>", schema=load_schema(xsd))
    assert refused.value.line == 1 and refused.value.column == 0  # as libxml2 says them


# -- the parser's settings, each on its own --------------------------------------------------


def test_internal_entities_are_not_expanded() -> None:
    root = etree.fromstring(b'<!DOCTYPE r [<!ENTITY x "expanded">]><r>&x;</r>', hardened._parser())
    assert etree.tostring(root) == b"<r>&x;</r>"


def test_an_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "court.dtd"
    dtd.write_text('<!ATTLIST r from-dtd CDATA "loaded">')
    root = etree.fromstring(
        f'<!DOCTYPE r SYSTEM "{dtd.as_uri()}"><r/>'.encode(), hardened._parser()
    )
    assert root.get("from-dtd") is None


def test_comments_and_instructions_are_dropped_by_the_parser_itself() -> None:
    root = etree.fromstring(b"<a><!-- c --><?pi x?><b/></a>", hardened._parser())
    assert [child.tag for child in root] == ["b"]


def test_libxml2s_caps_stay_on() -> None:
    deep = b"<a>" * 300 + b"</a>" * 300
    with pytest.raises(etree.XMLSyntaxError, match="Excessive depth"):
        etree.fromstring(deep, hardened._parser())


def test_one_parser_per_thread() -> None:
    mine = hardened._thread_parser()
    assert hardened._thread_parser() is mine
    assert isinstance(mine, etree.XMLParser)
    theirs: list[etree.XMLParser] = []
    thread = threading.Thread(target=lambda: theirs.append(hardened._thread_parser()))
    thread.start()
    thread.join()
    assert theirs and theirs[0] is not mine


# -- the encodings' edges -------------------------------------------------------------------


def test_a_declared_encoding_that_is_not_ascii_is_refused_by_name() -> None:
    document = b'<?xml version="1.0" encoding="UTF-8\xff"?><r/>'
    assert reason(document) == (
        "the document declares encoding UTF-8\ufffd; only UTF-8 and UTF-16 are accepted"
    )


def test_utf16_that_does_not_decode_is_refused_not_raised() -> None:
    odd = '<?xml version="1.0" encoding="UTF-16"?><r/>'.encode("utf-16") + b"\x00"
    assert reason(odd).startswith("not well-formed XML")
    lone = '<?xml version="1.0" encoding="UTF-16"?><r>'.encode("utf-16") + b"\x00\xd8</r>"
    assert reason(lone).startswith("not well-formed XML")


def test_an_unknown_wide_encoding_is_named_as_such() -> None:
    assert reason(b"<\x00\x00r") == (
        "the document is encoded in an encoding with NUL bytes; only UTF-8 and UTF-16 are accepted"
    )


# -- the scan over the prolog ----------------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE r><r/>',  # no space after the declaration
        b"<!----><!DOCTYPE r><r/>",  # an empty comment
        b"<!-- a --><!DOCTYPE r><r><!-- b --></r>",  # a comment in the body too
        b"<?a?><?b?><!DOCTYPE r><r/>",
        b"<?pi -->?><!-- c --><!DOCTYPE r><r/>",  # a comment's end inside an instruction
        b"<!-- ?> --><?pi?><!DOCTYPE r><r/>",  # an instruction's end inside a comment
        b"<?a?><!DOCTYPE r><r><?b?></r>",  # an instruction in the body too
        b"<!-- a< --><!DOCTYPE r><r/>",  # a '<' just before a comment's end
        b"<?pi <x?><!DOCTYPE r><r/>",  # a '<' just before an instruction's end
    ],
)
def test_the_scan_steps_over_each_comment_and_instruction_exactly(document: bytes) -> None:
    assert hardened._declares_doctype(document)


@pytest.mark.parametrize(
    "document",
    [
        b"<r><!DOCTYPE r></r>",
        b"<?pi ?><r/><!DOCTYPE r>",
        b"no markup at all",
        b"<!-- never closed",
        b"<?never closed",
    ],
)
def test_the_scan_stops_at_the_root(document: bytes) -> None:
    assert not hardened._declares_doctype(document)
