"""The case search attributes registered: by this process on a server it starts or
reuses (`make run`, the tests and benches), and by the commands an operator runs on a
cluster.

The README lists the attributes of `workflows.search_attributes.ALL` and shows these
commands (tests/test_search_attribute_registration.py holds it to both, and runs them
against a bare dev server).
"""

import asyncio
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.common import SearchAttributeIndexedValueType, SearchAttributeKey

from workflows.search_attributes import ALL

CREATE = ("temporal", "operator", "search-attribute", "create")
CLI_TYPE_NAMES: dict[SearchAttributeIndexedValueType, str] = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.KEYWORD_LIST: "KeywordList",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
    SearchAttributeIndexedValueType.TEXT: "Text",
    SearchAttributeIndexedValueType.INT: "Int",
    SearchAttributeIndexedValueType.DOUBLE: "Double",
    SearchAttributeIndexedValueType.BOOL: "Bool",
}


class SearchAttributeTypeConflict(Exception):
    """A server holds one of the case's attributes under another type: registering it
    cannot fix that, and cases written with the other type would not be found."""


async def register_search_attributes(
    client: Client, keys: Iterable[SearchAttributeKey[Any]] = ALL
) -> None:
    """Tell a server (dev, test or a namespace you administer) about the case's attributes."""
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={
                key.name: IndexedValueType.ValueType(key.indexed_value_type) for key in keys
            },
        )
    )


async def missing_search_attributes(
    address: str, namespace: str, timeout: float
) -> tuple[Client, list[SearchAttributeKey[Any]]]:
    """A client of the server at `address`, and the case attributes it lacks."""
    client = await asyncio.wait_for(
        Client.connect(address, namespace=namespace, connect_timeout=timedelta(seconds=timeout)),
        timeout,
    )
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace), timeout=timedelta(seconds=timeout)
    )
    return client, unregistered(listed.custom_attributes, ALL)


def unregistered(
    registered: Mapping[str, int], wanted: Iterable[SearchAttributeKey[Any]]
) -> list[SearchAttributeKey[Any]]:
    missing = []
    for key in wanted:
        kind = registered.get(key.name)
        if kind is None:
            missing.append(key)
        elif int(kind) != int(key.indexed_value_type):
            raise SearchAttributeTypeConflict(
                f"search attribute {key.name} is registered on this server with another type"
            )
    return missing


def type_name(key: SearchAttributeKey[Any]) -> str:
    return CLI_TYPE_NAMES[key.indexed_value_type]


def registration_commands(
    namespace: str, keys: Iterable[SearchAttributeKey[Any]] = ALL
) -> list[list[str]]:
    """`temporal operator search-attribute create`, one per attribute: given several
    `--name`s, the CLI (1.x) registers the first alone and still says they were added."""
    return [
        [*CREATE, "--namespace", namespace, "--name", key.name, "--type", type_name(key)]
        for key in keys
    ]


def shell_text(namespace: str = "<namespace>") -> str:
    """The commands as the README shows them."""
    return "\n".join(" ".join(command) for command in registration_commands(namespace))
