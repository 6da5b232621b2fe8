"""The one parser of case and task ids (api/case_ids.py), without Temporal."""

import pytest

from api.case_ids import MAX_ID_LENGTH, case_id_of_task, case_jurisdictions

SERVED = ("demo", "north")


@pytest.mark.parametrize(
    ("case_id", "expected"),
    [
        ("case-demo-cr-2026-00417", ["demo"]),
        ("case-north-cr-2026-00417", ["north"]),
        ("case-demo-1", ["demo"]),
        ("case-south-cr-1", []),  # not served
        ("case-demo-", []),
        ("case-demo", []),
        ("case-demo-CR-1", []),  # not in normal form
        ("case-demo-cr--1", []),
        ("case-demo-cr-1-", []),
        ("case-demo-cr 1", []),
        ("case-demo-cr-1\n", []),
        ("case-demo-cr-1.f", []),  # the re-arrest follow-up
        ("case-demo-cr-1.o0", []),  # an obligation
        ("Case-demo-cr-1", []),
        ("demo-cr-1", []),
        ("case-demo-" + "1" * (MAX_ID_LENGTH - 10), ["demo"]),
        ("case-demo-" + "1" * (MAX_ID_LENGTH - 9), []),
    ],
)
def test_a_case_id_names_the_jurisdictions_it_could_belong_to(
    case_id: str, expected: list[str]
) -> None:
    assert case_jurisdictions(case_id, SERVED) == expected


def test_an_id_of_two_overlapping_jurisdictions_names_both() -> None:
    assert case_jurisdictions("case-demo-east-1", ("demo", "demo-east")) == ["demo", "demo-east"]


@pytest.mark.parametrize(
    ("task_id", "case_id"),
    [
        ("case-demo-cr-1.t1", "case-demo-cr-1"),
        ("case-demo-cr-1.t42", "case-demo-cr-1"),
        ("case-demo-cr-1.f.t1", "case-demo-cr-1.f"),  # parsed; refused as a case id
        ("case-demo-cr-1.t0", None),
        ("case-demo-cr-1.t01", None),
        ("case-demo-cr-1.t\u0661", None),  # an Arabic-Indic one
        ("case-demo-cr-1.t1\n", None),
        ("case-demo-cr-1.t", None),
        ("case-demo-cr-1.t-1", None),
        ("case-demo-cr-1.t1234567890", None),
        ("case-demo-cr-1", None),
        (".t1", ""),
        ("case-demo-" + "1" * (MAX_ID_LENGTH - 13) + ".t1", "case-demo-" + "1" * 187),
        ("case-demo-" + "1" * (MAX_ID_LENGTH - 12) + ".t1", None),
    ],
)
def test_a_task_id_is_its_case_id_and_a_plain_number(task_id: str, case_id: str | None) -> None:
    assert case_id_of_task(task_id) == case_id
