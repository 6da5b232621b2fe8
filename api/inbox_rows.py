"""Listing cases for the inbox as raw visibility rows, decoding only what is read.

The SDK's `list_workflows` decodes every search attribute of every row it lists (about
sixteen JSON payloads a case, twice: typed and untyped), about 1 ms a case on a busy
2-core machine, which made listing a window of 100 cases cost more than the server's
answer. The inbox lists the windows with the same RPC and reads two attributes of each
row (`NextDeadline`, `OpenTaskRoles`); the rest, and the memo, only for the cases whose
tasks it shows.
"""

from collections.abc import AsyncIterator
from datetime import UTC

from temporalio.api.common.v1 import SearchAttributes
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.api.workflowservice.v1 import ListWorkflowExecutionsRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey, SearchAttributeValueType
from temporalio.converter import decode_typed_search_attributes

from api.gateway import case_summary
from api.schemas import CaseSummary

PAGE_SIZE = 1000  # rows per RPC; a fitted window holds about a tenth of that


async def rows(client: Client, query: str) -> AsyncIterator[WorkflowExecutionInfo]:
    """Every visibility row `query` matches, undecoded."""
    token = b""
    while True:
        response = await client.workflow_service.list_workflow_executions(
            ListWorkflowExecutionsRequest(
                namespace=client.namespace,
                query=query,
                page_size=PAGE_SIZE,
                next_page_token=token,
            ),
            retry=True,
        )
        for info in response.executions:
            yield info
        token = response.next_page_token
        if not token:
            return


def attribute(
    info: WorkflowExecutionInfo, key: SearchAttributeKey[SearchAttributeValueType]
) -> SearchAttributeValueType | None:
    """One search attribute of a row, decoding that one alone."""
    payload = info.search_attributes.indexed_fields.get(key.name)
    if payload is None:
        return None
    one = SearchAttributes(indexed_fields={key.name: payload})
    return decode_typed_search_attributes(one).get(key)


def summary_of_row(info: WorkflowExecutionInfo) -> CaseSummary:
    return case_summary(
        info.execution.workflow_id,
        decode_typed_search_attributes(info.search_attributes),
        running=info.status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        started_at=info.start_time.ToDatetime().replace(tzinfo=UTC),
    )
