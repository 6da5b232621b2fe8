"""Model validators: task payloads, the agreement, the referral, and court reports."""

import hashlib
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from domain.agreement import Agreement, Obligation
from domain.enums import (
    ConferenceResult,
    ConsentMode,
    ObligationKind,
    ReportKind,
    ReviewDecision,
    Stage,
)
from domain.referral import Referral
from domain.reports import CourtReport
from domain.task_payloads import (
    MultiAgencyReview,
    ParticipantConsent,
    RecordOutcome,
    ReviewMissedObligation,
    TaskPayload,
    VictimConsent,
)
from domain.tasks import TaskCompletion
from tests.domain.factories import T0, dv_charge, make_referral

PAYLOAD: TypeAdapter[Any] = TypeAdapter(TaskPayload)


# --- victim consent --------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(ConsentMode))
def test_informed_victim_consent_with_a_mode_is_accepted(mode: ConsentMode) -> None:
    consent = VictimConsent(consents=True, mode=mode, informed=True)
    assert consent.mode is mode


def test_victim_consent_without_a_mode_is_refused() -> None:
    with pytest.raises(ValidationError, match="consent needs a mode and must be informed"):
        VictimConsent(consents=True, mode=None, informed=True)


def test_uninformed_victim_consent_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be informed"):
        VictimConsent(consents=True, mode=ConsentMode.SHUTTLE, informed=False)


def test_victim_decline_needs_no_mode() -> None:
    decline = VictimConsent(consents=False, informed=False)
    assert decline.consents is False


def test_victim_consent_informed_is_required() -> None:
    with pytest.raises(ValidationError, match="informed"):
        VictimConsent.model_validate({"consents": True, "mode": "direct"})


def test_victim_consent_validator_runs_through_task_completion() -> None:
    with pytest.raises(ValidationError, match="must be informed"):
        TaskCompletion.model_validate(
            {
                "task_id": "t-3",
                "payload": {"kind": "victim_consent", "consents": True, "informed": True},
            }
        )


def test_payload_kind_selects_the_model() -> None:
    parsed = PAYLOAD.validate_python(
        {"kind": "victim_consent", "consents": True, "mode": "letter", "informed": True}
    )
    assert isinstance(parsed, VictimConsent)
    with pytest.raises(ValidationError):
        PAYLOAD.validate_python({"kind": "no_such_task"})


# --- participant consent ---------------------------------------------------------------

EXPLANATIONS = [
    "legal_advice_explained",
    "no_obligation_explained",
    "refusal_not_weighed_explained",
]


def test_participant_consent_with_all_explanations_is_accepted() -> None:
    consent = ParticipantConsent(consents=True, **dict.fromkeys(EXPLANATIONS, True))
    assert consent.consents is True


@pytest.mark.parametrize("missing", EXPLANATIONS)
def test_participant_consent_missing_one_explanation_is_refused(missing: str) -> None:
    given_ = {name: name != missing for name in EXPLANATIONS}
    with pytest.raises(ValidationError, match="all three explanations"):
        ParticipantConsent(consents=True, **given_)


def test_participant_consent_with_no_explanations_is_refused() -> None:
    with pytest.raises(ValidationError, match="all three explanations"):
        ParticipantConsent(consents=True)


def test_participant_decline_needs_no_explanations() -> None:
    assert ParticipantConsent(consents=False).consents is False


# --- multi-agency review ---------------------------------------------------------------


def test_multi_agency_review_needs_two_agencies() -> None:
    with pytest.raises(ValidationError):
        MultiAgencyReview(may_proceed=True, agencies=["police"])
    review = MultiAgencyReview(may_proceed=True, agencies=["police", "probation"])
    assert review.agencies == ["police", "probation"]


# --- record outcome --------------------------------------------------------------------


def obligation(**changes: Any) -> Obligation:
    fields: dict[str, Any] = {
        "kind": ObligationKind.APOLOGY,
        "description": "Written apology via the facilitator",
        "first_due": T0 + timedelta(days=14),
    }
    fields.update(changes)
    return Obligation(**fields)


AGREEMENT = Agreement(obligations=[obligation()])


def test_agreement_result_with_an_agreement_is_accepted() -> None:
    outcome = RecordOutcome(result=ConferenceResult.AGREEMENT, agreement=AGREEMENT)
    assert outcome.agreement == AGREEMENT


def test_agreement_result_without_an_agreement_is_refused() -> None:
    with pytest.raises(ValidationError, match="exactly when the result is 'agreement'"):
        RecordOutcome(result=ConferenceResult.AGREEMENT)


@pytest.mark.parametrize(
    "result", [r for r in ConferenceResult if r is not ConferenceResult.AGREEMENT]
)
def test_other_results_with_an_agreement_are_refused(result: ConferenceResult) -> None:
    with pytest.raises(ValidationError, match="exactly when the result is 'agreement'"):
        RecordOutcome(result=result, agreement=AGREEMENT)
    assert RecordOutcome(result=result).agreement is None


def test_agreement_needs_an_obligation() -> None:
    with pytest.raises(ValidationError):
        Agreement(obligations=[])


# --- review of a missed obligation -----------------------------------------------------


def test_extend_with_days_is_accepted() -> None:
    review = ReviewMissedObligation(decision=ReviewDecision.EXTEND, extend_days=14)
    assert review.extend_days == 14


def test_extend_without_days_is_refused() -> None:
    with pytest.raises(ValidationError, match="extend_days is given exactly when"):
        ReviewMissedObligation(decision=ReviewDecision.EXTEND)


@pytest.mark.parametrize("days", [0, -3])
def test_extend_by_nothing_is_refused(days: float) -> None:
    with pytest.raises(ValidationError, match="greater than 0"):
        ReviewMissedObligation(decision=ReviewDecision.EXTEND, extend_days=days)


@pytest.mark.parametrize("decision", [ReviewDecision.EXCUSE, ReviewDecision.BREACH])
def test_other_decisions_refuse_extend_days(decision: ReviewDecision) -> None:
    with pytest.raises(ValidationError, match="extend_days is given exactly when"):
        ReviewMissedObligation(decision=decision, extend_days=7)
    assert ReviewMissedObligation(decision=decision).extend_days is None


# --- obligations -----------------------------------------------------------------------


def test_recurring_obligation_needs_every_days() -> None:
    with pytest.raises(ValidationError, match="needs every_days"):
        obligation(occurrences=24)


def test_recurring_obligation_with_every_days_is_accepted() -> None:
    weekly = obligation(kind=ObligationKind.COUNSELLING, occurrences=24, every_days=7)
    assert weekly.occurrences == 24


@pytest.mark.parametrize("every", [0, -7])
def test_every_days_must_be_positive(every: float) -> None:
    with pytest.raises(ValidationError):
        obligation(occurrences=3, every_days=every)


def test_occurrences_must_be_at_least_one() -> None:
    with pytest.raises(ValidationError):
        obligation(occurrences=0)


@pytest.mark.parametrize(("misses", "ok"), [(0, True), (2, True), (23, True), (24, False)])
def test_allowed_misses_fewer_than_occurrences(misses: int, ok: bool) -> None:
    if ok:
        assert obligation(occurrences=24, every_days=7, allowed_misses=misses).allowed_misses == (
            misses
        )
    else:
        with pytest.raises(ValidationError, match="fewer than occurrences"):
            obligation(occurrences=24, every_days=7, allowed_misses=misses)


def test_allowed_misses_above_occurrences_refused() -> None:
    with pytest.raises(ValidationError, match="fewer than occurrences"):
        obligation(occurrences=3, every_days=7, allowed_misses=5)


def test_negative_allowed_misses_refused() -> None:
    with pytest.raises(ValidationError):
        obligation(allowed_misses=-1)


def test_one_off_obligation_cannot_allow_its_only_occurrence_to_be_missed() -> None:
    with pytest.raises(ValidationError, match="fewer than occurrences"):
        obligation(occurrences=1, allowed_misses=1)


def test_one_off_due_dates() -> None:
    assert obligation().due_dates() == [T0 + timedelta(days=14)]


def test_weekly_due_dates() -> None:
    weekly = obligation(occurrences=24, every_days=7, allowed_misses=2)
    dates = weekly.due_dates()
    assert len(dates) == 24
    assert dates[0] == weekly.first_due
    assert dates[-1] == weekly.first_due + timedelta(weeks=23)
    assert {b - a for a, b in itertools.pairwise(dates)} == {timedelta(days=7)}


def test_due_dates_keep_the_timezone() -> None:
    chicago = ZoneInfo("America/Chicago")
    weekly = obligation(
        first_due=datetime(2026, 3, 2, 18, 0, tzinfo=chicago), occurrences=3, every_days=7
    )
    dates = weekly.due_dates()
    assert all(d.tzinfo is chicago for d in dates)
    # Across the March DST change the wall-clock time of the session stays 18:00.
    assert [d.hour for d in dates] == [18, 18, 18]


@given(
    every=st.floats(min_value=0.25, max_value=60, allow_nan=False),
    occurrences=st.integers(min_value=1, max_value=60),
)
def test_due_dates_are_evenly_spaced(every: float, occurrences: int) -> None:
    ob = obligation(every_days=every, occurrences=occurrences)
    dates = ob.due_dates()
    assert len(dates) == occurrences
    assert dates[0] == ob.first_due
    for i, d in enumerate(dates):
        assert d == ob.first_due + timedelta(days=every) * i
    assert dates == sorted(dates)
    assert len(set(dates)) == occurrences


# --- referral --------------------------------------------------------------------------


def test_referral_with_a_dv_charge_is_accepted() -> None:
    referral = make_referral(charges=[dv_charge(domestic_violence=False), dv_charge()])
    assert len(referral.charges) == 2


def test_referral_without_a_dv_charge_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least one domestic-violence charge"):
        make_referral(charges=[dv_charge(domestic_violence=False)])


def test_referral_without_charges_is_refused() -> None:
    with pytest.raises(ValidationError):
        make_referral(charges=[])


def test_charge_is_dv_unless_said_otherwise() -> None:
    body = make_referral().model_dump(mode="json")
    body["charges"] = [{"statute": "720 ILCS 5/12-3.2"}]
    assert Referral.model_validate(body).charges[0].domestic_violence is True


@pytest.mark.parametrize("jurisdiction", ["Demo", "demo county", "-demo", ""])
def test_referral_jurisdiction_must_be_an_id(jurisdiction: str) -> None:
    body = make_referral().model_dump(mode="json")
    body["jurisdiction"] = jurisdiction
    with pytest.raises(ValidationError):
        Referral.model_validate(body)


def test_referral_refuses_unknown_fields() -> None:
    body = make_referral().model_dump(mode="json")
    body["victim_phone"] = "+1-555-0000"
    with pytest.raises(ValidationError, match="Extra inputs"):
        Referral.model_validate(body)


def test_referral_round_trips_through_json() -> None:
    referral = make_referral()
    assert Referral.model_validate_json(referral.model_dump_json()) == referral


# --- court reports ---------------------------------------------------------------------


def report(**changes: Any) -> CourtReport:
    fields: dict[str, Any] = {
        "kind": ReportKind.PROGRESS,
        "case_id": "case-demo-cr-2026-00417",
        "sequence": 3,
        "jurisdiction": "demo",
        "court_id": "demo-circuit-3",
        "court_case_number": "CR-2026-00417",
        "participant_name": "Darnell Okafor",
        "generated_at": datetime(2026, 5, 1, 9, 0, tzinfo=UTC),
        "stage": Stage.MONITORING,
        "summary": "Attending the weekly programme.",
    }
    fields.update(changes)
    return CourtReport(**fields)


def test_idempotency_key_is_deterministic() -> None:
    assert report().idempotency_key == report().idempotency_key
    assert report().idempotency_key == "case-demo-cr-2026-00417:report:3"


def test_idempotency_key_ignores_content_so_a_retry_is_one_filing() -> None:
    retried = report(generated_at=datetime(2026, 5, 1, 9, 5, tzinfo=UTC), summary="re-rendered")
    assert retried.idempotency_key == report().idempotency_key


def test_idempotency_key_differs_per_sequence_and_case() -> None:
    keys = {
        report().idempotency_key,
        report(sequence=4).idempotency_key,
        report(case_id="case-demo-cr-2026-00418").idempotency_key,
    }
    assert len(keys) == 3


def test_sequence_starts_at_one() -> None:
    with pytest.raises(ValidationError):
        report(sequence=0)


def test_structured_hash_is_deterministic_and_sha256_of_the_document() -> None:
    assert report().structured_hash() == report().structured_hash()
    assert report().structured_hash() == hashlib.sha256(report().structured_data()).hexdigest()
    assert len(report().structured_hash()) == 64


@pytest.mark.parametrize(
    "change",
    [
        {"summary": "Missed two sessions."},
        {"stage": Stage.FINAL_REPORT},
        {"kind": ReportKind.NON_COMPLIANCE},
        {"victim_statement": "I feel safer now."},
        {"next_steps": "Review at the June hearing."},
        {"generated_at": datetime(2026, 5, 2, 9, 0, tzinfo=UTC)},
    ],
)
def test_structured_hash_changes_with_content(change: dict[str, Any]) -> None:
    assert report(**change).structured_hash() != report().structured_hash()


@given(st.text(min_size=1))
def test_structured_hash_changes_with_any_summary_edit(extra: str) -> None:
    base = report()
    edited = report(summary=base.summary + extra)
    assert edited.structured_hash() != base.structured_hash()
    assert edited.idempotency_key == base.idempotency_key


def test_report_has_no_field_for_victim_contact() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        report(victim_phone="+1-555-0000")
