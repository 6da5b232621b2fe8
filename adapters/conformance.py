"""The conformance kit: what every court format and police adapter must do, run against
its samples (`CourtFormatConformance`, `PoliceAdapterConformance`).

An integrator subclasses `CourtFormatConformance` in their own test module and pytest runs
every check with their format and sample documents:

    from pathlib import Path
    from adapters.conformance import CourtFormatConformance

    class TestAcmeFormat(CourtFormatConformance):
        format_name = "acme"                      # as registered in the entry point
        samples = Path(__file__).parent / "samples" / "acme"

The samples folder holds the court's real-shaped (invented) documents, named by what they
must do:

    referral-*.xml|json         parses to a Referral with the required fields
    invalid-*.xml|json          refused with an AdapterError (not a crash)
    status-accepted-*.xml|json  a filing status read as accepted
    status-rejected-*.xml|json  a filing status read as rejected, with a reason
    settings.json               optional: the format settings the samples need

Beyond the samples, the kit checks the filing round trip (render, read back, same key,
court and case, same bytes twice) and that hostile documents (billion laughs, external
entities and DTDs, 100 MB, 10,000-deep nesting) are refused in under 100 ms each without
a file opened or a connection attempted, and that parsing every sample touches no network.
"""

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import ClassVar

import pytest

from adapters.courts.base import CourtFormat, RenderedReport
from adapters.errors import AdapterError
from adapters.hostile_documents import no_io, refuses_hostile_documents
from adapters.police.base import PoliceAdapter
from domain.enums import ReportKind, Stage
from domain.referral import Referral
from domain.reports import CourtReport

JURISDICTION = "conformance"


def sample_report(
    court_id: str = "conformance-court", case_number: str = "CF-2026-00001"
) -> CourtReport:
    return CourtReport(
        kind=ReportKind.PROGRESS,
        case_id=f"case-{JURISDICTION}-{case_number}",
        sequence=3,
        jurisdiction=JURISDICTION,
        court_id=court_id,
        court_case_number=case_number,
        participant_name="Jordan Ellery",
        generated_at=datetime(2026, 5, 4, 16, 30, tzinfo=UTC),
        stage=Stage.MONITORING,
        summary="Two of three obligations are met; the third is due next month.",
        next_steps="A final report follows completion.",
    )


@cache
def sample_rendered() -> RenderedReport:
    """`sample_report()` with its PDF, rendered once: what a format files."""
    return RenderedReport.of(sample_report())


class CourtFormatConformance:
    format_name: ClassVar[str]
    samples: ClassVar[Path]

    # -- setup ---------------------------------------------------------------------------

    def format(self) -> CourtFormat:
        settings_file = self.samples / "settings.json"
        settings = json.loads(settings_file.read_text()) if settings_file.exists() else {}
        return CourtFormat.from_registry(
            self.format_name,
            settings,
            where=f"conformance samples {self.samples}",
            name_field="format",
            settings_field="settings.json",
        )

    def documents(self, prefix: str) -> list[Path]:
        return sorted(
            p
            for p in self.samples.iterdir()
            if p.name.startswith(prefix) and p.suffix in (".xml", ".json")
        )

    def content_type(self, path: Path, fmt: CourtFormat) -> str:
        wanted = "application/json" if path.suffix == ".json" else "application/xml"
        return wanted if wanted in fmt.content_types else fmt.content_types[0]

    def parse(self, fmt: CourtFormat, path: Path) -> Referral:
        return fmt.parse_referral(path.read_bytes(), self.content_type(path, fmt), JURISDICTION)

    # -- samples -------------------------------------------------------------------------

    def test_there_are_referral_samples(self) -> None:
        assert self.documents("referral-"), f"no referral-* samples in {self.samples}"

    def test_every_referral_sample_maps_the_required_fields(self) -> None:
        fmt = self.format()
        for path in self.documents("referral-"):
            referral = self.parse(fmt, path)
            assert referral.jurisdiction == JURISDICTION, path.name
            assert referral.court.case_number.strip(), path.name
            assert referral.court.court_id.strip(), path.name
            for person in (referral.participant, referral.victim):
                assert person.given_name.strip() and person.family_name.strip(), path.name
            assert referral.charges and all(c.statute.strip() for c in referral.charges), path.name

    def test_every_invalid_sample_is_refused_with_a_reason(self) -> None:
        fmt = self.format()
        for path in self.documents("invalid-"):
            with pytest.raises(AdapterError) as refused:
                self.parse(fmt, path)
            assert str(refused.value).strip(), f"{path.name}: refused without a reason"

    def test_filing_status_samples_read_as_named(self) -> None:
        fmt = self.format()
        for path in self.documents("status-accepted-"):
            assert fmt.parse_filing_status(path.read_bytes()).accepted, path.name
        for path in self.documents("status-rejected-"):
            status = fmt.parse_filing_status(path.read_bytes())
            assert not status.accepted, path.name
            assert status.reason, f"{path.name}: a rejection without a reason"

    def test_parsing_samples_uses_no_network(self) -> None:
        fmt = self.format()
        paths = self.documents("referral-") + self.documents("invalid-")
        contents = [(p, p.read_bytes(), self.content_type(p, fmt)) for p in paths]
        with no_io() as attempts:
            for path, content, content_type in contents:
                try:
                    fmt.parse_referral(content, content_type, JURISDICTION)
                except AdapterError:
                    assert path.name.startswith("invalid-"), path.name
        assert not [a for a in attempts if not a.startswith("open")], attempts

    # -- filing --------------------------------------------------------------------------

    def test_a_filing_reads_back_as_rendered(self) -> None:
        fmt = self.format()
        rendered = sample_rendered()
        report = rendered.report
        document = fmt.render_filing(rendered)
        assert document.idempotency_key == report.idempotency_key
        assert document.document_hash == rendered.document_hash, "the hash is the PDF's"
        summary = fmt.read_filing(document.content)
        assert summary.idempotency_key == report.idempotency_key
        assert summary.court_case_number == report.court_case_number
        assert summary.court_id == report.court_id
        if summary.lead_document is not None:
            assert summary.lead_document == rendered.pdf, "the PDF is filed as rendered"
        if summary.structured_report is not None:
            assert CourtReport.model_validate_json(summary.structured_report) == report

    def test_one_report_renders_to_the_same_bytes(self) -> None:
        fmt = self.format()
        assert (
            fmt.render_filing(sample_rendered()).content
            == fmt.render_filing(sample_rendered()).content
        )

    # -- hostile documents ---------------------------------------------------------------

    def test_hostile_documents_are_refused_quickly_without_io(self, tmp_path: Path) -> None:
        fmt = self.format()
        content_type = self.content_type(Path("x.xml"), fmt)
        refuses_hostile_documents(
            tmp_path, lambda document: fmt.parse_referral(document, content_type, JURISDICTION)
        )


class PoliceAdapterConformance:
    """The same kit for police adapters: `incident-*` samples must each parse to one
    incident with its number, `invalid-*` ones be refused with an `AdapterError`."""

    adapter_name: ClassVar[str]
    samples: ClassVar[Path]
    content_type: ClassVar[str] = "application/xml"

    def adapter(self) -> PoliceAdapter:
        settings_file = self.samples / "settings.json"
        settings = json.loads(settings_file.read_text()) if settings_file.exists() else {}
        return PoliceAdapter.from_registry(
            self.adapter_name,
            settings,
            where=f"conformance samples {self.samples}",
            name_field="adapter",
            settings_field="settings.json",
        )

    def documents(self, prefix: str) -> list[Path]:
        return sorted(p for p in self.samples.iterdir() if p.name.startswith(prefix))

    def test_there_are_incident_samples(self) -> None:
        assert self.documents("incident-"), f"no incident-* samples in {self.samples}"

    def test_every_incident_sample_maps_its_number(self) -> None:
        adapter = self.adapter()
        for path in self.documents("incident-"):
            incident = adapter.parse_incident(path.read_bytes(), self.content_type)
            assert incident.incident_number.strip(), path.name

    def test_every_invalid_sample_is_refused_with_a_reason(self) -> None:
        adapter = self.adapter()
        for path in self.documents("invalid-"):
            with pytest.raises(AdapterError) as refused:
                adapter.parse_incident(path.read_bytes(), self.content_type)
            assert str(refused.value).strip(), path.name

    def test_parsing_samples_uses_no_network(self) -> None:
        adapter = self.adapter()
        contents = [(p, p.read_bytes()) for p in self.documents("incident-")]
        with no_io() as attempts:
            for _path, content in contents:
                adapter.parse_incident(content, self.content_type)
        assert not [a for a in attempts if not a.startswith("open")], attempts

    def test_hostile_documents_are_refused_quickly_without_io(self, tmp_path: Path) -> None:
        adapter = self.adapter()
        refuses_hostile_documents(
            tmp_path, lambda document: adapter.parse_incident(document, self.content_type)
        )
