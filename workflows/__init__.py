"""Deterministic orchestration: the case, its obligations, its follow-up, and each
contact's opt-out ledger."""

from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so activities may import workflows.messages without importing the workflows.
    if name == "WORKFLOWS":
        from workflows.case import DiversionCase
        from workflows.follow_up import RecidivismFollowUp
        from workflows.obligation import ObligationWorkflow
        from workflows.opt_out_ledger import OptOutLedger

        return [DiversionCase, ObligationWorkflow, RecidivismFollowUp, OptOutLedger]
    raise AttributeError(name)
