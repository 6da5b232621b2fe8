import base64
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from diversion.codec import generate_key
from diversion.settings import DEV_KEY_FILE, Settings, SettingsError, load_settings

KEY = f"k1:{base64.b64encode(generate_key()).decode()}"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("DIVERSION_"):
            monkeypatch.delenv(name)


def test_defaults_are_a_local_dev_setup() -> None:
    settings = Settings()
    assert settings.environment == "dev"
    assert settings.temporal_address == "127.0.0.1:7233"
    assert settings.outbox_dir == Path("var/outbox")
    assert settings.temporal_ui_url == "http://127.0.0.1:8233"
    assert "demo" in settings.jurisdictions()


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DIVERSION_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DIVERSION_TASK_QUEUE", "diversion-east")
    monkeypatch.setenv("DIVERSION_PAYLOAD_KEYS", KEY)
    settings = load_settings()
    assert settings.outbox_dir == tmp_path / "outbox"
    assert settings.task_queue == "diversion-east"
    assert settings.payload_key_ring().encrypt_with == "k1"


def test_production_requires_a_match_secret() -> None:
    without = {key: value for key, value in IDP.items() if key != "match_secret"}
    with pytest.raises(ValidationError, match="DIVERSION_MATCH_SECRET is required in production"):
        Settings(environment="production", payload_keys=KEY, **without)


def test_a_dev_match_secret_is_made_once_and_kept(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).match_secret_bytes()
    assert len(first) == 64
    assert Settings(data_dir=tmp_path).match_secret_bytes() == first
    assert Settings(data_dir=tmp_path, match_secret="s" * 32).match_secret_bytes() == b"s" * 32


def test_production_requires_a_contact_key() -> None:
    without = {key: value for key, value in IDP.items() if key != "contact_key"}
    with pytest.raises(ValidationError, match="DIVERSION_CONTACT_KEY is required in production"):
        Settings(environment="production", payload_keys=KEY, **without)


def test_a_dev_contact_key_is_made_once_and_kept(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).contact_key_bytes()
    assert len(first) == 64
    assert Settings(data_dir=tmp_path).contact_key_bytes() == first
    assert Settings(data_dir=tmp_path, contact_key="k" * 32).contact_key_bytes() == b"k" * 32
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(contact_key="short")


def test_production_requires_payload_keys() -> None:
    with pytest.raises(ValidationError, match="DIVERSION_PAYLOAD_KEYS is required in production"):
        Settings(environment="production")


def test_production_refuses_api_key_without_tls() -> None:
    with pytest.raises(ValidationError, match="DIVERSION_TEMPORAL_TLS=true"):
        Settings(environment="production", payload_keys=KEY, temporal_api_key="secret", **IDP)
    ok = Settings(
        environment="production",
        payload_keys=KEY,
        temporal_api_key="secret",
        temporal_tls=True,
        **IDP,
    )
    assert ok.temporal_api_key is not None


IDP: dict[str, Any] = {
    "auth_mode": "jwks",
    "auth_issuer": "https://idp.demo-county.invalid/",
    "auth_jwks_url": "https://idp.demo-county.invalid/jwks",
    "match_secret": "m" * 32,
    "contact_key": "c" * 32,
}


def test_production_refuses_dev_auth_unless_explicitly_allowed() -> None:
    with pytest.raises(ValidationError, match="DIVERSION_AUTH_MODE=dev in production"):
        Settings(environment="production", payload_keys=KEY)
    allowed = Settings(
        environment="production",
        payload_keys=KEY,
        allow_dev_auth_in_production=True,
        match_secret="m" * 32,
        contact_key="c" * 32,
    )
    assert allowed.auth_mode == "dev"
    assert Settings(environment="production", payload_keys=KEY, **IDP).token_issuer == (
        "https://idp.demo-county.invalid/"
    )


def test_jwks_mode_needs_issuer_and_key_set() -> None:
    with pytest.raises(ValidationError, match="DIVERSION_AUTH_JWKS_URL"):
        Settings(auth_mode="jwks", auth_issuer="https://idp.demo-county.invalid/")
    assert Settings().token_issuer == "http://127.0.0.1:8000"  # dev: the API signs


def test_load_settings_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIVERSION_ENVIRONMENT", "production")
    with pytest.raises(SettingsError, match="DIVERSION_PAYLOAD_KEYS"):
        load_settings()
    monkeypatch.setenv("DIVERSION_PAYLOAD_KEYS", "k1:short")
    with pytest.raises(SettingsError, match="DIVERSION_PAYLOAD_KEYS: payload key 'k1'"):
        load_settings()
    monkeypatch.setenv("DIVERSION_PAYLOAD_KEYS", KEY)
    monkeypatch.setenv("DIVERSION_TEMPORAL_TLS_CERT", "/nonexistent/client.pem")
    with pytest.raises(SettingsError, match="DIVERSION_TEMPORAL_TLS_CERT"):
        load_settings()


def test_tls_files_need_tls_and_come_in_pairs(tmp_path: Path) -> None:
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    cert.write_text("cert")
    key.write_text("key")
    with pytest.raises(ValidationError, match="must be given together"):
        Settings(temporal_tls=True, temporal_tls_cert=cert)
    with pytest.raises(ValidationError, match="DIVERSION_TEMPORAL_TLS is false"):
        Settings(temporal_tls_cert=cert, temporal_tls_key=key)
    assert Settings(temporal_tls=True, temporal_tls_cert=cert, temporal_tls_key=key).temporal_tls


def test_dev_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path / "var").payload_key_ring()
    key_file = tmp_path / "var" / DEV_KEY_FILE
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = Settings(data_dir=tmp_path / "var").payload_key_ring()
    assert again == first
    assert list(key_file.parent.iterdir()) == [key_file]


def test_configured_keys_win_over_the_dev_key(tmp_path: Path) -> None:
    ring = Settings(data_dir=tmp_path, payload_keys=KEY).payload_key_ring()
    assert ring.encrypt_with == "k1"
    assert not (tmp_path / DEV_KEY_FILE).exists()


def test_damaged_dev_key_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / DEV_KEY_FILE).write_text("dev:???")
    with pytest.raises(SettingsError, match="damaged"):
        Settings(data_dir=tmp_path).payload_key_ring()


def test_the_sticky_queue_timeout_is_short_and_set_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().sticky_queue_timeout_seconds == 2.0  # the SDK's own is 10
    monkeypatch.setenv("DIVERSION_STICKY_QUEUE_TIMEOUT_SECONDS", "0.5")
    assert load_settings().sticky_queue_timeout_seconds == 0.5
    monkeypatch.setenv("DIVERSION_STICKY_QUEUE_TIMEOUT_SECONDS", "0")
    with pytest.raises(SettingsError, match="DIVERSION_STICKY_QUEUE_TIMEOUT_SECONDS"):
        load_settings()


def test_report_pdfs_render_in_one_process_of_their_own_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().pdf_processes == 1
    monkeypatch.setenv("DIVERSION_PDF_PROCESSES", "0")
    assert load_settings().pdf_processes == 0  # in a thread of the process itself
    monkeypatch.setenv("DIVERSION_PDF_PROCESSES", "-1")
    with pytest.raises(SettingsError, match="DIVERSION_PDF_PROCESSES"):
        load_settings()
