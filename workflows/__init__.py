"""Deterministic orchestration: the case, its obligations and its follow-up."""

from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so activities may import workflows.messages without importing the workflows.
    if name == "WORKFLOWS":
        from workflows.case import DiversionCase
        from workflows.follow_up import RecidivismFollowUp
        from workflows.obligation import ObligationWorkflow

        return [DiversionCase, ObligationWorkflow, RecidivismFollowUp]
    raise AttributeError(name)
