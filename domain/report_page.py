"""A court report as a person reads it: every code in words, every date and time in the
jurisdiction's time zone. The report's template only shows what this page holds, so the
HTML page and the PDF say exactly the same thing, and this is where it is tested.

Built from the `CourtReport` alone (what was filed), never from the case.
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from domain.enums import ReportKind
from domain.local_time import in_zone, local_date, local_time
from domain.report_words import (
    COMPLIANCE,
    COMPLIANCE_MEANINGS,
    NOT_PROCEEDED_REASONS,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    REPORT_TITLES,
    STAGES,
    every_text,
    milestone_text,
)
from domain.reports import CourtReport, PageSize, ReportObligationRow


class PageModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PageItem(PageModel):
    """One agreed item: its terms, then how it stands."""

    item: str
    description: str
    provider: str
    schedule: str
    evidence: str
    status: str
    met: int
    missed: int
    excused: int


class PageLine(PageModel):
    when: str
    what: str


class ReportPage(PageModel):
    kind: ReportKind
    title: str
    sequence: int
    court_case_number: str
    court: str
    judge: str | None
    program: str
    program_case_id: str
    participant: str
    generated: str
    stage: str
    summary: str
    outcome: str | None
    compliance: str | None
    compliance_meaning: str | None
    items_heading: str
    items: list[PageItem]
    timeline: list[PageLine]
    incidents: list[PageLine]
    recommendation: str
    next_steps: str
    next_hearing: PageLine | None
    victim_statement: str | None
    page_size: PageSize
    lang: str = "en"
    document_title: str
    created: str

    def text(self) -> str:
        """Every string the page shows, joined: what the fonts must be able to print."""
        return "\n".join(_strings(self.model_dump()))


def report_page(report: CourtReport) -> ReportPage:
    tz = report.timezone
    title = REPORT_TITLES[report.kind]
    hearing = report.next_hearing
    return ReportPage(
        kind=report.kind,
        title=title,
        sequence=report.sequence,
        court_case_number=report.court_case_number,
        court=report.court_name or report.court_id,
        judge=report.judge,
        program=report.program_name or report.jurisdiction,
        program_case_id=report.case_id,
        participant=report.participant_name,
        generated=local_time(report.generated_at, tz),
        stage=STAGES[report.stage],
        summary=report.summary,
        outcome=_outcome(report),
        compliance=COMPLIANCE[report.compliance] if report.compliance else None,
        compliance_meaning=COMPLIANCE_MEANINGS[report.compliance] if report.compliance else None,
        items_heading=(
            "Agreed terms" if report.kind is ReportKind.AGREEMENT_REACHED else "Agreed items"
        ),
        items=[_item(row, tz) for row in report.obligations],
        timeline=[
            PageLine(when=local_time(m.at, tz), what=milestone_text(m.event, m.stage))
            for m in report.milestones
        ],
        incidents=[
            PageLine(
                when=local_date(i.occurred_on, tz) if i.occurred_on else "date not given",
                what=f"Police incident {i.incident_number}",
            )
            for i in report.incidents
        ],
        recommendation=report.recommendation,
        next_steps=report.next_steps,
        next_hearing=(
            PageLine(when=local_time(hearing.at, tz), what=hearing.purpose or "Hearing")
            if hearing is not None
            else None
        ),
        victim_statement=report.victim_statement,
        page_size=report.page_size,
        document_title=f"{title} {report.sequence}: {report.court_case_number}",
        created=_utc_stamp(report.generated_at),
    )


def _outcome(report: CourtReport) -> str | None:
    """The neutral reason in words, unless the summary already says just that."""
    if report.not_proceeded_reason is None:
        return None
    words = NOT_PROCEEDED_REASONS[report.not_proceeded_reason]
    return None if words == report.summary else words


def _item(row: ReportObligationRow, tz: str) -> PageItem:
    return PageItem(
        item=OBLIGATION_KINDS[row.kind],
        description=row.description,
        provider=row.provider or "not named",
        schedule=schedule_text(row, tz),
        evidence=row.evidence_required or "none named",
        status=_status_text(row, tz),
        met=row.met,
        missed=row.missed,
        excused=row.excused,
    )


def schedule_text(row: ReportObligationRow, tz: str) -> str:
    """ "Due 4 June 2026", or "24 sessions, weekly from 4 June 2026; at most 2 may be
    missed"."""
    if row.occurrences <= 1 or row.every_days is None:
        return f"Due {local_date(row.first_due, tz)}" if row.first_due else "No due date"
    start = f" from {local_date(row.first_due, tz)}" if row.first_due else ""
    text = f"{row.occurrences} sessions, {every_text(row.every_days)}{start}"
    if row.allowed_misses:
        text += f"; at most {row.allowed_misses} may be missed"
    return text


def _status_text(row: ReportObligationRow, tz: str) -> str:
    status = OBLIGATION_STATUSES[row.status]
    still_due = row.status.value in ("pending", "missed", "under_review", "excused")
    if still_due and row.next_due is not None:
        return f"{status}; next due {local_date(row.next_due, tz)}"
    return status


def _utc_stamp(at: datetime) -> str:
    """The W3C date the PDF's metadata records (UTC, to the second): fixed by the report,
    so one report always renders to the same bytes."""
    return in_zone(at, "UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
