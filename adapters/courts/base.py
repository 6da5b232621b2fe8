"""Court adapters' contract: a format (how documents are written) and a transport (how
they travel), each a plugin found through the adapter registry (`adapters.registry`), and
the documents that pass between them. A jurisdiction picks both by name
(`Jurisdiction.court.format` / `.transport`), so ECF by drop folder and ECF over SOAP share
one mapping; adapters/courts/court_adapter.py puts the two together.
"""

import hashlib
from abc import ABC, abstractmethod
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from adapters import registry
from adapters.errors import AdapterError
from domain.filing_status import FilingState
from domain.referral import Referral
from domain.reports import CourtReport


class RenderedReport(BaseModel):
    """A report and its PDF, as every format files it: the PDF for the judge, the report
    itself as structured data beside it. The same report always renders to the same PDF,
    so a resend of one filing carries the same bytes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    report: CourtReport
    pdf: bytes

    @classmethod
    def of(cls, report: CourtReport) -> "RenderedReport":
        from rendering.pdf import render_pdf  # WeasyPrint loads only where reports are filed

        return cls(report=report, pdf=render_pdf(report))

    @property
    def document_hash(self) -> str:
        """SHA-256 of the PDF: what the case keeps of the document the court received."""
        return hashlib.sha256(self.pdf).hexdigest()

    @property
    def structured_data(self) -> bytes:
        return self.report.structured_data()

    @property
    def file_stem(self) -> str:
        return self.report.file_stem


class FilingDocument(BaseModel):
    """A report rendered by a format, ready for a transport."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    filename: str
    content_type: str
    content: bytes
    idempotency_key: str
    document_hash: str = Field(description="SHA-256 of the report's PDF filed in it.")

    def content_hash(self) -> str:
        """Hash of the bytes sent (the envelope), as opposed to `document_hash` (the PDF)."""
        return hashlib.sha256(self.content).hexdigest()


class FilingStatus(BaseModel):
    """The court's answer to a filing: accepted, rejected (with its reason), or only
    received (`pending`: it decides later, in a callback or when asked)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    court_reference: str
    accepted: bool
    reason: str | None = None
    pending: bool = Field(default=False, description="Received; the court's decision comes later.")
    case_number: str | None = Field(
        default=None, description="The court's case number, when the answer names it."
    )

    @model_validator(mode="after")
    def _pending_is_undecided(self) -> "FilingStatus":
        if self.pending and self.accepted:
            raise ValueError("a filing only received (pending) is not yet accepted")
        return self

    @property
    def state(self) -> FilingState:
        if self.accepted:
            return "accepted"
        return "received" if self.pending else "rejected"


class FilingSummary(BaseModel):
    """A rendered filing read back: what the conformance kit checks a format kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    idempotency_key: str
    court_id: str
    court_case_number: str
    lead_document: bytes | None = Field(
        default=None, description="The report's PDF as sent; None when sent by URI."
    )
    structured_report: bytes | None = Field(
        default=None, description="The report's structured data as sent; None when by URI."
    )


class SentFiling(BaseModel):
    """What a transport got back for a filing: its reference for it, and the court's own
    answer when the exchange has one (a SOAP receipt, a REST response body), which the
    format reads, because only the format knows the court's vocabulary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: str
    reply: bytes | None = None
    answers_later: bool = Field(
        default=False,
        description="Without a reply, the court answers later (a folder court's callbacks): "
        "the filing is received, not yet accepted.",
    )


class CaseQuery(BaseModel):
    """A request for the court's current case document: the case, and the request as the
    format writes it (None for formats whose courts are asked by case number alone)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    court_id: str
    case_number: str
    document: FilingDocument | None = None


class StatusQuery(BaseModel):
    """A question to the court about one filing: the court's reference for it (from the
    receipt), the filing's idempotency key, and the request as the format writes it (None
    for formats whose courts are asked by reference alone, e.g. a REST status resource)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    court_reference: str
    idempotency_key: str
    document: FilingDocument | None = None


class CourtFormat(registry.Plugin, ABC):
    group: ClassVar[str] = registry.COURT_FORMATS
    content_types: ClassVar[tuple[str, ...]]

    @abstractmethod
    def parse_referral(self, document: bytes, content_type: str, jurisdiction: str) -> Referral:
        """Map a court's referral document; raise `AdapterError` with the specific reason."""

    @abstractmethod
    def render_filing(self, rendered: RenderedReport) -> FilingDocument:
        """The filing of one report: its PDF and its structured data, in this format's
        own way, with `document_hash` the PDF's. Deterministic: one report, one document."""

    @abstractmethod
    def read_filing(self, document: bytes) -> FilingSummary:
        """Read back a document `render_filing` wrote (the conformance kit's round trip)."""

    @abstractmethod
    def parse_filing_status(self, document: bytes) -> FilingStatus:
        """Read the court's answer to a filing (a receipt or a docketing callback)."""

    def render_case_query(self, court_id: str, case_number: str) -> CaseQuery:
        """The request a transport sends to pull a case; by default the case number alone."""
        return CaseQuery(court_id=court_id, case_number=case_number)

    def render_status_query(
        self, court_reference: str, idempotency_key: str, *, court_id: str | None = None
    ) -> StatusQuery:
        """The request a transport sends to ask how a filing stands; by default the
        reference alone. `court_id` is the court the case is before, when known (a format
        whose question names the court writes it)."""
        return StatusQuery(court_reference=court_reference, idempotency_key=idempotency_key)

    def check_content_type(self, content_type: str) -> None:
        # Parameters such as "; charset=utf-8" do not change which format reads it.
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type not in self.content_types:
            raise AdapterError(
                f"the {self.name} court format reads {', '.join(self.content_types)}, "
                f"not {content_type!r}"
            )


class CourtTransport(registry.Plugin, ABC):
    group: ClassVar[str] = registry.COURT_TRANSPORTS

    @abstractmethod
    async def send_filing(self, document: FilingDocument) -> SentFiling:
        """File the document; the reference and the court's answer, if it gave one.

        Must be idempotent by `document.idempotency_key`: sending one key twice is one
        filing with one reference, because activities are retried after timeouts. A
        transport failure raises `AdapterError`; a court's refusal is a reply, not an error.
        """

    @abstractmethod
    async def pull_case(self, query: CaseQuery) -> bytes | None:
        """The court's current case document, or None if this transport cannot pull."""

    async def filing_status(self, query: StatusQuery) -> bytes | None:
        """The court's current answer to a filing, as the format reads it; None when this
        transport cannot ask (its court calls back instead). A transport failure raises
        `AdapterError`."""
        return None
