"""Every shipped court format through the conformance kit, with its own samples."""

from pathlib import Path

from adapters.conformance import CourtFormatConformance, PoliceAdapterConformance

SAMPLES = Path(__file__).parent.parent / "fixtures" / "courts"


class TestJsonFormat(CourtFormatConformance):
    format_name = "json"
    samples = SAMPLES / "json"


class TestNiemFormat(CourtFormatConformance):
    format_name = "niem"
    samples = SAMPLES / "niem"


class TestNibrsAdapter(PoliceAdapterConformance):
    adapter_name = "nibrs"
    samples = SAMPLES.parent / "police" / "nibrs"
