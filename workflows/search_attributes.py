"""The custom search attributes a case keeps current; lists and inboxes query them."""

from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

STAGE = SearchAttributeKey.for_keyword("CaseStage")
JURISDICTION = SearchAttributeKey.for_keyword("CaseJurisdiction")
OPEN_TASK_ROLES = SearchAttributeKey.for_keyword_list("OpenTaskRoles")
NEXT_DEADLINE = SearchAttributeKey.for_datetime("NextDeadline")
COURT_CASE_NUMBER = SearchAttributeKey.for_keyword("CourtCaseNumber")
OUTCOME = SearchAttributeKey.for_keyword("CaseOutcome")

ALL = (STAGE, JURISDICTION, OPEN_TASK_ROLES, NEXT_DEADLINE, COURT_CASE_NUMBER, OUTCOME)


def initial(jurisdiction: str, court_case_number: str) -> TypedSearchAttributes:
    return TypedSearchAttributes(
        [
            SearchAttributePair(STAGE, "referred"),
            SearchAttributePair(JURISDICTION, jurisdiction),
            SearchAttributePair(COURT_CASE_NUMBER, court_case_number),
        ]
    )
