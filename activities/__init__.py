"""Side effects, run by the worker; workflows only orchestrate them."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diversion.settings import Settings


def build_activities(settings: "Settings") -> list[Callable[..., Any]]:
    from activities.adapter_directory import AdapterDirectory
    from activities.case_activities import CaseActivities
    from activities.filing_activities import FilingActivities

    adapters = AdapterDirectory(settings.jurisdictions())
    cases = CaseActivities(outbox_dir=settings.outbox_dir, adapters=adapters)
    return cases.all() + FilingActivities(adapters).all()
