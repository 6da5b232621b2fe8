"""GET /v1/cases/{id}/follow-up: a closed case's re-arrest follow-up, read by whoever may
read the case; none while the case is open."""

from datetime import datetime

from domain.enums import Outcome, Role
from tests.api.conftest import Api
from tests.api.walk import SCREENING, Walk
from tests.jurisdictions import OTHER


async def test_a_closed_case_shows_its_follow_up_months_and_checks(api: Api) -> None:
    walk = await Walk.refer(api)
    await walk.complete(Role.COORDINATOR, "screen_case", {**SCREENING, "plea": "none"})
    closed = await walk.until_closed()
    # The follow-up is started as the case's last step: once its workflow has returned.
    await api.client.get_workflow_handle(walk.case_id).result()

    response = await api.http.get(
        f"/v1/cases/{walk.case_id}/follow-up", headers=walk.auth(Role.JUDGE)
    )

    assert response.status_code == 200, response.text
    follow_up = response.json()
    assert follow_up["case_id"] == walk.case_id
    assert follow_up["outcome"] == closed["outcome"] == Outcome.NOT_PROCEEDED
    assert follow_up["months"] == [6, 12, 24]
    assert follow_up["checks"] == []  # the first is six months away
    assert datetime.fromisoformat(follow_up["closed_at"]).tzinfo is not None


async def test_an_open_case_has_none_and_outsiders_see_no_case(api: Api) -> None:
    walk = await Walk.refer(api)
    await walk.wait_for("screen_case")
    path = f"/v1/cases/{walk.case_id}/follow-up"

    open_case = await api.http.get(path, headers=walk.auth(Role.COORDINATOR))
    assert open_case.status_code == 404
    assert open_case.headers["content-type"] == "application/problem+json"
    assert "starts when the case closes" in open_case.json()["detail"]

    outsider = await api.http.get(path, headers=api.auth(Role.JUDGE, [OTHER]))
    assert outsider.status_code == 404
    assert "starts when the case closes" not in outsider.json()["detail"]
    assert (await api.http.get(path)).status_code == 401
