"""The worked example in docs/adapters.md runs, and passes the conformance kit, so the
page an integrator copies from cannot rot."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from adapters.conformance import JURISDICTION, CourtFormatConformance
from adapters.courts.base import CourtFormat
from adapters.courts.xml_settings import XmlFormatSettings

DOC = Path(__file__).parent.parent / "docs" / "adapters.md"


@pytest.fixture
def acme(tmp_path: Path) -> CourtFormat:
    text = DOC.read_text(encoding="utf-8")
    [code] = re.findall(r"```python\n(.*?)```", text, re.S)[:1]
    [sample] = re.findall(r"```xml\n(.*?)```", text, re.S)[:1]
    module_path = tmp_path / "acme_format.py"
    module_path.write_text(code)
    (tmp_path / "referral-plain.xml").write_text(sample)
    (tmp_path / "invalid-no-victim.xml").write_text(
        re.sub(r'<acme:Party role="VIC">.*?</acme:Party>', "", sample, flags=re.S)
    )
    spec = importlib.util.spec_from_file_location("acme_format", module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["acme_format"] = module
    spec.loader.exec_module(module)
    fmt: CourtFormat = module.AcmeFormat(XmlFormatSettings())
    return fmt


def test_the_example_maps_its_sample(acme: CourtFormat, tmp_path: Path) -> None:
    document = (tmp_path / "referral-plain.xml").read_bytes()
    referral = acme.parse_referral(document, "application/xml", JURISDICTION)
    assert referral.court.case_number == "AC-2026-1187"
    assert referral.victim.contact.phone == "+1 555 0100 311"
    assert referral.charges[0].statute == "PC 243(e)(1)"
    assert referral.warnings == ["charge 1: offense date given as month"]


def test_the_example_passes_the_conformance_kit(acme: CourtFormat, tmp_path: Path) -> None:
    class Kit(CourtFormatConformance):
        format_name = "acme"
        samples = tmp_path

        def format(self) -> CourtFormat:
            return acme

    kit = Kit()
    for name in dir(kit):
        if name.startswith("test_"):
            check = getattr(kit, name)
            if "tmp_path" in check.__code__.co_varnames:
                (tmp_path / name).mkdir()
                check(tmp_path / name)
            else:
                check()
