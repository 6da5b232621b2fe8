"""RecidivismFollowUp: after a case closes, the police are asked again at each follow-up
month (policy), and the re-arrests found are recorded (DESIGN §3).

Started by the case as it closes, through an activity, as a workflow of its own
(`<case id>.f`): it outlives the case by two years and must not hold its result. It
keeps its checks queryable (`view`) and in the `FollowUpFindings` search attribute
("6:checked", "6:dv_rearrest", ...), from which GET /v1/stats counts rates without
opening any case.
"""

from datetime import date, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.recidivism import FollowUpState, follow_up_check, months_after
    from workflows import search_attributes as sa
    from workflows.follow_up_input import FollowUpInput
    from workflows.messages import IncidentQuery


@workflow.defn
class RecidivismFollowUp:
    @workflow.init
    def __init__(self, input: FollowUpInput) -> None:
        months = sorted(set(input.jurisdiction.policy.recidivism_follow_up_months))
        self.state = FollowUpState(
            case_id=input.case_id,
            closed_at=input.closed_at,
            outcome=input.outcome,
            months=months,
        )

    @workflow.run
    async def run(self, input: FollowUpInput) -> FollowUpState:
        since: date = input.closed_at.date()
        for months in self.state.months:
            due = months_after(input.closed_at, months)
            wait = due - workflow.now()
            if wait > timedelta(0):
                await workflow.sleep(wait)
            incidents = await workflow.execute_activity_method(
                CaseActivities.fetch_incidents,
                IncidentQuery(
                    jurisdiction=input.jurisdiction, participant=input.participant, since=since
                ),
                start_to_close_timeout=timedelta(minutes=2),
            )
            check = follow_up_check(months, workflow.now(), incidents)
            self.state.checks.append(check)
            self._publish(input.jurisdiction.id)
        return self.state

    def _publish(self, jurisdiction: str) -> None:
        findings = [
            f"{c.months}:{finding}"
            for c in self.state.checks
            for finding, found in (
                ("checked", True),
                ("dv_rearrest", c.dv_rearrests > 0),
                ("other_rearrest", c.other_rearrests > 0),
            )
            if found
        ]
        workflow.upsert_search_attributes(
            sa.updates({sa.JURISDICTION.name: jurisdiction, sa.FOLLOW_UP_FINDINGS.name: findings})
        )

    @workflow.query
    def view(self) -> FollowUpState:
        return self.state
