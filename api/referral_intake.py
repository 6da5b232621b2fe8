"""Referrals in: idempotent by jurisdiction and court case number, and by an
`Idempotency-Key` when the caller sends one.

A repeat with the same content finds the case (200), one with other content is a
conflict naming the differing fields (409), and a key reused for other content is refused
(422). The fingerprint and the time of the first answer live in the case's memo, so a
retry replays exactly that answer.

The victim's contact details are never compared (domain/diff.py): whatever a repeat
holds there, the answer is the same, and the details go to the case, which asks the
victim advocate whether they replace the ones it holds. The case is asked every time,
so a right guess and a wrong one take the same path.
"""

import hashlib
import json
import re
from datetime import UTC, datetime

from temporalio.client import WorkflowExecution

from adapters.police.base import police_adapter_for
from api.gateway import CaseGateway, summary_of
from api.problems import ProblemError, ProblemKind
from api.schemas import CaseSummary
from api.visibility_query import CASE_TYPE, quote
from diversion.cases import start_case
from domain.diff import comparable, referral_differences
from domain.enums import Stage
from domain.policy import Jurisdiction
from domain.referral import Referral, normalise_case_number
from workflows import search_attributes as sa
from workflows.case import DiversionCase

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
FINGERPRINT_MEMO = "referral_sha256"
ACCEPTED_AT_MEMO = "referral_accepted_at"


def started_summary(case_id: str, referral: Referral, at: datetime) -> CaseSummary:
    """A case as it was started (the attributes of `sa.initial`), at the time the API
    accepted the referral: no read after the start."""
    return CaseSummary(
        case_id=case_id,
        jurisdiction=referral.jurisdiction,
        court_case_number=referral.court.case_number,
        stage=Stage.REFERRED,
        open=True,
        started_at=at,
    )


FINGERPRINT_VERSION = "v2:"  # without the victim's contact; older memos hash everything


def fingerprint(referral: Referral) -> str:
    return FINGERPRINT_VERSION + _sha256(comparable(referral))


def same_content(kept: str | None, referral: Referral) -> bool:
    """Whether a memo's fingerprint is of `referral`'s content (as compared)."""
    if kept is not None and kept.startswith(FINGERPRINT_VERSION):
        return kept == fingerprint(referral)
    return kept == _sha256(referral.model_dump(mode="json"))  # kept before v2


def _check_case_number(referral: Referral) -> None:
    """The rules the referral model leaves to intake (domain.referral.normalise_case_number):
    a case number with control or format characters names no case."""
    try:
        normalise_case_number(referral.court.case_number)
    except ValueError as e:
        raise ProblemError(
            ProblemKind.VALIDATION,
            f"court.case_number: {e}",
            errors=[{"location": "body.court.case_number", "message": str(e)}],
        ) from None


def _sha256(document: object) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class ReferralIntake:
    def __init__(self, gateway: CaseGateway, match_secret: bytes) -> None:
        self._gateway = gateway
        self._match_secret = match_secret
        # Each jurisdiction's police match keys, read from its adapter once: building the
        # adapter looks up entry points, which cost more than the rest of a referral.
        self._match_keys: dict[str, tuple[tuple[str, ...], ...]] = {}

    def _keys_of(self, jurisdiction: Jurisdiction) -> tuple[tuple[str, ...], ...]:
        keys = self._match_keys.get(jurisdiction.id)
        if keys is None:
            keys = self._match_keys[jurisdiction.id] = police_adapter_for(jurisdiction).match_keys
        return keys

    async def refer(
        self, referral: Referral, *, idempotency_key: str | None = None
    ) -> tuple[CaseSummary, bool]:
        """(case, created). A repeat with the same content finds the case; one with other
        content is a conflict naming the fields; a reused key with other content is refused."""
        jurisdiction = self._gateway.jurisdictions[referral.jurisdiction]
        _check_case_number(referral)
        print_ = fingerprint(referral)
        if idempotency_key is not None:
            earlier = await self._referred_with_key(jurisdiction.id, idempotency_key)
            if earlier is not None:
                return await self._replay(earlier, referral, idempotency_key), True
        accepted_at = datetime.now(UTC)
        handle, started = await self._gateway.call(
            start_case(
                self._gateway.client,
                referral,
                jurisdiction,
                self._gateway.task_queue,
                memo={FINGERPRINT_MEMO: print_, ACCEPTED_AT_MEMO: accepted_at.isoformat()},
                idempotency_key=idempotency_key,
                match_secret=self._match_secret,
                match_keys=self._keys_of(jurisdiction),
            )
        )
        if not started and idempotency_key is not None:
            # The list above reads visibility, which may not show a case started a moment
            # ago; describe does. The same key on this case is a retry of that request.
            described = await self._gateway.describe(handle.id)
            if described.typed_search_attributes.get(sa.REFERRAL_KEY) == idempotency_key:
                return await self._replay(described, referral, idempotency_key), True
        if not started:
            existing = await self._gateway.view(handle.id)
            differing = referral_differences(existing.referral, referral)
            if differing:
                raise ProblemError(
                    ProblemKind.CONFLICT,
                    f"court case {referral.court.case_number} was already referred with "
                    f"different content ({', '.join(differing)})",
                    case_id=handle.id,
                    differing_fields=differing,
                )
            await self._pass_on_contact(handle.id, referral)
        if started:
            # Known without asking: what the case was started with (saves a describe call).
            return started_summary(handle.id, referral, accepted_at), True
        return await self._gateway.summary(handle.id), False

    async def _referred_with_key(self, jurisdiction: str, key: str) -> WorkflowExecution | None:
        query = (
            f"WorkflowType = {quote(CASE_TYPE)} AND {sa.JURISDICTION.name} = {quote(jurisdiction)}"
            f" AND {sa.REFERRAL_KEY.name} = {quote(key)}"
        )
        async for execution in self._gateway.client.list_workflows(query, limit=1):
            return execution
        return None

    async def _replay(
        self, earlier: WorkflowExecution, referral: Referral, key: str
    ) -> CaseSummary:
        """The first answer again for a retry with the key; other content is refused."""
        if not same_content(await self._memo_str(earlier, FINGERPRINT_MEMO), referral):
            raise ProblemError(
                ProblemKind.IDEMPOTENCY_KEY_REUSED,
                f"Idempotency-Key {key!r} was used for another referral "
                f"(case {earlier.id}); use a new key for a new request",
            )
        await self._pass_on_contact(earlier.id, referral)
        return await self._first_answer(earlier, referral)

    async def _pass_on_contact(self, case_id: str, referral: Referral) -> None:
        """The repeat's victim contact details to the case, which opens a task for the
        advocate if they are new. A closed case has no use for them: not an error."""
        contact = referral.victim.contact
        try:
            await self._gateway.update(case_id, DiversionCase.propose_victim_contact, contact)
        except ProblemError as e:
            if e.kind is not ProblemKind.TASK_REJECTED:
                raise

    async def _first_answer(self, earlier: WorkflowExecution, referral: Referral) -> CaseSummary:
        """The answer the key's first request got, for a retry with the same content."""
        accepted_at = await self._memo_str(earlier, ACCEPTED_AT_MEMO)
        if accepted_at is None:  # a case referred before the API kept this
            return summary_of(earlier)
        return started_summary(earlier.id, referral, datetime.fromisoformat(accepted_at))

    async def _memo_str(self, execution: WorkflowExecution, key: str) -> str | None:
        value: object = await execution.memo_value(key, None, type_hint=str)
        return value if isinstance(value, str) else None
