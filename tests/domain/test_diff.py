"""Where two referrals differ (domain/diff.py): dotted paths, never values, and never the
victim's contact details (issue 17, finding 5)."""

from typing import Any

from domain.diff import changed_paths, comparable, referral_differences
from domain.enums import Plea
from tests.domain.factories import make_referral


def test_identical_documents_differ_nowhere() -> None:
    document = {"a": 1, "b": [1, {"c": "x"}], "d": None}
    assert changed_paths(document, document) == []


def test_paths_are_dotted_sorted_and_indexed() -> None:
    before: dict[str, Any] = {"b": {"y": 1, "x": 2}, "a": [1, 2, 3], "c": "same"}
    after: dict[str, Any] = {"b": {"y": 1, "x": 3}, "a": [1, 5, 3], "c": "same"}
    assert changed_paths(before, after) == ["a[1]", "b.x"]


def test_a_key_on_one_side_only_is_a_difference() -> None:
    assert changed_paths({"a": 1}, {"a": 1, "b": None}) == []  # absent reads as None
    assert changed_paths({"a": 1}, {"a": 1, "b": 0}) == ["b"]
    assert changed_paths({"a": {"x": 1}}, {}) == ["a"]


def test_lists_of_another_length_differ_as_a_whole() -> None:
    assert changed_paths({"a": [1, 2]}, {"a": [1, 2, 3]}) == ["a"]
    assert changed_paths([1], [2]) == ["[0]"]


def test_documents_of_another_kind_differ_as_a_whole() -> None:
    assert changed_paths({"a": 1}, [1]) == ["(document)"]
    assert changed_paths(1, 2) == ["(document)"]
    assert changed_paths({"a": {"b": 1}}, {"a": [1]}) == ["a"]


def test_the_victims_contact_is_never_compared() -> None:
    before = make_referral()
    after = before.model_copy(deep=True)
    after.victim.contact.phone = "+1 555 0123 987"
    after.victim.contact.address = "9 Elsewhere Road"
    assert referral_differences(before, after) == []
    assert "contact" not in comparable(after)["victim"]
    after.victim.given_name = "Yevgenia"
    after.plea = Plea.NOT_GUILTY
    assert referral_differences(before, after) == ["plea", "victim.given_name"]


def test_a_repeat_is_not_compared_on_the_hearings_the_case_pulled_since() -> None:
    sent = make_referral()
    case = sent.model_copy(deep=True)
    case.court.hearings = []  # the court's current list replaced what the referral said
    assert referral_differences(case, sent) == []
    assert comparable(case) != comparable(sent)  # the fingerprint of what was sent keeps them
    case.court.judge = "Hon. Mereana Tūhoe"
    assert referral_differences(case, sent) == ["court.judge"]
