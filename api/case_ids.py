"""Case and task ids as the API reads them from a path: one strict parser.

A case id is `case-{jurisdiction}-{court case number in normal form}` (domain.case), a
task id that case id, `.t` and the task's number (workflows/case_base.py). Anything else
names nothing: another workflow's id (a re-arrest follow-up `<case>.f`, an obligation
`<case>.o0`), a number written with a leading zero or a non-ASCII digit, a case number
not in normal form. Such an id is answered as a missing one without asking Temporal.
"""

import re
from collections.abc import Iterable

from domain.referral import is_normal_case_number

MAX_ID_LENGTH = 200
_TASK_NUMBER = re.compile(r"\.t([1-9][0-9]{0,8})\Z", re.ASCII)


def case_jurisdictions(case_id: str, jurisdictions: Iterable[str]) -> list[str]:
    """Those of `jurisdictions` whose case `case_id` could be: its prefix is
    `case-{jurisdiction}-` and the rest a case number in normal form. Usually one or none
    (two only where one jurisdiction's id is another's followed by '-')."""
    if len(case_id) > MAX_ID_LENGTH:
        return []
    return [
        j
        for j in jurisdictions
        if case_id.startswith(prefix := f"case-{j}-")
        and is_normal_case_number(case_id.removeprefix(prefix))
    ]


def case_id_of_task(task_id: str) -> str | None:
    """The case id in `task_id`, or None when it is not `<case id>.t<number>`. (Whether
    that case id is well formed is `case_jurisdictions`' to say.)"""
    number = _TASK_NUMBER.search(task_id)
    if number is None or len(task_id) > MAX_ID_LENGTH:
        return None
    return task_id[: number.start()]
