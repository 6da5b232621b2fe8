"""Every field a court-side caller can read, listed here: a field added to a court-facing
model fails this test until someone adds it below, so reaching the court is a decision
taken on purpose (DESIGN §5), never a default."""

from typing import Any

import pytest
from pydantic import BaseModel

from api.schemas import CasePage
from api.stats import JurisdictionStats
from domain.court_view import CourtCaseView, CourtMilestone
from domain.report_views import ReportListing
from domain.reports import CourtReport

COURT_CASE_VIEW = {
    "audience",
    "case_id",
    "jurisdiction",
    "court",
    "court.court_id",
    "court.case_number",
    "court.judge",
    "participant",
    "participant.given_name",
    "participant.family_name",
    "stage",
    "outcome",
    "not_proceeded_reason",
    "next_hearing",
    "next_hearing.at",
    "next_hearing.purpose",
    "reports",
    "reports[].kind",
    "reports[].sequence",
    "reports[].filed_at",
    "reports[].court_reference",
    "reports[].status",
    "obligations",
    "obligations[].kind",
    "obligations[].description",
    "obligations[].status",
    "obligations[].met",
    "obligations[].missed",
    "obligations[].excused",
    "obligations[].next_due",
    "timeline",
    "timeline[].at",
    "timeline[].stage",
    "timeline[].event",
}

COURT_TIMELINE = {"at", "stage", "event"}

COURT_REPORT = {
    "kind",
    "case_id",
    "sequence",
    "jurisdiction",
    "court_id",
    "court_case_number",
    "participant_name",
    "generated_at",
    "stage",
    "summary",
    "not_proceeded_reason",
    "compliance",
    "obligations",
    "obligations[].kind",
    "obligations[].description",
    "obligations[].status",
    "obligations[].met",
    "obligations[].missed",
    "obligations[].excused",
    # The agreed terms: who provides, when due, what evidence, when next due.
    "obligations[].provider",
    "obligations[].first_due",
    "obligations[].every_days",
    "obligations[].occurrences",
    "obligations[].allowed_misses",
    "obligations[].evidence_required",
    "obligations[].next_due",
    "milestones",
    "milestones[].at",
    "milestones[].stage",
    "milestones[].event",
    "next_steps",
    "victim_statement",
    # The program and court by name, the judge and the next hearing: the court's own.
    "program_name",
    "court_name",
    "judge",
    "next_hearing",
    "next_hearing.at",
    "next_hearing.purpose",
    # How the report is laid out and dated: the jurisdiction's settings, the same for
    # every case of it.
    "timezone",
    "page_size",
    "recommendation",
    # Police incidents during the program: their number and date, nothing else.
    "incidents",
    "incidents[].incident_number",
    "incidents[].occurred_on",
    "version",  # an amended refile is the report's next version: the court files both
}

REPORT_LIST = {"kind", "sequence", "filed_at", "court_reference", "status"}

CASE_LIST = {
    "items",
    "items[].case_id",
    "items[].jurisdiction",
    "items[].court_case_number",
    "items[].stage",
    "items[].outcome",
    "items[].next_deadline",
    "items[].open",
    "items[].started_at",
    "next_cursor",
}

STATS = {
    "jurisdiction",
    "referrals",
    "closed",
    "reached_conference",
    "conversion_to_conference",
    "completed",
    "completion_rate",
    "not_proceeded",
    "follow_ups",
    "follow_ups[].months",
    "follow_ups[].followed_up",
    "follow_ups[].dv_rearrested",
    "follow_ups[].other_rearrested",
    "follow_ups[].dv_rate",
    "follow_ups[].other_rate",
}


def field_paths(model: type[BaseModel]) -> set[str]:
    """Every field reachable in the model's JSON schema, nested ones as `a.b` and list
    items as `a[].b`, through references, unions and nullable forms."""
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})
    found: set[str] = set()

    def walk(node: dict[str, Any], prefix: str, seen: frozenset[str]) -> None:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:  # a recursive model is listed once
                walk(definitions[name], prefix, seen | {name})
            return
        for alternative in node.get("anyOf", []) + node.get("oneOf", []):
            walk(alternative, prefix, seen)
        if "items" in node:
            walk(node["items"], f"{prefix}[]", seen)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{prefix}{{}}", seen)
        for name, child in node.get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            found.add(path)
            walk(child, path, seen)

    walk(schema, "", frozenset())
    return found


@pytest.mark.parametrize(
    ("model", "allowed"),
    [
        (CourtCaseView, COURT_CASE_VIEW),
        (CourtMilestone, COURT_TIMELINE),
        (CourtReport, COURT_REPORT),
        (ReportListing, REPORT_LIST),
        (CasePage, CASE_LIST),
        (JurisdictionStats, STATS),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_every_court_facing_field_is_on_the_allow_list(
    model: type[BaseModel], allowed: set[str]
) -> None:
    found = field_paths(model)
    new, gone = sorted(found - allowed), sorted(allowed - found)
    assert not new, f"{model.__name__} gained {new}: decide whether the court may read it"
    assert not gone, f"{model.__name__} no longer has {gone}: take it off the list"


def test_the_walk_finds_nested_and_listed_fields() -> None:
    paths = field_paths(CourtCaseView)
    assert "obligations[].status" in paths and "court.judge" in paths
