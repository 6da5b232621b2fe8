"""Deterministic orchestration: the case and its obligations."""

from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so activities may import workflows.messages without importing the workflows.
    if name == "WORKFLOWS":
        from workflows.case import DiversionCase
        from workflows.obligation import ObligationWorkflow

        return [DiversionCase, ObligationWorkflow]
    raise AttributeError(name)
