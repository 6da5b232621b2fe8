"""A case's court reports, read back as filed: the list, and each report as JSON (the
structured report), HTML (the judge's page) or PDF (the document filed, byte for byte),
by `Accept`. Which reports a caller may read is their view's (domain.report_views)."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse, Response

from api.access import READ_CASES, allowed, case_access
from api.auth import Caller
from api.negotiation import choose
from api.problems import ProblemError, ProblemKind, problem_responses
from api.report_responses import NO_STORE, html_response, pdf_response
from api.services import Services, services
from domain.report_views import ReportListing, ReportNotKept, report_for, reports_for
from domain.reports import CourtReport

router = APIRouter(prefix="/v1", tags=["reports"])

JSON, HTML, PDF = "application/json", "text/html", "application/pdf"
OFFERS = (JSON, HTML, PDF)
PRIVATE = NO_STORE | {"Vary": "Accept, Authorization"}

CaseId = Annotated[str, Depends(case_access(READ_CASES))]
Reader = Annotated[Caller, Depends(allowed(READ_CASES))]
Found = Annotated[Services, Depends(services)]


@router.get(
    "/cases/{case_id}/reports",
    operation_id="list_case_reports",
    response_model=list[ReportListing],
    responses=problem_responses(
        ProblemKind.UNAUTHORISED, ProblemKind.FORBIDDEN, ProblemKind.NOT_FOUND
    ),
)
async def list_case_reports(case_id: CaseId, caller: Reader, found: Found) -> list[ReportListing]:
    """The reports filed to the court, oldest first: kind, sequence, when and under which
    court reference each was filed, and whether the court's system or staff filed it."""
    return reports_for(await found.gateway.view(case_id), caller.roles, datetime.now(UTC))


@router.get(
    "/cases/{case_id}/reports/{sequence}",
    operation_id="get_case_report",
    response_model=CourtReport,
    responses={
        200: {
            "description": "The report: structured (JSON), the judge's page (HTML) or the "
            "PDF filed, as `Accept` asks; JSON when it does not say.",
            "content": {
                HTML: {"schema": {"type": "string"}},
                PDF: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **problem_responses(
            ProblemKind.UNAUTHORISED,
            ProblemKind.FORBIDDEN,
            ProblemKind.NOT_FOUND,
            ProblemKind.NOT_ACCEPTABLE,
        ),
    },
)
async def get_case_report(
    case_id: CaseId,
    sequence: Annotated[int, Path(ge=1, le=100_000)],
    caller: Reader,
    found: Found,
    request: Request,
) -> Response:
    """One filed report. The PDF is the document the court received, byte for byte (its
    SHA-256 is the `ETag`), unless the victim has since taken back a statement in it:
    then it is rendered again without her words."""
    media = choose(request.headers.get("accept"), OFFERS)
    if media is None:
        raise ProblemError(
            ProblemKind.NOT_ACCEPTABLE, f"a report is sent as {', '.join(OFFERS)}", offers=OFFERS
        )
    case = await found.gateway.view(case_id)
    try:
        report = report_for(case, caller.roles, datetime.now(UTC), sequence)
    except ReportNotKept as e:
        raise ProblemError(ProblemKind.NOT_FOUND, str(e)) from None
    if report is None:
        raise ProblemError(ProblemKind.NOT_FOUND, f"case {case_id!r} has no report {sequence}")
    if media == JSON:
        return JSONResponse(report.model_dump(mode="json"), headers=PRIVATE)
    if media == HTML:
        return await html_response(report, PRIVATE)
    return await pdf_response(report, PRIVATE, "inline")
