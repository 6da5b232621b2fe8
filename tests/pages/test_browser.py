"""A case carried from referral to an agreement entirely through the pages, in headless
Chromium: the clerk refers it, the coordinator, the advocate and the facilitator each sign
in through the identity provider and do their tasks, and the judge reads the result.

The workflow's next step is awaited with its `wait_for_change` long-poll, never a sleep;
only the conference itself is waited for on the wall clock (its outcome may be recorded
only once it has been held).
"""

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.async_api import Browser, Page, expect

from domain.case import CaseState
from tests.api.walk import referral
from tests.pages.browser import browser, person_context, screenshot
from tests.pages.cases import VICTIM_PHONE
from tests.pages.conftest import ADVOCATE, CLERK, COORDINATOR, FACILITATOR_ONE, JUDGE, Site

__all__ = ["browser"]  # the session's browser fixture
ZONE = ZoneInfo("America/Chicago")  # the demo jurisdiction's
VICTIM_EMAIL = "mira.okafor@example.org"
VICTIM_ADDRESS = "12 Alder Row"
CHANGE_SECONDS = 60.0


def local(moment: datetime) -> str:
    """As a person types it into a date-and-time field, in the jurisdiction's time."""
    return moment.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M:%S")


async def no_victim_contact(page: Page) -> None:
    html = await page.content()
    for secret in (VICTIM_PHONE, VICTIM_EMAIL, VICTIM_ADDRESS):
        assert secret not in html, f"{secret!r} shown on {page.url}"


class CaseInBrowser:
    def __init__(self, site: Site, case_id: str) -> None:
        self.site = site
        self.case_id = case_id
        self.handle = site.client.get_workflow_handle(case_id)

    async def open_task(self, page: Page, title: str) -> None:
        """The case page, once the case has opened the task titled `title`."""
        while True:
            version = (await self.handle.query("view", result_type=CaseState)).version
            await page.goto(f"{self.site.url}/staff/cases/{self.case_id}")
            if await page.get_by_role("heading", name=title, exact=True).count():
                return
            async with asyncio.timeout(CHANGE_SECONDS):
                await self.handle.execute_update("wait_for_change", version)

    async def until(self, done: Callable[[CaseState], bool]) -> None:
        while not done(state := await self.handle.query("view", result_type=CaseState)):
            async with asyncio.timeout(CHANGE_SECONDS):
                await self.handle.execute_update("wait_for_change", state.version)


async def record(page: Page, title: str) -> None:
    await page.get_by_role("button", name=f"Submit: {title}").click()
    await expect(page.get_by_role("status").filter(has_text="Recorded")).to_be_visible()


async def test_a_case_from_referral_to_agreement_through_the_pages(
    site: Site, browser: Browser
) -> None:
    now = datetime.now(UTC)
    document = referral()
    document["victim"]["contact"]["email"] = VICTIM_EMAIL
    document["court"]["hearings"] = [
        {"at": (now + timedelta(days=30)).isoformat(), "purpose": "Diversion status review"}
    ]

    # The clerk refers the case on the referral page.
    _, clerk = await person_context(browser, site, CLERK)
    await clerk.goto(f"{site.url}/court/referrals/new")
    await clerk.get_by_label("Or the referral as JSON").fill(json.dumps(document))
    await clerk.get_by_role("button", name="Refer").click()
    await expect(clerk.get_by_role("heading", level=1)).to_contain_text(
        document["court"]["case_number"]
    )
    case_id = clerk.url.rsplit("/", 1)[1].split("?")[0]
    case = CaseInBrowser(site, case_id)

    # The coordinator screens it, from the inbox; a score out of range is refused first.
    _, coordinator = await person_context(browser, site, COORDINATOR)
    await case.open_task(coordinator, "Screen the case")
    await coordinator.goto(f"{site.url}/staff/")
    await screenshot(coordinator, "inbox")
    await coordinator.get_by_label("Task", exact=True).select_option("screen_case")
    await coordinator.get_by_role("button", name="Filter").click()
    await expect(
        coordinator.get_by_role("cell", name=document["court"]["case_number"])
    ).to_be_visible()
    await no_victim_contact(coordinator)
    await coordinator.get_by_role("link", name="Screen the case").first.click()
    await coordinator.get_by_label("Plea").select_option("guilty")
    await (
        coordinator.get_by_role("group", name="Does the participant accept responsibility?")
        .get_by_label("Yes")
        .check()
    )
    await coordinator.get_by_label("Instrument").fill("ODARA")
    await coordinator.get_by_label("Score").fill("99")
    await coordinator.get_by_label("Notes").fill("Spoke with the participant's counsel.")
    await coordinator.get_by_role("button", name="Submit: Screen the case").click()
    refusal = coordinator.get_by_role("alert", name="Why this was not recorded")
    await expect(refusal).to_contain_text("The case did not accept this")
    await expect(refusal).to_contain_text("ODARA")
    await expect(coordinator.get_by_label("Score")).to_have_value("99")  # typed values kept
    await expect(coordinator.get_by_label("Instrument")).to_have_value("ODARA")
    await expect(coordinator.get_by_label("Notes")).to_have_value(
        "Spoke with the participant's counsel."
    )
    await screenshot(coordinator, "task-form")
    await coordinator.get_by_label("Score").fill("2")
    await record(coordinator, "Screen the case")
    await no_victim_contact(coordinator)

    # The advocate records the victim's consent; only she sees how to reach the victim.
    _, advocate = await person_context(browser, site, ADVOCATE)
    await case.open_task(advocate, "Victim's consent")
    await expect(advocate.get_by_text(VICTIM_PHONE)).to_be_visible()
    await expect(advocate.get_by_text(VICTIM_EMAIL)).to_be_visible()
    await advocate.get_by_role("group", name="Do they consent?").get_by_label("Yes").check()
    await advocate.get_by_label("Form of participation").select_option("direct")
    await advocate.get_by_label("Explained, and she understood").check()
    await record(advocate, "Victim's consent")

    # The coordinator: the participant's consent, each explanation confirmed; facilitators.
    await case.open_task(coordinator, "Participant's consent")
    task = coordinator.locator("article.task", has_text="Participant's consent")
    await expect(task).to_contain_text("You have the right to get legal advice")
    await expect(task).to_contain_text("the court will not hold it against you")
    await task.get_by_role("group", name="Do they consent?").get_by_label("Yes").check()
    for box in await task.get_by_label("Explained, and the participant understood").all():
        await box.check()
    await record(coordinator, "Participant's consent")
    await case.open_task(coordinator, "Assign facilitators")
    await coordinator.get_by_label("Amaru Quispe").check()
    await coordinator.get_by_label("Ngozi Eze").check()
    await expect(coordinator.get_by_label("Sione Tuilagi")).to_be_disabled()
    await record(coordinator, "Assign facilitators")
    await no_victim_contact(coordinator)

    # The assigned facilitator records both pre-conference meetings.
    _, facilitator = await person_context(browser, site, FACILITATOR_ONE)
    for title in (
        "Pre-conference meeting with the victim",
        "Pre-conference meeting with the participant",
    ):
        await case.open_task(facilitator, title)
        task = facilitator.locator("article.task", has_text=title)
        await task.get_by_label("Held on").fill(local(datetime.now(UTC)))
        if "victim" in title:
            await task.get_by_label("Victim advocate present").fill(ADVOCATE.name)
        await record(facilitator, title)
        await no_victim_contact(facilitator)

    # The safety plan, the conference, the readiness check.
    await case.open_task(advocate, "Safety plan")
    await (
        advocate.get_by_role("group", name="Is the safety plan in place?")
        .get_by_label("Yes")
        .check()
    )
    await record(advocate, "Safety plan")
    conference_at = datetime.now(UTC) + timedelta(seconds=25)
    await case.open_task(coordinator, "Schedule the conference")
    await coordinator.get_by_label("Date and time").fill(local(conference_at))
    await coordinator.get_by_label("Location").fill("Program office, room 2")
    await record(coordinator, "Schedule the conference")
    await case.open_task(advocate, "Readiness check")
    task = advocate.locator("article.task", has_text="Readiness check")
    await (
        task.get_by_role("group", name="Is the victim safe to proceed?").get_by_label("Yes").check()
    )
    await (
        task.get_by_role("group", name="No new incidents since screening?")
        .get_by_label("Yes")
        .check()
    )
    await task.get_by_label("Instrument").fill("ODARA")
    await task.get_by_label("Score").fill("2")
    await record(advocate, "Readiness check")

    # Once the conference has been held, the facilitator records the agreement.
    await case.open_task(facilitator, "Record the conference outcome")
    await screenshot(facilitator, "case")
    await asyncio.sleep(max(0.0, (conference_at - datetime.now(UTC)).total_seconds()))
    task = facilitator.locator("article.task", has_text="Record the conference outcome")
    await task.get_by_label("Result").select_option("agreement")
    item = task.get_by_role("group", name="Item 1")
    await item.get_by_label("Kind").select_option("apology")
    await item.get_by_label("Description").fill("Written apology, through the facilitator")
    await item.get_by_label("First due").fill(local(datetime.now(UTC) + timedelta(days=14)))
    await record(facilitator, "Record the conference outcome")
    await no_victim_contact(facilitator)

    # The judge reads the case: the agreement report filed, the agreed item, the hearing.
    await case.until(lambda s: any(r.filed_at for r in s.reports if r.kind == "agreement_reached"))
    _, judge = await person_context(browser, site, JUDGE)
    await judge.goto(f"{site.url}/court/")
    row = judge.get_by_role("row", name=document["court"]["case_number"])
    await expect(row).to_contain_text("Agreement reached")
    await expect(row).to_contain_text("Diversion status review")
    await no_victim_contact(judge)
    await row.get_by_role("link").click()
    reports = judge.locator("section", has_text="Reports filed")
    agreement = reports.get_by_role("row", name="Agreement reached")
    await expect(judge.locator("section", has_text="Agreed items")).to_contain_text(
        "Written apology"
    )
    await no_victim_contact(judge)
    pdf_link = await agreement.get_by_role("link", name="PDF").get_attribute("href")
    await agreement.get_by_role("link", name="(HTML)").click()  # the judge's page of it
    await expect(judge.locator("body")).to_contain_text("Written apology, through the facilitator")
    await expect(judge.locator("body")).to_contain_text(document["court"]["case_number"])
    await no_victim_contact(judge)
    await screenshot(judge, "report")
    pdf = await judge.request.get(f"{site.url}{pdf_link}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert (await pdf.body()).startswith(b"%PDF")
