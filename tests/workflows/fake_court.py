"""A court's REST filing API (respx) that answers each report kind as a test plans it:
refuse it, be down, take it, or only receive it (deciding later: `decide`, read back by
`GET /filings/{reference}`), and that remembers every filing it was sent."""

import hashlib
import json
from typing import Literal

import httpx
import respx

from domain.enums import ReportKind
from domain.referral import Referral
from tests.workflows.test_court_rejection import COURT_API

Answer = Literal["refuse", "down", "take", "receive"]
REFUSAL = "The judge's chambers must countersign this filing first."


class FakeCourt:
    def __init__(self, router: respx.MockRouter, *, answers_later: bool = False) -> None:
        self.plans: dict[ReportKind, list[Answer]] = {}
        self.sent: list[tuple[ReportKind, str]] = []  # (kind, idempotency key) per request
        self.documents: dict[str, set[str]] = {}  # key -> hashes of the documents sent under it
        self.bodies: list[str] = []
        self.references: dict[str, str] = {}  # idempotency key -> the reference it got
        self.decisions: dict[str, dict[str, object]] = {}  # reference -> its status now
        self.asked: list[str] = []  # references asked about, in order
        router.post(f"{COURT_API}/filings").mock(side_effect=self._answer)
        if answers_later:  # its status resource, asked about filings it only received
            router.get(url__regex=rf"{COURT_API}/filings/[^/]+$").mock(side_effect=self._status)

    def decide(self, key: str, accepted: bool, reason: str | None = None) -> str:
        """The clerk decides on the filing sent under `key`; its reference."""
        reference = self.references[key]
        self.decisions[reference] = {
            "court_reference": reference,
            "accepted": accepted,
            "reason": reason,
        }
        return reference

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
        reference = self.references.setdefault(key, f"LKDC-F-{len(self.sent):04d}")
        if answer == "receive":
            received = {"court_reference": reference, "accepted": False, "pending": True}
            self.decisions.setdefault(reference, received)
            return httpx.Response(202, json=received)
        if answer == "refuse":
            refused = {"court_reference": reference, "accepted": False, "reason": REFUSAL}
            return httpx.Response(200, json=refused)
        return httpx.Response(200, json={"court_reference": reference, "accepted": True})

    def _status(self, request: httpx.Request) -> httpx.Response:
        reference = request.url.path.rsplit("/", 1)[-1]
        self.asked.append(reference)
        if reference not in self.decisions:
            return httpx.Response(404, json={"error": "no such filing"})
        return httpx.Response(200, json=self.decisions[reference])
