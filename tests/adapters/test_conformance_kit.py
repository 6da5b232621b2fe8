"""The kit must fail formats that break its rules, or passing it would mean nothing."""

from pathlib import Path

import pytest
from lxml import etree

from adapters.conformance import CourtFormatConformance
from adapters.courts.base import CourtFormat, FilingDocument, RenderedReport
from adapters.courts.json_format import JsonCourtFormat
from adapters.errors import AdapterError
from adapters.registry import PluginSettings
from domain.referral import Referral

SAMPLES = Path(__file__).parent.parent / "fixtures" / "courts" / "json"


class UnsafeXmlFormat(JsonCourtFormat):
    """Reads XML the way a hurried adapter would: entities resolved, any size."""

    def parse_referral(self, document: bytes, content_type: str, jurisdiction: str) -> Referral:
        if document.lstrip().startswith(b"<"):
            parser = etree.XMLParser(resolve_entities=True, huge_tree=True)
            try:
                root = etree.fromstring(document, parser)
            except etree.XMLSyntaxError as e:
                raise AdapterError(str(e)) from e
            raise AdapterError(f"not a referral: {root.text or ''}"[:200])
        return super().parse_referral(document, content_type, jurisdiction)


class CrashingFormat(JsonCourtFormat):
    def parse_referral(self, document: bytes, content_type: str, jurisdiction: str) -> Referral:
        data = __import__("json").loads(document)
        if not data.get("charges"):
            raise KeyError("charges")  # not an AdapterError: the document would be lost
        return super().parse_referral(document, content_type, jurisdiction)


class ClockInFiling(JsonCourtFormat):
    calls = 0

    def render_filing(self, rendered: RenderedReport) -> FilingDocument:
        ClockInFiling.calls += 1
        document = super().render_filing(rendered)
        return document.model_copy(update={"content": document.content + b" " * self.calls})


class HashOfTheReport(JsonCourtFormat):
    """Keeps the structured report's hash where the PDF's belongs."""

    def render_filing(self, rendered: RenderedReport) -> FilingDocument:
        document = super().render_filing(rendered)
        return document.model_copy(update={"document_hash": rendered.report.structured_hash()})


def kit_for(fmt: CourtFormat) -> CourtFormatConformance:
    class Kit(CourtFormatConformance):
        format_name = "json"
        samples = SAMPLES

        def format(self) -> CourtFormat:
            return fmt

    return Kit()


def test_a_format_that_resolves_entities_fails_the_hostile_check(tmp_path: Path) -> None:
    kit = kit_for(UnsafeXmlFormat(PluginSettings()))
    with pytest.raises(AssertionError, match="external entity to a local file"):
        kit.test_hostile_documents_are_refused_quickly_without_io(tmp_path)


def test_a_format_that_crashes_on_a_bad_document_fails_the_invalid_check() -> None:
    kit = kit_for(CrashingFormat(PluginSettings()))
    with pytest.raises(KeyError):
        kit.test_every_invalid_sample_is_refused_with_a_reason()


def test_a_filing_that_changes_between_renders_fails_the_determinism_check() -> None:
    kit = kit_for(ClockInFiling(PluginSettings()))
    with pytest.raises(AssertionError):
        kit.test_one_report_renders_to_the_same_bytes()
    kit.test_a_filing_reads_back_as_rendered()


def test_a_filing_keeping_another_hash_than_the_pdf_s_fails_the_round_trip() -> None:
    kit = kit_for(HashOfTheReport(PluginSettings()))
    with pytest.raises(AssertionError, match="the hash is the PDF's"):
        kit.test_a_filing_reads_back_as_rendered()


def test_the_shipped_json_format_passes_the_same_checks(tmp_path: Path) -> None:
    kit = kit_for(JsonCourtFormat(PluginSettings()))
    kit.test_hostile_documents_are_refused_quickly_without_io(tmp_path)
    kit.test_every_invalid_sample_is_refused_with_a_reason()
    kit.test_one_report_renders_to_the_same_bytes()
    kit.test_a_filing_reads_back_as_rendered()
