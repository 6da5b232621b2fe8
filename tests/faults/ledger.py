"""The end of a fault run: every case referred must be found, closed with its walk's
outcome, once, and the court must hold each report its walk files exactly once."""

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.worker import Replayer

from domain.enums import Role
from tests.fakes.court import FakeCourt
from tests.faults.api_client import ApiCounts, ApiPool, DriverFailure
from tests.faults.stack import Counts
from tests.faults.staff import CaseRecord
from workflows import WORKFLOWS

READ_PATIENCE = 30.0


@dataclass
class Tally:
    cases: int = 0
    closed: int = 0
    lost: int = 0
    stuck: int = 0
    duplicate_cases: int = 0
    duplicate_filings: int = 0
    reports_missing: int = 0
    wrong_outcomes: int = 0
    referrals_refused: int = 0  # a clerk's identical referral answered other than 200/201
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        bad = self.lost + self.stuck + self.duplicate_cases + self.duplicate_filings
        bad += self.reports_missing + self.wrong_outcomes + self.referrals_refused
        return bad == 0 and self.closed == self.cases

    def line(self, counts: Counts, api: ApiCounts) -> str:
        return (
            f"faults: cases {self.cases} closed {self.closed} lost {self.lost} "
            f"stuck {self.stuck} duplicate_cases {self.duplicate_cases} "
            f"duplicate_filings {self.duplicate_filings} reports_missing {self.reports_missing} "
            f"worker_kills {counts.worker_kills} server_restarts {counts.server_restarts} "
            f"court_outages {counts.court_outages} http_5xx {api.http_5xx} "
            f"callback_faults {api.callback_faults}"
        )


async def check(
    records: list[CaseRecord],
    api: ApiPool,
    client: Client,
    court: FakeCourt,
    others: Collection[str] = (),
) -> Tally:
    """`others`: ids of cases started on the same stack for another purpose (a bench's
    baseline), neither checked nor counted against the run."""
    tally = Tally(cases=len(records))
    docket = _docket_by_case(court)
    for case_id in others:
        docket.pop(case_id, None)
    for record in records:
        case = record.planned
        for refusal in (r for r in record.refusals if r.startswith("referral")):
            tally.referrals_refused += 1
            tally.problems.append(f"{case.case_id}: the same referral again, {refusal}")
        try:
            response = await api.call(
                "GET",
                f"/v1/cases/{case.case_id}",
                role=Role.COORDINATOR,
                jurisdiction=case.jurisdiction,
                patience=READ_PATIENCE,
            )
        except DriverFailure:
            docket.pop(case.case_id, None)  # its filings are not a case nobody referred
            tally.stuck += 1
            tally.problems.append(
                f"{case.case_id} ({case.walk}): cannot be read, every API process answered "
                f"5xx for {READ_PATIENCE:.0f} s (the case cannot answer a query: `diversion "
                "repair <id>` says whether its history still replays)"
            )
            continue
        assert response is not None
        if response.status_code != 200:
            tally.lost += 1
            tally.problems.append(f"{case.case_id} ({case.walk}): lost, GET {response.status_code}")
            continue
        view: dict[str, Any] = response.json()
        _check_case(tally, record, view, docket.pop(case.case_id, {}))
    for case_id, filings in docket.items():  # filed for a case nobody referred
        tally.duplicate_filings += sum(len(keys) for keys in filings.values())
        tally.problems.append(f"{case_id}: the court holds filings of a case never referred")
    for key in court.content_mismatches:
        tally.duplicate_filings += 1
        tally.problems.append(f"{key}: sent again with other bytes (a second document, one key)")
    await _count_executions(tally, records, client, set(others))
    await _replay_histories(tally, client, set(others))
    return tally


def _check_case(
    tally: Tally, record: CaseRecord, view: dict[str, Any], filings: dict[str, list[str]]
) -> None:
    case = record.planned
    name = f"{case.case_id} ({case.walk}, {case.jurisdiction})"
    if view["outcome"] is None:
        tally.stuck += 1
        open_tasks = [t["kind"] for t in view["tasks"] if t["done_at"] is None]
        last = [e["event"] for e in view["timeline"][-3:]]
        tally.problems.append(
            f"{name}: stuck in {view['stage']}, open tasks {open_tasks}, last events {last}, "
            f"refused: {record.refusals[-2:]}"
        )
    else:
        tally.closed += 1
        if view["outcome"] != case.expected_outcome:
            tally.wrong_outcomes += 1
            tally.problems.append(
                f"{name}: closed {view['outcome']}, not {case.expected_outcome}: "
                f"{view['stop']}; refused: {record.refusals[-2:]}"
            )
    filed = Counter(r["kind"] for r in view["reports"])
    missing = case.expected_reports - filed
    extra = filed - case.expected_reports
    if view["outcome"] is not None and missing:
        tally.reports_missing += sum(missing.values())
        tally.problems.append(f"{name}: reports missing {dict(missing)}")
    if extra:
        tally.duplicate_filings += sum(extra.values())
        tally.problems.append(f"{name}: reports filed beyond its walk {dict(extra)}")
    held = {ref for refs in filings.values() for ref in refs}
    for report in view["reports"]:
        if report["court_reference"] not in held:
            tally.reports_missing += 1
            tally.problems.append(
                f"{name}: {report['kind']} #{report['sequence']} reads filed as "
                f"{report['court_reference']}, but the court does not hold it"
            )
    for sequence, refs in filings.items():
        if len(refs) > 1:
            tally.duplicate_filings += len(refs) - 1
            tally.problems.append(f"{name}: report #{sequence} docketed {len(refs)} times")
    known = {r["court_reference"] for r in view["reports"]}
    for ref in sorted(held - known):
        tally.duplicate_filings += 1
        tally.problems.append(f"{name}: the court holds {ref}, which the case never recorded")


def _docket_by_case(court: FakeCourt) -> dict[str, dict[str, list[str]]]:
    """Court references by case id and report sequence (versions of one report together:
    a refused report's next version is the same report, and only one is docketed)."""
    docket: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key, filing in court.filings().items():
        case_id, _, rest = key.partition(":report:")
        sequence = rest.split(":", 1)[0]
        docket[case_id][sequence].append(filing.reference)
    return docket


async def _count_executions(
    tally: Tally, records: list[CaseRecord], client: Client, others: set[str]
) -> None:
    """One DiversionCase per referral: runs of one id (not continuations), or ids for
    which no referral was made, are duplicates."""
    planned = {r.planned.case_id for r in records}
    runs: Counter[str] = Counter()
    async for execution in client.list_workflows("WorkflowType = 'DiversionCase'"):
        if execution.status is not WorkflowExecutionStatus.CONTINUED_AS_NEW:
            runs[execution.id] += 1
    for case_id, count in runs.items():
        if case_id in others:
            continue
        extra = count - 1 if case_id in planned else count
        if extra:
            tally.duplicate_cases += extra
            tally.problems.append(f"{case_id}: {count} cases (runs) for one referral")


async def _replay_histories(tally: Tally, client: Client, others: set[str]) -> None:
    """Every history the run made (cases, obligations) replays against the code, as every
    workflow test's do: one that does not would wedge its case once no worker caches it."""
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=client.data_converter)
    async for execution in client.list_workflows():
        if execution.id.split(".o")[0] in others:
            continue
        history = await client.get_workflow_handle(
            execution.id, run_id=execution.run_id
        ).fetch_history()
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        if result.replay_failure is not None:
            case_id = execution.id.split(".o")[0]
            if not any(p.startswith(f"{case_id} ") for p in tally.problems):
                tally.stuck += 1  # counted once, though it could not be read either
            tally.problems.append(
                f"{execution.id}: its history does not replay ({result.replay_failure}); "
                "no worker can take it up again"
            )
