"""Where two JSON documents differ, as dotted paths: a conflict names fields, never values.

Two referrals are compared without the victim's contact details (DESIGN §2 rule 3): a
conflict that named `victim.contact.phone` would tell a clerk whether a guessed number
is the victim's, field by field. A repeat referral's contact details go to the advocate
instead (api/referral_intake.py)."""

from typing import Any

from domain.referral import Referral

# What the comparison leaves out of a referral.
NOT_COMPARED: dict[str, Any] = {"victim": {"contact"}}


def comparable(referral: Referral) -> dict[str, Any]:
    """The referral as JSON, without what two referrals are never compared on."""
    return referral.model_dump(mode="json", exclude=NOT_COMPARED)


def referral_differences(before: Referral, after: Referral) -> list[str]:
    return changed_paths(comparable(before), comparable(after))


def changed_paths(before: Any, after: Any, prefix: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        paths: list[str] = []
        for key in sorted(before.keys() | after.keys()):
            path = f"{prefix}.{key}" if prefix else str(key)
            paths += changed_paths(before.get(key), after.get(key), path)
        return paths
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        paths = []
        for index, (b, a) in enumerate(zip(before, after, strict=True)):
            paths += changed_paths(b, a, f"{prefix}[{index}]")
        return paths
    return [] if before == after else [prefix or "(document)"]
