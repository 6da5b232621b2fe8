"""The one way this service connects to Temporal: encrypted payloads, TLS or API key."""

import asyncio
import time
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.service import TLSConfig

from diversion.codec import data_converter
from diversion.settings import Settings, env_var


class TemporalUnreachableError(RuntimeError):
    """Temporal could not be reached before the deadline; the message says where and why."""


def tls_config(settings: Settings) -> TLSConfig | bool:
    """False (plain), True (system trust roots) or mutual TLS / a private CA."""
    if not settings.temporal_tls:
        return False
    if settings.temporal_tls_cert is None and settings.temporal_tls_ca is None:
        return True
    return TLSConfig(
        server_root_ca_cert=_read(settings.temporal_tls_ca),
        client_cert=_read(settings.temporal_tls_cert),
        client_private_key=_read(settings.temporal_tls_key),
    )


def _read(path: Path | None) -> bytes | None:
    return path.read_bytes() if path is not None else None


async def connect(
    settings: Settings, *, wait_seconds: float = 30.0, runtime: Runtime | None = None
) -> Client:
    """Connect with the service's data converter, retrying for up to `wait_seconds`."""
    api_key = settings.temporal_api_key
    converter = data_converter(settings.payload_key_ring())
    tls = tls_config(settings)
    deadline = time.monotonic() + wait_seconds
    delay = 0.1
    attempts = 0
    while True:
        attempts += 1
        try:
            return await Client.connect(
                settings.temporal_address,
                namespace=settings.temporal_namespace,
                api_key=api_key.get_secret_value() if api_key is not None else None,
                tls=tls,
                data_converter=converter,
                connect_timeout=timedelta(seconds=5),
                runtime=runtime,
            )
        except RuntimeError as e:  # the SDK reports every connect failure this way
            last = e
        if time.monotonic() + delay > deadline:
            raise TemporalUnreachableError(
                f"cannot reach Temporal at {settings.temporal_address} "
                f"(namespace {settings.temporal_namespace!r}) after {attempts} attempts in "
                f"{wait_seconds:g}s: {last}\nIs the server running? "
                f"{env_var('temporal_address')} says where it listens; check "
                f"{env_var('temporal_tls')} and {env_var('temporal_api_key')} for a cluster."
            ) from last
        await asyncio.sleep(delay)
        delay = min(delay * 2, 2.0)
