"""The pure rules behind a withdrawal after an agreement, and a filing's versions: which
items involve the victim, how an item she ended reads, what the final report says when
the participant withdrew, and the key each version of a report is filed under."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from domain.agreement import Obligation, ObligationProgress, release_for_victim
from domain.court_reports import NOT_COMPLETED, build_report, compliance_level
from domain.enums import ComplianceLevel, ObligationKind, ObligationStatus, ReportKind, Stage
from domain.reports import CourtReport
from domain.task_payloads import ResolveFiling
from tests.domain.factories import T0, make_case


def item(kind: ObligationKind, *, victim_informed: bool = False) -> Obligation:
    return Obligation(
        kind=kind,
        description="An agreed item",
        first_due=T0 + timedelta(days=30),
        victim_informed=victim_informed,
    )


@pytest.mark.parametrize(
    ("kind", "victim_informed", "involves"),
    [
        (ObligationKind.APOLOGY, False, True),
        (ObligationKind.CONTACT_TERMS, False, True),
        (ObligationKind.RESTITUTION, True, True),  # paid through the program to her
        (ObligationKind.RESTITUTION, False, False),  # to an insurer, a fund
        (ObligationKind.BEHAVIOUR_CHANGE_PROGRAMME, True, False),  # she only hears of it
        (ObligationKind.COUNSELLING, False, False),
        (ObligationKind.SUBSTANCE_TREATMENT, False, False),
        (ObligationKind.COMMUNITY_WORK, False, False),
        (ObligationKind.OTHER, True, False),
    ],
)
def test_which_items_involve_the_victim(
    kind: ObligationKind, victim_informed: bool, involves: bool
) -> None:
    assert item(kind, victim_informed=victim_informed).involves_victim is involves


def progress(**changes: object) -> ObligationProgress:
    base = ObligationProgress(index=0, kind=ObligationKind.CONTACT_TERMS, description="Terms")
    return base.model_copy(update=changes)


def test_an_item_she_ended_reads_as_excused_from_then_on() -> None:
    ended = release_for_victim(progress(occurrences=6, met=2, missed=1, next_due=T0))
    assert (ended.status, ended.met, ended.missed, ended.excused) == (
        ObligationStatus.MET,
        2,
        1,  # a miss already tolerated stays a miss
        3,
    )
    assert ended.next_due is None and ended.released_for_victim


def test_a_miss_under_review_is_excused_with_the_rest() -> None:
    ended = release_for_victim(progress(status=ObligationStatus.UNDER_REVIEW, missed=1))
    assert (ended.met, ended.missed, ended.excused) == (0, 0, 1)


@pytest.mark.parametrize(
    ("met", "missed", "excused", "now_excused"),
    [
        (3, 1, 2, 6),  # 4 still open: excused beside the 2 the coordinator already did
        (4, 1, 5, 5),  # every occurrence settled: nothing more to excuse
    ],
)
def test_only_the_occurrences_still_open_are_excused(
    met: int, missed: int, excused: int, now_excused: int
) -> None:
    ended = release_for_victim(progress(occurrences=10, met=met, missed=missed, excused=excused))
    assert (ended.met, ended.missed, ended.excused) == (met, missed, now_excused)


def test_an_item_she_ended_reads_like_one_the_coordinator_excused() -> None:
    """What the court reads of it (domain/court_view.py, the reports' table) is the same
    as for an item whose one occurrence the coordinator excused after a miss."""
    ended = release_for_victim(progress())
    excused = progress(status=ObligationStatus.MET, excused=1)
    assert ended.model_dump(exclude={"released_for_victim"}) == excused.model_dump(
        exclude={"released_for_victim"}
    )


def test_the_final_report_says_an_agreement_the_participant_left_was_not_completed() -> None:
    case = make_case()
    case.obligations = [progress(status=ObligationStatus.CANCELLED)]
    case.agreement_not_completed = True
    assert compliance_level(case) is ComplianceLevel.SIGNIFICANT_FAILURE
    final = build_report(case, ReportKind.FINAL, T0)
    assert NOT_COMPLETED in final.summary
    assert [row.status for row in final.obligations] == [ObligationStatus.CANCELLED]
    assert "withdr" not in final.model_dump_json().lower()


def report(**changes: object) -> CourtReport:
    base = CourtReport(
        kind=ReportKind.AGREEMENT_REACHED,
        case_id="case-demo-cr-2026-00417",
        sequence=2,
        jurisdiction="demo",
        court_id="demo-circuit-3",
        court_case_number="CR-2026-00417",
        participant_name="Tavita Faleolo",
        generated_at=datetime(2026, 5, 1, 9, 0, tzinfo=UTC),
        stage=Stage.CONFERENCE,
        summary="A restorative conference was held and an agreement was reached.",
    )
    return base.model_copy(update=changes)


def test_each_version_of_a_report_has_its_own_key_and_the_first_keeps_the_old_one() -> None:
    keys = [report(version=v).idempotency_key for v in (1, 2, 3)]
    assert keys == [
        "case-demo-cr-2026-00417:report:2",
        "case-demo-cr-2026-00417:report:2:v2",
        "case-demo-cr-2026-00417:report:2:v3",
    ]


def test_a_first_version_is_the_document_it_was_before_versions_existed() -> None:
    assert "version" not in report().model_dump()
    assert '"version"' not in report().model_dump_json()
    second = report(version=2)
    assert CourtReport.model_validate_json(second.model_dump_json()).version == 2
    assert CourtReport.model_validate_json(report().model_dump_json()).version == 1


def test_an_amended_report_is_refiled() -> None:
    assert ResolveFiling(refile=True, amended=True).amended
    with pytest.raises(ValidationError, match="amended report is refiled"):
        ResolveFiling(refile=False, amended=True)
