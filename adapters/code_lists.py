"""Code lists: the court's and police's codes for party roles and case categories,
mapped to ours. A jurisdiction's table extends the default (or replaces it), so a court
that writes "VIC" or "COMPLAINING WITNESS" needs settings, not code.

Lookups ignore case, surrounding space and punctuation between words ("Defence
Attorney", "DEFENSE-ATTORNEY" and "defense_attorney" are one key). An unknown code is
returned as None and the caller keeps it raw with a warning; it never raises.
"""

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from pydantic import Field

from adapters.registry import PluginSettings


class PartyRole(StrEnum):
    DEFENDANT = "defendant"
    VICTIM = "victim"
    PROSECUTOR = "prosecutor"
    DEFENCE_ATTORNEY = "defence_attorney"
    VICTIM_SUPPORT = "victim_support"
    PARTICIPANT_SUPPORT = "participant_support"
    OTHER = "other"


class CaseCategory(StrEnum):
    DOMESTIC_VIOLENCE = "domestic_violence"
    FAMILY_VIOLENCE = "family_violence"
    CRIMINAL = "criminal"
    OTHER = "other"


DEFAULT_PARTY_ROLES: dict[str, PartyRole] = {
    **dict.fromkeys(
        [
            "defendant",
            "def",
            "dft",
            "deft",
            "d",
            "accused",
            "respondent",
            "offender",
            "subject",
            "participant",
        ],
        PartyRole.DEFENDANT,
    ),
    **dict.fromkeys(
        [
            "victim",
            "vic",
            "vctm",
            "v",
            "complainant",
            "complaining witness",
            "cw",
            "injured party",
            "aggrieved party",
        ],
        PartyRole.VICTIM,
    ),
    **dict.fromkeys(
        [
            "prosecutor",
            "pros",
            "prosecution",
            "state",
            "people",
            "district attorney",
            "da",
            "ada",
            "state attorney",
            "crown",
            "plaintiff",
        ],
        PartyRole.PROSECUTOR,
    ),
    **dict.fromkeys(
        [
            "defense attorney",
            "defence attorney",
            "defense counsel",
            "defence counsel",
            "public defender",
            "pd",
            "dfa",
            "atty",
            "attorney for defendant",
            "counsel",
            "defense",
            "defence",
        ],
        PartyRole.DEFENCE_ATTORNEY,
    ),
    **dict.fromkeys(
        ["victim advocate", "victim support", "support person victim"],
        PartyRole.VICTIM_SUPPORT,
    ),
    **dict.fromkeys(
        ["support person defendant", "defendant support"], PartyRole.PARTICIPANT_SUPPORT
    ),
}

DEFAULT_CASE_CATEGORIES: dict[str, CaseCategory] = {
    **dict.fromkeys(
        [
            "dv",
            "domestic violence",
            "domestic",
            "domestic abuse",
            "ipv",
            "intimate partner violence",
        ],
        CaseCategory.DOMESTIC_VIOLENCE,
    ),
    **dict.fromkeys(["fv", "family violence", "family"], CaseCategory.FAMILY_VIOLENCE),
    **dict.fromkeys(
        ["cr", "crim", "criminal", "misdemeanor", "misdemeanour", "felony", "mis", "fel"],
        CaseCategory.CRIMINAL,
    ),
}


_SEPARATORS = re.compile(r"[\s_\-./]+")


def code_key(code: str) -> str:
    return _SEPARATORS.sub(" ", code.strip().lower()).strip()


class CodeListSettings(PluginSettings):
    """`mode = "extend"` adds to (and may override) the defaults; "replace" drops them."""

    mode: Literal["extend", "replace"] = "extend"
    party_roles: dict[str, PartyRole] = Field(default_factory=dict)
    case_categories: dict[str, CaseCategory] = Field(default_factory=dict)


class CodeLists:
    def __init__(self, settings: CodeListSettings | None = None) -> None:
        settings = settings or CodeListSettings()
        base_roles: Mapping[str, PartyRole] = (
            DEFAULT_PARTY_ROLES if settings.mode == "extend" else {}
        )
        base_categories: Mapping[str, CaseCategory] = (
            DEFAULT_CASE_CATEGORIES if settings.mode == "extend" else {}
        )
        self._roles = {code_key(k): v for k, v in {**base_roles, **settings.party_roles}.items()}
        self._categories = {
            code_key(k): v for k, v in {**base_categories, **settings.case_categories}.items()
        }

    def party_role(self, code: str) -> PartyRole | None:
        return self._roles.get(code_key(code))

    def case_category(self, code: str) -> CaseCategory | None:
        return self._categories.get(code_key(code))
