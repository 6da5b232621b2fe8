"""The custom search attributes a case keeps current; lists and inboxes query them."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    SearchAttributeUpdate,
    TypedSearchAttributes,
)

STAGE = SearchAttributeKey.for_keyword("CaseStage")
JURISDICTION = SearchAttributeKey.for_keyword("CaseJurisdiction")
OPEN_TASK_ROLES = SearchAttributeKey.for_keyword_list("OpenTaskRoles")
NEXT_DEADLINE = SearchAttributeKey.for_datetime("NextDeadline")
COURT_CASE_NUMBER = SearchAttributeKey.for_keyword("CourtCaseNumber")
OUTCOME = SearchAttributeKey.for_keyword("CaseOutcome")
# Set by the API when a referral carries an Idempotency-Key; the workflow never changes it.
REFERRAL_KEY = SearchAttributeKey.for_keyword("ReferralIdempotencyKey")
# Keyed hashes of the participant's identifiers (domain.person_match.match_tokens), set at
# start, so a pushed police incident finds its cases without an identifier in the clear.
PARTICIPANT_TOKENS = SearchAttributeKey.for_keyword_list("ParticipantMatchTokens")
# For GET /v1/stats. On cases: whether it reached a conference, why it did not proceed.
REACHED_CONFERENCE = SearchAttributeKey.for_bool("CaseReachedConference")
STOP_REASON = SearchAttributeKey.for_keyword("CaseStopReason")
# On follow-ups (workflows/follow_up.py): "<months>:checked", "<months>:dv_rearrest",
# "<months>:other_rearrest". One list, as SQL visibility (the dev server) allows only
# three keyword lists in a namespace.
FOLLOW_UP_FINDINGS = SearchAttributeKey.for_keyword_list("FollowUpFindings")

ALL: tuple[SearchAttributeKey[Any], ...] = (
    STAGE,
    JURISDICTION,
    OPEN_TASK_ROLES,
    NEXT_DEADLINE,
    COURT_CASE_NUMBER,
    OUTCOME,
    REFERRAL_KEY,
    PARTICIPANT_TOKENS,
    REACHED_CONFERENCE,
    STOP_REASON,
    FOLLOW_UP_FINDINGS,
)
_BY_NAME = {key.name: key for key in ALL}

Value = str | Sequence[str] | datetime | bool | None


def initial(
    jurisdiction: str,
    court_case_number: str,
    idempotency_key: str | None = None,
    participant_tokens: Sequence[str] = (),
) -> TypedSearchAttributes:
    pairs: list[SearchAttributePair[Any]] = [
        SearchAttributePair(STAGE, "referred"),
        SearchAttributePair(JURISDICTION, jurisdiction),
        SearchAttributePair(COURT_CASE_NUMBER, court_case_number),
    ]
    if idempotency_key is not None:
        pairs.append(SearchAttributePair(REFERRAL_KEY, idempotency_key))
    if participant_tokens:
        pairs.append(SearchAttributePair(PARTICIPANT_TOKENS, list(participant_tokens)))
    return TypedSearchAttributes(pairs)


def updates(
    values: Mapping[str, Value],
) -> list[SearchAttributeUpdate[Any]]:
    """Updates for the given attribute names; None unsets the attribute."""
    result: list[SearchAttributeUpdate[Any]] = []
    for name, value in values.items():
        key = _BY_NAME[name]
        result.append(key.value_unset() if value is None else key.value_set(value))
    return result
