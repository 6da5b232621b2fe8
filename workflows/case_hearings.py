"""The court's hearings, kept current (DESIGN §3 monitoring): the case pulls them from the
court at intake and before each progress report, and reports before each hearing, one
already inside the lead window included. Formats that cannot pull keep what the referral
said."""

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.case_activities import CaseActivities
    from domain.referral import Hearing
    from workflows.case_base import DAY
    from workflows.case_handlers import CaseHandlers
    from workflows.messages import HearingsQuery

# A court that does not answer in a few tries is asked again before the next report.
PULL_RETRIES = RetryPolicy(maximum_attempts=3)
# Cases started before it ask the court for its hearings only when a report is due, so a
# hearing moved earlier than the next report is missed (tests/histories).
HEARINGS_WATCHED_PATCH = "hearings-watched"


class CaseHearings(CaseHandlers):
    async def _refresh_hearings(self) -> None:
        """The court's current hearings replace those the case knew, if the court can say."""
        court = self.case.referral.court
        query = HearingsQuery(
            jurisdiction=self.case.jurisdiction.id,
            court_id=court.court_id,
            case_number=court.case_number,
        )
        try:
            pulled: list[Hearing] | None = await workflow.execute_activity_method(
                CaseActivities.pull_hearings,
                query,
                start_to_close_timeout=timedelta(minutes=1),
                retry_policy=PULL_RETRIES,
            )
        except ActivityError:
            self._log("the court's hearings could not be pulled; kept those known", staff_only=True)
            return
        if pulled is None:
            return  # this court's transport cannot pull
        hearings = sorted(pulled, key=lambda h: h.at)
        if hearings != court.hearings:
            court.hearings = hearings
            self._log("hearings updated from the court", staff_only=True)

    def _next_report_at(self) -> datetime:
        policy = self.case.jurisdiction.policy
        last = self.case.last_progress_report_at or workflow.now()
        candidates = [last + policy.progress_report_every_days * DAY]
        lead = policy.progress_report_before_hearing_days * DAY
        if not self._pulling_hearings:
            candidates += [
                h.at - lead for h in self.case.referral.court.hearings if h.at - lead > last
            ]
            return min(candidates)
        # Every hearing still to come and not yet reported on: one already inside the lead
        # window is reported on now.
        candidates += [max(h.at - lead, last) for h in self._unreported_hearings()]
        return min(candidates)

    def _unreported_hearings(self) -> list[Hearing]:
        now = workflow.now()
        reported = set(self.case.hearings_reported)
        return [h for h in self.case.referral.court.hearings if h.at > now and h.at not in reported]

    def _monitoring_wake_at(self, report_at: datetime) -> datetime:
        """The next report's time, or sooner the next check of the court's hearings: a
        hearing the court moves earlier is learnt in time for its report."""
        if not (self._pulling_hearings and workflow.patched(HEARINGS_WATCHED_PATCH)):
            return report_at
        every = self.case.jurisdiction.policy.hearing_check_every_days * DAY
        return min(report_at, workflow.now() + every)

    def _progress_report_due(self) -> bool:
        """Asked when the schedule woke monitoring, after pulling: a hearing that moved
        later has nothing to report yet."""
        return self._next_report_at() <= workflow.now()

    def _mark_hearings_reported(self) -> None:
        lead = self.case.jurisdiction.policy.progress_report_before_hearing_days * DAY
        now = workflow.now()
        for hearing in self._unreported_hearings():
            if hearing.at - lead <= now:
                self.case.hearings_reported.append(hearing.at)
