"""The one XML parser every adapter uses (DESIGN §5): hostile documents are refused
before they can cost memory, time, a file read or a network call.

- A document larger than `XmlLimits.max_bytes` is refused before parsing.
- Only UTF-8 and UTF-16 are read, judged from the byte order mark, the first bytes and
  the encoding the XML declaration names; any other encoding (UTF-32, UTF-7, EBCDIC, a
  legacy code page) is refused before libxml2 sees the document, since a DOCTYPE
  written in it would slip past the scan below.
- Any DOCTYPE is refused, found by a scan of the decoded prolog: court and police
  exchanges are schema-based and never need one, and a DTD is where billion-laughs and
  external-entity attacks live. Entities are never resolved, DTDs never loaded and the
  network never used even before that check, and the parsed tree is checked again.
- libxml2's own caps stay on (huge_tree off): nesting deeper than 256 levels and text
  nodes over 10 MB are parse errors.
- Optional XSD validation: schema files are loaded with the same refusals, from local
  paths only.

Every refusal is an `XmlRefused` naming the reason, with line and column when libxml2
gave them.
"""

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from adapters.errors import AdapterError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
LIBXML2_MAX_DEPTH = 256


class XmlRefused(AdapterError):
    """A document the hardened parser will not read; the message is the specific reason."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{reason}{where}")
        self.reason = reason
        self.line = line
        self.column = column


@dataclass(frozen=True)
class XmlLimits:
    max_bytes: int = DEFAULT_MAX_BYTES


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        # Not `collect_ids=False`: with it libxml2 loads an external DTD despite
        # `load_dtd=False` (found by mutation testing; docs/mutation.md).
    )


class _RefuseEveryLoad(etree.Resolver):  # type: ignore[misc]
    """Belt and braces: were libxml2 ever to ask for an external resource, say no."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> None:
        raise XmlRefused(f"the document asks to load an external resource ({system_url!r})")


def _hardened_parser() -> etree.XMLParser:
    parser = _parser()
    parser.resolvers.add(_RefuseEveryLoad())
    return parser


# lxml parsers are not thread-safe; one per thread is the documented pattern, and the
# API and the activity worker parse in threads.
_local = threading.local()


def _thread_parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = _hardened_parser()
    return parser


# Byte order marks, longest first: UTF-32 LE's begins with UTF-16 LE's.
_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32BE"),
    (b"\xff\xfe\x00\x00", "UTF-32LE"),
    (b"\xef\xbb\xbf", "UTF-8"),
    (b"\xfe\xff", "UTF-16BE"),
    (b"\xff\xfe", "UTF-16LE"),
    (b"\xdd\x73\x66\x73", "UTF-EBCDIC"),
    (b"\x84\x31\x95\x33", "GB18030"),
    (b"+/v8", "UTF-7"),
    (b"+/v9", "UTF-7"),
    (b"+/v+", "UTF-7"),
    (b"+/v/", "UTF-7"),
)
# Without a mark, which of the first four bytes are NUL tells a wide encoding apart
# (XML 1.0, appendix F.1: '<' or whitespace is the first character).
_NUL_PATTERNS: dict[tuple[bool, ...], str] = {
    (True, True, True, False): "UTF-32BE",
    (False, True, True, True): "UTF-32LE",
    (True, True, False, True): "UCS-4 (2143 order)",
    (True, False, True, True): "UCS-4 (3412 order)",
    (True, False, True, False): "UTF-16BE",
    (False, True, False, True): "UTF-16LE",
}
_EBCDIC_XML = b"\x4c\x6f\xa7\x94"  # '<?xm'
_UTF16_NAMES = ("UTF-16", "UTF-16LE", "UTF-16BE")
# The encodings read, each with the names a document written in it may declare.
ACCEPTED = {"UTF-8": ("UTF-8",), "UTF-16LE": _UTF16_NAMES, "UTF-16BE": _UTF16_NAMES}
_DECLARED = re.compile(rb"""<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


def _encoding_of(document: bytes) -> str:
    """'UTF-8', 'UTF-16LE' or 'UTF-16BE', judged from the mark or the first bytes; any
    other encoding is refused, naming it."""
    for mark, name in _BOMS:
        if document.startswith(mark):
            return _accepted(name)
    nuls = tuple(byte == 0 for byte in document[:4])
    if any(nuls):
        return _accepted(_NUL_PATTERNS.get(nuls, "an encoding with NUL bytes"))
    if document.startswith(_EBCDIC_XML):
        return _accepted("EBCDIC")
    return "UTF-8"  # or another ASCII-compatible encoding, which its declaration names


def _accepted(name: str) -> str:
    if name not in ACCEPTED:
        raise XmlRefused(f"the document is encoded in {name}; only UTF-8 and UTF-16 are accepted")
    return name


def _as_utf8(document: bytes) -> bytes:
    """The document in UTF-8, for the scans below: itself when it is UTF-8, so the
    common case copies nothing; a UTF-16 one decoded and written again (what does not
    decode becomes U+FFFD here, and libxml2 refuses it later). Refuses a declared
    encoding that is not the one the document is written in."""
    encoding = _encoding_of(document)
    text = document if encoding == "UTF-8" else _recoded(document, encoding)
    declared = _DECLARED.match(text.removeprefix(b"\xef\xbb\xbf"))
    if declared is not None:
        named = declared.group(1).decode("ascii", "replace").upper()
        if not any(named in names for names in ACCEPTED.values()):
            raise XmlRefused(
                f"the document declares encoding {named}; only UTF-8 and UTF-16 are accepted"
            )
        if named not in ACCEPTED[encoding]:
            raise XmlRefused(f"the document declares encoding {named} but is in {encoding}")
    return text


def _recoded(document: bytes, encoding: str) -> bytes:
    return document.decode(encoding, "replace").encode("utf-8")


def _declares_doctype(document: bytes) -> bool:
    """Whether the prolog of `document` (UTF-8, as `_as_utf8` gives it) holds a DOCTYPE.
    A DOCTYPE can only stand before the root element, so the scan steps over the
    prolog's comments and processing instructions and stops at the first other markup
    (scanning whole documents cost 4 µs of a 40 µs parse). On UTF-8 bytes this scan is
    a scan of the text: every byte of a multi-byte character is above 0x7F."""
    at = document.find(b"<")
    while at != -1:
        if document.startswith(b"<!--", at):
            end, length = document.find(b"-->", at + 4), 3
        elif document.startswith(b"<?", at):
            end, length = document.find(b"?>", at + 2), 2
        else:
            return document.startswith(b"<!DOCTYPE", at)
        at = -1 if end == -1 else document.find(b"<", end + length)
    return False


def parse_xml(
    document: bytes, *, limits: XmlLimits = XmlLimits(), schema: "etree.XMLSchema | None" = None
) -> etree._Element:
    """The root element of `document`, or `XmlRefused` with the reason."""
    if len(document) > limits.max_bytes:
        raise XmlRefused(
            f"the document is {len(document):,} bytes; the limit is {limits.max_bytes:,}"
        )
    if not document or document.isspace():
        raise XmlRefused("the document is empty")
    # Cheap scans first, so a DTD is refused before libxml2 spends anything on it.
    if _declares_doctype(_as_utf8(document)):
        raise XmlRefused("the document has a DOCTYPE; DTDs and entities are not accepted")
    try:
        root = etree.fromstring(document, _thread_parser())
    except etree.XMLSyntaxError as e:
        line, column = e.position if e.position else (None, None)
        raise XmlRefused(f"not well-formed XML: {_libxml2_message(e)}", line, column) from None
    except XmlRefused:
        raise
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # Not reached while the scan above holds: kept should it ever be wrong.
        raise XmlRefused("the document has a DOCTYPE; DTDs and entities are not accepted")
    if schema is not None:
        validate(root, schema)
    return root


_QUOTED_VALUE = re.compile(r"(The value |: )'[^']*'")


def validate(element: etree._Element, schema: "etree.XMLSchema") -> None:
    """Validate one element against a schema; for formats that find their message inside
    a SOAP envelope or a vendor wrapper, where the document root is not the message."""
    if not schema.validate(element):
        error = schema.error_log.last_error
        # libxml2 quotes the offending value, which may be a birth date or a name.
        message = _QUOTED_VALUE.sub(r"\1<value>", error.message)
        raise XmlRefused(
            f"not valid against the jurisdiction's schema: {message}", error.line, error.column
        )


def _libxml2_message(error: etree.XMLSyntaxError) -> str:
    message = error.msg or str(error)
    # libxml2 appends ", line L, column C", which XmlRefused already says.
    head, sep, _ = message.rpartition(", line ")
    message = head if sep else message
    if message.startswith("Excessive depth in document"):
        return f"elements nested deeper than {LIBXML2_MAX_DEPTH} levels"
    return message


@lru_cache(maxsize=16)
def load_schema(path: Path) -> etree.XMLSchema:
    """An XSD from a local file (its imports resolved relative to it, never from the
    network); an unusable schema is a configuration error for the caller to report."""
    parser = _parser()  # schema files may include others by relative path
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as e:
        raise ValueError(f"schema {path}: {e}") from e
