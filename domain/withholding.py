"""Defence in depth for court-facing output: the victim's contact details and unshared
words never leave in free text, whatever field staff typed them into."""

from typing import TypeVar

from pydantic import BaseModel

from domain.case import CaseState

M = TypeVar("M", bound=BaseModel)

WITHHELD = "[withheld]"
# Shorter values (a one-word safe time, a stray initial) would blank ordinary words and
# dates; every real phone, email, address or statement is longer.
SHORTEST_SECRET = 6


def victim_secrets(case: CaseState) -> list[str]:
    """Every string a court must never read: contact details and unshared statements,
    longest first so a longer one is withheld whole."""
    contact = case.referral.victim.contact
    found = [v for v in contact.model_dump().values() if isinstance(v, str)]
    found += [s.text for s in case.victim_statements if not s.share_with_court]
    return sorted({s.strip() for s in found if len(s.strip()) >= SHORTEST_SECRET}, key=len)[::-1]


def withhold_victim_details(model: M, case: CaseState) -> M:
    """`model` with every victim secret replaced in its text (an agreement item, say,
    may quote her address). Only string values are touched, never the document's form."""
    secrets = victim_secrets(case)
    if not secrets:
        return model
    return type(model).model_validate(_scrub(model.model_dump(mode="json"), secrets))


def _scrub(value: object, secrets: list[str]) -> object:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, WITHHELD)
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, secrets) for v in value]
    return value
