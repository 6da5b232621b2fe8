"""`diversion documents unseal ID`: an operator holding the payload keys opens a kept
court document; without the right keys, or for an id we do not keep, one clear refusal."""

import base64
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from diversion.cli import main
from diversion.codec import parse_keys
from diversion.kept_documents import KeptDocuments
from diversion.settings import DEV_KEY_FILE, Settings
from tests.jurisdictions import two_jurisdictions_file

OLD_KEY = "k0:" + base64.b64encode(bytes(range(32))).decode()
NEW_KEY = "k1:" + base64.b64encode(bytes(range(32, 64))).decode()
DOCUMENT = b"<CaseResponseMessage><Phone>555-0143</Phone></CaseResponseMessage>"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("DIVERSION_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DIVERSION_DATA_DIR", str(tmp_path / "var"))


def keep(data: Path) -> tuple[str, str]:
    """One processed and one quarantined document, sealed with OLD_KEY."""
    kept = KeptDocuments.for_settings(Settings(data_dir=data), parse_keys(OLD_KEY))
    processed = kept.processed.keep(
        DOCUMENT,
        jurisdiction="demo",
        content_type="application/xml",
        original_name="referral.xml",
        received_at=datetime.now(UTC),
        case_id="case-demo-hc-cr-1",
    )
    quarantined = kept.quarantine.keep(
        DOCUMENT + b"<broken",
        jurisdiction="demo",
        content_type="application/xml",
        reason="not well-formed XML",
        source="folder",
        original_name="broken.xml",
    )
    return processed.id, quarantined.id


def test_an_operator_unseals_a_kept_document_by_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    processed, quarantined = keep(tmp_path / "var")
    monkeypatch.setenv("DIVERSION_PAYLOAD_KEYS", OLD_KEY)
    assert main(["documents", "unseal", processed]) == 0
    out, err = capsysbinary.readouterr()
    assert out == DOCUMENT
    assert f"unsealed {processed} (demo, referral.xml, ".encode() in err

    target = tmp_path / "out" / "broken.xml"
    target.parent.mkdir()
    assert main(["documents", "unseal", quarantined, "--out", str(target)]) == 0
    assert target.read_bytes() == DOCUMENT + b"<broken"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert capsysbinary.readouterr().out == b""  # nothing of it on the terminal

    assert main(["documents", "unseal", quarantined, "--out", str(target)]) == 1
    assert b"already exists; not replacing it" in capsysbinary.readouterr().err
    assert target.read_bytes() == DOCUMENT + b"<broken"


def test_an_unknown_id_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keep(tmp_path / "var")
    monkeypatch.setenv("DIVERSION_PAYLOAD_KEYS", OLD_KEY)
    for unknown in ("q-" + "0" * 24, "p-" + "0" * 24, "../var", "referral.xml"):
        assert main(["documents", "unseal", unknown]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith(f"diversion: error: no kept document {unknown!r}")


def test_without_keys_it_refuses_and_makes_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    processed, _ = keep(tmp_path / "var")
    assert main(["documents", "unseal", processed]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "no payload key is configured" in err and "DIVERSION_PAYLOAD_KEYS" in err
    assert "Traceback" not in err
    assert not (tmp_path / "var" / DEV_KEY_FILE).exists()  # a new key would open nothing


def test_a_rotated_key_opens_and_a_wrong_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    processed, quarantined = keep(tmp_path / "var")
    monkeypatch.setenv("DIVERSION_PAYLOAD_KEYS", f"{NEW_KEY},{OLD_KEY}")
    assert main(["documents", "unseal", quarantined]) == 0
    assert capsysbinary.readouterr().out == DOCUMENT + b"<broken"

    monkeypatch.setenv("DIVERSION_PAYLOAD_KEYS", NEW_KEY)  # the old key dropped too soon
    assert main(["documents", "unseal", processed]) == 1
    out, err = capsysbinary.readouterr()
    assert out == b""
    assert b"key id 'k0', which is not among the configured payload keys (k1)" in err

    impostor = "k0:" + base64.b64encode(bytes(32)).decode()  # the right id, another key
    monkeypatch.setenv("DIVERSION_PAYLOAD_KEYS", impostor)
    assert main(["documents", "unseal", processed]) == 1
    assert b"failed authentication" in capsysbinary.readouterr().err


def test_seal_seals_what_a_drop_folder_kept_in_plaintext(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIVERSION_PAYLOAD_KEYS", OLD_KEY)
    monkeypatch.setenv("DIVERSION_JURISDICTIONS_FILE", str(two_jurisdictions_file(tmp_path)))
    left = tmp_path / "court" / "demo" / "processed" / "referral.xml"
    left.parent.mkdir(parents=True)
    left.write_bytes(DOCUMENT)
    assert main(["documents", "seal"]) == 0
    assert "sealed 1 document(s)" in capsys.readouterr().out
    assert not left.exists()
    kept = KeptDocuments.for_settings(Settings(data_dir=tmp_path / "var"), parse_keys(OLD_KEY))
    [found] = kept.processed.sealed.ids()
    assert kept.document(found) == DOCUMENT

    monkeypatch.delenv("DIVERSION_PAYLOAD_KEYS")
    assert main(["documents", "seal"]) == 1
    assert "no payload key is configured" in capsys.readouterr().err
