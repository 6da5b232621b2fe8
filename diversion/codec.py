"""Payload encryption (DESIGN §5): every Temporal payload is AES-256-GCM encrypted.

Workflow histories hold referrals, victim contact details and agreements, so the
Temporal server (and anyone who reads its database) sees only ciphertext. Each
encrypted payload names the key that sealed it, so keys can be rotated: the first key
of a `KeyRing` encrypts, the others only decrypt the history written before.

Key specification, as in `DIVERSION_PAYLOAD_KEYS`: `kid1:<base64 32-byte key>,kid0:<...>`.

The same keys seal what we keep on disk outside Temporal (`seal`/`unseal`): the
documents in quarantine hold victims' contact details too.
"""

import base64
import binascii
import dataclasses
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)

ENCODING = b"binary/encrypted"
KEY_ID_METADATA = "encryption-key-id"
KEY_BYTES = 32
NONCE_BYTES = 12
_TAG_BYTES = 16
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class PayloadKeyError(ValueError):
    """A payload key specification that cannot be used; the message says why."""


class PayloadDecryptionError(ValueError):
    """A payload that cannot be decrypted: unknown key id, or altered ciphertext."""


@dataclass(frozen=True)
class KeyRing:
    """The key that encrypts, and every key that may still decrypt (rotation)."""

    encrypt_with: str
    keys: Mapping[str, bytes]

    def __post_init__(self) -> None:
        if self.encrypt_with not in self.keys:
            raise PayloadKeyError(f"encryption key id {self.encrypt_with!r} is not in the ring")
        for kid, key in self.keys.items():
            if len(key) != KEY_BYTES:
                raise PayloadKeyError(f"payload key {kid!r} must be {KEY_BYTES} bytes")

    def spec(self) -> str:
        """The ring written back as a key specification, the encrypting key first."""
        order = [self.encrypt_with, *(k for k in self.keys if k != self.encrypt_with)]
        return ",".join(f"{k}:{base64.b64encode(self.keys[k]).decode()}" for k in order)


def generate_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def parse_keys(spec: str) -> KeyRing:
    """Parse `kid1:<base64>,kid0:<base64>`; the first key encrypts, all decrypt."""
    keys: dict[str, bytes] = {}
    for position, entry in enumerate((e.strip() for e in spec.split(",")), start=1):
        if not entry:
            continue
        kid, sep, encoded = entry.partition(":")
        kid = kid.strip()
        if not sep:
            raise PayloadKeyError(
                f"payload key #{position} must be written '<key id>:<base64 key>'"
            )
        if not _KEY_ID.match(kid):
            raise PayloadKeyError(
                f"payload key #{position}: key id {kid!r} must be 1-64 letters, digits, '.', '_' "
                "or '-'"
            )
        if kid in keys:
            raise PayloadKeyError(f"payload key id {kid!r} is listed twice")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError) as e:
            raise PayloadKeyError(f"payload key {kid!r} is not valid base64") from e
        if len(key) != KEY_BYTES:
            raise PayloadKeyError(
                f"payload key {kid!r} is {len(key)} bytes; AES-256 needs exactly {KEY_BYTES} "
                f'(generate one with: python -c "import os,base64;'
                f'print(base64.b64encode(os.urandom({KEY_BYTES})).decode())")'
            )
        keys[kid] = key
    if not keys:
        raise PayloadKeyError("no payload key given")
    return KeyRing(encrypt_with=next(iter(keys)), keys=keys)


class AesGcmCodec(PayloadCodec):
    """Seals each payload (its whole serialized `Payload`, metadata included)."""

    def __init__(self, ring: KeyRing) -> None:
        self._ring = ring
        self._ciphers = {kid: AESGCM(key) for kid, key in ring.keys.items()}

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        kid = self._ring.encrypt_with
        cipher = self._ciphers[kid]
        sealed = []
        for payload in payloads:
            nonce = os.urandom(NONCE_BYTES)
            ciphertext = cipher.encrypt(nonce, payload.SerializeToString(), kid.encode())
            sealed.append(
                Payload(
                    metadata={"encoding": ENCODING, KEY_ID_METADATA: kid.encode()},
                    data=nonce + ciphertext,
                )
            )
        return sealed

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._open(p) for p in payloads]

    def _open(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        kid = payload.metadata.get(KEY_ID_METADATA, b"").decode(errors="replace")
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise PayloadDecryptionError(
                f"payload was encrypted with key id {kid!r}, which is not among the configured "
                f"payload keys ({', '.join(self._ciphers)}); add it to DIVERSION_PAYLOAD_KEYS"
            )
        data = payload.data
        if len(data) < NONCE_BYTES + _TAG_BYTES:
            raise PayloadDecryptionError(f"encrypted payload (key id {kid!r}) is truncated")
        try:
            plaintext = cipher.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], kid.encode())
        except InvalidTag as e:
            raise PayloadDecryptionError(
                f"encrypted payload (key id {kid!r}) failed authentication: it was altered, "
                "or the key with that id is not the one that sealed it"
            ) from e
        original = Payload()
        original.ParseFromString(plaintext)
        return original


def seal(ring: KeyRing, plaintext: bytes, context: bytes) -> bytes:
    """`plaintext` encrypted with the ring's encrypting key and bound to `context` (a
    file's name, say), as one blob: key id length, key id, nonce, ciphertext."""
    kid = ring.encrypt_with.encode()
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(ring.keys[ring.encrypt_with]).encrypt(nonce, plaintext, kid + context)
    return bytes([len(kid)]) + kid + nonce + ciphertext


def unseal(ring: KeyRing, sealed: bytes, context: bytes) -> bytes:
    """What `seal` sealed with any key of the ring and the same `context`."""
    kid_end = 1 + (sealed[0] if sealed else 0)
    kid = sealed[1:kid_end].decode(errors="replace")
    key = ring.keys.get(kid)
    if key is None:
        raise PayloadDecryptionError(
            f"sealed with key id {kid!r}, which is not among the configured payload keys "
            f"({', '.join(ring.keys)}); add it to DIVERSION_PAYLOAD_KEYS"
        )
    nonce, ciphertext = sealed[kid_end : kid_end + NONCE_BYTES], sealed[kid_end + NONCE_BYTES :]
    if len(nonce) < NONCE_BYTES or len(ciphertext) < _TAG_BYTES:
        raise PayloadDecryptionError(f"sealed data (key id {kid!r}) is truncated")
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, kid.encode() + context)
    except InvalidTag as e:
        raise PayloadDecryptionError(
            f"sealed data (key id {kid!r}) failed authentication: it was altered or moved"
        ) from e


def data_converter(keys: KeyRing) -> DataConverter:
    """Pydantic JSON payloads, encrypted; failure messages and stack traces too."""
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=AesGcmCodec(keys),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )
