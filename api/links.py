"""OpenAPI links: how the answer of one operation leads to the next, as staff go from a
referral to its case, from the inbox to a task, from a completion to the next task, and
from a case to a withdrawal. Clients and tools (schemathesis' stateful phase among them)
follow them instead of guessing ids."""

from typing import Any

# (operation id, statuses) -> {link name: (target operation id, {parameter: expression})}
Links = dict[str, tuple[str, dict[str, str]]]


def _case_pages(case_id: str) -> Links:
    """Everything a case id leads to."""
    where = {"case_id": case_id}
    return {
        "GetCase": ("get_case", where),
        "GetCaseTimeline": ("get_case_timeline", where),
        "ListCaseReports": ("list_case_reports", where),
        "WithdrawConsent": ("withdraw_consent", where),
        "ReportSafetyEvent": ("report_safety_event", where),
    }


LINKS: dict[tuple[str, tuple[str, ...]], Links] = {
    ("create_referral", ("201", "200")): {
        **_case_pages("$response.body#/case/case_id"),
        "ListMyTasks": ("list_my_tasks", {}),
    },
    ("list_cases", ("200",)): {
        "GetFirstCase": ("get_case", {"case_id": "$response.body#/items/0/case_id"})
    },
    ("get_case", ("200",)): {
        name: link
        for name, link in _case_pages("$request.path.case_id").items()
        if name != "GetCase"
    },
    ("list_my_tasks", ("200",)): {
        "GetFirstTask": ("get_task", {"task_id": "$response.body#/items/0/task/id"}),
        "CompleteFirstTask": ("complete_task", {"task_id": "$response.body#/items/0/task/id"}),
        "GetFirstTaskCase": ("get_case", {"case_id": "$response.body#/items/0/case/case_id"}),
    },
    ("get_task", ("200",)): {
        "CompleteTask": ("complete_task", {"task_id": "$request.path.task_id"}),
        **_case_pages("$response.body#/case/case_id"),
    },
    ("complete_task", ("200",)): {
        "GetTask": ("get_task", {"task_id": "$request.path.task_id"}),
        "ListMyTasks": ("list_my_tasks", {}),
    },
    ("withdraw_consent", ("200",)): {
        "GetCase": ("get_case", {"case_id": "$response.body#/case_id"}),
        "GetCaseTimeline": ("get_case_timeline", {"case_id": "$response.body#/case_id"}),
    },
}


def with_links(schema: dict[str, Any]) -> dict[str, Any]:
    """`LINKS` added to the responses of the operations they start from."""
    operations = {
        operation["operationId"]: operation
        for item in schema.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    for (source, statuses), links in LINKS.items():
        for status in statuses:
            response = operations[source]["responses"][status]
            response["links"] = {
                name: {"operationId": target, "parameters": parameters}
                for name, (target, parameters) in links.items()
                if target in operations
            }
    return schema
