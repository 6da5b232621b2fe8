"""Match tokens (domain/person_match.py): two people share a token exactly when the
matcher would match them on that key set, and a token shows no identifier in the clear."""

import hashlib
import hmac
from datetime import date

from domain.incidents import IncidentPerson
from domain.person_match import DEFAULT_MATCH_KEYS, PersonMatcher, match_tokens
from domain.referral import Participant

SECRET = b"match-secret-for-tests-only-0123456789"
MARCUS = Participant(
    given_name="Marcus",
    family_name="Lindqvist",
    date_of_birth=date(1989, 5, 17),
    identifiers={"state_id": "ST-4417-0093"},
)


BY_NAME = ("date_of_birth", "family_name", "given_name")


def expected(key: tuple[str, ...], *values: str) -> str:
    material = "\x1f".join([*key, *values])
    return hmac.new(SECRET, material.encode(), hashlib.sha256).hexdigest()[:32]


def test_one_token_per_key_set_the_person_has_every_field_of() -> None:
    tokens = match_tokens(MARCUS, DEFAULT_MATCH_KEYS, SECRET)
    assert tokens == sorted(
        [
            expected(("state_id",), "ST-4417-0093"),
            expected(BY_NAME, "1989-05-17", "lindqvist", "marcus"),
        ]
    )  # fmt: skip
    assert all(len(t) == 32 for t in tokens)
    assert not any("ST-4417" in t or "lindqvist" in t for t in tokens)


def test_a_key_set_with_a_field_missing_gives_no_token() -> None:
    no_id = MARCUS.model_copy(update={"identifiers": {}})
    assert match_tokens(no_id, DEFAULT_MATCH_KEYS, SECRET) == [
        expected(
            ("date_of_birth", "family_name", "given_name"), "1989-05-17", "lindqvist", "marcus"
        )
    ]
    nothing = MARCUS.model_copy(update={"identifiers": {}, "date_of_birth": None})
    assert match_tokens(nothing, DEFAULT_MATCH_KEYS, SECRET) == []


def test_people_share_a_token_exactly_when_the_matcher_matches_them() -> None:
    matcher = PersonMatcher(DEFAULT_MATCH_KEYS)
    same = IncidentPerson.model_validate(
        {"key": "P1", "given_name": "MÁRCUS", "family_name": "Lind qvist",
         "date_of_birth": "1989-05-17"}
    )  # fmt: skip
    namesake = IncidentPerson.model_validate(
        {"key": "P2", "given_name": "Marcus", "family_name": "Lindqvist",
         "date_of_birth": "1971-11-02"}
    )  # fmt: skip
    ours = set(match_tokens(MARCUS, DEFAULT_MATCH_KEYS, SECRET))
    assert matcher.matches(MARCUS, same) and ours & set(
        match_tokens(same, DEFAULT_MATCH_KEYS, SECRET)
    )
    assert not matcher.matches(MARCUS, namesake) and not ours & set(
        match_tokens(namesake, DEFAULT_MATCH_KEYS, SECRET)
    )


def test_another_secret_gives_other_tokens() -> None:
    assert set(match_tokens(MARCUS, DEFAULT_MATCH_KEYS, SECRET)).isdisjoint(
        match_tokens(MARCUS, DEFAULT_MATCH_KEYS, b"another-secret-0123456789abcdef")
    )
