"""The fake court's clerk: each ECF filing the court received is docketed, and the court's
system posts a docketing callback to the service as a real one would (an integrator's
token, the callback endpoint), through API restarts and server outages. A callback the
case cannot take yet (its filing not yet recorded) answers a SOAP fault and is sent again.
A clerk that does not call back only dockets: the case learns it by asking the court
(GetFilingStatus)."""

import asyncio
import contextlib

from domain.enums import Role
from tests.fakes.court import FakeCourt
from tests.fakes.court_replies import soap_docketed_callback
from tests.faults.api_client import ApiPool, DriverFailure
from tests.faults.jurisdictions import ECF_COURT

CALLBACK_PATH = f"/v1/court-callbacks/{ECF_COURT}/ecf"
DOCKETING_PAUSE = 0.5  # how often the clerk looks at what came in


async def docket_and_call_back(
    court: FakeCourt, api: ApiPool, done: asyncio.Event, *, call_back: bool = True
) -> None:
    """Until `done`, then until every callback is delivered (or its patience ran out)."""
    posting: set[asyncio.Task[None]] = set()
    while True:
        for key in court.take_callbacks_due():  # docketed now
            if call_back:
                posting.add(asyncio.create_task(_call_back(api, key)))
        if done.is_set():
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), DOCKETING_PAUSE)
    await asyncio.gather(*posting)


async def _call_back(api: ApiPool, key: str) -> None:
    # A refusal (the case not there, or another answer already recorded) is the court's
    # problem, as it would be: the fault run's check finds any filing left unanswered.
    with contextlib.suppress(DriverFailure):
        await api.call(
            "POST",
            CALLBACK_PATH,
            role=Role.INTEGRATOR,
            jurisdiction=ECF_COURT,
            xml=soap_docketed_callback(key),
        )
