"""Every shipped court format through the conformance kit, with its own samples."""

from pathlib import Path

from adapters.conformance import CourtFormatConformance, PoliceAdapterConformance

SAMPLES = Path(__file__).parent.parent / "fixtures" / "courts"


class TestJsonFormat(CourtFormatConformance):
    format_name = "json"
    samples = SAMPLES / "json"


class TestEcf4Format(CourtFormatConformance):
    format_name = "ecf4"
    samples = SAMPLES / "ecf4"


class TestEcf5Format(CourtFormatConformance):
    format_name = "ecf5"
    samples = SAMPLES / "ecf5"


class TestNiemFormat(CourtFormatConformance):
    format_name = "niem"
    samples = SAMPLES / "niem"


class TestNibrsAdapter(PoliceAdapterConformance):
    adapter_name = "nibrs"
    samples = SAMPLES.parent / "police" / "nibrs"


class TestRestRmsAdapter(PoliceAdapterConformance):
    adapter_name = "rest"
    samples = SAMPLES.parent / "police" / "rms"
    content_type = "application/json"
