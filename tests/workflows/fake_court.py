"""A court's REST filing API (respx) that answers each report kind as a test plans it:
refuse it, be down, or take it, and that remembers every filing it was sent."""

import hashlib
import json
from typing import Literal

import httpx
import respx

from domain.enums import ReportKind
from domain.referral import Referral
from tests.workflows.test_court_rejection import COURT_API

Answer = Literal["refuse", "down", "take"]
REFUSAL = "The judge's chambers must countersign this filing first."


class FakeCourt:
    def __init__(self, router: respx.MockRouter) -> None:
        self.plans: dict[ReportKind, list[Answer]] = {}
        self.sent: list[tuple[ReportKind, str]] = []  # (kind, idempotency key) per request
        self.documents: dict[str, set[str]] = {}  # key -> hashes of the documents sent under it
        self.bodies: list[str] = []
        router.post(f"{COURT_API}/filings").mock(side_effect=self._answer)

    def plan(self, kind: ReportKind, *answers: Answer) -> None:
        """The next answers to a `kind` report, in order; after them, it is taken."""
        self.plans[kind] = list(answers)

    def keys(self, kind: ReportKind) -> list[str]:
        """The distinct keys `kind` reports were sent under, first sent first."""
        return list(dict.fromkeys(key for sent, key in self.sent if sent is kind))

    def one_document_per_key(self) -> bool:
        """Whether every key only ever carried one document (retries resend it as it was)."""
        return all(len(hashes) == 1 for hashes in self.documents.values())

    def never_saw_the_victim(self, referral: Referral, *victim_words: str) -> bool:
        """No filing sent held her name, a contact detail or her unshared words."""
        victim = referral.victim
        secrets = [victim.given_name, *victim_words]
        secrets += [v for v in victim.contact.model_dump().values() if v]
        return not any(secret in body for body in self.bodies for secret in secrets)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        kind, key = ReportKind(body["report"]["kind"]), request.headers["Idempotency-Key"]
        assert key == body["idempotency_key"]
        self.sent.append((kind, key))
        self.bodies.append(request.content.decode())
        self.documents.setdefault(key, set()).add(hashlib.sha256(request.content).hexdigest())
        planned = self.plans.get(kind, [])
        answer = planned.pop(0) if planned else "take"
        if answer == "down":
            return httpx.Response(503, json={"error": "docket offline"})
        reference = f"LKDC-F-{len(self.sent):04d}"
        if answer == "refuse":
            refused = {"court_reference": reference, "accepted": False, "reason": REFUSAL}
            return httpx.Response(200, json=refused)
        return httpx.Response(200, json={"court_reference": reference, "accepted": True})
