"""The notifier a jurisdiction names, built from its configuration."""

from pathlib import Path

from adapters.notifiers.base import Notifier
from domain.policy import Jurisdiction

# Where the dev outbox writes when neither the process nor the jurisdiction says.
DEFAULT_OUTBOX = Path("var/outbox")


def notifier_for(jurisdiction: Jurisdiction, *, outbox_dir: Path = DEFAULT_OUTBOX) -> Notifier:
    """The jurisdiction's notifier; an unknown kind or bad settings raise
    `AdapterConfigError` naming the jurisdiction and the field. The outbox writes to the
    process's outbox (`outbox_dir`) unless its settings name a folder."""
    choice = jurisdiction.notifier
    settings = dict(choice.settings)
    if choice.kind == "outbox":
        settings.setdefault("folder", str(outbox_dir))
    return Notifier.from_registry(
        choice.kind,
        settings,
        where=f"jurisdiction {jurisdiction.id!r}",
        name_field="notifier.kind",
        settings_field="notifier.settings",
    )
