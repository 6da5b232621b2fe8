"""The commands an operator runs to register the case search attributes on a cluster.

The README lists the attributes of `workflows.search_attributes.ALL` and shows these
commands (tests/test_search_attribute_registration.py holds it to both, and runs them
against a bare dev server); `make run` and the tests register the same attributes
themselves (`diversion.dev_server`).
"""

from collections.abc import Iterable
from typing import Any

from temporalio.common import SearchAttributeKey

from diversion.dev_server import CLI_TYPE_NAMES
from workflows.search_attributes import ALL

CREATE = ("temporal", "operator", "search-attribute", "create")


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
