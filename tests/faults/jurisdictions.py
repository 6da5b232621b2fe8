"""The fault runs' own jurisdictions: one court over REST (our JSON), one over SOAP (ECF
4.01), both the fake court; deadlines short where a case waits on the clock. The ECF court
answers by one route: its clerk's docketing callbacks (`callbacks`), or GetFilingStatus,
asked every few seconds (`status_query`; a run lasts minutes, not the policy's hours).

Waits that a case must get through in seconds are seconds: a missed obligation's grace
(about 9 s), an agreed item due a few seconds after the conference. Stage deadlines are
hours: a run lasts minutes, so a stage that reaches its deadline is a stuck case, not a
path. No reminders before an item's due date (none would fall inside a run), and no
progress report inside a run (every 365 days), so each path files a fixed set of reports.
"""

from pathlib import Path
from typing import Literal

from tests.jurisdictions import CO_FACILITATOR, FACILITATOR

REST_COURT = "faults-rest"
ECF_COURT = "faults-ecf"
COURT_ID = "demo-county-district-court"  # the referral fixture's court
FILING_ACTION = "urn:example:court:ecf:ReviewFiling"
QUERY_ACTION = "urn:example:court:ecf:GetCase"
EcfRoute = Literal["callbacks", "status_query"]
ASK_EVERY_HOURS = 0.002  # about every 7 s, from the filing on

# The transports' own timeout: an answer the court loses is given up on this soon, and the
# activity tries again (with the same idempotency key).
COURT_TIMEOUT_SECONDS = 5

POLICY = """
[jurisdictions.{id}.policy]
plea_requirement = "plea_or_finding"
readiness_window_hours = 48
progress_report_every_days = 365
progress_report_before_hearing_days = 1
filing_patience_hours = 2
directive_wait_days = 1
escalate_every_days = 1
incident_check_every_days = 1
recidivism_follow_up_months = []
# None: a run lasts minutes of any hour, and a warning held till the morning would read as
# a stuck case (the hold itself is tested with time skipping: test_quiet_hours.py).
quiet_hours = {{ start = "00:00", end = "00:00" }}

[jurisdictions.{id}.policy.stage_deadline_days]
screening = 0.25
engagement = 0.25
preparation = 0.25
conference = 0.25
final_report = 0.25
suspended = 0.25

[jurisdictions.{id}.policy.obligation_ladder]
reminder_days_before = []
grace_days = 0.0001
review_days = 1

[jurisdictions.{id}.policy.risk_instruments.ODARA]
min_score = 0
max_score = 13
bands = [
  {{ from_score = 0, level = "low" }},
  {{ from_score = 3, level = "moderate" }},
  {{ from_score = 5, level = "high" }},
  {{ from_score = 7, level = "very_high" }},
]
"""

ROSTER = """
[[jurisdictions.{id}.roster]]
id = "{person.id}"
name = "{person.name}"
sub = "{person.sub}"
fv_endorsed = true
fv_endorsement_expires = 2036-06-30
"""


def faults_jurisdictions_file(
    folder: Path, court_url: str, ecf_route: EcfRoute = "callbacks"
) -> Path:
    """Both jurisdictions, filing into the fake court at `court_url`, the ECF court
    answering by `ecf_route`; returns the file."""
    asked = ecf_route == "status_query"
    rest = f"""
[jurisdictions.{REST_COURT}]
name = "Faults County (REST court)"
timezone = "America/Chicago"
[jurisdictions.{REST_COURT}.court]
format = "json"
transport = "rest"
settings = {{ transport = {{ base_url = "{court_url}", allow_insecure_http = true, \
timeout_seconds = {COURT_TIMEOUT_SECONDS} }} }}
"""
    ecf = f"""
[jurisdictions.{ECF_COURT}]
name = "Faults County (ECF court)"
timezone = "Pacific/Auckland"
[jurisdictions.{ECF_COURT}.court]
format = "ecf4"
transport = "soap"
settings = {{ format = {{ court_id = "{COURT_ID}" }}, transport = {{ \
endpoint = "{court_url}/ecf", allow_insecure_http = true, \
timeout_seconds = {COURT_TIMEOUT_SECONDS}, filing_action = "{FILING_ACTION}", \
query_action = "{QUERY_ACTION}", status_query = {str(asked).lower()} }} }}
"""
    parts = []
    for jurisdiction_id, court in ((REST_COURT, rest), (ECF_COURT, ecf)):
        parts.append(court)
        parts += [
            ROSTER.format(id=jurisdiction_id, person=p) for p in (FACILITATOR, CO_FACILITATOR)
        ]
        parts.append(POLICY.format(id=jurisdiction_id))
        if asked and jurisdiction_id == ECF_COURT:
            parts.append(
                f"[jurisdictions.{ECF_COURT}.policy.court_answer]\n"
                f"hourly_for_hours = 0\nthen_every_hours = {ASK_EVERY_HOURS}\n"
            )
    path = folder / "faults-jurisdictions.toml"
    path.write_text("".join(parts), encoding="utf-8")
    return path
