"""Workers build every jurisdiction's adapters once, at start, and find them by id."""

import pytest
from temporalio.exceptions import ApplicationError

from activities.adapter_directory import AdapterDirectory, without_adapter_settings
from adapters.errors import AdapterConfigError
from domain.policy import DEMO_FILE, load_jurisdictions

DEMO = load_jurisdictions(DEMO_FILE)["demo"]


def test_adapters_are_found_by_jurisdiction_id() -> None:
    directory = AdapterDirectory({"demo": DEMO})
    assert directory.court("demo") is directory.court("demo")  # built once
    assert directory.police("demo") is directory.police("demo")


def test_an_unknown_jurisdiction_is_a_retryable_error_naming_it() -> None:
    with pytest.raises(ApplicationError, match="'atlantis' is not in this worker") as raised:
        AdapterDirectory({"demo": DEMO}).court("atlantis")
    assert raised.value.non_retryable is False


def test_a_misconfigured_jurisdiction_stops_the_worker_at_start() -> None:
    broken = DEMO.model_copy(
        update={"court": DEMO.court.model_copy(update={"transport": "carrier-pigeon"})}
    )
    with pytest.raises(AdapterConfigError, match="carrier-pigeon"):
        AdapterDirectory({"demo": broken})


def test_a_case_keeps_everything_but_adapter_settings() -> None:
    kept = without_adapter_settings(DEMO)
    assert kept.court.settings == {} and kept.police.settings == {}
    assert kept.model_dump(exclude={"court", "police"}) == DEMO.model_dump(
        exclude={"court", "police"}
    )
    assert (kept.court.format, kept.court.transport) == (DEMO.court.format, DEMO.court.transport)
