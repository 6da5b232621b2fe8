"""The court's answer to a filing, followed to the end (DESIGN §7; §2 rule 7).

A court may only receive a filing and decide later. Its answer reaches the case as the
`filing_status` update (a docketing callback through the API or the folder's callbacks)
or when the case asks (a status poll, for transports that can be asked: hourly at first,
then on the policy's cadence). Each filing received is followed beside the flow, which
goes on meanwhile. Acceptance ends the wait. A rejection, or no answer within the
policy's patience, opens `resolve_filing` with the court's words: refiled, the report is
its next version under its own key (a plain retry of a report the court never received
keeps the key); recorded by hand, staff's word stands for the court's. A case closes only
once every filing is settled.

Update: filing_status.
"""

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.filing_activities import FilingActivities
    from domain.enums import Role, TaskKind
    from domain.filing_status import (
        AnswerSource,
        CourtAnswer,
        FilingState,
        FilingStatusEntry,
        FilingStatusQuery,
    )
    from domain.message_kinds import MessageKind
    from domain.reports import FiledReport, FilingReceipt
    from domain.task_payloads import ResolveFiling
    from domain.task_rules import TaskRejected
    from domain.tasks import Task
    from workflows.case_base import DAY
    from workflows.case_input import CaseInput
    from workflows.case_waiting import CaseWaiting, refused_by_court

# Cases started before it count a filing the court only received as accepted.
COURT_ANSWER_PATCH = "court-answer"
ASK_TIMEOUT = timedelta(minutes=1)
REJECTED_PREFIX = "the court rejected the filing: "


class CaseAnswers(CaseWaiting):
    def _setup(self, input: CaseInput) -> None:
        super()._setup(input)
        self._followers: dict[int, asyncio.Task[None]] = {}

    # -- the court's answer, delivered ---------------------------------------------------

    @workflow.update
    def filing_status(self, answer: CourtAnswer) -> int:
        """The court's later answer to one of the case's filings; the report's sequence
        (0 for an answer about an earlier version). An answer heard again (a court repeats
        its callbacks) changes nothing."""
        filed = self._answered(answer.reference)
        if filed is None or filed.status == answer.status:
            return filed.sequence if filed is not None else 0
        self._record(filed, answer.status, answer.source, answer.reason, answer.reference)
        return filed.sequence

    @filing_status.validator
    def _check_answer(self, answer: CourtAnswer) -> None:
        # No `_require_open`: a closing case still hears the court (it waits for it).
        filed = self._answered(answer.reference)
        if filed is None:
            if any(
                e.reference == answer.reference for r in self.case.reports for e in r.status_history
            ):
                return  # about an earlier version, already settled
            raise TaskRejected(
                f"no report filed in this case has the court reference or idempotency key "
                f"{answer.reference!r}"
            )
        if filed.status not in ("received", answer.status):
            raise TaskRejected(
                f"report #{filed.sequence} (version {filed.version}) is already {filed.status}; "
                f"the court's answer '{answer.status}' is not recorded"
            )

    def _answered(self, reference: str) -> FiledReport | None:
        return next((r for r in self.case.reports if r.answered_by(reference)), None)

    def _record(
        self,
        filed: FiledReport,
        status: FilingState,
        source: AnswerSource,
        reason: str | None = None,
        reference: str | None = None,
    ) -> None:
        filed.status = status
        filed.status_history.append(
            FilingStatusEntry(
                status=status,
                at=workflow.now(),
                version=filed.version,
                reason=reason,
                reference=reference or filed.court_reference,
                source=source,
            )
        )
        self._log(f"{filed.kind} report #{filed.sequence} {status}", staff_only=True)

    # -- following a filing, beside the flow ---------------------------------------------

    def _as_filed(self, filed: FiledReport, receipt: FilingReceipt | None) -> FiledReport:
        """`filed` with what the filing gave back: the court's receipt (None: staff filed
        it by hand) and the first step of its status, received (then followed) or
        accepted. Cases started before `court-answer` count any receipt as acceptance."""
        if not workflow.patched(COURT_ANSWER_PATCH):
            return filed
        status = receipt.status if receipt is not None else "accepted"
        entry = FilingStatusEntry(
            status=status,
            at=workflow.now(),
            version=filed.version,
            reference=filed.court_reference,
            source="receipt" if receipt is not None else "staff",
        )
        return filed.model_copy(
            update={"receipt": receipt, "status": status, "status_history": [entry]}
        )

    def _follow_answer(self, sequence: int) -> None:
        running = self._followers.get(sequence)
        if running is None or running.done():
            self._followers[sequence] = asyncio.create_task(self._follow(sequence))

    def _resume_following(self) -> None:
        """After a continue-as-new: every filing not yet settled is followed again."""
        for filed in self.case.reports:
            if filed.status != "accepted":
                self._follow_answer(filed.sequence)

    @contextlib.contextmanager
    def _going_out(self) -> Iterator[None]:
        """Something of a filing's under way beside the flow: a continue-as-new (which
        drops what runs beside the flow) waits for it, as for a safety report."""
        self._urgent_in_flight += 1
        try:
            yield
        finally:
            self._urgent_in_flight -= 1

    def _answers_outstanding(self) -> bool:
        return any(r.status != "accepted" for r in self.case.reports)

    async def _until_answered(self) -> None:
        """Before the case closes: every filing settled (each wait has its own end)."""
        if self._answers_outstanding():
            self._resume_following()
            await workflow.wait_condition(lambda: not self._answers_outstanding())

    async def _follow(self, sequence: int) -> None:
        why: str | None = None
        while True:
            filed = next(r for r in self.case.reports if r.sequence == sequence)
            task = self._open_resolution(filed)
            if task is None:
                if why is None:
                    if filed.status == "accepted":
                        return
                    if filed.status == "received" and await self._await_answer(filed):
                        continue
                    why = self._why(filed)
                task = await self._ask_staff(filed, why)
            why = None
            decision = await self._resolution(filed, task)
            if decision is None:
                continue  # the court answered while staff looked: its answer stands
            if not decision.refile:
                filed.court_reference = decision.reference or filed.court_reference
                self._record(filed, "accepted", "staff", reference=decision.reference or None)
                return
            why = await self._refile(filed, decision)

    async def _await_answer(self, filed: FiledReport) -> bool:
        """Wait for the court's answer, asking it on the policy's cadence; False when the
        patience ran out first."""
        cadence = self.case.jurisdiction.policy.court_answer
        received = [e.at for e in filed.status_history if e.status == "received"]
        since = received[-1] if received else workflow.now()
        deadline = since + cadence.patience_days * DAY
        asking = True
        while filed.status == "received":
            now = workflow.now()
            if now >= deadline:
                return False
            at = min(cadence.next_ask(since, now), deadline) if asking else deadline
            try:
                await workflow.wait_condition(lambda: filed.status != "received", timeout=at - now)
            except TimeoutError:
                if asking and at < deadline:
                    asking = await self._ask_court(filed)
        return True

    async def _ask_court(self, filed: FiledReport) -> bool:
        """Ask the court how the filing stands; False when its transport cannot be asked."""
        key = filed.idempotency_key
        assert key is not None, "a followed filing kept its receipt"
        try:
            with self._going_out():
                polled = await workflow.execute_activity_method(
                    FilingActivities.filing_status,
                    FilingStatusQuery(
                        jurisdiction=self.case.jurisdiction.id,
                        court_reference=filed.court_reference or key,
                        idempotency_key=key,
                        court_id=self.case.referral.court.court_id,
                    ),
                    start_to_close_timeout=ASK_TIMEOUT,
                    retry_policy=RetryPolicy(maximum_attempts=3),
                )
        except ActivityError:
            return True  # not reached this time: asked again at the next time
        if polled.status is None:
            return False
        if polled.status != "received" and filed.status == "received":
            self._record(filed, polled.status, "poll", polled.reason)
        return True

    def _why(self, filed: FiledReport) -> str:
        if filed.status == "rejected":
            reasons = [e.reason for e in filed.status_history if e.status == "rejected"]
            return f"was rejected by the court: {reasons[-1] if reasons else 'no reason given'}"
        days = self.case.jurisdiction.policy.court_answer.patience_days
        return (
            f"has had no answer from the court in {days:g} days: check with the clerk "
            "whether it was docketed"
        )

    # -- staff decide ----------------------------------------------------------------------

    def _open_resolution(self, filed: FiledReport) -> Task | None:
        """The filing's `resolve_filing` task still open (after a continue-as-new)."""
        return next((t for t in self.case.open_tasks() if t.id == filed.pending_task_id), None)

    async def _ask_staff(self, filed: FiledReport, why: str) -> Task:
        task = self._open_task(
            TaskKind.RESOLVE_FILING,
            [Role.COORDINATOR],
            urgent=True,
            due=workflow.now() + DAY,
            subject=f"{filed.kind} report #{filed.sequence} {why}",
        )
        filed.pending_task_id = task.id
        with self._going_out():
            await self._notify(
                MessageKind.COURT_ANSWER, role=Role.COORDINATOR, subject=task.subject
            )
        return task

    async def _resolution(self, filed: FiledReport, task: Task) -> ResolveFiling | None:
        """Staff's decision, chased while it waits; None when the court answered first."""
        status = filed.status
        while task.done_at is None:
            if filed.status != status:
                self._close_task(task, cancelled=True)
                filed.pending_task_id = None
                return None
            now, at = workflow.now(), self._chase_at(task)
            if at <= now:
                with self._going_out():
                    await self._chase(task)
                continue
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: task.done_at is not None or filed.status != status, timeout=at - now
                )
        filed.pending_task_id = None
        decision = self._results.pop(task.id)
        assert isinstance(decision, ResolveFiling)
        return decision

    async def _refile(self, filed: FiledReport, decision: ResolveFiling) -> str | None:
        """File the report again: its next version after the court refused this one or
        staff amended it, else the same version under the same key. None once sent (the
        court's receipt recorded); else why it could not be, for staff."""
        report = filed.report
        assert report is not None, "a followed filing kept its report"
        refused_this = any(
            e.status == "rejected" and e.version == filed.version for e in filed.status_history
        )
        if refused_this or decision.amended:
            report = self._next_version(report, report.not_proceeded_reason)
            filed.report, filed.version = report, report.version
        try:
            with self._going_out():
                receipt = await self._send_filing(report)
        except ActivityError as failure:
            why = str(failure.cause or failure)
            if not refused_by_court(failure):
                return f"could not be filed again: {why}"
            self._record(filed, "rejected", "receipt", why.removeprefix(REJECTED_PREFIX))
            return None
        filed.document_hash, filed.court_reference = receipt.document_hash, receipt.court_reference
        filed.filed_at, filed.receipt = receipt.filed_at, receipt
        self._record(filed, receipt.status, "receipt", reference=receipt.court_reference)
        return None
