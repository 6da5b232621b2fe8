"""Cases for the page tests, referred through the API as a court would."""

from typing import Any

import httpx

from api.dev_tokens import dev_token
from domain.enums import Role
from tests.api.walk import referral
from tests.jurisdictions import HOME
from tests.pages.conftest import Site

VICTIM_PHONE = "+1 555 0100 417"


async def refer(site: Site, http: httpx.AsyncClient, **changes: Any) -> str:
    token = dev_token(site.settings, Role.CLERK, [HOME])
    response = await http.post(
        "/v1/referrals", json=referral(**changes), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.text
    case_id: str = response.json()["case"]["case_id"]
    return case_id
