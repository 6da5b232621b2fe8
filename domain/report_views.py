"""The court reports a caller may read of a case. Which ones is decided by the caller's
view of the case (`case_views.case_view_for`), as for every other output: a report is
readable exactly when the caller's view lists it. Its content is the report as filed,
with whatever the victim has taken back since withheld (DESIGN §2 rule 2)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from domain.case import CaseState
from domain.case_views import case_view_for
from domain.enums import ReportKind, Role
from domain.reports import CourtReport, FiledReport
from domain.withholding import withhold_victim_details

ReportStatus = Literal["filed", "filed by staff"]


class ReportListing(BaseModel):
    """One filed report in a case's list of reports."""

    model_config = ConfigDict(extra="forbid")

    kind: ReportKind
    sequence: int
    filed_at: datetime | None
    court_reference: str | None
    status: ReportStatus


class ReportNotKept(LookupError):
    """A report filed before the case kept what it filed: listed, but not readable."""


def reports_for(case: CaseState, roles: Iterable[Role], now: datetime) -> list[ReportListing]:
    filed = {r.sequence: r for r in case.reports}
    return [
        ReportListing(
            kind=r.kind,
            sequence=r.sequence,
            filed_at=r.filed_at,
            court_reference=r.court_reference,
            status=_status(filed[r.sequence]),
        )
        for r in case_view_for(case, roles, now).reports
    ]


def report_for(
    case: CaseState, roles: Iterable[Role], now: datetime, sequence: int
) -> CourtReport | None:
    """Report `sequence` as the caller may read it; None if their view does not list it.
    Raises `ReportNotKept` for a filing whose content the case did not keep."""
    listed = {r.sequence for r in case_view_for(case, roles, now).reports}
    if sequence not in listed:
        return None
    filed = next(r for r in case.reports if r.sequence == sequence)
    if filed.report is None:
        raise ReportNotKept(
            f"report {sequence} was filed before the case kept the reports it filed; "
            "the court holds it"
        )
    return withhold_victim_details(filed.report, case)


def _status(filed: FiledReport) -> ReportStatus:
    # A report staff resolved by hand keeps the structured report's hash: no PDF hash
    # came back from a court that took it (workflows/case_waiting.py).
    by_staff = filed.report is not None and filed.document_hash == filed.report.structured_hash()
    return "filed by staff" if by_staff else "filed"
