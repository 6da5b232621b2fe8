"""A case started through the API keeps its jurisdiction's policy, never its adapters'
settings: workers read those from their own configuration (DESIGN §4)."""

from domain.case import CaseState
from tests.api.conftest import Api
from tests.api.walk import Walk


async def test_a_new_case_holds_no_adapter_settings(api: Api) -> None:
    walk = await Walk.refer(api)
    configured = api.settings.jurisdictions()[walk.jurisdiction]
    assert configured.court.settings and configured.police.settings  # there were some

    handle = api.client.get_workflow_handle(walk.case_id)
    kept = (await handle.query("view", result_type=CaseState)).jurisdiction
    assert kept.court.settings == {} and kept.police.settings == {}
    assert kept.court.format == configured.court.format
    assert kept.policy == configured.policy
