"""Process settings, read from `DIVERSION_*` environment variables.

Nothing is read at import time: call `load_settings()` where a process starts, and pass
the `Settings` down. Unsafe production settings are refused with the variable named.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import (
    Field,
    FilePath,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from diversion.codec import KeyRing, PayloadKeyError, generate_key, parse_keys
from domain.policy import DEMO_FILE, Jurisdiction, PolicyError, load_jurisdictions

ENV_PREFIX = "DIVERSION_"
DEV_KEY_FILE = "dev-payload-key"
DEV_MATCH_SECRET_FILE = "dev-match-secret"
DEV_CONTACT_KEY_FILE = "dev-contact-key"
DEV_KEY_ID = "dev"


class SettingsError(ValueError):
    """Settings that cannot be used; each line names the environment variable."""


def env_var(field: str) -> str:
    return f"{ENV_PREFIX}{field.upper()}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    environment: Literal["dev", "production"] = "dev"
    data_dir: Path = Path("var")
    jurisdictions_file: Path = DEMO_FILE

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_tls: bool = False
    temporal_tls_cert: FilePath | None = None
    temporal_tls_key: FilePath | None = None
    temporal_tls_ca: FilePath | None = None
    temporal_api_key: SecretStr | None = None
    task_queue: str = "diversion"
    # Seconds a case's next workflow task waits for the worker that holds the case in its
    # cache (its sticky queue) before any worker may take it. After that worker died (a
    # `kill -9`, a lost machine), the first task completion on each case it held waits this
    # long; the SDK's own 10 s is felt by staff. A live worker takes its tasks in
    # milliseconds; one too busy to, past this, has the case replayed from history elsewhere.
    sticky_queue_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    temporal_ui_port: int = 8233
    # Processes that render court reports' PDFs for the worker and for the API
    # (rendering/pdf_processes.py): WeasyPrint in a thread would hold the interpreter lock
    # for a tenth of a second or more per report, stalling every other case's tasks. 0
    # renders in a thread of the process itself.
    pdf_processes: int = Field(default=1, ge=0, le=32)

    payload_keys: SecretStr | None = None
    match_secret: SecretStr | None = Field(default=None, min_length=32)
    # Keys the hash that names each contact's opt-out ledger (a workflow id), so that no
    # phone number or email address is ever a workflow id. Changing it starts every
    # contact's ledger afresh: their STOPs would be forgotten.
    contact_key: SecretStr | None = Field(default=None, min_length=32)

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    api_max_body_bytes: int = Field(default=1_000_000, gt=0)
    # dev: tokens signed by a key kept in data_dir, its JWKS served by the API itself.
    # jwks: tokens from a real identity provider, validated against its JWKS URL.
    auth_mode: Literal["dev", "jwks"] = "dev"
    auth_issuer: str | None = None
    auth_audience: str = "restorative-diversion"
    auth_jwks_url: str | None = None
    allow_dev_auth_in_production: bool = False
    # /metrics answers on the API's own port to anyone, unless one of these is set: an
    # address of its own (host:port, e.g. 127.0.0.1:9464, where only the scraper reaches),
    # or a token the scraper sends as `Authorization: Bearer <token>`. Both may be set.
    metrics_address: str | None = None
    metrics_token: SecretStr | None = None
    # How often each API process counts the workflows the server flags for failing tasks
    # (`diversion_stalled_workflows` on /metrics): one visibility count per period.
    stalled_check_seconds: float = Field(default=60.0, gt=0)

    @field_validator("payload_keys")
    @classmethod
    def _keys_parse(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                parse_keys(value.get_secret_value())
            except PayloadKeyError as e:
                raise ValueError(f"{env_var('payload_keys')}: {e}") from None
        return value

    @field_validator("metrics_token")
    @classmethod
    def _token_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError(f"{env_var('metrics_token')} must be at least 16 characters")
        return value

    @field_validator("temporal_address", "metrics_address")
    @classmethod
    def _address_has_port(cls, value: str | None, info: ValidationInfo) -> str | None:
        host, sep, port = (value or "").rpartition(":")
        if value is not None and (not sep or not host or not port.isdigit()):
            raise ValueError(f"{env_var(str(info.field_name))} must be host:port, not {value!r}")
        return value

    @model_validator(mode="after")
    def _safe(self) -> "Settings":
        if (self.temporal_tls_cert is None) != (self.temporal_tls_key is None):
            raise ValueError(
                f"{env_var('temporal_tls_cert')} and {env_var('temporal_tls_key')} "
                "must be given together (mutual TLS needs both)"
            )
        if self.auth_mode == "jwks" and not (self.auth_issuer and self.auth_jwks_url):
            raise ValueError(
                f"{env_var('auth_mode')}=jwks needs {env_var('auth_issuer')} and "
                f"{env_var('auth_jwks_url')} (the identity provider's issuer and key set)"
            )
        if self.metrics_address is not None and self.metrics_bind == (
            self.api_host,
            self.api_port,
        ):
            raise ValueError(
                f"{env_var('metrics_address')} is the API's own address; give /metrics "
                "another port, or leave it out"
            )
        uses_tls_files = any(
            p is not None
            for p in (self.temporal_tls_cert, self.temporal_tls_key, self.temporal_tls_ca)
        )
        if uses_tls_files and not self.temporal_tls:
            raise ValueError(
                f"TLS files are set but {env_var('temporal_tls')} is false; set it to true"
            )
        if self.environment == "production":
            if self.payload_keys is None:
                raise ValueError(
                    f"{env_var('payload_keys')} is required in production: case histories "
                    "hold victim contact details and must be encrypted with a key you keep"
                )
            if self.auth_mode == "dev" and not self.allow_dev_auth_in_production:
                raise ValueError(
                    f"{env_var('auth_mode')}=dev in production: anyone holding the dev key "
                    f"could mint tokens. Set {env_var('auth_mode')}=jwks with "
                    f"{env_var('auth_issuer')} and {env_var('auth_jwks_url')}, or (only for a "
                    f"closed demo) {env_var('allow_dev_auth_in_production')}=true"
                )
            if self.temporal_api_key is not None and not self.temporal_tls:
                raise ValueError(
                    f"{env_var('temporal_api_key')} is set without TLS: set "
                    f"{env_var('temporal_tls')}=true so the key is never sent in clear text"
                )
            if self.match_secret is None:
                raise ValueError(
                    f"{env_var('match_secret')} is required in production (32+ characters): "
                    "it keys the hashes that match police incidents to participants"
                )
            if self.contact_key is None:
                raise ValueError(
                    f"{env_var('contact_key')} is required in production (32+ characters): "
                    "it keys the hashes that name each contact's opt-out ledger"
                )
        return self

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def api_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}"

    @property
    def metrics_bind(self) -> tuple[str, int] | None:
        """(host, port) of /metrics' own server, or None when the API serves it."""
        if self.metrics_address is None:
            return None
        host, _, port = self.metrics_address.rpartition(":")
        return host.strip("[]"), int(port)

    @property
    def token_issuer(self) -> str:
        """Who signs the tokens the API accepts: the IdP, or in dev mode the API itself."""
        return self.auth_issuer or self.api_url

    @property
    def temporal_db_file(self) -> Path:
        return self.data_dir / "temporal.db"

    @property
    def temporal_ui_url(self) -> str:
        host = self.temporal_address.rpartition(":")[0]
        return f"http://{host}:{self.temporal_ui_port}"

    def jurisdictions(self) -> dict[str, Jurisdiction]:
        try:
            return load_jurisdictions(self.jurisdictions_file)
        except OSError as e:
            raise PolicyError(
                f"cannot read jurisdictions file {self.jurisdictions_file} "
                f"({env_var('jurisdictions_file')}): {e.strerror or e}"
            ) from e

    def payload_key_ring(self) -> KeyRing:
        """The configured keys; in dev without any, a key kept in `data_dir`.

        The dev key is generated once and reused, so a restarted dev server can still
        read the histories it wrote.
        """
        if self.payload_keys is not None:
            return parse_keys(self.payload_keys.get_secret_value())
        if self.environment == "production":  # refused by the validator; kept explicit
            raise SettingsError(f"{env_var('payload_keys')} is required in production")
        return _dev_key_ring(self.data_dir / DEV_KEY_FILE)

    def match_secret_bytes(self) -> bytes:
        """The key of the participant match tokens (`domain.person_match.match_tokens`);
        in dev without one, a secret kept in `data_dir`. Changing it orphans the tokens of
        running cases, so pushed incidents would no longer find them."""
        if self.match_secret is not None:
            return self.match_secret.get_secret_value().encode()
        if self.environment == "production":  # refused by the validator; kept explicit
            raise SettingsError(f"{env_var('match_secret')} is required in production")
        path = self.data_dir / DEV_MATCH_SECRET_FILE
        return dev_secret(path, lambda: secrets.token_hex(32)).encode()

    def contact_key_bytes(self) -> bytes:
        """The key of the opt-out ledgers' ids (`domain.contacts.contact_hash`); in dev
        without one, a key kept in `data_dir`."""
        if self.contact_key is not None:
            return self.contact_key.get_secret_value().encode()
        if self.environment == "production":  # refused by the validator; kept explicit
            raise SettingsError(f"{env_var('contact_key')} is required in production")
        path = self.data_dir / DEV_CONTACT_KEY_FILE
        return dev_secret(path, lambda: secrets.token_hex(32)).encode()


def _dev_key_ring(path: Path) -> KeyRing:
    spec = dev_secret(
        path, lambda: KeyRing(encrypt_with=DEV_KEY_ID, keys={DEV_KEY_ID: generate_key()}).spec()
    )
    try:
        return parse_keys(spec)
    except PayloadKeyError as e:
        raise SettingsError(f"dev payload key file {path} is damaged: {e}") from e


def dev_secret(path: Path, make: Callable[[], str]) -> str:
    """A dev secret kept in a file, made once: a restarted process must find the same."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(make() + "\n")
        try:
            os.link(draft, path)  # atomic, and never replaces a secret another process wrote
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()


def load_settings() -> Settings:
    """Read the settings from the environment, or raise `SettingsError` naming each problem."""
    try:
        return Settings()
    except ValidationError as e:
        raise SettingsError(describe(e)) from None


def describe(error: ValidationError) -> str:
    lines = []
    for err in error.errors():
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["loc"] and not message.startswith(ENV_PREFIX):
            message = f"{env_var(str(err['loc'][0]))}: {message}"
        lines.append(message)
    return "invalid settings:\n  " + "\n  ".join(lines)
