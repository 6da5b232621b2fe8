"""Victim-to-subject relationship tokens (NIBRS data element 35), every generation.

Police systems write the same relationship several ways: the flat-file letter codes
("SE", "BG"; NCIC also writes "0F" and "0K" with a zero), the NIBRS XML tokens ("Family
Member_Spouse", "Boyfriend_Girlfriend", "NonFamily_Otherwise Known") and the code
descriptions ("Victim Was Spouse"). Older generations had HR (homosexual relationship),
which newer ones fold into boyfriend/girlfriend, so it maps there; 2019 added XR
(ex-relationship). Lookups ignore case and the punctuation between words
(`adapters.code_lists.code_key`). A jurisdiction's settings add tokens (or override
ours); an unknown token is returned as None for the caller to keep raw with a warning.
"""

from collections.abc import Mapping

from adapters.code_lists import code_key
from domain.incidents import Relationship as R

# Per relationship: the letter code, then the XML token and other spellings.
_SPELLINGS: dict[R, tuple[str, ...]] = {
    R.SPOUSE: ("SE", "Family Member_Spouse", "Victim Was Spouse", "Spouse"),
    R.COMMON_LAW_SPOUSE: (
        "CS",
        "Family Member_Spouse_Common Law",
        "Victim Was Common-Law Spouse",
        "Common-Law Spouse",
        "Spouse_Common Law",
    ),
    R.BOYFRIEND_GIRLFRIEND: (
        "BG",
        "Boyfriend_Girlfriend",
        "Victim Was Boyfriend/Girlfriend",
        "Boyfriend",
        "Girlfriend",
        "HR",
        "Homosexual relationship",
    ),
    R.EX_SPOUSE: ("XS", "Ex_Spouse", "Victim Was Ex-Spouse"),
    R.EX_RELATIONSHIP: (
        "XR",
        "Ex_Relationship",
        "Victim Was Ex-Relationship",
        "Ex_Boyfriend_Girlfriend",
    ),
    R.PARENT: ("PA", "Family Member_Parent", "Victim Was Parent", "Parent"),
    R.CHILD: ("CH", "Family Member_Child", "Victim Was Child", "Child"),
    R.SIBLING: ("SB", "Family Member_Sibling", "Victim Was Sibling", "Sibling"),
    R.STEPPARENT: ("SP", "Family Member_Stepparent", "Victim Was Stepparent", "Step-parent"),
    R.STEPCHILD: ("SC", "Family Member_Stepchild", "Victim Was Stepchild", "Step-child"),
    R.STEPSIBLING: (
        "SS",
        "Family Member_Stepsibling",
        "Victim Was Stepsibling",
        "Step-sibling",
    ),
    R.GRANDPARENT: ("GP", "Family Member_Grandparent", "Victim Was Grandparent", "Grandparent"),
    R.GRANDCHILD: ("GC", "Family Member_Grandchild", "Victim Was Grandchild", "Grandchild"),
    R.IN_LAW: ("IL", "Family Member_In-Law", "Victim Was In-law", "In-law"),
    R.OTHER_FAMILY: (
        "OF",
        "0F",
        "Family Member",
        "Victim Was Other Family Member",
        "Other Family Member",
    ),
    R.CHILD_OF_BOYFRIEND_GIRLFRIEND: (
        "CF",
        "Child of Boyfriend_Girlfriend",
        "Victim Was Child of Boyfriend or Girlfriend",
    ),
    R.ACQUAINTANCE: ("AQ", "Acquaintance", "Victim Was Acquaintance"),
    R.FRIEND: ("FR", "Friend", "Victim Was Friend"),
    R.NEIGHBOR: ("NE", "Neighbor", "Neighbour", "Victim Was Neighbor"),
    R.BABYSITTEE: ("BE", "Babysittee", "Victim Was Babysittee"),
    R.EMPLOYER: ("ER", "Employer", "Victim Was Employer"),
    R.EMPLOYEE: ("EE", "Employee", "Victim Was Employee"),
    R.OTHERWISE_KNOWN: (
        "OK",
        "0K",
        "NonFamily_Otherwise Known",
        "Victim Was Otherwise Known",
        "Otherwise Known",
    ),
    R.STRANGER: ("ST", "Stranger", "Victim Was Stranger"),
    R.UNKNOWN: ("RU", "Relationship Unknown", "Unknown"),
    R.VICTIM_WAS_OFFENDER: (
        "VO",
        "Victim Was Offender",
        "VictimSegment Was OffenderSegment",
    ),
}

DEFAULT_RELATIONSHIP_TOKENS: dict[str, R] = {
    spelling: relationship
    for relationship, spellings in _SPELLINGS.items()
    for spelling in spellings
}


class RelationshipCodes:
    def __init__(self, extension: Mapping[str, R] | None = None) -> None:
        tokens = {**DEFAULT_RELATIONSHIP_TOKENS, **(extension or {})}
        self._table = {code_key(token): relationship for token, relationship in tokens.items()}

    def lookup(self, token: str) -> R | None:
        return self._table.get(code_key(token))
