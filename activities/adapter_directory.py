"""The court and police adapters and the notifier of every jurisdiction, built once when
the worker starts from the configuration it was given (DESIGN §4: settings by reference).

A case keeps its jurisdiction's id and its policy snapshot, never adapter settings, so a
court that moves its e-filing endpoint or rotates a client id reaches every open case
(and its follow-up two years on) when the workers restart with the new configuration.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from temporalio.exceptions import ApplicationError

from adapters.courts.court_adapter import CourtAdapter, court_adapter_for
from adapters.notifiers.base import Notifier
from adapters.notifiers.choice import DEFAULT_OUTBOX, notifier_for
from adapters.police.base import PoliceAdapter, police_adapter_for
from domain.policy import Jurisdiction

A = TypeVar("A")


class AdapterDirectory:
    def __init__(
        self, jurisdictions: Mapping[str, Jurisdiction], *, outbox_dir: Path = DEFAULT_OUTBOX
    ) -> None:
        self.outbox_dir = outbox_dir  # the dev outbox's folder, unless a jurisdiction names one
        self._courts: dict[str, CourtAdapter] = {}
        self._police: dict[str, PoliceAdapter] = {}
        self._notifiers: dict[str, Notifier] = {}
        self._jurisdictions: dict[str, Jurisdiction] = {}
        for jurisdiction in jurisdictions.values():
            self.configure(jurisdiction)

    def configure(self, jurisdiction: Jurisdiction) -> None:
        """(Re)build one jurisdiction's adapters from its configuration, now: a
        misconfigured jurisdiction stops the worker at start with its AdapterConfigError
        rather than failing each activity later."""
        court, police = court_adapter_for(jurisdiction), police_adapter_for(jurisdiction)
        notifier = notifier_for(jurisdiction, outbox_dir=self.outbox_dir)
        self._courts[jurisdiction.id], self._police[jurisdiction.id] = court, police
        self._notifiers[jurisdiction.id] = notifier
        self._jurisdictions[jurisdiction.id] = jurisdiction

    def court(self, jurisdiction_id: str) -> CourtAdapter:
        return self._find(self._courts, jurisdiction_id)

    def police(self, jurisdiction_id: str) -> PoliceAdapter:
        return self._find(self._police, jurisdiction_id)

    def notifier(self, jurisdiction_id: str) -> Notifier:
        return self._find(self._notifiers, jurisdiction_id)

    def jurisdiction(self, jurisdiction_id: str) -> Jurisdiction:
        """The jurisdiction as this worker was configured with it: its staff directory
        as it is now, which a case's snapshot never holds."""
        return self._find(self._jurisdictions, jurisdiction_id)

    @staticmethod
    def _find(adapters: Mapping[str, A], jurisdiction_id: str) -> A:
        found = adapters.get(jurisdiction_id)
        if found is None:
            # Retried, not failed: the operator restores the jurisdiction and the case goes
            # on (a filing that keeps failing becomes a staff task in the case).
            raise ApplicationError(
                f"jurisdiction {jurisdiction_id!r} is not in this worker's jurisdictions "
                "file; restore it (DIVERSION_JURISDICTIONS_FILE) and restart the worker",
                type="UnknownJurisdiction",
            )
        return found


def without_adapter_settings(jurisdiction: Jurisdiction) -> Jurisdiction:
    """What a case keeps of its jurisdiction: everything but the adapters' settings (paths,
    endpoints, client ids), which workers read from their own configuration."""
    court, police = jurisdiction.court, jurisdiction.police
    return jurisdiction.model_copy(
        update={
            "court": court.model_copy(update={"settings": {}}),
            "police": police.model_copy(update={"settings": {}}),
        }
    )
