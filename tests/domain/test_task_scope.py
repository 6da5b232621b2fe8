"""The case refuses a completion outside the caller's roles or jurisdictions, in words that
say no more than a missing task would (the API answers both with the same 404)."""

import pytest

from domain.enums import Role
from domain.task_payloads import VerifyEvidence
from domain.task_rules import TaskNotVisible, TaskRejected, check_completion
from domain.tasks import ActingAs, TaskCompletion
from tests.domain.factories import T0, make_case

NOW = T0


def completion(task_id: str, scope: ActingAs | None) -> TaskCompletion:
    return TaskCompletion(
        task_id=task_id, payload=VerifyEvidence(evidence_seen=True), acting_as=scope
    )


def test_a_task_outside_the_scope_reads_like_a_missing_one() -> None:
    case = make_case()
    task = case.open_tasks()[0]
    at_home = ActingAs(roles=list(task.roles), jurisdictions=[case.jurisdiction.id])
    other_roles = [r for r in Role if r not in task.roles]

    refusals = []
    for scope, task_id in [
        (at_home.model_copy(update={"jurisdictions": ["north"]}), task.id),
        (at_home.model_copy(update={"roles": other_roles}), task.id),
        (at_home, f"{case.case_id}.t999"),
    ]:
        with pytest.raises(TaskNotVisible) as refused:
            check_completion(case, completion(task_id, scope), NOW)
        refusals.append(str(refused.value).replace(task_id, "<id>"))
    assert len(set(refusals)) == 1


def test_within_the_scope_the_usual_rules_apply() -> None:
    case = make_case()
    task = case.open_tasks()[0]
    at_home = ActingAs(roles=list(task.roles), jurisdictions=[case.jurisdiction.id])
    check_completion(case, completion(task.id, at_home), NOW)
    with pytest.raises(TaskRejected) as refused:
        check_completion(case, completion(f"{case.case_id}.t999", None), NOW)
    assert not isinstance(refused.value, TaskNotVisible), "no scope: the old message"
