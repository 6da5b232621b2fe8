"""Is the person in a police incident the person in our case? Never by name alone.

A jurisdiction configures match keys, e.g. `[["state_id"], ["date_of_birth",
"family_name", "given_name"]]`: the two people match when every field of any one key set
is present on both and equal. `given_name`, `family_name` and `date_of_birth` are the
person's own fields; any other name is an identifier scheme (`Person.identifiers`).

- Identifiers compare exactly (surrounding space aside), scheme by scheme.
- Names compare ignoring case, accents and spaces ("Lindqvist", "LINDQVIST",
  "Lindqvíst" are one name): police and courts transcribe names differently.
- A key set made only of names (or of a date of birth alone) is refused when it is
  configured: different people share them, and linking a stranger's incident to a
  participant would end their case.
"""

import hashlib
import hmac
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Protocol

NAME_FIELDS = frozenset({"given_name", "family_name"})
PERSON_FIELDS = NAME_FIELDS | {"date_of_birth"}

DEFAULT_MATCH_KEYS: tuple[tuple[str, ...], ...] = (
    ("state_id",),
    ("date_of_birth", "family_name", "given_name"),
)


class Identifiable(Protocol):
    @property
    def given_name(self) -> str | None: ...
    @property
    def family_name(self) -> str | None: ...
    @property
    def date_of_birth(self) -> date | None: ...
    @property
    def identifiers(self) -> dict[str, str]: ...


class PersonMatcher:
    def __init__(self, keys: Sequence[Sequence[str]]) -> None:
        self.keys = check_match_keys(keys)

    def matches(self, ours: Identifiable, theirs: Identifiable) -> bool:
        return any(self._key_matches(key, ours, theirs) for key in self.keys)

    def _key_matches(self, key: tuple[str, ...], ours: Identifiable, theirs: Identifiable) -> bool:
        for field in key:
            mine, other = _value(ours, field), _value(theirs, field)
            if mine is None or other is None or mine != other:
                return False
        return True


def match_tokens(person: Identifiable, keys: Sequence[Sequence[str]], secret: bytes) -> list[str]:
    """One keyed hash per key set the person has every field of. Two people share a
    token exactly when `PersonMatcher` would match them on that key set, so incidents can
    be matched to cases through a search attribute that holds no identifier in the clear
    (and that the secret keeps from being brute-forced from a list of birth dates)."""
    tokens = []
    for key in check_match_keys(keys):
        values = [_value(person, field) for field in key]
        if any(v is None for v in values):
            continue
        material = "\x1f".join([*key, *(str(v) for v in values)])
        tokens.append(hmac.new(secret, material.encode(), hashlib.sha256).hexdigest()[:32])
    return sorted(tokens)


def check_match_keys(keys: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """The key sets, validated; `ValueError` names the key set at fault."""
    if not keys:
        raise ValueError("match keys: at least one key set is needed, or no incident matches")
    checked = []
    for number, key in enumerate(keys, start=1):
        fields = tuple(f.strip() for f in key)
        if not fields or any(not f for f in fields):
            raise ValueError(f"match key set {number} {list(key)!r} has an empty field name")
        if set(fields) <= NAME_FIELDS:
            raise ValueError(
                f"match key set {number} {list(fields)!r} is made only of names; add a date "
                "of birth or an identifier, since different people share names"
            )
        if set(fields) == {"date_of_birth"}:
            raise ValueError(
                f"match key set {number} {list(fields)!r} is a date of birth alone, which "
                "many people share; add a name or an identifier"
            )
        checked.append(fields)
    return tuple(checked)


def _value(person: Identifiable, field: str) -> str | date | None:
    if field in NAME_FIELDS:
        name: str | None = getattr(person, field)
        return _name_key(name) if name else None
    if field == "date_of_birth":
        return person.date_of_birth
    identifier = person.identifiers.get(field)
    return identifier.strip() or None if identifier is not None else None


def _name_key(name: str) -> str | None:
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(bare.casefold().split()) or None
