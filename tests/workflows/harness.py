"""Drives a DiversionCase on the time-skipping test server and reads what it filed and sent."""

import asyncio
import base64
import contextlib
import io
import itertools
import json
import re
import uuid
from collections.abc import Callable, Sized
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pypdf import PdfReader
from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from activities.adapter_directory import AdapterDirectory
from domain.case import CaseState
from domain.enums import Outcome, ReportKind, Stage, TaskKind
from domain.policy import Jurisdiction
from domain.referral import Referral
from domain.reports import CourtReport, Notification
from domain.task_payloads import TaskPayload
from domain.tasks import Task, TaskCompletion
from workflows import WORKFLOWS
from workflows.case import DiversionCase
from workflows.case_input import CaseInput
from workflows.follow_up_input import follow_up_workflow_id

T = TypeVar("T")

FIXTURES = Path(__file__).parent.parent / "fixtures"

# Real seconds a long poll (an update waiting for the case to change, a result) is given
# before it is asked again, and how many times. The time-skipping test server can lose the
# wake-up of a long poll on a case that has just continued as new: a result that never
# came although the last run had completed, an update that never reached the new run
# (seen about once in ten runs on a loaded machine). What is waited for is idempotent, so
# asking again is safe; a case that really never moves still fails, after a minute.
WAIT_SECONDS = 10.0
WAIT_ATTEMPTS = 6


def demo_referral(**changes: Any) -> Referral:
    data = json.loads((FIXTURES / "referrals" / "demo-referral.json").read_text())
    data["court"]["case_number"] = changes.pop("case_number", f"CR-T-{uuid.uuid4().hex[:8]}")
    referral = Referral.model_validate(data)
    return referral.model_copy(update=changes)


@dataclass
class Case:
    env: WorkflowEnvironment
    handle: WorkflowHandle[DiversionCase, Outcome]
    court_root: Path
    outbox: Path
    referral: Referral
    started: WorkflowHandle[DiversionCase, Outcome]
    done: list[str] = field(default_factory=list)

    async def until(self, what: str, found: Callable[[CaseState], T | None]) -> T:
        """Wait, without polling, until `found(view)` gives something, and return it."""
        unanswered = 0
        while True:
            view = await self.view()
            result = found(view)
            # Found is anything but None, False or an empty collection (0 is an answer).
            empty = isinstance(result, Sized) and len(result) == 0
            if result is not None and result is not False and not empty:
                return result
            assert view.outcome is None, f"{self.handle.id} closed ({view.outcome}) before {what}"
            try:
                version = await asyncio.wait_for(
                    self.handle.execute_update(DiversionCase.wait_for_change, view.version),
                    WAIT_SECONDS,
                )
            except TimeoutError:
                unanswered += 1  # asked again, the view read again: see WAIT_SECONDS
                assert unanswered < WAIT_ATTEMPTS, f"{self.handle.id}: stuck before {what}"
                continue
            unanswered = 0
            assert version > view.version, f"{self.handle.id}: nothing happened before {what}"

    async def task(self, kind: TaskKind) -> Task:
        return await self.until(
            f"a {kind} task", lambda v: next((t for t in v.open_tasks() if t.kind is kind), None)
        )

    async def reach(self, stage: Stage) -> None:
        await self.until(f"stage {stage}", lambda v: v.stage is stage)

    async def filed(self, kind: ReportKind) -> None:
        await self.until(f"a {kind} report", lambda v: any(r.kind is kind for r in v.reports))

    async def complete(self, payload: TaskPayload, task_id: str | None = None) -> Task:
        if task_id is None:
            task_id = (await self.task(TaskKind(payload.kind))).id
        done = await self.handle.execute_update(
            DiversionCase.complete_task, TaskCompletion(task_id=task_id, payload=payload)
        )
        self.done.append(done.kind)
        return done

    async def now(self) -> datetime:
        return await self.env.get_current_time()

    async def advance(self, delta: timedelta) -> None:
        await self.env.sleep(delta)

    async def outcome(self) -> Outcome:
        for _ in range(WAIT_ATTEMPTS):
            # The start handle: the test server skips time only while its result is awaited.
            with contextlib.suppress(TimeoutError):
                return Outcome(await asyncio.wait_for(self.started.result(), WAIT_SECONDS))
            # Past a continue-as-new that result can miss the last run's close; the latest
            # run's own result does not (it needs no time skipped: the run has closed).
            with contextlib.suppress(TimeoutError):
                return Outcome(await asyncio.wait_for(self.handle.result(), 1))
        raise AssertionError(f"{self.handle.id} did not close")

    def filings(self) -> list[CourtReport]:
        """Reports this case filed into the court's drop folder, oldest first."""
        found = []
        for path in sorted((self.court_root / "outbox").glob("*.json")):
            envelope = json.loads(path.read_text())
            report = CourtReport.model_validate(envelope["report"])
            if report.case_id == self.handle.id:
                found.append(report)
        return sorted(found, key=lambda r: r.sequence)

    def filed_documents(self) -> list[tuple[CourtReport, bytes]]:
        """Each report this case filed with the PDF the court received, oldest first."""
        found = []
        for path in sorted((self.court_root / "outbox").glob("*.json")):
            envelope = json.loads(path.read_text())
            report = CourtReport.model_validate(envelope["report"])
            if report.case_id == self.handle.id:
                found.append((report, base64.b64decode(envelope["pdf"]["base64"])))
        return sorted(found, key=lambda filed: filed[0].sequence)

    def filed_kinds(self) -> list[ReportKind]:
        return [r.kind for r in self.filings()]

    def notifications(self) -> list[Notification]:
        folder = self.outbox / "notifications"
        found = [
            Notification.model_validate_json(p.read_text())
            for p in folder.glob("*.json")
            if json.loads(p.read_text())["case_id"] == self.handle.id
        ]
        return sorted(found, key=lambda n: n.created_at)

    def court_facing_text(self) -> str:
        """Every filing of this case as the court reads it: the envelope's data, and the
        text of the PDF it carries (compressed inside, so unread by a plain search)."""
        texts: list[str] = []
        for path in (self.court_root / "outbox").glob("*.json"):
            envelope = path.read_text()
            if self.handle.id in envelope:
                pdf = base64.b64decode(json.loads(envelope)["pdf"]["base64"])
                pages = PdfReader(io.BytesIO(pdf)).pages
                texts += [envelope, *(page.extract_text() for page in pages)]
        return "\n".join(texts)

    def assert_court_never_sees_the_victim(self, *victim_words: str) -> None:
        """No contact detail, no name and none of the victim's unshared words in any filing."""
        text = self.court_facing_text()
        assert text, "nothing was filed"
        victim = self.referral.victim
        secrets = [victim.given_name, *victim_words]
        secrets += [v for v in victim.contact.model_dump().values() if v]
        for secret in secrets:
            assert secret not in text, f"{secret!r} reached the court"

    async def view(self) -> CaseState:
        # A query that lands while the case continues as new can time out: ask again.
        for _ in range(2):
            with contextlib.suppress(RPCError):
                return await self.handle.query(DiversionCase.view)
        return await self.handle.query(DiversionCase.view)


@dataclass
class Harness:
    env: WorkflowEnvironment
    task_queue: str
    jurisdiction: Jurisdiction
    court_root: Path
    outbox: Path
    adapters: AdapterDirectory | None = None
    started: list[Case] = field(default_factory=list)

    def configure(self, jurisdiction: Jurisdiction) -> None:
        """The jurisdiction's configuration changed: the worker's adapters follow it (as a
        restarted worker's would) and the next case started snapshots it."""
        self.jurisdiction = jurisdiction
        if self.adapters is not None:
            self.adapters.configure(jurisdiction)

    async def save_histories(self, folder: Path, test_name: str) -> None:
        """Store each closed case's history, and its obligations', for the replay test."""
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-")
        for case in self.started:
            view = await case.view()
            if view.outcome is None:
                continue
            ids = [case.handle.id] + [f"{case.handle.id}.o{o.index}" for o in view.obligations]
            for workflow_id in ids:
                history = await self.env.client.get_workflow_handle(workflow_id).fetch_history()
                # The workflow id is part of the case's state, so replay needs it back.
                (folder / f"{name}--{workflow_id}.json").write_text(history.to_json())

    async def replay_everything(self, keep_failures: Path | None = None) -> list[str]:
        """Replay every run the test produced, closed or open: a history that does not
        replay would fail a query or a worker restart later, so the test fails now."""
        # debug_mode: no 2 s deadlock timer. A replay's first activation imports the workflow
        # modules into a fresh sandbox, which on a machine this loaded can take longer; a
        # replay is a determinism check, and a slow one is not a failure.
        replayer = Replayer(
            workflows=WORKFLOWS, data_converter=self.env.client.data_converter, debug_mode=True
        )
        failures: list[str] = []
        for workflow_id in await self.workflow_ids():
            for history in await self._runs(workflow_id):
                result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
                if result.replay_failure is None:
                    continue
                failures.append(f"{workflow_id}: {result.replay_failure}")
                if keep_failures is not None:
                    keep_failures.mkdir(parents=True, exist_ok=True)
                    run = history.events[0].workflow_execution_started_event_attributes
                    name = f"{workflow_id}--{run.original_execution_run_id}.json"
                    (keep_failures / name).write_text(history.to_json())
        return failures

    async def workflow_ids(self) -> list[str]:
        """Each started case, its obligations' workflows and its follow-up, found without
        a query: a query needs a worker, and may be what is broken."""
        ids: list[str] = []
        for case in self.started:
            numbered = (f"{case.handle.id}.o{index}" for index in itertools.count())
            for workflow_id in itertools.chain([case.handle.id], numbered):
                if not await self._exists(workflow_id):
                    break  # past the case's last obligation
                ids.append(workflow_id)
            if await self._exists(follow_up_workflow_id(case.handle.id)):
                ids.append(follow_up_workflow_id(case.handle.id))
        return ids

    async def _exists(self, workflow_id: str) -> bool:
        events = self.env.client.get_workflow_handle(workflow_id).fetch_history_events(page_size=1)
        try:
            async for _ in events:
                return True
        except RPCError as err:
            if err.status is not RPCStatusCode.NOT_FOUND:
                raise
        return False

    async def _runs(self, workflow_id: str) -> list[WorkflowHistory]:
        """The workflow's histories, newest run first, back through each continue-as-new."""
        histories: list[WorkflowHistory] = []
        run_id: str | None = None
        while True:
            handle = self.env.client.get_workflow_handle(workflow_id, run_id=run_id)
            histories.append(await handle.fetch_history())
            started = histories[-1].events[0].workflow_execution_started_event_attributes
            run_id = started.continued_execution_run_id
            if not run_id:
                return histories

    async def terminate_leftovers(self) -> None:
        """A case left open with no worker would stop the test server skipping time."""
        for workflow_id in await self.workflow_ids():
            # Terminating a closed workflow is refused; that is the common case.
            with contextlib.suppress(RPCError):
                await self.env.client.get_workflow_handle(workflow_id).terminate("test over")

    async def start(
        self, referral: Referral | None = None, history_limit: int = 10_000, **policy: Any
    ) -> Case:
        referral = referral or demo_referral()
        jurisdiction = self.jurisdiction
        if policy:
            jurisdiction = jurisdiction.model_copy(
                update={"policy": jurisdiction.policy.model_copy(update=policy)}
            )
        from domain.case import case_workflow_id

        handle = await self.env.client.start_workflow(
            DiversionCase.run,
            CaseInput(
                referral=referral,
                jurisdiction=jurisdiction,
                continue_as_new_after_events=history_limit,
            ),
            id=case_workflow_id(jurisdiction.id, referral.court.case_number),
            task_queue=self.task_queue,
        )
        # Without a run id, the handle follows the case across continue-as-new.
        following = self.env.client.get_workflow_handle_for(DiversionCase.run, handle.id)
        case = Case(self.env, following, self.court_root, self.outbox, referral, handle)
        self.started.append(case)
        return case
