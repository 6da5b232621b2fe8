import json
from pathlib import Path

import pytest

from diversion.cli import main

JSON_SAMPLES = Path(__file__).parent / "fixtures" / "courts" / "json"


def test_list_names_each_adapter_with_its_package(capsys: pytest.CaptureFixture[str]) -> None:
    main(["adapters", "list"])
    out = capsys.readouterr().out
    assert "court formats (restorative_diversion.court_adapters):" in out
    assert (
        "json       adapters.courts.json_format.JsonCourtFormat (restorative-diversion)  "
        "reads application/json"
    ) in out
    assert "folder     adapters.courts.folder_transport.FolderTransport" in out
    assert "none       adapters.police.none_adapter.NoPoliceAdapter" in out


def test_check_prints_the_model_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["adapters", "check", "json", str(JSON_SAMPLES / "referral-demo.json")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    referral = json.loads(captured.out)
    assert referral["jurisdiction"] == "check"
    assert referral["court"]["case_number"] == "CR-2026-00417"
    assert captured.err == ""


def test_check_reports_the_specific_error_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    path = JSON_SAMPLES / "invalid-truncated.json"
    assert main(["adapters", "check", "json", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"diversion: error: {path}: referral is not valid JSON")
    assert "line 14, column 5" in captured.err


def test_check_names_a_field_the_document_lacks(capsys: pytest.CaptureFixture[str]) -> None:
    path = JSON_SAMPLES / "invalid-no-charges.json"
    assert main(["adapters", "check", "json", str(path)]) == 1
    assert "charges: " in capsys.readouterr().err


def test_check_of_an_unknown_format_lists_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = JSON_SAMPLES / "referral-demo.json"
    assert main(["adapters", "check", "acme", str(path)]) == 1
    err = capsys.readouterr().err
    assert "no court format or police adapter named 'acme'" in err
    assert "json" in err


def test_check_refuses_settings_the_adapter_does_not_have(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "format.toml"
    settings.write_text("strictness = 3\n")
    path = JSON_SAMPLES / "referral-demo.json"
    assert main(["adapters", "check", "json", str(path), "--settings", str(settings)]) == 1
    err = capsys.readouterr().err
    assert f"--settings {settings}: settings.strictness: Extra inputs are not permitted" in err


def test_check_of_a_missing_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["adapters", "check", "json", str(tmp_path / "nope.xml")]) == 1
    assert "No such file or directory" in capsys.readouterr().err


POLICE_SAMPLES = Path(__file__).parent / "fixtures" / "police"


def test_check_prints_the_whole_mapped_incident_for_a_police_adapter(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = POLICE_SAMPLES / "nibrs" / "incident-single-offense-4.2.xml"
    assert main(["adapters", "check", "nibrs", str(path)]) == 0
    incident = json.loads(capsys.readouterr().out)
    assert incident["incident_number"] == "2026-000731"
    subject = incident["persons"]["PersonSubject1"]
    assert (subject["given_name"], subject["age"]["years"]) == ("Marcus", 36)
    assert incident["relationships"] and incident["relationships"][0]["relationship"]
    assert incident["arrests"][0]["arrest_number"] == "2026-A-0088"
    assert incident["domestic_violence"] is True
    assert "flags" in incident and "warnings" in incident


def test_check_of_a_submission_of_several_incidents_prints_each(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = POLICE_SAMPLES / "nibrs" / "invalid-two-incidents-and-a-delete-4.2.xml"
    assert main(["adapters", "check", "nibrs", str(path)]) == 0
    incidents = json.loads(capsys.readouterr().out)
    numbers = [i["incident_number"] for i in incidents]
    assert numbers == ["2026-001010", "2026-001011"], "each incident, none cut"
    assert all(i["persons"] for i in incidents)


def test_check_prints_the_whole_mapped_incident_for_the_rms_adapter(
    capsys: pytest.CaptureFixture[str],
) -> None:
    samples = POLICE_SAMPLES / "rms"
    path = samples / "incident-spouse-13B-injury.json"
    code = main(
        ["adapters", "check", "rest", str(path), "--settings", str(samples / "settings.json")]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    incident = json.loads(captured.out)
    assert incident["persons"] and incident["relationships"] and incident["victims"]
