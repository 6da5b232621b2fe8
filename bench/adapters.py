"""Parse-and-map throughput of the XML adapters against raw lxml on the same document.

For each format, one document of the size courts and police really send (a 20 KB ECF
4.01 referral: many charges, hearings and participants; a multi-offense NIBRS
submission) is read two ways in alternating rounds, in this one process:

    raw   lxml.etree.fromstring + a full iteration touching every tag, text and attribute
    ours  the format's parse: hardened parser, mapping, validation into our models

Prints `bench <name>: ratio <ours/raw>` (throughput; targets >= 0.25) and our absolute
rate on one core (target >= 1,000 referrals/s for the 20 KB ECF document).
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree

from adapters.courts.base import CourtFormat
from adapters.police.base import PoliceAdapter

FIXTURES = ROOT / "tests" / "fixtures"
ROUNDS = 7
TARGET_RATIO = 0.25
TARGET_ECF4_PER_SECOND = 1_000
ECF4_SIZE = 20 * 1024


def raw_lxml(document: bytes) -> int:
    root = etree.fromstring(document)
    touched = 0
    for element in root.iter():
        touched += len(element.tag) if isinstance(element.tag, str) else 0
        touched += len(element.text or "") + len(element.attrib)
    return touched


def rate(work: Callable[[], object], seconds: float = 0.4) -> float:
    """Calls per second over at least `seconds`."""
    calls, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for _ in range(20):
            work()
        calls += 20
    return calls / elapsed


def compare(name: str, ours: Callable[[], object], raw: Callable[[], object]) -> float:
    ours(), raw()  # warm caches and imports outside the measurement
    ratios, ours_rates = [], []
    for _ in range(ROUNDS):
        raw_rate = rate(raw)
        our_rate = rate(ours)
        ratios.append(our_rate / raw_rate)
        ours_rates.append(our_rate)
    ratio = statistics.median(ratios)
    print(
        f"{name}: ours {statistics.median(ours_rates):,.0f}/s, "
        f"ratio per round {', '.join(f'{r:.2f}' for r in ratios)}"
    )
    print(f"bench {name}: ratio {ratio:.2f}", flush=True)
    return statistics.median(ours_rates)


def ecf4_document() -> bytes:
    """The plain ECF 4.01 referral, grown to 20 KB with more charges as a busy docket has."""
    base = (FIXTURES / "courts" / "ecf4" / "referral-plain.xml").read_bytes()
    root = etree.fromstring(base)
    charges = [el for el in root.iter() if etree.QName(el).localname == "CaseCharge"]
    template = charges[-1]
    while len(etree.tostring(root)) < ECF4_SIZE:
        clone = etree.fromstring(etree.tostring(template))
        template.addnext(clone)
    document: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return document


def main() -> None:
    ecf4 = CourtFormat.from_registry(
        "ecf4", {}, where="bench", name_field="format", settings_field="settings"
    )
    document = ecf4_document()
    referral = ecf4.parse_referral(document, "application/xml", "bench")
    print(f"ecf4 document: {len(document):,} bytes, {len(referral.charges)} charges")
    per_second = compare(
        "ecf4_parse",
        lambda: ecf4.parse_referral(document, "application/xml", "bench"),
        lambda: raw_lxml(document),
    )
    print(
        f"targets: ratio >= {TARGET_RATIO}; ecf4 >= {TARGET_ECF4_PER_SECOND:,} referrals/s "
        f"on one core: {'met' if per_second >= TARGET_ECF4_PER_SECOND else 'NOT met'}"
    )
    nibrs = PoliceAdapter.from_registry(
        "nibrs", {}, where="bench", name_field="adapter", settings_field="settings"
    )
    submission = (
        FIXTURES / "police" / "nibrs" / "incident-multi-offense-4.1-niem4.xml"
    ).read_bytes()
    print(f"nibrs submission: {len(submission):,} bytes")
    compare(
        "nibrs_parse",
        lambda: nibrs.parse_incident(submission, "application/xml"),
        lambda: raw_lxml(submission),
    )


if __name__ == "__main__":
    main()
