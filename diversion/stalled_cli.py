"""`diversion stalled` and `diversion repair`: cases whose workflow task keeps failing.

    diversion stalled               the running workflows the Temporal server has flagged
                                    for failing or timed-out workflow tasks; exits 1 when
                                    there is any (an operator's alert: run it from cron or
                                    the monitoring system)
    diversion repair ID [--apply]   where ID's history stops replaying against this code,
                                    and what a reset there would apply again; with --apply,
                                    the reset (diversion/stalled_workflows.py says what it
                                    keeps and what runs again)

Both read the service's own settings (Temporal address, namespace, payload keys).
"""

import argparse
import asyncio
from typing import Any

from temporalio.worker import Replayer

import workflows
from diversion.settings import load_settings
from diversion.stalled_workflows import PROBLEMS, repair, stalled_workflows
from diversion.temporal_client import connect


def add_stalled_commands(commands: Any) -> None:
    stalled = commands.add_parser(
        "stalled", help="workflows whose workflow task keeps failing (exit 1 if any)"
    )
    stalled.set_defaults(run=list_stalled)
    fix = commands.add_parser(
        "repair", help="find where a workflow stops replaying; --apply resets it there"
    )
    fix.add_argument("workflow_id", metavar="ID", help="a workflow id, e.g. case-demo-cr-25-1")
    fix.add_argument("--apply", action="store_true", help="reset the run (default: only say)")
    fix.set_defaults(run=repair_workflow)


def list_stalled(args: argparse.Namespace) -> int:
    found = asyncio.run(_stalled())
    if not found:
        print(f"no running workflow is flagged in {PROBLEMS}")
        return 0
    print(f"{len(found)} workflow(s) whose workflow task keeps failing:")
    for workflow in found:
        print(f"  {workflow.workflow_id}  {workflow.workflow_type}  {', '.join(workflow.problems)}")
    print("`diversion repair ID` says where each stops replaying; the worker log says why.")
    return 1


async def _stalled() -> list[Any]:
    client = await connect(load_settings())
    return await stalled_workflows(client)


def repair_workflow(args: argparse.Namespace) -> int:
    return asyncio.run(_repair(args.workflow_id, apply=args.apply))


async def _repair(workflow_id: str, *, apply: bool) -> int:
    client = await connect(load_settings())
    replayer = Replayer(workflows=workflows.WORKFLOWS, data_converter=client.data_converter)
    divergence, new_run = await repair(client, replayer, workflow_id, apply=apply)
    if divergence is None:
        print(
            f"{workflow_id}: its history replays against this code; a reset would not help. "
            "Read the worker log for why its task fails."
        )
        return 1
    again = ", ".join(divergence.reapplied) or "nothing"
    print(
        f"{workflow_id}: the workflow task completed at event "
        f"{divergence.task_completed_event_id} no longer replays.\n"
        f"  A reset there runs that task again; applied again afterwards: {again}."
    )
    if new_run is None:
        print("  Nothing changed; run again with --apply to reset.")
        return 0
    print(f"  Reset: the case continues in run {new_run}.")
    return 0
