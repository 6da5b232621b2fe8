"""The pages' own settings (`DIVERSION_PAGES_*`): the session secret and lifetime, and the
identity provider people sign in with. Read where the app is built, never at import.

Production refuses pages without a secret of its own (whoever knows it can forge a
session) and without an identity provider; dev keeps a secret in the data directory and
offers the identity picker instead.
"""

import secrets

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from diversion.settings import Settings, SettingsError, dev_secret

DEV_SECRET_FILE = "dev-pages-secret"


class PagesSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIVERSION_PAGES_", extra="ignore", frozen=True)

    secret: SecretStr | None = Field(default=None, min_length=32)
    idle_minutes: int = Field(default=30, gt=0, le=24 * 60)
    longest_hours: int = Field(default=12, gt=0, le=7 * 24)
    oidc_metadata_url: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_scope: str = "openid profile"
    cookie_secure: bool | None = None  # default: true in production
    audit_file: str = "audit/pages.jsonl"


def check(pages: PagesSettings, settings: Settings) -> None:
    if (pages.oidc_metadata_url is None) != (pages.oidc_client_id is None):
        raise SettingsError(
            "DIVERSION_PAGES_OIDC_METADATA_URL and DIVERSION_PAGES_OIDC_CLIENT_ID are given "
            "together (the identity provider's discovery document and this app's client id)"
        )
    if settings.environment != "production":
        return
    if pages.secret is None:
        raise SettingsError(
            "DIVERSION_PAGES_SECRET is required in production (32+ characters): it signs "
            "the staff pages' session cookies"
        )
    if pages.oidc_metadata_url is None:
        raise SettingsError(
            "DIVERSION_PAGES_OIDC_METADATA_URL and DIVERSION_PAGES_OIDC_CLIENT_ID are "
            "required in production: staff sign in to the pages through your identity provider"
        )


def dev_picker_allowed(settings: Settings) -> bool:
    """The identity picker mints a session for anyone: only on a dev machine with dev auth."""
    return settings.environment == "dev" and settings.auth_mode == "dev"


def session_secret(pages: PagesSettings, settings: Settings) -> str:
    if pages.secret is not None:
        return pages.secret.get_secret_value()
    if settings.environment == "production":  # refused by `check`; kept explicit
        raise SettingsError("DIVERSION_PAGES_SECRET is required in production")
    return dev_secret(settings.data_dir / DEV_SECRET_FILE, lambda: secrets.token_hex(32))


def cookies_secure(pages: PagesSettings, settings: Settings) -> bool:
    if pages.cookie_secure is not None:
        return pages.cookie_secure
    return settings.environment == "production"
