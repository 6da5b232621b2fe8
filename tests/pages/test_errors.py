"""Each error is a page of its own: not found, not allowed, a task already done, the case
refusing what was sent; the API keeps answering problem+json."""

import asyncio
import re

from domain.case import CaseState
from tests.pages.cases import refer
from tests.pages.conftest import COORDINATOR, FACILITATOR_ONE, Site
from tests.pages.signing import csrf_token, origin, sign_in

TASK_FORM = re.compile(r'action="/staff/tasks/([^"]+)"')
SCREENING = {
    "plea": "guilty",
    "responsibility_accepted": "true",
    "risk.instrument": "ODARA",
    "risk.score": "2",
}


async def test_unknown_pages_and_the_api_answer_in_their_own_forms(site: Site) -> None:
    async with site.http() as http:
        await sign_in(site, http, COORDINATOR)
        page = await http.get("/staff/no-such-page")
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "There is no such page" in page.text
        api = await http.get("/v1/no-such-route")
        assert api.status_code == 404
        assert api.headers["content-type"] == "application/problem+json"


async def test_a_page_for_other_roles_says_so(site: Site) -> None:
    async with site.http() as http:
        await sign_in(site, http, FACILITATOR_ONE)
        court = await http.get("/court/")
        assert court.status_code == 403
        assert "Not allowed" in court.text and "judge" in court.text


async def test_a_task_already_done_and_a_refusal_are_pages(site: Site) -> None:
    async with site.http() as http:
        await sign_in(site, http, COORDINATOR)
        case_id = await refer(site, http)
        handle = site.client.get_workflow_handle(case_id)
        while True:  # the screening task opens once intake is done
            version = (await handle.query("view", result_type=CaseState)).version
            page = await http.get(f"/staff/cases/{case_id}")
            if found := TASK_FORM.search(page.text):
                task_id = found.group(1)
                break
            async with asyncio.timeout(60):
                await handle.execute_update("wait_for_change", version)
        token = {"csrftoken": csrf_token(page.text)}

        refused = await http.post(
            f"/staff/tasks/{task_id}",
            data=SCREENING | token | {"risk.score": "99"},
            headers=origin(site),
        )
        assert refused.status_code == 422
        assert "The case did not accept this" in refused.text and "ODARA score 99" in refused.text
        assert 'value="99"' in refused.text  # what was typed is kept

        done = await http.post(
            f"/staff/tasks/{task_id}", data=SCREENING | token, headers=origin(site)
        )
        assert done.status_code == 303
        again = await http.post(
            f"/staff/tasks/{task_id}", data=SCREENING | token, headers=origin(site)
        )
        assert again.status_code == 422
        assert "Not accepted" in again.text and "already done" in again.text
