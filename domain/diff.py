"""Where two JSON documents differ, as dotted paths: a conflict names fields, never values.

Two referrals are compared without the victim's contact details (DESIGN §2 rule 3): a
conflict that named `victim.contact.phone` would tell a clerk whether a guessed number
is the victim's, field by field. A repeat referral's contact details go to the advocate
instead (api/referral_intake.py).

Nor are the court's hearings compared with the case's: the case keeps them current from the
court (workflows/case_hearings.py), so once it has pulled them, the referral the court sent
no longer reads as the case's, and the same referral sent again would be refused as a
conflict. The fingerprint of a referral as sent (`comparable`) still holds them."""

from typing import Any

from domain.referral import Referral

# What the comparison leaves out of a referral.
NOT_COMPARED: dict[str, Any] = {"victim": {"contact"}}


def comparable(referral: Referral) -> dict[str, Any]:
    """The referral as JSON, without what two referrals are never compared on."""
    return referral.model_dump(mode="json", exclude=NOT_COMPARED)


# What the case keeps current itself, so a repeat is not compared on it.
KEPT_CURRENT = ("court", "hearings")


def referral_differences(case: Referral, repeat: Referral) -> list[str]:
    """Where a repeat referral differs from the case's, by path."""
    return changed_paths(_against_case(case), _against_case(repeat))


def _against_case(referral: Referral) -> dict[str, Any]:
    document = comparable(referral)
    part, name = KEPT_CURRENT
    document[part].pop(name, None)
    return document


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
