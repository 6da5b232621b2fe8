"""Settings for talking to another agency's HTTP API, in a jurisdiction's adapter table:

[jurisdictions.<id>.court.settings.transport]
base_url = "https://efile.court.example/api/v2"   # or endpoint = "..." for SOAP
timeout_seconds = 30
client_cert = "/etc/diversion/tls/demo.crt"       # mutual TLS, optional
client_key = "/etc/diversion/tls/demo.key"
ca_bundle = "/etc/diversion/tls/court-ca.pem"     # the court's private CA, optional
max_retry_after_seconds = 30                      # longest Retry-After we wait in-process
retries_on_busy = 2                               # 429/503 retries before giving up
[...transport.auth]                               # omitted: no auth (or mutual TLS only)
type = "oauth2_client_credentials"
token_url = "https://login.court.example/oauth2/token"
client_id = "restorative-diversion-demo"
client_secret_env = "DEMO_COURT_CLIENT_SECRET"    # the variable's NAME, never the secret
scope = "filings.write cases.read"

Secrets never appear in settings files: `client_secret_env` names the environment
variable that holds it, checked to exist at validation and read when a token is fetched
(so a rotated secret is picked up without a restart).
"""

import os
import re
from pathlib import Path
from string import Formatter
from typing import Annotated, Literal, Self

import httpx
from pydantic import Field, ValidationInfo, field_validator, model_validator

from adapters.errors import AdapterConfigError
from adapters.registry import PluginSettings

# Upper case only, by convention and on purpose: a secret pasted here by mistake is then
# usually refused as "not a variable name" rather than echoed back in "<it> is not set".
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


class NoAuth(PluginSettings):
    type: Literal["none"] = "none"


class OAuth2ClientCredentials(PluginSettings):
    type: Literal["oauth2_client_credentials"]
    token_url: str
    client_id: str = Field(min_length=1)
    client_secret_env: str = Field(description="Name of the environment variable with the secret.")
    scope: str | None = None
    audience: str | None = None

    @field_validator("client_secret_env")
    @classmethod
    def _variable_is_set(cls, name: str) -> str:
        if not _ENV_NAME.fullmatch(name):
            raise ValueError(
                "must be the name of an environment variable (upper-case letters, digits, "
                "underscores) holding the client secret, not the secret itself"
            )
        if not os.environ.get(name):
            raise ValueError(f"environment variable {name} (the client secret) is not set")
        return name

    def client_secret(self) -> str:
        secret = os.environ.get(self.client_secret_env)
        if not secret:
            raise AdapterConfigError(
                f"environment variable {self.client_secret_env} (the client secret) is no "
                "longer set"
            )
        return secret


Auth = Annotated[NoAuth | OAuth2ClientCredentials, Field(discriminator="type")]


class HttpSettings(PluginSettings):
    """What every HTTP peer needs; subclasses add where to send (`base_url`, `endpoint`).

    Field order matters: `allow_insecure_http` comes first so the URL checks see it.
    """

    allow_insecure_http: bool = Field(
        default=False, description="Permit http:// URLs; for local test courts only."
    )
    timeout_seconds: float = Field(default=30, gt=0)
    client_cert: Path | None = None
    client_key: Path | None = None
    ca_bundle: Path | None = None
    auth: Auth = NoAuth()
    max_retry_after_seconds: float = Field(default=30, ge=0)
    retries_on_busy: int = Field(default=2, ge=0)

    @field_validator("client_cert", "client_key", "ca_bundle")
    @classmethod
    def _file_exists(cls, path: Path | None) -> Path | None:
        if path is not None and not path.is_file():
            raise ValueError(f"no such file: {path}")
        return path

    @field_validator("auth")
    @classmethod
    def _token_url(cls, auth: NoAuth | OAuth2ClientCredentials, info: ValidationInfo) -> Auth:
        if isinstance(auth, OAuth2ClientCredentials):
            checked_url(auth.token_url, insecure_allowed(info), field="token_url")
        return auth

    @model_validator(mode="after")
    def _cert_and_key_together(self) -> Self:
        if self.client_key is not None and self.client_cert is None:
            raise ValueError("client_key is set without client_cert")
        return self


class HttpApiSettings(HttpSettings):
    """A REST API: requests go to paths under `base_url`."""

    base_url: str

    @field_validator("base_url")
    @classmethod
    def _https(cls, url: str, info: ValidationInfo) -> str:
        return checked_url(url, insecure_allowed(info), field="base_url").rstrip("/")


class HttpEndpointSettings(HttpSettings):
    """A single endpoint URL (a SOAP service)."""

    endpoint: str

    @field_validator("endpoint")
    @classmethod
    def _https(cls, url: str, info: ValidationInfo) -> str:
        return checked_url(url, insecure_allowed(info), field="endpoint")


def insecure_allowed(info: ValidationInfo) -> bool:
    return bool(info.data.get("allow_insecure_http", False))


def checked_url(url: str, allow_insecure: bool, *, field: str) -> str:
    """`url` if it is an absolute https URL (http when allowed) with no credentials, query
    or fragment. The value is not echoed: a URL pasted with a password in it must not
    reach a log through this message."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as e:
        raise ValueError(f"{field} is not a valid URL ({type(e).__name__})") from None
    if parsed.scheme == "http" and not allow_insecure:
        raise ValueError(
            f"{field} must use https; http is accepted only with allow_insecure_http = true "
            "(local test courts)"
        )
    if parsed.scheme not in ("https", "http") or not parsed.host:
        raise ValueError(f"{field} must be an absolute https:// URL")
    if parsed.userinfo:
        raise ValueError(f"{field} must not carry credentials; use auth")
    if parsed.query or parsed.fragment:
        raise ValueError(f"{field} must not have a query string or fragment")
    return url


def template_fields(path: str) -> list[tuple[str, bool]]:
    """The placeholders of a URL path template, each with whether it is bare (`{name}`,
    no format spec or conversion): callers allow only the names that carry no personal
    data."""
    try:
        fields = list(Formatter().parse(path))
    except ValueError as e:
        raise ValueError(f"is not a valid template: {e}") from None
    return [(name, not spec and not conversion) for _, name, spec, conversion in fields if name]
