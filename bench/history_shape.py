"""The shape of a case's history: the event counts the baseline workflow mirrors."""

import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.workflows.* are not an installed package

from temporalio.api.enums.v1 import EventType
from temporalio.client import (
    WorkflowHistory,
)


def family(workflow_id: str, children: int) -> list[str]:
    return [workflow_id, *(f"{workflow_id}.o{i}" for i in range(children))]


MIRRORED = {
    "updates": "WORKFLOW_EXECUTION_UPDATE_ACCEPTED",
    "activities": "ACTIVITY_TASK_SCHEDULED",
    "timers": "TIMER_STARTED",
    "fired": "TIMER_FIRED",
    "children": "START_CHILD_WORKFLOW_EXECUTION_INITIATED",
    "signals out": "SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED",
    "signals in": "WORKFLOW_EXECUTION_SIGNALED",
    "workflow tasks": "WORKFLOW_TASK_COMPLETED",
}


def describe(counts: collections.Counter[str], child: collections.Counter[str]) -> str:
    case = ", ".join(f"{name} {counts[event]}" for name, event in MIRRORED.items())
    each = ", ".join(f"{name} {child[event]}" for name, event in MIRRORED.items() if child[event])
    upserts = counts["UPSERT_WORKFLOW_SEARCH_ATTRIBUTES"]
    return f"history: {case}, search-attribute upserts {upserts} (not mirrored); each child: {each}"


def count_events(history: WorkflowHistory) -> collections.Counter[str]:
    return collections.Counter(
        EventType.Name(e.event_type).removeprefix("EVENT_TYPE_") for e in history.events
    )


def updates_before_first_child(history: WorkflowHistory) -> int:
    accepted = 0
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
            return accepted
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            accepted += 1
    return accepted
