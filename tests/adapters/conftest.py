import threading
from collections.abc import Iterator

import pytest

from adapters.xml import hardened


@pytest.fixture(autouse=True)
def fresh_xml_parser(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test builds the hardened parser anew: one kept per thread from an earlier
    test would hide a change to how it is built (docs/mutation.md)."""
    monkeypatch.setattr(hardened, "_local", threading.local())
    yield
