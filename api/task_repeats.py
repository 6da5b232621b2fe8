"""An identical repeat of a task completion is answered as done (issue 17, finding 7).

A client whose request was applied but whose answer was lost (the API died mid-request,
a proxy timed out) cannot tell "my completion went in" from "someone else's did" unless
the task remembers what completed it. The case keeps a `CompletionMark` on the task: an
HMAC of the payload and the caller's subject under a key of this deployment (a digest
of the words a victim advocate typed cannot be guessed back without the key), and the
request's `Idempotency-Key` if it sent one.

A repeat on a done task is then answered 200 with the closed task when it is the same
payload from the same caller, or carries the same key with the same content; the same
key with other content is refused (422 `idempotency-key-reused`), as on referrals.
Anything else stays the case's own refusal ("already done").
"""

import hashlib
import hmac
import json

from api.problems import ProblemError, ProblemKind
from domain.tasks import CompletionMark, Task, TaskCompletion

_PURPOSE = b"restorative-diversion task completion marks"


def completion_secret(match_secret: bytes) -> bytes:
    """The marks' key, derived from the deployment's secret for one purpose only."""
    return hmac.new(match_secret, _PURPOSE, hashlib.sha256).digest()


def completion_mark(
    secret: bytes, completion: TaskCompletion, idempotency_key: str | None
) -> CompletionMark:
    canonical = json.dumps(
        {"payload": completion.payload.model_dump(mode="json"), "by": completion.completed_by},
        sort_keys=True,
        separators=(",", ":"),
    )
    digest = hmac.new(secret, canonical.encode(), hashlib.sha256).hexdigest()
    return CompletionMark(digest=digest, idempotency_key=idempotency_key)


def repeat_answer(task: Task, mark: CompletionMark) -> Task | None:
    """The task, if this request repeats the one that completed it; None if not."""
    kept = task.completed_with
    if task.done_at is None or task.cancelled or kept is None:
        return None
    same_content = hmac.compare_digest(kept.digest, mark.digest)
    if mark.idempotency_key is not None and mark.idempotency_key == kept.idempotency_key:
        if not same_content:
            raise ProblemError(
                ProblemKind.IDEMPOTENCY_KEY_REUSED,
                f"Idempotency-Key {mark.idempotency_key!r} completed task {task.id} with "
                "another payload; use a new key for a new request",
            )
        return task
    return task if same_content else None
