"""Staff read on the case page what became of each message the case sent (issue 15); the
court's page of the same case says nothing of them."""

import asyncio

from domain.case import CaseState
from domain.enums import Party
from tests.pages.cases import refer
from tests.pages.conftest import ADVOCATE, COORDINATOR, JUDGE, Site
from tests.pages.signing import sign_in
from workflows.messages import ConsentWithdrawal


async def test_the_case_page_lists_the_messages_sent_and_the_court_page_does_not(
    site: Site,
) -> None:
    async with site.http() as http:
        await sign_in(site, http, COORDINATOR)
        case_id = await refer(site, http)
    handle = site.client.get_workflow_handle(case_id)
    await handle.execute_update("withdraw_consent", ConsentWithdrawal(party=Party.VICTIM))
    while True:  # the advocate's alert, then the coordinator's notice that the case closed
        view = await handle.query("view", result_type=CaseState)
        if len(view.messages) >= 2:
            break
        async with asyncio.timeout(60):
            await handle.execute_update("wait_for_change", view.version)

    for person in (COORDINATOR, ADVOCATE):
        async with site.http() as http:
            await sign_in(site, http, person)
            page = (await http.get(f"/staff/cases/{case_id}")).text
        messages = page[page.index('id="messages-h"') : page.index('id="reports-h"')]
        assert "Victim withdrew" in messages and "Victim advocate" in messages
        assert "Case closed" in messages and "Coordinator" in messages
        assert messages.count("Sent (outbox)") == 2

    async with site.http() as http:
        await sign_in(site, http, JUDGE)
        court = await http.get(f"/court/cases/{case_id}")
    assert court.status_code == 200
    assert "messages-h" not in court.text and "Victim withdrew" not in court.text
