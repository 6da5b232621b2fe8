"""PUT /v1/cases/{id}/victim-statements/{n}/sharing: only the advocate records whether
the victim's statement may reach the court, and she may take it back."""

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.walk import SCREENING, VICTIM_CONSENT, Walk

STATEMENT = "Ngā mihi: I want him to hear how the children felt, and nothing more."


async def test_the_advocate_takes_a_shared_statement_back(api: Api) -> None:
    walk = await Walk.refer(api)
    await walk.complete(Role.COORDINATOR, "screen_case", SCREENING)
    shared = VICTIM_CONSENT | {"statement": STATEMENT, "share_statement_with_court": True}
    await walk.complete(Role.VICTIM_ADVOCATE, "victim_consent", shared)
    await walk.wait_for("participant_consent")
    path = f"/v1/cases/{walk.case_id}/victim-statements/1/sharing"

    by_coordinator = await api.http.put(
        path, json={"share_with_court": False}, headers=walk.auth(Role.COORDINATOR)
    )
    assert by_coordinator.status_code == 403
    assert by_coordinator.json()["type"] == "/problems/forbidden"
    assert (await walk.view(Role.COORDINATOR))["victim_statements"][0]["text"] == STATEMENT

    taken_back = await api.http.put(
        path, json={"share_with_court": False}, headers=walk.auth(Role.VICTIM_ADVOCATE)
    )
    assert taken_back.status_code == 200, taken_back.text
    assert taken_back.json() == {"case_id": walk.case_id, "action": "victim-statement-sharing"}
    advocate = await walk.view(Role.VICTIM_ADVOCATE)
    assert advocate["victim_statements"] == [
        {"number": 1, "text": STATEMENT, "share_with_court": False}
    ]
    assert STATEMENT not in str(await walk.view(Role.COORDINATOR))

    missing = await api.http.put(
        f"/v1/cases/{walk.case_id}/victim-statements/2/sharing",
        json={"share_with_court": True},
        headers=walk.auth(Role.VICTIM_ADVOCATE),
    )
    assert missing.status_code == 422 and missing.json()["type"] == "/problems/task-rejected"
    assert "no victim statement 2" in missing.json()["detail"]

    malformed = await api.http.put(
        path, json={"share_with_court": "perhaps"}, headers=walk.auth(Role.VICTIM_ADVOCATE)
    )
    assert malformed.status_code == 422 and malformed.json()["type"] == "/problems/validation"
