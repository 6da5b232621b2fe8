"""What can be checked of PDF/A-2u here without veraPDF: the XMP identification, an sRGB
output intent, every font embedded with a Unicode map, no encryption, JavaScript,
actions or attachments, a document language, and text that extracts."""

import io
import re
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

FORBIDDEN_KEYS = ("/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/Launch")


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def pdfa_problems(pdf: bytes) -> list[str]:
    """Every departure from PDF/A-2u found; empty when none."""
    found: list[str] = []
    document = reader(pdf)
    if document.is_encrypted or "/Encrypt" in document.trailer:
        found.append("the document is encrypted")
    # pypdf types a dictionary's values loosely: what is read here is checked as it goes.
    catalog: Any = document.trailer["/Root"]
    found += _identification(catalog)
    found += _output_intent(catalog)
    if not str(catalog.get("/Lang", "")).strip():
        found.append("no /Lang in the catalog")
    found += [f"{key} present" for key in _forbidden_keys(document)]
    for number, page in enumerate(document.pages, start=1):
        for name, font in _fonts(page):
            found += [f"page {number}, font {name}: {p}" for p in _font_problems(font)]
    return found


def _identification(catalog: Any) -> list[str]:
    if "/Metadata" not in catalog:
        return ["no XMP metadata stream"]
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    part = re.search(r'pdfaid:part="?(\d)', xmp) or re.search(r"<pdfaid:part>(\d)<", xmp)
    conformance = re.search(r'pdfaid:conformance="?([ABU])', xmp) or re.search(
        r"<pdfaid:conformance>([ABU])<", xmp
    )
    problems = []
    if part is None or part.group(1) != "2":
        problems.append(f"XMP pdfaid:part is {part.group(1) if part else 'missing'}, not 2")
    if conformance is None or conformance.group(1) != "U":
        got = conformance.group(1) if conformance else "missing"
        problems.append(f"XMP pdfaid:conformance is {got}, not U")
    return problems


def _output_intent(catalog: Any) -> list[str]:
    intents = catalog.get("/OutputIntents")
    if not intents:
        return ["no /OutputIntents"]
    for intent in intents:
        intent = intent.get_object()
        if intent.get("/S") != "/GTS_PDFA1":
            continue
        profile = intent.get("/DestOutputProfile")
        if profile is None:
            return ["the PDF/A output intent has no /DestOutputProfile"]
        data = profile.get_object().get_data()
        named = str(intent.get("/OutputConditionIdentifier"))
        if b"sRGB" not in data[:2000] and "sRGB" not in named:
            return ["the output intent's profile is not sRGB"]
        return []
    return ["no /GTS_PDFA1 output intent"]


def _forbidden_keys(document: PdfReader) -> set[str]:
    found: set[str] = set()
    seen: set[int] = set()

    def walk(value: PdfObject | None) -> None:
        if isinstance(value, IndirectObject):
            if value.idnum in seen:
                return
            seen.add(value.idnum)
            value = value.get_object()
        if isinstance(value, DictionaryObject):
            found.update(k for k in value if k in FORBIDDEN_KEYS)
            if value.get("/S") in ("/JavaScript", "/Launch"):
                found.add(str(value["/S"]))
            for child in value.values():
                walk(child)
        elif isinstance(value, ArrayObject):
            for child in value:
                walk(child)

    walk(document.trailer["/Root"])
    return found


def _fonts(page: Any) -> Iterator[tuple[str, Any]]:
    resources = page.get("/Resources")
    if resources is None:
        return
    fonts = resources.get_object().get("/Font")
    if fonts is None:
        return
    for name, font in fonts.get_object().items():
        yield str(name), font.get_object()


def _font_problems(font: Any) -> list[str]:
    problems = []
    if "/ToUnicode" not in font:
        problems.append("no /ToUnicode map")
    described = font
    if font.get("/Subtype") == "/Type0":
        described = font["/DescendantFonts"][0].get_object()
    descriptor = described.get("/FontDescriptor")
    if descriptor is None:
        return [*problems, "no font descriptor (a standard font, not embedded)"]
    descriptor = descriptor.get_object()
    if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        problems.append("not embedded")
    return problems
