import os
from pathlib import Path

import pytest
from joserfc.jwk import KeySet

from api.auth import KeySetVerifier
from api.dev_tokens import dev_signing_key, public_key_set
from diversion.cli import main
from diversion.settings import Settings
from domain.enums import Role
from domain.policy import DEMO_FILE


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("DIVERSION_"):
            monkeypatch.delenv(name)


def test_jurisdictions_check_lists_the_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jurisdictions", "check", str(DEMO_FILE)]) == 0
    out = capsys.readouterr().out
    assert "1 jurisdiction(s) valid" in out
    assert "demo " in out


def test_jurisdictions_check_defaults_to_the_configured_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["jurisdictions", "check"]) == 0
    assert str(DEMO_FILE) in capsys.readouterr().out


def test_jurisdictions_check_reports_an_invalid_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "j.toml"
    bad.write_text('[jurisdictions.x]\nname = "X"\ntimezone = "Mars/Olympus"\n')
    assert main(["jurisdictions", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("diversion: error: ")
    assert "unknown timezone 'Mars/Olympus'" in err
    assert "Traceback" not in err


def test_jurisdictions_check_reports_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["jurisdictions", "check", str(tmp_path / "none.toml")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_unsafe_settings_are_one_clear_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIVERSION_ENVIRONMENT", "production")
    assert main(["worker"]) == 1
    assert "DIVERSION_PAYLOAD_KEYS is required in production" in capsys.readouterr().err


def test_a_command_is_required() -> None:
    with pytest.raises(SystemExit) as exit:
        main([])
    assert exit.value.code == 2


async def test_token_mints_what_the_api_accepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIVERSION_DATA_DIR", str(tmp_path))
    args = ["token", "--role", "judge", "--jurisdiction", "demo", "--ttl", "60"]
    assert main(args) == 0
    token = capsys.readouterr().out.strip()
    settings = Settings(data_dir=tmp_path)
    keys = public_key_set(dev_signing_key(settings))

    async def local() -> KeySet:
        return keys

    verifier = KeySetVerifier(
        issuer=settings.token_issuer, audience=settings.auth_audience, fetch_keys=local
    )
    caller = await verifier.verify(token)
    assert caller.roles == {Role.JUDGE} and caller.jurisdictions == {"demo"}
    assert caller.subject == "dev-judge"


def test_token_refuses_unknown_jurisdictions_and_jwks_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIVERSION_DATA_DIR", str(tmp_path))
    assert main(["token", "--role", "judge", "--jurisdiction", "atlantis"]) == 1
    assert "no jurisdiction atlantis" in capsys.readouterr().err
    monkeypatch.setenv("DIVERSION_AUTH_MODE", "jwks")
    monkeypatch.setenv("DIVERSION_AUTH_ISSUER", "https://idp.demo-county.invalid/")
    monkeypatch.setenv("DIVERSION_AUTH_JWKS_URL", "https://idp.demo-county.invalid/jwks")
    assert main(["token", "--role", "judge", "--jurisdiction", "demo"]) == 1
    assert "identity provider" in capsys.readouterr().err
