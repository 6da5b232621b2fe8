"""Side effects, run by the worker; workflows only orchestrate them."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diversion.settings import Settings


def build_activities(settings: "Settings") -> list[Callable[..., Any]]:
    from activities.adapter_directory import AdapterDirectory
    from activities.case_activities import CaseActivities
    from activities.filing_activities import FilingActivities
    from activities.notification_activities import NotificationActivities

    adapters = AdapterDirectory(settings.jurisdictions(), outbox_dir=settings.outbox_dir)
    notifications = NotificationActivities(adapters, settings.contact_key_bytes())
    return [
        *CaseActivities(adapters).all(),
        *FilingActivities(adapters).all(),
        *notifications.all(),
    ]
