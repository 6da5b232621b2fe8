"""The README's one list of search attributes, and the commands it gives an operator, are
the code's: same names, same types, and the commands register them all on a bare server."""

import asyncio
import re
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client

from diversion.dev_server import free_port, stop_process, temporal_executable
from diversion.search_attribute_registration import (
    CLI_TYPE_NAMES,
    SearchAttributeTypeConflict,
    registration_commands,
    shell_text,
    type_name,
    unregistered,
)
from workflows.search_attributes import ALL

START = ("server", "start-dev", "--headless", "--log-level", "error")
README = Path(__file__).resolve().parents[1] / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("#### Search attributes")
    return text[start : text.index("\n#", start + 1)]


def test_the_readme_lists_every_search_attribute_with_its_type() -> None:
    rows = re.findall(r"^\| `(\w+)` \| (\w+) \| .+ \|$", section(), re.MULTILINE)
    assert rows == [(key.name, type_name(key)) for key in ALL]


def test_the_readme_gives_the_commands_that_register_them() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", section(), re.DOTALL)
    assert blocks == [shell_text()]


@pytest.fixture
async def bare_server() -> AsyncIterator[str]:
    """A dev server in memory, with no search attribute of ours registered."""
    address = f"127.0.0.1:{free_port()}"
    host, _, port = address.rpartition(":")
    server = subprocess.Popen(
        [str(temporal_executable()), *START, "--ip", host, "--port", port],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(600):
            try:
                await Client.connect(address)
                break
            except RuntimeError:
                await asyncio.sleep(0.1)  # the server starting, not a workflow
        yield address
    finally:
        await stop_process(server)


async def test_the_commands_register_every_attribute_on_a_bare_server(bare_server: str) -> None:
    client = await Client.connect(bare_server)

    async def missing() -> list[str]:
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace="default")
        )
        return [key.name for key in unregistered(listed.custom_attributes, ALL)]

    assert await missing() == [key.name for key in ALL]
    for command in registration_commands("default"):
        run = [str(temporal_executable()), *command[1:], "--address", bare_server]
        done = subprocess.run(run, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    assert await missing() == []  # and unregistered raises on any type that differs


def test_an_attribute_registered_with_another_type_is_refused_by_name() -> None:
    first, *rest = ALL
    other = next(t for t in CLI_TYPE_NAMES if t != first.indexed_value_type)
    registered = {first.name: int(other)} | {k.name: int(k.indexed_value_type) for k in rest}
    with pytest.raises(SearchAttributeTypeConflict, match=f"{first.name} is registered"):
        unregistered(registered, ALL)
    assert unregistered({k.name: int(k.indexed_value_type) for k in rest}, ALL) == [first]
